package build

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/docsgen/docsgen/internal/config"
	"github.com/docsgen/docsgen/internal/content"
	"github.com/docsgen/docsgen/internal/diag"
	"github.com/docsgen/docsgen/internal/directives"
	"github.com/docsgen/docsgen/internal/hlcache"
	"github.com/docsgen/docsgen/internal/markdown"
	"github.com/docsgen/docsgen/internal/pagecache"
	"github.com/docsgen/docsgen/internal/render"
	"github.com/docsgen/docsgen/internal/safefile"
	"github.com/docsgen/docsgen/internal/search"
	"github.com/docsgen/docsgen/internal/site"
)

// Session is a site kept built in memory and rebuilt incrementally: a
// change re-renders only the pages whose inputs changed, and the pages whose
// navigation, titles or references depend on those. It is what `serve`
// runs. Outputs are swapped whole, so a reader never sees half a build, and
// a build with errors leaves the last good outputs in place.
//
// Two owners: Apply (one call at a time, serialized by applying) owns the
// build state; readers on any goroutine see only the committed snapshot,
// which Apply replaces whole.
type Session struct {
	applying sync.Mutex

	// Build state, owned by Apply.
	cfg     *config.Config
	theme   *render.Theme
	pipe    *markdown.Pipeline
	files   *directives.Files
	srcDir  string
	display string
	pages   map[string]*pageState // by source path relative to the source root
	site    *site.Site
	navSig  string
	dirty   map[string]bool // changes not yet built successfully
	// keepTrees: see defaultKeepTrees.
	keepTrees int
	stale     bool // the config or theme changed and is not loaded yet
	stems     *search.Stemmer
	opts      SessionOptions
	hl        *hlcache.Cache // the pipeline's highlight cache; nil for none

	committed atomic.Pointer[snapshot]
}

// snapshot is what a session serves: never changed once published.
type snapshot struct {
	build   int
	out     map[string][]byte // output path → bytes
	assets  map[string]string // output path → source file
	diags   []diag.Diagnostic
	theme   *render.Theme
	cfg     *config.Config
	pageOut map[string]string // page source file (as displayed) → output path
	deps    map[string]bool   // files pages read from outside the source folder
	search  *lazySearch
}

// publish replaces the committed snapshot with a copy of cur changed by edit.
func (s *Session) publish(edit func(*snapshot)) *snapshot {
	next := &snapshot{}
	if cur := s.committed.Load(); cur != nil {
		*next = *cur
	}
	edit(next)
	s.committed.Store(next)
	return next
}

func (s *Session) snap() *snapshot { return s.committed.Load() }

// pageState is what a session keeps of a page between builds.
type pageState struct {
	src        *content.Source
	doc        *markdown.Doc // collected data; the tree is released
	deps       []string
	outside    []string // deps outside the source folder: watched one by one
	parseDiags []diag.Diagnostic
	diags      []diag.Diagnostic // parse and resolve diagnostics
	uses       map[string]bool
	broken     bool
	assets     []string
	search     *search.Page // what the search index keeps of it, made as it renders
}

// Update is the result of one (re)build.
type Update struct {
	Build int
	// Changed lists the output paths whose bytes changed.
	Changed []string
	// Rendered is the number of pages rendered.
	Rendered int
	Diags    []diag.Diagnostic
	// Failed means errors: the previous outputs stay in place (the first
	// build is served anyway, errors marked).
	Failed bool
	// Pages are the source files (display paths) rebuilt because they changed.
	Pages []string
	// Cached is how many pages the first build indexed from the page cache
	// instead of parsing them; Reused, how many it took from the last
	// build's output instead of rendering them (not in Rendered).
	Cached, Reused int
}

// SessionOptions configure a live session.
type SessionOptions struct {
	// NoCache neither reads nor writes the persistent caches: highlighted
	// code, and the pages' summaries (read by the first build only).
	NoCache bool
	// chromaVersion and binaryVersion stand in for chroma's version and
	// docsgen's in tests (see Options).
	chromaVersion, binaryVersion string
}

// NewSession builds the whole site in memory. Close releases it.
func NewSession(ctx context.Context, cfg *config.Config, opts SessionOptions) (*Session, *Update, error) {
	return newSession(ctx, cfg, defaultKeepTrees, opts)
}

// newSession is NewSession keeping the trees of at most keepTrees changed
// pages per rebuild (tests set 0 to prerender every changed page).
func newSession(ctx context.Context, cfg *config.Config, keepTrees int, opts SessionOptions) (*Session, *Update, error) {
	theme, err := render.LoadTheme(ThemeDir(cfg))
	if err != nil {
		return nil, nil, err
	}
	s := &Session{cfg: cfg, theme: theme, srcDir: cfg.SourceDir(), pages: map[string]*pageState{},
		dirty: map[string]bool{}, keepTrees: keepTrees, opts: opts, stems: &search.Stemmer{}}
	s.publish(func(n *snapshot) {
		n.out, n.assets, n.theme, n.cfg = map[string][]byte{}, map[string]string{}, theme, cfg
	})
	if fi, err := os.Stat(s.srcDir); err != nil || !fi.IsDir() {
		return nil, nil, fmt.Errorf("source folder %s not found; create it or pass --source", s.srcDir)
	}
	s.display = cfg.Display(s.srcDir)
	if !opts.NoCache {
		// The cache builds keep: a preview starts with the last build's
		// code highlighted (lexing was a sixth of a large site's start),
		// and what it highlights is there for the next build. It never
		// prunes: only a whole build knows every block in use.
		if c, err := hlcache.Open(cfg.Dir, cmp.Or(opts.chromaVersion, hlcache.ChromaVersion())); err == nil && c != nil {
			s.hl = c
		}
	}
	pipeOpts, files := pipelineOptions(cfg, true, false, s.hl)
	s.pipe, s.files = markdown.New(pipeOpts), files
	names, err := content.Walk(s.srcDir)
	if err != nil {
		s.Close()
		return nil, nil, err
	}
	for _, n := range names {
		s.dirty[filepath.Join(s.srcDir, filepath.FromSlash(n))] = true
	}
	u, err := s.rebuild(ctx, true)
	if err != nil {
		s.Close()
	}
	return s, u, err
}

// Close releases the session's highlight cache: it goes on serving, and
// rebuilds highlight without the cache.
func (s *Session) Close() {
	s.applying.Lock()
	defer s.applying.Unlock()
	if s.hl != nil {
		s.hl.Close()
		s.hl = nil
	}
}

// Output returns the current bytes of an output path ("deployment.html").
func (s *Session) Output(rel string) ([]byte, bool) {
	n := s.snap()
	if isSearchFile(rel) {
		b, ok := n.search.get()[rel]
		return b, ok
	}
	b, ok := n.out[rel]
	return b, ok
}

// Asset returns the source file served at an output path, if the site
// references it.
func (s *Session) Asset(rel string) (string, bool) {
	p, ok := s.snap().assets[rel]
	return p, ok
}

// Outputs returns a copy of every output (for tests).
func (s *Session) Outputs() map[string][]byte {
	n := s.snap()
	return withSearch(n.out, n.search)
}

// Diagnostics returns the last build's diagnostics.
func (s *Session) Diagnostics() []diag.Diagnostic {
	return s.snap().diags
}

// Theme is the session's theme (its static files are served as they are).
func (s *Session) Theme() *render.Theme { return s.snap().theme }

// Watched returns what a watcher must watch: the source folder and every
// file a page read from outside it.
func (s *Session) Watched() (dirs []string, files []string) {
	n := s.snap()
	return []string{n.cfg.SourceDir()}, slices.Sorted(maps.Keys(n.deps))
}

// PathKind is what a file is to a session.
type PathKind int

const (
	Unrelated   PathKind = iota
	Source               // below the content folder: a page or a file pages use
	Dependency           // a file a page read from outside the content folder
	ConfigFile           // docsgen.yaml: everything is loaded again
	ThemeFile            // a template: everything is loaded again
	ThemeStatic          // a theme's static file, served as it is on disk
)

// Classify says what path is to the committed build. It is the one place
// that decides, for the watcher and for Apply; safe on any goroutine.
func (s *Session) Classify(path string) PathKind {
	n := s.snap()
	abs, err := filepath.Abs(path)
	if err != nil {
		return Unrelated
	}
	if td := ThemeDir(n.cfg); td != "" {
		if safefile.Within(filepath.Join(td, "static"), abs) {
			return ThemeStatic
		}
		if safefile.Within(td, abs) {
			return ThemeFile
		}
	}
	if n.cfg.File != "" {
		if cf, _ := filepath.Abs(n.cfg.File); cf == abs {
			return ConfigFile
		}
	}
	switch {
	case safefile.Within(n.cfg.SourceDir(), abs):
		return Source
	case n.deps[abs]:
		return Dependency
	}
	return Unrelated
}

// Apply rebuilds after changes to the given files (absolute paths).
func (s *Session) Apply(ctx context.Context, changed []string) (*Update, error) {
	s.applying.Lock()
	defer s.applying.Unlock()
	full := false
	var static []string
	for _, c := range changed {
		abs, err := filepath.Abs(c)
		if err != nil {
			continue
		}
		switch s.Classify(abs) {
		case Unrelated:
			continue
		case ThemeStatic:
			// Served as it is on disk: nothing to build, the browser only
			// needs to know.
			rel, _ := filepath.Rel(filepath.Join(ThemeDir(s.cfg), "static"), abs)
			static = append(static, "_static/"+filepath.ToSlash(rel))
			continue
		case ConfigFile, ThemeFile:
			s.stale = true
		}
		s.dirty[abs] = true
	}
	// A reload that failed (a config saved half way, say) is tried again.
	full = s.stale
	var u *Update
	var err error
	switch {
	case full:
		u, err = s.reload(ctx)
	case len(s.dirty) == 0:
		cur := s.snap()
		u = &Update{Build: cur.build, Diags: cur.diags}
	default:
		s.files.Forget(slices.Collect(maps.Keys(s.dirty))...)
		u, err = s.rebuild(ctx, false)
	}
	if err != nil {
		return nil, err
	}
	if len(static) > 0 {
		if !u.Failed && len(s.dirty) == 0 && u.Build == s.snap().build && len(u.Changed) == 0 && !full {
			// Only static files changed: a new build number tells tabs to look.
			u.Build = s.publish(func(n *snapshot) { n.build++ }).build
		}
		u.Changed = append(u.Changed, static...)
		slices.Sort(u.Changed)
		u.Changed = slices.Compact(u.Changed)
	}
	return u, nil
}

// reload starts afresh after the configuration or the theme changed, and
// reports every output that differs from the old ones.
func (s *Session) reload(ctx context.Context) (*Update, error) {
	cfg, err := s.cfg.Reload() // the command line's --source still wins
	if err != nil {
		return nil, err
	}
	ns, u, err := newSession(ctx, cfg, s.keepTrees, s.opts)
	if err != nil {
		return nil, err
	}
	s.stale = false
	if s.hl != nil {
		s.hl.Close() // the new pipeline has its own
	}
	s.hl = ns.hl
	// The new session's state becomes ours field by field: readers hold
	// snapshots, never the struct.
	s.cfg, s.theme, s.pipe, s.files, s.srcDir, s.display = ns.cfg, ns.theme, ns.pipe, ns.files, ns.srcDir, ns.display
	s.pages, s.site, s.navSig, s.dirty = ns.pages, ns.site, ns.navSig, ns.dirty
	old, fresh := s.snap(), ns.snap()
	next := s.publish(func(n *snapshot) {
		build := n.build
		*n = *fresh
		n.build = build + 1
	})
	u.Build = next.build
	u.Changed = diffOutputs(old.out, next.out)
	return u, nil
}

func diffOutputs(old, cur map[string][]byte) []string {
	var changed []string
	for k, v := range cur {
		if o, ok := old[k]; !ok || !bytes.Equal(o, v) {
			changed = append(changed, k)
		}
	}
	for k := range old {
		if _, ok := cur[k]; !ok {
			changed = append(changed, k)
		}
	}
	slices.Sort(changed)
	return changed
}

// rebuild brings the session up to date with its dirty files, in named
// phases over one pass value: what changed, parse it, index the site, plan
// what to render, render, gather diagnostics, then commit (or roll back).
func (s *Session) rebuild(ctx context.Context, first bool) (*Update, error) {
	p := &pass{s: s, first: first}
	p.classify()
	if first && !s.opts.NoCache {
		// The first build indexes the unchanged pages from the summaries a
		// build keeps, as a warm build does; later ones parse what changed.
		p.pc = openPageCache(s.cfg, false, cmp.Or(s.opts.binaryVersion, pagecache.BinaryVersion()))
		if p.pc != nil {
			p.pc.SetReader(s.files.Read)
			defer func() {
				if p.pc != nil {
					p.pc.Close()
				}
			}()
		}
	}
	defer func() { p.spill.close() }()
	if err := p.parseChanged(ctx); err != nil {
		return nil, err
	}
	if p.pc != nil {
		// Only an optimisation: the next run parses again.
		_ = p.pc.Save()
	}
	p.index()
	if err := p.plan(ctx); err != nil {
		return nil, err
	}
	if p.pc != nil {
		// The first build takes the pages the last build's output still
		// holds, as a warm build does, reading them (a session writes no
		// folder); its records are only read.
		if out, err := prepareOutDir(s.cfg); err == nil {
			p.ru = openReuse(s.cfg, cmp.Or(s.opts.binaryVersion, pagecache.BinaryVersion()), s.theme, p.st,
				&folderSink{outDir: out}, p.pc.Inputs(), s.hl)
		}
		if p.ru != nil {
			defer p.ru.close(false)
		}
	}
	rels, outputs, err := p.renderPlanned(ctx)
	if err != nil {
		return nil, err
	}
	diags, siteWide := p.diagnostics()
	u := &Update{Diags: diags, Rendered: len(rels)}
	if p.ru != nil {
		u.Reused = p.ru.reused()
		u.Rendered -= u.Reused
	}
	if p.pc != nil {
		u.Cached = p.pc.Hits()
	}
	for rel := range p.reparse {
		u.Pages = append(u.Pages, p.pages[rel].src.File)
	}
	slices.Sort(u.Pages)
	// An error of the site as a whole (no root page, colliding outputs)
	// keeps the last good build. An error within a page does not: the page
	// is served as it now stands, the failing directive marked in place, so
	// the writer's other edits show. The first build has no last good
	// output to keep: it is served with its errors marked.
	if siteWide && !first {
		p.rollback()
		u.Failed = true
		u.Build = s.publish(func(n *snapshot) { n.diags = diags }).build
		return u, nil
	}
	return u, p.commit(u, rels, outputs)
}

// pass is one rebuild's working state; nothing in it is visible to
// readers until commit.
type pass struct {
	s     *Session
	first bool
	pc    *pagecache.Cache // the first build's page cache; nil for none
	ru    *reuse           // the first build's render cache, read only; nil for none

	// classify
	reparse, deleted map[string]bool // by source path relative to the source root
	membership       bool            // pages came or went
	changedAssets    []string        // outputs whose source file changed

	// parseChanged, index, plan
	pages   map[string]*pageState
	trees   map[string]*markdown.Doc
	held    map[string]heldBody // the pages prerendered, to finish
	spill   *bodySpill          // where their bodies wait; closed by rebuild
	st      *site.Site
	navSig  string
	byRel   map[string]*site.Page
	swapped map[*site.Page]*site.Page // page → its previous data, to roll back
	render  map[string]bool
	all     bool // everything renders: the navigation or the page set changed
}

// classify sorts the dirty files into edited or created pages, deleted
// pages, pages that read a changed file, and changed referenced files.
func (p *pass) classify() {
	s := p.s
	p.reparse, p.deleted, p.membership = map[string]bool{}, map[string]bool{}, p.first
	assets := s.snap().assets
	dirty := maps.Clone(s.dirty)
	for abs := range s.dirty {
		// A folder moved or deleted sends one event for itself, none for
		// the pages it held.
		if fi, err := os.Lstat(abs); err != nil || fi.IsDir() {
			for rel := range s.pages {
				if page := filepath.Join(s.srcDir, filepath.FromSlash(rel)); safefile.Within(abs, page) {
					dirty[page] = true
				}
			}
		}
	}
	for abs := range dirty {
		if safefile.Within(s.srcDir, abs) && strings.HasSuffix(abs, ".md") {
			rel, _ := filepath.Rel(s.srcDir, abs)
			rel = filepath.ToSlash(rel)
			if hidden(rel) {
				continue
			}
			if _, err := os.Lstat(abs); err == nil {
				if _, known := s.pages[rel]; !known {
					p.membership = true
				}
				p.reparse[rel] = true
			} else if _, known := s.pages[rel]; known {
				p.deleted[rel] = true
				p.membership = true
			}
		}
		for rel, ps := range s.pages {
			if slices.Contains(ps.deps, abs) {
				p.reparse[rel] = true
			}
		}
		for out, src := range assets {
			if src == abs {
				p.changedAssets = append(p.changedAssets, out)
			}
		}
	}
}

// parseChanged parses the changed pages into a new page set: fresh values
// for every changed page, so a failed build leaves the committed ones as
// they were.
func (p *pass) parseChanged(ctx context.Context) error {
	s := p.s
	p.pages, p.trees = map[string]*pageState{}, map[string]*markdown.Doc{}
	for rel, ps := range s.pages {
		if !p.deleted[rel] && !p.reparse[rel] {
			p.pages[rel] = ps
		}
	}
	reparsed := slices.Sorted(maps.Keys(p.reparse))
	// A few edited pages keep their trees for rendering; many (the first
	// build, a checkout) drop each as soon as it is indexed, prerendered
	// (see markdown.Prerender) into a temporary file, so the preview never
	// holds every tree, nor every body twice, at once.
	keep := len(reparsed) <= s.keepTrees
	if keep && p.pc != nil {
		// Trees to render are parsed in full: the page cache has none.
		p.pc.Close()
		p.pc = nil
	}
	if !keep {
		p.spill = newBodySpill()
	}
	states, held, err := s.parse(ctx, reparsed, !keep, p.pc, p.spill)
	if err != nil {
		return err
	}
	p.held = map[string]heldBody{}
	for i, rel := range reparsed {
		p.pages[rel] = states[i]
		if keep {
			p.trees[rel] = states[i].doc
		}
		if held[i].pre != nil {
			p.held[rel] = held[i]
		}
	}
	return nil
}

// defaultKeepTrees is how many changed pages a rebuild keeps the trees of
// to render them; past it, they are prerendered as they are indexed (see
// markdown.Prerender) and their trees dropped, as a build's are.
const defaultKeepTrees = 64

// index builds the site model. When no page came or went and no changed
// page shows anything new to other pages, the committed index stays: only
// the changed pages' data is swapped in (rolled back if this build fails).
// Else a new index.
func (p *pass) index() {
	s := p.s
	samePublic := !p.membership && s.site != nil
	for rel := range p.reparse {
		old, ok := s.pages[rel]
		if !ok || publicSignature(old.doc) != publicSignature(p.pages[rel].doc) ||
			old.src.Title() != p.pages[rel].src.Title() || old.src.Orphan() != p.pages[rel].src.Orphan() {
			samePublic = false
		}
	}
	p.byRel, p.swapped = map[string]*site.Page{}, map[*site.Page]*site.Page{}
	if samePublic {
		p.st, p.navSig = s.site, s.navSig
		for rel := range p.pages {
			pg, _ := p.st.Page(site.Name(rel))
			p.byRel[rel] = pg
		}
		for rel := range p.reparse {
			pg := p.byRel[rel]
			prev := *pg
			p.swapped[pg] = &prev
			pg.Src, pg.Doc = p.pages[rel].src, p.pages[rel].doc
		}
		return
	}
	list := make([]*site.Page, 0, len(p.pages))
	for _, rel := range slices.Sorted(maps.Keys(p.pages)) {
		ps := p.pages[rel]
		pg := &site.Page{Src: ps.src, Name: site.Name(rel), Title: ps.src.Title(), Doc: ps.doc}
		list = append(list, pg)
		p.byRel[rel] = pg
	}
	p.st = site.New(s.cfg.Title, list, s.cfg.Root, s.files)
	addChrome(s.cfg, s.files, p.st)
	p.navSig = navSignature(p.st)
}

// plan decides what to render: everything when the navigation or the page
// set changed; else the changed pages, the pages using what changed in
// them, and the pages with unresolved references (a change may have fixed
// them). Unchanged pages to render again are parsed again for their trees.
func (p *pass) plan(ctx context.Context) error {
	s := p.s
	p.render = map[string]bool{}
	p.all = p.first || p.membership || p.navSig != s.navSig
	// A page's users render again only if what they can see of it (title,
	// anchors, labels, terms) changed.
	changedNames := map[string]bool{}
	mark := func(rel string, docs ...*markdown.Doc) {
		for _, d := range docs {
			if d == nil {
				continue
			}
			for _, l := range d.Labels {
				changedNames["label:"+l.Name] = true
			}
			for _, l := range d.Terms {
				changedNames["term:"+l.Name] = true
			}
		}
		changedNames[site.Name(rel)] = true
	}
	for rel := range p.reparse {
		var old *markdown.Doc
		if ps, ok := s.pages[rel]; ok {
			old = ps.doc
		}
		if old == nil || publicSignature(old) != publicSignature(p.pages[rel].doc) {
			mark(rel, old, p.pages[rel].doc)
		}
	}
	for rel := range p.deleted {
		mark(rel, s.pages[rel].doc)
	}
	for rel, ps := range p.pages {
		if p.all || p.reparse[rel] || ps.broken {
			p.render[rel] = true
			continue
		}
		for name := range ps.uses {
			if changedNames[name] {
				p.render[rel] = true
				break
			}
		}
	}
	for rel := range p.render {
		if p.trees[rel] == nil && !p.reparse[rel] {
			// Rendered again from the same source: parsed again as it
			// renders. The state is copied, as the committed one must not
			// change if this build fails.
			ps := *p.pages[rel]
			p.pages[rel] = &ps
		}
	}
	for rel, pg := range p.byRel {
		pg.Doc = p.pages[rel].doc
	}
	return nil
}

// renderPlanned resolves and renders the planned pages, in parallel, and
// drops their trees.
func (p *pass) renderPlanned(ctx context.Context) (rels []string, outputs [][]byte, err error) {
	rels = slices.Sorted(maps.Keys(p.render))
	outputs = make([][]byte, len(rels))
	renderer := p.s.theme.NewRenderer(p.st)
	trees := make([]*markdown.Doc, len(rels))
	if err := parallel(ctx, len(rels), func(i int) error {
		rel := rels[i]
		pg, ps, tree := p.byRel[rel], p.pages[rel], p.trees[rel]
		if p.ru != nil && tree == nil {
			if data, sp, ok := p.ru.read(p.st, pg); ok {
				// Records are kept only of pages without diagnostics.
				outputs[i], ps.search, trees[i] = data, sp, ps.doc
				ps.diags = slices.Clone(ps.parseDiags)
				ps.uses, ps.broken, ps.assets = pg.Uses, pg.Unresolved, pg.Assets
				return nil
			}
		}
		// A toctree's problems go to the page's indexed data (pg.Doc),
		// which is not the tree when the page was parsed again.
		indexedDiags := pg.Doc.Diags.Len()
		var body []byte
		if tree == nil {
			if pre := p.spill.take(p.held[rel], nil); pre != nil {
				if b, ok := p.st.FinishPrerendered(pg, pre, nil); ok {
					// Every reference resolved: only a toctree's problems.
					body, trees[i] = b, ps.doc
					ps.diags = append(slices.Clone(ps.parseDiags), pg.Doc.Diags.From(indexedDiags)...)
					ps.uses, ps.broken, ps.assets = pg.Uses, pg.Unresolved, pg.Assets
				}
			}
		}
		if body == nil {
			if tree == nil {
				fresh, _, err := p.s.parse(ctx, []string{rel}, false, nil, nil)
				if err != nil {
					return err
				}
				tree = fresh[0].doc
			}
			trees[i] = tree
			n := tree.Diags.Len()
			p.st.ResolveTree(pg, tree)
			ps.diags = append(slices.Clone(ps.parseDiags), tree.Diags.From(n)...)
			if pg.Doc != tree {
				ps.diags = append(ps.diags, pg.Doc.Diags.From(indexedDiags)...)
			}
			ps.uses, ps.broken, ps.assets = pg.Uses, pg.Unresolved, pg.Assets
			var err error
			if body, err = p.s.pipe.Render(tree); err != nil {
				return fmt.Errorf("%s: %w", ps.src.File, err)
			}
		}
		// The page's copies are in ps.diags; its indexed data keeps only
		// what parsing found (each render would add a toctree's problems
		// to it again).
		pg.Doc.Diags.Truncate(indexedDiags)
		if p.st.Search {
			ps.search = searchPage(p.s.stems, pg, body)
		}
		page, err := renderer.Page(pg, body)
		// Exactly sized: a rendering buffer's spare capacity, kept for
		// every page of a large site, would add to what the preview holds.
		outputs[i] = bytes.Clone(page)
		if tree != nil {
			tree.Release() // rendered: only its collected data stays
		}
		return err
	}); err != nil {
		return nil, nil, err
	}
	for i, rel := range rels {
		p.pages[rel].doc = trees[i]
		p.trees[rel] = trees[i]
	}
	return rels, outputs, nil
}

// diagnostics are the whole site's as it now stands, output collisions
// included.
// siteWide says one of them is an error of the site as a whole.
func (p *pass) diagnostics() (diags []diag.Diagnostic, siteWide bool) {
	var all diag.List
	for _, rel := range slices.Sorted(maps.Keys(p.pages)) {
		all.AddAll(p.pages[rel].diags)
	}
	siteWide = p.st.Diags.ErrorCount() > 0
	all.Merge(&p.st.Diags)
	var live []string
	for _, ps := range p.pages {
		for _, abs := range ps.assets {
			p.st.AddAsset(abs, diag.Pos{File: ps.src.File})
			live = append(live, abs)
		}
	}
	p.st.KeepAssets(live)
	clashes := p.st.Collisions(reservedOutputs(p.s.theme, p.st.Search))
	siteWide = siteWide || len(clashes) > 0
	all.AddAll(clashes)
	return all.Sorted(), siteWide
}

// rollback restores the committed pages' data a failed build swapped out.
func (p *pass) rollback() {
	for pg, prev := range p.swapped {
		*pg = *prev
	}
}

// commit makes the pass the session's state and publishes its outputs.
func (p *pass) commit(u *Update, rels []string, outputs [][]byte) error {
	s := p.s
	oldOut := s.snap().out
	out := maps.Clone(oldOut)
	for rel := range p.deleted {
		delete(out, site.Name(rel)+".html")
	}
	for i, rel := range rels {
		out[p.byRel[rel].Out] = outputs[i]
	}
	if p.all {
		// The sitemap and the 404 page depend on the page set and the site title only.
		a := &indexed{Site: p.st, Pipeline: s.pipe}
		if err := emitSiteFiles(s.cfg, a, s.theme, func(rel string, data []byte) error { out[rel] = data; return nil }); err != nil {
			return err
		}
	}
	assets := map[string]string{}
	for _, abs := range p.st.Chrome {
		assets[p.st.Assets[abs]] = abs
	}
	for _, ps := range p.pages {
		for _, abs := range ps.assets {
			assets[p.st.Assets[abs]] = abs
		}
	}
	// What only a new page set or new dependencies change is kept from the
	// last build: an edit must not cost a walk over every page.
	prev := s.snap()
	pageOut := prev.pageOut
	if p.st != s.site || pageOut == nil {
		pageOut = make(map[string]string, len(p.st.Pages))
		for _, pg := range p.st.Pages {
			pageOut[pg.Src.File] = pg.Out
		}
	}
	deps := prev.deps
	if p.depsChanged() || deps == nil {
		deps = map[string]bool{}
		for _, ps := range p.pages {
			for _, d := range ps.outside {
				deps[d] = true
			}
		}
	}
	s.pages, s.site, s.navSig = p.pages, p.st, p.navSig
	s.dirty = map[string]bool{}
	next := s.publish(func(n *snapshot) {
		n.out, n.assets, n.diags, n.pageOut, n.deps = out, assets, u.Diags, pageOut, deps
		n.search = nil
		if p.st.Search {
			n.search = &lazySearch{pages: p.pages}
		}
		n.theme, n.cfg = s.theme, s.cfg
		n.build++
	})
	u.Build = next.build
	errs, _ := diag.Count(u.Diags)
	u.Failed = errs > 0
	u.Changed = append(diffOutputs(oldOut, out), p.changedAssets...)
	slices.Sort(u.Changed)
	u.Changed = slices.Compact(u.Changed)
	return nil
}

// depsChanged says a page came, went, or now reads other files outside
// the source folder than the committed build knows.
func (p *pass) depsChanged() bool {
	if len(p.deleted) > 0 {
		return true
	}
	for rel := range p.reparse {
		old, ok := p.s.pages[rel]
		if !ok || !slices.Equal(old.outside, p.pages[rel].outside) {
			return true
		}
	}
	return false
}

func hidden(rel string) bool {
	for _, part := range strings.Split(rel, "/") {
		if strings.HasPrefix(part, ".") {
			return true
		}
	}
	return false
}

// parse reads and parses the pages rels, in parallel; with release, each
// page keeps only its collected data, not its tree, taken from pc (if not
// nil) when it holds the page's summary, and put there when it can, and a
// page parsed is prerendered: held[i] is its body, moved into spill when
// spill can take it.
func (s *Session) parse(ctx context.Context, rels []string, release bool, pc *pagecache.Cache, spill *bodySpill) ([]*pageState, []heldBody, error) {
	states, held := make([]*pageState, len(rels)), make([]heldBody, len(rels))
	if err := parallel(ctx, len(rels), func(i int) error {
		var readDiags diag.List
		src, err := content.Tree{Root: s.srcDir, Display: s.display, Bound: s.cfg.Dir}.Read(rels[i], &readDiags)
		if err != nil {
			return err
		}
		var doc *markdown.Doc
		var key pagecache.Sum
		cached := release && pc != nil && !src.Refused
		if cached {
			key = pagecache.Key(src.File, src.Body)
			if sum, ok := pc.Get(src.Rel, key); ok {
				doc, _ = sum.Doc(src.File)
			}
		}
		if doc == nil {
			doc = s.pipe.Parse(src.File, src.Body)
			if release {
				// A page that fails to render is rendered again from its
				// text, and the error shown then.
				if pre, _ := s.pipe.Prerender(doc); pre != nil {
					held[i] = spill.hold(pre)
				}
			}
			if cached {
				if sum, ok := markdown.Summarize(doc, nil); ok {
					pc.Put(src.Rel, key, sum)
				}
			}
		}
		src.Body = nil
		ps := &pageState{src: src, doc: doc, deps: slices.Clone(doc.Deps)}
		for _, d := range ps.deps {
			if !safefile.Within(s.srcDir, d) {
				ps.outside = append(ps.outside, d)
			}
		}
		ps.parseDiags = append(readDiags.From(0), doc.Diags.From(0)...)
		if release {
			doc.Release()
		}
		states[i] = ps
		return nil
	}); err != nil {
		return nil, nil, err
	}
	return states, held, nil
}

// publicSignature summarises what other pages can see of a page.
func publicSignature(d *markdown.Doc) string {
	var b strings.Builder
	b.WriteString(d.Title)
	for _, h := range d.Headings {
		fmt.Fprintf(&b, "\nh %s %s", h.ID, h.Text)
	}
	for _, a := range slices.Sorted(maps.Keys(d.Anchors)) {
		b.WriteString("\na " + a)
	}
	for _, l := range d.Labels {
		fmt.Fprintf(&b, "\nl %s %s %s", l.Name, l.ID, l.Title)
	}
	for _, l := range d.Terms {
		fmt.Fprintf(&b, "\nt %s %s", l.Name, l.ID)
	}
	for _, t := range d.Toctrees {
		fmt.Fprintf(&b, "\ntoc %v %q %d %v %v %v %d %v", t.Entries, t.Caption, t.MaxDepth, t.Hidden, t.Glob, t.TitlesOnly, t.Numbered, t.Reversed)
	}
	return b.String()
}

// navSignature summarises what every page's navigation shows: the tree of
// pages and their titles, the site title and the root.
func navSignature(st *site.Site) string {
	var b strings.Builder
	b.WriteString(st.Title)
	var walk func(nodes []*site.NavNode, depth int)
	walk = func(nodes []*site.NavNode, depth int) {
		for _, n := range nodes {
			fmt.Fprintf(&b, "\n%d %s %s %q %s", depth, n.Title, n.URL, n.Caption, n.Number)
			if n.Page != nil {
				b.WriteString(" " + n.Page.Name + " " + n.Page.Title)
			}
			walk(n.Children, depth+1)
		}
	}
	if st.Root != nil {
		b.WriteString("\nroot " + st.Root.Name + " " + st.Root.Title)
	}
	walk(st.Nav, 0)
	return b.String()
}

// PageOut returns the output path of the page whose source file (as shown
// in diagnostics) is file.
func (s *Session) PageOut(file string) (string, bool) {
	out, ok := s.snap().pageOut[file]
	return out, ok
}

// Build is the number of the committed build.
func (s *Session) Build() int { return s.snap().build }

// Config is the configuration of the committed build.
func (s *Session) Config() *config.Config { return s.snap().cfg }
