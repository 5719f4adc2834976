package directives

import (
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/util"
)

// {container}, and the bare ::: fence that makes the same div.

var KindContainer = ast.NewNodeKind("Container")

// Container is a div with classes around Markdown content: a {container}
// directive or a colon fence without a directive name.
type Container struct {
	ast.BaseBlock
	Classes []string
	ID      string
}

func (n *Container) Kind() ast.NodeKind     { return KindContainer }
func (n *Container) Dump(src []byte, l int) { ast.DumpHelper(n, src, l, nil, nil) }

// containerNodes are part of the MyST syntax too: a bare ::: fence makes a
// Container whatever the registry holds.
var containerNodes = []NodeSpec{{Kind: KindContainer, Render: renderContainer, Collect: func(n ast.Node, c Collector) {
	ct := n.(*Container)
	ct.ID = c.Name(ct.ID, "")
}}}

func containerSpec() *Spec {
	return &Spec{
		Name: "container", Doc: "A div with the argument's classes around Markdown content.",
		OptionalArgs: 1, FinalArgWhitespace: true,
		Options: []OptionSpec{{Name: "name", Type: Required, Doc: "a label"}},
		Body:    Markdown, BodyRequired: true,
		Run: func(c *Call) []ast.Node {
			ct := &Container{ID: MakeID(c.Opt("name"))}
			if len(c.Args) > 0 {
				for _, f := range strings.Fields(c.Args[0]) {
					ct.Classes = append(ct.Classes, MakeID(f))
				}
			}
			ct.AppendChild(ct, c.ParseBody())
			return []ast.Node{ct}
		},
		Nodes: containerNodes,
	}
}

func containerNode(env *Env, raw *RawDirective, content *Source) ast.Node {
	c := &Container{}
	for _, f := range strings.Fields(raw.Arg) {
		if id := MakeID(f); id != "" {
			c.Classes = append(c.Classes, id)
		}
	}
	c.AppendChild(c, env.Parse(content))
	return c
}

func renderContainer(w util.BufWriter, n ast.Node, entering bool, _ RenderContext) (ast.WalkStatus, error) {
	c := n.(*Container)
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
