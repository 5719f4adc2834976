package linkcheck

import (
	"fmt"
	"strings"

	"github.com/docsgen/docsgen/internal/diag"
	"github.com/docsgen/docsgen/internal/report"
)

// ruleText describes each kind of finding, for SARIF.
var ruleText = map[string]string{
	"link": "A link to a missing page or file", "anchor": "A link to a missing #anchor", "image": "A missing image",
	"doc": "A {doc} role naming no document", "ref": "A {ref} role naming no label", "term": "A {term} missing from every glossary",
	"download": "A {download} of a missing file", "include": "An include or literalinclude of a missing file",
	"html": "A raw HTML href or src leading nowhere", "toctree": "A toctree entry naming no document",
	"orphan": "A page in no toctree", "external": "An external link that is broken or could not be confirmed",
}

// codes are the build's diagnostic codes of each kind of finding, the
// tag a text line ends with, so a broken link reads the same from build
// and linkcheck.
var codes = func() map[string]string {
	m := map[string]string{"external": "external"}
	for code, kind := range kinds {
		m[kind] = code
	}
	return m
}()

// Output is the report in the shared output formats; its JSON is r itself.
func (r *Report) Output() *report.Report {
	out := &report.Report{Tool: "linkcheck", Summary: r.summaryLine(), Details: r.byTarget(), Checked: "references", Rules: ruleText, JSON: r}
	for _, f := range r.Findings {
		rf := report.Finding{Pos: diag.Pos{File: f.File, Line: f.Line, Col: f.Col}, Severity: f.Severity, Rule: f.Kind, Title: "broken " + f.Kind,
			Tag: codes[f.Kind], Message: f.Message, Target: f.Target, Suggestion: f.Suggestion}
		for _, v := range f.Via {
			rf.Notes = append(rf.Notes, "included from "+v)
		}
		out.Findings = append(out.Findings, rf)
	}
	return out
}

func (r *Report) summaryLine() string {
	s := report.Count(r.Summary.Internal, "internal reference") + " checked"
	if e := r.Summary.External; e != nil {
		s += fmt.Sprintf(", %d external URLs (%d ok, %d cached, %d broken, %d transient, %d blocked, %d unchecked, %d ignored; %d requests)",
			e.URLs, e.OK, e.Cached, e.Broken, e.Transient, e.Blocked, e.Unchecked, e.Ignored, e.Requests)
	}
	return fmt.Sprintf("%s: %s, %s", s, report.Count(r.Summary.Errors, "error"), report.Count(r.Summary.Warnings, "warning"))
}

// byTarget is the text format's grouping of the findings by target.
func (r *Report) byTarget() string {
	if len(r.Summary.ByTarget) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("\nBy target:\n")
	for _, g := range r.Summary.ByTarget {
		links := "links"
		if g.Count == 1 {
			links = "link"
		}
		fmt.Fprintf(&b, "  %s (%s): %d %s from %s\n", g.Target, g.Kind, g.Count, links, strings.Join(g.Files, ", "))
	}
	b.WriteString("\n")
	return b.String()
}
