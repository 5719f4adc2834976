package directives

import (
	"fmt"
	"html"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/util"
)

// The nodes of MyST's own syntax, which exist whatever directives a build
// registers. Each directive's nodes live in the directive's file.
var (
	KindFragment    = ast.NewNodeKind("Fragment")
	KindErrorMarker = ast.NewNodeKind("ErrorMarker")
	KindTarget      = ast.NewNodeKind("Target")
	KindComment     = ast.NewNodeKind("Comment")
)

// syntaxNodes renders the nodes the parser itself makes: fragments, error
// markers, (label)= targets, % comments, bare ::: containers and roles
// (whose rendering the registry's role specs decide).
func syntaxNodes() []NodeSpec {
	return append([]NodeSpec{
		{Kind: KindFragment, Render: renderFragment},
		{Kind: KindErrorMarker, Render: renderErrorMarker},
		{Kind: KindTarget, Render: renderTarget},
		{Kind: KindComment, Render: renderNothing},
		{Kind: KindRole, Render: renderRole, Collect: roleUses, Refs: roleRefs},
	}, containerNodes...)
}

// Fragment holds nodes parsed from another buffer than its parent's: a
// directive body or an included file. Everything below it reads Source.
type Fragment struct {
	ast.BaseBlock
	Source *Source
	Inline bool
}

func (n *Fragment) Kind() ast.NodeKind { return KindFragment }
func (n *Fragment) Dump(src []byte, level int) {
	ast.DumpHelper(n, n.Source.Text, level, map[string]string{"File": n.Source.File}, nil)
}

// renderFragment renders its children against its own source buffer.
func renderFragment(w util.BufWriter, n ast.Node, entering bool, r RenderContext) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	f := n.(*Fragment)
	for c := f.FirstChild(); c != nil; c = c.NextSibling() {
		if err := r.Render(w, f.Source.Text, c); err != nil {
			return ast.WalkStop, err
		}
	}
	return ast.WalkSkipChildren, nil
}

// ErrorMarker stands where a directive failed, so the page shows the spot.
type ErrorMarker struct {
	ast.BaseBlock
	Message string
}

func (n *ErrorMarker) Kind() ast.NodeKind { return KindErrorMarker }
func (n *ErrorMarker) Dump(src []byte, l int) {
	ast.DumpHelper(n, src, l, map[string]string{"Message": n.Message}, nil)
}

func renderErrorMarker(w util.BufWriter, n ast.Node, entering bool, r RenderContext) (ast.WalkStatus, error) {
	if entering && r.ShowErrors() {
		fmt.Fprintf(w, "<div class=\"docsgen-error\" role=\"alert\">%s</div>\n", html.EscapeString(n.(*ErrorMarker).Message))
	}
	return ast.WalkSkipChildren, nil
}

// Target is a (label)= line: a name for the element that follows.
type Target struct {
	ast.BaseBlock
	Label string
	ID    string
}

func (n *Target) Kind() ast.NodeKind { return KindTarget }
func (n *Target) Dump(src []byte, l int) {
	ast.DumpHelper(n, src, l, map[string]string{"Label": n.Label}, nil)
}

func renderTarget(w util.BufWriter, n ast.Node, entering bool, _ RenderContext) (ast.WalkStatus, error) {
	if entering {
		fmt.Fprintf(w, "<span id=\"%s\"></span>", html.EscapeString(n.(*Target).ID))
	}
	return ast.WalkSkipChildren, nil
}

// Comment is a run of % lines; it renders nothing.
type Comment struct{ ast.BaseBlock }

func (n *Comment) Kind() ast.NodeKind     { return KindComment }
func (n *Comment) Dump(src []byte, l int) { ast.DumpHelper(n, src, l, nil, nil) }

func renderNothing(util.BufWriter, ast.Node, bool, RenderContext) (ast.WalkStatus, error) {
	return ast.WalkSkipChildren, nil
}
