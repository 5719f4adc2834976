package directives

import (
	"fmt"
	"html"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/util"
)

// {math}, the {math} role, and the Math nodes that MyST's dollarmath syntax
// ($…$, $$…$$) makes too. Math is written out as TeX between MathJax's
// delimiters, as Sphinx does, so readers without JavaScript and the search
// index see the source; the theme's math.js typesets it with the vendored
// KaTeX on the pages that use it.

var (
	KindMath       = ast.NewNodeKind("Math")
	KindMathInline = ast.NewNodeKind("MathInline")
)

// Math is display math: a {math} directive or a $$…$$ block.
type Math struct {
	ast.BaseBlock
	TeX string
	// Numbered equations have a label (an empty :label: numbers one too);
	// Number is their place among the page's numbered equations, set when
	// the page is collected.
	Numbered bool
	Number   int
	// ID is the equation's anchor, equation-LABEL as Sphinx writes it.
	ID string
	// NameID is an extra anchor from :name: when it differs from ID.
	NameID  string
	Classes []string
	// Nowrap leaves TeX as written, without display delimiters.
	Nowrap bool
}

func (n *Math) Kind() ast.NodeKind { return KindMath }
func (n *Math) Dump(src []byte, l int) {
	ast.DumpHelper(n, src, l, map[string]string{"TeX": n.TeX, "ID": n.ID}, nil)
}

// MathInline is inline math: $…$ or the {math} role.
type MathInline struct {
	ast.BaseInline
	TeX string
}

func (n *MathInline) Kind() ast.NodeKind { return KindMathInline }
func (n *MathInline) Dump(src []byte, l int) {
	ast.DumpHelper(n, src, l, map[string]string{"TeX": n.TeX}, nil)
}

// NewMath returns display math; with labelled, label names the equation
// (an empty label numbers it without a name), as MyST's $$…$$ (label) does.
func NewMath(tex, label string, labelled bool) *Math {
	m := &Math{TeX: tex}
	if labelled {
		m.SetLabel(label)
	}
	return m
}

// SetLabel numbers the equation and names it (anchor equation-LABEL); an
// empty label numbers it only.
func (m *Math) SetLabel(label string) {
	m.Numbered = true
	if label != "" {
		m.ID = MakeID("equation-" + label)
	}
}

// NewMathInline returns inline math.
func NewMathInline(tex string) *MathInline { return &MathInline{TeX: tex} }

var mathNodes = []NodeSpec{
	{Kind: KindMath, Render: renderMath, Collect: collectMath},
	{Kind: KindMathInline, Render: renderMathInline, Collect: func(_ ast.Node, c Collector) { c.Uses("katex") }},
}

func mathSpec() *Spec {
	return &Spec{
		Name: "math",
		Doc: "Display math in LaTeX, typeset in the browser by KaTeX. Equations separated by blank lines are aligned " +
			"one under the other; an equation holding `\\\\` line breaks is split over lines. " +
			"An argument is a first equation. A labelled equation is numbered and gets the anchor `equation-LABEL`.",
		OptionalArgs: 1, FinalArgWhitespace: true,
		Options: []OptionSpec{
			{Name: "label", Type: Text, Doc: "number the equation and name it (anchor `equation-LABEL`)"},
			{Name: "name", Type: Text, Doc: "the same as label, for docutils compatibility"},
			{Name: "class", Type: Classes, Doc: "extra CSS classes"},
			{Name: "nowrap", Type: Flag, Doc: "use the TeX as written, for a whole environment like `\\begin{align}`"},
		},
		Body: RawBody,
		Run: func(c *Call) []ast.Node {
			tex := ""
			if c.Body != nil {
				tex = strings.TrimRight(string(c.Body.Text), "\n")
			}
			if len(c.Args) > 0 && c.Args[0] != "" {
				tex = c.Args[0] + "\n\n" + tex
			}
			label, labelled := c.Opt("label"), c.Has("label")
			if !labelled && c.Has("name") {
				label, labelled = c.Opt("name"), true
			}
			m := NewMath(tex, label, labelled)
			m.Classes, m.Nowrap = c.ClassesOpt("class"), c.Has("nowrap")
			if name := MakeID(c.Opt("name")); name != "" && name != m.ID {
				m.NameID = name
			}
			return []ast.Node{m}
		},
		Nodes: mathNodes,
	}
}

// collectMath numbers the page's equations in document order (on the first
// numbered one it meets) and records their anchors.
func collectMath(n ast.Node, c Collector) {
	c.Uses("katex")
	m := n.(*Math)
	if !m.Numbered {
		return
	}
	if m.Number == 0 {
		root := ast.Node(m)
		for root.Parent() != nil {
			root = root.Parent()
		}
		count := 0
		_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
			if e, ok := n.(*Math); ok && entering && e.Numbered {
				count++
				e.Number = count
				if e.ID == "" {
					e.ID = fmt.Sprintf("equation-%d", count)
				}
			}
			return ast.WalkContinue, nil
		})
	}
	title := fmt.Sprintf("(%d)", m.Number)
	m.ID = c.Name(m.ID, title)
	m.NameID = c.Name(m.NameID, title)
}

// renderMath writes Sphinx's MathJax markup: a div holding the equation
// number and the TeX between \[ and \], with blank-line separated equations
// aligned and equations with \\ split, as sphinx.ext.mathjax does.
func renderMath(w util.BufWriter, n ast.Node, entering bool, _ RenderContext) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	m := n.(*Math)
	if m.NameID != "" {
		fmt.Fprintf(w, "<span id=\"%s\"></span>", html.EscapeString(m.NameID))
	}
	w.WriteString(`<div`)
	attr(w, "class", strings.Join(append([]string{"math", "notranslate", "nohighlight"}, m.Classes...), " "))
	attr(w, "id", m.ID)
	w.WriteString(">\n")
	if m.Number > 0 {
		fmt.Fprintf(w, `<span class="eqno">(%d)<a class="headerlink" href="#%s" title="Link to this equation">¶</a></span>`, m.Number, html.EscapeString(m.ID))
	}
	if m.Nowrap {
		w.WriteString(html.EscapeString(m.TeX))
	} else {
		w.WriteString(`\[` + html.EscapeString(wrapDisplayMath(m.TeX)) + `\]`)
	}
	w.WriteString("</div>\n")
	return ast.WalkSkipChildren, nil
}

// wrapDisplayMath turns several equations (separated by blank lines) into
// one aligned block and wraps an equation with \\ line breaks in split.
func wrapDisplayMath(tex string) string {
	var parts []string
	for _, p := range strings.Split(tex, "\n\n") {
		if strings.TrimSpace(p) != "" {
			parts = append(parts, p)
		}
	}
	var b strings.Builder
	if len(parts) > 1 {
		b.WriteString(` \begin{align}\begin{aligned}`)
	}
	for i, p := range parts {
		if strings.Contains(p, `\\`) {
			b.WriteString(`\begin{split}` + p + `\end{split}`)
		} else {
			b.WriteString(p)
		}
		if i < len(parts)-1 {
			b.WriteString(`\\`)
		}
	}
	if len(parts) > 1 {
		b.WriteString(`\end{aligned}\end{align} `)
	}
	return b.String()
}

func renderMathInline(w util.BufWriter, n ast.Node, entering bool, _ RenderContext) (ast.WalkStatus, error) {
	if entering {
		writeMathInline(w, n.(*MathInline).TeX)
	}
	return ast.WalkSkipChildren, nil
}

// renderMathRole renders {math}`tex` as inline math; the role's spec says
// its page uses KaTeX.
func renderMathRole(w util.BufWriter, ro *Role) { writeMathInline(w, ro.Content) }

func writeMathInline(w util.BufWriter, tex string) {
	w.WriteString(`<span class="math notranslate nohighlight">\(` + html.EscapeString(tex) + `\)</span>`)
}
