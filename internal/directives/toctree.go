package directives

import (
	"bufio"
	"bytes"
	"fmt"
	"html"
	"strconv"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/util"
)

// {toctree}: the documents that make the site's navigation.

var KindToctree = ast.NewNodeKind("Toctree")

// TocEntry is one line of a toctree as written.
type TocEntry struct {
	Title  string // explicit title, or ""
	Target string // document path (no suffix), URL, or glob pattern
	Line   int    // 1-based line in the file
	Col    int
	File   string
}

// TocItem is a resolved navigation entry.
type TocItem struct {
	Title    string
	URL      string
	External bool
	Current  bool
	Children []TocItem
}

// Toctree lists documents; it defines the site navigation.
type Toctree struct {
	ast.BaseBlock
	Entries    []TocEntry
	Caption    string
	MaxDepth   int // <= 0: unlimited
	Hidden     bool
	Glob       bool
	TitlesOnly bool
	Numbered   int // 0: off
	Reversed   bool
	ID         string
	Classes    []string
	// Items is filled by the site before rendering.
	Items []TocItem
	// Deferred, when set, is written where the items go: a build renders
	// the page before the site is indexed and puts them there after (see
	// markdown.Prerender and TocItemsHTML).
	Deferred string
}

func (n *Toctree) Kind() ast.NodeKind { return KindToctree }

// Detached returns the toctree's data in a node outside any tree, so
// keeping it does not keep its page's whole tree alive.
func (n *Toctree) Detached() *Toctree {
	return &Toctree{Entries: n.Entries, Caption: n.Caption, MaxDepth: n.MaxDepth, Hidden: n.Hidden, Glob: n.Glob,
		TitlesOnly: n.TitlesOnly, Numbered: n.Numbered, Reversed: n.Reversed, ID: n.ID, Classes: n.Classes}
}
func (n *Toctree) Dump(src []byte, l int) { ast.DumpHelper(n, src, l, nil, nil) }

func toctreeSpec() *Spec {
	return &Spec{
		Name: "toctree", Doc: "List documents, one per line: `doc`, `Title <doc>` or a URL. The toctrees define the site navigation.",
		Options: []OptionSpec{
			{Name: "maxdepth", Type: Int, Doc: "heading levels to show"},
			{Name: "caption", Type: Required, Doc: "a caption above the list"},
			{Name: "glob", Type: Flag, Doc: "entries with `*`, `?` or `[` are patterns over documents"},
			{Name: "hidden", Type: Flag, Doc: "define navigation without showing the list"},
			{Name: "includehidden", Type: Flag, Doc: "accepted for Sphinx compatibility"},
			{Name: "titlesonly", Type: Flag, Doc: "list document titles only, not their sections"},
			{Name: "numbered", Type: OptionalNonNegInt, Doc: "number the entries"},
			{Name: "reversed", Type: Flag, Doc: "list entries in reverse order"},
			{Name: "name", Type: Required, Doc: "a label"},
			{Name: "class", Type: Classes, Doc: "extra CSS classes"},
		},
		Body: RawBody,
		Run: func(c *Call) []ast.Node {
			t := &Toctree{Caption: c.Opt("caption"), MaxDepth: c.IntOpt("maxdepth", -1), Hidden: c.Has("hidden"),
				Glob: c.Has("glob"), TitlesOnly: c.Has("titlesonly"), Reversed: c.Has("reversed"),
				ID: MakeID(c.Opt("name")), Classes: c.ClassesOpt("class")}
			if c.Has("numbered") {
				t.Numbered = c.IntOpt("numbered", 999)
				if t.Numbered == 0 {
					t.Numbered = 999
				}
			}
			if c.Body != nil {
				for i, line := range c.Body.Lines() {
					entry := strings.TrimSpace(line)
					if entry == "" {
						continue
					}
					p := c.Body.LinePos(i)
					title, target := SplitTitle(entry)
					t.Entries = append(t.Entries, TocEntry{Title: title, Target: target, File: p.File, Line: p.Line,
						Col: p.Col + len(line) - len(strings.TrimLeft(line, " \t"))})
				}
			}
			return []ast.Node{t}
		},
		Nodes: []NodeSpec{{Kind: KindToctree, Render: renderToctree, Collect: func(n ast.Node, c Collector) {
			t := n.(*Toctree)
			c.Toctree(t)
			t.ID = c.Name(t.ID, t.Caption)
		}}},
	}
}

func renderToctree(w util.BufWriter, n ast.Node, entering bool, _ RenderContext) (ast.WalkStatus, error) {
	t := n.(*Toctree)
	if !entering || t.Hidden {
		return ast.WalkSkipChildren, nil
	}
	w.WriteString(`<div`)
	attr(w, "class", strings.Join(append([]string{"toctree-wrapper", "compound"}, t.Classes...), " "))
	attr(w, "id", t.ID)
	w.WriteString(">\n")
	if t.Caption != "" {
		fmt.Fprintf(w, "<p class=\"caption\" role=\"heading\" aria-level=\"2\"><span class=\"caption-text\">%s</span></p>\n", html.EscapeString(t.Caption))
	}
	if t.Deferred != "" {
		w.WriteString(t.Deferred)
	} else {
		writeTocItems(w, t.Items, 1, t.Numbered, "")
	}
	w.WriteString("</div>\n")
	return ast.WalkSkipChildren, nil
}

// TocItemsHTML is what a toctree with these items and numbering shows
// where Deferred stood.
func TocItemsHTML(items []TocItem, numbered int) []byte {
	var b bytes.Buffer
	w := bufio.NewWriter(&b)
	writeTocItems(w, items, 1, numbered, "")
	w.Flush()
	return b.Bytes()
}

// writeTocItems writes nested navigation items, numbered down to level numbered.
func writeTocItems(w util.BufWriter, items []TocItem, level int, numbered int, prefix string) {
	if len(items) == 0 {
		return
	}
	w.WriteString("<ul>\n")
	for i, it := range items {
		num := ""
		if numbered > 0 && level <= numbered {
			num = prefix + strconv.Itoa(i+1) + "."
		}
		cls := "toctree-l" + strconv.Itoa(level)
		if it.Current {
			cls += " current"
		}
		fmt.Fprintf(w, `<li class="%s"><a class="reference %s" href="%s">`, cls, map[bool]string{true: "external", false: "internal"}[it.External], html.EscapeString(it.URL))
		if num != "" {
			fmt.Fprintf(w, `<span class="section-number">%s </span>`, num)
		}
		w.WriteString(html.EscapeString(it.Title))
		w.WriteString("</a>")
		writeTocItems(w, it.Children, level+1, numbered, strings.TrimSuffix(num, ".")+".")
		w.WriteString("</li>\n")
	}
	w.WriteString("</ul>\n")
}
