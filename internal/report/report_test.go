package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"flag"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/docsgen/docsgen/internal/diag"
	"github.com/google/go-cmp/cmp"
	"golang.org/x/tools/txtar"
)

var update = flag.Bool("update", false, "rewrite the want sections of testdata/formats.txtar")

// fixture has one finding of each severity and every optional part: a
// lead, a tag, notes, a suggestion, no column, and characters each format
// must escape.
func fixture() *Report {
	return &Report{
		Tool: "demo",
		Findings: []Finding{
			{Pos: diag.Pos{File: "content/a.md", Line: 3, Col: 5}, Severity: diag.Error, Rule: "anchor", Title: "broken anchor", Tag: "anchor",
				Message: "no anchor #setp in content/b.md", Target: "b.md#setp", Suggestion: "#setup", Notes: []string{"included from content/index.md:9:1"}},
			{Pos: diag.Pos{File: "deploy/stack,1.env", Line: 2}, Severity: diag.Warning, Rule: "env.W001", Lead: "env.W001", Tag: "django",
				Message: "100% of A:B is <odd> & \"quoted\"", Notes: []string{"fix: write\ntwo lines"}},
			{Pos: diag.Pos{File: "production.yml"}, Severity: diag.Info, Rule: "compose.I001", Message: "a note about the whole file"},
		},
		Summary: "1 error, 1 warning, 1 info",
		Details: "\nDetails only the text format prints.\n\n",
		Checked: "things",
		Rules:   map[string]string{"anchor": "A link to a missing #anchor", "env.W001": "An odd value"},
		JSON:    map[string]any{"count": 3},
	}
}

// TestFormatsGolden renders the one fixture in every format.
func TestFormatsGolden(t *testing.T) {
	file := "testdata/formats.txtar"
	ar, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]int{}
	for i, f := range ar.Files {
		have[strings.TrimPrefix(f.Name, "want.")] = i
	}
	for _, format := range Formats {
		var buf bytes.Buffer
		if err := Write(&buf, format, fixture()); err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		i, ok := have[format]
		switch {
		case *update && ok:
			ar.Files[i].Data = buf.Bytes()
		case *update:
			ar.Files = append(ar.Files, txtar.File{Name: "want." + format, Data: buf.Bytes()})
		case !ok:
			t.Errorf("no want.%s in %s (run with -update)", format, file)
		default:
			if diff := cmp.Diff(string(ar.Files[i].Data), buf.String()); diff != "" {
				t.Errorf("want.%s mismatch (-want +got):\n%s", format, diff)
			}
		}
	}
	if *update {
		if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestMachineFormatsParse: sarif and junit are well-formed, whatever the
// messages hold.
func TestMachineFormatsParse(t *testing.T) {
	var sarif, junit bytes.Buffer
	if err := Write(&sarif, "sarif", fixture()); err != nil {
		t.Fatal(err)
	}
	var log struct {
		Runs []struct {
			Results []struct{ Level string }
		}
	}
	if err := json.Unmarshal(sarif.Bytes(), &log); err != nil {
		t.Fatalf("SARIF: %v", err)
	}
	var levels []string
	for _, r := range log.Runs[0].Results {
		levels = append(levels, r.Level)
	}
	if want := []string{"error", "warning", "note"}; !cmp.Equal(levels, want) {
		t.Errorf("SARIF levels %v, want %v", levels, want)
	}
	if err := Write(&junit, "junit", fixture()); err != nil {
		t.Fatal(err)
	}
	var suites struct {
		Suites []struct {
			Tests    int `xml:"tests,attr"`
			Failures int `xml:"failures,attr"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(junit.Bytes(), &suites); err != nil {
		t.Fatalf("JUnit: %v", err)
	}
	if s := suites.Suites[0]; s.Tests != 2 || s.Failures != 1 {
		t.Errorf("JUnit: %d tests, %d failures; want 2 and 1 (errors fail, the rest pass as one)", s.Tests, s.Failures)
	}
}

func TestUnknownFormat(t *testing.T) {
	err := Write(&bytes.Buffer{}, "xml", fixture())
	if err == nil || !strings.Contains(err.Error(), "text, json, github, sarif or junit") {
		t.Errorf("Write(xml) = %v", err)
	}
}

// TestDiagnosticsText: a diagnostic's text finding is Diagnostic.String,
// except that a did-you-mean hint prints as linkcheck prints a suggestion,
// so a broken link reads the same from build and linkcheck.
func TestDiagnosticsText(t *testing.T) {
	ds := []diag.Diagnostic{
		{Pos: diag.Pos{File: "content/a.md", Line: 4, Col: 2}, Severity: diag.Warning, Code: "ref.anchor", Message: "no anchor #x",
			Hint: diag.DidYouMean(`"#y"`), Suggestion: "#y", Via: []diag.Pos{{File: "content/index.md", Line: 9, Col: 1}, {File: "content/top.md", Line: 1, Col: 1}}},
		{Pos: diag.Pos{File: "docsgen.yaml", Line: 2}, Severity: diag.Error, Message: "no code", Hint: "write a code"},
		{Pos: diag.Pos{File: "content/b.md"}, Severity: diag.Error, Code: "page.refused", Message: "a pipe"},
	}
	want := []string{
		"content/a.md:4:2: warning: no anchor #x [ref.anchor]\n\tincluded from content/index.md:9:1\n\tincluded from content/top.md:1:1\n\tdid you mean #y?",
		ds[1].String(),
		ds[2].String(),
	}
	for i, f := range Diagnostics(ds) {
		if got := f.Text(); got != want[i] {
			t.Errorf("Text() = %q, want %q", got, want[i])
		}
	}
}

// TestGroupedText: a grouped report prints ERRORS, WARNINGS, INFO in that
// order whatever the findings' order, each finding once, without the
// severity word.
func TestGroupedText(t *testing.T) {
	r := fixture()
	r.Grouped = true
	r.Details = ""
	slices.Reverse(r.Findings)
	var buf bytes.Buffer
	if err := Write(&buf, "text", r); err != nil {
		t.Fatal(err)
	}
	want := `ERRORS:
content/a.md:3:5: no anchor #setp in content/b.md [anchor]
	included from content/index.md:9:1
	did you mean #setup?

WARNINGS:
deploy/stack,1.env:2: env.W001 100% of A:B is <odd> & "quoted" [django]
	fix: write
	two lines

INFO:
production.yml: a note about the whole file

1 error, 1 warning, 1 info
`
	if diff := cmp.Diff(want, buf.String()); diff != "" {
		t.Errorf("grouped text (-want +got):\n%s", diff)
	}
}

// TestColorAndQuiet: colour marks severities only when asked; quiet drops
// info findings, and prints nothing at all for a clean report.
func TestColorAndQuiet(t *testing.T) {
	var plain, color, quiet, clean bytes.Buffer
	Write(&plain, "text", fixture())
	WriteWith(&color, "text", fixture(), Options{Color: true})
	if strings.Contains(plain.String(), "\x1b[") {
		t.Error("colour without Color")
	}
	for _, s := range []string{"\x1b[1;31merror\x1b[0m", "\x1b[1;33mwarning\x1b[0m", "\x1b[1;36minfo\x1b[0m"} {
		if !strings.Contains(color.String(), s) {
			t.Errorf("coloured text lacks %q:\n%s", s, color.String())
		}
	}
	WriteWith(&quiet, "text", fixture(), Options{Quiet: true})
	if strings.Contains(quiet.String(), "a note about the whole file") || !strings.Contains(quiet.String(), "env.W001") {
		t.Errorf("quiet text:\n%s", quiet.String())
	}
	r := fixture()
	r.Findings = r.Findings[2:] // the info finding alone
	WriteWith(&clean, "text", r, Options{Quiet: true})
	if clean.Len() != 0 {
		t.Errorf("quiet text of a clean report: %q", clean.String())
	}
}

func TestCount(t *testing.T) {
	for n, want := range map[int]string{0: "0 pages", 1: "1 page", 2: "2 pages"} {
		if got := Count(n, "page"); got != want {
			t.Errorf("Count(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestChoice(t *testing.T) {
	for _, tc := range []struct {
		in   []string
		want string
	}{
		{[]string{"text"}, "text"}, {[]string{"text", "github"}, "text or github"}, {Formats, "text, json, github, sarif or junit"},
	} {
		if got := Choice(tc.in); got != tc.want {
			t.Errorf("Choice(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
