package directives

import (
	"strings"

	"golang.org/x/text/unicode/norm"
)

// Ids as Sphinx makes them, so names (:name:, glossary terms, section
// titles) get the ids a Sphinx-built site has and old deep links land.

// docutilsLetters are the letters docutils transliterates before dropping
// what is not ASCII (its _non_id_translate and _non_id_translate_digraphs).
var docutilsLetters = strings.NewReplacer(
	"ß", "sz", "æ", "ae", "œ", "oe", "ȸ", "db", "ȹ", "qp",
	"ø", "o", "đ", "d", "ħ", "h", "ı", "i", "ł", "l", "ŧ", "t", "ƀ", "b", "ƃ", "b", "ƈ", "c", "ƌ", "d",
	"ƒ", "f", "ƙ", "k", "ƚ", "l", "ƞ", "n", "ƥ", "p", "ƫ", "t", "ƭ", "t", "ƴ", "y", "ƶ", "z", "ǥ", "g",
	"ȥ", "z", "ȴ", "l", "ȵ", "n", "ȶ", "t", "ȷ", "j", "ȼ", "c", "ȿ", "s", "ɀ", "z", "ɇ", "e", "ɉ", "j",
	"ɋ", "q", "ɍ", "r", "ɏ", "y",
)

// MakeID is docutils' make_id: lowercase, a few letters transliterated,
// NFKD with non-ASCII dropped, whitespace runs joined, every run of other
// than [a-z0-9] made "-", leading digits and hyphens and trailing hyphens
// stripped. "1. Fork the repo" → "fork-the-repo", "v2.0" → "v2-0".
func MakeID(title string) string {
	return idChars(title, true, func(c byte) bool {
		return c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
	}, "-0123456789")
}

// TermID is the id Sphinx gives a glossary term: its _make_id of
// "term-" + the term, which keeps case, "." and "_" ("term-Sample-Type").
func TermID(term string) string {
	return idChars("term-"+term, false, func(c byte) bool {
		return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_'
	}, "-0123456789._")
}

// idChars applies the shared steps of the two id rules: keep says which
// ASCII bytes stay, leading lists what is stripped from the front. lower
// lowercases s first: an ASCII s as it is read, without a copy.
func idChars(s string, lower bool, keep func(byte) bool, leading string) string {
	if !isASCII(s) { // both steps leave ASCII as it is
		if lower {
			s, lower = strings.ToLower(s), false
		}
		s = norm.NFKD.String(docutilsLetters.Replace(s))
		ascii := make([]byte, 0, len(s))
		for i := 0; i < len(s); i++ {
			if s[i] < 0x80 {
				ascii = append(ascii, s[i])
			}
		}
		s = string(ascii)
	}
	// One pass over the ASCII text, as strings.Fields would split it
	// (without the slice of words it allocates for every title).
	var b strings.Builder
	b.Grow(len(s))
	pendingDash := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if lower && c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		switch {
		case c == ' ' || c >= '\t' && c <= '\r':
			if b.Len() > 0 {
				pendingDash = true // the single space joining words is a non-id char
			}
		case keep(c):
			if pendingDash {
				b.WriteByte('-')
				pendingDash = false
			}
			b.WriteByte(c)
		default:
			pendingDash = true
		}
	}
	id := strings.TrimLeft(b.String(), leading)
	return strings.TrimRight(id, "-")
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
