package build

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/docsgen/docsgen/internal/config"
	"github.com/docsgen/docsgen/internal/hlcache"
	"github.com/docsgen/docsgen/internal/pagecache"
	"github.com/docsgen/docsgen/internal/render"
	"github.com/docsgen/docsgen/internal/rendercache"
	"github.com/docsgen/docsgen/internal/safefile"
	"github.com/docsgen/docsgen/internal/search"
	"github.com/docsgen/docsgen/internal/site"
)

// reuse takes pages' output files from the last build when nothing they
// were made from changed (see package rendercache), and records what every
// page rendered now was made from.
type reuse struct {
	cache  *rendercache.Cache
	hl     *hlcache.Cache // nil without one
	out    *folderSink
	inputs map[string]pagecache.Sum // by page path below the source root
	seen   *visibility
	taken  atomic.Int64
}

// openReuse opens the render cache of a build writing to out, given the
// inputs the page cache saw: nil when the build keeps no caches or writes
// no folder. The cache file's version is everything all pages' outputs
// depend on. A live session, which writes no folder, reads the last
// build's output folder (out a *folderSink of it, never written).
func openReuse(cfg *config.Config, binary string, theme *render.Theme, st *site.Site, out sink, inputs map[string]pagecache.Sum, hl *hlcache.Cache) *reuse {
	folder, ok := out.(*folderSink)
	if !ok || binary == "" || inputs == nil {
		return nil
	}
	settings, err := json.Marshal(cfg)
	if err != nil {
		return nil
	}
	h := sha256.New()
	for _, part := range []string{binary, string(settings), cfg.SourceDir(), cfg.Dir, cfg.WorkDir, theme.Templates, navSignature(st)} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	// The set of pages: globbed toctrees and links by name depend on it.
	for _, p := range st.Pages {
		h.Write([]byte(p.Src.Rel))
		h.Write([]byte{0})
	}
	c := rendercache.Open(cfg.Dir, hex.EncodeToString(h.Sum(nil)), writtenByDocsgen(folder.outDir))
	if c == nil {
		return nil
	}
	return &reuse{cache: c, hl: hl, out: folder, inputs: inputs, seen: newVisibility(st)}
}

// take puts the page's last output in place when its record still holds,
// replaying what rendering it would have told the site (the files it
// references), and returns what the search index keeps of it (checked,
// when needSearch); ok is false when the page must be rendered.
func (r *reuse) take(st *site.Site, p *site.Page, needSearch bool) (sp search.Encoded, ok bool) {
	rec, ok := r.holds(p)
	if !ok {
		return sp, false
	}
	if needSearch {
		var err error
		if sp, err = search.CheckEncoded(rec.Search); err != nil {
			return sp, false
		}
	}
	if !r.out.reuse(p.Out, rec.Out) {
		return sp, false
	}
	r.replay(st, p, rec)
	return sp, true
}

// read is take for a live session, which holds its outputs: the last
// output's bytes, and what the search index keeps of the page, decoded.
func (r *reuse) read(st *site.Site, p *site.Page) (data []byte, sp *search.Page, ok bool) {
	rec, ok := r.holds(p)
	if !ok || !r.out.unchanged(p.Out, rec.Out) {
		return nil, nil, false
	}
	sp = &search.Page{}
	if err := sp.UnmarshalBinary(rec.Search); err != nil {
		return nil, nil, false
	}
	data, err := safefile.Read(filepath.Join(r.out.outDir, filepath.FromSlash(p.Out)))
	if err != nil || int64(len(data)) != rec.Out.Size || sha256.Sum256(data) != rec.Out.Sum {
		return nil, nil, false
	}
	r.replay(st, p, rec)
	return data, sp, true
}

// holds returns the page's record when it still describes the page: the
// same input, the same things shown of other pages, and every file it
// references still there.
func (r *reuse) holds(p *site.Page) (rendercache.Record, bool) {
	rec, ok := r.cache.Get(p.Src.Rel)
	if !ok {
		return rec, false
	}
	if input, ok := r.inputs[p.Src.Rel]; !ok || input != rec.Input || r.seen.sum(rec.Uses) != rec.Seen {
		return rec, false
	}
	for _, a := range rec.Assets {
		// Rendering would find a file gone and report the reference.
		if fi, err := os.Stat(a.Abs); err != nil || !fi.Mode().IsRegular() {
			return rec, false
		}
	}
	return rec, true
}

// replay tells the site and the page what rendering the page would have.
func (r *reuse) replay(st *site.Site, p *site.Page, rec rendercache.Record) {
	p.Uses, p.Unresolved, p.Assets, p.AssetsAt = map[string]bool{}, false, nil, nil
	for _, name := range rec.Uses {
		p.Uses[name] = true
	}
	for _, a := range rec.Assets {
		st.AddAsset(a.Abs, a.At)
		p.Assets, p.AssetsAt = append(p.Assets, a.Abs), append(p.AssetsAt, a.At)
	}
	if r.hl != nil {
		r.hl.MarkUsed(rec.Highlighted...)
	}
	r.cache.Put(p.Src.Rel, rec, true)
	r.taken.Add(1)
}

// keep records a page just rendered, when its output can be reused: a page
// with diagnostics or an unresolved reference renders every time, so its
// messages are always current.
func (r *reuse) keep(p *site.Page, file rendercache.File, sp *search.Page, highlighted []string, clean bool) {
	input, ok := r.inputs[p.Src.Rel]
	if !ok || !clean || p.Unresolved {
		return
	}
	var encoded []byte
	if sp != nil {
		encoded, _ = sp.MarshalBinary()
	}
	uses := slices.Sorted(maps.Keys(p.Uses))
	assets := make([]rendercache.Asset, len(p.Assets))
	for i, abs := range p.Assets {
		assets[i] = rendercache.Asset{Abs: abs, At: p.AssetsAt[i]}
	}
	r.cache.Put(p.Src.Rel, rendercache.Record{Input: input, Uses: uses, Seen: r.seen.sum(uses), Assets: assets, Out: file, Highlighted: highlighted, Search: encoded}, false)
}

// reused is how many pages take took from the last build.
func (r *reuse) reused() int { return int(r.taken.Load()) }

func (r *reuse) close(save bool) {
	if save {
		_ = r.cache.Save()
	}
	r.cache.Close()
}

// visibility is what each page, label and term shows other pages this
// build: a page's name, title and public signature; a label's or term's,
// the pages defining it.
type visibility struct {
	pages   map[string]pagecache.Sum
	defined map[string][]string // "label:x" or "term:x" → names of the pages defining it
}

func newVisibility(st *site.Site) *visibility {
	v := &visibility{pages: make(map[string]pagecache.Sum, len(st.Pages)), defined: map[string][]string{}}
	sums := make([]pagecache.Sum, len(st.Pages))
	_ = parallel(context.Background(), len(st.Pages), func(i int) error {
		p := st.Pages[i]
		sums[i] = sha256.Sum256([]byte(p.Name + "\x00" + p.Title + "\x00" + publicSignature(p.Doc)))
		return nil
	})
	for i, p := range st.Pages {
		v.pages[p.Name] = sums[i]
		for _, l := range p.Doc.Labels {
			v.defined["label:"+l.Name] = append(v.defined["label:"+l.Name], p.Name)
		}
		for _, l := range p.Doc.Terms {
			v.defined["term:"+l.Name] = append(v.defined["term:"+l.Name], p.Name)
		}
	}
	return v
}

// sum is what the names show now, in one sum.
func (v *visibility) sum(names []string) pagecache.Sum {
	h := sha256.New()
	for _, name := range names {
		h.Write([]byte(name))
		h.Write([]byte{0})
		pages := []string{name}
		if strings.HasPrefix(name, "label:") || strings.HasPrefix(name, "term:") {
			pages = v.defined[name]
			h.Write(binary.AppendUvarint(nil, uint64(len(pages))))
		}
		for _, p := range pages {
			if s, ok := v.pages[p]; ok {
				h.Write(s[:])
			} else {
				h.Write([]byte("absent\x00"))
			}
		}
	}
	return pagecache.Sum(h.Sum(nil))
}

// takeSiteFiles puts every site-wide file the last build wrote into the new
// output, all or none, for a build that took every page from the last one:
// the same pages make the same files. It says whether it did.
func (r *reuse) takeSiteFiles() bool {
	files := r.cache.SiteFiles()
	if len(files) == 0 {
		return false
	}
	names := slices.Sorted(maps.Keys(files))
	unchanged := make([]bool, len(names))
	_ = parallel(context.Background(), len(names), func(i int) error {
		unchanged[i] = r.out.unchanged(names[i], files[names[i]])
		return nil
	})
	if slices.Contains(unchanged, false) {
		return false
	}
	linked := make([]bool, len(names))
	if byDirectory(context.Background(), names, func(i int) error {
		err := r.out.link(names[i])
		linked[i] = err == nil
		return err
	}) != nil {
		for i, name := range names {
			if linked[i] {
				r.out.unlink(name)
			}
		}
		return false
	}
	r.cache.PutSiteFiles(files, true)
	return true
}

// siteFileEmitter writes site-wide files like emit and records them. A
// file whose bytes are the ones the last build recorded is linked from its
// output without reading it (most of the index, after an edit of one page).
func (r *reuse) siteFileEmitter() (emit emitFunc, done func()) {
	var mu sync.Mutex
	files := map[string]rendercache.File{}
	last := r.cache.SiteFiles()
	emit = func(rel string, data []byte) error {
		f, err := rendercache.File{}, error(nil)
		if old, ok := last[rel]; ok && old.Size == int64(len(data)) && old.Sum == sha256.Sum256(data) && r.out.unchanged(rel, old) && r.out.link(rel) == nil {
			f = old
		} else {
			f, err = r.out.emitFile(rel, data)
		}
		if err == nil {
			mu.Lock()
			files[rel] = f
			mu.Unlock()
		}
		return err
	}
	return emit, func() { r.cache.PutSiteFiles(files, false) }
}
