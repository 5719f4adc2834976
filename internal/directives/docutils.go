package directives

import (
	"fmt"
	"html"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/util"
)

// The docutils and Sphinx body directives a real site uses, rendered in
// Sphinx's HTML class vocabulary so theme CSS written for Sphinx applies:
// the block quotes ({epigraph}, {highlights}, {pull-quote}), {rubric},
// {topic}, {sidebar}, {margin}, the version notes ({versionadded}, …),
// {raw}, {only}, and the directives that only matter to other builders or
// to Python ({index}, {tabularcolumns}, {highlight}, {sectionauthor}, …).

var (
	KindQuote         = ast.NewNodeKind("DocutilsQuote")
	KindAttribution   = ast.NewNodeKind("DocutilsAttribution")
	KindRubric        = ast.NewNodeKind("DocutilsRubric")
	KindAside         = ast.NewNodeKind("DocutilsAside")
	KindAsideTitle    = ast.NewNodeKind("DocutilsAsideTitle")
	KindVersionChange = ast.NewNodeKind("VersionChange")
	KindVersionLabel  = ast.NewNodeKind("VersionLabel")
	KindRawOutput     = ast.NewNodeKind("RawOutput")
	KindHighlightLang = ast.NewNodeKind("HighlightLanguage")
)

// docutilsNode is what the block nodes of this file share.
type docutilsNode struct{ ast.BaseBlock }

// usesCSS is the collect hook of nodes styled by the theme's docutils.css.
func usesCSS(_ ast.Node, c Collector) { c.Uses("docutils") }

// Quote is a block quote with a class (epigraph, highlights, pull-quote):
// its body, then an optional Attribution.
type Quote struct {
	docutilsNode
	Class string
}

func (n *Quote) Kind() ast.NodeKind     { return KindQuote }
func (n *Quote) Dump(src []byte, l int) { ast.DumpHelper(n, src, l, nil, nil) }

// Attribution is the "-- Author" line of a Quote; its child is inline.
type Attribution struct{ docutilsNode }

func (n *Attribution) Kind() ast.NodeKind     { return KindAttribution }
func (n *Attribution) Dump(src []byte, l int) { ast.DumpHelper(n, src, l, nil, nil) }

// attributionRe is docutils' attribution marker: "--", "---" (not more
// dashes) or an em dash, then spaces, then the text.
var attributionRe = regexp.MustCompile(`^(---?|\x{2014}) *(.+)$`)

func quoteSpec(name string) *Spec {
	return &Spec{
		Name: name, Doc: "A block quote with class `" + name + "`; a last paragraph starting with `--` or `—` is its attribution.",
		Body: Markdown, BodyRequired: true,
		Run: func(c *Call) []ast.Node {
			q := &Quote{Class: name}
			body := c.ParseBody()
			q.AppendChild(q, body)
			if a := attribution(c, body); a != nil {
				q.AppendChild(q, a)
			}
			return []ast.Node{q}
		},
		Nodes: []NodeSpec{
			{Kind: KindQuote, Render: renderQuote, Collect: usesCSS},
			{Kind: KindAttribution, Render: renderAttribution},
		},
	}
}

// attribution takes the body's last paragraph out as the attribution if it
// starts with an attribution marker, as docutils' block quotes do.
func attribution(c *Call, body *Fragment) *Attribution {
	p, ok := body.LastChild().(*ast.Paragraph)
	if !ok || p.Lines().Len() == 0 {
		return nil
	}
	var lines []string
	for i := 0; i < p.Lines().Len(); i++ {
		seg := p.Lines().At(i)
		lines = append(lines, strings.TrimRight(string(seg.Value(body.Source.Text)), "\r\n"))
	}
	m := attributionRe.FindStringSubmatch(lines[0])
	if m == nil || strings.HasPrefix(lines[0][len(m[1]):], "-") {
		return nil
	}
	pos := body.Source.Pos(p.Lines().At(0).Start)
	pos.Col += utf8.RuneCountInString(lines[0]) - utf8.RuneCountInString(m[2])
	lines[0] = m[2]
	body.RemoveChild(body, p)
	a := &Attribution{}
	a.AppendChild(a, c.ParseInline(strings.Join(lines, "\n"), pos))
	return a
}

func renderQuote(w util.BufWriter, n ast.Node, entering bool, _ RenderContext) (ast.WalkStatus, error) {
	if entering {
		fmt.Fprintf(w, "<blockquote class=\"%s\">\n", n.(*Quote).Class)
	} else {
		w.WriteString("</blockquote>\n")
	}
	return ast.WalkContinue, nil
}

func renderAttribution(w util.BufWriter, _ ast.Node, entering bool, _ RenderContext) (ast.WalkStatus, error) {
	if entering {
		w.WriteString("<p class=\"attribution\">\u2014")
	} else {
		w.WriteString("</p>\n")
	}
	return ast.WalkContinue, nil
}

// Rubric is an informal heading: it is not a section, so it is not in the
// table of contents. Its child is the inline title.
type Rubric struct {
	docutilsNode
	ID      string
	Classes []string
	Level   int // 1-6 renders <hN>; 0 renders <p>
}

func (n *Rubric) Kind() ast.NodeKind     { return KindRubric }
func (n *Rubric) Dump(src []byte, l int) { ast.DumpHelper(n, src, l, nil, nil) }

func rubricSpec() *Spec {
	return &Spec{
		Name: "rubric", Doc: "An informal heading (the argument) that is not a section and not in the table of contents.",
		RequiredArgs: 1, FinalArgWhitespace: true,
		Options: append([]OptionSpec{
			{Name: "heading-level", Type: Choice, Choices: []string{"1", "2", "3", "4", "5", "6"}, Doc: "render as an `<h1>`…`<h6>` (still not in the table of contents)"},
		}, commonOptions...),
		Run: func(c *Call) []ast.Node {
			r := &Rubric{ID: MakeID(c.Opt("name")), Classes: c.ClassesOpt("class"), Level: c.IntOpt("heading-level", 0)}
			r.AppendChild(r, c.ParseInline(c.Args[0], c.ArgPos))
			return []ast.Node{r}
		},
		Nodes: []NodeSpec{{Kind: KindRubric, Render: renderRubric, Collect: func(n ast.Node, c Collector) {
			c.Uses("docutils")
			r := n.(*Rubric)
			r.ID = c.Name(r.ID, c.Text(n))
		}}},
	}
}

func renderRubric(w util.BufWriter, n ast.Node, entering bool, _ RenderContext) (ast.WalkStatus, error) {
	r := n.(*Rubric)
	tag := "p"
	if r.Level > 0 {
		tag = "h" + strconv.Itoa(r.Level)
	}
	if !entering {
		fmt.Fprintf(w, "</%s>\n", tag)
		return ast.WalkContinue, nil
	}
	fmt.Fprintf(w, "<%s", tag)
	attr(w, "class", strings.Join(append([]string{"rubric"}, r.Classes...), " "))
	attr(w, "id", r.ID)
	w.WriteString(">")
	return ast.WalkContinue, nil
}

// Aside is a topic, a sidebar or a margin note: AsideTitle children (title,
// subtitle) and the body.
type Aside struct {
	docutilsNode
	Classes []string
	ID      string
}

func (n *Aside) Kind() ast.NodeKind     { return KindAside }
func (n *Aside) Dump(src []byte, l int) { ast.DumpHelper(n, src, l, nil, nil) }

// AsideTitle is the title or subtitle of an Aside; its child is inline.
type AsideTitle struct {
	docutilsNode
	Class string // topic-title, sidebar-title, sidebar-subtitle
}

func (n *AsideTitle) Kind() ast.NodeKind     { return KindAsideTitle }
func (n *AsideTitle) Dump(src []byte, l int) { ast.DumpHelper(n, src, l, nil, nil) }

var asideNodes = []NodeSpec{
	{Kind: KindAside, Render: renderAside, Collect: func(n ast.Node, c Collector) {
		c.Uses("docutils")
		a := n.(*Aside)
		title := ""
		if t, ok := a.FirstChild().(*AsideTitle); ok {
			title = c.Text(t)
		}
		a.ID = c.Name(a.ID, title)
	}},
	{Kind: KindAsideTitle, Render: func(w util.BufWriter, n ast.Node, entering bool, _ RenderContext) (ast.WalkStatus, error) {
		if entering {
			fmt.Fprintf(w, "<p class=\"%s\">", n.(*AsideTitle).Class)
		} else {
			w.WriteString("</p>\n")
		}
		return ast.WalkContinue, nil
	}},
}

// asideSpec is {topic} (a title is required), {sidebar} (title optional,
// with a subtitle) or {margin} (sphinx-book-theme's note in the margin).
func asideSpec(name, doc string, classes []string, titleRequired bool, extra ...OptionSpec) *Spec {
	s := &Spec{
		Name: name, Doc: doc, FinalArgWhitespace: true,
		Options: append(extra, commonOptions...),
		Body:    Markdown, BodyRequired: true,
		Run: func(c *Call) []ast.Node {
			if c.Has("subtitle") && len(c.Args) == 0 {
				c.Errorf(c.OptPos("subtitle"), "the \"subtitle\" option may not be used without a title")
				return nil
			}
			a := &Aside{Classes: append(append([]string{}, classes...), c.ClassesOpt("class")...), ID: MakeID(c.Opt("name"))}
			titleClass := classes[0] + "-title"
			if len(c.Args) > 0 {
				t := &AsideTitle{Class: titleClass}
				t.AppendChild(t, c.ParseInline(c.Args[0], c.ArgPos))
				a.AppendChild(a, t)
			}
			if c.Has("subtitle") {
				t := &AsideTitle{Class: classes[0] + "-subtitle"}
				t.AppendChild(t, c.ParseInline(c.Opt("subtitle"), c.OptPos("subtitle")))
				a.AppendChild(a, t)
			}
			a.AppendChild(a, c.ParseBody())
			return []ast.Node{a}
		},
		Nodes: asideNodes,
	}
	if titleRequired {
		s.RequiredArgs = 1
	} else {
		s.OptionalArgs = 1
	}
	return s
}

func topicSpec() *Spec {
	return asideSpec("topic", "A self-contained block set apart from the text, with a title (the argument).", []string{"topic"}, true)
}

func sidebarSpec() *Spec {
	return asideSpec("sidebar", "A box beside the text, with an optional title (the argument) and subtitle.", []string{"sidebar"}, false,
		OptionSpec{Name: "subtitle", Type: Required, Doc: "a subtitle under the title (needs a title)"})
}

func marginSpec() *Spec {
	return asideSpec("margin", "A note in the page margin (sphinx-book-theme's `margin`), with an optional title.", []string{"sidebar", "margin"}, false)
}

func renderAside(w util.BufWriter, n ast.Node, entering bool, _ RenderContext) (ast.WalkStatus, error) {
	if !entering {
		w.WriteString("</aside>\n")
		return ast.WalkContinue, nil
	}
	a := n.(*Aside)
	w.WriteString("<aside")
	attr(w, "class", strings.Join(a.Classes, " "))
	attr(w, "id", a.ID)
	w.WriteString(">\n")
	return ast.WalkContinue, nil
}

// VersionChange is a versionadded/versionchanged/deprecated/versionremoved
// note; a VersionLabel starts its first paragraph.
type VersionChange struct {
	docutilsNode
	Directive string // versionadded, …
}

func (n *VersionChange) Kind() ast.NodeKind     { return KindVersionChange }
func (n *VersionChange) Dump(src []byte, l int) { ast.DumpHelper(n, src, l, nil, nil) }

// VersionLabel is "Added in version X: ", styled by Sphinx themes as
// span.versionmodified.
type VersionLabel struct {
	ast.BaseInline
	Class string // added, changed, deprecated, removed
	Label string
}

func (n *VersionLabel) Kind() ast.NodeKind { return KindVersionLabel }
func (n *VersionLabel) Dump(src []byte, l int) {
	ast.DumpHelper(n, src, l, map[string]string{"Label": n.Label}, nil)
}

var versionNodes = []NodeSpec{
	{Kind: KindVersionChange, Render: func(w util.BufWriter, n ast.Node, entering bool, _ RenderContext) (ast.WalkStatus, error) {
		if entering {
			fmt.Fprintf(w, "<div class=\"%s\">\n", n.(*VersionChange).Directive)
		} else {
			w.WriteString("</div>\n")
		}
		return ast.WalkContinue, nil
	}, Collect: usesCSS},
	{Kind: KindVersionLabel, Render: func(w util.BufWriter, n ast.Node, entering bool, _ RenderContext) (ast.WalkStatus, error) {
		if entering {
			l := n.(*VersionLabel)
			fmt.Fprintf(w, `<span class="versionmodified %s">%s</span>`, l.Class, html.EscapeString(l.Label))
		}
		return ast.WalkSkipChildren, nil
	}},
}

// versionSpec is one of Sphinx's version notes, with its wording.
func versionSpec(name, alias, wording, class string) *Spec {
	return &Spec{
		Name: name, Aliases: []string{alias},
		Doc:          "A note \"" + fmt.Sprintf(wording, "X") + "\": the version (first argument), an optional explanation (the rest of the line) and optional body.",
		RequiredArgs: 1, OptionalArgs: 1, FinalArgWhitespace: true,
		Body: Markdown,
		Run: func(c *Call) []ast.Node {
			v := &VersionChange{Directive: name}
			text := fmt.Sprintf(wording, c.Args[0])
			var first *ast.Paragraph
			if len(c.Args) == 2 {
				pos := c.ArgPos
				pos.Col += utf8.RuneCountInString(c.Args[0]) + 1
				first = ast.NewParagraph()
				first.AppendChild(first, c.ParseInline(c.Args[1], pos))
				v.AppendChild(v, first)
			}
			if c.Body != nil {
				body := c.ParseBody()
				if p, ok := body.FirstChild().(*ast.Paragraph); ok && first == nil {
					first = p
				}
				v.AppendChild(v, body)
			}
			label := &VersionLabel{Class: class, Label: text + ": "}
			if first == nil {
				if v.FirstChild() == nil {
					label.Label = text + "."
				}
				first = ast.NewParagraph()
				v.InsertBefore(v, v.FirstChild(), first)
			}
			first.InsertBefore(first, first.FirstChild(), label)
			return []ast.Node{v}
		},
		Nodes: versionNodes,
	}
}

func versionAddedSpec() *Spec {
	return versionSpec("versionadded", "version-added", "Added in version %s", "added")
}

func versionChangedSpec() *Spec {
	return versionSpec("versionchanged", "version-changed", "Changed in version %s", "changed")
}

func deprecatedSpec() *Spec {
	return versionSpec("deprecated", "version-deprecated", "Deprecated since version %s", "deprecated")
}

func versionRemovedSpec() *Spec {
	return versionSpec("versionremoved", "version-removed", "Removed in version %s", "removed")
}

// RawOutput is HTML passed through from a {raw} directive.
type RawOutput struct {
	docutilsNode
	HTML string
}

func (n *RawOutput) Kind() ast.NodeKind     { return KindRawOutput }
func (n *RawOutput) Dump(src []byte, l int) { ast.DumpHelper(n, src, l, nil, nil) }

func rawSpec() *Spec {
	return &Spec{
		Name: "raw", Doc: "Output passed through untouched, for the formats named by the argument: only `html` shows; other formats (`latex`, …) render nothing.",
		RequiredArgs: 1, FinalArgWhitespace: true,
		Options: []OptionSpec{
			{Name: "file", Type: Required, Doc: "read the output from this file (relative to the page, or `/` for the content folder) instead of the body"},
			{Name: "encoding", Type: Required, Doc: "encoding of the file (default utf-8)"},
		},
		Body: RawBody,
		Run: func(c *Call) []ast.Node {
			out, _, ok := bodyOrFile(c)
			if !ok {
				return nil
			}
			for _, f := range strings.Fields(strings.ToLower(c.Args[0])) {
				if f == "html" {
					return []ast.Node{&RawOutput{HTML: out}}
				}
			}
			return nil
		},
		Nodes: []NodeSpec{{Kind: KindRawOutput, Render: func(w util.BufWriter, n ast.Node, entering bool, _ RenderContext) (ast.WalkStatus, error) {
			if entering {
				w.WriteString(n.(*RawOutput).HTML)
			}
			return ast.WalkSkipChildren, nil
		}}},
	}
}

// htmlTags are the tags {only} sees as set: the html builder's.
var htmlTags = map[string]bool{"html": true, "builder_html": true, "format_html": true}

func onlySpec() *Spec {
	return &Spec{
		Name: "only", Doc: "Content for some builders only: the argument is an expression of tags with `and`, `or`, `not` and parentheses; docsgen is the `html` builder, so `html`, `builder_html` and `format_html` are true, every other tag false.",
		RequiredArgs: 1, FinalArgWhitespace: true,
		Body: Markdown, BodyRequired: true,
		Run: func(c *Call) []ast.Node {
			ok, err := EvalTags(c.Args[0], htmlTags)
			if err != nil {
				c.Errorf(c.ArgPos, "invalid only expression %q: %v", c.Args[0], err)
				return nil
			}
			if !ok {
				return nil
			}
			return []ast.Node{c.ParseBody()}
		},
	}
}

// EvalTags evaluates a Sphinx tag expression ("html and not latex",
// "(a or b) and c") against the set tags.
func EvalTags(expr string, tags map[string]bool) (bool, error) {
	p := &tagParser{toks: tagTokens(expr), tags: tags}
	v, err := p.or()
	if err == nil && p.i < len(p.toks) {
		err = fmt.Errorf("unexpected %q", p.toks[p.i])
	}
	return v, err
}

func tagTokens(s string) []string {
	return strings.Fields(strings.NewReplacer("(", " ( ", ")", " ) ").Replace(s))
}

type tagParser struct {
	toks []string
	i    int
	tags map[string]bool
}

func (p *tagParser) peek() string {
	if p.i < len(p.toks) {
		return p.toks[p.i]
	}
	return ""
}

func (p *tagParser) or() (bool, error) {
	v, err := p.and()
	for err == nil && p.peek() == "or" {
		p.i++
		var r bool
		r, err = p.and()
		v = v || r
	}
	return v, err
}

func (p *tagParser) and() (bool, error) {
	v, err := p.not()
	for err == nil && p.peek() == "and" {
		p.i++
		var r bool
		r, err = p.not()
		v = v && r
	}
	return v, err
}

func (p *tagParser) not() (bool, error) {
	switch t := p.peek(); {
	case t == "not":
		p.i++
		v, err := p.not()
		return !v, err
	case t == "(":
		p.i++
		v, err := p.or()
		if err == nil && p.peek() != ")" {
			err = fmt.Errorf("missing \")\"")
		}
		p.i++
		return v, err
	case t == "", t == ")", t == "and", t == "or":
		return false, fmt.Errorf("a tag name is expected")
	case !tagNameRe.MatchString(t):
		return false, fmt.Errorf("%q is not a tag name", t)
	default:
		p.i++
		return p.tags[t], nil
	}
}

var tagNameRe = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.-]*$`)

// silentSpec is a directive that only matters to other builders (LaTeX,
// the index, author credits shown with show_authors): accepted, rendered
// as nothing, no warning.
func silentSpec(name, doc string, required, optional int, body BodyKind, opts ...OptionSpec) *Spec {
	return &Spec{
		Name: name, Doc: doc, RequiredArgs: required, OptionalArgs: optional, FinalArgWhitespace: true,
		Options: opts, Body: body,
		Run: func(*Call) []ast.Node { return nil },
	}
}

func indexSpec() *Spec {
	s := silentSpec("index", "Index entries for Sphinx's general index; docsgen has no index page, so it renders nothing (a `name` still makes a label).", 0, 1, RawBody,
		OptionSpec{Name: "name", Type: Required, Doc: "a label for the spot, like `(label)=`"})
	s.Run = func(c *Call) []ast.Node {
		if !c.Has("name") {
			return nil
		}
		return []ast.Node{&Target{Label: NormalizeLabel(c.Opt("name")), ID: MakeID(c.Opt("name"))}}
	}
	return s
}

func tabularColumnsSpec() *Spec {
	return silentSpec("tabularcolumns", "LaTeX column specification for the next table; HTML ignores it, so it renders nothing.", 1, 0, NoBody)
}

func authorSpec(name string) *Spec {
	return silentSpec(name, "Credits an author; like Sphinx without `show_authors`, it renders nothing.", 1, 0, NoBody)
}

// HighlightLanguage is a {highlight}: code blocks after it that name no
// language are highlighted in its language.
type HighlightLanguage struct {
	docutilsNode
	Lang string
}

func (n *HighlightLanguage) Kind() ast.NodeKind     { return KindHighlightLang }
func (n *HighlightLanguage) Dump(src []byte, l int) { ast.DumpHelper(n, src, l, nil, nil) }

func highlightSpec() *Spec {
	return &Spec{
		Name: "highlight", Doc: "Sets the language of the code blocks after it (in this page) that name none.",
		RequiredArgs: 1,
		Options: []OptionSpec{
			{Name: "linenothreshold", Type: NonNegInt, Doc: "accepted for Sphinx compatibility"},
			{Name: "force", Type: Flag, Doc: "accepted for Sphinx compatibility"},
		},
		Run: func(c *Call) []ast.Node { return []ast.Node{&HighlightLanguage{Lang: c.Args[0]}} },
		Nodes: []NodeSpec{{Kind: KindHighlightLang, Render: renderNothing, Collect: func(n ast.Node, _ Collector) {
			setDefaultLanguage(n.(*HighlightLanguage))
		}}},
	}
}

// setDefaultLanguage gives the code blocks that follow h in document order,
// up to the next {highlight}, h's language if they have none.
func setDefaultLanguage(h *HighlightLanguage) {
	var visit func(n ast.Node) bool
	visit = func(n ast.Node) bool {
		switch n := n.(type) {
		case *HighlightLanguage:
			return false
		case *CodeBlock:
			if n.Lang == "" {
				n.Lang = h.Lang
			}
		}
		for ch := n.FirstChild(); ch != nil; ch = ch.NextSibling() {
			if !visit(ch) {
				return false
			}
		}
		return true
	}
	for n := ast.Node(h); n != nil; n = n.Parent() {
		for s := n.NextSibling(); s != nil; s = s.NextSibling() {
			if !visit(s) {
				return
			}
		}
	}
}
