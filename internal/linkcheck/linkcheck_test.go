package linkcheck

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/docsgen/docsgen/internal/build"
	"github.com/docsgen/docsgen/internal/config"
	"github.com/docsgen/docsgen/internal/diag"
	"github.com/docsgen/docsgen/internal/report"
	"github.com/google/go-cmp/cmp"
	"golang.org/x/tools/txtar"
)

var update = flag.Bool("update", false, "rewrite the want sections of testdata/*.txtar")

// analyze writes the archive's files into a temporary project and runs the
// build's link-checking pass on it.
func analyze(t *testing.T, ar *txtar.Archive) *build.Result {
	t.Helper()
	dir := t.TempDir()
	for _, f := range ar.Files {
		if strings.HasPrefix(f.Name, "want.") {
			continue
		}
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
	cfg, err := config.Load("")
	if err != nil {
		t.Fatal(err)
	}
	return checkBuild(t, build.Options{Config: cfg, Mode: build.Check})
}

// checkBuild runs a build that may fail on its diagnostics, not otherwise.
func checkBuild(t *testing.T, opts build.Options) *build.Result {
	t.Helper()
	res, err := build.Build(context.Background(), opts)
	if err != nil && !errors.Is(err, build.ErrFailed) {
		t.Fatal(err)
	}
	return res
}

// TestBrokenSiteGolden checks positions, suggestions and grouping on a site
// with every kind of broken reference, in the text and JSON formats.
func TestBrokenSiteGolden(t *testing.T) {
	file, _ := filepath.Abs("testdata/broken.txtar")
	ar, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	a := analyze(t, ar)
	findings, checked := Internal(a.Site.Pages, a.Diags)
	r := NewReport(findings, checked, nil)
	for i, f := range ar.Files {
		format, ok := strings.CutPrefix(f.Name, "want.")
		if !ok {
			continue
		}
		var buf bytes.Buffer
		if err := report.Write(&buf, format, r.Output()); err != nil {
			t.Fatal(err)
		}
		if *update {
			ar.Files[i].Data = buf.Bytes()
			continue
		}
		if diff := cmp.Diff(string(f.Data), buf.String()); diff != "" {
			t.Errorf("%s mismatch (-want +got):\n%s", f.Name, diff)
		}
	}
	if *update {
		if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if !r.Failed(diag.Error) {
		t.Error("a site with broken links does not fail")
	}
}

// TestShippedSiteIsClean: the site we ship has no broken reference.
func TestShippedSiteIsClean(t *testing.T) {
	t.Chdir(filepath.Join("..", ".."))
	cfg, err := config.Load("")
	if err != nil {
		t.Fatal(err)
	}
	a := checkBuild(t, build.Options{Config: cfg, Mode: build.Check})
	findings, checked := Internal(a.Site.Pages, a.Diags)
	if len(findings) > 0 || checked < 10 {
		t.Errorf("content/: %d references checked, findings %+v", checked, findings)
	}
}

// TestSARIFShape checks the SARIF 2.1.0 fields code scanning requires.
func TestSARIFShape(t *testing.T) {
	r := NewReport([]Finding{{File: "content/a.md", Line: 3, Col: 5, Target: "b.md", Kind: "link", Severity: diag.Error, Message: "link to missing document", Suggestion: "c"}}, 10, nil)
	var buf bytes.Buffer
	if err := report.Write(&buf, "sarif", r.Output()); err != nil {
		t.Fatal(err)
	}
	var log struct {
		Version string `json:"version"`
		Schema  string `json:"$schema"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Name           string
					InformationURI string
					Rules          []struct {
						ID               string
						ShortDescription struct{ Text string }
					}
				}
			}
			Results []struct {
				RuleID    string
				Level     string
				Message   struct{ Text string }
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
						Region           struct{ StartLine, StartColumn int }
					}
				}
			}
		}
	}
	dec := json.NewDecoder(&buf)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&log); err != nil {
		t.Fatalf("SARIF does not decode: %v", err)
	}
	if log.Version != "2.1.0" || !strings.Contains(log.Schema, "sarif-2.1.0") || len(log.Runs) != 1 || log.Runs[0].Tool.Driver.Name == "" {
		t.Fatalf("bad SARIF header: %+v", log)
	}
	res := log.Runs[0].Results
	if len(res) != 1 || res[0].RuleID != "link" || res[0].Level != "error" || res[0].Message.Text == "" ||
		res[0].Locations[0].PhysicalLocation.ArtifactLocation.URI != "content/a.md" || res[0].Locations[0].PhysicalLocation.Region.StartLine != 3 {
		t.Errorf("bad SARIF result: %+v", res)
	}
	if len(log.Runs[0].Tool.Driver.Rules) != 1 || log.Runs[0].Tool.Driver.Rules[0].ID != "link" {
		t.Errorf("rules do not list the results' rule: %+v", log.Runs[0].Tool.Driver.Rules)
	}
}

// TestLinkcheckAgreesWithBuild: link checking (which renders nothing)
// reports exactly what a whole build reports, so build --strict and
// linkcheck cannot disagree.
func TestLinkcheckAgreesWithBuild(t *testing.T) {
	file, _ := filepath.Abs("testdata/broken.txtar")
	ar, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	light := analyze(t, ar)
	cfg, err := config.Load("")
	if err != nil {
		t.Fatal(err)
	}
	full := checkBuild(t, build.Options{Config: cfg, Mode: build.DryRun})
	if diff := cmp.Diff(full.Diags, light.Diags); diff != "" {
		t.Errorf("diagnostics differ (-build +linkcheck):\n%s", diff)
	}
	if len(light.Diags) < 10 {
		t.Errorf("only %d diagnostics on the broken site", len(light.Diags))
	}
}

func TestReportFailed(t *testing.T) {
	orphan := NewReport([]Finding{{File: "content/a.md", Line: 1, Col: 1, Kind: "orphan", Severity: diag.Warning}}, 3, nil)
	broken := NewReport([]Finding{{File: "content/a.md", Line: 2, Col: 1, Kind: "link", Severity: diag.Error}}, 3, nil)
	for _, tc := range []struct {
		name  string
		r     *Report
		level diag.Severity
		want  bool
	}{
		{"clean", NewReport(nil, 3, nil), diag.Warning, false},
		{"orphan at error", orphan, diag.Error, false},
		{"orphan at warning", orphan, diag.Warning, true},
		{"broken at error", broken, diag.Error, true},
	} {
		if got := tc.r.Failed(tc.level); got != tc.want {
			t.Errorf("%s: Failed(%s) = %v", tc.name, tc.level, got)
		}
	}
}

// TestInternalReadsSuggestion: the suggestion is the diagnostic's field,
// not what its hint text says.
func TestInternalReadsSuggestion(t *testing.T) {
	d := diag.Diagnostic{Pos: diag.Pos{File: "content/a.md", Line: 1, Col: 1}, Severity: diag.Warning, Code: "ref.link",
		Message: "link to missing document", Target: "gide.md", Suggestion: "guide", Hint: "see the guide"}
	findings, _ := Internal(nil, []diag.Diagnostic{d, {Code: "myst.fence", Message: "not a link"}})
	if len(findings) != 1 || findings[0].Suggestion != "guide" || findings[0].Kind != "link" || findings[0].Severity != diag.Error {
		t.Errorf("findings %+v", findings)
	}
}

// TestAutolinksAreExternalRefs: URLs written as <…> autolinks, bare URLs and
// www. links (linkify) are links like any other, so --external checks them,
// each at the line and column where it is written.
func TestAutolinksAreExternalRefs(t *testing.T) {
	ar := txtar.Parse([]byte(`-- docsgen.yml --
title: T
-- content/index.md --
# Home

See <https://a.example/angle> and
also https://b.example/bare, or www.c.example/www.
Mail <someone@d.example> is not a web link.
`))
	res := analyze(t, ar)
	got := map[string]string{}
	for _, p := range res.Site.Pages {
		for _, r := range p.Refs {
			got[r.Target] = r.Pos.String()
		}
	}
	want := map[string]string{
		"https://a.example/angle":  "content/index.md:3:5",
		"https://b.example/bare":   "content/index.md:4:6",
		"http://www.c.example/www": "content/index.md:4:33",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("references (-want +got):\n%s", diff)
	}
}
