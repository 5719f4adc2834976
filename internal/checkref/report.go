package checkref

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

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

// jsonReport is the JSON document: {"findings": […], "summary": {…}}, the
// summary's keys in alphabetical order.
type jsonReport struct {
	Findings []jsonFinding `json:"findings"`
	Summary  jsonSummary   `json:"summary"`
}

// jsonFinding is a finding with the ones merged into it.
type jsonFinding struct {
	Finding
	Also []string `json:"also,omitempty"`
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
// JSON summary's "failed". Findings of one check on one service with the
// same fix are one finding (a worker's four overridden variables are one
// problem), at the first position, the others as "also" lines.
func (r *Report) Output(failLevel diag.Severity) *report.Report {
	findings := mergeFindings(r.Findings)
	n := map[diag.Severity]int{}
	for _, f := range findings {
		n[f.Severity]++
	}
	summary := fmt.Sprintf("%s, %s, %s from %s on %s", report.Count(n[diag.Error], "error"), report.Count(n[diag.Warning], "warning"),
		report.Count(n[diag.Info], "info"), report.Count(r.Checks, "check"), r.Service)
	if len(r.Silenced) > 0 {
		summary += fmt.Sprintf(" (%d silenced)", len(r.Silenced))
	}
	doc := jsonReport{Findings: findings, Summary: jsonSummary{Checks: r.Checks, Dir: r.Dir, Errors: n[diag.Error], Failed: r.Failed(failLevel),
		Infos: n[diag.Info], Service: r.Service, Silenced: r.Silenced, Warnings: n[diag.Warning]}}
	if doc.Findings == nil {
		doc.Findings = []jsonFinding{}
	}
	if doc.Summary.Silenced == nil {
		doc.Summary.Silenced = []string{}
	}
	out := &report.Report{Tool: "check", Summary: summary, Checked: "checks", Rules: map[string]string{}, JSON: doc, Grouped: true}
	for _, f := range findings {
		rf := report.Finding{Pos: diag.Pos{File: f.File, Line: f.Line}, Severity: f.Severity, Rule: f.ID,
			Lead: f.ID, Tag: f.Service, Message: f.Message}
		for _, a := range f.Also {
			rf.Notes = append(rf.Notes, "also "+a)
		}
		// Fixes are Markdown for the catalog page; a terminal or an
		// annotation shows them as plain text.
		rf.Notes = append(rf.Notes, "HINT: "+plainText(f.Fix))
		out.Findings = append(out.Findings, rf)
		if c, ok := Lookup(f.ID); ok {
			out.Rules[f.ID] = c.Title
		}
	}
	return out
}

// mergeFindings folds findings of one check on one service with the same
// fix into the first of them; the others' positions and messages become
// its Also lines.
func mergeFindings(fs []Finding) []jsonFinding {
	type key struct{ id, service, fix string }
	first := map[key]int{}
	var out []jsonFinding
	for _, f := range fs {
		k := key{f.ID, f.Service, f.Fix}
		i, seen := first[k]
		if !seen || f.Service == "" {
			first[k] = len(out)
			out = append(out, jsonFinding{Finding: f})
			continue
		}
		where := f.File
		if f.Line > 0 {
			where += ":" + strconv.Itoa(f.Line)
		}
		if where != "" {
			where += ": "
		}
		out[i].Also = append(out[i].Also, where+f.Message)
	}
	return out
}

// plainText drops the Markdown a fix is written in: `code` spans lose
// their backticks (their text kept as written, stars and all), **strong**
// and *emphasis* their stars, and a [text](url) link reads "text (url)".
func plainText(md string) string {
	parts := strings.Split(md, "`")
	for i, p := range parts {
		if i%2 == 1 && i < len(parts)-1 {
			continue // inside a code span
		}
		p = mdLinkRe.ReplaceAllString(p, "$1 ($2)")
		p = strings.ReplaceAll(p, "**", "")
		parts[i] = mdEmphasisRe.ReplaceAllString(p, "$1$2$3")
	}
	return strings.Join(parts, "")
}

var (
	mdLinkRe = regexp.MustCompile(`\[([^\]]+)\]\(([^)\s]+)\)`)
	// Emphasis is a star run hugging its text, not a star between spaces.
	mdEmphasisRe = regexp.MustCompile(`(^|[^\w*])\*([^*\s](?:[^*]*[^*\s])?)\*([^\w*]|$)`)
)
