// Package rendercache keeps, between builds, what each page's output file
// was made from, so that a build whose inputs for a page did not change
// takes the page's file from the last output folder instead of parsing,
// rendering and indexing the page again.
//
// A page's output depends on its own text and included files (the page
// cache's input sum), on what it shows of other pages (their titles,
// anchors, labels and toctrees: one sum over the names it used), on the
// site as a whole (the navigation, the set of pages, the theme, the
// configuration, docsgen itself: the cache file's version) and on the files
// it references still being there. A record holds all of these, the output
// file's size, modification time and SHA-256, and what the search index
// keeps of the page.
//
// Like the page cache, it is one gob file in .docsgen/cache/, read through
// an os.Root without blocking on a FIFO, written whole to a temporary file
// and renamed; any failure means rendering again, never a failed build.
package rendercache

import (
	"crypto/sha256"
	"errors"
	"os"

	"github.com/docsgen/docsgen/internal/cachedir"
	"github.com/docsgen/docsgen/internal/diag"
)

// formatVersion changes with the layout of Record.
const formatVersion = "docsgen-render-2"

// The cache files in cachedir.Dir: the pages' records, and the files the
// site as a whole makes from all its pages (the search index).
const (
	fileName     = "render.gob"
	siteFileName = "render-site.gob"
)

// maxSize bounds the file read: about 8 KB a page, mostly search terms.
const maxSize = 1 << 30

// Sum is a SHA-256.
type Sum = [sha256.Size]byte

// Record is what a build kept of one page's output.
type Record struct {
	// Input is the page cache's sum of the page's text and included files.
	Input Sum
	// Uses are the names of the other pages, labels and terms the output
	// shows something of, and Seen the sum of what they showed.
	Uses []string
	Seen Sum
	// Assets are the files the page references, copied into the site.
	Assets []Asset
	// Out is the output file as written.
	Out File
	// Highlighted are the highlight cache's keys of its code blocks, kept
	// from pruning while the page is taken from build to build.
	Highlighted []string
	// Search is what the search index keeps of the page, as
	// search.Page.MarshalBinary encodes it (nil without an index).
	Search []byte
}

// Asset is a referenced file and where the page references it.
type Asset struct {
	Abs string
	At  diag.Pos
}

// File identifies an output file's bytes: its size and modification time
// say quickly that it is the file written, its SHA-256 says it surely.
type File struct {
	Size, ModTime int64
	Sum           Sum
}

// Cache is one build's view of the cache file.
type Cache struct {
	root  *os.Root
	store *cachedir.Store[Record] // by the page's path below the source root
	site  *cachedir.Store[File]   // by output path
}

// Open reads the render cache of the project at dir for version: what
// every page's output depends on besides its own records (docsgen's
// binary, the configuration, the theme, the navigation and the set of
// pages); without an output folder to take pages from, it starts empty.
// It returns nil when version is "" or the cache folder cannot be made.
func Open(dir, version string, output bool) *Cache {
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
	version = formatVersion + "\x00" + version
	if !output {
		// Nothing to take pages from: the records would only weigh.
		return &Cache{root: root, store: cachedir.NewStore[Record](root, fileName, version),
			site: cachedir.NewStore[File](root, siteFileName, version)}
	}
	return &Cache{root: root, store: cachedir.OpenStore[Record](root, fileName, version, maxSize),
		site: cachedir.OpenStore[File](root, siteFileName, version, maxSize)}
}

// Get is the record the last build kept for the page at rel, asked for
// once; the caller checks it against the page as it is now, and Puts it
// again to keep it. Safe for concurrent use.
func (c *Cache) Get(rel string) (Record, bool) { return c.store.Take(rel) }

// Put keeps r as the record of the page at rel; reused says it is the one
// Get returned. Safe for concurrent use.
func (c *Cache) Put(rel string, r Record, reused bool) { c.store.Keep(rel, r, !reused) }

// SiteFiles are the site-wide files the last build wrote, by output path:
// the same again when every page is. Safe for concurrent use.
func (c *Cache) SiteFiles() map[string]File { return c.site.All() }

// PutSiteFiles keeps the site-wide files this build wrote; reused says they
// are the ones SiteFiles returned.
func (c *Cache) PutSiteFiles(files map[string]File, reused bool) {
	for name, f := range files {
		c.site.Keep(name, f, !reused)
	}
}

// Save writes the records kept by this build, of its pages and files only.
func (c *Cache) Save() error { return errors.Join(c.store.Save(), c.site.Save()) }

// Close releases the cache's folder.
func (c *Cache) Close() { c.root.Close() }
