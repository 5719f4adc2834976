package directives

import (
	"fmt"
	"html"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/util"
)

// {code-block} and the CodeBlock node that {literalinclude} and a literal
// {include} make too.

var KindCodeBlock = ast.NewNodeKind("CodeBlock")

// CodeBlock is a highlighted literal block. A caption, if any, is its only child.
type CodeBlock struct {
	ast.BaseBlock
	Lang       string
	Code       string
	Linenos    bool
	LineStart  int
	Emphasize  []int // 1-based lines of Code
	ID         string
	Classes    []string
	HasCaption bool
}

func (n *CodeBlock) Kind() ast.NodeKind { return KindCodeBlock }
func (n *CodeBlock) Dump(src []byte, l int) {
	ast.DumpHelper(n, src, l, map[string]string{"Lang": n.Lang, "Code": n.Code}, nil)
}

var codeNodes = []NodeSpec{{Kind: KindCodeBlock, Render: renderCodeBlock, Collect: collectCodeBlock}}

var codeOptions = []OptionSpec{
	{Name: "linenos", Type: Flag, Doc: "show line numbers"},
	{Name: "lineno-start", Type: Int, Doc: "first line number (implies linenos)"},
	{Name: "emphasize-lines", Type: Required, Doc: "lines to highlight, like `1,3-5`"},
	{Name: "caption", Type: Text, Doc: "a caption above the block"},
	{Name: "dedent", Type: OptionalNonNegInt, Doc: "remove this many leading characters, or the common indentation"},
	{Name: "force", Type: Flag, Doc: "accepted for Sphinx compatibility"},
}

func codeBlockSpec() *Spec {
	return &Spec{
		Name: "code-block", Aliases: []string{"code", "sourcecode"},
		Doc:          "A highlighted code block; the argument names the language.",
		OptionalArgs: 1,
		Options: append(append([]OptionSpec{
			{Name: "number-lines", Type: OptionalNonNegInt, Doc: "docutils spelling of lineno-start"},
		}, codeOptions...), commonOptions...),
		Body: RawBody, BodyRequired: true,
		Run: func(c *Call) []ast.Node {
			lines := splitKeepNewlines(string(c.Body.Text))
			if c.Has("dedent") {
				var warn bool
				if lines, warn = dedentLines(lines, c.Opt("dedent")); warn {
					c.Warnf(c.OptPos("dedent"), "non-whitespace stripped by dedent")
				}
			}
			cb := &CodeBlock{LineStart: 1}
			if len(c.Args) > 0 {
				cb.Lang = c.Args[0]
			}
			if c.Has("number-lines") {
				cb.Linenos, cb.LineStart = true, c.IntOpt("number-lines", 1)
			}
			return codeNode(c, cb, lines)
		},
		Nodes: codeNodes,
	}
}

// codeNode fills the options shared by code-block and literalinclude.
func codeNode(c *Call, cb *CodeBlock, lines []string) []ast.Node {
	cb.Code = strings.Join(lines, "")
	if c.Has("linenos") {
		cb.Linenos = true
	}
	if c.Has("lineno-start") {
		cb.Linenos, cb.LineStart = true, c.IntOpt("lineno-start", 1)
	}
	if spec, ok := c.options["emphasize-lines"]; ok {
		picks, err := ParseLineSpec(spec.Value, len(lines))
		if err != nil {
			c.Warnf(spec.Pos, "%v", err)
		}
		bad := false
		for _, n := range picks {
			if n < len(lines) {
				cb.Emphasize = append(cb.Emphasize, n+1)
			} else {
				bad = true
			}
		}
		if bad {
			c.Warnf(spec.Pos, "line number spec is out of range(1-%d): %q", len(lines), spec.Value)
		}
	}
	cb.Classes = c.ClassesOpt("class")
	cb.ID = MakeID(c.Opt("name"))
	if c.Has("caption") {
		caption := c.Opt("caption")
		if caption == "" && c.Spec.Name == "literalinclude" {
			caption = c.Args[0]
		}
		if caption != "" {
			cb.HasCaption = true
			cb.AppendChild(cb, c.ParseInline(caption, c.OptPos("caption")))
		}
	}
	return []ast.Node{cb}
}

func renderCodeBlock(w util.BufWriter, n ast.Node, entering bool, r RenderContext) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	cb := n.(*CodeBlock)
	if cb.HasCaption {
		w.WriteString(`<div class="literal-block-wrapper docutils container"`)
		attr(w, "id", cb.ID)
		w.WriteString(">\n<div class=\"code-block-caption\"><span class=\"caption-text\">")
		if err := r.Render(w, nil, cb.FirstChild()); err != nil {
			return ast.WalkStop, err
		}
		w.WriteString("</span>")
		if cb.ID != "" {
			fmt.Fprintf(w, `<a class="headerlink" href="#%s" title="Link to this code">¶</a>`, html.EscapeString(cb.ID))
		}
		w.WriteString("</div>\n")
	}
	classes := append([]string{"highlight-" + r.LanguageName(cb.Lang), "notranslate"}, cb.Classes...)
	w.WriteString(`<div`)
	attr(w, "class", strings.Join(classes, " "))
	if !cb.HasCaption {
		attr(w, "id", cb.ID)
	}
	w.WriteString(`><div class="highlight">`)
	if err := r.Highlight(w, cb.Lang, cb.Code, cb.Linenos, cb.LineStart, cb.Emphasize); err != nil {
		return ast.WalkStop, err
	}
	w.WriteString("</div></div>\n")
	if cb.HasCaption {
		w.WriteString("</div>\n")
	}
	return ast.WalkSkipChildren, nil
}

// collectCodeBlock names the block after its caption.
func collectCodeBlock(n ast.Node, c Collector) {
	cb := n.(*CodeBlock)
	caption := ""
	if cb.HasCaption {
		caption = c.Text(cb)
	}
	cb.ID = c.Name(cb.ID, caption)
}
