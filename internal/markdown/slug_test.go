package markdown

import (
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// slugCorpus is MyST-Parser's normative slug corpus (testdata/slugs.json,
// MIT, see slugs.LICENSE), taken verbatim.
type slugCorpus struct {
	Slugify []struct {
		Preset, Input, Expected string
	}
	Unique []struct {
		Existing []string
		Slug     string
		Expected string
	}
}

func TestSlugConformance(t *testing.T) {
	data, err := os.ReadFile("testdata/slugs.json")
	if err != nil {
		t.Fatal(err)
	}
	var c slugCorpus
	if err := json.Unmarshal(data, &c); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, row := range c.Slugify {
		if row.Preset != "github" {
			continue // docsgen implements the github preset only
		}
		n++
		if got := Slug(row.Input); got != row.Expected {
			t.Errorf("Slug(%q) = %q, want %q", row.Input, got, row.Expected)
		}
	}
	if n < 10 {
		t.Fatalf("only %d github rows in the corpus", n)
	}
	for _, row := range c.Unique {
		var s Slugger
		for _, e := range row.Existing {
			s.Reserve(e)
		}
		if got := s.Unique(row.Slug); got != row.Expected {
			t.Errorf("Unique(%q) with %v = %q, want %q", row.Slug, row.Existing, got, row.Expected)
		}
	}
}

func TestSlugUnicode(t *testing.T) {
	for in, want := range map[string]string{
		"Ubuntu 20.04 — déjà vu": "ubuntu-2004--déjà-vu",
		"café_au-lait":           "café_au-lait",
		"Ünïcödé Straße":         "ünïcödé-straße",
		"e\u0301t\u00e9":         "eté", // a combining accent is dropped, as Python's \w drops it
		"tab\there":              "tabhere",
		"Step ½":                 "step-½",
		"Ⅻ chapter":              "ⅻ-chapter",
	} {
		if got := Slug(in); got != want {
			t.Errorf("Slug(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSluggerDuplicates(t *testing.T) {
	var s Slugger
	var got []string
	for _, in := range []string{"x", "x", "x", "x-1", ""} {
		got = append(got, s.Unique(in))
	}
	want := []string{"x", "x-1", "x-2", "x-1-1", ""}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("Unique sequence = %q, want %q", got, want)
		}
	}
}

func TestStyleSheetScopesEachMode(t *testing.T) {
	css := string(StyleSheet())
	for _, line := range strings.Split(css, "\n") {
		if strings.HasPrefix(line, ".") || strings.HasPrefix(line, "/*") {
			t.Fatalf("unscoped rule leaks into both modes: %q", line)
		}
	}
	for _, want := range []string{":root[data-theme=dark] ", ":root[data-theme=light] ", "@media (prefers-color-scheme: dark)", ":root:not([data-theme=light]) "} {
		if !strings.Contains(css, want) {
			t.Errorf("stylesheet lacks %q", want)
		}
	}
}

// The ASCII path gives what the rune path gives, for every ASCII byte
// alone and between letters, and refuses anything else.
func TestASCIISlugEqualsRuneSlug(t *testing.T) {
	var titles []string
	for c := 0; c < utf8.RuneSelf; c++ {
		titles = append(titles, string(rune(c)), "Ab"+string(rune(c))+"9 z")
	}
	titles = append(titles, "", "  Two  Spaces ", "Mixed_Case-And 123", "Tabs\tand\nnewlines")
	for _, title := range titles {
		got, ok := asciiSlug(title)
		if want := runeSlug(title); !ok || got != want {
			t.Errorf("asciiSlug(%q) = %q, %v; runeSlug gives %q", title, got, ok, want)
		}
	}
	if _, ok := asciiSlug("Café"); ok {
		t.Error("asciiSlug took a title that is not ASCII")
	}
}

// normalizeTitle's ASCII pass gives what Fields, Join and ToLower give.
func TestNormalizeTitle(t *testing.T) {
	titles := []string{"", " ", "Two  Words", "\tLead and trail \n", "ÄÖ Über  Straße", "a\vb\fc\rd"}
	for c := 0; c < utf8.RuneSelf; c++ {
		titles = append(titles, "X"+string(rune(c))+" Y"+string(rune(c)))
	}
	for _, title := range titles {
		if got, want := normalizeTitle(title), strings.ToLower(strings.Join(strings.Fields(title), " ")); got != want {
			t.Errorf("normalizeTitle(%q) = %q, want %q", title, got, want)
		}
	}
}

// idSet answers as a map does, before and after it outgrows its list.
func TestIDSet(t *testing.T) {
	var s idSet
	want := map[string]bool{}
	for i := range 200 {
		k := strconv.Itoa(i % 70) // each key added two or three times
		if got := s.has(k); got != want[k] {
			t.Fatalf("before adding %q (%d): has = %v, want %v", k, i, got, want[k])
		}
		s.add(k)
		want[k] = true
		if !s.has(k) || s.has("x"+k) {
			t.Fatalf("after adding %q (%d): has wrong", k, i)
		}
	}
}
