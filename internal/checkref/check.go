// Package checkref is the catalog of deployment configuration checks: one
// explicit list of Check values that `docsgen check` runs and the
// {check-catalog} directive renders, so the validator and its
// documentation cannot drift.
package checkref

import (
	"cmp"
	"net/url"
	"slices"
	"strings"

	"github.com/docsgen/docsgen/internal/deployenv"
	"github.com/docsgen/docsgen/internal/diag"
)

// Check is one configuration check: its identity, its documentation, its
// examples (which the tests execute) and the function that runs it.
type Check struct {
	ID    string
	Title string
	// Severity is every finding's; errors fail a deployment (exit 1).
	Severity diag.Severity
	Tags     []string
	// Doc is the condition the check looks for (Markdown).
	Doc string
	// Why says what goes wrong in production if it fires.
	Why string
	// Fix says what to change.
	Fix      string
	Examples []Example
	Run      func(in *Input) []Finding
}

// Area is the part of the ID before the dot ("fairdm", "proxy", …).
func (c *Check) Area() string { a, _, _ := strings.Cut(c.ID, "."); return a }

// Anchor is the check's id on the catalog page: fairdm.E001 → fairdm-e001.
func (c *Check) Anchor() string { return strings.ToLower(strings.ReplaceAll(c.ID, ".", "-")) }

// HasTag reports whether the check carries tag t.
func (c *Check) HasTag(t string) bool { return slices.Contains(c.Tags, t) }

// Finding is one problem a check found. Messages never contain a secret value.
type Finding struct {
	ID       string        `json:"id"`
	Severity diag.Severity `json:"severity"`
	Message  string        `json:"message"`
	File     string        `json:"file,omitempty"`
	Line     int           `json:"line,omitempty"`
	Service  string        `json:"service,omitempty"`
	Fix      string        `json:"fix"`
}

// Input is what a check looks at: the resolved deployment, its Django
// service, and the settings the application computes from that service's
// environment.
type Input struct {
	D    *deployenv.Deployment
	Main *deployenv.Service
	S    *Settings
	// Published are the secret values the documentation shows.
	Published map[string]bool
}

// NewInput prepares a deployment for the checks.
func NewInput(d *deployenv.Deployment) *Input {
	main := d.Services[d.Main]
	return &Input{D: d, Main: main, S: EffectiveSettings(main.Get), Published: publishedSecrets(All())}
}

// Options select and tune a run.
type Options struct {
	Deploy  bool     // also run the checks tagged "deploy"
	Tags    []string // only checks with one of these tags
	Silence []string // check IDs to leave out
}

// Selected returns the checks a run with opts executes.
func Selected(opts Options) []*Check {
	var out []*Check
	for _, c := range All() {
		if c.HasTag("deploy") && !opts.Deploy {
			continue
		}
		if len(opts.Tags) > 0 && !slices.ContainsFunc(opts.Tags, c.HasTag) {
			continue
		}
		if slices.Contains(opts.Silence, c.ID) {
			continue
		}
		out = append(out, c)
	}
	return out
}

// Run executes checks on in and returns the findings sorted by file, line and ID.
func Run(in *Input, checks []*Check) []Finding {
	var out []Finding
	for _, c := range checks {
		for _, f := range c.Run(in) {
			f.ID, f.Severity = c.ID, c.Severity
			f.Fix = cmp.Or(f.Fix, c.Fix)
			out = append(out, f)
		}
	}
	slices.SortStableFunc(out, func(a, b Finding) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.ID, b.ID), cmp.Compare(a.Message, b.Message))
	})
	return out
}

// Lookup finds a check by ID, case-insensitively.
func Lookup(id string) (*Check, bool) {
	for _, c := range All() {
		if strings.EqualFold(c.ID, id) {
			return c, true
		}
	}
	return nil, false
}

// at returns a finding positioned where the variable was set, or at the
// service's definition when it is not set.
func (in *Input) at(name, msg string) Finding {
	f := Finding{Message: msg, Service: in.Main.Name, File: deployenv.ComposeFile, Line: in.Main.Line}
	if v, ok := in.Main.Vars[name]; ok && v.Origin.File != "" {
		f.File, f.Line = v.Origin.File, v.Origin.Line
	}
	return f
}

// serviceLine is the first line of a service's definition containing s,
// else the service's own line.
func (in *Input) serviceLine(s *deployenv.Service, needle string) int {
	end := len(in.D.Lines)
	for _, other := range in.D.Services {
		if other.Line > s.Line && other.Line < end {
			end = other.Line
		}
	}
	for i := max(s.Line-1, 0); i < end-1 && i < len(in.D.Lines); i++ {
		if strings.Contains(in.D.Lines[i], needle) {
			return i + 1
		}
	}
	return s.Line
}

// parseURL parses a connection URL; ok is false when it is not one.
func parseURL(v string) (*url.URL, bool) {
	u, err := url.Parse(v)
	if err != nil || u.Scheme == "" {
		return nil, false
	}
	return u, true
}

// services returns the deployment's services sorted by name.
func (in *Input) services() []*deployenv.Service {
	out := make([]*deployenv.Service, 0, len(in.D.Services))
	for _, s := range in.D.Services {
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b *deployenv.Service) int { return cmp.Compare(a.Name, b.Name) })
	return out
}
