package cli

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"sync/atomic"
)

// liveLimit owns a batch run's soft memory limit: a floor (the batch
// limit, or the size a link check's site needs), raised to twice the live
// heap when that is higher, as measured after each collection. A fixed
// limit below the live data makes the collector run without pause (the
// runtime caps it at half the CPU): a 10,000-page site with 200 links a
// page (370 MB live) took 18 s to check at 340 MiB and 8 s without a
// limit, and its build 34 s instead of 17 s.
type liveLimit struct {
	floor   atomic.Int64
	stopped atomic.Bool
	mu      sync.Mutex // one adjustment at a time
}

// followLive sets the memory limit to floor and follows the live heap
// until stop. It is not started when GOMEMLIMIT is set.
func followLive(floor int64) *liveLimit {
	l := &liveLimit{}
	l.floor.Store(floor)
	debug.SetMemoryLimit(floor)
	l.arm()
	return l
}

// setFloor changes the floor, applied now.
func (l *liveLimit) setFloor(floor int64) {
	l.floor.Store(floor)
	l.adjust()
}

func (l *liveLimit) stop() { l.stopped.Store(true) }

// sentinel is allocated for each cycle: its cleanup runs once a collection
// has found it unreachable. It holds a pointer, so the tiny allocator,
// whose blocks can outlive their objects, never takes it.
type sentinel struct {
	_ *byte
	_ [8]byte
}

func (l *liveLimit) arm() {
	runtime.AddCleanup(new(sentinel), func(l *liveLimit) {
		if l.stopped.Load() {
			return
		}
		l.adjust()
		l.arm()
	}, l)
}

// adjust sets the limit from the floor and the live heap of the last
// collection (the cleanup goroutine after each one, setFloor once).
func (l *liveLimit) adjust() {
	l.mu.Lock()
	defer l.mu.Unlock()
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(sample)
	limit := l.floor.Load()
	if v := sample[0].Value; v.Kind() == metrics.KindUint64 {
		limit = max(limit, 2*int64(v.Uint64()))
	}
	if !l.stopped.Load() {
		debug.SetMemoryLimit(limit)
	}
}
