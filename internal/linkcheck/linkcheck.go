// Package linkcheck validates every reference of a site at its source
// position: internal links, anchors, roles, includes, images, toctree
// entries and raw HTML through the site model (the same resolver the build
// uses, so the two cannot disagree), and external links on request,
// politely and with a cache.
package linkcheck

import (
	"cmp"
	"slices"

	"github.com/docsgen/docsgen/internal/diag"
	"github.com/docsgen/docsgen/internal/markdown"
	"github.com/docsgen/docsgen/internal/site"
)

// Finding is one reference that leads nowhere (or could not be checked).
type Finding struct {
	File       string        `json:"file"`
	Line       int           `json:"line"`
	Col        int           `json:"col"`
	Target     string        `json:"target"`
	Kind       string        `json:"kind"`
	Severity   diag.Severity `json:"severity"`
	Message    string        `json:"message"`
	Suggestion string        `json:"suggestion,omitempty"`
	Via        []string      `json:"via,omitempty"`
}

// Pos is the finding's source position as file:line:col.
func (f Finding) Pos() string {
	return diag.Pos{File: f.File, Line: f.Line, Col: f.Col}.String()
}

// Summary counts what was checked.
type Summary struct {
	Internal int            `json:"internal_checked"`
	Errors   int            `json:"errors"`
	Warnings int            `json:"warnings"`
	External *ExternalStats `json:"external,omitempty"`
	// ByTarget groups findings by what they point at, most links first.
	ByTarget []TargetGroup `json:"by_target"`
}

// TargetGroup is one missing target and the links to it.
type TargetGroup struct {
	Target string   `json:"target"`
	Kind   string   `json:"kind"`
	Count  int      `json:"count"`
	Files  []string `json:"files"`
}

// Report is the result of a link check.
type Report struct {
	Findings []Finding `json:"findings"`
	Summary  Summary   `json:"summary"`
}

// kinds maps diagnostic codes to finding kinds; every code that means "a
// reference leads nowhere" is here.
var kinds = map[string]string{
	"ref.link": "link", "ref.anchor": "anchor", "ref.image": "image", "ref.doc": "doc", "ref.ref": "ref",
	"ref.term": "term", "ref.eq": "eq", "ref.any": "any", "ref.download": "download", "ref.include": "include", "ref.html": "html",
	"toctree": "toctree", "toctree.orphan": "orphan",
}

// Internal turns the diagnostics of a resolved site's pages into link
// findings, and counts the internal references the pages hold.
func Internal(pages []*site.Page, diags []diag.Diagnostic) (findings []Finding, checked int) {
	for _, p := range pages {
		for _, r := range p.Refs {
			if !markdown.IsExternal(r.Target) {
				checked++
			}
		}
		for _, t := range p.Doc.Toctrees {
			checked += len(t.Entries)
		}
	}
	seen := map[string]bool{}
	for _, d := range diags {
		kind, ok := kinds[d.Code]
		if !ok {
			continue
		}
		// An included file is also checked where it stands and through each
		// include: one finding per written reference is enough.
		key := d.Pos.String() + "\x00" + d.Message
		if seen[key] {
			continue
		}
		seen[key] = true
		sev := diag.Error
		if kind == "orphan" {
			sev = diag.Warning
		}
		f := Finding{File: d.Pos.File, Line: d.Pos.Line, Col: d.Pos.Col, Target: d.Target, Kind: kind, Severity: sev,
			Message: d.Message, Suggestion: d.Suggestion}
		for _, v := range d.Via {
			f.Via = append(f.Via, v.String())
		}
		findings = append(findings, f)
	}
	return findings, checked
}

// NewReport sorts the findings and computes the summary.
func NewReport(findings []Finding, internal int, ext *ExternalStats) *Report {
	slices.SortStableFunc(findings, func(a, b Finding) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Col, b.Col), cmp.Compare(a.Target, b.Target))
	})
	r := &Report{Findings: findings, Summary: Summary{Internal: internal, External: ext, ByTarget: []TargetGroup{}}}
	if r.Findings == nil {
		r.Findings = []Finding{}
	}
	groups := map[string]*TargetGroup{}
	for _, f := range findings {
		switch f.Severity {
		case diag.Error:
			r.Summary.Errors++
		case diag.Warning:
			r.Summary.Warnings++
		}
		key := f.Kind + "\x00" + f.Target
		g, ok := groups[key]
		if !ok {
			g = &TargetGroup{Target: f.Target, Kind: f.Kind}
			groups[key] = g
		}
		g.Count++
		if !slices.Contains(g.Files, f.File) {
			g.Files = append(g.Files, f.File)
		}
	}
	for _, g := range groups {
		r.Summary.ByTarget = append(r.Summary.ByTarget, *g)
	}
	slices.SortFunc(r.Summary.ByTarget, func(a, b TargetGroup) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Target, b.Target), cmp.Compare(a.Kind, b.Kind))
	})
	return r
}

// Failed reports whether any finding is at level or above.
func (r *Report) Failed(level diag.Severity) bool {
	return slices.ContainsFunc(r.Findings, func(f Finding) bool { return f.Severity >= level })
}
