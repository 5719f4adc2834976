package checkref

import (
	"strings"
	"unicode"
)

// This file reads variables exactly as django-environ 0.10.0 (the version
// the application pins) does, because a check that parses a value more
// kindly than the application reports a setting the application never has.

// trueWords are django-environ's BOOLEAN_TRUE_STRINGS.
var trueWords = []string{"true", "on", "ok", "y", "yes", "1"}

// parseBool is django-environ's bool cast: if Python's int() accepts the
// value, the result is int != 0; otherwise value.lower() must be one of
// trueWords, with no whitespace stripped (so "True " is false).
func parseBool(v string) bool {
	if nonZero, ok := pyInt(v); ok {
		return nonZero
	}
	lower := strings.ToLower(v)
	for _, w := range trueWords {
		if lower == w {
			return true
		}
	}
	return false
}

// pyInt reports whether Python's int(v) accepts v, and if so whether the
// result is non-zero. int() strips surrounding whitespace, takes one sign,
// any Unicode decimal digits, and single underscores between digits.
func pyInt(v string) (nonZero, ok bool) {
	s := strings.TrimFunc(v, pyIsSpace)
	if s != "" && (s[0] == '+' || s[0] == '-') {
		s = s[1:]
	}
	if s == "" {
		return false, false
	}
	prevDigit := false
	for _, r := range s {
		switch {
		case r == '_':
			if !prevDigit {
				return false, false
			}
			prevDigit = false
		case unicode.Is(unicode.Nd, r):
			if digitValue(r) != 0 {
				nonZero = true
			}
			prevDigit = true
		default:
			return false, false
		}
	}
	if !prevDigit { // a trailing underscore
		return false, false
	}
	return nonZero, true
}

// digitValue is a Unicode decimal digit's value. Unicode guarantees that
// decimal digits come in contiguous runs of ten, zero to nine, so the value
// is the number of digits right before r, modulo ten.
func digitValue(r rune) int {
	n := 0
	for unicode.Is(unicode.Nd, r-rune(n)-1) {
		n++
	}
	return n % 10
}

// pyIsSpace is Python's str.isspace for the characters int() strips.
func pyIsSpace(r rune) bool {
	switch r {
	case '\x1c', '\x1d', '\x1e', '\x1f':
		return true
	}
	return unicode.IsSpace(r)
}

// parseList is django-environ's list cast: split on ",", empty items
// dropped, nothing trimmed.
func parseList(v string) []string {
	var out []string
	for _, item := range strings.Split(v, ",") {
		if item != "" {
			out = append(out, item)
		}
	}
	return out
}

// lookup is a process environment: a variable's value and whether it is set.
type lookup func(name string) (string, bool)

// resolved is a variable as django-environ's get_value sees it, after its
// proxy chain: Value is the text to cast, UseDefault says the setting's
// default applies instead, and Via is the variable the value came from when
// it was proxied ("" if not).
type resolved struct {
	Value      string
	UseDefault bool
	Via        string
	// Proxied says the value started with $, which crashes a list cast.
	Proxied bool
	// Loop says the proxy chain comes back to itself: Python's recursion
	// limit stops the application at start.
	Loop bool
}

// resolve follows django-environ's proxy rule: a value starting with "$"
// has its leading $ stripped and names another variable, resolved the same
// way; an unset variable anywhere in the chain gives the default.
func resolve(env lookup, name string) resolved {
	var r resolved
	seen := map[string]bool{}
	for {
		v, ok := env(name)
		if !ok {
			return resolved{UseDefault: true, Via: r.Via, Proxied: r.Proxied}
		}
		if !strings.HasPrefix(v, "$") {
			r.Value = v
			return r
		}
		if seen[name] {
			r.Loop = true
			return r
		}
		seen[name] = true
		name = strings.TrimLeft(v, "$")
		r.Via, r.Proxied = name, true
	}
}
