package linkcheck

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
)

// Formats lists the output formats.
var Formats = []string{"text", "json", "github", "sarif", "junit"}

// Write writes the report in format.
func Write(w io.Writer, r *Report, format string) error {
	switch format {
	case "text":
		return writeText(w, r)
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	case "github":
		return writeGitHub(w, r)
	case "sarif":
		return writeSARIF(w, r)
	case "junit":
		return writeJUnit(w, r)
	}
	return fmt.Errorf("unknown format %q: use %s", format, strings.Join(Formats, ", "))
}

func summaryLine(r *Report) string {
	s := fmt.Sprintf("%d internal references checked", r.Summary.Internal)
	if e := r.Summary.External; e != nil {
		s += fmt.Sprintf(", %d external URLs (%d ok, %d cached, %d broken, %d transient, %d blocked, %d unchecked, %d ignored; %d requests)",
			e.URLs, e.OK, e.Cached, e.Broken, e.Transient, e.Blocked, e.Unchecked, e.Ignored, e.Requests)
	}
	return fmt.Sprintf("%s: %d errors, %d warnings", s, r.Summary.Errors, r.Summary.Warnings)
}

func writeText(w io.Writer, r *Report) error {
	for _, f := range r.Findings {
		fmt.Fprintf(w, "%s: %s: %s [%s]\n", f.Pos(), f.Severity, f.Message, f.Kind)
		for _, v := range f.Via {
			fmt.Fprintf(w, "\tincluded from %s\n", v)
		}
		if f.Suggestion != "" {
			fmt.Fprintf(w, "\tdid you mean %s?\n", f.Suggestion)
		}
	}
	if len(r.Summary.ByTarget) > 0 {
		fmt.Fprintln(w, "\nBy target:")
		for _, g := range r.Summary.ByTarget {
			links := "links"
			if g.Count == 1 {
				links = "link"
			}
			fmt.Fprintf(w, "  %s (%s): %d %s from %s\n", g.Target, g.Kind, g.Count, links, strings.Join(g.Files, ", "))
		}
		fmt.Fprintln(w)
	}
	_, err := fmt.Fprintln(w, summaryLine(r))
	return err
}

func ghEscape(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func ghProp(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

func writeGitHub(w io.Writer, r *Report) error {
	for _, f := range r.Findings {
		msg := f.Message
		if f.Suggestion != "" {
			msg += "\ndid you mean " + f.Suggestion + "?"
		}
		for _, v := range f.Via {
			msg += "\nincluded from " + v
		}
		fmt.Fprintf(w, "::%s file=%s,line=%d,col=%d,title=%s::%s\n", f.Severity, ghProp(f.File), f.Line, f.Col, ghProp("broken "+f.Kind), ghEscape(msg))
	}
	_, err := fmt.Fprintln(w, summaryLine(r))
	return err
}

// SARIF 2.1.0, the subset code-scanning tools read.
type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool    sarifTool     `json:"tool"`
	Results []sarifResult `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID               string       `json:"id"`
	ShortDescription sarifMessage `json:"shortDescription"`
}

type sarifMessage struct {
	Text string `json:"text"`
}

type sarifResult struct {
	RuleID    string          `json:"ruleId"`
	Level     string          `json:"level"`
	Message   sarifMessage    `json:"message"`
	Locations []sarifLocation `json:"locations"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           sarifRegion   `json:"region"`
}

type sarifArtifact struct {
	URI string `json:"uri"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
}

var ruleText = map[string]string{
	"link": "A link to a missing page or file", "anchor": "A link to a missing #anchor", "image": "A missing image",
	"doc": "A {doc} role naming no document", "ref": "A {ref} role naming no label", "term": "A {term} missing from every glossary",
	"download": "A {download} of a missing file", "include": "An include or literalinclude of a missing file",
	"html": "A raw HTML href or src leading nowhere", "toctree": "A toctree entry naming no document",
	"orphan": "A page in no toctree", "external": "An external link that is broken or could not be confirmed",
}

func writeSARIF(w io.Writer, r *Report) error {
	run := sarifRun{Tool: sarifTool{Driver: sarifDriver{Name: "docsgen linkcheck", InformationURI: "https://github.com/docsgen/docsgen"}}, Results: []sarifResult{}}
	seen := map[string]bool{}
	for _, f := range r.Findings {
		if !seen[f.Kind] {
			seen[f.Kind] = true
			run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRule{ID: f.Kind, ShortDescription: sarifMessage{Text: ruleText[f.Kind]}})
		}
		msg := f.Message
		if f.Suggestion != "" {
			msg += " (did you mean " + f.Suggestion + "?)"
		}
		run.Results = append(run.Results, sarifResult{RuleID: f.Kind, Level: f.Severity, Message: sarifMessage{Text: msg},
			Locations: []sarifLocation{{PhysicalLocation: sarifPhysical{ArtifactLocation: sarifArtifact{URI: f.File}, Region: sarifRegion{StartLine: max(1, f.Line), StartColumn: f.Col}}}}})
	}
	if run.Tool.Driver.Rules == nil {
		run.Tool.Driver.Rules = []sarifRule{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(sarifLog{Schema: "https://json.schemastore.org/sarif-2.1.0.json", Version: "2.1.0", Runs: []sarifRun{run}})
}

type junitSuites struct {
	XMLName xml.Name     `xml:"testsuites"`
	Suites  []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// writeJUnit writes one failing test case per error and one passing case
// for everything else, so CI dashboards count the links.
func writeJUnit(w io.Writer, r *Report) error {
	suite := junitSuite{Name: "docsgen linkcheck"}
	for _, f := range r.Findings {
		if f.Severity != Error {
			continue
		}
		suite.Cases = append(suite.Cases, junitCase{Name: f.Pos() + " " + f.Target, Classname: "linkcheck." + f.Kind,
			Failure: &junitFailure{Message: f.Message, Type: f.Kind, Text: f.Pos() + ": " + f.Message}})
		suite.Failures++
	}
	suite.Cases = append(suite.Cases, junitCase{Name: fmt.Sprintf("all other references (%s)", summaryLine(r)), Classname: "linkcheck"})
	suite.Tests = len(suite.Cases)
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(junitSuites{Suites: []junitSuite{suite}}); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
