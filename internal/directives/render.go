package directives

import (
	"fmt"
	"html"
	"io"

	"github.com/docsgen/docsgen/internal/diag"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/util"
)

// NodeSpec is how the pipeline handles one node kind that a directive (or
// the MyST syntax) creates: how it renders as HTML, what it adds to the
// page's index and what it links to. A directive lists the node kinds it creates in Spec.Nodes,
// next to the Run that creates them, so the whole directive is one file;
// package markdown registers every kind the registry knows.
type NodeSpec struct {
	Kind   ast.NodeKind
	Render RenderFunc
	// Collect is nil for a node that adds no label, anchor, term or title.
	Collect CollectFunc
	// Refs is nil for a node that links nowhere.
	Refs RefsFunc
}

// RenderFunc writes one node as HTML, as goldmark's NodeRendererFunc does,
// with the pipeline's rendering services at hand.
type RenderFunc func(w util.BufWriter, n ast.Node, entering bool, r RenderContext) (ast.WalkStatus, error)

// RenderContext is what a node's renderer may use from the pipeline that
// renders it.
type RenderContext interface {
	// Render writes n and its descendants. source is the buffer n's text
	// segments point into; nil will do for a Fragment (it carries its own)
	// and for nodes that hold their text in fields.
	Render(w util.BufWriter, source []byte, n ast.Node) error
	// Highlight writes code as highlighted HTML. emphasize holds 1-based
	// lines of code; start is the number of its first line.
	Highlight(w io.Writer, lang, code string, linenos bool, start int, emphasize []int) error
	// LanguageName is the class suffix (highlight-LANG) for a language name.
	LanguageName(lang string) string
	// ShowErrors says failed directives are shown where they stand (a live
	// preview) rather than left out (a build: readers never see them).
	ShowErrors() bool
}

// CollectFunc tells the page index what node n contributes. It runs once
// per node, in document order, after the page is parsed.
type CollectFunc func(n ast.Node, c Collector)

// Collector gathers what the site indexes from a page. Positions are the
// collected node's.
type Collector interface {
	// Name records id as an anchor of the page and as a label {ref} can
	// link to, showing title (the empty id is ignored). It returns the id
	// the element must carry: another when id is already taken, as
	// docutils numbers it (id1, id2, …).
	Name(id, title string) string
	// Term records a glossary term that {term} can link to, at anchor id.
	Term(term, id string)
	// Text is n's inline content as plain text (roles give their title),
	// for captions and titles.
	Text(n ast.Node) string
	// Toctree records a toctree: the site's navigation is built from them.
	Toctree(t *Toctree)
	// Contents asks for the page's table of contents once every heading is
	// known: the whole page below its title, or with local the sections
	// after this point within the current one; depth <= 0 means all levels.
	Contents(local bool, depth int, set func([]TocItem))
	// Title is what the node shows as its title (a figure's caption): a
	// (label)= target placed before it takes it, as {ref} text.
	Title(title string)
	// Uses says the page needs a browser asset of the theme ("mermaid",
	// "katex", "design"): only pages that use one load it.
	Uses(asset string)
}

// RefsFunc reports the references node n makes (to pages, labels, terms,
// files), so the site resolves them and link checking sees them.
type RefsFunc func(n ast.Node, r Referrer)

// Referrer takes the references of one node.
type Referrer interface {
	// Pos is where the node was written.
	Pos() diag.Pos
	// Ref asks for target to be resolved as a reference of kind ("link",
	// "image", "doc", "ref", "term" or "download") written at pos. Before
	// the page renders, set gets the URL and title it leads to, with ok
	// false when it leads nowhere; a link or image that leaves the site is
	// recorded for link checking and set gets ok false.
	Ref(kind, target string, pos diag.Pos, set func(url, title string, ok bool))
}

// attr writes name="value", escaped, unless value is empty.
func attr(w util.BufWriter, name, value string) {
	if value == "" {
		return
	}
	fmt.Fprintf(w, ` %s="%s"`, name, html.EscapeString(value))
}
