package search

import (
	"bytes"
	"html"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html/atom"
)

// referenceExtract is the extraction docsgen used before the one-pass
// extractor: text gathered per section, unescaped, then tokenized. It is
// kept as the reference the fast one must agree with on real pages.
func referenceExtract(st *Stemmer, url, title string, body []byte) *Page {
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
		sec.Snippet = referenceSnippet(text)
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
func referenceSnippet(text string) string {
	// A prefix is enough most of the time; a rune it cuts in two is past
	// what is kept.
	for n := 4 * snippetRunes; n < len(text); n *= 2 {
		if head := collapse(text[:n]); utf8.RuneCountInString(head) > snippetRunes+1 {
			return truncate(head, snippetRunes)
		}
	}
	return truncate(collapse(text), snippetRunes)
}

// inline elements do not separate words; every other tag does.
var inline = map[atom.Atom]bool{
	atom.A: true, atom.Span: true, atom.Code: true, atom.Em: true, atom.Strong: true, atom.B: true,
	atom.I: true, atom.Kbd: true, atom.Abbr: true, atom.Sub: true, atom.Sup: true, atom.Mark: true,
	atom.Small: true, atom.S: true, atom.Del: true, atom.Ins: true, atom.U: true, atom.Var: true,
	atom.Samp: true, atom.Q: true, atom.Cite: true,
}

func isVoid(a atom.Atom) bool {
	switch a {
	case atom.Area, atom.Base, atom.Br, atom.Col, atom.Embed, atom.Hr, atom.Img, atom.Input, atom.Link,
		atom.Meta, atom.Source, atom.Track, atom.Wbr:
		return true
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
