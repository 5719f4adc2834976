// Package diag holds the diagnostics every stage of docsgen reports: values
// with a source position, collected, sorted and printed once.
package diag

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Severity orders diagnostics; a build fails on Error, and on Warning in strict mode.
type Severity int

const (
	Warning Severity = iota + 1
	Error
)

func (s Severity) String() string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	}
	return "info"
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
}

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
