package directives

import (
	"bytes"
	"encoding/json"
	"html"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/util"
)

// {mermaid}, as sphinxcontrib-mermaid writes it in its default "raw" output:
// the diagram's source in <pre class="mermaid">, drawn in the browser by the
// theme's vendored mermaid.js on the pages that have one. Readers without
// JavaScript, and the search index, see the source.

var KindMermaid = ast.NewNodeKind("Mermaid")

// Mermaid is a diagram. A caption, if any, is its only child.
type Mermaid struct {
	ast.BaseBlock
	Code       string
	Align      string
	ID         string
	Alt        string
	Zoom       bool
	HasCaption bool
}

func (n *Mermaid) Kind() ast.NodeKind { return KindMermaid }
func (n *Mermaid) Dump(src []byte, l int) {
	ast.DumpHelper(n, src, l, map[string]string{"Code": n.Code}, nil)
}

func mermaidSpec() *Spec {
	return &Spec{
		Name: "mermaid",
		Doc: "A Mermaid diagram (flowchart, sequence, class, state, Gantt, …), drawn in the reader's browser by the " +
			"bundled Mermaid in the page's light or dark colours. The body is the diagram; or the argument names a " +
			"file holding it (relative to the page, or to the content folder with a leading `/`). " +
			"A plain fenced block with the language `mermaid` is the same directive.",
		OptionalArgs: 1,
		Options: []OptionSpec{
			{Name: "caption", Type: Text, Doc: "a caption below the diagram (the diagram becomes a figure)"},
			{Name: "align", Type: Choice, Choices: []string{"left", "center", "right"}, Doc: "alignment"},
			{Name: "zoom", Type: Flag, Doc: "let readers zoom with the mouse wheel and pan by dragging (double-click resets)"},
			{Name: "name", Type: Text, Doc: "a label that `{ref}` can link to"},
			{Name: "alt", Type: Text, Doc: "a text alternative for screen readers"},
			{Name: "config", Type: Required, Doc: "Mermaid configuration as JSON, like `{\"theme\": \"forest\"}`"},
			{Name: "title", Type: Required, Doc: "a title drawn above the diagram"},
		},
		Body: RawBody,
		Run:  runMermaid,
		Nodes: []NodeSpec{{Kind: KindMermaid, Render: renderMermaid, Collect: func(n ast.Node, c Collector) {
			m := n.(*Mermaid)
			c.Uses("mermaid")
			caption := ""
			if m.HasCaption {
				caption = c.Text(m)
			}
			m.ID = c.Name(m.ID, caption)
		}}},
	}
}

func runMermaid(c *Call) []ast.Node {
	var code string
	switch {
	case len(c.Args) > 0 && c.Body != nil:
		c.Warnf(c.ArgPos, "mermaid: give the diagram either as a file argument or as content, not both")
		return nil
	case len(c.Args) > 0:
		path := c.Args[0]
		_, data, ok := c.ReadArg()
		if !ok {
			return nil
		}
		if !utf8.Valid(data) {
			c.Errorf(c.ArgPos, "mermaid: %q is not UTF-8 text", path)
			return nil
		}
		code = strings.TrimRight(string(bytes.TrimPrefix(data, []byte("\ufeff"))), "\r\n")
	case c.Body != nil:
		code = strings.TrimRight(string(c.Body.Text), "\n")
	}
	if strings.TrimSpace(code) == "" {
		c.Warnf(c.Pos, "mermaid: no diagram given; nothing is shown")
		return nil
	}
	// config and title become Mermaid front matter, as sphinxcontrib-mermaid
	// writes them (JSON is YAML).
	var front []string
	if c.Has("config") {
		var compact bytes.Buffer
		if err := json.Compact(&compact, []byte(c.Opt("config"))); err != nil {
			c.Errorf(c.OptPos("config"), "mermaid: config is not valid JSON: %v", err)
			return nil
		}
		front = append(front, "config: "+compact.String())
	}
	if c.Has("title") {
		front = append(front, "title: "+strconv.Quote(c.Opt("title")))
	}
	if len(front) > 0 {
		code = "---\n" + strings.Join(front, "\n") + "\n---\n" + code
	}
	m := &Mermaid{Code: code, Align: c.Opt("align"), ID: MakeID(c.Opt("name")), Alt: c.Opt("alt"), Zoom: c.Has("zoom")}
	if caption := c.Opt("caption"); caption != "" {
		m.HasCaption = true
		m.AppendChild(m, c.ParseInline(caption, c.OptPos("caption")))
	}
	return []ast.Node{m}
}

func renderMermaid(w util.BufWriter, n ast.Node, entering bool, r RenderContext) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	m := n.(*Mermaid)
	align := ""
	if m.Align != "" {
		align = "align-" + m.Align
	}
	if m.HasCaption {
		// The caption makes a figure, which takes the alignment and the name.
		w.WriteString("<figure")
		attr(w, "class", align)
		attr(w, "id", m.ID)
		w.WriteString(">\n")
	}
	w.WriteString(`<pre`)
	if m.HasCaption {
		attr(w, "class", "mermaid")
	} else {
		attr(w, "class", strings.TrimSpace("mermaid "+align))
		attr(w, "id", m.ID)
	}
	attr(w, "data-alt", m.Alt)
	if m.Zoom {
		w.WriteString(` data-zoom=""`)
	}
	// One newline after <pre> is dropped by HTML parsers, so the text is
	// the diagram exactly.
	w.WriteString(">\n")
	w.WriteString(html.EscapeString(m.Code))
	w.WriteString("</pre>\n")
	if m.HasCaption {
		w.WriteString("<figcaption>\n<p><span class=\"caption-text\">")
		if err := r.Render(w, nil, m.FirstChild()); err != nil {
			return ast.WalkStop, err
		}
		w.WriteString("</span></p>\n</figcaption>\n</figure>\n")
	}
	return ast.WalkSkipChildren, nil
}
