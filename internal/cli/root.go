// Package cli is docsgen's command tree. Each command fills an options
// struct from its flags and calls one library function; only main exits.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/sirupsen/logrus"
	"github.com/spf13/cobra"
)

// Exit codes shared by every command.
const (
	ExitOK      = 0
	ExitFailed  = 1 // the input has errors (or warnings under --strict)
	ExitCantRun = 2 // usage or setup problem
	// ExitInterrupted is 128 + SIGINT, as shells report a command stopped
	// by Ctrl-C.
	ExitInterrupted = 130
)

// exitError carries an exit code up to Main without printing twice.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit %d", e.code) }

// Main runs docsgen with args and returns the process exit code.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	// compose-go logs unset variables through logrus' global logger; they
	// are findings of check (compose.E002), so only real errors may print.
	logrus.SetLevel(logrus.ErrorLevel)
	root := newRoot(stdout, stderr)
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	var ee exitError
	switch {
	case err == nil:
		return ExitOK
	case ctx.Err() != nil:
		// Whatever failed, it failed because the run was stopped.
		return ExitInterrupted
	case errors.As(err, &ee):
		return ee.code
	default:
		fmt.Fprintf(stderr, "docsgen: %v\n", err)
		return ExitCantRun
	}
}

func newRoot(stdout, stderr io.Writer) *cobra.Command {
	g := &globals{}
	root := &cobra.Command{
		Use:           "docsgen",
		Short:         "Build, preview and check a MyST Markdown documentation site",
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       version(),
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			return g.validate(stderr)
		},
	}
	root.SetVersionTemplate("{{.Version}}\n")
	g.add(root)
	root.AddCommand(newBuildCmd(g, stdout, stderr), newCheckCmd(g, stdout, stderr), newEnvCmd(g, stdout, stderr), newLinkcheckCmd(g, stdout, stderr),
		newServeCmd(g, stdout, stderr), newVersionCmd(stdout), newInitCmd(g, stdout, stderr))
	return root
}
