package serve

import (
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/fsnotify/fsnotify"
)

// fakeClock fires timers only when the test advances it: no sleeps.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	timers []*fakeTimer
}

type fakeTimer struct {
	at      time.Time
	f       func()
	stopped bool
}

func (t *fakeTimer) Stop() bool { was := !t.stopped; t.stopped = true; return was }

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

func (c *fakeClock) AfterFunc(d time.Duration, f func()) Timer {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &fakeTimer{at: c.now.Add(d), f: f}
	c.timers = append(c.timers, t)
	return t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	var due []*fakeTimer
	keep := c.timers[:0]
	for _, t := range c.timers {
		if !t.stopped && !t.at.After(c.now) {
			due = append(due, t)
		} else if !t.stopped {
			keep = append(keep, t)
		}
	}
	c.timers = keep
	c.mu.Unlock()
	sort.Slice(due, func(i, j int) bool { return due[i].at.Before(due[j].at) })
	for _, t := range due {
		t.f()
	}
}

func newBatcher(clock Clock) (*Batcher, *[][]string) {
	var batches [][]string
	b := &Batcher{Delay: 40 * time.Millisecond, MaxWait: 500 * time.Millisecond, Clock: clock, Fire: func(p []string) { batches = append(batches, p) }}
	return b, &batches
}

func TestBatcherMergesABurst(t *testing.T) {
	clock := &fakeClock{now: time.Unix(0, 0)}
	b, batches := newBatcher(clock)
	// A git checkout: 500 files within a few milliseconds.
	for i := range 500 {
		b.Add("/site/content/f" + string(rune('a'+i%26)) + ".md")
		clock.Advance(10 * time.Microsecond)
	}
	clock.Advance(39 * time.Millisecond)
	if len(*batches) != 0 {
		t.Fatalf("fired before the quiet period: %v", *batches)
	}
	clock.Advance(2 * time.Millisecond)
	if len(*batches) != 1 || len((*batches)[0]) != 26 {
		t.Fatalf("got %d batches (%v), want one with the 26 distinct paths", len(*batches), *batches)
	}
	clock.Advance(time.Second)
	if len(*batches) != 1 {
		t.Fatalf("fired again with nothing pending")
	}
}

func TestBatcherMaxWait(t *testing.T) {
	clock := &fakeClock{now: time.Unix(0, 0)}
	b, batches := newBatcher(clock)
	// An editor autosaving every 30ms never leaves 40ms of quiet.
	for range 20 {
		b.Add("/site/content/a.md")
		clock.Advance(30 * time.Millisecond)
	}
	if len(*batches) != 1 {
		t.Fatalf("got %d batches during 600ms of continuous writes, want 1 (at MaxWait)", len(*batches))
	}
}

func TestFilter(t *testing.T) {
	f := Filter{Skip: []string{"/site/public", "/site/.docsgen"}}
	for _, tc := range []struct {
		name string
		op   fsnotify.Op
		want bool
	}{
		{"/site/content/a.md", fsnotify.Write, true},
		{"/site/content/a.md", fsnotify.Create, true},
		{"/site/content/a.md", fsnotify.Remove, true},
		{"/site/content/a.md", fsnotify.Rename, true},
		{"/site/content/a.md", fsnotify.Chmod, false},
		{"/site/content/a.md", fsnotify.Write | fsnotify.Chmod, true},
		{"/site/content/4913", fsnotify.Create, false},
		{"/site/content/.a.md.swp", fsnotify.Write, false},
		{"/site/content/a.md~", fsnotify.Create, false},
		{"/site/content/.#a.md", fsnotify.Create, false},
		{"/site/content/#a.md#", fsnotify.Create, false},
		{"/site/content/a.md___jb_tmp___", fsnotify.Create, false},
		{"/site/public/index.html", fsnotify.Write, false},
		{"/site/.public.tmp-123/index.html", fsnotify.Create, false},
		{"/site/.git/index", fsnotify.Write, false},
		{"/site/.docsgen/linkcache.json", fsnotify.Write, false},
		{"/site/examples/production.yml", fsnotify.Write, true},
	} {
		if got := f.Relevant(fsnotify.Event{Name: tc.name, Op: tc.op}); got != tc.want {
			t.Errorf("Relevant(%s %v) = %v, want %v", tc.name, tc.op, got, tc.want)
		}
	}
}
