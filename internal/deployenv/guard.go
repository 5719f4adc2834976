package deployenv

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/docsgen/docsgen/internal/diag"
	"github.com/docsgen/docsgen/internal/safefile"
	"go.yaml.in/yaml/v3"
)

// guard decides which files a deployment may read: regular files that
// resolve, symlinks followed, inside the deployment folder or inside one of
// the folders the user allowed. Every file Load reads goes through it, so a
// compose file or env_file entry cannot make `docsgen env` print /etc/shadow,
// and a named pipe cannot make it hang.
type guard struct {
	dir     string   // the deployment folder as given, for messages
	absDir  string   // its absolute path
	root    string   // its real path
	allowed []string // real paths of the --allow-outside folders
	// maxSize bounds every file read (Options.MaxFileSize): deployment
	// files are a few KB, so a huge one is a mistake, better reported than
	// read into memory.
	maxSize int64
	// extended is the text of the extends: files compose-go was let
	// read, whose values its errors may quote.
	extended [][]byte
}

func newGuard(dir string, allow []string, maxSize int64) (*guard, error) {
	if maxSize <= 0 {
		maxSize = DefaultMaxFileSize
	}
	absDir, err := filepath.Abs(dir)
	if err != nil {
		return nil, &Error{Pos: diag.Pos{File: show(dir)}, Msg: "deployment folder not usable: " + errText(err)}
	}
	root, err := filepath.EvalSymlinks(absDir)
	if err != nil {
		return nil, &Error{Pos: diag.Pos{File: show(dir)}, Msg: "deployment folder not found or not readable", Hint: "pass --dir with the folder that holds production.yml"}
	}
	g := &guard{dir: dir, absDir: absDir, root: root, maxSize: maxSize}
	for _, a := range allow {
		real, err := filepath.EvalSymlinks(a)
		if err == nil {
			real, err = filepath.Abs(real)
		}
		fi, serr := os.Stat(real)
		if err != nil || serr != nil || !fi.IsDir() {
			return nil, &Error{Pos: diag.Pos{File: show(a)}, Msg: "--allow-outside " + show(a) + ": not a folder", Hint: "name an existing folder that holds the files to read"}
		}
		g.allowed = append(g.allowed, real)
	}
	return g, nil
}

func show(p string) string { return filepath.ToSlash(filepath.Clean(p)) }

// name is how messages call a file: relative to the deployment folder when
// it is written below it, else as given.
func (g *guard) name(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return show(path)
	}
	if rel, err := filepath.Rel(g.absDir, abs); err == nil && filepath.IsLocal(rel) {
		return filepath.ToSlash(rel)
	}
	return show(path)
}

// display is how a file's position is shown: below the deployment folder as
// the user named it, else absolute.
func (g *guard) display(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return show(path)
	}
	if rel, err := filepath.Rel(g.absDir, abs); err == nil && filepath.IsLocal(rel) {
		return show(filepath.Join(g.dir, rel))
	}
	return show(path)
}

// notFound wraps a missing file so that callers can tell it from a refusal.
type notFound struct{ err error }

func (e notFound) Error() string { return e.err.Error() }
func (e notFound) Unwrap() error { return e.err }

// vet resolves path and checks that it may be read. It returns the real
// path; a missing file gives an error matching fs.ErrNotExist, any other
// problem an *Error positioned at the file.
func (g *guard) vet(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", &Error{Pos: diag.Pos{File: show(path)}, Msg: "cannot read " + g.name(path) + ": " + errText(err)}
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return "", notFound{err}
		}
		return "", &Error{Pos: diag.Pos{File: show(path)}, Msg: "cannot read " + g.name(path) + ": " + errText(err)}
	}
	if !g.inside(real) {
		return "", g.outside(path, real)
	}
	fi, err := os.Stat(real)
	if err != nil {
		return "", &Error{Pos: diag.Pos{File: show(path)}, Msg: "cannot read " + g.name(path) + ": " + errText(err)}
	}
	if !fi.Mode().IsRegular() {
		return "", notRegular(path, g.name(path), fi.Mode())
	}
	if fi.Size() > g.maxSize {
		return "", g.tooLarge(path, fi.Size())
	}
	return real, nil
}

func (g *guard) inside(real string) bool {
	if safefile.Within(g.root, real) {
		return true
	}
	for _, a := range g.allowed {
		if safefile.Within(a, real) {
			return true
		}
	}
	return false
}

func (g *guard) outside(path, real string) *Error {
	how := "it resolves to " + filepath.ToSlash(real) + ","
	if fi, err := os.Lstat(path); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		how = "it is a symlink to " + filepath.ToSlash(real) + ","
	} else if real == absPath(path) {
		how = "it is"
	}
	return &Error{Pos: diag.Pos{File: show(path)},
		Msg:  fmt.Sprintf("refusing to read %s: %s outside the deployment folder %s", g.name(path), how, filepath.ToSlash(g.root)),
		Hint: fmt.Sprintf("keep the deployment's files inside %s, or pass --allow-outside %s if reading that folder is intended", show(g.dir), filepath.ToSlash(filepath.Dir(real)))}
}

func notRegular(path, name string, mode fs.FileMode) *Error {
	kind := "not a regular file"
	switch {
	case mode.IsDir():
		kind = "a folder"
	case mode&fs.ModeNamedPipe != 0:
		kind = "a named pipe"
	case mode&fs.ModeSocket != 0:
		kind = "a socket"
	case mode&fs.ModeDevice != 0:
		kind = "a device"
	}
	return &Error{Pos: diag.Pos{File: show(path)},
		Msg:  fmt.Sprintf("cannot read %s: it is %s, not a regular file", name, kind),
		Hint: "point it at a regular file: docsgen does not read pipes, devices or folders (they could block it or never end)"}
}

// readFile reads a vetted file through safefile, which checks the open
// file again, so a pipe swapped in after vet cannot hang the read either.
func (g *guard) readFile(path string) ([]byte, error) {
	real, err := g.vet(path)
	if err != nil {
		return nil, err
	}
	data, err := safefile.ReadLimit(real, g.maxSize)
	var nr *safefile.NotRegularError
	var tl *safefile.TooLargeError
	switch {
	case errors.As(err, &nr):
		return nil, notRegular(path, g.name(path), nr.Mode)
	case errors.As(err, &tl):
		return nil, g.tooLarge(path, tl.Size)
	case err != nil:
		return nil, &Error{Pos: diag.Pos{File: show(path)}, Msg: "cannot read " + g.name(path) + ": " + errText(err)}
	}
	return data, nil
}

// tooLarge refuses a file over the size limit.
func (g *guard) tooLarge(path string, size int64) *Error {
	what := "larger than"
	if size > g.maxSize {
		what = fmt.Sprintf("%s, over", sizeMiB(size))
		if size >= 1<<20 {
			what = fmt.Sprintf("%.1f MiB, over", float64(size)/(1<<20))
		}
	}
	return &Error{Pos: diag.Pos{File: show(path)},
		Msg:  fmt.Sprintf("refusing to read %s: it is %s the %s limit for a deployment file", g.name(path), what, sizeMiB(g.maxSize)),
		Hint: "deployment files are a few KB: check that this is the right file, or raise the limit with --max-file-size if it really is this large"}
}

// loader is the only way compose-go may reach another compose file
// (extends: file:): it vets the path first.
//
// compose-go treats any loader but its own as remote and then leaves the
// relative paths of an extended file as written, so a second level of
// extends: file: would be looked up from the wrong folder. It is refused:
// every path this loader sees is written in production.yml, relative to the
// deployment folder.
func (g *guard) loader() loader.ResourceLoader { return guardLoader{g} }

type guardLoader struct{ g *guard }

func (l guardLoader) abs(p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(l.g.absDir, p)
}

func (l guardLoader) Accept(string) bool { return true }

func (l guardLoader) Load(_ context.Context, p string) (string, error) {
	path := l.abs(p)
	data, err := l.g.readFile(path)
	if isNotFound(err) {
		return "", &Error{Pos: diag.Pos{File: show(path)}, Msg: "cannot read " + l.g.name(path) + ": not found"}
	}
	if err != nil {
		return "", err
	}
	var root yaml.Node
	if yaml.Unmarshal(data, &root) == nil && extendsFromFile(&root) {
		return "", &Error{Pos: diag.Pos{File: show(path)}, Msg: l.g.name(path) + " has an extends: file: of its own, which docsgen does not follow",
			Hint: "point production.yml's extends: file: at the file that holds the base service"}
	}
	l.g.extended = append(l.g.extended, data)
	return path, nil
}

// extendsFromFile reports whether a compose file extends a service of
// another file.
func extendsFromFile(root *yaml.Node) bool {
	for _, section := range []string{"services", "jobs"} {
		services, _ := mapValue(root, section)
		services = deref(services)
		if services == nil || services.Kind != yaml.MappingNode {
			continue
		}
		for i := 1; i < len(services.Content); i += 2 {
			if ext, _ := mapValue(services.Content[i], "extends"); ext != nil {
				if f, _ := mapValue(ext, "file"); f != nil {
					return true
				}
			}
		}
	}
	return false
}

func (l guardLoader) Dir(p string) string {
	path := l.abs(p)
	if fi, err := os.Stat(path); err != nil || !fi.IsDir() {
		path = l.abs(filepath.Dir(p))
	}
	if rel, err := filepath.Rel(l.g.absDir, path); err == nil {
		return rel
	}
	return path
}

// isNotFound reports whether a guard error is a missing file.
func isNotFound(err error) bool {
	var nf notFound
	return errors.As(err, &nf)
}
