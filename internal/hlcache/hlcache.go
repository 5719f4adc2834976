// Package hlcache is the persistent highlight cache: the HTML of each
// highlighted code block, kept between builds in .docsgen/cache/highlight/
// of the project, so a rebuild (or CI with a restored cache) skips lexing.
//
// An entry is one file named by the SHA-256 of everything its HTML depends
// on (the chroma version, docsgen's own format version, the language, the
// options and the code), so a changed input or an upgraded chroma simply
// misses. Entries are written to a temporary file and renamed into place,
// so two builds sharing the cache never see half an entry. All access goes
// through an os.Root at the project folder: a symbolic link in the cache
// never leads outside the project. The cache is an optimisation only: any
// failure to read or write it means lexing again, never a failed build.
package hlcache

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/docsgen/docsgen/internal/cachedir"
)

// Dir is the cache's folder, relative to the project folder.
const Dir = cachedir.Dir + "/highlight"

// formatVersion changes whenever docsgen changes the HTML it wraps around
// chroma's (the pre wrapper, the formatter options), so old entries miss.
const formatVersion = "docsgen-highlight-1"

// maxEntrySize bounds what one entry may hold; a larger block is lexed
// every time rather than cached.
const maxEntrySize = 1 << 20

// Cache is a project's highlight cache. It is safe for concurrent use.
type Cache struct {
	root   *os.Root
	prefix string // what every key starts from: format and chroma versions

	mu     sync.Mutex
	used   map[string]bool // entries read or written by this build
	shards map[string]bool // shard folders known to exist
	// dirs are the shard folders opened for reading entries, by name,
	// held until Close (see readEntry); none is added once closed.
	dirs   sync.Map
	closed bool
}

// Open opens (creating it if needed) the cache of the project at dir for
// highlighting by the given version of the highlighter (see
// ChromaVersion). It returns nil, and no error, when the version is
// unknown, as entries could then outlive an upgrade.
func Open(dir, version string) (*Cache, error) {
	if version == "" {
		return nil, nil
	}
	project, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	defer project.Close()
	if err := cachedir.Make(project, "highlight"); err != nil {
		return nil, err
	}
	// Opened through the project's root, so it is inside the project; the
	// entries' shorter paths then cost fewer system calls each.
	root, err := project.OpenRoot(Dir)
	if err != nil {
		return nil, err
	}
	return &Cache{root: root, prefix: formatVersion + "\x00" + version + "\x00", used: map[string]bool{}, shards: map[string]bool{}}, nil
}

// ChromaVersion is the version (and checksum) of chroma linked into this
// binary, from its build information; "" if the binary does not say.
func ChromaVersion() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	for _, m := range info.Deps {
		if m.Path == "github.com/alecthomas/chroma/v2" {
			if m.Replace != nil {
				m = m.Replace
			}
			return m.Path + "@" + m.Version + m.Sum
		}
	}
	return ""
}

// Key names the entry for a block: every input of its HTML, hashed. lexer
// is the lexer that highlights it (not the name the author wrote, which
// docsgen may map to another lexer one day).
func (c *Cache) Key(lexer string, linenos bool, start int, emphasize []int, code string) string {
	h := sha256.New()
	io.WriteString(h, c.prefix)
	io.WriteString(h, lexer+"\x00"+strconv.FormatBool(linenos)+"\x00"+strconv.Itoa(start)+"\x00")
	for _, n := range emphasize {
		io.WriteString(h, strconv.Itoa(n)+",")
	}
	io.WriteString(h, "\x00"+code)
	return hex.EncodeToString(h.Sum(nil))
}

func entryPath(key string) string { return key[:2] + "/" + key[2:] }

// Get returns the entry for key, if the cache has it.
func (c *Cache) Get(key string) ([]byte, bool) {
	data, err := c.readEntry(key[:2], key[2:])
	if err != nil {
		return nil, false
	}
	c.markUsed(key)
	return data, true
}

func (c *Cache) markUsed(key string) {
	c.mu.Lock()
	c.used[key] = true
	c.mu.Unlock()
}

// MarkUsed keeps the entries keys from Prune as if this build had read
// them: those of a page it took from the last build instead of rendering.
func (c *Cache) MarkUsed(keys ...string) {
	c.mu.Lock()
	for _, k := range keys {
		c.used[k] = true
	}
	c.mu.Unlock()
}

// Put stores data under key: written to a temporary file beside the entry,
// then renamed over it, so a reader sees the whole entry or none.
func (c *Cache) Put(key string, data []byte) {
	if len(data) > maxEntrySize {
		return
	}
	shard := key[:2]
	c.mu.Lock()
	c.used[key] = true
	made := c.shards[shard]
	c.mu.Unlock()
	if !made {
		if err := c.root.Mkdir(shard, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
			return
		}
		c.mu.Lock()
		c.shards[shard] = true
		c.mu.Unlock()
	}
	tmp := shard + "/" + tempPrefix + rand.Text()
	f, err := c.root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return
	}
	_, err = f.Write(data)
	if err = errors.Join(err, f.Close()); err == nil {
		err = c.root.Rename(tmp, entryPath(key))
	}
	if err != nil {
		_ = c.root.Remove(tmp)
	}
}

// tempPrefix starts the names of entries being written; no key starts
// with a dot.
const tempPrefix = ".tmp-"

// staleTemp is how old a temporary file must be for Prune to take it for
// the leftover of a build that was killed, not one being written.
const staleTemp = time.Hour

// Prune bounds the cache after a whole build: when it holds more than
// twice the entries this build used (plus some slack, so switching between
// two branches keeps both), the entries this build did not use go. Leftover
// temporary files go too. Only names the cache writes are removed.
func (c *Cache) Prune() error {
	shards, err := fs.ReadDir(c.root.FS(), ".")
	if err != nil {
		return err
	}
	type entry struct{ name, key string }
	var all []entry
	now := time.Now()
	for _, s := range shards {
		if !s.IsDir() || !isHex(s.Name()) || len(s.Name()) != 2 {
			continue
		}
		files, err := fs.ReadDir(c.root.FS(), s.Name())
		if err != nil {
			continue
		}
		for _, f := range files {
			name := s.Name() + "/" + f.Name()
			switch {
			case strings.HasPrefix(f.Name(), tempPrefix):
				if fi, err := f.Info(); err == nil && now.Sub(fi.ModTime()) > staleTemp {
					_ = c.root.Remove(name)
				}
			case f.Type().IsRegular() && len(f.Name()) == 62 && isHex(f.Name()):
				all = append(all, entry{name, s.Name() + f.Name()})
			}
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(all) <= 2*len(c.used)+minKept {
		return nil
	}
	var errs []error
	for _, e := range all {
		if !c.used[e.key] {
			if err := c.root.Remove(e.name); err != nil && !errors.Is(err, fs.ErrNotExist) {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

// minKept is the slack Prune allows beyond twice the used entries.
const minKept = 1000

func isHex(s string) bool {
	for _, r := range s {
		if !('0' <= r && r <= '9' || 'a' <= r && r <= 'f') {
			return false
		}
	}
	return s != ""
}

// Close releases the cache's folders.
func (c *Cache) Close() error {
	c.mu.Lock()
	c.closed = true
	c.mu.Unlock()
	c.dirs.Range(func(_, d any) bool {
		d.(*os.File).Close()
		return true
	})
	return c.root.Close()
}
