// Package build turns a content folder into a site: parse every page,
// index the site, resolve references, render with the theme, and swap the
// result into the output folder only when the build succeeded.
package build

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io/fs"
	"maps"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/docsgen/docsgen/internal/checkref"
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

// Mode says how far a build goes and where its outputs go.
type Mode int

const (
	// Write renders every page into a temporary folder beside the output
	// folder and swaps it in when the build succeeds.
	Write Mode = iota
	// DryRun runs the same path as Write and writes nothing: Result.Files
	// holds the rendered outputs.
	DryRun
	// Check parses and resolves every reference without rendering, for link
	// checking: each page keeps its references (Page.Refs), not its tree.
	Check
)

// Options configure a build.
type Options struct {
	Config *config.Config
	// FailLevel is the severity that fails the build: Error when zero,
	// Warning for a strict build (like sphinx-build -W).
	FailLevel diag.Severity
	Mode      Mode
	// NoCache neither reads nor writes the persistent caches: highlighted
	// code (.docsgen/cache/highlight/) and the pages' summaries
	// (.docsgen/cache/pages-*.gob).
	NoCache bool
	// Sized, if set, is told how many pages the site has once its folder
	// is walked, before any is read (the link check sizes its memory by it).
	Sized func(pages int)

	// chromaVersion and binaryVersion stand in for chroma's version and
	// docsgen's in tests, whose binaries carry no module versions (without
	// them they run uncached).
	chromaVersion, binaryVersion string

	// noSearch leaves the search index out, for the benchmark of its cost.
	noSearch bool
	// noPrerender parses every page again to render it, for the test that
	// prerendering changes nothing.
	noPrerender bool
}

// Result is what a build produced.
type Result struct {
	Site     *site.Site
	Diags    []diag.Diagnostic
	Pages    int
	Written  bool
	Duration time.Duration
	// Cached is how many pages the first pass took from the page cache
	// instead of parsing them; Reused, how many output files the render
	// pass took from the last build instead of rendering them.
	Cached, Reused int
	// Prerendered is how many pages were rendered from their first parse
	// (see markdown.Prerender) instead of being parsed again.
	Prerendered int
	// Files is every rendered output of a dry run: slash path below the
	// output folder → bytes (theme files and referenced files, listed in
	// Site.Assets, are checked but not kept).
	Files map[string][]byte
}

// Failed reports whether the diagnostics fail a build at level.
func (r *Result) Failed(level diag.Severity) bool { return diag.Failed(r.Diags, level) }

// ErrFailed is returned when diagnostics fail the build; the output folder
// is left as it was.
var ErrFailed = fmt.Errorf("build failed; the output folder was not changed")

// Build runs a build in one of its modes. It returns ErrFailed (with the
// Result) when the diagnostics fail it, and other errors when it could not
// run at all. Pages are indexed first, keeping only what other pages need
// and their bodies rendered with tokens for the values of their references
// (in a temporary file); then each body is finished, or the page parsed
// again and rendered, and written. A large site never holds all its trees,
// nor all its HTML in memory, at once.
func Build(ctx context.Context, opts Options) (*Result, error) {
	start := time.Now()
	cfg := opts.Config
	var theme *render.Theme
	var out sink
	if opts.Mode != Check {
		var err error
		if theme, err = render.LoadTheme(ThemeDir(cfg)); err != nil {
			return nil, err
		}
		if out, err = newSink(cfg, opts.Mode); err != nil {
			return nil, err
		}
	}
	var hl *hlcache.Cache
	if opts.Mode != Check && !opts.NoCache {
		// Without a usable cache folder the build only lexes everything.
		if c, err := hlcache.Open(cfg.Dir, cmp.Or(opts.chromaVersion, hlcache.ChromaVersion())); err == nil && c != nil {
			hl = c
			defer hl.Close()
		}
	}
	var pc *pagecache.Cache
	if !opts.NoCache {
		pc = openPageCache(cfg, opts.Mode == Check, cmp.Or(opts.binaryVersion, pagecache.BinaryVersion()))
	}
	a, parseDiags, err := index(ctx, cfg, opts.Mode == Check, opts.Mode != Check && !opts.noPrerender, hl, pc, opts.Sized)
	res := &Result{}
	var inputs map[string]pagecache.Sum
	if pc != nil {
		saved, indexed := make(chan struct{}), err == nil
		go func() {
			// Saved as the render pass starts, which then does not hold
			// the summaries too; only an optimisation: the next run parses
			// again.
			if indexed {
				_ = pc.Save()
			}
			pc.Close()
			close(saved)
		}()
		defer func() { <-saved }()
		if err == nil {
			res.Cached = pc.Hits()
			inputs = pc.Inputs()
		}
	}
	if err != nil {
		return nil, err
	}
	defer a.close()
	res.Site, res.Pages = a.Site, len(a.Site.Pages)
	var resolveDiags []diag.Diagnostic
	var ru *reuse
	if opts.Mode == Check {
		err = parallel(ctx, len(a.Site.Pages), func(i int) error { a.Site.ResolveRefs(a.Site.Pages[i]); return nil })
	} else {
		ru = openReuse(cfg, cmp.Or(opts.binaryVersion, pagecache.BinaryVersion()), theme, a.Site, out, inputs, hl)
		resolveDiags, err = renderSite(ctx, cfg, a, theme, out, a.Site.Search && !opts.noSearch, ru)
		res.Prerendered = int(a.finished.Load())
		if ru != nil {
			res.Reused = ru.reused()
		}
	}
	res.Diags = gather(parseDiags, a.Site, resolveDiags)
	res.Duration = time.Since(start)
	switch {
	case err != nil:
	case res.Failed(cmp.Or(opts.FailLevel, diag.Error)):
		err = ErrFailed
	case out != nil:
		err = out.commit()
		res.Written = err == nil && opts.Mode == Write
	}
	if ru != nil {
		// The records describe the new output: kept only if it went in.
		ru.close(res.Written)
	}
	if err == nil && hl != nil {
		// A whole build knows every block the site uses now (a page taken
		// from the last build tells its blocks); a cache it cannot prune
		// only grows until the next one.
		_ = hl.Prune()
	}
	if m, ok := out.(*memorySink); ok {
		res.Files = m.files // a failed dry run shows what it rendered too
	}
	if err != nil && out != nil {
		out.discard()
	}
	res.Duration = time.Since(start)
	return res, err
}

// gather is every diagnostic of a build, sorted: reading and parsing, each
// page's own, resolution (when pages were parsed again to render) and the
// site's.
func gather(parse *diag.List, st *site.Site, resolved []diag.Diagnostic) []diag.Diagnostic {
	var all diag.List
	all.Merge(parse)
	for _, p := range st.Pages {
		all.Merge(&p.Doc.Diags)
	}
	all.AddAll(resolved)
	all.Merge(&st.Diags)
	return all.Sorted()
}

// renderSite renders every page and the site-wide files into out, then
// checks that no two outputs collide and copies the theme's static files and
// the referenced files. It returns the resolution diagnostics.
func renderSite(ctx context.Context, cfg *config.Config, a *indexed, theme *render.Theme, out sink, indexing bool, ru *reuse) ([]diag.Diagnostic, error) {
	diags, err := renderAll(ctx, cfg, a, theme, out.emit, !keepsOutputs(out), indexing, ru)
	if err != nil {
		return nil, err
	}
	if clashes := a.Site.Collisions(reservedOutputs(theme, a.Site.Search)); len(clashes) > 0 {
		// The build fails on these errors; copying would only overwrite.
		return append(diags, clashes...), nil
	}
	used := map[string]bool{}
	for _, p := range a.Site.Pages {
		for _, name := range p.Doc.Assets {
			used[name] = true
		}
	}
	if err := fs.WalkDir(theme.Static, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		// A vendored package (static/vendor/NAME/, mermaid's 3 MB say) is
		// copied only when some page uses it.
		if rest, ok := strings.CutPrefix(p, "vendor/"); ok && d.IsDir() && !strings.Contains(rest, "/") && !used[rest] {
			return fs.SkipDir
		}
		if d.IsDir() {
			return nil
		}
		data, err := fs.ReadFile(theme.Static, p)
		if err != nil {
			return err
		}
		return out.static("_static/"+p, data)
	}); err != nil {
		return nil, fmt.Errorf("theme static files: %w", err)
	}
	for abs, rel := range a.Site.Assets {
		if err := out.copy(rel, abs); err != nil {
			return nil, err
		}
	}
	return diags, nil
}

// emitFunc receives one output file; it may be called concurrently.
type emitFunc func(rel string, data []byte) error

// scratch is the buffers a page is rendered in: its prerendered body read
// back, the body finished and the page. When the output is written out as
// it comes (not kept, as a dry run does), the next page reuses them: else
// each page allocated some 80 KB that only the collector took back (an
// eighth of a build's allocation).
type scratch struct{ spilled, body, page []byte }

var scratchPool = sync.Pool{New: func() any { return &scratch{} }}

// bodyBuffers are the buffers the index pass prerenders bodies in, each
// reused once its body is in the spill file.
var bodyBuffers sync.Pool

// renderAll finishes each page's prerendered body, or parses the page
// again (the index kept only what other pages need), resolves and renders
// it and drops its tree, then renders the site-wide files, all through
// emit. With ru, a page whose output the last build wrote from the same
// inputs is taken from there instead. It returns the resolution
// diagnostics.
func renderAll(ctx context.Context, cfg *config.Config, a *indexed, theme *render.Theme, emit emitFunc, reusable, indexing bool, ru *reuse) ([]diag.Diagnostic, error) {
	pages := a.Site.Pages
	renderer := theme.NewRenderer(a.Site)
	resolveDiags := make([][]diag.Diagnostic, len(pages))
	var index *search.Index
	stems := &search.Stemmer{}
	if indexing {
		index = search.NewIndex(len(pages))
	}
	// Pages taken from the last build join the index only if it is made
	// afresh: when every page was, so are its files.
	taken := make([]*search.Encoded, len(pages))
	if err := parallel(ctx, len(pages), func(i int) error {
		if ru != nil {
			if sp, ok := ru.take(a.Site, pages[i], index != nil); ok {
				taken[i] = &sp
				return nil
			}
		}
		var err error
		sc := &scratch{}
		if reusable {
			sc = scratchPool.Get().(*scratch)
			defer scratchPool.Put(sc)
		}
		resolveDiags[i], err = renderPage(a, renderer, i, index, stems, emit, ru, sc)
		return err
	}); err != nil {
		return nil, err
	}
	if index != nil {
		if err := writeIndex(ctx, index, taken, emit, ru); err != nil {
			return nil, err
		}
	}
	var all []diag.Diagnostic
	for _, ds := range resolveDiags {
		all = append(all, ds...)
	}
	if err := emitSiteFiles(cfg, a, theme, emit); err != nil {
		return nil, err
	}
	return all, nil
}

// renderPage finishes page i's prerendered body, or else parses the page
// again, resolves and renders it; then indexes it and writes it through
// emit (recording it in ru, if not nil). It returns the resolution
// diagnostics.
func renderPage(a *indexed, renderer *render.Renderer, i int, index *search.Index, stems *search.Stemmer, emit emitFunc, ru *reuse, sc *scratch) (diags []diag.Diagnostic, err error) {
	pg := a.Site.Pages[i]
	var body []byte
	var highlighted []string
	finished := false
	if pre := a.prerendered(pg, &sc.spilled); pre != nil {
		if body, finished = a.Site.FinishPrerendered(pg, pre, sc.body); finished {
			sc.body = body
			highlighted = pre.Highlighted
			a.finished.Add(1)
		}
	}
	if !finished {
		doc, src, err := a.reparse(pg)
		if err != nil {
			return nil, err
		}
		n := doc.Diags.Len()
		a.Site.ResolveTree(pg, doc)
		diags = doc.Diags.From(n)
		body, highlighted, err = a.Pipeline.RenderKeys(doc)
		if err != nil {
			return diags, fmt.Errorf("%s: %w", pg.Src.File, err)
		}
		a.tree.Recycle(src) // rendered: the body and diagnostics hold copies
	}
	var sp *search.Page
	if index != nil {
		sp = searchPage(stems, pg, body)
		index.Add(i, sp)
	}
	page, err := renderer.PageInto(sc.page, pg, body)
	if err != nil {
		return diags, err
	}
	sc.page = page
	if ru == nil {
		return diags, emit(pg.Out, page)
	}
	file, err := ru.out.emitFile(pg.Out, page)
	if err == nil {
		ru.keep(pg, file, sp, highlighted, len(diags) == 0)
	}
	return diags, err
}

// writeIndex writes the search index. When every page was taken from the
// last build, its files are too; else the pages taken (taken[i] not nil)
// join the index of the pages rendered, and its files are written (and
// recorded in ru, if not nil).
func writeIndex(ctx context.Context, index *search.Index, taken []*search.Encoded, emit emitFunc, ru *reuse) error {
	if ru != nil && ru.reused() == len(taken) && ru.takeSiteFiles() {
		return nil
	}
	index.AddAllEncoded(taken)
	recorded := func() {}
	if ru != nil {
		emit, recorded = ru.siteFileEmitter()
	}
	if err := emitSearchIndex(index, emit); err != nil {
		return err
	}
	recorded()
	return nil
}

func emitSiteFiles(cfg *config.Config, a *indexed, theme *render.Theme, emit emitFunc) error {
	pages := a.Site.Pages
	if err := emit("_static/highlight.css", markdown.StyleSheet()); err != nil {
		return err
	}
	nf, err := theme.NotFound(a.Site)
	if err != nil {
		return fmt.Errorf("theme 404.html: %w", err)
	}
	if err := emit("404.html", nf); err != nil {
		return err
	}
	if a.Site.Search {
		if err := emitSearchPage(a.Site, theme, emit); err != nil {
			return err
		}
	}
	return emit("sitemap.xml", sitemap(cfg.BaseURL, pages))
}

// reservedOutputs are the output paths the build writes besides pages and
// referenced files, with what writes them; with the site's search, its
// page and index too.
func reservedOutputs(theme *render.Theme, withSearch bool) map[string]string {
	r := map[string]string{
		"404.html":              "the 404 page",
		"sitemap.xml":           "the sitemap",
		"_static/highlight.css": "the highlighting stylesheet",
		MarkerName:              "the output folder's marker",
	}
	if withSearch {
		r[searchPageOut] = "the search page"
		r[search.Dir+"/index.js"] = "the search index"
	}
	_ = fs.WalkDir(theme.Static, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			r["_static/"+p] = "the theme's _static/" + p
		}
		return nil
	})
	return r
}

// ThemeDir is the theme folder a configuration names, absolute; "" for the
// built-in theme. Build and serve both use it, so they agree.
func ThemeDir(cfg *config.Config) string {
	if cfg.Theme == "" {
		return ""
	}
	if filepath.IsAbs(cfg.Theme) {
		return cfg.Theme
	}
	return filepath.Join(cfg.Dir, cfg.Theme)
}

// indexed is a site after its first pass: every page parsed, the site
// model built.
type indexed struct {
	Site     *site.Site
	Pipeline *markdown.Pipeline

	tree content.Tree // where pages are read again for rendering
	// The pages prerendered, their bodies moved out of the heap, and how
	// many were finished (not parsed again).
	spill    *bodySpill
	held     map[*site.Page]heldBody
	finished atomic.Int64
}

// prerendered is page p's prerendered body (read back into *buf, see
// bodySpill.take); nil if it has none (or it cannot be read back: the page
// is rendered from its text instead).
func (a *indexed) prerendered(p *site.Page, buf *[]byte) *markdown.Prerendered {
	return a.spill.take(a.held[p], buf)
}

// close removes what the passes kept on disk.
func (a *indexed) close() { a.spill.close() }

// index reads and parses every page and builds the site model. Each page
// keeps only the data other pages need (not its tree and text), so memory
// stays flat however large the site; with keepRefs it also keeps its
// references, to resolve without its tree; with prerender, its body
// rendered with tokens for its references' values (markdown.Prerender).
func index(ctx context.Context, cfg *config.Config, keepRefs, prerender bool, hl *hlcache.Cache, pc *pagecache.Cache, sized func(int)) (*indexed, *diag.List, error) {
	srcDir := cfg.SourceDir()
	if fi, err := os.Stat(srcDir); err != nil || !fi.IsDir() {
		return nil, nil, fmt.Errorf("source folder %s not found; create it or pass --source", srcDir)
	}
	if prerender {
		markdown.WarmUp() // while the folder is walked
	}
	display := cfg.Display(srcDir)
	names, err := content.Walk(srcDir)
	if err != nil {
		return nil, nil, err
	}
	if sized != nil {
		sized(len(names))
	}
	opts, files := pipelineOptions(cfg, false, keepRefs, hl)
	pipe := markdown.New(opts)
	// This pass keeps of a page only what a summary holds (the page cache
	// puts summaries in its place) and, in a build, the page prerendered
	// (see markdown.Prerender), which the render pass finishes. A check
	// renders nothing: its skimmed parse finds what a summary holds alike
	// (TestSkimmedParseEqualsFull).
	if pc != nil {
		pc.SetReader(files.Read)
	}
	// The first pass recycles each page's read buffer once the page is
	// indexed; the render pass reads only the pages it parses again.
	tree := content.Tree{Root: srcDir, Display: display, Bound: cfg.Dir, Buffers: &sync.Pool{}}
	var spill *bodySpill
	var held []heldBody
	if prerender {
		spill, held = newBodySpill(), make([]heldBody, len(names))
	}
	pages := make([]*site.Page, len(names))
	readDiags := make([]diag.List, len(names))
	if err := parallel(ctx, len(names), func(i int) error {
		src, err := tree.Read(names[i], &readDiags[i])
		if err != nil {
			return err
		}
		pages[i] = &site.Page{Src: src, Name: site.Name(src.Rel), Title: src.Title()}
		var key pagecache.Sum
		if pc != nil && !src.Refused {
			key = pagecache.Key(src.File, src.Body)
			if sum, ok := pc.Get(src.Rel, key); ok {
				pages[i].Doc, pages[i].Pending = sum.Doc(src.File)
				tree.Recycle(src)
				return nil
			}
		}
		pages[i].Doc = pipe.Parse(src.File, src.Body)
		if prerender {
			// A page that fails to render is rendered again from its text,
			// and the error reported then. A body in the spill file (or
			// dropped) leaves its buffer to the next page.
			buf, _ := bodyBuffers.Get().(*[]byte)
			if buf == nil {
				buf = new([]byte)
			}
			if pre, _ := pipe.PrerenderInto(*buf, pages[i].Doc); pre != nil {
				body := pre.Body
				if held[i] = spill.hold(pre); held[i].pre != nil && held[i].pre.Body != nil {
					*buf = nil // held in memory: the page's
				} else {
					*buf = body
				}
			}
			bodyBuffers.Put(buf)
		}
		if keepRefs {
			pages[i].Pending = markdown.ExtractRefs(pages[i].Doc)
		}
		if pc != nil && !src.Refused {
			if sum, ok := markdown.Summarize(pages[i].Doc, pages[i].Pending); ok {
				pc.Put(src.Rel, key, sum)
			}
		}
		pages[i].Doc.Release()
		tree.Recycle(src)
		return nil
	}); err != nil {
		spill.close()
		return nil, nil, err
	}
	heldOf := map[*site.Page]heldBody{}
	for i, h := range held {
		if h.pre != nil {
			heldOf[pages[i]] = h
		}
	}
	s := site.New(cfg.Title, pages, cfg.Root, files)
	addChrome(cfg, files, s)
	var parseDiags diag.List
	for i := range readDiags {
		parseDiags.Merge(&readDiags[i])
	}
	return &indexed{Site: s, Pipeline: pipe, tree: tree, spill: spill, held: heldOf}, &parseDiags, nil
}

// openPageCache opens the project's cache of page summaries for the first
// pass of a build (check: of a Check build, which keeps references too) by
// docsgen version binary: nil when the version is unknown. The cache's
// version also holds every setting that changes a parse, and the folders
// diagnostics' paths are shown from.
func openPageCache(cfg *config.Config, check bool, binary string) *pagecache.Cache {
	if binary == "" {
		return nil
	}
	settings, err := json.Marshal(struct {
		Markdown              config.Markdown
		Substitutions         map[string]string
		Source, Project, Work string
	}{cfg.Markdown, cfg.Substitutions, cfg.SourceDir(), cfg.Dir, cfg.WorkDir})
	if err != nil {
		return nil
	}
	name := "pages-build.gob"
	if check {
		name = "pages-check.gob"
	}
	return pagecache.Open(cfg.Dir, name, binary+"\x00"+string(settings))
}

// addChrome adds the configured logo and favicon to the site's files, so
// they are checked, copied and served like any image a page shows, and
// hands the theme the site's base and edit URLs.
func addChrome(cfg *config.Config, files *directives.Files, st *site.Site) {
	st.BaseURL, st.EditURL, st.Search = cfg.BaseURL, cfg.EditURL, cfg.SearchIndex()
	at := diag.Pos{File: cfg.Display(cmp.Or(cfg.File, filepath.Join(cfg.Dir, config.FileName)))}
	for _, c := range []struct {
		key, path string
		out       *string
	}{{"logo", cfg.Logo, &st.Logo}, {"favicon", cfg.Favicon, &st.Favicon}} {
		if c.path == "" {
			continue
		}
		// Relative to the config file's folder, inside the project.
		abs, err := files.Resolve(filepath.Join(cfg.Dir, config.FileName), c.path)
		if err == nil {
			err = safefile.CheckRegular(abs)
		}
		if err != nil {
			st.Diags.Add(diag.Diagnostic{Pos: at, Severity: diag.Error, Code: "config", Message: c.key + ": " + err.Error(),
				Hint: "give the image's path relative to " + config.FileName})
			continue
		}
		*c.out = st.AddAsset(abs, at)
		st.Chrome = append(st.Chrome, abs)
	}
}

// pipelineOptions are the Markdown pipeline's options, and the files its
// directives read: a live preview shows failed directives where they
// stand; hl, if not nil, keeps highlighted code between builds. A check,
// which never renders, parses pages that hold nothing linkify could match
// without it, and leaves the inline content of paragraphs that cannot hold
// a reference unparsed. A build or check is one pass over the files, read
// once each: it also resolves each included path's symlinks once (a live
// preview's files change under it).
func pipelineOptions(cfg *config.Config, preview, check bool, hl *hlcache.Cache) (markdown.Options, *directives.Files) {
	files := &directives.Files{SourceRoot: cfg.SourceDir(), ProjectRoot: cfg.Dir, WorkDir: cfg.WorkDir, Stable: !preview}
	registry := directives.NewRegistry(append(directives.Builtin(), checkref.Directives()...)...)
	md := cfg.Markdown
	return markdown.Options{
		Registry: registry, Files: files, Substitutions: cfg.Substitutions, ShowErrors: preview, HighlightCache: hl,
		LinkifyOnDemand: check, SkimParagraphs: check,
		Features: markdown.Features{
			Tables: config.On(md.Tables, true), Strikethrough: config.On(md.Strikethrough, true),
			TaskLists: config.On(md.TaskLists, true), Autolinks: config.On(md.Autolinks, true),
			Footnotes: config.On(md.Footnotes, true), DefinitionList: config.On(md.DefinitionList, true),
			Typographer: config.On(md.Typographer, false),
			Dollarmath:  config.On(md.Dollarmath, false), DollarmathNoSpace: !config.On(md.DmathAllowSpace, true),
			DollarmathNoDigits: !config.On(md.DmathAllowDigits, true),
		},
	}, files
}

// reparse reads and parses a page again, for rendering after a release;
// hand src to a.tree.Recycle once the tree is rendered.
func (a *indexed) reparse(p *site.Page) (doc *markdown.Doc, src *content.Source, err error) {
	var ignored diag.List // reported by the first parse
	src, err = a.tree.Read(p.Src.Rel, &ignored)
	if err != nil {
		return nil, nil, err
	}
	return a.Pipeline.Parse(src.File, src.Body), src, nil
}

// parallel runs fn for 0..n-1 on a bounded pool of goroutines. Workers
// take the next index from a counter: handing each one over a channel
// made the feeding goroutine wait for a core the workers held, at every
// page.
func parallel(ctx context.Context, n int, fn func(i int) error) error {
	workers := min(runtime.GOMAXPROCS(0), n)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var first error
	var next atomic.Int64
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= n || ctx.Err() != nil {
					return
				}
				if err := fn(i); err != nil {
					mu.Lock()
					if first == nil {
						first = err
					}
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	if first != nil {
		return first
	}
	return ctx.Err()
}

// byDirectory runs fn for each of names (slash paths of files to create)
// like parallel, except that the names of one folder are taken in turn by
// one goroutine: threads creating entries in one folder contend for its
// lock, and the kernel spins while it waits (10,000 files written into one
// folder by two goroutines took four times the CPU of one, and twice as
// long).
func byDirectory(ctx context.Context, names []string, fn func(i int) error) error {
	groups := map[string][]int{}
	for i, name := range names {
		dir := path.Dir(name)
		groups[dir] = append(groups[dir], i)
	}
	dirs := slices.Sorted(maps.Keys(groups))
	return parallel(ctx, len(dirs), func(d int) error {
		var first error
		for _, i := range groups[dirs[d]] {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if err := fn(i); err != nil && first == nil {
				first = err
			}
		}
		return first
	})
}

type urlset struct {
	XMLName xml.Name `xml:"urlset"`
	NS      string   `xml:"xmlns,attr"`
	URLs    []struct {
		Loc string `xml:"loc"`
	} `xml:"url"`
}

func sitemap(base string, pages []*site.Page) []byte {
	set := urlset{NS: "http://www.sitemaps.org/schemas/sitemap/0.9"}
	for _, p := range pages {
		loc := (&url.URL{Path: p.Out}).EscapedPath() // "a b#?.html" → "a%20b%23%3F.html"
		if base != "" {
			loc = render.AbsURL(base, p.Out) // the same URL as the page's canonical link
		}
		set.URLs = append(set.URLs, struct {
			Loc string `xml:"loc"`
		}{Loc: loc})
	}
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", "  ")
	_ = enc.Encode(set)
	b.WriteByte('\n')
	return b.Bytes()
}
