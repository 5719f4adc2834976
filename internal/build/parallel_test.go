package build

import (
	"context"
	"errors"
	"fmt"
	"path"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
)

// parallel runs every index once, returns the first error it saw, and
// starts nothing after its context is cancelled.
func TestParallel(t *testing.T) {
	const n = 1000
	var runs [n]atomic.Int32
	if err := parallel(context.Background(), n, func(i int) error { runs[i].Add(1); return nil }); err != nil {
		t.Fatal(err)
	}
	for i := range runs {
		if got := runs[i].Load(); got != 1 {
			t.Fatalf("index %d ran %d times", i, got)
		}
	}

	bad := errors.New("bad page")
	err := parallel(context.Background(), n, func(i int) error {
		if i == 500 {
			return bad
		}
		return nil
	})
	if !errors.Is(err, bad) {
		t.Errorf("error %v, want %v", err, bad)
	}

	ctx, cancel := context.WithCancel(context.Background())
	var started atomic.Int32
	err = parallel(ctx, n, func(i int) error {
		if started.Add(1) == 10 {
			cancel()
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
	// Each other worker may have started one more page before it saw the
	// cancellation.
	if got := started.Load(); got > 10+int32(runtime.GOMAXPROCS(0)-1) {
		t.Errorf("%d pages started after the context was cancelled at the 10th", got)
	}

	if err := parallel(context.Background(), 0, func(int) error { t.Error("ran with n = 0"); return nil }); err != nil {
		t.Error(err)
	}
}

// byDirectory runs every name once, the names of one folder one at a time
// and in their order, and returns the first error it saw.
func TestByDirectory(t *testing.T) {
	var names []string
	for i := range 600 {
		names = append(names, fmt.Sprintf("d%d/f%03d", i%3, i))
	}
	names = append(names, "top.html", "_search/t0.js")
	var mu sync.Mutex
	busy := map[string]bool{}
	last := map[string]int{}
	var runs = make([]atomic.Int32, len(names))
	bad := errors.New("bad file")
	err := byDirectory(context.Background(), names, func(i int) error {
		dir := path.Dir(names[i])
		mu.Lock()
		if busy[dir] {
			t.Errorf("%s: two names of one folder at once", names[i])
		}
		if prev, ok := last[dir]; ok && prev > i {
			t.Errorf("%s after %s: out of order", names[i], names[prev])
		}
		busy[dir], last[dir] = true, i
		mu.Unlock()
		runtime.Gosched()
		runs[i].Add(1)
		mu.Lock()
		busy[dir] = false
		mu.Unlock()
		if i == 7 {
			return bad
		}
		return nil
	})
	if !errors.Is(err, bad) {
		t.Errorf("error %v, want %v", err, bad)
	}
	for i := range runs {
		if got := runs[i].Load(); got != 1 {
			t.Fatalf("%s ran %d times", names[i], got)
		}
	}
}
