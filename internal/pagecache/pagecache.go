// Package pagecache keeps, between runs, what the first pass of a build
// keeps of each page after parsing it (its headings, anchors, labels,
// toctrees and, for a link check, pending references: a markdown.Summary),
// so that pass parses only the pages that changed.
//
// A cache is one file in .docsgen/cache/ of the project (one per kind of
// run), holding an entry per page: the SHA-256 of the page's display path and text, the
// SHA-256 of each file it included, and its summary. The whole file belongs
// to one version: docsgen's binary and the configuration that shapes a
// parse; any other version starts afresh. Pages with diagnostics are not
// kept (they are parsed every time, so their messages are always current).
// The file is written to a temporary file and renamed into place, so two
// runs sharing it never see half of it; the last to finish wins. All access
// goes through an os.Root at the project folder, reads never block on a
// FIFO, and any failure to read or write means parsing again, never a
// failed check.
//
// An included file is checked by its content at the path it resolved to
// when the page was kept: an include reached through a symbolic link that is
// later pointed at another file shows as changed only once the page or the
// file it used to reach changes (a build always reads it afresh).
package pagecache

import (
	"crypto/sha256"
	"io"
	"os"
	"runtime/debug"
	"strconv"
	"sync"

	"github.com/docsgen/docsgen/internal/cachedir"
	"github.com/docsgen/docsgen/internal/markdown"
)

// Dir is the caches' folder, relative to the project folder.
const Dir = cachedir.Dir

// formatVersion changes with the layout of the file or of markdown.Summary.
const formatVersion = "docsgen-pages-2"

// maxSize bounds the file read: about 2 KB a page.
const maxSize = 512 << 20

// Sum is a SHA-256.
type Sum = [sha256.Size]byte

type entry struct {
	Key  Sum   // the page's display path and text
	Deps []Sum // its included files, in Page.Deps order
	Page markdown.Summary
}

// Cache is one run's view of the cache file. Get and Put are safe for
// concurrent use.
type Cache struct {
	root  *os.Root
	store *cachedir.Store[entry] // by the page's path below the source root
	read  func(abs string) ([]byte, error)

	mu   sync.Mutex
	hits int
	deps sync.Map // abs path → depSum
}

type depSum struct {
	sum Sum
	ok  bool
}

// Open reads the cache named name (a file in Dir) of the project at dir for
// the given version (what its summaries depend on besides the pages' text:
// docsgen's BinaryVersion and the settings of a parse). It returns nil when
// version is "" or the cache folder cannot be made. SetReader must be called
// before Get or Put.
func Open(dir, name, version string) *Cache {
	if version == "" {
		return nil
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil
	}
	if err := cachedir.Make(root, ""); err != nil {
		root.Close()
		return nil
	}
	return &Cache{root: root, store: cachedir.OpenStore[entry](root, name, formatVersion+"\x00"+version, maxSize)}
}

// BinaryVersion names the running docsgen binary by its build information
// (module versions, build settings), which pins the source of a released
// binary or one built from a clean checkout (a module version, or a VCS
// revision without local changes). Any other binary is named by its
// executable's size and modification time too, so every rebuild starts
// afresh. It is "" for a binary that lists no module versions (a test
// binary), which then keeps no cache (as the highlight cache does).
func BinaryVersion() string {
	info, ok := debug.ReadBuildInfo()
	if !ok || len(info.Deps) == 0 {
		return ""
	}
	return binaryVersion(info, func() (os.FileInfo, error) {
		exe, err := os.Executable()
		if err != nil {
			return nil, err
		}
		return os.Stat(exe)
	})
}

func binaryVersion(info *debug.BuildInfo, executable func() (os.FileInfo, error)) string {
	pinned := info.Main.Version != "" && info.Main.Version != "(devel)"
	settings := map[string]string{}
	for _, s := range info.Settings {
		settings[s.Key] = s.Value
	}
	if settings["vcs.revision"] != "" && settings["vcs.modified"] == "false" {
		pinned = true
	}
	if settings["vcs.modified"] == "true" {
		pinned = false
	}
	if pinned {
		return info.String()
	}
	fi, err := executable()
	if err != nil {
		return ""
	}
	return info.String() + "\x00" + strconv.FormatInt(fi.Size(), 10) + "\x00" + strconv.FormatInt(fi.ModTime().UnixNano(), 10)
}

// SetReader sets how included files are read: as parsing reads them
// (confined to the project, each once per run).
func (c *Cache) SetReader(read func(abs string) ([]byte, error)) { c.read = read }

// Close releases the cache's folder.
func (c *Cache) Close() { c.root.Close() }

// Key names a page's parse input: the path its diagnostics show and its
// text.
func Key(display string, text []byte) Sum {
	h := sha256.New()
	io.WriteString(h, display)
	h.Write([]byte{0})
	h.Write(text)
	return Sum(h.Sum(nil))
}

// Get returns the summary kept for the page at rel when its key and every
// file it included are unchanged.
func (c *Cache) Get(rel string, key Sum) (markdown.Summary, bool) {
	e, ok := c.store.Take(rel)
	if !ok || e.Key != key || len(e.Deps) != len(e.Page.Deps) {
		return markdown.Summary{}, false
	}
	for i, dep := range e.Page.Deps {
		if s, ok := c.depSum(dep); !ok || s != e.Deps[i] {
			return markdown.Summary{}, false
		}
	}
	c.store.Keep(rel, e, false)
	c.mu.Lock()
	c.hits++
	c.mu.Unlock()
	return e.Page, true
}

// Put keeps the summary of the page at rel, parsed from the input key. A
// page whose included files cannot be read is not kept.
func (c *Cache) Put(rel string, key Sum, page markdown.Summary) {
	e := entry{Key: key, Page: page, Deps: make([]Sum, len(page.Deps))}
	for i, dep := range page.Deps {
		s, ok := c.depSum(dep)
		if !ok {
			return
		}
		e.Deps[i] = s
	}
	c.store.Keep(rel, e, true)
}

// Hits is how many pages Get found.
func (c *Cache) Hits() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.hits
}

// depSum is the SHA-256 of an included file, read once per run.
func (c *Cache) depSum(abs string) (Sum, bool) {
	if d, ok := c.deps.Load(abs); ok {
		return d.(depSum).sum, d.(depSum).ok
	}
	data, err := c.read(abs)
	d := depSum{sum: sha256.Sum256(data), ok: err == nil}
	c.deps.Store(abs, d)
	return d.sum, d.ok
}

// Save writes the pages kept by this run (read or parsed) as the cache,
// unless they are exactly what it held: pages no longer in the site go.
func (c *Cache) Save() error { return c.store.Save() }

// Inputs names, for each page this run kept (read from the cache or parsed
// without diagnostics), what it was parsed from: its key and its included
// files, in one sum. A page's rendered output can be reused only while its
// input is the same.
func (c *Cache) Inputs() map[string]Sum {
	inputs := map[string]Sum{}
	c.store.Each(func(rel string, e entry) {
		h := sha256.New()
		h.Write(e.Key[:])
		for _, d := range e.Deps {
			h.Write(d[:])
		}
		inputs[rel] = Sum(h.Sum(nil))
	})
	return inputs
}
