package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/docsgen/docsgen/internal/checkref"
	"github.com/docsgen/docsgen/internal/deployenv"
	"github.com/spf13/cobra"
)

type checkOptions struct {
	deploy       bool
	dir          string
	service      string
	tags         []string
	format       string
	failLevel    string
	silence      []string
	list         bool
	explain      string
	noSystemEnv  bool
	allowOutside []string
}

func newCheckCmd(stdout, stderr io.Writer) *cobra.Command {
	var o checkOptions
	cmd := &cobra.Command{
		Use:   "check",
		Short: "Validate a deployment's configuration before it goes live",
		Long: `Validate a deployment folder (production.yml, stack.env, deploy/config/*.env)
the way the application will see it, like "manage.py check --deploy".

Exit status: 0 no errors (warnings allowed), 1 errors found (or findings at
--fail-level), 2 could not run (missing or malformed input, or a file that
is not a regular file inside --dir).
No output ever contains a secret value, error messages included.

Every file read (production.yml, stack.env, env_file and label_file
entries, extends: files) must be a regular file that resolves, symlinks
followed, inside --dir; --allow-outside DIR also accepts files under DIR.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			switch {
			case o.list:
				return listChecks(stdout, stderr, o.format)
			case o.explain != "":
				return explainCheck(stdout, stderr, o.explain)
			}
			return runCheck(cmd, stdout, stderr, o)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&o.deploy, "deploy", false, "also run the deployment checks (all but the compose-file ones)")
	f.StringVar(&o.dir, "dir", ".", "the deployment folder, holding production.yml")
	f.StringVar(&o.service, "service", "", "the Django service (default: django, or the one the workers merge from)")
	f.StringSliceVar(&o.tags, "tag", nil, "run only checks with this tag (repeatable)")
	f.StringVar(&o.format, "format", "", "output format: text, json or github (default github under GitHub Actions, else text)")
	f.StringVar(&o.failLevel, "fail-level", "error", "exit 1 on findings at this level or above: error or warning")
	f.StringSliceVar(&o.silence, "silence", nil, "leave out this check ID (repeatable)")
	f.BoolVar(&o.list, "list", false, "list the checks instead of running them")
	f.StringVar(&o.explain, "explain", "", "explain one check by ID")
	f.BoolVar(&o.noSystemEnv, "no-system-env", false, "leave the system environment out of ${VAR} substitution")
	addAllowOutside(cmd, &o.allowOutside)
	return cmd
}

// addAllowOutside adds the flag check and env share. An array, not a
// slice flag: a folder name may hold a comma.
func addAllowOutside(cmd *cobra.Command, dirs *[]string) {
	cmd.Flags().StringArrayVar(dirs, "allow-outside", nil, "also read files that resolve into this folder outside --dir (repeatable)")
}

func format(requested string) string {
	if requested != "" {
		return requested
	}
	if os.Getenv("GITHUB_ACTIONS") == "true" {
		return "github"
	}
	return "text"
}

func environ(noSystem bool) []string {
	if noSystem {
		return nil
	}
	return os.Environ()
}

func runCheck(cmd *cobra.Command, stdout, stderr io.Writer, o checkOptions) error {
	level, err := checkref.ParseSeverity(o.failLevel)
	if err != nil || level == checkref.Info {
		return usageError(stderr, "--fail-level must be error or warning")
	}
	fmtName := format(o.format)
	if fmtName != "text" && fmtName != "json" && fmtName != "github" {
		return usageError(stderr, "--format must be text, json or github")
	}
	for _, id := range o.silence {
		if _, ok := checkref.Lookup(id); !ok {
			return usageError(stderr, fmt.Sprintf("--silence %s: no such check (see docsgen check --list)", id))
		}
	}
	d, err := deployenv.Load(cmd.Context(), deployenv.Options{Dir: o.dir, Service: o.service, Environ: environ(o.noSystemEnv), AllowOutside: o.allowOutside})
	if err != nil {
		return loadError(stderr, err)
	}
	checks := checkref.Selected(checkref.Options{Deploy: o.deploy, Tags: o.tags, Silence: o.silence})
	findings := checkref.Run(checkref.NewInput(d), checks)
	// Checks write their messages from names, but one that quoted a value
	// would print it in every format: mask every secret the deployment holds.
	masker := d.Masker()
	for i := range findings {
		findings[i].Message = masker.Scrub(findings[i].Message)
		findings[i].Fix = masker.Scrub(findings[i].Fix)
		if findings[i].File != "" {
			findings[i].File = filepath.ToSlash(filepath.Join(o.dir, findings[i].File))
		}
	}
	counts := map[string]int{}
	failed := false
	for _, f := range findings {
		counts[f.Severity]++
		if sev, _ := checkref.ParseSeverity(f.Severity); sev >= level {
			failed = true
		}
	}
	summary := fmt.Sprintf("%d errors, %d warnings, %d notes from %d checks on %s", counts["error"], counts["warning"], counts["info"], len(checks), d.Main)
	if len(o.silence) > 0 {
		summary += fmt.Sprintf(" (%d silenced)", len(o.silence))
	}
	switch fmtName {
	case "json":
		out := map[string]any{
			"findings": nonNil(findings),
			"summary": map[string]any{"errors": counts["error"], "warnings": counts["warning"], "infos": counts["info"],
				"checks": len(checks), "silenced": nonNilStrings(o.silence), "service": d.Main, "dir": o.dir, "failed": failed},
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			return err
		}
	case "github":
		for _, f := range findings {
			level := map[string]string{"error": "error", "warning": "warning", "info": "notice"}[f.Severity]
			fmt.Fprintf(stdout, "::%s file=%s,line=%d,title=%s::%s%%0Afix: %s\n", level, ghEscapeProp(f.File), f.Line, f.ID, ghEscape(f.Message), ghEscape(f.Fix))
		}
		fmt.Fprintln(stdout, summary)
	default:
		for _, f := range findings {
			pos := f.File
			if f.Line > 0 {
				pos += fmt.Sprintf(":%d", f.Line)
			}
			svc := ""
			if f.Service != "" {
				svc = " [" + f.Service + "]"
			}
			fmt.Fprintf(stdout, "%s: %s: %s %s%s\n\tfix: %s\n", pos, f.Severity, f.ID, f.Message, svc, f.Fix)
		}
		fmt.Fprintln(stdout, summary)
	}
	if failed {
		return exitError{ExitFailed}
	}
	return nil
}

func nonNil(f []checkref.Finding) []checkref.Finding {
	if f == nil {
		return []checkref.Finding{}
	}
	return f
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// ghEscape escapes a workflow command message.
func ghEscape(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// ghEscapeProp escapes a workflow command property.
func ghEscapeProp(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

func usageError(stderr io.Writer, msg string) error {
	fmt.Fprintf(stderr, "docsgen: %s\n", msg)
	return exitError{ExitCantRun}
}

// loadError reports a deployment that cannot be read: file:line, what is
// wrong and what to do, exit 2.
func loadError(stderr io.Writer, err error) error {
	var de *deployenv.Error
	if errors.As(err, &de) {
		fmt.Fprintf(stderr, "%s: error: %s\n", de.Pos, de.Msg)
		if de.Hint != "" {
			fmt.Fprintf(stderr, "\thint: %s\n", de.Hint)
		}
		return exitError{ExitCantRun}
	}
	fmt.Fprintf(stderr, "docsgen: %v\n", err)
	return exitError{ExitCantRun}
}

func listChecks(stdout, stderr io.Writer, fmtName string) error {
	all := checkref.All()
	switch format(fmtName) {
	case "json":
		type row struct {
			ID       string   `json:"id"`
			Title    string   `json:"title"`
			Severity string   `json:"severity"`
			Tags     []string `json:"tags"`
		}
		rows := make([]row, len(all))
		for i, c := range all {
			rows[i] = row{c.ID, c.Title, c.Severity.String(), c.Tags}
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(map[string]any{"checks": rows})
	case "text", "github":
		for _, c := range all {
			fmt.Fprintf(stdout, "%-14s %-8s %s  [%s]\n", c.ID, c.Severity, c.Title, strings.Join(c.Tags, ", "))
		}
		return nil
	}
	return usageError(stderr, "--format must be text, json or github")
}

func explainCheck(stdout, stderr io.Writer, id string) error {
	c, ok := checkref.Lookup(id)
	if !ok {
		return usageError(stderr, fmt.Sprintf("no check %s (see docsgen check --list)", id))
	}
	fmt.Fprintf(stdout, "%s: %s (%s)\ntags: %s\n\nWhat it checks\n  %s\n\nWhy it matters\n  %s\n\nHow to fix it\n  %s\n",
		c.ID, c.Title, c.Severity, strings.Join(c.Tags, ", "), c.Doc, c.Why, c.Fix)
	for _, e := range c.Examples {
		verdict := "passes"
		if e.Fails {
			verdict = "fails"
		}
		fmt.Fprintf(stdout, "\nExample (%s): %s\n", verdict, e.Title)
		for _, ch := range e.Changes() {
			fmt.Fprintf(stdout, "  - %s\n", ch)
		}
	}
	return nil
}
