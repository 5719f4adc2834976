package report

import (
	"cmp"
	"encoding/xml"
	"fmt"
	"io"

	"github.com/docsgen/docsgen/internal/diag"
)

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
// for everything else, so CI dashboards count what was checked.
func writeJUnit(w io.Writer, r *Report) error {
	suite := junitSuite{Name: "docsgen " + r.Tool}
	for _, f := range r.Findings {
		if f.Severity < diag.Error {
			continue
		}
		suite.Cases = append(suite.Cases, junitCase{Name: f.Pos.String() + " " + cmp.Or(f.Target, f.Rule), Classname: r.Tool + "." + f.Rule,
			Failure: &junitFailure{Message: f.Message, Type: f.Rule, Text: f.Pos.String() + ": " + f.Message}})
		suite.Failures++
	}
	suite.Cases = append(suite.Cases, junitCase{Name: fmt.Sprintf("all other %s (%s)", r.Checked, r.Summary), Classname: r.Tool})
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
