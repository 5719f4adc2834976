package markdown

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Slug is MyST-Parser's GitHub heading slug: lowercase, each space becomes
// "-", then every rune that is not a letter, a number, "_", "-" or a space
// is dropped. Python's \w is Unicode-aware; Go's regexp \w is not, hence the
// explicit rune classes. Combining marks are dropped, as Python does.
func Slug(title string) string {
	if slug, ok := asciiSlug(title); ok {
		return slug
	}
	return runeSlug(title)
}

// asciiSlug is Slug of a title that is all ASCII (false if it is not), a
// byte at a time: most titles are, and the rune classes took a third of a
// link check's collection of headings.
func asciiSlug(title string) (string, bool) {
	b := make([]byte, 0, len(title))
	for i := 0; i < len(title); i++ {
		switch c := title[i]; {
		case c >= utf8.RuneSelf:
			return "", false
		case c >= 'A' && c <= 'Z':
			b = append(b, c+'a'-'A')
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '_', c == '-':
			b = append(b, c)
		case c == ' ':
			b = append(b, '-')
		}
	}
	return string(b), true
}

func runeSlug(title string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(title) {
		switch {
		case r == ' ':
			b.WriteByte('-')
		case r == '_' || r == '-':
			b.WriteRune(r)
		case unicode.IsLetter(r), unicode.IsNumber(r) && isPythonNumeric(r):
			b.WriteRune(r)
		case r >= 0x4e00 && r <= 0x9fff:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// isPythonNumeric approximates Python's str.isalnum for numbers: digits and
// other numerics with a numeric value (Nd, Nl, No).
func isPythonNumeric(r rune) bool {
	return unicode.In(r, unicode.Nd, unicode.Nl, unicode.No)
}

// Slugger hands out unique slugs within one document: x, x-1, x-2, …
type Slugger struct {
	seen idSet
}

// Unique returns slug, or slug-N with the smallest free N.
func (s *Slugger) Unique(slug string) string {
	if slug == "" {
		return ""
	}
	out := slug
	for i := 1; s.seen.has(out); i++ {
		out = slug + "-" + strconv.Itoa(i)
	}
	s.seen.add(out)
	return out
}

// Reserve marks id as taken (explicit targets share the id space).
func (s *Slugger) Reserve(id string) { s.seen.add(id) }
