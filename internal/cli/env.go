package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"path/filepath"

	"github.com/docsgen/docsgen/internal/deployenv"
	"github.com/spf13/cobra"
)

type envOptions struct {
	dir, service, format string
	showSecrets          bool
	noSystemEnv          bool
	allowOutside         []string
	maxFileSize          int64
}

func newEnvCmd(g *globals, stdout, stderr io.Writer) *cobra.Command {
	var o envOptions
	cmd := &cobra.Command{
		Use:   "env",
		Short: "Show a service's effective environment and where each value comes from",
		Long: `Show what a service's container will really see in its environment, resolved
from production.yml, stack.env, deploy/config/*.env and the system environment
with Docker Compose's rules, with the file and line that set each variable.

Secret values are masked unless --show-secrets is given: values of names with
SECRET, PASSWORD, TOKEN, KEY, DSN, CREDENTIAL or ending in PASS, PWD or
PRIVATE, and credentials inside values (URL passwords, password=… parameters,
user:pw@host). Error messages never show a value, even with --show-secrets.

Every file read must be a regular file that resolves, symlinks followed,
inside --dir; --allow-outside DIR also accepts files under DIR. Anything else
exits 2.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if o.format != "text" && o.format != "json" {
				return usageError(stderr, "--format must be text or json")
			}
			d, err := deployenv.Load(cmd.Context(), deployenv.Options{Dir: o.dir, Service: o.service, Environ: environ(o.noSystemEnv), AllowOutside: o.allowOutside, MaxFileSize: fileSizeLimit(o.maxFileSize)})
			if err != nil {
				return loadError(stderr, err)
			}
			return printEnv(stdout, d, o)
		},
	}
	f := cmd.Flags()
	addDirFlag(cmd, &o.dir)
	f.StringVar(&o.service, "service", "", "the service (default: django, the one the workers merge from, or the one whose command serves Django)")
	f.StringVar(&o.format, "format", "text", "output format: text or json")
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions([]string{"text", "json"}, cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.RegisterFlagCompletionFunc("service", completeServices)
	f.BoolVar(&o.showSecrets, "show-secrets", false, "print secret values instead of masking them")
	f.BoolVar(&o.noSystemEnv, "no-system-env", false, "leave the system environment out of ${VAR} substitution")
	addAllowOutside(cmd, &o.allowOutside)
	addMaxFileSize(cmd, &o.maxFileSize)
	return cmd
}

// addMaxFileSize adds the flag check and env share: the size limit, in
// MiB, of every file they read.
func addMaxFileSize(cmd *cobra.Command, mib *int64) {
	cmd.Flags().Int64Var(mib, "max-file-size", deployenv.DefaultMaxFileSize>>20, "refuse to read a deployment file larger than this many MiB")
}

// fileSizeLimit is --max-file-size in bytes; below 1 MiB it is negative,
// which deployenv.Load refuses.
func fileSizeLimit(mib int64) int64 {
	switch {
	case mib < 1:
		return -1
	case mib > math.MaxInt64>>20:
		return math.MaxInt64
	}
	return mib << 20
}

type envVarJSON struct {
	Name     string             `json:"name"`
	Value    string             `json:"value"`
	Secret   bool               `json:"secret"`
	Origin   deployenv.Origin   `json:"origin"`
	Overrode []deployenv.Origin `json:"overrode"`
}

func printEnv(w io.Writer, d *deployenv.Deployment, o envOptions) error {
	s := d.Services[d.Main]
	// The whole deployment's secrets, not only this service's: a worker may
	// hold django's password under a name that does not look secret.
	masker := d.Masker()
	show := func(name, value string) string {
		if o.showSecrets {
			return value
		}
		return masker.Mask(name, value)
	}
	// Provenance and notes are built from names; scrub them all the same.
	// Files are shown as check shows them: relative to the working folder.
	origin := func(or deployenv.Origin) deployenv.Origin {
		if !o.showSecrets {
			or.Via = masker.Scrub(or.Via)
		}
		if or.File != "" && !filepath.IsAbs(or.File) {
			or.File = filepath.ToSlash(filepath.Join(o.dir, or.File))
		}
		return or
	}
	notes := make([]string, len(d.Notes))
	for i, n := range d.Notes {
		notes[i] = n
		if !o.showSecrets {
			notes[i] = masker.Scrub(n)
		}
	}
	if o.format == "json" {
		vars := []envVarJSON{}
		for _, n := range s.Names() {
			v := s.Vars[n]
			overrode := []deployenv.Origin{}
			for _, ov := range v.Overrode {
				overrode = append(overrode, origin(ov))
			}
			vars = append(vars, envVarJSON{Name: n, Value: show(n, v.Value), Secret: deployenv.IsSecret(n),
				Origin: origin(v.Origin), Overrode: overrode})
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(map[string]any{"service": s.Name, "dir": d.Dir, "variables": vars,
			"unset": append([]string{}, s.Unset...), "notes": notes})
	}
	fmt.Fprintf(w, "# effective environment of %s in %s (highest layer first: production.yml, stack.env, deploy/config/*.env, system)\n", s.Name, d.Dir)
	for _, n := range s.Names() {
		v := s.Vars[n]
		fmt.Fprintf(w, "%s=%s\n\t← %s\n", n, show(n, v.Value), origin(v.Origin))
		for _, ov := range v.Overrode {
			fmt.Fprintf(w, "\t  overrides %s\n", origin(ov))
		}
	}
	for _, n := range s.Unset {
		fmt.Fprintf(w, "%s is declared without a value and nothing sets it: it is not set in the container\n", n)
	}
	if len(notes) > 0 {
		fmt.Fprintln(w, "\n# where this deployment differs from the guide's simple list")
		for _, n := range notes {
			fmt.Fprintf(w, "- %s\n", n)
		}
	}
	return nil
}
