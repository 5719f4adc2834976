package search

import "strings"

// Stem reduces an English word (lower case) to its Porter2 (Snowball
// English) stem: "installing", "installation" and "installs" all give
// "instal". Words with anything but ASCII letters and apostrophes are
// returned as they are. search.js implements the same algorithm for
// queries; TestStemAgreesWithBrowser keeps the two in step.
func Stem(word string) string {
	for i := 0; i < len(word); i++ {
		if c := word[i]; (c < 'a' || c > 'z') && c != '\'' {
			return word
		}
	}
	if len(word) <= 2 {
		return word
	}
	w := strings.TrimPrefix(word, "'")
	if s, ok := exception1[w]; ok {
		return s
	}
	if len(w) <= 2 {
		return w
	}
	// A y at the start or after a vowel is a consonant: mark it Y.
	if strings.IndexByte(w, 'y') >= 0 {
		b := []byte(w)
		for i := range b {
			if b[i] == 'y' && (i == 0 || isVowel(b[i-1])) {
				b[i] = 'Y'
			}
		}
		w = string(b)
	}
	r1, r2 := regions(w)
	w = step0(w)
	w = step1a(w)
	if exception2[w] {
		return w
	}
	w = step1b(w, r1)
	w = step1c(w)
	w = step2(w, r1)
	w = step3(w, r1, r2)
	w = step4(w, r2)
	w = step5(w, r1, r2)
	return strings.ReplaceAll(w, "Y", "y")
}

var exception1 = map[string]string{
	"skis": "ski", "skies": "sky", "dying": "die", "lying": "lie", "tying": "tie",
	"idly": "idl", "gently": "gentl", "ugly": "ugli", "early": "earli", "only": "onli", "singly": "singl",
	"sky": "sky", "news": "news", "howe": "howe", "atlas": "atlas", "cosmos": "cosmos", "bias": "bias", "andes": "andes",
}

var exception2 = map[string]bool{
	"inning": true, "outing": true, "canning": true, "herring": true, "earring": true,
	"proceed": true, "exceed": true, "succeed": true,
}

func isVowel(c byte) bool {
	switch c {
	case 'a', 'e', 'i', 'o', 'u', 'y':
		return true
	}
	return false
}

// regions returns where R1 and R2 start: after the first non-vowel that
// follows a vowel, and the same again within R1.
func regions(w string) (r1, r2 int) {
	r1 = len(w)
	for _, p := range []string{"gener", "commun", "arsen"} {
		if strings.HasPrefix(w, p) {
			r1 = len(p)
			break
		}
	}
	if r1 == len(w) {
		r1 = regionAfter(w, 0)
	}
	return r1, regionAfter(w, r1)
}

func regionAfter(w string, from int) int {
	for i := from + 1; i < len(w); i++ {
		if !isVowel(w[i]) && isVowel(w[i-1]) {
			return i + 1
		}
	}
	return len(w)
}

func hasSuffix(w, s string) bool { return strings.HasSuffix(w, s) }

// longest returns the longest of suffixes that w ends with, or "".
func longest(w string, suffixes ...string) string {
	best := ""
	for _, s := range suffixes {
		if len(s) > len(best) && hasSuffix(w, s) {
			best = s
		}
	}
	return best
}

func replace(w, suffix, with string) string { return w[:len(w)-len(suffix)] + with }

func containsVowel(w string) bool {
	for i := 0; i < len(w); i++ {
		if isVowel(w[i]) {
			return true
		}
	}
	return false
}

// endsShortSyllable reports whether w ends in a short syllable: a vowel
// followed by a non-vowel other than w, x or Y and preceded by a non-vowel,
// or a vowel at the start followed by a non-vowel.
func endsShortSyllable(w string) bool {
	n := len(w)
	if n == 2 {
		return isVowel(w[0]) && !isVowel(w[1])
	}
	if n >= 3 {
		c := w[n-1]
		return !isVowel(w[n-3]) && isVowel(w[n-2]) && !isVowel(c) && c != 'w' && c != 'x' && c != 'Y'
	}
	return false
}

func isShort(w string, r1 int) bool { return r1 >= len(w) && endsShortSyllable(w) }

func step0(w string) string {
	if s := longest(w, "'", "'s", "'s'"); s != "" {
		return w[:len(w)-len(s)]
	}
	return w
}

func step1a(w string) string {
	switch s := longest(w, "sses", "ied", "ies", "s", "us", "ss"); s {
	case "sses":
		return replace(w, s, "ss")
	case "ied", "ies":
		if len(w) > 4 {
			return replace(w, s, "i")
		}
		return replace(w, s, "ie")
	case "s":
		// Deleted when a vowel comes before the letter just before it.
		if containsVowel(w[:len(w)-2]) {
			return w[:len(w)-1]
		}
	}
	return w
}

func step1b(w string, r1 int) string {
	s := longest(w, "eed", "eedly", "ed", "edly", "ing", "ingly")
	switch s {
	case "":
		return w
	case "eed", "eedly":
		if len(w)-len(s) >= r1 {
			return replace(w, s, "ee")
		}
		return w
	}
	stem := w[:len(w)-len(s)]
	if !containsVowel(stem) {
		return w
	}
	w = stem
	switch {
	case hasSuffix(w, "at"), hasSuffix(w, "bl"), hasSuffix(w, "iz"):
		return w + "e"
	case longest(w, "bb", "dd", "ff", "gg", "mm", "nn", "pp", "rr", "tt") != "":
		return w[:len(w)-1]
	case isShort(w, r1):
		return w + "e"
	}
	return w
}

func step1c(w string) string {
	n := len(w)
	if n > 2 && (w[n-1] == 'y' || w[n-1] == 'Y') && !isVowel(w[n-2]) {
		return w[:n-1] + "i"
	}
	return w
}

var step2Rules = map[string]string{
	"tional": "tion", "enci": "ence", "anci": "ance", "abli": "able", "entli": "ent",
	"izer": "ize", "ization": "ize", "ational": "ate", "ation": "ate", "ator": "ate",
	"alism": "al", "aliti": "al", "alli": "al", "fulness": "ful", "ousli": "ous", "ousness": "ous",
	"iveness": "ive", "iviti": "ive", "biliti": "ble", "bli": "ble", "ogi": "og", "fulli": "ful",
	"lessli": "less", "li": "",
}

var step2Suffixes = keys(step2Rules)

func step2(w string, r1 int) string {
	s := longest(w, step2Suffixes...)
	if s == "" || len(w)-len(s) < r1 {
		return w
	}
	before := byte(0)
	if len(w) > len(s) {
		before = w[len(w)-len(s)-1]
	}
	switch s {
	case "ogi":
		if before != 'l' {
			return w
		}
	case "li":
		if !strings.ContainsRune("cdeghkmnrt", rune(before)) || before == 0 {
			return w
		}
	}
	return replace(w, s, step2Rules[s])
}

var step3Rules = map[string]string{
	"tional": "tion", "ational": "ate", "alize": "al", "icate": "ic", "iciti": "ic", "ical": "ic",
	"ful": "", "ness": "", "ative": "",
}

var step3Suffixes = keys(step3Rules)

func step3(w string, r1, r2 int) string {
	s := longest(w, step3Suffixes...)
	if s == "" || len(w)-len(s) < r1 || (s == "ative" && len(w)-len(s) < r2) {
		return w
	}
	return replace(w, s, step3Rules[s])
}

var step4Suffixes = []string{"al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent",
	"ism", "ate", "iti", "ous", "ive", "ize", "ion"}

func step4(w string, r2 int) string {
	s := longest(w, step4Suffixes...)
	if s == "" || len(w)-len(s) < r2 {
		return w
	}
	if s == "ion" {
		if n := len(w) - len(s); n == 0 || (w[n-1] != 's' && w[n-1] != 't') {
			return w
		}
	}
	return w[:len(w)-len(s)]
}

func step5(w string, r1, r2 int) string {
	n := len(w)
	switch {
	case n > 0 && w[n-1] == 'e':
		if n-1 >= r2 || (n-1 >= r1 && !endsShortSyllable(w[:n-1])) {
			return w[:n-1]
		}
	case n > 1 && w[n-1] == 'l' && w[n-2] == 'l' && n-1 >= r2:
		return w[:n-1]
	}
	return w
}

func keys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
