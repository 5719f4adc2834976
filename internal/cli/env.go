package cli

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/docsgen/docsgen/internal/deployenv"
	"github.com/spf13/cobra"
)

type envOptions struct {
	dir, service, format string
	showSecrets          bool
	noSystemEnv          bool
}

func newEnvCmd(stdout, stderr io.Writer) *cobra.Command {
	var o envOptions
	cmd := &cobra.Command{
		Use:   "env",
		Short: "Show a service's effective environment and where each value comes from",
		Long: `Show what a service's container will really see in its environment, resolved
from production.yml, stack.env, deploy/config/*.env and the system environment
with Docker Compose's rules, with the file and line that set each variable.

Secret values are masked unless --show-secrets is given.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if o.format != "text" && o.format != "json" {
				return usageError(stderr, "--format must be text or json")
			}
			d, err := deployenv.Load(cmd.Context(), deployenv.Options{Dir: o.dir, Service: o.service, Environ: environ(o.noSystemEnv)})
			if err != nil {
				return loadError(stderr, err)
			}
			return printEnv(stdout, d, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.dir, "dir", ".", "the deployment folder, holding production.yml")
	f.StringVar(&o.service, "service", "", "the service (default: django, or the one the workers merge from)")
	f.StringVar(&o.format, "format", "text", "output format: text or json")
	f.BoolVar(&o.showSecrets, "show-secrets", false, "print secret values instead of masking them")
	f.BoolVar(&o.noSystemEnv, "no-system-env", false, "leave the system environment out of ${VAR} substitution")
	return cmd
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
	masker := deployenv.NewMasker(s)
	show := func(name, value string) string {
		if o.showSecrets {
			return value
		}
		return masker.Mask(name, value)
	}
	if o.format == "json" {
		vars := []envVarJSON{}
		for _, n := range s.Names() {
			v := s.Vars[n]
			vars = append(vars, envVarJSON{Name: n, Value: show(n, v.Value), Secret: deployenv.IsSecret(n),
				Origin: v.Origin, Overrode: append([]deployenv.Origin{}, v.Overrode...)})
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(map[string]any{"service": s.Name, "dir": d.Dir, "variables": vars,
			"unset": append([]string{}, s.Unset...), "notes": append([]string{}, d.Notes...)})
	}
	fmt.Fprintf(w, "# effective environment of %s in %s (highest layer first: production.yml, stack.env, deploy/config/*.env, system)\n", s.Name, d.Dir)
	for _, n := range s.Names() {
		v := s.Vars[n]
		fmt.Fprintf(w, "%s=%s\n\t← %s\n", n, show(n, v.Value), v.Origin)
		for _, ov := range v.Overrode {
			fmt.Fprintf(w, "\t  overrides %s\n", ov)
		}
	}
	for _, n := range s.Unset {
		fmt.Fprintf(w, "%s is declared without a value and nothing sets it: it is not set in the container\n", n)
	}
	if len(d.Notes) > 0 {
		fmt.Fprintln(w, "\n# where this deployment differs from the guide's simple list")
		for _, n := range d.Notes {
			fmt.Fprintf(w, "- %s\n", n)
		}
	}
	return nil
}
