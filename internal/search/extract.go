package search

import (
	"bytes"
	"slices"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Page is what the index keeps of one page. It is made once when the page
// renders, so a live preview tokenizes again only the pages it renders
// again; assembling the index from Pages is cheap.
type Page struct {
	URL      string // slash path below the site root ("guide/install.html")
	Title    string
	Sections []Section
	// Postings are the page's terms, sorted by term and section.
	Postings []Posting
}

// Section is a part of a page that a result can link to: the text from one
// heading (or glossary term) to the next.
type Section struct {
	Anchor  string // the heading's id; "" for text before the first heading
	Title   string
	Snippet string // the start of its text, shown under the result
	Length  int    // words, for BM25's length normalisation
}

// Posting says a term occurs in a section, with its weighted frequency.
type Posting struct {
	Term    string
	Section uint16
	Weight  float32
}

// Field weights: a word in the page title counts as much as this many in
// the text, one in a section heading as this many.
const (
	titleWeight   = 4
	headingWeight = 2.5
	snippetRunes  = 180
	maxSections   = 1 << 16
)

// skippedClasses mark elements whose text readers do not search for: the ¶
// links, line numbers, diagram sources.
var skippedClasses = []string{"headerlink", "linenos", "ln", "lnt", "mermaid"}

// inline elements do not separate words; every other tag does.
var inline = map[atom.Atom]bool{
	atom.A: true, atom.Span: true, atom.Code: true, atom.Em: true, atom.Strong: true, atom.B: true,
	atom.I: true, atom.Kbd: true, atom.Abbr: true, atom.Sub: true, atom.Sup: true, atom.Mark: true,
	atom.Small: true, atom.S: true, atom.Del: true, atom.Ins: true, atom.U: true, atom.Var: true,
	atom.Samp: true, atom.Q: true, atom.Cite: true,
}

// Extract reads a rendered page body into its sections and postings: each
// heading with an id (and each glossary term, Sphinx's term-… ids) starts a
// section, so results link to the place a word is.
func Extract(url, title string, body []byte) *Page {
	p := &Page{URL: url, Title: title}
	type building struct {
		anchor        string
		heading, text strings.Builder
		h1            bool
	}
	cur := &building{}
	var all []*building
	inHeading := atom.Atom(0)
	skipDepth, depth := 0, 0
	z := html.NewTokenizer(bytes.NewReader(body))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		switch tt {
		case html.TextToken:
			if skipDepth > 0 {
				continue
			}
			if inHeading != 0 {
				cur.heading.Write(z.Text())
			} else {
				cur.text.Write(z.Text())
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			a := atom.Lookup(name)
			void := tt == html.SelfClosingTagToken || isVoid(a)
			if !void {
				depth++
			}
			if !inline[a] {
				cur.text.WriteByte(' ')
			}
			if skipDepth > 0 || void {
				continue
			}
			var id, class string
			for hasAttr {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				switch string(k) {
				case "id":
					id = string(v)
				case "class":
					class = string(v)
				}
			}
			if a == atom.Script || a == atom.Style || a == atom.Svg || hasClass(class, skippedClasses) {
				skipDepth = depth
				continue
			}
			heading := a == atom.H1 || a == atom.H2 || a == atom.H3 || a == atom.H4 || a == atom.H5 || a == atom.H6
			if id != "" && (heading || a == atom.Dt && strings.HasPrefix(id, "term-")) && len(all) < maxSections-1 {
				// Text before the first heading is a section of its own only
				// when there is some.
				if cur.anchor != "" || strings.TrimSpace(cur.text.String()) != "" {
					all = append(all, cur)
					cur = &building{}
				}
				cur.anchor = id
				cur.h1 = a == atom.H1
				inHeading = a
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			if depth == skipDepth {
				skipDepth = 0
			}
			depth--
			if a == inHeading {
				inHeading = 0
			}
			if !inline[a] {
				cur.text.WriteByte(' ')
			}
		}
	}
	all = append(all, cur)
	terms := map[string]map[uint16]float32{}
	add := func(sec uint16, w float32) func(string) {
		return func(term string) {
			m := terms[term]
			if m == nil {
				m = map[uint16]float32{}
				terms[term] = m
			}
			m[sec] += w
		}
	}
	for i, b := range all {
		sec := Section{Anchor: b.anchor, Title: collapse(b.heading.String())}
		if sec.Title == "" {
			sec.Title = title
		}
		text := collapse(b.text.String())
		sec.Snippet = truncate(text, snippetRunes)
		hw := float32(headingWeight)
		if b.h1 {
			hw = titleWeight
		}
		for _, t := range Tokenize(sec.Title) {
			sec.Length++
			t.Terms(add(uint16(i), hw))
		}
		for _, t := range Tokenize(text) {
			sec.Length++
			t.Terms(add(uint16(i), 1))
		}
		p.Sections = append(p.Sections, sec)
	}
	for term, bySec := range terms {
		for sec, w := range bySec {
			p.Postings = append(p.Postings, Posting{Term: term, Section: sec, Weight: w})
		}
	}
	slices.SortFunc(p.Postings, func(a, b Posting) int {
		if c := strings.Compare(a.Term, b.Term); c != 0 {
			return c
		}
		return int(a.Section) - int(b.Section)
	})
	return p
}

func isVoid(a atom.Atom) bool {
	switch a {
	case atom.Area, atom.Base, atom.Br, atom.Col, atom.Embed, atom.Hr, atom.Img, atom.Input, atom.Link,
		atom.Meta, atom.Source, atom.Track, atom.Wbr:
		return true
	}
	return false
}

func hasClass(class string, names []string) bool {
	for _, c := range strings.Fields(class) {
		if slices.Contains(names, c) {
			return true
		}
	}
	return false
}

// collapse joins runs of white space into one space.
func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

func truncate(s string, n int) string {
	i := 0
	for pos := range s {
		if i == n {
			return strings.TrimRight(s[:pos], " ") + "…"
		}
		i++
	}
	return s
}
