package deployenv

import (
	"fmt"
)

// The reader's budgets. Real deployment files are a few KB with a few dozen
// variables; these bounds are far above that and far below what would make
// a run take minutes or gigabytes. Each breach is an *Error naming the file,
// the line and what to do, never a value.
const (
	// DefaultMaxFileSize is the largest file Load reads unless
	// Options.MaxFileSize says otherwise.
	DefaultMaxFileSize int64 = 64 << 20
	// maxValueSize bounds one value after ${...} substitution: an env file
	// value, or a production.yml value built by substitution. (Linux itself
	// refuses one environment string over 128 KiB when it starts a process.)
	maxValueSize = 1 << 20
	// maxInterpolated bounds all the text ${...} substitution produces in
	// one Load, so that many lines of ${BIG} cannot add up to gigabytes.
	maxInterpolated = 64 << 20
	// maxNesting bounds ${A:-${B:-...}} defaults inside each other.
	maxNesting = 32
	// maxVariables bounds the variables read from env files in one Load
	// (an env file listed by several services counts each time).
	maxVariables = 100_000
	// parseRounds bounds the env file text parsed in one Load, as a
	// multiple of the file size limit: a file listed by many services is
	// parsed for each of them.
	parseRounds = 4
)

// budget is what one Load may still spend.
type budget struct {
	maxFileSize  int64
	parsed       int64 // env file bytes parsed
	variables    int   // variables set from env files
	interpolated int64 // bytes produced by ${...} substitution
}

func newBudget(maxFileSize int64) *budget {
	if maxFileSize <= 0 {
		maxFileSize = DefaultMaxFileSize
	}
	return &budget{maxFileSize: maxFileSize}
}

// limitError is a budget breach while parsing or substituting. It holds no
// value: only what was exceeded and, when known, the variable.
type limitError struct {
	What string // e.g. "the value is larger than 1 MiB after ${...} substitution"
	Hint string
	Var  string // the variable whose value broke the limit, if known
	// template is the text being substituted, used only to find its line
	// in production.yml; never shown.
	template string
}

func (e *limitError) Error() string {
	if e.Var != "" {
		return e.Var + ": " + e.What
	}
	return e.What
}

func valueTooLarge() *limitError {
	return &limitError{
		What: fmt.Sprintf("the value is larger than %d MiB after ${...} substitution", maxValueSize>>20),
		Hint: "a variable holds at most a few KB (Linux refuses one over 128 KiB when it starts a container); look for a ${VAR}${VAR} line that doubles a value, or a file that is not an env file",
	}
}

func interpolatedTooMuch() *limitError {
	return &limitError{
		What: fmt.Sprintf("${...} substitution has produced more than %d MiB in this deployment", maxInterpolated>>20),
		Hint: "large values are copied by every ${VAR} that names them; look for variables that repeat a long value many times",
	}
}

func nestedTooDeep() *limitError {
	return &limitError{
		What: fmt.Sprintf("${...} defaults are nested more than %d deep", maxNesting),
		Hint: "write ${A:-${B:-default}} with a few levels at most",
	}
}

func sizeMiB(n int64) string {
	if n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}
