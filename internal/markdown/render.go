package markdown

import (
	"bytes"
	"fmt"
	"html"
	"strconv"
	"strings"

	"github.com/docsgen/docsgen/internal/directives"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	gmhtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"
)

// Render writes a resolved page body as HTML.
func (p *Pipeline) Render(doc *Doc) ([]byte, error) {
	var buf bytes.Buffer
	if err := p.md.Renderer().Render(&buf, doc.root.Source.Text, doc.root); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// nodeRenderer renders the MyST nodes, in Sphinx's class vocabulary so
// existing Sphinx theme CSS applies.
type nodeRenderer struct {
	p *Pipeline
	r renderer.Renderer
}

func (r *nodeRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(directives.KindFragment, r.fragment)
	reg.Register(directives.KindContainer, r.container)
	reg.Register(directives.KindErrorMarker, r.errorMarker)
	reg.Register(directives.KindAdmonition, r.admonition)
	reg.Register(directives.KindAdmonitionTitle, r.admonitionTitle)
	reg.Register(directives.KindCodeBlock, r.codeBlock)
	reg.Register(directives.KindToctree, r.toctree)
	reg.Register(directives.KindContents, r.contents)
	reg.Register(directives.KindImage, r.image)
	reg.Register(directives.KindFigure, r.figure)
	reg.Register(directives.KindGlossary, r.glossary)
	reg.Register(directives.KindTarget, r.target)
	reg.Register(directives.KindComment, r.nothing)
	reg.Register(directives.KindRole, r.role)
	reg.Register(ast.KindHTMLBlock, r.htmlBlock)
	reg.Register(ast.KindFencedCodeBlock, r.fencedCode)
	reg.Register(ast.KindCodeBlock, r.fencedCode)
	reg.Register(ast.KindHeading, r.heading)
}

// heading adds Sphinx's "¶" permalink to every heading with an id.
func (r *nodeRenderer) heading(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	h := n.(*ast.Heading)
	if entering {
		fmt.Fprintf(w, "<h%d", h.Level)
		if h.Attributes() != nil {
			gmhtml.RenderAttributes(w, h, gmhtml.HeadingAttributeFilter)
		}
		w.WriteByte('>')
		return ast.WalkContinue, nil
	}
	if id, ok := h.AttributeString("id"); ok {
		fmt.Fprintf(w, `<a class="headerlink" href="#%s" title="Link to this heading">¶</a>`, html.EscapeString(string(id.([]byte))))
	}
	fmt.Fprintf(w, "</h%d>\n", h.Level)
	return ast.WalkContinue, nil
}

func (r *nodeRenderer) nothing(util.BufWriter, []byte, ast.Node, bool) (ast.WalkStatus, error) {
	return ast.WalkSkipChildren, nil
}

// fragment renders its children against its own source buffer.
func (r *nodeRenderer) fragment(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	f := n.(*directives.Fragment)
	for c := f.FirstChild(); c != nil; c = c.NextSibling() {
		if err := r.r.Render(w, f.Source.Text, c); err != nil {
			return ast.WalkStop, err
		}
	}
	return ast.WalkSkipChildren, nil
}

func attr(w util.BufWriter, name, value string) {
	if value == "" {
		return
	}
	fmt.Fprintf(w, ` %s="%s"`, name, html.EscapeString(value))
}

func (r *nodeRenderer) container(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	c := n.(*directives.Container)
	if entering {
		w.WriteString(`<div`)
		attr(w, "class", strings.Join(append([]string{"docutils", "container"}, c.Classes...), " "))
		attr(w, "id", c.ID)
		w.WriteString(">\n")
	} else {
		w.WriteString("</div>\n")
	}
	return ast.WalkContinue, nil
}

func (r *nodeRenderer) errorMarker(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		fmt.Fprintf(w, "<div class=\"docsgen-error\" role=\"alert\">%s</div>\n", html.EscapeString(n.(*directives.ErrorMarker).Message))
	}
	return ast.WalkSkipChildren, nil
}

func (r *nodeRenderer) admonition(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	a := n.(*directives.Admonition)
	tag := "div"
	if a.Collapsible != "" {
		tag = "details"
	}
	if !entering {
		fmt.Fprintf(w, "</%s>\n", tag)
		return ast.WalkContinue, nil
	}
	fmt.Fprintf(w, "<%s", tag)
	attr(w, "class", "admonition "+strings.Join(a.Classes, " "))
	attr(w, "id", a.ID)
	if a.Collapsible == "open" {
		w.WriteString(" open")
	}
	w.WriteString(">\n")
	return ast.WalkContinue, nil
}

func (r *nodeRenderer) admonitionTitle(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	tag := "p"
	if a, ok := n.Parent().(*directives.Admonition); ok && a.Collapsible != "" {
		tag = "summary"
	}
	if entering {
		fmt.Fprintf(w, `<%s class="admonition-title">`, tag)
	} else {
		fmt.Fprintf(w, "</%s>\n", tag)
	}
	return ast.WalkContinue, nil
}

func (r *nodeRenderer) codeBlock(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	cb := n.(*directives.CodeBlock)
	if cb.HasCaption {
		w.WriteString(`<div class="literal-block-wrapper docutils container"`)
		attr(w, "id", cb.ID)
		w.WriteString(">\n<div class=\"code-block-caption\"><span class=\"caption-text\">")
		if err := r.r.Render(w, nil, cb.FirstChild()); err != nil {
			return ast.WalkStop, err
		}
		w.WriteString("</span>")
		if cb.ID != "" {
			fmt.Fprintf(w, `<a class="headerlink" href="#%s" title="Link to this code">¶</a>`, html.EscapeString(cb.ID))
		}
		w.WriteString("</div>\n")
	}
	classes := append([]string{"highlight-" + LanguageName(cb.Lang), "notranslate"}, cb.Classes...)
	w.WriteString(`<div`)
	attr(w, "class", strings.Join(classes, " "))
	if !cb.HasCaption {
		attr(w, "id", cb.ID)
	}
	w.WriteString(`><div class="highlight">`)
	if err := r.p.highlight.Highlight(w, cb.Lang, cb.Code, cb.Linenos, cb.LineStart, cb.Emphasize); err != nil {
		return ast.WalkStop, err
	}
	w.WriteString("</div></div>\n")
	if cb.HasCaption {
		w.WriteString("</div>\n")
	}
	return ast.WalkSkipChildren, nil
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

func writeTocItems(w util.BufWriter, items []directives.TocItem, level int, numbered int, prefix string) {
	if len(items) == 0 {
		return
	}
	w.WriteString("<ul>\n")
	for i, it := range items {
		num := ""
		if numbered > 0 && level <= numbered {
			num = prefix + strconv.Itoa(i+1) + "."
		}
		cls := "toctree-l" + strconv.Itoa(level)
		if it.Current {
			cls += " current"
		}
		fmt.Fprintf(w, `<li class="%s"><a class="reference %s" href="%s">`, cls, map[bool]string{true: "external", false: "internal"}[it.External], html.EscapeString(it.URL))
		if num != "" {
			fmt.Fprintf(w, `<span class="section-number">%s </span>`, num)
		}
		w.WriteString(html.EscapeString(it.Title))
		w.WriteString("</a>")
		writeTocItems(w, it.Children, level+1, numbered, strings.TrimSuffix(num, ".")+".")
		w.WriteString("</li>\n")
	}
	w.WriteString("</ul>\n")
}

func (r *nodeRenderer) toctree(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	t := n.(*directives.Toctree)
	if !entering || t.Hidden {
		return ast.WalkSkipChildren, nil
	}
	w.WriteString(`<div`)
	attr(w, "class", strings.Join(append([]string{"toctree-wrapper", "compound"}, t.Classes...), " "))
	attr(w, "id", t.ID)
	w.WriteString(">\n")
	if t.Caption != "" {
		fmt.Fprintf(w, "<p class=\"caption\" role=\"heading\"><span class=\"caption-text\">%s</span></p>\n", html.EscapeString(t.Caption))
	}
	writeTocItems(w, t.Items, 1, t.Numbered, "")
	w.WriteString("</div>\n")
	return ast.WalkSkipChildren, nil
}

func (r *nodeRenderer) contents(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	c := n.(*directives.Contents)
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	w.WriteString(`<nav`)
	cls := []string{"contents"}
	if c.Local {
		cls = append(cls, "local")
	}
	attr(w, "class", strings.Join(append(cls, c.Classes...), " "))
	w.WriteString(">\n")
	if c.Title != "" {
		fmt.Fprintf(w, "<p class=\"topic-title\">%s</p>\n", html.EscapeString(c.Title))
	}
	writeTocItems(w, c.Items, 1, 0, "")
	w.WriteString("</nav>\n")
	return ast.WalkSkipChildren, nil
}

func writeImg(w util.BufWriter, img *directives.Image) {
	w.WriteString("<img")
	attr(w, "src", img.Resolved)
	fmt.Fprintf(w, ` alt="%s"`, html.EscapeString(img.Alt))
	cls := img.Classes
	if img.Align != "" {
		cls = append([]string{"align-" + img.Align}, cls...)
	}
	attr(w, "class", strings.Join(cls, " "))
	attr(w, "id", img.ID)
	var style []string
	if img.Width != "" {
		style = append(style, "width: "+cssLength(img.Width))
	}
	if img.Height != "" {
		style = append(style, "height: "+cssLength(img.Height))
	}
	attr(w, "style", strings.Join(style, "; "))
	w.WriteString(" />")
}

func cssLength(v string) string {
	if _, err := strconv.ParseFloat(v, 64); err == nil {
		return v + "px"
	}
	return v
}

func (r *nodeRenderer) image(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	img := n.(*directives.Image)
	if img.Target != "" {
		fmt.Fprintf(w, `<a class="reference external image-reference" href="%s">`, html.EscapeString(img.Target))
	}
	writeImg(w, img)
	if img.Target != "" {
		w.WriteString("</a>")
	}
	w.WriteString("\n")
	return ast.WalkSkipChildren, nil
}

func (r *nodeRenderer) figure(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	f := n.(*directives.Figure)
	w.WriteString("<figure")
	cls := f.Classes
	if f.Align != "" {
		cls = append([]string{"align-" + f.Align}, cls...)
	}
	attr(w, "class", strings.Join(cls, " "))
	attr(w, "id", f.ID)
	if f.Width != "" {
		attr(w, "style", "width: "+cssLength(f.Width))
	}
	w.WriteString(">\n")
	if _, err := r.image(w, nil, f.Image, true); err != nil {
		return ast.WalkStop, err
	}
	if body, ok := f.LastChild().(*directives.Fragment); ok {
		// The first paragraph is the caption, the rest the legend.
		first := true
		for c := body.FirstChild(); c != nil; c = c.NextSibling() {
			if first {
				first = false
				if _, isPara := c.(*ast.Paragraph); isPara {
					w.WriteString("<figcaption>\n<p><span class=\"caption-text\">")
					for ic := c.FirstChild(); ic != nil; ic = ic.NextSibling() {
						if err := r.r.Render(w, body.Source.Text, ic); err != nil {
							return ast.WalkStop, err
						}
					}
					w.WriteString("</span></p>\n")
					if c.NextSibling() != nil {
						w.WriteString("<div class=\"legend\">\n")
					}
					continue
				}
				w.WriteString("<figcaption>\n<div class=\"legend\">\n")
			}
			if err := r.r.Render(w, body.Source.Text, c); err != nil {
				return ast.WalkStop, err
			}
			if c.NextSibling() == nil {
				w.WriteString("</div>\n")
			}
		}
		if !first {
			w.WriteString("</figcaption>\n")
		}
	}
	w.WriteString("</figure>\n")
	return ast.WalkSkipChildren, nil
}

func (r *nodeRenderer) glossary(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	w.WriteString("<dl class=\"simple glossary\">\n")
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *directives.GlossaryTerm:
			fmt.Fprintf(w, `<dt id="%s">%s<a class="headerlink" href="#%s" title="Link to this term">¶</a></dt>`+"\n",
				html.EscapeString(c.ID), html.EscapeString(c.Term), html.EscapeString(c.ID))
		default:
			w.WriteString("<dd>")
			if err := r.r.Render(w, nil, c); err != nil {
				return ast.WalkStop, err
			}
			w.WriteString("</dd>\n")
		}
	}
	w.WriteString("</dl>\n")
	return ast.WalkSkipChildren, nil
}

func (r *nodeRenderer) target(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		fmt.Fprintf(w, "<span id=\"%s\"></span>", html.EscapeString(n.(*directives.Target).ID))
	}
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

func (r *nodeRenderer) role(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	ro := n.(*directives.Role)
	esc := html.EscapeString
	switch ro.Name {
	case "doc", "ref", "term", "download":
		text := ro.Label
		if text == "" {
			text = ro.Content
		}
		if !ro.Resolved {
			fmt.Fprintf(w, `<span class="xref std std-%s missing">%s</span>`, ro.Name, esc(text))
			break
		}
		cls := "reference internal"
		inner := fmt.Sprintf(`<span class="std std-%s">%s</span>`, ro.Name, esc(text))
		if ro.Name == "download" {
			cls = "reference download internal"
			inner = fmt.Sprintf(`<code class="xref download docutils literal notranslate"><span class="pre">%s</span></code>`, esc(text))
			fmt.Fprintf(w, `<a class="%s" download="" href="%s">%s</a>`, cls, esc(ro.URL), inner)
			break
		}
		fmt.Fprintf(w, `<a class="%s" href="%s">%s</a>`, cls, esc(ro.URL), inner)
	case "kbd":
		keys := strings.Fields(ro.Content)
		if len(keys) == 1 {
			fmt.Fprintf(w, `<kbd class="kbd docutils literal notranslate">%s</kbd>`, esc(ro.Content))
			break
		}
		w.WriteString(`<kbd class="kbd compound docutils literal notranslate">`)
		for i, k := range strings.FieldsFunc(ro.Content, func(r rune) bool { return r == ' ' }) {
			if i > 0 {
				w.WriteString(" ")
			}
			for j, part := range strings.Split(k, "+") {
				if j > 0 {
					w.WriteString("+")
				}
				fmt.Fprintf(w, `<kbd class="kbd docutils literal notranslate">%s</kbd>`, esc(part))
			}
		}
		w.WriteString("</kbd>")
	case "abbr":
		if m := abbrRe(ro.Content); m[1] != "" {
			fmt.Fprintf(w, `<abbr title="%s">%s</abbr>`, esc(m[1]), esc(m[0]))
		} else {
			fmt.Fprintf(w, `<abbr>%s</abbr>`, esc(ro.Content))
		}
	case "sub":
		fmt.Fprintf(w, "<sub>%s</sub>", esc(ro.Content))
	case "sup":
		fmt.Fprintf(w, "<sup>%s</sup>", esc(ro.Content))
	case "guilabel":
		fmt.Fprintf(w, `<span class="guilabel">%s</span>`, esc(strings.ReplaceAll(ro.Content, "&", "")))
	case "menuselection":
		fmt.Fprintf(w, `<span class="menuselection">%s</span>`, esc(strings.ReplaceAll(ro.Content, "-->", "‣")))
	case "file", "samp", "command", "envvar", "code":
		fmt.Fprintf(w, `<code class="docutils literal notranslate %s"><span class="pre">%s</span></code>`, ro.Name, esc(ro.Content))
	default:
		fmt.Fprintf(w, `<code class="docutils literal notranslate unknown-role">%s</code>`, esc(ro.Content))
	}
	return ast.WalkSkipChildren, nil
}

// abbrRe splits "DNS (Domain Name System)" into the abbreviation and its expansion.
func abbrRe(s string) [2]string {
	s = strings.TrimSpace(s)
	if strings.HasSuffix(s, ")") {
		if i := strings.LastIndex(s, " ("); i > 0 {
			return [2]string{s[:i], s[i+2 : len(s)-1]}
		}
	}
	return [2]string{s, ""}
}
