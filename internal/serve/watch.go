// Package serve is the live preview: it watches what the site is built
// from, rebuilds incrementally, and updates open browser tabs in place.
package serve

import (
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Clock is the time a Batcher waits with; tests inject a fake one.
type Clock interface {
	Now() time.Time
	AfterFunc(d time.Duration, f func()) Timer
}

// Timer is a pending call.
type Timer interface{ Stop() bool }

type realClock struct{}

func (realClock) Now() time.Time                            { return time.Now() }
func (realClock) AfterFunc(d time.Duration, f func()) Timer { return time.AfterFunc(d, f) }

// Batcher merges bursts of file events into one batch: it fires once no
// event came for Delay, or at the latest MaxWait after the first event of
// the batch (so a stream of writes cannot starve the preview).
type Batcher struct {
	Delay   time.Duration
	MaxWait time.Duration
	Clock   Clock
	Fire    func(paths []string)

	mu      sync.Mutex
	pending map[string]bool
	first   time.Time
	timer   Timer
}

// Add records a changed path.
func (b *Batcher) Add(path string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.pending == nil {
		b.pending = map[string]bool{}
	}
	if len(b.pending) == 0 {
		b.first = b.Clock.Now()
	}
	b.pending[path] = true
	if b.timer != nil {
		b.timer.Stop()
	}
	wait := b.Delay
	if b.MaxWait > 0 {
		if left := b.MaxWait - b.Clock.Now().Sub(b.first); left < wait {
			wait = max(0, left)
		}
	}
	b.timer = b.Clock.AfterFunc(wait, b.fire)
}

func (b *Batcher) fire() {
	b.mu.Lock()
	if len(b.pending) == 0 {
		b.mu.Unlock()
		return
	}
	paths := make([]string, 0, len(b.pending))
	for p := range b.pending {
		paths = append(paths, p)
	}
	b.pending = map[string]bool{}
	b.timer = nil
	b.mu.Unlock()
	slices.Sort(paths)
	b.Fire(paths)
}

// Filter decides which file events matter.
type Filter struct {
	// Skip lists folders whose events never matter: the output, temporary
	// build folders, .git, the link cache.
	Skip []string
}

// Relevant reports whether an event should trigger a build.
func (f Filter) Relevant(ev fsnotify.Event) bool {
	// Permission changes alone change no content.
	if ev.Op == fsnotify.Chmod {
		return false
	}
	if EditorTemp(filepath.Base(ev.Name)) {
		return false
	}
	for _, dir := range f.Skip {
		if ev.Name == dir || strings.HasPrefix(ev.Name, dir+string(filepath.Separator)) {
			return false
		}
	}
	for _, part := range strings.Split(filepath.ToSlash(ev.Name), "/") {
		if part == ".git" || strings.Contains(part, ".tmp-") {
			return false
		}
	}
	return true
}

// EditorTemp reports names editors use for swap, backup and atomic-save
// files: vim (4913, .swp, ~), emacs (#x#, .#x), JetBrains (___jb_tmp___),
// and macOS's .DS_Store.
func EditorTemp(name string) bool {
	switch {
	case name == "4913", name == ".DS_Store":
		return true
	case strings.HasSuffix(name, "~"), strings.HasSuffix(name, ".swp"), strings.HasSuffix(name, ".swx"), strings.HasSuffix(name, ".swo"):
		return true
	case strings.HasPrefix(name, ".#"), strings.HasPrefix(name, "#") && strings.HasSuffix(name, "#"):
		return true
	case strings.Contains(name, "___jb_tmp___"), strings.Contains(name, "___jb_old___"):
		return true
	case strings.HasPrefix(name, ".goutputstream-"), strings.HasSuffix(name, ".tmp"), strings.HasSuffix(name, ".crswap"):
		return true
	}
	return false
}
