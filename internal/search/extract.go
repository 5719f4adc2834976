package search

import (
	"bytes"
	"html"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html/atom"
)

// Page is what the index keeps of one page. It is made once when the page
// renders, so a live preview tokenizes again only the pages it renders
// again; assembling the index from Pages is cheap.
type Page struct {
	URL      string // slash path below the site root ("guide/install.html")
	Title    string
	Sections []Section
	// Postings are the page's terms by section, in no particular order.
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
	return (*Stemmer)(nil).Extract(url, title, body)
}

// A Stemmer stems words and remembers them, for the pages of one site,
// which share most of their words; safe for concurrent use. A nil Stemmer
// remembers nothing.
type Stemmer struct{ known sync.Map }

// Stem is the package's Stem, remembered.
func (st *Stemmer) Stem(word string) string {
	if st == nil {
		return Stem(word)
	}
	if s, ok := st.known.Load(word); ok {
		return s.(string)
	}
	s := Stem(word)
	st.known.Store(word, s)
	return s
}

// Extract is the package's Extract, stemming with st.
func (st *Stemmer) Extract(url, title string, body []byte) *Page {
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
	for pos := 0; pos < len(body); {
		kind, raw, next := nextToken(body, pos)
		pos = next
		switch kind {
		case textToken:
			if skipDepth > 0 {
				continue
			}
			// Raw, unescaped once per section below: cheaper than per text.
			if inHeading != 0 {
				cur.heading.Write(raw)
			} else {
				cur.text.Write(raw)
			}
		case startTag, selfClosingTag:
			a := atom.Lookup(tagName(raw))
			if a == atom.Script || a == atom.Style {
				// Their text is not HTML: skip to the end tag.
				end := bytes.Index(body[pos:], []byte("</"+a.String()))
				if end < 0 {
					end = len(body) - pos
				}
				pos += end
			}
			void := kind == selfClosingTag || isVoid(a)
			if !void {
				depth++
			}
			if !inline[a] {
				cur.text.WriteByte(' ')
			}
			if skipDepth > 0 || void {
				continue
			}
			id := attr(raw, " id=")
			if a == atom.Script || a == atom.Style || a == atom.Svg || hasClass(attr(raw, " class="), skippedClasses) {
				skipDepth = depth
				continue
			}
			heading := a == atom.H1 || a == atom.H2 || a == atom.H3 || a == atom.H4 || a == atom.H5 || a == atom.H6
			if len(id) > 0 && (heading || a == atom.Dt && bytes.HasPrefix(id, []byte("term-"))) && len(all) < maxSections-1 {
				// Text before the first heading is a section of its own only
				// when there is some.
				if cur.anchor != "" || strings.TrimSpace(cur.text.String()) != "" {
					all = append(all, cur)
					cur = &building{}
				}
				cur.anchor = html.UnescapeString(string(id))
				cur.h1 = a == atom.H1
				inHeading = a
			}
		case endTag:
			a := atom.Lookup(tagName(raw))
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
	// A page repeats its words: each is looked up once, giving its term's
	// number (-1 for a stop word), and weights are kept by term number and
	// section.
	ids := make(map[string]int32, 256)    // by word as written
	byTerm := make(map[string]int32, 256) // words with one stem share a number
	var terms []string
	id := func(word string, stem bool) int32 {
		n, ok := ids[word]
		if !ok {
			n = -1
			if !stem || !stopSet[word] {
				t := word
				if stem {
					t = st.Stem(word)
				}
				if n, ok = byTerm[t]; !ok {
					n = int32(len(terms))
					terms = append(terms, t)
					byTerm[t] = n
				}
			}
			ids[word] = n
		}
		return n
	}
	weights := make(map[uint64]float32, 512)
	for i, b := range all {
		sec := Section{Anchor: b.anchor, Title: collapse(html.UnescapeString(b.heading.String()))}
		if sec.Title == "" {
			sec.Title = title
		}
		text := html.UnescapeString(b.text.String())
		sec.Snippet = snippet(text)
		hw := float32(headingWeight)
		if b.h1 {
			hw = titleWeight
		}
		for _, w := range []struct {
			text   string
			weight float32
		}{{sec.Title, hw}, {text, 1}} {
			scan(w.text, func(t Token) {
				sec.Length++
				if t.Whole != "" {
					weights[uint64(id(t.Whole, false))<<16|uint64(i)] += w.weight
				}
				for _, part := range t.Parts {
					if n := id(part, true); n >= 0 {
						weights[uint64(n)<<16|uint64(i)] += w.weight
					}
				}
			})
		}
		p.Sections = append(p.Sections, sec)
	}
	p.Postings = make([]Posting, 0, len(weights))
	for k, w := range weights {
		p.Postings = append(p.Postings, Posting{Term: terms[k>>16], Section: uint16(k), Weight: w})
	}
	return p
}

// snippet is the start of a section's text, white space collapsed.
func snippet(text string) string {
	// A prefix is enough most of the time; a rune it cuts in two is past
	// what is kept.
	for n := 4 * snippetRunes; n < len(text); n *= 2 {
		if head := collapse(text[:n]); utf8.RuneCountInString(head) > snippetRunes+1 {
			return truncate(head, snippetRunes)
		}
	}
	return truncate(collapse(text), snippetRunes)
}

type tokenKind int

const (
	textToken tokenKind = iota
	startTag
	selfClosingTag
	endTag
	otherToken // a comment, doctype or processing instruction
)

// nextToken reads the token of HTML at body[pos:]: the rendered pages are
// docsgen's own, well-formed HTML, so a small scanner does (x/net/html's
// tokenizer costs more than the rest of indexing a page). A '<' that starts
// no tag is text.
func nextToken(body []byte, pos int) (kind tokenKind, raw []byte, next int) {
	rest := body[pos:]
	if rest[0] != '<' || len(rest) < 2 {
		end := bytes.IndexByte(rest[1:], '<')
		if end < 0 {
			return textToken, rest, len(body)
		}
		return textToken, rest[:end+1], pos + end + 1
	}
	switch c := rest[1]; {
	case bytes.HasPrefix(rest, []byte("<!--")):
		end := bytes.Index(rest[4:], []byte("-->"))
		if end < 0 {
			return otherToken, rest, len(body)
		}
		return otherToken, rest[:end+7], pos + end + 7
	case c == '!' || c == '?':
		end := bytes.IndexByte(rest, '>')
		if end < 0 {
			return otherToken, rest, len(body)
		}
		return otherToken, rest[:end+1], pos + end + 1
	case c == '/':
		end := bytes.IndexByte(rest, '>')
		if end < 0 {
			return otherToken, rest, len(body)
		}
		return endTag, rest[:end+1], pos + end + 1
	case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
		// To the '>' outside quoted attribute values.
		quote := byte(0)
		for i := 2; i < len(rest); i++ {
			switch b := rest[i]; {
			case quote != 0:
				if b == quote {
					quote = 0
				}
			case b == '"' || b == '\'':
				quote = b
			case b == '>':
				if rest[i-1] == '/' {
					return selfClosingTag, rest[:i+1], pos + i + 1
				}
				return startTag, rest[:i+1], pos + i + 1
			}
		}
		return otherToken, rest, len(body)
	}
	end := bytes.IndexByte(rest[1:], '<')
	if end < 0 {
		return textToken, rest, len(body)
	}
	return textToken, rest[:end+1], pos + end + 1
}

// tagName is the lower-case name of the raw tag ("<h2 id=…>", "</h2>").
func tagName(raw []byte) []byte {
	i := 0
	for i < len(raw) && (raw[i] == '<' || raw[i] == '/') {
		i++
	}
	j, upper := i, false
	for ; j < len(raw); j++ {
		c := raw[j]
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '/' || c == '>' {
			break
		}
		upper = upper || c >= 'A' && c <= 'Z'
	}
	if upper {
		return bytes.ToLower(raw[i:j])
	}
	return raw[i:j]
}

// attr is the value of the attribute (" id=") in a raw start tag, quoted
// with " or '; nil when it has none. Attribute names are matched as
// written: docsgen writes them in lower case.
func attr(raw []byte, name string) []byte {
	i := bytes.Index(raw, []byte(name))
	if i < 0 || i+len(name) >= len(raw) {
		return nil
	}
	v := raw[i+len(name):]
	q := v[0]
	if q != '"' && q != '\'' {
		end := bytes.IndexAny(v, " \t\n>")
		if end < 0 {
			return nil
		}
		return v[:end]
	}
	end := bytes.IndexByte(v[1:], q)
	if end < 0 {
		return nil
	}
	return v[1 : 1+end]
}

func isVoid(a atom.Atom) bool {
	switch a {
	case atom.Area, atom.Base, atom.Br, atom.Col, atom.Embed, atom.Hr, atom.Img, atom.Input, atom.Link,
		atom.Meta, atom.Source, atom.Track, atom.Wbr:
		return true
	}
	return false
}

func hasClass(class []byte, names []string) bool {
	for len(class) > 0 {
		var c []byte
		c, class, _ = bytes.Cut(bytes.TrimLeft(class, " \t\n"), []byte(" "))
		if slices.Contains(names, string(c)) {
			return true
		}
	}
	return false
}

// collapse joins runs of white space into one space and trims the ends.
func collapse(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for i, r := range s {
		if r < utf8.RuneSelf {
			if c := s[i]; c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v' {
				space = b.Len() > 0
				continue
			}
			if space {
				b.WriteByte(' ')
				space = false
			}
			b.WriteByte(s[i])
			continue
		}
		if unicode.IsSpace(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

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
