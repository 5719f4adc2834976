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
	names map[string]bool // normalised titles seen
	ids   map[string]bool
	n     int
}

func (s *sectionIDs) next(title string) string {
	if s.names == nil {
		s.names, s.ids = map[string]bool{}, map[string]bool{}
	}
	name := normalizeTitle(title)
	id := directives.MakeID(title)
	dup := s.names[name]
	s.names[name] = true
	if dup || id == "" || s.ids[id] {
		return s.auto()
	}
	s.ids[id] = true
	return id
}

// auto hands out the next free id1, id2, … from the document's counter.
func (s *sectionIDs) auto() string {
	if s.ids == nil {
		s.names, s.ids = map[string]bool{}, map[string]bool{}
	}
	for {
		s.n++
		id := "id" + strconv.Itoa(s.n)
		if !s.ids[id] {
			s.ids[id] = true
			return id
		}
	}
}

// reserve marks an id as taken (explicit targets, other names).
func (s *sectionIDs) reserve(id string) {
	if s.ids == nil {
		s.names, s.ids = map[string]bool{}, map[string]bool{}
	}
	s.ids[id] = true
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
