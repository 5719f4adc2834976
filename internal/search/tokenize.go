package search

import (
	"strings"
	"unicode"
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
	start := -1
	for i, r := range text {
		if isTokenRune(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			out = appendToken(out, text[start:i])
			start = -1
		}
	}
	if start >= 0 {
		out = appendToken(out, text[start:])
	}
	return out
}

func isTokenRune(r rune) bool {
	return r == '_' || r == '.' || r == ':' || r == '-' || r == '\'' || r == '’' || unicode.IsLetter(r) || unicode.IsDigit(r)
}

func isJoiner(r rune) bool { return r == '_' || r == '.' || r == ':' || r == '-' || r == '\'' }

func appendToken(out []Token, raw string) []Token {
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
		return out
	}
	parts := strings.FieldsFunc(s, isJoiner)
	if len(parts) == 0 {
		return out
	}
	t := Token{Parts: parts}
	if len(parts) > 1 || strings.HasPrefix(s, "-") {
		t.Whole = s
	}
	return append(out, t)
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
func (t Token) Terms(add func(term string)) {
	if t.Whole != "" {
		add(t.Whole)
	}
	for _, p := range t.Parts {
		if !stopSet[p] {
			add(Stem(p))
		}
	}
}
