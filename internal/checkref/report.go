package checkref

import (
	"fmt"
	"slices"

	"github.com/docsgen/docsgen/internal/diag"
	"github.com/docsgen/docsgen/internal/report"
)

// Report is the result of a run: the findings and what ran.
type Report struct {
	Findings []Finding
	Checks   int      // how many checks ran
	Silenced []string // the check IDs left out
	Service  string   // the Django service checked
	Dir      string   // the deployment folder
}

// Failed reports whether any finding is at level or above.
func (r *Report) Failed(level diag.Severity) bool {
	return slices.ContainsFunc(r.Findings, func(f Finding) bool { return f.Severity >= level })
}

// count returns the number of findings of each severity.
func (r *Report) count() map[diag.Severity]int {
	n := map[diag.Severity]int{}
	for _, f := range r.Findings {
		n[f.Severity]++
	}
	return n
}

// jsonReport is the JSON document: {"findings": […], "summary": {…}}, the
// summary's keys in alphabetical order.
type jsonReport struct {
	Findings []Finding   `json:"findings"`
	Summary  jsonSummary `json:"summary"`
}

type jsonSummary struct {
	Checks   int      `json:"checks"`
	Dir      string   `json:"dir"`
	Errors   int      `json:"errors"`
	Failed   bool     `json:"failed"`
	Infos    int      `json:"infos"`
	Service  string   `json:"service"`
	Silenced []string `json:"silenced"`
	Warnings int      `json:"warnings"`
}

// Output is the report in the shared output formats; failLevel decides the
// JSON summary's "failed".
func (r *Report) Output(failLevel diag.Severity) *report.Report {
	n := r.count()
	summary := fmt.Sprintf("%d errors, %d warnings, %d notes from %d checks on %s", n[diag.Error], n[diag.Warning], n[diag.Info], r.Checks, r.Service)
	if len(r.Silenced) > 0 {
		summary += fmt.Sprintf(" (%d silenced)", len(r.Silenced))
	}
	doc := jsonReport{Findings: r.Findings, Summary: jsonSummary{Checks: r.Checks, Dir: r.Dir, Errors: n[diag.Error], Failed: r.Failed(failLevel),
		Infos: n[diag.Info], Service: r.Service, Silenced: r.Silenced, Warnings: n[diag.Warning]}}
	if doc.Findings == nil {
		doc.Findings = []Finding{}
	}
	if doc.Summary.Silenced == nil {
		doc.Summary.Silenced = []string{}
	}
	out := &report.Report{Tool: "check", Summary: summary, Checked: "checks", Rules: map[string]string{}, JSON: doc}
	for _, f := range r.Findings {
		out.Findings = append(out.Findings, report.Finding{Pos: diag.Pos{File: f.File, Line: f.Line}, Severity: f.Severity, Rule: f.ID,
			Lead: f.ID, Tag: f.Service, Message: f.Message, Notes: []string{"fix: " + f.Fix}})
		if c, ok := Lookup(f.ID); ok {
			out.Rules[f.ID] = c.Title
		}
	}
	return out
}
