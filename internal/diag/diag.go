// Package diag holds the diagnostics every stage of docsgen reports: values
// with a source position, collected, sorted and printed once.
package diag

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Severity orders findings: Info < Warning < Error. It is the one severity
// of docsgen: build diagnostics, link findings and deployment checks all
// use it, and a run fails on findings at or above a level (see Failed).
// The zero value is Info.
type Severity int

const (
	Info Severity = iota
	Warning
	Error
)

// String is the severity's name as every output format writes it:
// "error", "warning" or "info".
func (s Severity) String() string {
	switch s {
	case Info:
		return "info"
	case Warning:
		return "warning"
	case Error:
		return "error"
	}
	return fmt.Sprintf("severity(%d)", int(s))
}

// ParseSeverity reads "error", "warning" or "info", in any case.
func ParseSeverity(s string) (Severity, error) {
	for _, sev := range []Severity{Error, Warning, Info} {
		if strings.EqualFold(s, sev.String()) {
			return sev, nil
		}
	}
	return 0, fmt.Errorf("unknown severity %q: use error, warning or info", s)
}

// MarshalText writes the severity's name, so JSON holds "error", not 2.
func (s Severity) MarshalText() ([]byte, error) {
	if s < Info || s > Error {
		return nil, fmt.Errorf("invalid severity %d", int(s))
	}
	return []byte(s.String()), nil
}

// UnmarshalText reads what MarshalText writes.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// Pos is a 1-based position in a source file. Line 0 means "the whole file".
type Pos struct {
	File string
	Line int
	Col  int
}

func (p Pos) String() string {
	switch {
	case p.Line == 0:
		return p.File
	case p.Col == 0:
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// Diagnostic is one finding about the input. Via lists the include chain
// that pulled Pos into the page being built, innermost first.
type Diagnostic struct {
	Pos      Pos
	Severity Severity
	Code     string
	Message  string
	Hint     string
	Via      []Pos
	// Target is what a reference pointed at, for link diagnostics.
	Target string
	// Suggestion is the closest existing target when Target leads nowhere
	// (a typo); Hint then says DidYouMean(it). Link checking reports it as
	// a field of its own.
	Suggestion string
}

// DidYouMean is the hint for a reference with a likely typo; s is the
// suggestion as the reader should write it ("install", "#setup").
func DidYouMean(s string) string { return "did you mean " + s + "?" }

func (d Diagnostic) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s: %s", d.Pos, d.Severity, d.Message)
	if d.Code != "" {
		fmt.Fprintf(&b, " [%s]", d.Code)
	}
	for _, v := range d.Via {
		fmt.Fprintf(&b, "\n\tincluded from %s", v)
	}
	if d.Hint != "" {
		fmt.Fprintf(&b, "\n\thint: %s", d.Hint)
	}
	return b.String()
}

// List collects diagnostics. The zero value is ready to use; it is not safe
// for concurrent use (each page owns one, merged afterwards).
type List struct {
	items  []Diagnostic
	errors int
}

func (l *List) Add(d Diagnostic) {
	if d.Severity == Error {
		l.errors++
	}
	l.items = append(l.items, d)
}

// ErrorCount is the number of errors added so far.
func (l *List) ErrorCount() int { return l.errors }

func (l *List) Errorf(pos Pos, code, format string, args ...any) {
	l.Add(Diagnostic{Pos: pos, Severity: Error, Code: code, Message: fmt.Sprintf(format, args...)})
}

func (l *List) Warnf(pos Pos, code, format string, args ...any) {
	l.Add(Diagnostic{Pos: pos, Severity: Warning, Code: code, Message: fmt.Sprintf(format, args...)})
}

// Merge appends other's diagnostics to l.
func (l *List) Merge(other *List) {
	if other != nil {
		l.items = append(l.items, other.items...)
		l.errors += other.errors
	}
}

func (l *List) Len() int { return len(l.items) }

// Truncate drops the diagnostics added after the first n.
func (l *List) Truncate(n int) {
	if n >= len(l.items) {
		return
	}
	for _, d := range l.items[n:] {
		if d.Severity == Error {
			l.errors--
		}
	}
	clear(l.items[n:])
	l.items = l.items[:n]
}

// From returns the diagnostics added after the first n.
func (l *List) From(n int) []Diagnostic { return slices.Clone(l.items[min(n, len(l.items)):]) }

// AddAll adds every diagnostic of ds.
func (l *List) AddAll(ds []Diagnostic) {
	for _, d := range ds {
		l.Add(d)
	}
}

// Sorted returns the diagnostics ordered by file, line, column, then message,
// without duplicates (an included file reports once per inclusion site otherwise).
func (l *List) Sorted() []Diagnostic {
	out := slices.Clone(l.items)
	slices.SortStableFunc(out, Compare)
	return slices.CompactFunc(out, func(a, b Diagnostic) bool { return Compare(a, b) == 0 && slices.Equal(a.Via, b.Via) })
}

// Compare orders diagnostics for printing.
func Compare(a, b Diagnostic) int {
	return cmp.Or(
		ComparePos(a.Pos, b.Pos),
		cmp.Compare(b.Severity, a.Severity),
		cmp.Compare(a.Message, b.Message),
	)
}

// ComparePos orders positions by file, line, then column.
func ComparePos(a, b Pos) int {
	return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Col, b.Col))
}

// Failed reports whether any of ds is at level or above.
func Failed(ds []Diagnostic, level Severity) bool {
	return slices.ContainsFunc(ds, func(d Diagnostic) bool { return d.Severity >= level })
}

// Count returns the number of errors and warnings.
func Count(ds []Diagnostic) (errors, warnings int) {
	for _, d := range ds {
		switch d.Severity {
		case Error:
			errors++
		case Warning:
			warnings++
		}
	}
	return errors, warnings
}
