package search

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// A Token is one word of text as the index and the query see it. An
// identifier such as DJANGO_SECRET_KEY, fairdm.E001 or --fail-level is one
// token with its parts: Whole is the identifier as typed (lower case), and
// Parts its words. A plain word has one part and no Whole.
type Token struct {
	Whole string
	Parts []string
}

// Tokenize splits text into tokens. search.js's tokenize follows the same
// rules, so a query is cut where the indexed text was:
//   - a token is a run of letters, digits and the joiners _ . : - ' (’ is read as ');
//   - joiners at its ends are dropped, except leading hyphens before a letter (--fail-level);
//   - a final 's and other apostrophes are dropped (operator's → operator, don't → dont);
//   - a token whose remaining joiners split it into more than one word is an identifier.
func Tokenize(text string) []Token {
	var out []Token
	scan(text, func(t Token) {
		t.Parts = slices.Clone(t.Parts)
		out = append(out, t)
	})
	return out
}

// scan calls fn with each token of text; fn must not keep t.Parts, which
// is reused.
func scan(text string, fn func(t Token)) {
	one := make([]string, 1)
	rawTokens(text, func(raw string) { token(raw, one, fn) })
}

// rawTokens calls fn with each run of token characters of text, as written.
func rawTokens(text string, fn func(raw string)) {
	start := -1
	for i, r := range text {
		if r < utf8.RuneSelf && asciiWord[r] || r >= utf8.RuneSelf && isTokenRune(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			fn(text[start:i])
			start = -1
		}
	}
	if start >= 0 {
		fn(text[start:])
	}
}

// asciiWord marks the ASCII characters a token is made of.
var asciiWord = func() (t [utf8.RuneSelf]bool) {
	for c := range utf8.RuneSelf {
		t[c] = isTokenRune(rune(c))
	}
	return t
}()

func isTokenRune(r rune) bool {
	return r == '_' || r == '.' || r == ':' || r == '-' || r == '\'' || r == '’' || unicode.IsLetter(r) || unicode.IsDigit(r)
}

func isJoiner(r rune) bool { return r == '_' || r == '.' || r == ':' || r == '-' || r == '\'' }

func token(raw string, one []string, fn func(Token)) {
	// Most tokens are plain words: no joiner to handle.
	plain, lower := true, true
	for i := 0; i < len(raw) && plain; i++ {
		c := raw[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case c >= 'A' && c <= 'Z':
			lower = false
		default:
			plain = false
		}
	}
	if plain {
		if !lower {
			raw = strings.ToLower(raw)
		}
		one[0] = raw
		fn(Token{Parts: one})
		return
	}
	s := strings.ToLower(strings.ReplaceAll(raw, "’", "'"))
	s = strings.TrimRight(s, "_.:-'")
	s = strings.TrimSuffix(s, "'s")
	s = strings.ReplaceAll(s, "'", "")
	// Leading hyphens stay on a command-line flag; other leading joiners go.
	flag := strings.TrimLeft(s, "-")
	if flag == s || flag == "" || !unicode.IsLetter(firstRune(flag)) {
		s = strings.TrimLeft(s, "_.:-")
	}
	if s == "" {
		return
	}
	parts := strings.FieldsFunc(s, isJoiner)
	if len(parts) == 0 {
		return
	}
	t := Token{Parts: parts}
	if len(parts) > 1 || strings.HasPrefix(s, "-") {
		t.Whole = s
	}
	fn(t)
}

func firstRune(s string) rune {
	for _, r := range s {
		return r
	}
	return 0
}

// stopWords are left out of the index: they are in nearly every section and
// would make the index larger without making a result better. The list is
// written into the index, so queries drop the same words.
var stopWords = []string{
	"a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "if", "in", "into", "is", "it",
	"its", "of", "on", "or", "so", "that", "the", "their", "then", "there", "these", "this", "to", "was",
	"we", "were", "will", "with", "you", "your",
}

var stopSet = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range stopWords {
		m[w] = true
	}
	return m
}()

// Terms are the index terms of a token: the stem of each part that is not a
// stop word, and the identifier itself, as typed, when it is one.
func (t Token) Terms(add func(term string)) { t.terms(Stem, add) }

func (t Token) terms(stem func(string) string, add func(term string)) {
	if t.Whole != "" {
		add(t.Whole)
	}
	for _, p := range t.Parts {
		if !stopSet[p] {
			add(stem(p))
		}
	}
}
