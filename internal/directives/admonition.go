package directives

import (
	"fmt"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/util"
)

// The admonitions: {note}, {warning}, … and the generic {admonition}.

var (
	KindAdmonition      = ast.NewNodeKind("Admonition")
	KindAdmonitionTitle = ast.NewNodeKind("AdmonitionTitle")
)

// Admonition is a note/warning/… box. Its first child is an AdmonitionTitle.
type Admonition struct {
	ast.BaseBlock
	Classes     []string // "note", or "admonition-my-title" for generic ones
	Collapsible string   // "", "open" or "closed"
	ID          string
}

func (n *Admonition) Kind() ast.NodeKind     { return KindAdmonition }
func (n *Admonition) Dump(src []byte, l int) { ast.DumpHelper(n, src, l, nil, nil) }

// AdmonitionTitle holds the title's inline content.
type AdmonitionTitle struct{ ast.BaseBlock }

func (n *AdmonitionTitle) Kind() ast.NodeKind     { return KindAdmonitionTitle }
func (n *AdmonitionTitle) Dump(src []byte, l int) { ast.DumpHelper(n, src, l, nil, nil) }

var admonitionNodes = []NodeSpec{
	{Kind: KindAdmonition, Render: renderAdmonition, Collect: func(n ast.Node, c Collector) {
		a := n.(*Admonition)
		a.ID = c.Name(a.ID, "")
	}},
	{Kind: KindAdmonitionTitle, Render: renderAdmonitionTitle},
}

var admonitionOptions = append([]OptionSpec{
	{Name: "collapsible", Type: Choice, Choices: []string{"", "open", "closed"}, Doc: "render as a `<details>` box, open or closed"},
}, commonOptions...)

var admonitionTitles = map[string]string{
	"attention": "Attention", "caution": "Caution", "danger": "Danger", "error": "Error", "hint": "Hint",
	"important": "Important", "note": "Note", "seealso": "See also", "tip": "Tip", "warning": "Warning",
}

// admonitionSpecs returns one spec per kind of box, in a fixed order.
func admonitionSpecs() []*Spec {
	var specs []*Spec
	for _, kind := range []string{"attention", "caution", "danger", "error", "hint", "important", "note", "seealso", "tip", "warning"} {
		specs = append(specs, admonitionSpec(kind))
	}
	return specs
}

func admonitionSpec(kind string) *Spec {
	return &Spec{
		Name: kind, Doc: "A box titled \"" + admonitionTitles[kind] + "\"; text on the opening line starts the body.",
		Options: admonitionOptions, Body: Markdown, BodyRequired: true,
		Run: func(c *Call) []ast.Node {
			title := &AdmonitionTitle{}
			title.AppendChild(title, ast.NewString([]byte(admonitionTitles[kind])))
			return []ast.Node{admonition(c, append([]string{kind}, c.ClassesOpt("class")...), title)}
		},
		Nodes: admonitionNodes,
	}
}

func genericAdmonition() *Spec {
	return &Spec{
		Name: "admonition", Doc: "A box with a custom title (the argument); style it with `:class: tip` and the like.",
		RequiredArgs: 1, FinalArgWhitespace: true,
		Options: admonitionOptions, Body: Markdown, BodyRequired: true,
		Run: func(c *Call) []ast.Node {
			title := &AdmonitionTitle{}
			title.AppendChild(title, c.ParseInline(c.Args[0], c.ArgPos))
			classes := c.ClassesOpt("class")
			if len(classes) == 0 {
				classes = []string{"admonition-" + MakeID(c.Args[0])}
			}
			return []ast.Node{admonition(c, classes, title)}
		},
		Nodes: admonitionNodes,
	}
}

func admonition(c *Call, classes []string, title *AdmonitionTitle) ast.Node {
	a := &Admonition{Classes: classes, ID: MakeID(c.Opt("name"))}
	if c.Has("collapsible") {
		a.Collapsible = cmpOr(c.Opt("collapsible"), "open")
	}
	a.AppendChild(a, title)
	a.AppendChild(a, c.ParseBody())
	return a
}

func renderAdmonition(w util.BufWriter, n ast.Node, entering bool, _ RenderContext) (ast.WalkStatus, error) {
	a := n.(*Admonition)
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

func renderAdmonitionTitle(w util.BufWriter, n ast.Node, entering bool, _ RenderContext) (ast.WalkStatus, error) {
	tag := "p"
	if a, ok := n.Parent().(*Admonition); ok && a.Collapsible != "" {
		tag = "summary"
	}
	if entering {
		fmt.Fprintf(w, `<%s class="admonition-title">`, tag)
	} else {
		fmt.Fprintf(w, "</%s>\n", tag)
	}
	return ast.WalkContinue, nil
}
