package cli

import (
	"fmt"
	"io"
	"os"
	"slices"

	"github.com/docsgen/docsgen/internal/diag"
	"github.com/docsgen/docsgen/internal/report"
	"github.com/spf13/cobra"
)

// failLevel is the --fail-level flag: exit 1 on findings at this level or
// above. Aliases are older names of the flag, hidden.
type failLevel struct {
	value   string
	aliases []string
}

func (fl *failLevel) add(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&fl.value, "fail-level", "error", "exit 1 on findings at this level or above: error or warning")
	for _, a := range fl.aliases {
		f.StringVar(&fl.value, a, "error", "the same as --fail-level")
		_ = f.MarkHidden(a)
	}
	_ = cmd.RegisterFlagCompletionFunc("fail-level", cobra.FixedCompletions([]string{"error", "warning"}, cobra.ShellCompDirectiveNoFileComp))
}

// level reads the flag: error or warning. A bad value is a usage error
// naming the flag as it was written.
func (fl *failLevel) level(cmd *cobra.Command, stderr io.Writer) (diag.Severity, error) {
	level, err := diag.ParseSeverity(fl.value)
	if err == nil && level > diag.Info {
		return level, nil
	}
	name := "fail-level"
	for _, a := range fl.aliases {
		if cmd.Flags().Changed(a) && !cmd.Flags().Changed(name) {
			name = a
		}
	}
	return 0, usageError(stderr, "--"+name+" must be error or warning")
}

// format is the requested output format, by default github under GitHub
// Actions, else text; one of formats or a usage error.
func format(stderr io.Writer, requested string, formats []string) (string, error) {
	name := requested
	if name == "" {
		name = "text"
		if os.Getenv("GITHUB_ACTIONS") == "true" && slices.Contains(formats, "github") {
			name = "github"
		}
	}
	if !slices.Contains(formats, name) {
		return "", usageError(stderr, "--format must be "+report.Choice(formats))
	}
	return name, nil
}

// writeReport prints r in format; failed turns into exit 1.
func writeReport(w io.Writer, format string, r *report.Report, failed bool, opts report.Options) error {
	if err := report.WriteWith(w, format, r, opts); err != nil {
		return err
	}
	if failed {
		return exitError{ExitFailed}
	}
	return nil
}

func usageError(stderr io.Writer, msg string) error {
	fmt.Fprintf(stderr, "docsgen: %s\n", msg)
	return exitError{ExitCantRun}
}
