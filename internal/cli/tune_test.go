package cli

import (
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

// untuned sets GOGC to percent for a test and restores it and the memory
// limit after it, with GOGC and GOMEMLIMIT unset in the environment; it
// returns the memory limit as it was.
func untuned(t *testing.T, percent int) int64 {
	gc := debug.SetGCPercent(percent)
	limit := debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetGCPercent(gc); debug.SetMemoryLimit(limit) })
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	return limit
}

// A build or link check caps its heap softly unless GOMEMLIMIT says
// otherwise: GOGC 200 alone let 10,000 pages peak at 680 MB.
func TestTuneRunSetsMemoryLimit(t *testing.T) {
	limit := untuned(t, 200) // what tuneRun sets

	tuned, err := tuneRun("")
	if err != nil {
		t.Fatal(err)
	}
	tuned.stop()
	if got := debug.SetGCPercent(200); got != buildGCPercent {
		t.Errorf("GOGC %d, want %d", got, buildGCPercent)
	}
	if got := debug.SetMemoryLimit(-1); got != batchMemoryLimit {
		t.Errorf("memory limit %d, want %d", got, batchMemoryLimit)
	}

	debug.SetMemoryLimit(limit)
	t.Setenv("GOMEMLIMIT", "1GiB") // the runtime read it at start; tuneRun must leave it
	if tuned, err := tuneRun(""); err != nil {
		t.Fatal(err)
	} else if tuned.limit != nil {
		t.Error("with GOMEMLIMIT set, the limit follows the live heap")
	}
	if got := debug.SetMemoryLimit(-1); got != limit {
		t.Errorf("with GOMEMLIMIT set, the limit changed to %d", got)
	}
}

// A link check collects garbage less often than a build, under the same
// memory limit, unless GOGC says otherwise.
func TestTuneLinkcheckSetsGCPercent(t *testing.T) {
	untuned(t, 100)

	tuned, err := tuneLinkcheck("")
	if err != nil {
		t.Fatal(err)
	}
	tuned.stop()
	if got := debug.SetGCPercent(100); got != checkGCPercent {
		t.Errorf("GOGC %d, want %d", got, checkGCPercent)
	}
	if got := debug.SetMemoryLimit(-1); got != batchMemoryLimit {
		t.Errorf("memory limit %d, want %d", got, batchMemoryLimit)
	}

	t.Setenv("GOGC", "150") // the runtime read it at start; the check must leave it
	if tuned, err := tuneLinkcheck(""); err != nil {
		t.Fatal(err)
	} else {
		tuned.stop()
	}
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("with GOGC set, GOGC changed to %d", got)
	}
}

// A link check's memory limit follows its site's size, up to the batch
// limit, unless GOMEMLIMIT says otherwise.
func TestSizeLinkcheck(t *testing.T) {
	limit := untuned(t, 100)

	tuned, err := tuneLinkcheck("")
	if err != nil {
		t.Fatal(err)
	}
	defer tuned.stop()
	for _, c := range []struct {
		pages int
		want  int64
	}{
		{0, checkMemoryBase},
		{10000, checkMemoryBase + 10000*checkMemoryPerPage},
		{1 << 20, batchMemoryLimit},
	} {
		tuned.sizeLinkcheck(c.pages)
		if got := debug.SetMemoryLimit(-1); got != c.want {
			t.Errorf("%d pages: memory limit %d, want %d", c.pages, got, c.want)
		}
	}

	debug.SetMemoryLimit(limit)
	t.Setenv("GOMEMLIMIT", "1GiB")
	unlimited, err := tuneLinkcheck("")
	if err != nil {
		t.Fatal(err)
	}
	unlimited.sizeLinkcheck(10)
	if got := debug.SetMemoryLimit(-1); got != limit {
		t.Errorf("with GOMEMLIMIT set, the limit changed to %d", got)
	}
}

// The limit rises to twice the live heap when that is above the floor,
// comes back to the floor when the live heap shrinks, and is left alone
// once stopped.
func TestLiveLimitFollowsLiveHeap(t *testing.T) {
	untuned(t, 100)
	const floor = 4 << 20
	l := followLive(floor)
	defer l.stop()
	waitLimit := func(what string, ok func(int64) bool) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for {
			runtime.GC() // each collection runs the adjustment after it
			got := debug.SetMemoryLimit(-1)
			if ok(got) {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: the limit stayed at %d", what, got)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	live := make([][]byte, 64)
	for i := range live {
		live[i] = make([]byte, 1<<20) // 64 MB live, held below
	}
	waitLimit("64 MB live", func(got int64) bool { return got >= 2*64<<20 })
	runtime.KeepAlive(live)
	live = nil
	waitLimit("the live data dropped", func(got int64) bool { return got < 64<<20 && got >= floor })

	l.stop()
	debug.SetMemoryLimit(123 << 20)
	runtime.GC()
	runtime.GC()
	time.Sleep(50 * time.Millisecond)
	if got := debug.SetMemoryLimit(-1); got != 123<<20 {
		t.Errorf("after stop, the limit changed to %d", got)
	}
}
