package directives

import (
	"fmt"
	"html"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/util"
)

// {contents}: a table of contents of the page.

var KindContents = ast.NewNodeKind("Contents")

// Contents is an on-page table of contents.
type Contents struct {
	ast.BaseBlock
	Title   string
	Depth   int // <= 0: unlimited
	Local   bool
	Classes []string
	// Items is filled after headings are known.
	Items []TocItem
}

func (n *Contents) Kind() ast.NodeKind     { return KindContents }
func (n *Contents) Dump(src []byte, l int) { ast.DumpHelper(n, src, l, nil, nil) }

func contentsSpec() *Spec {
	return &Spec{
		Name: "contents", Doc: "A table of contents of this page.",
		OptionalArgs: 1, FinalArgWhitespace: true,
		Options: []OptionSpec{
			{Name: "depth", Type: NonNegInt, Doc: "heading levels to show"},
			{Name: "local", Type: Flag, Doc: "only the sections below the current one"},
			{Name: "backlinks", Type: Choice, Choices: []string{"entry", "top", "none"}, Doc: "accepted for docutils compatibility"},
			{Name: "class", Type: Classes, Doc: "extra CSS classes"},
		},
		Run: func(c *Call) []ast.Node {
			t := &Contents{Depth: c.IntOpt("depth", 0), Local: c.Has("local"), Classes: c.ClassesOpt("class")}
			switch {
			case len(c.Args) > 0:
				t.Title = c.Args[0]
			case !t.Local:
				t.Title = "Contents"
			}
			return []ast.Node{t}
		},
		Nodes: []NodeSpec{{Kind: KindContents, Render: renderContents, Collect: func(n ast.Node, c Collector) {
			t := n.(*Contents)
			c.Contents(t.Local, t.Depth, func(items []TocItem) { t.Items = items })
		}}},
	}
}

func renderContents(w util.BufWriter, n ast.Node, entering bool, _ RenderContext) (ast.WalkStatus, error) {
	c := n.(*Contents)
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
