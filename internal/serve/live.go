package serve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/docsgen/docsgen/internal/build"
	"github.com/docsgen/docsgen/internal/config"
	"github.com/docsgen/docsgen/internal/diag"
	"github.com/docsgen/docsgen/internal/report"
	"github.com/docsgen/docsgen/internal/safefile"
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

// Run watches and rebuilds until ctx ends. The event loop (this goroutine)
// owns the watch set; the rebuild goroutine only asks it, after each build,
// to watch what the pages now read.
func (l *Live) Run(ctx context.Context) error {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return err
	}
	defer w.Close()
	cfg := l.Session.Config()
	ws := &watchSet{w: w, watched: map[string]bool{},
		skip: []string{abs(cfg.OutDir()), abs(filepath.Join(cfg.Dir, ".docsgen"))}}
	filter := Filter{Skip: ws.skip}
	if cfg.File != "" {
		ws.configFile = abs(cfg.File)
	}
	if td := build.ThemeDir(cfg); td != "" {
		ws.themeDir = abs(td)
	}
	ws.refresh(l.Session.Watched())
	if l.ready != nil {
		close(l.ready)
	}
	src := abs(cfg.SourceDir())

	batches := make(chan []string, 16)
	refreshes := make(chan watchList, 1)
	batcher := &Batcher{Delay: l.Delay, MaxWait: 300 * time.Millisecond, Clock: realClock{}, Fire: func(p []string) {
		select {
		case batches <- p:
		case <-ctx.Done(): // Run has returned: nobody will read
		}
	}}
	if batcher.Delay <= 0 {
		batcher.Delay = 30 * time.Millisecond
	}
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case paths := <-batches:
				// Batches that arrived while the last build ran are one
				// build, not a queue: a burst of saves during a slow
				// rebuild must not leave the preview minutes behind.
				for more := true; more; {
					select {
					case p := <-batches:
						paths = append(paths, p...)
					default:
						more = false
					}
				}
				l.rebuild(ctx, paths)
				dirs, files := l.Session.Watched()
				select {
				case refreshes <- watchList{dirs, files}:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return nil
		case list := <-refreshes:
			ws.refresh(list.dirs, list.files)
		case ev, ok := <-w.Events:
			if !ok {
				return nil
			}
			if ev.Op&(fsnotify.Remove|fsnotify.Rename) != 0 {
				// A folder gone is forgotten, so it is watched again when it
				// comes back.
				ws.forget(ev.Name)
			}
			if !filter.Relevant(ev) || l.Session.Classify(ev.Name) == build.Unrelated {
				continue
			}
			if ev.Op&fsnotify.Create != 0 {
				if fi, err := os.Stat(ev.Name); err == nil && fi.IsDir() {
					// A folder moved or created: watch it and build what it holds.
					ws.addTree(ev.Name)
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
			// Lost events (an overflow): watch and rebuild what the source
			// tree holds.
			fmt.Fprintf(l.Log, "docsgen: watcher: %v; rescanning\n", err)
			ws.addTree(src)
			_ = filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
				if err == nil && !d.IsDir() {
					batcher.Add(p)
				}
				return nil
			})
		}
	}
}

type watchList struct{ dirs, files []string }

// watchSet is what is being watched; only Run's event loop touches it.
type watchSet struct {
	w                    *fsnotify.Watcher
	watched              map[string]bool // folders
	skip                 []string
	configFile, themeDir string
}

func (ws *watchSet) addDir(dir string) {
	if !ws.watched[dir] {
		if err := ws.w.Add(dir); err == nil {
			ws.watched[dir] = true
		}
	}
}

func (ws *watchSet) addTree(root string) {
	_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			if p != root && (d.Name()[0] == '.' || p == ws.skip[0]) {
				return filepath.SkipDir
			}
			ws.addDir(p)
		}
		return nil
	})
}

// forget drops a removed folder and everything below it.
func (ws *watchSet) forget(p string) {
	for dir := range ws.watched {
		if safefile.Within(p, dir) {
			_ = ws.w.Remove(dir) // already gone with the folder, usually
			delete(ws.watched, dir)
		}
	}
}

// refresh watches the source tree and the files the pages read.
func (ws *watchSet) refresh(dirs, files []string) {
	for _, d := range dirs {
		ws.addTree(d)
	}
	for _, f := range files {
		ws.addDir(filepath.Dir(f)) // the folder: editors replace files by renaming
	}
	if ws.configFile != "" {
		ws.addDir(filepath.Dir(ws.configFile))
	}
	if ws.themeDir != "" {
		ws.addTree(ws.themeDir)
	}
}

func (l *Live) rebuild(ctx context.Context, paths []string) {
	start := time.Now()
	u, err := l.Session.Apply(ctx, paths)
	if err != nil {
		fmt.Fprintf(l.Log, "docsgen: rebuild failed: %v\n", err)
		// The writer is looking at the browser: a broken docsgen.yaml (or
		// anything else that stops a build) shows there too, over the last
		// good pages.
		l.Server.Publish(&build.Update{Build: l.Session.Build(), Failed: true, Diags: errorDiags(err)}, "")
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
	fmt.Fprintf(l.Log, "%s: %s rendered, %s changed, %s, %s in %s\n", state, report.Count(u.Rendered, "page"), report.Count(len(u.Changed), "output"),
		report.Count(errs, "error"), report.Count(warns, "warning"), time.Since(start).Round(time.Millisecond))
	if u.Failed {
		for _, d := range u.Diags {
			if d.Severity == diag.Error {
				fmt.Fprintln(l.Log, d.String())
			}
		}
	}
}

// errorDiags turns an error that stopped a build into diagnostics for the
// overlay: a config error keeps its file and line.
func errorDiags(err error) []diag.Diagnostic {
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		var ds []diag.Diagnostic
		for _, e := range joined.Unwrap() {
			ds = append(ds, errorDiags(e)...)
		}
		return ds
	}
	var ce *config.Error
	if errors.As(err, &ce) {
		return []diag.Diagnostic{ce.Diag}
	}
	return []diag.Diagnostic{{Severity: diag.Error, Code: "serve", Message: err.Error()}}
}

func abs(p string) string {
	a, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	return a
}
