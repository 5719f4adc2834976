package directives

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/docsgen/docsgen/internal/diag"
	"github.com/docsgen/docsgen/internal/safefile"
)

// Files resolves the paths directives name (literalinclude, include, image,
// download) and refuses any that leave the project.
type Files struct {
	// SourceRoot is the content folder: "/x" in a directive means SourceRoot/x.
	SourceRoot string
	// ProjectRoot bounds every read: the folder holding docsgen.yaml, else
	// the working directory.
	ProjectRoot string
	// WorkDir is the folder diagnostics show paths relative to.
	WorkDir string

	// Stable says no file changes while this value is in use (one build
	// or check, not a live preview): Resolve then follows each path's
	// symlinks once.
	Stable bool

	// A file included by many pages is read once per build.
	reads sync.Map // abs path → readResult
	reals sync.Map // path → realResult, when Stable
}

type realResult struct {
	real string
	err  error
}

// evalSymlinks is filepath.EvalSymlinks, remembered when f is Stable.
func (f *Files) evalSymlinks(path string) (string, error) {
	if !f.Stable {
		return filepath.EvalSymlinks(path)
	}
	if r, ok := f.reals.Load(path); ok {
		return r.(realResult).real, r.(realResult).err
	}
	real, err := filepath.EvalSymlinks(path)
	f.reals.Store(path, realResult{real, err})
	return real, err
}

type readResult struct {
	data []byte
	err  error
}

// Read returns a file's bytes, read once per Files value. Callers must not
// modify the result.
func (f *Files) Read(abs string) ([]byte, error) {
	if r, ok := f.reads.Load(abs); ok {
		return r.(readResult).data, r.(readResult).err
	}
	data, err := safefile.Read(abs)
	f.reads.Store(abs, readResult{data, err})
	return data, err
}

// Resolve turns a directive's path argument, written in the page fromFile,
// into an absolute path on disk, following symlinks, and checks that the
// result stays inside the project root.
func (f *Files) Resolve(fromFile, p string) (string, error) {
	var joined string
	if strings.HasPrefix(p, "/") {
		joined = filepath.Join(f.SourceRoot, filepath.FromSlash(p))
	} else {
		from, err := f.abs(fromFile)
		if err != nil {
			return "", err
		}
		joined = filepath.Join(filepath.Dir(from), filepath.FromSlash(p))
	}
	real, err := f.evalSymlinks(joined)
	if err != nil {
		if os.IsNotExist(err) {
			// The path is returned so a live preview can watch for the file.
			return joined, fmt.Errorf("file %q not found", p)
		}
		return "", fmt.Errorf("cannot read %q: %w", p, err)
	}
	root, err := f.evalSymlinks(f.ProjectRoot)
	if err != nil {
		return "", err
	}
	if !safefile.Within(root, real) {
		return "", fmt.Errorf("%q resolves outside the project root (the folder holding docsgen.yaml, else the working directory); only files inside the project can be read", p)
	}
	return real, nil
}

// abs is filepath.Abs of a page's path as diagnostics show it: relative
// to WorkDir, the working directory when the build started. Abs asks the
// system for the working directory on every call (3 % of a link check's
// CPU at 10,000 pages, all in literalinclude), so when Stable, which no
// change of working directory can happen under, WorkDir is used instead.
func (f *Files) abs(file string) (string, error) {
	if f.Stable && filepath.IsAbs(f.WorkDir) && !filepath.IsAbs(file) {
		return filepath.Join(f.WorkDir, file), nil
	}
	return filepath.Abs(file)
}

// Display returns path as diagnostics show it (see diag.ShortPath).
func (f *Files) Display(path string) string { return diag.ShortPath(f.WorkDir, path) }

// Forget drops cached reads of the given files, after they changed.
func (f *Files) Forget(paths ...string) {
	for _, p := range paths {
		f.reads.Delete(p)
		if real, err := filepath.EvalSymlinks(p); err == nil {
			f.reads.Delete(real)
		}
	}
}
