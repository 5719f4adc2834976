package directives

import (
	"fmt"
	"html"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/util"
)

// {glossary}: terms that {term} links to.

var (
	KindGlossary     = ast.NewNodeKind("Glossary")
	KindGlossaryTerm = ast.NewNodeKind("GlossaryTerm")
)

// Glossary is a definition list of terms that {term} can reference.
// Its children alternate GlossaryTerm and a definition Fragment.
type Glossary struct{ ast.BaseBlock }

func (n *Glossary) Kind() ast.NodeKind     { return KindGlossary }
func (n *Glossary) Dump(src []byte, l int) { ast.DumpHelper(n, src, l, nil, nil) }

// GlossaryTerm is one term of a glossary.
type GlossaryTerm struct {
	ast.BaseBlock
	Term string
	ID   string
}

func (n *GlossaryTerm) Kind() ast.NodeKind { return KindGlossaryTerm }
func (n *GlossaryTerm) Dump(src []byte, l int) {
	ast.DumpHelper(n, src, l, map[string]string{"Term": n.Term}, nil)
}

func glossarySpec() *Spec {
	return &Spec{
		Name: "glossary", Doc: "Terms (unindented lines) and their definitions (indented); {term} links to them.",
		Options: []OptionSpec{{Name: "sorted", Type: Flag, Doc: "sort the terms alphabetically"}},
		Body:    RawBody, BodyRequired: true,
		Run: runGlossary,
		Nodes: []NodeSpec{
			{Kind: KindGlossary, Render: renderGlossary},
			// Terms render with their glossary; they are collected one by one.
			{Kind: KindGlossaryTerm, Render: renderNothing, Collect: func(n ast.Node, c Collector) {
				t := n.(*GlossaryTerm)
				c.Term(t.Term, t.ID)
			}},
		},
	}
}

type glossaryEntry struct {
	terms []*GlossaryTerm
	def   []Span
	key   string
}

func runGlossary(c *Call) []ast.Node {
	lines := c.Body.Lines()
	var entries []*glossaryEntry
	var cur *glossaryEntry
	defIndent := -1
	prevBlank := true
	for i, l := range lines {
		trimmed := strings.TrimLeft(l, " \t")
		switch {
		case trimmed == "":
			prevBlank = true
			if cur != nil && len(cur.def) > 0 {
				cur.def = append(cur.def, Span{Line: i})
			}
			continue
		case len(trimmed) == len(l): // a term line
			if cur != nil && len(cur.def) == 0 && !prevBlank {
				cur.terms = append(cur.terms, glossaryTerm(trimmed))
			} else {
				if !prevBlank {
					c.Warnf(c.Body.LinePos(i), "glossary term must be preceded by an empty line")
				}
				cur = &glossaryEntry{terms: []*GlossaryTerm{glossaryTerm(trimmed)}, key: strings.ToLower(trimmed)}
				entries = append(entries, cur)
				defIndent = -1
			}
		default: // a definition line
			if cur == nil {
				c.Warnf(c.Body.LinePos(i), "glossary definition before any term")
				continue
			}
			ind := len(l) - len(trimmed)
			if defIndent < 0 || ind < defIndent {
				defIndent = ind
			}
			cur.def = append(cur.def, Span{Line: i, Skip: defIndent})
		}
		prevBlank = false
	}
	if c.Has("sorted") {
		sortEntries(entries)
	}
	g := &Glossary{}
	for _, e := range entries {
		for _, t := range e.terms {
			g.AppendChild(g, t)
		}
		g.AppendChild(g, c.Env.Parse(c.Body.Pick(e.def)))
	}
	return []ast.Node{g}
}

func glossaryTerm(line string) *GlossaryTerm {
	term, _, _ := strings.Cut(line, " : ")
	term = strings.TrimSpace(term)
	return &GlossaryTerm{Term: term, ID: TermID(term)}
}

func sortEntries(es []*glossaryEntry) {
	for i := 1; i < len(es); i++ {
		for j := i; j > 0 && es[j].key < es[j-1].key; j-- {
			es[j], es[j-1] = es[j-1], es[j]
		}
	}
}

func renderGlossary(w util.BufWriter, n ast.Node, entering bool, r RenderContext) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	w.WriteString("<dl class=\"simple glossary\">\n")
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *GlossaryTerm:
			fmt.Fprintf(w, `<dt id="%s">%s<a class="headerlink" href="#%s" title="Link to this term">¶</a></dt>`+"\n",
				html.EscapeString(c.ID), html.EscapeString(c.Term), html.EscapeString(c.ID))
		default:
			w.WriteString("<dd>")
			if err := r.Render(w, nil, c); err != nil {
				return ast.WalkStop, err
			}
			w.WriteString("</dd>\n")
		}
	}
	w.WriteString("</dl>\n")
	return ast.WalkSkipChildren, nil
}
