package diag

import (
	"encoding/json"
	"testing"
)

func TestParseSeverity(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Severity
	}{
		{"error", Error}, {"warning", Warning}, {"info", Info}, {"ERROR", Error}, {"Warning", Warning},
	} {
		got, err := ParseSeverity(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("ParseSeverity(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{"", "warn", "fatal", "notice", " error"} {
		if _, err := ParseSeverity(bad); err == nil {
			t.Errorf("ParseSeverity(%q) succeeded", bad)
		}
	}
}

func TestSeverityOrderAndNames(t *testing.T) {
	if !(Info < Warning && Warning < Error) {
		t.Fatal("severities are not ordered Info < Warning < Error")
	}
	var zero Severity
	if zero != Info {
		t.Error("the zero Severity is not Info")
	}
	for sev, name := range map[Severity]string{Info: "info", Warning: "warning", Error: "error", 7: "severity(7)"} {
		if got := sev.String(); got != name {
			t.Errorf("Severity(%d).String() = %q, want %q", int(sev), got, name)
		}
	}
}

// TestSeverityJSON: severities are strings in JSON, both ways.
func TestSeverityJSON(t *testing.T) {
	type doc struct {
		S []Severity `json:"s"`
	}
	b, err := json.Marshal(doc{S: []Severity{Error, Warning, Info}})
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"s":["error","warning","info"]}`; string(b) != want {
		t.Errorf("marshalled %s, want %s", b, want)
	}
	var back doc
	if err := json.Unmarshal(b, &back); err != nil || len(back.S) != 3 || back.S[0] != Error || back.S[1] != Warning || back.S[2] != Info {
		t.Errorf("unmarshalled %v, %v", back, err)
	}
	if err := json.Unmarshal([]byte(`{"s":["fatal"]}`), &back); err == nil {
		t.Error("an unknown severity unmarshals")
	}
	if _, err := json.Marshal(doc{S: []Severity{3}}); err == nil {
		t.Error("an invalid severity marshals")
	}
}

func TestFailed(t *testing.T) {
	warn := []Diagnostic{{Severity: Warning}, {Severity: Info}}
	for _, tc := range []struct {
		ds    []Diagnostic
		level Severity
		want  bool
	}{
		{nil, Info, false},
		{warn, Error, false},
		{warn, Warning, true},
		{warn, Info, true},
		{[]Diagnostic{{Severity: Info}}, Warning, false},
		{[]Diagnostic{{Severity: Error}}, Error, true},
	} {
		if got := Failed(tc.ds, tc.level); got != tc.want {
			t.Errorf("Failed(%v, %s) = %v", tc.ds, tc.level, got)
		}
	}
}

func TestShortPath(t *testing.T) {
	for _, c := range []struct{ wd, path, want string }{
		{"/p", "/p/content/a.md", "content/a.md"},
		{"/p", "/p", "."},
		{"/p", "/elsewhere/a.md", "/elsewhere/a.md"},
		{"/p", "/p/..x/a.md", "..x/a.md"},
		{"", "/p/a.md", "/p/a.md"},
	} {
		if got := ShortPath(c.wd, c.path); got != c.want {
			t.Errorf("ShortPath(%q, %q) = %q, want %q", c.wd, c.path, got, c.want)
		}
	}
}

func TestClosest(t *testing.T) {
	names := []string{"installation", "configuration", "deployment", "faq"}
	for _, c := range []struct{ want, got string }{
		{"instalation", "installation"},
		{"deploymnet", "deployment"},
		{"fqa", "faq"},
		{"security", ""},
	} {
		if got := Closest(c.want, names); got != c.got {
			t.Errorf("Closest(%q) = %q, want %q", c.want, got, c.got)
		}
	}
	if d := Distance("kitten", "sitting"); d != 3 {
		t.Errorf("Distance(kitten, sitting) = %d, want 3", d)
	}
}

// TestTruncate: dropping the diagnostics after the first n drops their
// errors from the count too.
func TestTruncate(t *testing.T) {
	var l List
	l.Errorf(Pos{File: "a.md", Line: 1}, "x", "one")
	l.Warnf(Pos{File: "a.md", Line: 2}, "y", "two")
	l.Errorf(Pos{File: "a.md", Line: 3}, "z", "three")
	l.Truncate(5)
	if l.Len() != 3 || l.ErrorCount() != 2 {
		t.Fatalf("Truncate past the end: %d diagnostics, %d errors", l.Len(), l.ErrorCount())
	}
	l.Truncate(1)
	if l.Len() != 1 || l.ErrorCount() != 1 || l.From(0)[0].Message != "one" {
		t.Errorf("Truncate(1): %v, %d errors", l.From(0), l.ErrorCount())
	}
	l.Truncate(0)
	if l.Len() != 0 || l.ErrorCount() != 0 {
		t.Errorf("Truncate(0): %d diagnostics, %d errors", l.Len(), l.ErrorCount())
	}
}
