package markdown

import (
	"slices"
	"strings"

	"github.com/docsgen/docsgen/internal/directives"
	"github.com/yuin/goldmark/ast"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/util"
)

// walk visits n and its descendants in document order, telling fn which
// Source each node's segments point into.
func walk(n ast.Node, src *directives.Source, fn func(n ast.Node, src *directives.Source, entering bool) ast.WalkStatus) ast.WalkStatus {
	if f, ok := n.(*directives.Fragment); ok {
		src = f.Source
	}
	st := fn(n, src, true)
	if st == ast.WalkStop {
		return st
	}
	if st != ast.WalkSkipChildren {
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			if walk(c, src, fn) == ast.WalkStop {
				return ast.WalkStop
			}
		}
	}
	if fn(n, src, false) == ast.WalkStop {
		return ast.WalkStop
	}
	return ast.WalkContinue
}

// PlainText is a node's text as MyST's slugger sees it: text and code, but
// not images, raw HTML or roles.
func plainText(n ast.Node, source []byte) string {
	var b strings.Builder
	var visit func(n ast.Node)
	visit = func(n ast.Node) {
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			switch c := c.(type) {
			case *ast.Text:
				b.Write(util.UnescapePunctuations(c.Value(source)))
			case *ast.String:
				b.Write(c.Value)
			case *ast.CodeSpan:
				for t := c.FirstChild(); t != nil; t = t.NextSibling() {
					if tx, ok := t.(*ast.Text); ok {
						b.Write(tx.Value(source))
					}
				}
			case *ast.Image, *ast.RawHTML, *directives.Role:
			default:
				visit(c)
			}
		}
	}
	visit(n)
	return b.String()
}

// displayText is like plainText but keeps role content, for titles. Text
// under a Fragment reads the Fragment's source.
func displayText(n ast.Node, src *directives.Source) string {
	var b strings.Builder
	walk(n, src, func(c ast.Node, src *directives.Source, entering bool) ast.WalkStatus {
		if !entering {
			return ast.WalkContinue
		}
		switch c := c.(type) {
		case *ast.Text:
			b.Write(util.UnescapePunctuations(c.Value(src.Text)))
			if c.SoftLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(c.Value)
		case *directives.Role:
			if c.Title != "" {
				b.WriteString(c.Title)
			} else {
				b.WriteString(c.Target)
			}
		case *ast.Image, *ast.RawHTML:
			return ast.WalkSkipChildren
		}
		return ast.WalkContinue
	})
	return strings.TrimSpace(b.String())
}

// collect assigns heading ids and gathers what the site indexes: title,
// headings, anchors, labels, glossary terms and toctrees.
func (p *Pipeline) collect(doc *Doc) {
	if len(p.opts.Substitutions) > 0 {
		substituteTree(doc.root, p.opts.Substitutions)
	}
	doc.Anchors = map[string]bool{}
	var slugs Slugger
	var sphinx sectionIDs
	var pendingTargets []*directives.Target
	col := &collector{doc: doc, sphinx: &sphinx}
	walk(doc.root, doc.root.Source, func(n ast.Node, src *directives.Source, entering bool) ast.WalkStatus {
		if !entering {
			return ast.WalkContinue
		}
		// A target names the next block; anything but a heading gets the
		// target's own id and no implicit title.
		if t, ok := n.(*directives.Target); ok {
			pendingTargets = append(pendingTargets, t)
			doc.Anchors[t.ID] = true
			slugs.Reserve(t.ID)
			sphinx.reserve(t.ID)
			return ast.WalkSkipChildren
		}
		hook := p.collectors.get(n.Kind())
		ranHook := false
		if n.Type() == ast.TypeBlock && len(pendingTargets) > 0 {
			if _, isFrag := n.(*directives.Fragment); !isFrag {
				title := ""
				if h, ok := n.(*ast.Heading); ok {
					title = displayText(h, src)
				} else if hook != nil {
					// The node's own title (a figure's caption) names it.
					col.n, col.src, col.title = n, src, ""
					hook(n, col)
					ranHook, title = true, col.title
				}
				for _, t := range pendingTargets {
					doc.Labels = append(doc.Labels, Label{Name: t.Label, ID: t.ID, Title: title, Pos: src.Pos(t.Pos())})
				}
				pendingTargets = nil
			}
		}
		if _, ok := n.(*extast.FootnoteLink); ok {
			// docutils gives each footnote reference the next auto id, so
			// it counts before later duplicate headings (id1, id2, …).
			sphinx.auto()
			return ast.WalkContinue
		}
		if h, ok := n.(*ast.Heading); ok {
			title := displayText(h, src)
			// Only a renderer reads the attributes: a skimmed tree is
			// never rendered.
			attrs := !p.opts.SkimParagraphs
			id := slugs.Unique(Slug(plainText(h, src.Text)))
			if id != "" {
				if attrs {
					h.SetAttributeString("id", []byte(id))
				}
				doc.Anchors[id] = true
			}
			// The id Sphinx gave this section too, for links into a site
			// it built; rendered as a second anchor when it differs.
			if sid := sphinx.next(title); sid != id && !doc.Anchors[sid] {
				if attrs {
					h.SetAttributeString(sphinxIDAttr, []byte(sid))
				}
				doc.Anchors[sid] = true
			}
			doc.Headings = append(doc.Headings, Heading{Level: h.Level, Text: title, ID: id, Line: src.Pos(h.Pos()).Line})
			if doc.Title == "" && h.Level == 1 {
				doc.Title = title
			}
		} else if hook != nil && !ranHook {
			col.n, col.src = n, src
			hook(n, col)
		}
		return ast.WalkContinue
	})
	for _, t := range pendingTargets {
		doc.Labels = append(doc.Labels, Label{Name: t.Label, ID: t.ID, Pos: doc.root.Source.Pos(t.Pos())})
	}
	for _, c := range col.contents {
		c.set(contentsItems(doc.Headings, c))
	}
	if doc.Title == "" && len(doc.Headings) > 0 {
		doc.Title = doc.Headings[0].Text
	}
}

// collector is what the registry's collect hooks see of a page.
type collector struct {
	sphinx   *sectionIDs // the page's Sphinx id counter
	title    string      // set by the current node's hook
	doc      *Doc
	n        ast.Node
	src      *directives.Source
	contents []contentsAt
}

func (c *collector) Name(id, title string) string {
	if id == "" {
		return ""
	}
	name := id
	if c.doc.Anchors[id] {
		// The id is taken (a section's, say): docutils gives the named
		// element the next automatic id, and the name leads there.
		id = c.sphinx.auto()
	} else {
		c.sphinx.reserve(id)
	}
	c.doc.Anchors[id] = true
	c.doc.Labels = append(c.doc.Labels, Label{Name: name, ID: id, Title: title, Pos: c.src.Pos(c.n.Pos())})
	return id
}

func (c *collector) Term(term, id string) {
	c.doc.Terms = append(c.doc.Terms, Label{Name: directives.NormalizeLabel(term), ID: id, Title: term, Pos: c.src.Pos(c.n.Pos())})
	c.doc.Anchors[id] = true
}

func (c *collector) Text(n ast.Node) string {
	// n may sit in a directive's body, whose text is its own buffer.
	src := c.src
	for p := n.Parent(); p != nil && p != c.n; p = p.Parent() {
		if f, ok := p.(*directives.Fragment); ok {
			src = f.Source
			break
		}
	}
	return displayText(n, src)
}

func (c *collector) Toctree(t *directives.Toctree) { c.doc.Toctrees = append(c.doc.Toctrees, t) }

func (c *collector) Title(title string) { c.title = title }

func (c *collector) Uses(asset string) {
	if !slices.Contains(c.doc.Assets, asset) {
		c.doc.Assets = append(c.doc.Assets, asset)
		slices.Sort(c.doc.Assets)
	}
}

func (c *collector) Contents(local bool, depth int, set func([]directives.TocItem)) {
	c.contents = append(c.contents, contentsAt{local: local, depth: depth, after: len(c.doc.Headings), set: set})
}

// contentsAt is a table of contents waiting for the page's headings.
type contentsAt struct {
	local bool
	depth int
	after int // number of headings before the directive
	set   func([]directives.TocItem)
}

// contentsItems builds a contents tree: the whole page, or with :local: the
// sections after the directive within the current section.
func contentsItems(hs []Heading, c contentsAt) []directives.TocItem {
	from, to := 0, len(hs)
	if c.local {
		from = c.after
		level := 0
		if c.after > 0 {
			level = hs[c.after-1].Level
		}
		for i := from; i < len(hs); i++ {
			if hs[i].Level <= level {
				to = i
				break
			}
		}
	} else if len(hs) > 0 && hs[0].Level == 1 {
		from = 1 // the page title is not part of its own contents
	}
	return HeadingTree(hs[from:to], c.depth)
}

// HeadingTree nests headings by level, down to depth levels (<= 0: all).
func HeadingTree(hs []Heading, depth int) []directives.TocItem {
	type frame struct {
		level int
		items *[]directives.TocItem
	}
	var root []directives.TocItem
	stack := []frame{{level: 0, items: &root}}
	base := 0
	for _, h := range hs {
		if base == 0 || h.Level < base {
			base = h.Level
		}
	}
	for _, h := range hs {
		if h.ID == "" || (depth > 0 && h.Level-base >= depth) {
			continue
		}
		for len(stack) > 1 && stack[len(stack)-1].level >= h.Level {
			stack = stack[:len(stack)-1]
		}
		top := stack[len(stack)-1].items
		*top = append(*top, directives.TocItem{Title: h.Text, URL: "#" + h.ID})
		last := &(*top)[len(*top)-1]
		stack = append(stack, frame{level: h.Level, items: &last.Children})
	}
	return root
}

// substituteTree replaces {{ name }} in the text of the tree (not in code).
// Inline parsing may split one run of text into several nodes, so each run
// of adjacent text nodes is joined, substituted and replaced by one node.
func substituteTree(root *directives.Fragment, subs map[string]string) {
	type run struct {
		texts []*ast.Text
		src   []byte
	}
	var runs []run
	walk(root, root.Source, func(n ast.Node, src *directives.Source, entering bool) ast.WalkStatus {
		if !entering {
			return ast.WalkContinue
		}
		if _, code := n.(*ast.CodeSpan); code {
			return ast.WalkSkipChildren
		}
		var cur []*ast.Text
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			if t, ok := c.(*ast.Text); ok {
				cur = append(cur, t)
				continue
			}
			if len(cur) > 0 {
				runs = append(runs, run{cur, src.Text})
				cur = nil
			}
		}
		if len(cur) > 0 {
			runs = append(runs, run{cur, src.Text})
		}
		return ast.WalkContinue
	})
	for _, r := range runs {
		var b strings.Builder
		for _, t := range r.texts {
			b.Write(t.Value(r.src))
			if t.SoftLineBreak() {
				b.WriteByte('\n')
			}
		}
		joined := b.String()
		if !strings.Contains(joined, "{{") {
			continue
		}
		replaced := substitute(joined, subs)
		if replaced == joined {
			continue
		}
		parent := r.texts[0].Parent()
		parent.InsertBefore(parent, r.texts[0], ast.NewString([]byte(replaced)))
		for _, t := range r.texts {
			parent.RemoveChild(parent, t)
		}
	}
}

func substitute(s string, subs map[string]string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, "{{")
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		j := strings.Index(s[i:], "}}")
		if j < 0 {
			b.WriteString(s)
			return b.String()
		}
		name := strings.TrimSpace(s[i+2 : i+j])
		b.WriteString(s[:i])
		if v, ok := subs[name]; ok {
			b.WriteString(v)
		} else {
			b.WriteString(s[i : i+j+2])
		}
		s = s[i+j+2:]
	}
}
