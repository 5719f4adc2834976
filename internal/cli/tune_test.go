package cli

import (
	"runtime/debug"
	"testing"
)

// A build or link check caps its heap softly unless GOMEMLIMIT says
// otherwise: GOGC 200 alone let 10,000 pages peak at 680 MB.
func TestTuneRunSetsMemoryLimit(t *testing.T) {
	gc := debug.SetGCPercent(200) // what tuneRun sets; restored after
	limit := debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetGCPercent(gc); debug.SetMemoryLimit(limit) })

	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	stop, err := tuneRun("")
	if err != nil {
		t.Fatal(err)
	}
	stop()
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
	gc := debug.SetGCPercent(100)
	limit := debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetGCPercent(gc); debug.SetMemoryLimit(limit) })

	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
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
