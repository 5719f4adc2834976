package report

import "github.com/docsgen/docsgen/internal/diag"

// palette colours text with ANSI SGR sequences when on. Six escape codes
// do not need a dependency.
type palette struct{ on bool }

const (
	sgrReset  = "\x1b[0m"
	sgrBold   = "\x1b[1m"
	sgrRed    = "\x1b[1;31m"
	sgrYellow = "\x1b[1;33m"
	sgrCyan   = "\x1b[1;36m"
)

func (p palette) wrap(code, s string) string {
	if !p.on || s == "" {
		return s
	}
	return code + s + sgrReset
}

func (p palette) bold(s string) string { return p.wrap(sgrBold, s) }

// severity colours s as the severity: errors red, warnings yellow, info cyan.
func (p palette) severity(sev diag.Severity, s string) string {
	switch sev {
	case diag.Error:
		return p.wrap(sgrRed, s)
	case diag.Warning:
		return p.wrap(sgrYellow, s)
	}
	return p.wrap(sgrCyan, s)
}
