package directives

import (
	"encoding/json"
	"os"
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
