package build

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/docsgen/docsgen/internal/config"
	"github.com/docsgen/docsgen/internal/rendercache"
	"github.com/docsgen/docsgen/internal/safefile"
)

// sink receives a build's outputs. Emit and copy may be called
// concurrently; commit or discard ends it.
type sink interface {
	// emit writes a rendered output at rel (a slash path).
	emit(rel string, data []byte) error
	// static writes a theme file, and copy the file at src (a checked
	// path), at rel.
	static(rel string, data []byte) error
	copy(rel, src string) error
	commit() error
	discard()
}

func newSink(cfg *config.Config, mode Mode) (sink, error) {
	if mode == DryRun {
		return &memorySink{files: map[string][]byte{}}, nil
	}
	outDir, err := prepareOutDir(cfg)
	if err != nil {
		return nil, err
	}
	return &folderSink{outDir: outDir}, nil
}

// keepsOutputs says whether s holds on to the bytes emit is given (a dry
// run's does): then the caller must not write into them again.
func keepsOutputs(s sink) bool {
	_, ok := s.(*memorySink)
	return ok
}

// memorySink keeps the rendered outputs; referenced files are only checked.
type memorySink struct {
	mu    sync.Mutex
	files map[string][]byte
}

func (m *memorySink) emit(rel string, data []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.files[rel] = data
	return nil
}

func (m *memorySink) static(string, []byte) error { return nil }
func (m *memorySink) copy(_, src string) error    { return safefile.CheckRegular(src) }
func (m *memorySink) commit() error               { return nil }
func (m *memorySink) discard()                    {}

// folderSink writes into a temporary folder beside the output folder and
// swaps it in on commit. A page whose bytes did not change is hard-linked
// from the old output instead of written again.
type folderSink struct {
	outDir string
	once   sync.Once
	tmp    string
	err    error
	made   sync.Map // the folders of the new output made so far
	// noOld: there was no old output when the build started writing (a
	// fresh clone, CI), so no file of it is looked for.
	noOld bool
}

// dir creates the temporary folder on first use, so a build that fails
// before writing leaves nothing behind.
func (f *folderSink) dir() (string, error) {
	f.once.Do(func() {
		parent := filepath.Dir(f.outDir)
		if f.err = os.MkdirAll(parent, 0o755); f.err != nil {
			return
		}
		if _, err := os.Lstat(f.outDir); errors.Is(err, fs.ErrNotExist) {
			f.noOld = true
		}
		removeStaleTemps(parent, filepath.Base(f.outDir))
		if f.tmp, f.err = os.MkdirTemp(parent, tempPrefix(filepath.Base(f.outDir))+strconv.Itoa(os.Getpid())+"-"); f.err != nil {
			return
		}
		f.err = os.Chmod(f.tmp, 0o755)
	})
	return f.tmp, f.err
}

// emit writes data at rel, or hard-links the old output's file there when
// it is a regular file (not a symlink) already holding exactly these bytes:
// reading is cheaper than writing.
func (f *folderSink) emit(rel string, data []byte) error {
	_, err := f.put(rel, data)
	return err
}

// put is emit, returning the file's modification time.
func (f *folderSink) put(rel string, data []byte) (modTime int64, err error) {
	p, err := f.place(rel)
	if err != nil {
		return 0, err
	}
	if !f.noOld {
		old := filepath.Join(f.outDir, filepath.FromSlash(rel))
		if modTime, ok := safefile.Matches(old, data); ok && os.Link(old, p) == nil {
			return modTime, nil // a link shares the old file's modification time
		}
	}
	return safefile.WriteFile(p, data)
}

// place is where rel goes in the new output, its folder made (once per
// folder: a build writes thousands of files into a few folders).
func (f *folderSink) place(rel string) (string, error) {
	tmp, err := f.dir()
	if err != nil {
		return "", err
	}
	p := filepath.Join(tmp, filepath.FromSlash(rel))
	dir := filepath.Dir(p)
	if _, ok := f.made.Load(dir); !ok {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return "", err
		}
		f.made.Store(dir, true)
	}
	return p, nil
}

// emitFile writes a page like emit and says what it wrote, for the render
// cache.
func (f *folderSink) emitFile(rel string, data []byte) (rendercache.File, error) {
	modTime, err := f.put(rel, data)
	if err != nil {
		return rendercache.File{}, err
	}
	return rendercache.File{Size: int64(len(data)), ModTime: modTime, Sum: sha256.Sum256(data)}, nil
}

// reuse puts the old output's file at rel into the new output when it is
// still the file want describes (see unchanged). It says whether it did.
func (f *folderSink) reuse(rel string, want rendercache.File) bool {
	return f.unchanged(rel, want) && f.link(rel) == nil
}

// unchanged says whether the old output's file at rel is still the file
// want describes: the same size and modification time, or else the same
// bytes.
func (f *folderSink) unchanged(rel string, want rendercache.File) bool {
	old := filepath.Join(f.outDir, filepath.FromSlash(rel))
	fi, err := os.Lstat(old)
	if err != nil || !fi.Mode().IsRegular() || fi.Size() != want.Size {
		return false
	}
	if fi.ModTime().UnixNano() != want.ModTime {
		// Copied or restored (a CI cache, say): the bytes decide.
		data, err := safefile.Read(old)
		if err != nil || sha256.Sum256(data) != want.Sum {
			return false
		}
	}
	return true
}

// link hard-links the old output's file at rel into the new output.
func (f *folderSink) link(rel string) error {
	p, err := f.place(rel)
	if err != nil {
		return err
	}
	return os.Link(filepath.Join(f.outDir, filepath.FromSlash(rel)), p)
}

// unlink removes rel from the new output: a file link put there, before
// the file is written afresh (writing through the link would change the
// old output's file too).
func (f *folderSink) unlink(rel string) {
	if f.tmp != "" {
		_ = os.Remove(filepath.Join(f.tmp, filepath.FromSlash(rel)))
	}
}

func (f *folderSink) static(rel string, data []byte) error { return f.emit(rel, data) }

func (f *folderSink) copy(rel, src string) error {
	data, err := safefile.Read(src)
	if err != nil {
		return err
	}
	return f.emit(rel, data)
}

func (f *folderSink) commit() error {
	if err := f.emit(MarkerName, marker()); err != nil {
		return err
	}
	return swap(f.tmp, f.outDir)
}

func (f *folderSink) discard() {
	if f.tmp != "" {
		os.RemoveAll(f.tmp)
	}
}

// tempPrefix starts the name of a build's temporary folder beside the output
// folder; the building process's id follows, so a later build can tell a
// folder left by a build that was killed from one still being written.
func tempPrefix(out string) string { return "." + out + ".tmp-" }

// removeStaleTemps removes the temporary folders (and the old outputs moved
// aside) that builds of out left in parent when they were killed: only
// folders with docsgen's name pattern whose process is gone.
func removeStaleTemps(parent, out string) {
	entries, err := os.ReadDir(parent)
	if err != nil {
		return
	}
	for _, e := range entries {
		rest, ok := strings.CutPrefix(e.Name(), tempPrefix(out))
		if !ok || !e.IsDir() {
			continue
		}
		pidText, _, ok := strings.Cut(rest, "-")
		pid, err := strconv.Atoi(pidText)
		if !ok || err != nil || processAlive(pid) {
			continue
		}
		os.RemoveAll(filepath.Join(parent, e.Name()))
	}
}

// swap replaces outDir with tmp. The old folder is moved aside first and
// removed only after the new one is in place.
func swap(tmp, outDir string) error {
	old := ""
	if _, err := os.Lstat(outDir); err == nil {
		old = tmp + ".old"
		if err := os.Rename(outDir, old); err != nil {
			return fmt.Errorf("cannot move the old output %s aside: %w", outDir, err)
		}
	}
	if err := os.Rename(tmp, outDir); err != nil {
		if old != "" {
			_ = os.Rename(old, outDir)
		}
		return fmt.Errorf("cannot put the new output in place at %s: %w", outDir, err)
	}
	if old != "" {
		return removeAside(old)
	}
	return nil
}

// removeAside removes the old output once the new one is in place: its
// entries on every core, then itself. At 10,000 pages it holds 20,000
// files, half in _search/ and half in the section folders: one goroutine
// takes the one while the other takes the rest, neither waiting on the
// other's folder.
func removeAside(old string) error {
	entries, err := os.ReadDir(old)
	if err == nil {
		err = parallel(context.Background(), len(entries), func(i int) error {
			return os.RemoveAll(filepath.Join(old, entries[i].Name()))
		})
	}
	if err != nil {
		return err
	}
	return os.RemoveAll(old)
}
