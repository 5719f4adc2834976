package markdown

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/docsgen/docsgen/internal/directives"
)

// Sphinx-built sites give each section the id docutils' make_id derives
// from its title (directives.MakeID). Headings here carry those ids beside
// their GitHub slugs, so every deep link into a site built by Sphinx still
// lands after the switch.

// sphinxIDAttr holds a heading's Sphinx id until it is rendered.
const sphinxIDAttr = "sphinx-id" // not data-*: goldmark renders those

// sectionIDs hands out docutils' section ids within one document: a
// section whose title is a duplicate, or whose id is empty or taken, gets
// id1, id2, … from the document's counter.
type sectionIDs struct {
	names idSet // normalised titles seen
	ids   idSet
	n     int
}

func (s *sectionIDs) next(title string) string {
	name := normalizeTitle(title)
	id := directives.MakeID(title)
	dup := s.names.has(name)
	s.names.add(name)
	if dup || id == "" || s.ids.has(id) {
		return s.auto()
	}
	s.ids.add(id)
	return id
}

// auto hands out the next free id1, id2, … from the document's counter.
func (s *sectionIDs) auto() string {
	for {
		s.n++
		id := "id" + strconv.Itoa(s.n)
		if !s.ids.has(id) {
			s.ids.add(id)
			return id
		}
	}
}

// reserve marks an id as taken (explicit targets, other names).
func (s *sectionIDs) reserve(id string) { s.ids.add(id) }

// idSet is a page's set of names or ids: a list while it is short (a page
// has a few dozen headings at most, and a map for each set, grown as it
// filled, was most of the cost of collecting them), a map past that.
type idSet struct {
	list []string
	m    map[string]bool
}

const idSetList = 32

func (s *idSet) has(k string) bool {
	if s.m != nil {
		return s.m[k]
	}
	for _, v := range s.list {
		if v == k {
			return true
		}
	}
	return false
}

func (s *idSet) add(k string) {
	switch {
	case s.m != nil:
		s.m[k] = true
	case len(s.list) < idSetList:
		if s.list == nil {
			s.list = make([]string, 0, 8) // most pages' headings
		}
		if !s.has(k) {
			s.list = append(s.list, k)
		}
	default:
		s.m = make(map[string]bool, 2*idSetList)
		for _, v := range s.list {
			s.m[v] = true
		}
		s.m[k] = true
		s.list = nil
	}
}

// normalizeTitle is docutils' fully_normalize_name: whitespace runs made
// one space, trimmed, lowercased. An ASCII title is done in one pass.
func normalizeTitle(title string) string {
	for i := 0; i < len(title); i++ {
		if title[i] >= utf8.RuneSelf {
			return strings.ToLower(strings.Join(strings.Fields(title), " "))
		}
	}
	b := make([]byte, 0, len(title))
	space := false
	for i := 0; i < len(title); i++ {
		switch c := title[i]; {
		case c == ' ' || c >= '\t' && c <= '\r':
			space = len(b) > 0
		default:
			if space {
				b = append(b, ' ')
				space = false
			}
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			b = append(b, c)
		}
	}
	return string(b)
}
