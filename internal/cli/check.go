package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/docsgen/docsgen/internal/checkref"
	"github.com/docsgen/docsgen/internal/deployenv"
	"github.com/docsgen/docsgen/internal/diag"
	"github.com/docsgen/docsgen/internal/report"
	"github.com/spf13/cobra"
)

type checkOptions struct {
	deploy       bool
	dir          string
	service      string
	tags         []string
	format       string
	failLevel    failLevel
	silence      []string
	list         bool
	listTags     bool
	explain      string
	noSystemEnv  bool
	allowOutside []string
	maxFileSize  int64
}

func newCheckCmd(g *globals, stdout, stderr io.Writer) *cobra.Command {
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
			case o.listTags:
				return listTags(stdout)
			case o.list:
				return listChecks(stdout, stderr, o.format)
			case o.explain != "":
				return explainCheck(stdout, stderr, o.explain)
			}
			return runCheck(cmd, g, stdout, stderr, o)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&o.deploy, "deploy", false, "also run the deployment checks (all but the compose-file ones)")
	addDirFlag(cmd, &o.dir)
	f.StringVar(&o.service, "service", "", "the Django service (default: django, the one the workers merge from, or the one whose command serves Django)")
	f.StringSliceVarP(&o.tags, "tag", "t", nil, "run only checks with this tag (repeatable; see --list-tags)")
	f.StringVar(&o.format, "format", "", "output format: text, json, github, sarif or junit (default github under GitHub Actions, else text)")
	o.failLevel.add(cmd)
	f.StringSliceVar(&o.silence, "silence", nil, "leave out this check ID (repeatable; any case)")
	f.BoolVar(&o.list, "list", false, "list the checks instead of running them")
	f.BoolVar(&o.listTags, "list-tags", false, "list the tags --tag accepts")
	f.StringVar(&o.explain, "explain", "", "explain one check by ID")
	f.BoolVar(&o.noSystemEnv, "no-system-env", false, "leave the system environment out of ${VAR} substitution")
	addAllowOutside(cmd, &o.allowOutside)
	addMaxFileSize(cmd, &o.maxFileSize)
	noFiles := cobra.ShellCompDirectiveNoFileComp
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions(report.Formats, noFiles))
	_ = cmd.RegisterFlagCompletionFunc("tag", cobra.FixedCompletions(allTags(), noFiles))
	_ = cmd.RegisterFlagCompletionFunc("silence", completeCheckIDs)
	_ = cmd.RegisterFlagCompletionFunc("explain", completeCheckIDs)
	_ = cmd.RegisterFlagCompletionFunc("service", completeServices)
	return cmd
}

// addDirFlag adds --dir (-d), the deployment folder check and env read.
func addDirFlag(cmd *cobra.Command, dir *string) {
	cmd.Flags().StringVarP(dir, "dir", "d", ".", "the deployment folder, holding production.yml")
	_ = cmd.MarkFlagDirname("dir")
}

func completeCheckIDs(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
	var ids []cobra.Completion
	for _, c := range checkref.All() {
		ids = append(ids, cobra.CompletionWithDesc(c.ID, c.Title))
	}
	return ids, cobra.ShellCompDirectiveNoFileComp
}

// completeServices offers the services of the deployment in --dir, read
// without the system environment (completion must not depend on it).
func completeServices(cmd *cobra.Command, _ []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
	dir, _ := cmd.Flags().GetString("dir")
	d, err := deployenv.Load(cmd.Context(), deployenv.Options{Dir: dir})
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	names := make([]cobra.Completion, 0, len(d.Services))
	for name := range d.Services {
		names = append(names, name)
	}
	slices.Sort(names)
	return names, cobra.ShellCompDirectiveNoFileComp
}

// addAllowOutside adds the flag check and env share. An array, not a
// slice flag: a folder name may hold a comma.
func addAllowOutside(cmd *cobra.Command, dirs *[]string) {
	cmd.Flags().StringArrayVar(dirs, "allow-outside", nil, "also read files that resolve into this folder outside --dir (repeatable)")
}

func environ(noSystem bool) []string {
	if noSystem {
		return nil
	}
	return os.Environ()
}

func runCheck(cmd *cobra.Command, g *globals, stdout, stderr io.Writer, o checkOptions) error {
	level, err := o.failLevel.level(cmd, stderr)
	if err != nil {
		return err
	}
	fmtName, err := format(stderr, o.format, report.Formats)
	if err != nil {
		return err
	}
	// IDs match in any case, as Django's SILENCED_SYSTEM_CHECKS does not
	// but a command line should: each is replaced by the catalog's spelling.
	silence := make([]string, 0, len(o.silence))
	for _, id := range o.silence {
		c, ok := checkref.Lookup(id)
		if !ok {
			return usageError(stderr, fmt.Sprintf("--silence %s: no such check (see docsgen check --list)", id))
		}
		if !slices.Contains(silence, c.ID) {
			silence = append(silence, c.ID)
		}
	}
	tags, err := checkTags(o.tags)
	if err != nil {
		return usageError(stderr, err.Error())
	}
	d, err := deployenv.Load(cmd.Context(), deployenv.Options{Dir: o.dir, Service: o.service, Environ: environ(o.noSystemEnv), AllowOutside: o.allowOutside, MaxFileSize: fileSizeLimit(o.maxFileSize)})
	if err != nil {
		return loadError(stderr, err)
	}
	checks := checkref.Selected(checkref.Options{Deploy: o.deploy, Tags: tags, Silence: silence})
	if g.verbose {
		fmt.Fprintf(stderr, "docsgen: deployment %s, service %s, %s\n", o.dir, d.Main, report.Count(len(checks), "check"))
	}
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
	r := &checkref.Report{Findings: findings, Checks: len(checks), Silenced: silence, Service: d.Main, Dir: o.dir}
	return writeReport(stdout, fmtName, r.Output(level), r.Failed(level), g.reportOptions(stdout))
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

// checkTags validates --tag values against the catalog's tags, in any
// case, as Django refuses an unknown tag: a typo must not run no checks
// and pass.
func checkTags(requested []string) ([]string, error) {
	known := allTags()
	var out []string
	for _, t := range requested {
		i := slices.IndexFunc(known, func(k string) bool { return strings.EqualFold(k, t) })
		if i < 0 {
			return nil, fmt.Errorf("--tag %s: no such tag; the tags are %s (docsgen check --list-tags)", t, strings.Join(known, ", "))
		}
		out = append(out, known[i])
	}
	return out, nil
}

// allTags are the catalog's tags, sorted.
func allTags() []string {
	var tags []string
	for _, c := range checkref.All() {
		for _, t := range c.Tags {
			if !slices.Contains(tags, t) {
				tags = append(tags, t)
			}
		}
	}
	slices.Sort(tags)
	return tags
}

// listTags prints every tag and how many checks carry it.
func listTags(stdout io.Writer) error {
	for _, t := range allTags() {
		n := 0
		for _, c := range checkref.All() {
			if c.HasTag(t) {
				n++
			}
		}
		fmt.Fprintf(stdout, "%-20s %s\n", t, report.Count(n, "check"))
	}
	return nil
}

func listChecks(stdout, stderr io.Writer, requested string) error {
	fmtName, err := format(stderr, requested, []string{"text", "json", "github"})
	if err != nil {
		return err
	}
	all := checkref.All()
	if fmtName == "json" {
		type row struct {
			ID       string        `json:"id"`
			Title    string        `json:"title"`
			Severity diag.Severity `json:"severity"`
			Tags     []string      `json:"tags"`
		}
		rows := make([]row, len(all))
		for i, c := range all {
			rows[i] = row{c.ID, c.Title, c.Severity, c.Tags}
		}
		return report.WriteJSON(stdout, map[string]any{"checks": rows})
	}
	for _, c := range all {
		fmt.Fprintf(stdout, "%-14s %-8s %s  [%s]\n", c.ID, c.Severity, c.Title, strings.Join(c.Tags, ", "))
	}
	return nil
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
