// Package build turns a content folder into a site: parse every page,
// index the site, resolve references, render with the theme, and swap the
// result into the output folder only when the build succeeded.
package build

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"github.com/docsgen/docsgen/internal/checkref"
	"github.com/docsgen/docsgen/internal/config"
	"github.com/docsgen/docsgen/internal/content"
	"github.com/docsgen/docsgen/internal/diag"
	"github.com/docsgen/docsgen/internal/directives"
	"github.com/docsgen/docsgen/internal/markdown"
	"github.com/docsgen/docsgen/internal/render"
	"github.com/docsgen/docsgen/internal/safefile"
	"github.com/docsgen/docsgen/internal/site"
)

// Options configure a build.
type Options struct {
	Config *config.Config
	// Strict fails the build on any warning (like sphinx-build -W).
	Strict bool
	// Directives are added to the built-in ones (the check catalog, say).
	Directives []*directives.Spec
	// DryRun builds everything but writes nothing.
	DryRun bool
}

// Result is what a build produced.
type Result struct {
	Site     *site.Site
	Diags    []diag.Diagnostic
	Pages    int
	Written  bool
	Duration time.Duration
	// Files is every output file: slash path below the output folder → bytes
	// (assets are listed by source path in Site.Assets instead).
	Files map[string][]byte
}

// Failed reports whether the diagnostics fail the build.
func (r *Result) Failed(strict bool) bool {
	errs, warns := diag.Count(r.Diags)
	return errs > 0 || strict && warns > 0
}

// ErrFailed is returned when diagnostics fail the build; the output folder
// is left as it was.
var ErrFailed = fmt.Errorf("build failed; the output folder was not changed")

// Build runs a whole build. It returns ErrFailed (with the Result) when the
// diagnostics fail it, and other errors when it could not run at all.
// Pages are rendered straight into a temporary folder beside the output,
// which is swapped in only when everything succeeded.
func Build(ctx context.Context, opts Options) (*Result, error) {
	start := time.Now()
	cfg := opts.Config
	theme, err := render.LoadTheme(ThemeDir(cfg))
	if err != nil {
		return nil, err
	}
	if opts.DryRun {
		res, err := Render(ctx, cfg, theme, opts.Directives)
		if res != nil {
			res.Duration = time.Since(start)
			if err == nil && res.Failed(opts.Strict) {
				err = ErrFailed
			}
		}
		return res, err
	}
	outDir, err := prepareOutDir(cfg)
	if err != nil {
		return nil, err
	}
	a, parseDiags, err := index(ctx, cfg, opts.Directives, true)
	if err != nil {
		return nil, err
	}
	res := &Result{Site: a.Site, Pages: len(a.Site.Pages)}
	tmp, resolveDiags, err := writeSite(ctx, cfg, outDir, a, theme)
	var all diag.List
	all.Merge(parseDiags)
	for _, p := range a.Site.Pages {
		all.Merge(&p.Doc.Diags)
	}
	all.AddAll(resolveDiags)
	all.Merge(&a.Site.Diags)
	res.Diags = all.Sorted()
	res.Duration = time.Since(start)
	if err != nil {
		return res, err
	}
	if res.Failed(opts.Strict) {
		os.RemoveAll(tmp)
		return res, ErrFailed
	}
	if err := swap(tmp, outDir); err != nil {
		os.RemoveAll(tmp)
		return res, err
	}
	res.Written = true
	res.Duration = time.Since(start)
	return res, nil
}

// emitFunc receives one output file.
type emitFunc func(rel string, data []byte) error

// renderAll renders every page and the site-wide files through emit. With
// reparse set, the pages were indexed without their trees: each is parsed
// again, resolved and rendered, and its tree dropped, so a large site never
// holds all its trees and all its HTML at once; the resolution diagnostics
// are returned.
func renderAll(ctx context.Context, cfg *config.Config, a *Analysis, theme *render.Theme, emit emitFunc, reparse bool) ([]diag.Diagnostic, error) {
	pages := a.Site.Pages
	renderer := theme.NewRenderer(a.Site)
	resolveDiags := make([][]diag.Diagnostic, len(pages))
	if err := parallel(ctx, len(pages), func(i int) error {
		doc := pages[i].Doc
		if reparse {
			var err error
			if doc, err = a.reparse(pages[i]); err != nil {
				return err
			}
			n := doc.Diags.Len()
			a.Site.ResolveTree(pages[i], doc)
			resolveDiags[i] = doc.Diags.From(n)
		}
		body, err := a.Pipeline.Render(doc)
		if err != nil {
			return fmt.Errorf("%s: %w", pages[i].Src.File, err)
		}
		page, err := renderer.Page(pages[i], body)
		if err != nil {
			return err
		}
		return emit(pages[i].Out, page)
	}); err != nil {
		return nil, err
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

func emitSiteFiles(cfg *config.Config, a *Analysis, theme *render.Theme, emit emitFunc) error {
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
	return emit("sitemap.xml", sitemap(cfg.BaseURL, pages))
}

// reservedOutputs are the output paths the build writes besides pages and
// referenced files, with what writes them.
func reservedOutputs(theme *render.Theme) map[string]string {
	r := map[string]string{
		"404.html":              "the 404 page",
		"sitemap.xml":           "the sitemap",
		"_static/highlight.css": "the highlighting stylesheet",
		MarkerName:              "the output folder's marker",
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

// Analysis is a site parsed, indexed and resolved, not yet rendered: what
// link checking needs, and the first half of a build.
type Analysis struct {
	Site     *site.Site
	Pipeline *markdown.Pipeline
	// Diags are every diagnostic so far, sorted.
	Diags []diag.Diagnostic

	srcDir, display, bound string
}

// Analyze parses every page, builds the site model and resolves every
// reference. Every page keeps its tree.
func Analyze(ctx context.Context, cfg *config.Config, extra []*directives.Spec) (*Analysis, error) {
	a, parseDiags, err := index(ctx, cfg, extra, false)
	if err != nil {
		return nil, err
	}
	return a, a.resolve(ctx, parseDiags, a.Site.Resolve)
}

// resolve resolves every page with fn, in parallel, and gathers the
// diagnostics of the whole analysis.
func (a *Analysis) resolve(ctx context.Context, parseDiags *diag.List, fn func(*site.Page)) error {
	pages := a.Site.Pages
	if err := parallel(ctx, len(pages), func(i int) error { fn(pages[i]); return nil }); err != nil {
		return err
	}
	var all diag.List
	all.Merge(parseDiags)
	for _, p := range pages {
		all.Merge(&p.Doc.Diags)
	}
	all.Merge(&a.Site.Diags)
	a.Diags = all.Sorted()
	return nil
}

// AnalyzeLinks is Analyze for link checking: the same diagnostics and
// references, but no page keeps its tree, so memory stays flat.
func AnalyzeLinks(ctx context.Context, cfg *config.Config, extra []*directives.Spec) (*Analysis, error) {
	a, parseDiags, err := indexWith(ctx, cfg, extra, true, true)
	if err != nil {
		return nil, err
	}
	return a, a.resolve(ctx, parseDiags, a.Site.ResolveRefs)
}

// index reads and parses every page and builds the site model. With
// release, each page keeps only the data the site needs (not its tree and
// text), so memory stays flat however large the site; pages are parsed again
// one by one when rendered.
func index(ctx context.Context, cfg *config.Config, extra []*directives.Spec, release bool) (*Analysis, *diag.List, error) {
	return indexWith(ctx, cfg, extra, release, false)
}

// indexWith is index; with keepRefs, a released page keeps its references
// (PendingRef) for resolution without its tree.
func indexWith(ctx context.Context, cfg *config.Config, extra []*directives.Spec, release, keepRefs bool) (*Analysis, *diag.List, error) {
	srcDir := cfg.SourceDir()
	if fi, err := os.Stat(srcDir); err != nil || !fi.IsDir() {
		return nil, nil, fmt.Errorf("source folder %s not found; create it or pass --source", srcDir)
	}
	display := directives.Display(srcDir)
	names, err := content.Walk(srcDir)
	if err != nil {
		return nil, nil, err
	}
	pipe, files := newPipeline(cfg, extra)
	pages := make([]*site.Page, len(names))
	readDiags := make([]diag.List, len(names))
	if err := parallel(ctx, len(names), func(i int) error {
		src, err := content.Tree{Root: srcDir, Display: display, Bound: cfg.Dir}.Read(names[i], &readDiags[i])
		if err != nil {
			return err
		}
		pages[i] = &site.Page{Src: src, Name: site.Name(src.Rel), Title: src.Title(), Doc: pipe.Parse(src.File, src.Body)}
		if keepRefs {
			pages[i].Pending = markdown.ExtractRefs(pages[i].Doc)
		}
		if release {
			pages[i].Doc.Release()
			src.Body = nil
		}
		return nil
	}); err != nil {
		return nil, nil, err
	}
	s := site.New(cfg.Title, pages, cfg.Root, files)
	if s.Root == nil {
		s.Diags.Add(diag.Diagnostic{Pos: diag.Pos{File: display}, Severity: diag.Error, Code: "site.root",
			Message: fmt.Sprintf("no root document %s.md", cfg.Root), Hint: "create " + path.Join(display, cfg.Root+".md") + " with the site's toctree"})
	}
	var parseDiags diag.List
	for i := range readDiags {
		parseDiags.Merge(&readDiags[i])
	}
	return &Analysis{Site: s, Pipeline: pipe, srcDir: srcDir, display: display, bound: cfg.Dir}, &parseDiags, nil
}

// newPipeline assembles the Markdown pipeline a build uses.
func newPipeline(cfg *config.Config, extra []*directives.Spec) (*markdown.Pipeline, *directives.Files) {
	files := &directives.Files{SourceRoot: cfg.SourceDir(), ProjectRoot: cfg.Dir}
	specs := append(directives.Builtin(), checkref.Directives()...)
	registry := directives.NewRegistry(append(specs, extra...)...)
	md := cfg.Markdown
	return markdown.New(markdown.Options{
		Registry: registry, Files: files, Substitutions: cfg.Substitutions,
		Features: markdown.Features{
			Tables: config.On(md.Tables, true), Strikethrough: config.On(md.Strikethrough, true),
			TaskLists: config.On(md.TaskLists, true), Autolinks: config.On(md.Autolinks, true),
			Footnotes: config.On(md.Footnotes, true), DefinitionList: config.On(md.DefinitionList, true),
			Typographer: config.On(md.Typographer, false),
		},
	}), files
}

// reparse reads and parses a page again, for rendering after a release.
func (a *Analysis) reparse(p *site.Page) (*markdown.Doc, error) {
	var ignored diag.List // reported by the first parse
	src, err := content.Tree{Root: a.srcDir, Display: a.display, Bound: a.bound}.Read(p.Src.Rel, &ignored)
	if err != nil {
		return nil, err
	}
	return a.Pipeline.Parse(src.File, src.Body), nil
}

// Render builds the site in memory (for tests and previews).
func Render(ctx context.Context, cfg *config.Config, theme *render.Theme, extra []*directives.Spec) (*Result, error) {
	a, err := Analyze(ctx, cfg, extra)
	if err != nil {
		return nil, err
	}
	res := &Result{Site: a.Site, Pages: len(a.Site.Pages), Files: map[string][]byte{}}
	var mu sync.Mutex
	_, err = renderAll(ctx, cfg, a, theme, func(rel string, data []byte) error {
		mu.Lock()
		defer mu.Unlock()
		res.Files[rel] = data
		return nil
	}, false)
	if err != nil {
		return nil, err
	}
	var all diag.List
	all.AddAll(a.Diags)
	all.AddAll(a.Site.Collisions(reservedOutputs(theme)))
	res.Diags = all.Sorted()
	return res, nil
}

// parallel runs fn for 0..n-1 on a bounded pool of goroutines.
func parallel(ctx context.Context, n int, fn func(i int) error) error {
	workers := min(runtime.GOMAXPROCS(0), n)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var first error
	next := make(chan int)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
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
	for i := 0; i < n; i++ {
		if ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	if first != nil {
		return first
	}
	return ctx.Err()
}

type urlset struct {
	XMLName xml.Name `xml:"urlset"`
	NS      string   `xml:"xmlns,attr"`
	URLs    []struct {
		Loc string `xml:"loc"`
	} `xml:"url"`
}

func sitemap(base string, pages []*site.Page) []byte {
	if base != "" && base[len(base)-1] != '/' {
		base += "/"
	}
	set := urlset{NS: "http://www.sitemaps.org/schemas/sitemap/0.9"}
	for _, p := range pages {
		set.URLs = append(set.URLs, struct {
			Loc string `xml:"loc"`
		}{Loc: base + p.Out})
	}
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", "  ")
	_ = enc.Encode(set)
	b.WriteByte('\n')
	return b.Bytes()
}

// writeSite renders the site into a temporary folder beside the output and
// returns it, for the caller to swap in. A page whose bytes did not change
// is hard-linked from the old output instead of written again.
func writeSite(ctx context.Context, cfg *config.Config, outDir string, a *Analysis, theme *render.Theme) (tmp string, diags []diag.Diagnostic, err error) {
	parent := filepath.Dir(outDir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return "", nil, err
	}
	dir, err := os.MkdirTemp(parent, "."+filepath.Base(outDir)+".tmp-")
	if err != nil {
		return "", nil, err
	}
	defer func() {
		if err != nil {
			os.RemoveAll(dir)
		}
	}()
	tmp = dir
	if err := os.Chmod(tmp, 0o755); err != nil {
		return "", nil, err
	}
	emit := func(rel string, data []byte) error {
		return writeOrLink(filepath.Join(tmp, filepath.FromSlash(rel)), filepath.Join(outDir, filepath.FromSlash(rel)), data)
	}
	diags, err = renderAll(ctx, cfg, a, theme, emit, true)
	if err != nil {
		return "", nil, err
	}
	if clashes := a.Site.Collisions(reservedOutputs(theme)); len(clashes) > 0 {
		// The build fails on these errors; copying would only overwrite.
		return tmp, append(diags, clashes...), nil
	}
	if err := copyStatic(tmp, theme, a.Site.Assets); err != nil {
		return "", nil, err
	}
	if err := writeFile(filepath.Join(tmp, MarkerName), marker()); err != nil {
		return "", nil, err
	}
	return tmp, diags, nil
}

// copyStatic copies the theme's static files and the referenced assets.
func copyStatic(tmp string, theme *render.Theme, assets map[string]string) error {
	if err := fs.WalkDir(theme.Static, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(theme.Static, p)
		if err != nil {
			return err
		}
		return writeFile(filepath.Join(tmp, "_static", filepath.FromSlash(p)), data)
	}); err != nil {
		return fmt.Errorf("theme static files: %w", err)
	}
	for abs, out := range assets {
		data, err := safefile.Read(abs)
		if err != nil {
			return err
		}
		if err := writeFile(filepath.Join(tmp, filepath.FromSlash(out)), data); err != nil {
			return err
		}
	}
	return nil
}

// writeOrLink writes data to p, or hard-links the old output file when it
// already holds exactly these bytes (reading is cheaper than writing).
func writeOrLink(p, old string, data []byte) error {
	if fi, err := os.Stat(old); err == nil && fi.Size() == int64(len(data)) {
		if prev, err := os.ReadFile(old); err == nil && bytes.Equal(prev, data) {
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				return err
			}
			if os.Link(old, p) == nil {
				return nil
			}
		}
	}
	return writeFile(p, data)
}

func writeFile(p string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return os.WriteFile(p, data, 0o644)
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
		return os.RemoveAll(old)
	}
	return nil
}
