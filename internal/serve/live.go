package serve

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/docsgen/docsgen/internal/build"
	"github.com/docsgen/docsgen/internal/diag"
	"github.com/fsnotify/fsnotify"
)

// Live connects file events to rebuilds and rebuilds to open tabs.
type Live struct {
	Session *build.Session
	Server  *Server
	Follow  bool
	Delay   time.Duration // quiet period before a build (default 30ms)
	Log     io.Writer

	ready chan struct{} // closed once watching (tests)
}

// Run watches and rebuilds until ctx ends.
func (l *Live) Run(ctx context.Context) error {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return err
	}
	defer w.Close()
	cfg := l.Session.Config()
	filter := Filter{Skip: []string{abs(cfg.OutDir()), abs(filepath.Join(cfg.Dir, ".docsgen"))}}
	watched := map[string]bool{}
	deps := map[string]bool{}
	configFile := ""
	if cfg.File != "" {
		configFile = abs(cfg.File)
	}
	themeDir := ""
	if cfg.Theme != "" {
		themeDir = abs(filepath.Join(cfg.Dir, cfg.Theme))
	}
	addDir := func(dir string) {
		if !watched[dir] {
			if err := w.Add(dir); err == nil {
				watched[dir] = true
			}
		}
	}
	addTree := func(root string) {
		_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err == nil && d.IsDir() {
				if p != root && (d.Name()[0] == '.' || p == filter.Skip[0]) {
					return filepath.SkipDir
				}
				addDir(p)
			}
			return nil
		})
	}
	refresh := func() {
		dirs, files := l.Session.Watched()
		for _, d := range dirs {
			addTree(d)
		}
		deps = map[string]bool{}
		for _, f := range files {
			deps[f] = true
			addDir(filepath.Dir(f)) // the folder: editors replace files by renaming
		}
		if configFile != "" {
			addDir(filepath.Dir(configFile))
		}
		if themeDir != "" {
			addTree(themeDir)
		}
	}
	refresh()
	if l.ready != nil {
		close(l.ready)
	}
	src := abs(cfg.SourceDir())
	interesting := func(p string) bool {
		return within(src, p) || deps[p] || p == configFile || themeDir != "" && within(themeDir, p)
	}

	batches := make(chan []string, 16)
	batcher := &Batcher{Delay: l.Delay, MaxWait: 300 * time.Millisecond, Clock: realClock{}, Fire: func(p []string) { batches <- p }}
	if batcher.Delay <= 0 {
		batcher.Delay = 30 * time.Millisecond
	}
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case paths := <-batches:
				l.rebuild(ctx, paths)
				refresh()
			}
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-w.Events:
			if !ok {
				return nil
			}
			if !filter.Relevant(ev) || !interesting(ev.Name) {
				continue
			}
			if ev.Op&fsnotify.Create != 0 {
				if fi, err := os.Stat(ev.Name); err == nil && fi.IsDir() {
					// A folder moved or created: watch it and build what it holds.
					addTree(ev.Name)
					_ = filepath.WalkDir(ev.Name, func(p string, d fs.DirEntry, err error) error {
						if err == nil && !d.IsDir() {
							batcher.Add(p)
						}
						return nil
					})
					continue
				}
			}
			batcher.Add(ev.Name)
		case err, ok := <-w.Errors:
			if !ok {
				return nil
			}
			// Lost events (an overflow): rebuild what the source tree holds.
			fmt.Fprintf(l.Log, "docsgen: watcher: %v; rescanning\n", err)
			_ = filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
				if err == nil && !d.IsDir() {
					batcher.Add(p)
				}
				return nil
			})
		}
	}
}

func (l *Live) rebuild(ctx context.Context, paths []string) {
	start := time.Now()
	u, err := l.Session.Apply(ctx, paths)
	if err != nil {
		fmt.Fprintf(l.Log, "docsgen: rebuild failed: %v\n", err)
		return
	}
	navigate := ""
	if l.Follow && !u.Failed {
		for _, p := range u.Pages {
			if out, ok := l.Session.PageOut(p); ok {
				navigate = out
				break
			}
		}
	}
	l.Server.Publish(u, navigate)
	state := "rebuilt"
	if u.Failed {
		state = "build failed"
	}
	errs, warns := 0, 0
	for _, d := range u.Diags {
		if d.Severity == diag.Error {
			errs++
		} else {
			warns++
		}
	}
	fmt.Fprintf(l.Log, "%s: %d pages rendered, %d outputs changed, %d errors, %d warnings in %s\n",
		state, u.Rendered, len(u.Changed), errs, warns, time.Since(start).Round(time.Millisecond))
	if u.Failed {
		for _, d := range u.Diags {
			if d.Severity == diag.Error {
				fmt.Fprintln(l.Log, d.String())
			}
		}
	}
}

func abs(p string) string {
	a, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	return a
}

func within(dir, p string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != ".." && !(len(rel) > 2 && rel[:3] == ".."+string(filepath.Separator))
}
