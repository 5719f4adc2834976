package cli

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/docsgen/docsgen/internal/report"
	"github.com/docsgen/docsgen/internal/scaffold"
	"github.com/spf13/cobra"
)

type initOptions struct {
	fromSphinx string
	title      string
}

func newInitCmd(g *globals, stdout, stderr io.Writer) *cobra.Command {
	var o initOptions
	cmd := &cobra.Command{
		Use:   "init [DIR]",
		Short: "Start a project: a docsgen.yaml and a starter site, or a docsgen.yaml from a Sphinx conf.py",
		Long: `Start a docsgen project in DIR (default: the working folder): docsgen.yaml,
content/index.md with a toctree, one more page, and a .gitignore for public/.

With --from-sphinx path/to/conf.py, write the docsgen.yaml equivalent to a
Sphinx configuration instead, its content folder being conf.py's folder.
conf.py is read, never run: its literal assignments (strings, numbers,
booleans, lists, tuples and dicts of them) are mapped to docsgen's keys,
and every setting that could not be mapped is listed.

Nothing is ever overwritten: if a file to write exists, nothing is written
and the exit status is 2.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := "."
			if len(args) == 1 {
				dir = args[0]
			}
			if o.fromSphinx != "" {
				return initFromSphinx(g, stdout, stderr, dir, o.fromSphinx)
			}
			title := o.title
			if title == "" {
				title = "Documentation"
			}
			// A project's own .gitignore is kept, not a reason to refuse.
			written, err := scaffold.Write(dir, scaffold.Starter(title), ".gitignore")
			if err != nil {
				return initError(stderr, err)
			}
			if !g.quiet {
				for _, p := range written {
					fmt.Fprintf(stdout, "wrote %s\n", filepath.ToSlash(p))
				}
				gitignoreHint(stdout, dir, written)
				fmt.Fprintf(stdout, "next: %sdocsgen serve (preview) or docsgen build\n", cdHint(dir))
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.fromSphinx, "from-sphinx", "", "write docsgen.yaml from this Sphinx conf.py (read, never run)")
	f.StringVar(&o.title, "title", "", `the site's title (default "Documentation")`)
	_ = cmd.MarkFlagFilename("from-sphinx", "py")
	cmd.MarkFlagsMutuallyExclusive("from-sphinx", "title")
	return cmd
}

func initFromSphinx(g *globals, stdout, stderr io.Writer, dir, conf string) error {
	m, err := scaffold.FromSphinx(conf, dir)
	if err != nil {
		return usageError(stderr, err.Error())
	}
	written, err := scaffold.Write(dir, []scaffold.File{{Path: "docsgen.yaml", Data: m.YAML}, {Path: ".gitignore", Data: []byte(scaffold.GitIgnore)}}, ".gitignore")
	if err != nil {
		return initError(stderr, err)
	}
	conf = filepath.ToSlash(conf)
	for _, p := range written {
		fmt.Fprintf(stdout, "wrote %s from %s\n", filepath.ToSlash(p), conf)
	}
	if !g.quiet {
		gitignoreHint(stdout, dir, written)
	}
	if !g.quiet {
		if len(m.Mapped) > 0 {
			fmt.Fprintln(stdout, "\nmapped:")
			for _, s := range m.Mapped {
				fmt.Fprintf(stdout, "  %-40s → %s\n", s.Name, s.Detail)
			}
		}
		if len(m.Builtin) > 0 {
			fmt.Fprintln(stdout, "\nnothing to set (docsgen does it):")
			for _, s := range m.Builtin {
				fmt.Fprintf(stdout, "  %-40s %s\n", s.Name, s.Detail)
			}
		}
	}
	// What was not mapped is always said, -q or not: it is work left.
	if len(m.Unmapped) > 0 {
		fmt.Fprintf(stdout, "\ncould not map (%d):\n", len(m.Unmapped))
		for _, s := range m.Unmapped {
			fmt.Fprintf(stdout, "  %s:%d: %s: %s\n", conf, s.Line, s.Name, s.Detail)
		}
	}
	if n := len(m.RST); n > 0 {
		fmt.Fprintf(stdout, "\n%s in reStructuredText, which docsgen does not read (it reads MyST Markdown, .md): convert %s, for example with rst-to-myst:\n",
			report.Count(n, "page"), map[bool]string{true: "it", false: "them"}[n == 1])
		for _, p := range m.RST {
			fmt.Fprintf(stdout, "  %s\n", p)
		}
	}
	if !g.quiet {
		fmt.Fprintf(stdout, "\nnext: %sdocsgen build\n", cdHint(dir))
	}
	return nil
}

// gitignoreHint says to ignore the output when the project's own
// .gitignore was kept.
func gitignoreHint(stdout io.Writer, dir string, written []string) {
	p := filepath.Join(dir, ".gitignore")
	if slices.Contains(written, p) {
		return
	}
	fmt.Fprintf(stdout, "kept the existing %s: add /public/ and /.docsgen/ to it if they are not there\n", filepath.ToSlash(p))
}

func cdHint(dir string) string {
	if dir == "." || dir == "" {
		return ""
	}
	if strings.ContainsAny(dir, " '\"$") {
		dir = "'" + strings.ReplaceAll(dir, "'", `'\''`) + "'"
	}
	return "cd " + dir + " && "
}

func initError(stderr io.Writer, err error) error {
	if errors.Is(err, scaffold.ErrExists) {
		fmt.Fprintf(stderr, "docsgen: %v; nothing was written\n", err)
		return exitError{ExitCantRun}
	}
	return reportSetup(stderr, err)
}
