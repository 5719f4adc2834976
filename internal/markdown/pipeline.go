// Package markdown is the one place goldmark is assembled: CommonMark, GFM,
// footnotes, definition lists, MyST directives and roles, heading slugs and
// chroma highlighting. Goldmark types stay inside this package and
// directives; the rest of docsgen sees Doc and plain data.
package markdown

import (
	"bytes"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/docsgen/docsgen/internal/diag"
	"github.com/docsgen/docsgen/internal/directives"
	"github.com/docsgen/docsgen/internal/hlcache"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Features switches optional Markdown syntax (all on by default).
type Features struct {
	Tables         bool
	Strikethrough  bool
	TaskLists      bool
	Autolinks      bool
	Footnotes      bool
	DefinitionList bool
	Typographer    bool
	// Dollarmath is MyST's opt-in "dollarmath" extension: $…$ inline and
	// $$…$$ display math (see dollarmath.go). Off unless switched on.
	Dollarmath bool
	// DollarmathNoSpace and DollarmathNoDigits are MyST's
	// myst_dmath_allow_space and myst_dmath_allow_digits set to False:
	// "$ x $" and "1$x$2" (currency) are then text, not math.
	DollarmathNoSpace  bool
	DollarmathNoDigits bool
}

// Options configure a Pipeline.
type Options struct {
	Registry      *directives.Registry
	Files         *directives.Files
	Features      Features
	Substitutions map[string]string
	// ShowErrors renders a failed directive as a visible box, for a live
	// preview; a build renders nothing there (the diagnostic reports it).
	ShowErrors bool
	// HighlightCache keeps highlighted code between builds; nil for none.
	HighlightCache *hlcache.Cache
	// LinkifyOnDemand parses a text that holds nothing the linkify
	// extension could match (see mayLinkify) without that extension, which
	// otherwise tries every space, '*', '_', '~' and '(' of every
	// paragraph. The tree is the same but for where plain text is split
	// into Text nodes; references, anchors and diagnostics are the same.
	// For Check builds, which never render.
	LinkifyOnDemand bool
	// SkimParagraphs leaves the inline content of a page's paragraphs
	// that cannot hold a reference unparsed (see skimParagraphs): the
	// references, anchors, labels and diagnostics are the same, the tree
	// cannot be rendered (so its headings get no id attributes either).
	// For Check builds.
	SkimParagraphs bool
}

// Pipeline parses and renders pages. Build it once per build; it is safe
// for concurrent use.
type Pipeline struct {
	md        goldmark.Markdown
	noLinkify goldmark.Markdown // md without linkify, with LinkifyOnDemand
	// page and pageNoLinkify parse a page's own text (not directive
	// bodies or included files): md and noLinkify, skimming paragraphs
	// with SkimParagraphs.
	page, pageNoLinkify goldmark.Markdown
	opts                Options
	highlight           *Highlighter
	// The registry's collect and refs hooks by node kind.
	collectors byKind[directives.CollectFunc]
	refHooks   byKind[directives.RefsFunc]
	// bodyRatio is the last rendered body's size to its page's text, in
	// sixteenths: the next body's buffer starts at that share of its text.
	bodyRatio atomic.Int64
	// writers are the bufio.Writers bodies render through (4 KB each).
	writers sync.Pool
	// mark starts the tokens Prerender writes for references' values.
	mark string
}

// New assembles the goldmark pipeline.
func New(opts Options) *Pipeline {
	p := &Pipeline{opts: opts, highlight: newHighlighter(opts.HighlightCache), mark: tokenMark()}
	var exts []goldmark.Extender
	f := opts.Features
	if f.Tables {
		exts = append(exts, extension.Table)
	}
	if f.Strikethrough {
		exts = append(exts, extension.Strikethrough)
	}
	if f.TaskLists {
		exts = append(exts, extension.TaskList)
	}
	linkify := len(exts) // where the linkify extension goes, if any
	if f.Autolinks {
		exts = append(exts, extension.Linkify)
	}
	if f.Footnotes {
		exts = append(exts, extension.Footnote)
	}
	if f.DefinitionList {
		exts = append(exts, extension.DefinitionList)
	}
	if f.Typographer {
		exts = append(exts, extension.Typographer)
	}
	nr := &nodeRenderer{p: p}
	if opts.Registry != nil {
		nr.nodes = opts.Registry.Nodes()
		for _, ns := range nr.nodes {
			if ns.Collect != nil {
				p.collectors.set(ns.Kind, ns.Collect)
			}
			if ns.Refs != nil {
				p.refHooks.set(ns.Kind, ns.Refs)
			}
		}
	}
	newMarkdown := func(exts []goldmark.Extender, skim, linkify bool) goldmark.Markdown {
		var skimming []parser.Option
		if skim {
			// Before the other paragraph transformers (link reference
			// definitions at 100, tables at 200; lower runs first): a
			// paragraph they would take holds a '[' or is a table.
			skimming = append(skimming, parser.WithParagraphTransformers(util.Prioritized(skimParagraphs{linkify: linkify}, 50)))
		}
		return goldmark.New(
			goldmark.WithExtensions(exts...),
			goldmark.WithParserOptions(directives.Extension{}.ParserOptions()...),
			goldmark.WithParserOptions(mathParserOptions(f)...),
			goldmark.WithParserOptions(parser.WithASTTransformers(util.Prioritized(fenceAsDirective{names: []string{"mermaid"}}, 90))),
			goldmark.WithParserOptions(skimming...),
			goldmark.WithRendererOptions(html.WithUnsafe(), renderer.WithNodeRenderers(util.Prioritized(nr, 100))),
		)
	}
	p.md = newMarkdown(exts, false, f.Autolinks)
	p.page = p.md
	if opts.SkimParagraphs {
		p.page = newMarkdown(exts, true, f.Autolinks)
	}
	if f.Autolinks && opts.LinkifyOnDemand {
		noLinkify := slices.Delete(slices.Clone(exts), linkify, linkify+1)
		p.noLinkify = newMarkdown(noLinkify, false, false)
		p.pageNoLinkify = p.noLinkify
		if opts.SkimParagraphs {
			p.pageNoLinkify = newMarkdown(noLinkify, true, false)
		}
	}
	nr.r = p.md.Renderer()
	return p
}

// mayLinkify reports whether goldmark's linkify extension (with its
// default configuration) could find a link in text: it links only where a
// line continues with "http://", "https://", "ftp://" (its URL pattern
// needs the "://") or "www.", or holds an e-mail address, which needs an
// '@'. "://" is looked for, not "http": 'h' is in most words, ':' in few.
func mayLinkify(text []byte) bool {
	return bytes.IndexByte(text, '@') >= 0 || bytes.Contains(text, []byte("://")) || bytes.Contains(text, []byte("www."))
}

// Highlighter returns the pipeline's highlighter.
func (p *Pipeline) Highlighter() *Highlighter { return p.highlight }

// Parse parses one page. file is the path shown in diagnostics and used to
// resolve relative paths; text is the whole file (front matter blanked, so
// line numbers stay true).
func (p *Pipeline) Parse(file string, txt []byte) *Doc {
	doc := &Doc{File: file, refHooks: p.refHooks}
	src := directives.NewSource(file, txt)
	env := &directives.Env{Src: src, Diags: &doc.Diags, Registry: p.opts.Registry, Files: p.opts.Files, Deps: &doc.Deps, Included: new(int)}
	env.Parse = func(s *directives.Source) *directives.Fragment { return p.parseFragment(env.With(s), s) }
	root := p.parse(env, src, true)
	doc.root = &directives.Fragment{Source: src}
	for ch := root.FirstChild(); ch != nil; {
		next := ch.NextSibling()
		doc.root.AppendChild(doc.root, ch)
		ch = next
	}
	p.collect(doc)
	return doc
}

// parse parses a page's text (page) or a directive body or included file.
func (p *Pipeline) parse(env *directives.Env, src *directives.Source, page bool) ast.Node {
	pc := parser.NewContext()
	for _, r := range env.Refs {
		pc.AddReference(r) // first definition wins: the page's before a body's
	}
	directives.SetEnv(pc, env)
	md, noLinkify := p.md, p.noLinkify
	if page {
		md, noLinkify = p.page, p.pageNoLinkify
	}
	if noLinkify != nil && !mayLinkify(src.Text) {
		md = noLinkify
	}
	return md.Parser().Parse(text.NewReader(src.Text), parser.WithContext(pc))
}

func (p *Pipeline) parseFragment(env *directives.Env, src *directives.Source) *directives.Fragment {
	env.Parse = func(s *directives.Source) *directives.Fragment { return p.parseFragment(env.With(s), s) }
	root := p.parse(env, src, false)
	f := &directives.Fragment{Source: src}
	for ch := root.FirstChild(); ch != nil; {
		next := ch.NextSibling()
		f.AppendChild(f, ch)
		ch = next
	}
	return f
}

// Doc is a parsed page: what the site needs to know about it, and the tree
// to render once references are resolved.
type Doc struct {
	File     string
	Diags    diag.List
	Deps     []string
	Title    string
	Headings []Heading
	// Anchors are every id in the page (headings, targets, names, terms).
	Anchors  map[string]bool
	Labels   []Label
	Terms    []Label
	Toctrees []*directives.Toctree
	// Assets are the theme's browser assets the page uses (sorted).
	Assets   []string
	root     *directives.Fragment
	refHooks byKind[directives.RefsFunc]
}

// byKind holds a hook per node kind. Kinds are small consecutive numbers
// (ast.NewNodeKind counts them), so a slice indexed by kind serves the
// look-up made at every node of every page without hashing.
type byKind[F any] []F

func (b byKind[F]) get(k ast.NodeKind) (f F) {
	if k >= 0 && int(k) < len(b) {
		f = b[k]
	}
	return f
}

func (b *byKind[F]) set(k ast.NodeKind, f F) {
	if int(k) >= len(*b) {
		*b = append(*b, make([]F, int(k)+1-len(*b))...)
	}
	(*b)[k] = f
}

// Release drops the page's tree; the collected data (title, headings,
// anchors, labels, toctree entries) stays. A large build keeps only that
// for every page, and a tree only while a page is being rendered.
func (d *Doc) Release() {
	d.root = nil
	for i, t := range d.Toctrees {
		d.Toctrees[i] = t.Detached()
	}
}

// Heading is a section title with its anchor.
type Heading struct {
	Level int
	Text  string
	ID    string
	Line  int
}

// Label is a name {ref} or {term} can point at.
type Label struct {
	Name  string // normalised
	ID    string
	Title string
	Pos   diag.Pos
}

// fenceAsDirective makes plain fenced blocks in the named languages
// directives, as MyST-Parser's myst_fence_as_directive does: ```mermaid is
// {mermaid}, so diagrams written for GitHub render too. The rest of the
// info string is the argument; option lines in the body are options. It
// runs before the directive expander (100).
type fenceAsDirective struct{ names []string }

func (t fenceAsDirective) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	env := directives.EnvOf(pc)
	if env == nil || env.Registry == nil {
		return
	}
	src := reader.Source()
	var fences []*ast.FencedCodeBlock
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if f, ok := n.(*ast.FencedCodeBlock); ok && entering && f.Info != nil && slices.Contains(t.names, string(f.Language(src))) {
			if _, known := env.Registry.Lookup(string(f.Language(src))); known {
				fences = append(fences, f)
			}
		}
		return ast.WalkContinue, nil
	})
	for _, f := range fences {
		lang := f.Language(src)
		info := f.Info.Segment
		rest := info.Value(src)[len(lang):]
		raw := &directives.RawDirective{Name: string(lang), Arg: string(bytes.TrimSpace(rest)),
			ArgOffset: info.Start + len(lang) + util.TrimLeftSpaceLength(rest), Closed: true}
		raw.SetLines(f.Lines())
		raw.SetPos(f.Pos())
		parent := f.Parent()
		parent.ReplaceChild(parent, f, raw)
	}
}
