package cli

import (
	"runtime/debug"
	"testing"
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

	stop, err := tuneRun("")
	if err != nil {
		t.Fatal(err)
	}
	stop()
	if got := debug.SetGCPercent(200); got != buildGCPercent {
		t.Errorf("GOGC %d, want %d", got, buildGCPercent)
	}
	if got := debug.SetMemoryLimit(-1); got != batchMemoryLimit {
		t.Errorf("memory limit %d, want %d", got, batchMemoryLimit)
	}

	debug.SetMemoryLimit(limit)
	t.Setenv("GOMEMLIMIT", "1GiB") // the runtime read it at start; tuneRun must leave it
	if _, err := tuneRun(""); err != nil {
		t.Fatal(err)
	}
	if got := debug.SetMemoryLimit(-1); got != limit {
		t.Errorf("with GOMEMLIMIT set, the limit changed to %d", got)
	}
}

// A link check collects garbage less often than a build, under the same
// memory limit, unless GOGC says otherwise.
func TestTuneLinkcheckSetsGCPercent(t *testing.T) {
	untuned(t, 100)

	stop, err := tuneLinkcheck("")
	if err != nil {
		t.Fatal(err)
	}
	stop()
	if got := debug.SetGCPercent(100); got != checkGCPercent {
		t.Errorf("GOGC %d, want %d", got, checkGCPercent)
	}
	if got := debug.SetMemoryLimit(-1); got != batchMemoryLimit {
		t.Errorf("memory limit %d, want %d", got, batchMemoryLimit)
	}

	t.Setenv("GOGC", "150") // the runtime read it at start; the check must leave it
	if _, err := tuneLinkcheck(""); err != nil {
		t.Fatal(err)
	}
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("with GOGC set, GOGC changed to %d", got)
	}
}

// A link check's memory limit follows its site's size, up to the batch
// limit, unless GOMEMLIMIT says otherwise.
func TestSizeLinkcheck(t *testing.T) {
	limit := untuned(t, 100)

	for _, c := range []struct {
		pages int
		want  int64
	}{
		{0, checkMemoryBase},
		{10000, checkMemoryBase + 10000*checkMemoryPerPage},
		{1 << 20, batchMemoryLimit},
	} {
		sizeLinkcheck(c.pages)
		if got := debug.SetMemoryLimit(-1); got != c.want {
			t.Errorf("%d pages: memory limit %d, want %d", c.pages, got, c.want)
		}
	}

	debug.SetMemoryLimit(limit)
	t.Setenv("GOMEMLIMIT", "1GiB")
	sizeLinkcheck(10)
	if got := debug.SetMemoryLimit(-1); got != limit {
		t.Errorf("with GOMEMLIMIT set, the limit changed to %d", got)
	}
}
