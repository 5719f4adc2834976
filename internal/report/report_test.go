package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"flag"
	"os"
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
		Summary: "1 errors, 1 warnings, 1 notes",
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

// TestDiagnosticsReadAsString: a diagnostic's text finding is exactly
// Diagnostic.String, so build prints what it always printed.
func TestDiagnosticsReadAsString(t *testing.T) {
	ds := []diag.Diagnostic{
		{Pos: diag.Pos{File: "content/a.md", Line: 4, Col: 2}, Severity: diag.Warning, Code: "ref.anchor", Message: "no anchor #x",
			Hint: diag.DidYouMean("#y"), Suggestion: "#y", Via: []diag.Pos{{File: "content/index.md", Line: 9, Col: 1}, {File: "content/top.md", Line: 1, Col: 1}}},
		{Pos: diag.Pos{File: "docsgen.yaml", Line: 2}, Severity: diag.Error, Message: "no code"},
		{Pos: diag.Pos{File: "content/b.md"}, Severity: diag.Error, Code: "page.refused", Message: "a pipe"},
	}
	for i, f := range Diagnostics(ds) {
		if got, want := f.Text(), ds[i].String(); got != want {
			t.Errorf("Text() = %q, want %q", got, want)
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
