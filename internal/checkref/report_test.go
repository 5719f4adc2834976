package checkref

import (
	"bytes"
	"strings"
	"testing"

	"github.com/docsgen/docsgen/internal/diag"
	"github.com/docsgen/docsgen/internal/report"
)

func TestReportFailed(t *testing.T) {
	warnings := &Report{Findings: []Finding{{ID: "security.W004", Severity: diag.Warning}}}
	errors := &Report{Findings: []Finding{{ID: "fairdm.E001", Severity: diag.Error}, {ID: "security.W004", Severity: diag.Warning}}}
	for _, tc := range []struct {
		name  string
		r     *Report
		level diag.Severity
		want  bool
	}{
		{"clean", &Report{}, diag.Warning, false},
		{"warnings at error", warnings, diag.Error, false},
		{"warnings at warning", warnings, diag.Warning, true},
		{"errors at error", errors, diag.Error, true},
	} {
		if got := tc.r.Failed(tc.level); got != tc.want {
			t.Errorf("%s: Failed(%s) = %v", tc.name, tc.level, got)
		}
	}
}

// TestReportOutput: the text lines, the summary and the JSON document
// read as README documents them.
func TestReportOutput(t *testing.T) {
	r := &Report{
		Findings: []Finding{
			{ID: "security.W004", Severity: diag.Warning, Message: "HSTS is off", File: "dep/production.yml", Fix: "Turn it on."},
			{ID: "compose.W004", Severity: diag.Warning, Message: "celeryworker's A differs", File: "dep/production.yml", Line: 39, Service: "celeryworker", Fix: "Repeat `env_file:`."},
			{ID: "compose.W004", Severity: diag.Warning, Message: "celeryworker's B differs", File: "dep/production.yml", Line: 42, Service: "celeryworker", Fix: "Repeat `env_file:`."},
			{ID: "fairdm.E001", Severity: diag.Error, Message: "DJANGO_SECRET_KEY is a development key", File: "dep/stack.env", Line: 2, Service: "django", Fix: "Set a **long** [random key](https://example.org/k)."},
		},
		Checks: 28, Silenced: []string{"net.E001"}, Service: "django", Dir: "dep",
	}
	var text, js bytes.Buffer
	if err := report.Write(&text, "text", r.Output(diag.Error)); err != nil {
		t.Fatal(err)
	}
	// Errors before warnings whatever the order; one finding for the
	// worker's two variables; fixes as plain text.
	want := `ERRORS:
dep/stack.env:2: fairdm.E001 DJANGO_SECRET_KEY is a development key [django]
	HINT: Set a long random key (https://example.org/k).

WARNINGS:
dep/production.yml: security.W004 HSTS is off
	HINT: Turn it on.
dep/production.yml:39: compose.W004 celeryworker's A differs [celeryworker]
	also dep/production.yml:42: celeryworker's B differs
	HINT: Repeat env_file:.

1 error, 2 warnings, 0 infos from 28 checks on django (1 silenced)
`
	if text.String() != want {
		t.Errorf("text:\n%s\nwant:\n%s", text.String(), want)
	}
	if err := report.Write(&js, "json", r.Output(diag.Warning)); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{`"findings": [`, `"id": "fairdm.E001"`, `"severity": "error"`, `"severity": "warning"`, `"service": "django"`, `"fix": "Turn it on."`,
		`"summary": {`, `"checks": 28`, `"errors": 1`, `"failed": true`, `"infos": 0`, `"silenced": [`, `"warnings": 2`, `"also": [`, `"fix": "Repeat ` + "`env_file:`" + `."`} {
		if !strings.Contains(js.String(), s) {
			t.Errorf("JSON lacks %s:\n%s", s, js.String())
		}
	}
	var empty bytes.Buffer
	if err := report.Write(&empty, "json", (&Report{Service: "django", Dir: "."}).Output(diag.Error)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(empty.String(), `"findings": []`) || !strings.Contains(empty.String(), `"silenced": []`) || !strings.Contains(empty.String(), `"failed": false`) {
		t.Errorf("an empty run's JSON:\n%s", empty.String())
	}
}

func TestPlainText(t *testing.T) {
	for md, want := range map[string]string{
		"Set `DEBUG=False`.":                            "Set DEBUG=False.",
		"List hosts; `*.example.org` allows subdomains": "List hosts; *.example.org allows subdomains",
		"A **strong** and *emphasised* word":            "A strong and emphasised word",
		"See [the docs](https://example.org/x).":        "See the docs (https://example.org/x).",
		"2 * 3 * 4 stays":                               "2 * 3 * 4 stays",
		"An odd ` backtick":                             "An odd  backtick",
	} {
		if got := plainText(md); got != want {
			t.Errorf("plainText(%q) = %q, want %q", md, got, want)
		}
	}
}
