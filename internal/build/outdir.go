package build

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/docsgen/docsgen/internal/config"
	"github.com/docsgen/docsgen/internal/safefile"
)

// MarkerName is the file every output folder docsgen writes carries. A build
// replaces an existing folder only when it holds this file (or is empty), so
// a mistyped --out can never wipe somebody's files.
const MarkerName = ".docsgen-output"

// marker is the marker file's text: what the folder is, and which docsgen
// wrote it.
func marker() []byte {
	version := "(devel)"
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		version = bi.Main.Version
	}
	return []byte("This folder was written by docsgen " + version + " and is replaced whole by every build.\n" +
		"Keep nothing of your own here: it would be deleted.\n")
}

// OutDirError is an output folder docsgen refuses to replace.
type OutDirError struct {
	Dir    string // as the user wrote it, or absolute
	Reason string
	Fix    string
}

func (e *OutDirError) Error() string {
	return fmt.Sprintf("refusing to write the output folder %s: %s; %s", e.Dir, e.Reason, e.Fix)
}

// prepareOutDir checks that the output folder may be replaced by a build
// and returns its real location (a symlinked output folder is written
// through: the link stays, its target is replaced). It refuses a folder
// that is or holds the sources, the config, the theme, the project root or
// the working folder, anything that is not a folder, and a non-empty folder
// docsgen did not write.
func prepareOutDir(cfg *config.Config) (string, error) {
	out := cfg.OutDir()
	shown := cfg.Display(out)
	real, err := realPath(out)
	if err != nil {
		return "", &OutDirError{Dir: shown, Reason: err.Error(), Fix: "fix the path or choose another with --out or out: in docsgen.yaml"}
	}
	wd, _ := os.Getwd()
	protected := []struct{ path, what string }{
		{cfg.SourceDir(), "the source folder"},
		{cfg.Dir, "the project root"},
		{wd, "the working folder"},
	}
	if cfg.File != "" {
		protected = append(protected, struct{ path, what string }{cfg.File, "the config file"})
	}
	if td := ThemeDir(cfg); td != "" {
		protected = append(protected, struct{ path, what string }{td, "the theme"})
	}
	for _, p := range protected {
		if p.path == "" {
			continue
		}
		abs, err := filepath.Abs(p.path)
		if err != nil {
			continue
		}
		rp, err := realPath(abs)
		if err != nil {
			continue
		}
		if safefile.Within(real, rp) {
			reason := "it is " + p.what
			if rp != real {
				reason = "it holds " + p.what + " (" + cfg.Display(abs) + ")"
			}
			return "", &OutDirError{Dir: shown, Reason: reason + ", and a build replaces the whole output folder",
				Fix: "choose a folder of its own, such as public/, with --out or out: in docsgen.yaml"}
		}
	}
	fi, err := os.Lstat(real)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return real, nil
	case err != nil:
		return "", &OutDirError{Dir: shown, Reason: err.Error(), Fix: "check its permissions"}
	case !fi.IsDir():
		return "", &OutDirError{Dir: shown, Reason: "it is " + safefile.Kind(fi.Mode()) + ", not a folder",
			Fix: "remove it or choose another output folder"}
	}
	entries, err := os.ReadDir(real)
	if err != nil {
		return "", &OutDirError{Dir: shown, Reason: err.Error(), Fix: "check its permissions"}
	}
	if len(entries) == 0 || writtenByDocsgen(real) {
		return real, nil
	}
	names := make([]string, 0, 3)
	for _, e := range entries[:min(3, len(entries))] {
		names = append(names, e.Name())
	}
	if len(entries) > 3 {
		names = append(names, "…")
	}
	return "", &OutDirError{Dir: shown,
		Reason: fmt.Sprintf("it holds files docsgen did not write (%s) and no %s marker", strings.Join(names, ", "), MarkerName),
		Fix:    "a build replaces the whole folder: choose an empty or new folder, or move those files away and delete it"}
}

// writtenByDocsgen reports whether dir is an output folder of docsgen's:
// it holds the marker, or (written before the marker existed) the files
// every docsgen build writes.
func writtenByDocsgen(dir string) bool {
	if fi, err := os.Lstat(filepath.Join(dir, MarkerName)); err == nil && fi.Mode().IsRegular() {
		return true
	}
	for _, f := range []string{"404.html", "sitemap.xml", "_static/docsgen.css", "_static/highlight.css"} {
		if fi, err := os.Lstat(filepath.Join(dir, filepath.FromSlash(f))); err != nil || !fi.Mode().IsRegular() {
			return false
		}
	}
	return true
}

// realPath resolves the symlinks of p, or of its longest existing prefix
// when p does not exist yet.
func realPath(p string) (string, error) {
	p = filepath.Clean(p)
	var rest []string
	for {
		real, err := filepath.EvalSymlinks(p)
		if err == nil {
			slices.Reverse(rest)
			return filepath.Join(append([]string{real}, rest...)...), nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
		if fi, lerr := os.Lstat(p); lerr == nil && fi.Mode()&fs.ModeSymlink != 0 {
			target, _ := os.Readlink(p)
			return "", fmt.Errorf("it is a symbolic link to %s, which does not exist", target)
		}
		parent := filepath.Dir(p)
		if parent == p {
			return "", err
		}
		rest = append(rest, filepath.Base(p))
		p = parent
	}
}
