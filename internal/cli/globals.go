package cli

import (
	"io"
	"os"

	"github.com/docsgen/docsgen/internal/report"
	"github.com/spf13/cobra"
)

// globals are the flags every command takes: --color, -q and -v.
type globals struct {
	color          string
	quiet, verbose bool
}

var colorChoices = []string{"auto", "always", "never"}

func (g *globals) add(root *cobra.Command) {
	f := root.PersistentFlags()
	f.StringVar(&g.color, "color", "auto", "colour the text output: auto (on a terminal, unless NO_COLOR is set), always or never")
	f.BoolVarP(&g.quiet, "quiet", "q", false, "print only warnings and errors (nothing when all is well)")
	f.BoolVarP(&g.verbose, "verbose", "v", false, "also say what is used: config, project, source and output folders; deployment, service and checks")
	_ = root.RegisterFlagCompletionFunc("color", cobra.FixedCompletions(colorChoices, cobra.ShellCompDirectiveNoFileComp))
}

func (g *globals) validate(stderr io.Writer) error {
	switch {
	case g.color != "auto" && g.color != "always" && g.color != "never":
		return usageError(stderr, "--color must be "+report.Choice(colorChoices))
	case g.quiet && g.verbose:
		return usageError(stderr, "-q (--quiet) and -v (--verbose) cannot be used together")
	}
	return nil
}

// colorOn decides colour for output to w: never with --color never,
// always with --color always (it wins over NO_COLOR, as the flag is the
// more specific wish), else only on a terminal and without NO_COLOR
// (https://no-color.org: set and not empty) or TERM=dumb.
func (g *globals) colorOn(w io.Writer) bool {
	switch g.color {
	case "always":
		return true
	case "never":
		return false
	}
	return os.Getenv("NO_COLOR") == "" && os.Getenv("TERM") != "dumb" && isTerminal(w)
}

// reportOptions are how a report to w is printed.
func (g *globals) reportOptions(w io.Writer) report.Options {
	return report.Options{Color: g.colorOn(w), Quiet: g.quiet}
}
