package markdown

import (
	"bufio"
	"bytes"
	"fmt"
	"html"
	"io"

	"github.com/docsgen/docsgen/internal/directives"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	gmhtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"
)

// Render writes a resolved page body as HTML.
func (p *Pipeline) Render(doc *Doc) ([]byte, error) {
	body, _, err := p.RenderKeys(doc)
	return body, err
}

// RenderKeys is Render, and the keys in the persistent highlight cache of
// the code blocks the page shows, so a build that takes the page from the
// last one instead of rendering it can keep their entries.
func (p *Pipeline) RenderKeys(doc *Doc) (body []byte, keys []string, err error) {
	return p.RenderKeysInto(nil, doc)
}

// RenderKeysInto is RenderKeys writing the body into dst's array when it is
// large enough: a build renders pages one after the other.
func (p *Pipeline) RenderKeysInto(dst []byte, doc *Doc) (body []byte, keys []string, err error) {
	// Sized like the last page's body for its text: grown by doubling from
	// nothing, bodies were 11 % of a large build's allocations.
	src := len(doc.root.Source.Text)
	ratio := p.bodyRatio.Load()
	if ratio == 0 {
		ratio = 4 * 16
	}
	buf := bytes.NewBuffer(dst[:0])
	buf.Grow(int(int64(src)*ratio/16 + 1024))
	// goldmark writes through a util.BufWriter it is given as it is, and
	// hands it to every node's renderer: the highlighter finds it there.
	bw, _ := p.writers.Get().(*bufio.Writer)
	if bw == nil {
		bw = bufio.NewWriter(buf)
	} else {
		bw.Reset(buf)
	}
	defer func() { bw.Reset(nil); p.writers.Put(bw) }()
	w := &keyWriter{Writer: bw}
	if err := p.md.Renderer().Render(w, doc.root.Source.Text, doc.root); err != nil {
		return nil, nil, err
	}
	if src > 0 {
		p.bodyRatio.Store(min(max(int64(buf.Len())*16/int64(src), 16), 64*16))
	}
	return buf.Bytes(), w.keys, nil
}

// keyWriter is a page's output as it renders, noting the highlight cache's
// keys of its code blocks.
type keyWriter struct {
	*bufio.Writer
	keys []string
}

// nodeRenderer renders goldmark's own nodes the Sphinx way and every node
// kind the directive registry knows, through the registry's renderers.
type nodeRenderer struct {
	p     *Pipeline
	r     renderer.Renderer
	nodes []directives.NodeSpec
}

func (r *nodeRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindHTMLBlock, r.htmlBlock)
	reg.Register(ast.KindFencedCodeBlock, r.fencedCode)
	reg.Register(ast.KindCodeBlock, r.fencedCode)
	reg.Register(ast.KindHeading, r.heading)
	for _, ns := range r.nodes {
		render := ns.Render
		reg.Register(ns.Kind, func(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
			return render(w, n, entering, r)
		})
	}
}

// Render, Highlight and LanguageName make the pipeline a directives.RenderContext.
func (r *nodeRenderer) Render(w util.BufWriter, source []byte, n ast.Node) error {
	return r.r.Render(w, source, n)
}

func (r *nodeRenderer) Highlight(w io.Writer, lang, code string, linenos bool, start int, emphasize []int) error {
	return r.p.highlight.Highlight(w, lang, code, linenos, start, emphasize)
}

func (r *nodeRenderer) LanguageName(lang string) string { return LanguageName(lang) }

func (r *nodeRenderer) ShowErrors() bool { return r.p.opts.ShowErrors }

// heading adds Sphinx's "¶" permalink to every heading with an id.
func (r *nodeRenderer) heading(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	h := n.(*ast.Heading)
	if entering {
		fmt.Fprintf(w, "<h%d", h.Level)
		if h.Attributes() != nil {
			gmhtml.RenderAttributes(w, h, gmhtml.HeadingAttributeFilter)
		}
		w.WriteByte('>')
		if sid, ok := h.AttributeString(sphinxIDAttr); ok {
			fmt.Fprintf(w, `<span id="%s"></span>`, html.EscapeString(string(sid.([]byte))))
		}
		return ast.WalkContinue, nil
	}
	if id, ok := h.AttributeString("id"); ok {
		fmt.Fprintf(w, `<a class="headerlink" href="#%s" title="Link to this heading">¶</a>`, html.EscapeString(string(id.([]byte))))
	}
	fmt.Fprintf(w, "</h%d>\n", h.Level)
	return ast.WalkContinue, nil
}

// fencedCode renders plain ``` blocks through the same highlighter.
func (r *nodeRenderer) fencedCode(w util.BufWriter, source []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	lang := ""
	if fc, ok := n.(*ast.FencedCodeBlock); ok {
		lang = string(fc.Language(source))
	}
	var code bytes.Buffer
	for i := 0; i < n.Lines().Len(); i++ {
		seg := n.Lines().At(i)
		code.Write(seg.Value(source))
	}
	fmt.Fprintf(w, `<div class="highlight-%s notranslate"><div class="highlight">`, html.EscapeString(LanguageName(lang)))
	if err := r.p.highlight.Highlight(w, lang, code.String(), false, 1, nil); err != nil {
		return ast.WalkStop, err
	}
	w.WriteString("</div></div>\n")
	return ast.WalkSkipChildren, nil
}

// htmlBlock passes raw HTML through, except blocks that are only a
// comment: those are the author's notes and produce nothing.
func (r *nodeRenderer) htmlBlock(w util.BufWriter, source []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	hb := n.(*ast.HTMLBlock)
	var b bytes.Buffer
	for i := 0; i < hb.Lines().Len(); i++ {
		seg := hb.Lines().At(i)
		b.Write(seg.Value(source))
	}
	if hb.HasClosure() {
		b.Write(hb.ClosureLine.Value(source))
	}
	if isOnlyComment(b.Bytes()) {
		return ast.WalkSkipChildren, nil
	}
	w.Write(b.Bytes())
	return ast.WalkSkipChildren, nil
}

func isOnlyComment(b []byte) bool {
	t := bytes.TrimSpace(b)
	if !bytes.HasPrefix(t, []byte("<!--")) {
		return false
	}
	end := bytes.Index(t, []byte("-->"))
	return end >= 0 && end+3 == len(t)
}
