package directives

import (
	"encoding/json"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
)

// TestMakeIDMatchesDocutils: the ids docutils' own make_id gave these
// titles (testdata/docutils_make_id.json, produced by docutils 0.19).
func TestMakeIDMatchesDocutils(t *testing.T) {
	data, err := os.ReadFile("../markdown/testdata/docutils_make_id.json")
	if err != nil {
		t.Fatal(err)
	}
	var fixture struct {
		Cases []struct{ Title, ID string }
	}
	if err := json.Unmarshal(data, &fixture); err != nil || len(fixture.Cases) < 10 {
		t.Fatalf("fixture: %v", err)
	}
	for _, c := range fixture.Cases {
		if got := MakeID(c.Title); got != c.ID {
			t.Errorf("MakeID(%q) = %q, docutils gives %q", c.Title, got, c.ID)
		}
	}
}

// TestTermID: Sphinx keeps a term's case, dots and underscores.
func TestTermID(t *testing.T) {
	for term, want := range map[string]string{
		"Dataset":      "term-Dataset",
		"Sample Type":  "term-Sample-Type",
		"API key":      "term-API-key",
		"v1.0_beta":    "term-v1.0_beta",
		"Ørsted's law": "term-rsted-s-law", // Sphinx transliterates only lowercase ø
		"C++":          "term-C",
		"ørsted":       "term-orsted",
	} {
		if got := TermID(term); got != want {
			t.Errorf("TermID(%q) = %q, want %q", term, got, want)
		}
	}
}

// fieldsIDChars is idChars's loop as it was written first, over
// strings.Fields: the reference for the one-pass loop.
func fieldsIDChars(s string, keep func(byte) bool, leading string) string {
	var b strings.Builder
	pendingDash := false
	for _, word := range strings.Fields(s) {
		if b.Len() > 0 {
			pendingDash = true
		}
		for i := 0; i < len(word); i++ {
			if keep(word[i]) {
				if pendingDash {
					b.WriteByte('-')
					pendingDash = false
				}
				b.WriteByte(word[i])
			} else {
				pendingDash = true
			}
		}
	}
	return strings.TrimRight(strings.TrimLeft(b.String(), leading), "-")
}

// Every ASCII byte, alone and between words, gives the same id both ways.
func TestIDCharsOnePass(t *testing.T) {
	keep := func(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' }
	for c := 0; c < 0x80; c++ {
		for _, s := range []string{string(rune(c)), "ab" + string(rune(c)) + "cd", " x" + string(rune(c)) + string(rune(c)) + " 1y ", string(rune(c)) + "9a"} {
			if got, want := idChars(s, false, keep, "-0123456789"), fieldsIDChars(s, keep, "-0123456789"); got != want {
				t.Errorf("idChars(%q) = %q, want %q", s, got, want)
			}
		}
	}
}

// MakeID lowercases an ASCII title as it reads it: the same id as
// lowercasing the title first, on titles of every ASCII byte and case.
func TestMakeIDLowersInline(t *testing.T) {
	reference := func(title string) string {
		return idChars(strings.ToLower(title), false, func(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' }, "-0123456789")
	}
	titles := []string{"", "Installing Docsgen", "1. Fork The Repo", "V2.0 -- Notes", "  MIXED\tcase_Title  ", "ABC-xyz-123-"}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		b := make([]byte, rng.IntN(24))
		for i := range b {
			b[i] = byte(rng.IntN(0x80))
		}
		titles = append(titles, string(b))
	}
	for _, title := range titles {
		if got, want := MakeID(title), reference(title); got != want {
			t.Errorf("MakeID(%q) = %q, want %q", title, got, want)
		}
	}
}
