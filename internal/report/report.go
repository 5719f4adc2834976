// Package report is the one set of output formats docsgen's commands print
// their findings in: text, json, github (workflow annotations), sarif
// (code scanning) and junit (CI dashboards). A command turns what it found
// into a Report of Findings with positions and calls Write; only the JSON
// document is the command's own.
package report

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/docsgen/docsgen/internal/diag"
)

// Formats lists the output formats Write knows.
var Formats = []string{"text", "json", "github", "sarif", "junit"}

// Finding is one problem at a source position, as the formats print it.
type Finding struct {
	Pos      diag.Pos
	Severity diag.Severity
	// Rule is what fired: a check ID, a link kind, a diagnostic code. It is
	// the SARIF rule and the JUnit class.
	Rule string
	// Title heads a GitHub annotation; Rule when empty.
	Title string
	// Lead and Tag frame Message on a text line:
	// "pos: severity: Lead Message [Tag]", each left out when empty.
	Lead, Tag string
	Message   string
	// Target is what the finding is about (a link target), naming its JUnit case.
	Target string
	// Suggestion is the likely intended target, printed as "did you mean
	// X?": in text after the notes, in github right after the message, in
	// sarif in parentheses after it.
	Suggestion string
	// Notes are further lines, in order: the include chain, a hint, a fix.
	Notes []string
}

// Report is what a command found and how to sum it up.
type Report struct {
	// Tool names the command ("linkcheck"): the SARIF driver is "docsgen
	// linkcheck", and so is the JUnit suite.
	Tool     string
	Findings []Finding
	// Summary is the one line text and github end with.
	Summary string
	// Details is text printed between the findings and the summary in the
	// text format only (linkcheck's findings grouped by target).
	Details string
	// Grouped prints the text format as Django's "manage.py check" does:
	// ERRORS, then WARNINGS, then INFO, each under its heading, without
	// the severity word on every line.
	Grouped bool
	// Checked names what the summary counts ("references"), for the JUnit
	// case that stands for everything that passed.
	Checked string
	// Rules describes each Rule in a sentence, for SARIF.
	Rules map[string]string
	// JSON is the command's own JSON document.
	JSON any
}

// Choice lists formats for a message: "text, json or github".
func Choice(formats []string) string {
	if len(formats) < 2 {
		return strings.Join(formats, "")
	}
	return strings.Join(formats[:len(formats)-1], ", ") + " or " + formats[len(formats)-1]
}

// Options tune how Write prints a report for a person.
type Options struct {
	// Color marks severities and headings with ANSI colours (text only).
	Color bool
	// Quiet leaves out info findings, the details and the summary when
	// nothing is at warning or above (text only): silence means clean.
	Quiet bool
}

// Write writes r in format.
func Write(w io.Writer, format string, r *Report) error {
	return WriteWith(w, format, r, Options{})
}

// WriteWith writes r in format, tuned by opts.
func WriteWith(w io.Writer, format string, r *Report, opts Options) error {
	switch format {
	case "text":
		return writeText(w, r, opts)
	case "json":
		return WriteJSON(w, r.JSON)
	case "github":
		return writeGitHub(w, r)
	case "sarif":
		return writeSARIF(w, r)
	case "junit":
		return writeJUnit(w, r)
	}
	return fmt.Errorf("unknown format %q: use %s", format, Choice(Formats))
}

// WriteJSON writes v as indented JSON.
func WriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// Diagnostics turns diagnostics into findings: "pos: severity: message
// [code]", then the include chain and the hint, as Diagnostic.String reads.
func Diagnostics(ds []diag.Diagnostic) []Finding {
	out := make([]Finding, len(ds))
	for i, d := range ds {
		f := Finding{Pos: d.Pos, Severity: d.Severity, Rule: d.Code, Tag: d.Code, Message: d.Message, Target: d.Target, Suggestion: d.Suggestion}
		for _, v := range d.Via {
			f.Notes = append(f.Notes, "included from "+v.String())
		}
		// A suggestion prints as linkcheck prints it, so a broken link
		// reads the same in both; its hint would say it twice.
		if d.Hint != "" && (d.Suggestion == "" || !strings.HasPrefix(d.Hint, "did you mean")) {
			f.Notes = append(f.Notes, "hint: "+d.Hint)
		}
		out[i] = f
	}
	return out
}

// Text is the finding's text line and its further lines, tab-indented.
func (f Finding) Text() string { return f.text(palette{}, true) }

// text is the finding's text, coloured by p, with or without the severity
// word (a grouped report says it once, in the heading).
func (f Finding) text(p palette, severity bool) string {
	var b strings.Builder
	b.WriteString(p.bold(f.Pos.String()) + ": ")
	if severity {
		b.WriteString(p.severity(f.Severity, f.Severity.String()) + ": ")
	}
	if f.Lead != "" {
		b.WriteString(f.Lead + " ")
	}
	b.WriteString(f.Message)
	if f.Tag != "" {
		fmt.Fprintf(&b, " [%s]", f.Tag)
	}
	for _, l := range f.Notes {
		// Every line of a note stays indented under its finding.
		b.WriteString("\n\t" + strings.ReplaceAll(l, "\n", "\n\t"))
	}
	if f.Suggestion != "" {
		b.WriteString("\n\t" + diag.DidYouMean(f.Suggestion))
	}
	return b.String()
}

// groupHeadings are Django's, most severe first.
var groupHeadings = []struct {
	sev     diag.Severity
	heading string
}{{diag.Error, "ERRORS:"}, {diag.Warning, "WARNINGS:"}, {diag.Info, "INFO:"}}

func writeText(w io.Writer, r *Report, opts Options) error {
	p := palette{on: opts.Color}
	findings := r.Findings
	if opts.Quiet {
		findings = slices.DeleteFunc(slices.Clone(findings), func(f Finding) bool { return f.Severity < diag.Warning })
	}
	if r.Grouped {
		for _, g := range groupHeadings {
			var lines []string
			for _, f := range findings {
				if f.Severity == g.sev {
					lines = append(lines, f.text(p, false))
				}
			}
			if len(lines) > 0 {
				fmt.Fprintf(w, "%s\n%s\n\n", p.severity(g.sev, g.heading), strings.Join(lines, "\n"))
			}
		}
	} else {
		for _, f := range findings {
			fmt.Fprintln(w, f.text(p, true))
		}
	}
	if opts.Quiet && len(findings) == 0 {
		return nil
	}
	io.WriteString(w, r.Details)
	_, err := fmt.Fprintln(w, p.bold(r.Summary))
	return err
}

// Count is n and the noun, plural unless n is 1: "1 error", "2 errors",
// "0 pages". Nouns take an s.
func Count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func writeGitHub(w io.Writer, r *Report) error {
	for _, f := range r.Findings {
		fmt.Fprintln(w, f.GitHub())
	}
	_, err := fmt.Fprintln(w, r.Summary)
	return err
}

// GitHub is the finding as a workflow command (an annotation):
// "::error file=F,line=L,col=C,title=T::message%0Adid you mean X?%0Anotes…",
// col left out when unknown. The suggestion comes right after the message,
// where the annotation's first lines show it.
func (f Finding) GitHub() string {
	level := map[diag.Severity]string{diag.Error: "error", diag.Warning: "warning", diag.Info: "notice"}[f.Severity]
	props := fmt.Sprintf("file=%s,line=%d", ghProp(f.Pos.File), f.Pos.Line)
	if f.Pos.Col > 0 {
		props += fmt.Sprintf(",col=%d", f.Pos.Col)
	}
	lines := []string{f.Message}
	if f.Suggestion != "" {
		lines = append(lines, diag.DidYouMean(f.Suggestion))
	}
	msg := strings.Join(append(lines, f.Notes...), "\n")
	return fmt.Sprintf("::%s %s,title=%s::%s", level, props, ghProp(cmp.Or(f.Title, f.Rule)), ghEscape(msg))
}

// ghEscape escapes a workflow command message.
func ghEscape(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// ghProp escapes a workflow command property.
func ghProp(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
