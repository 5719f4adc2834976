package cli

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"runtime/pprof"
	"strings"

	"github.com/docsgen/docsgen/internal/build"
	"github.com/docsgen/docsgen/internal/config"
	"github.com/docsgen/docsgen/internal/diag"
	"github.com/docsgen/docsgen/internal/report"
	"github.com/spf13/cobra"
)

type buildOptions struct {
	source, out, config, format string
	strict, noCache             bool
	failLevel                   failLevel
	cpuProfile                  string
}

func newBuildCmd(g *globals, stdout, stderr io.Writer) *cobra.Command {
	var o buildOptions
	cmd := &cobra.Command{
		Use:   "build",
		Short: "Build the site from the source folder into the output folder",
		Long: `Build the site: content/ into public/ (or as docsgen.yaml says).

The project is the nearest folder holding docsgen.yaml, looking up from
--source (or from the working folder), as git finds its repository.
Paths given as flags are relative to the working folder; paths in
docsgen.yaml, and the defaults, to the project folder.

Diagnostics go to stderr as file:line:col: severity: message [code], or
as GitHub annotations with --format github.
Exit status: 0 built, 1 errors (or warnings with --strict, that is
--fail-level warning; the output folder is then left untouched), 2 could
not run.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			level, err := o.failLevel.level(cmd, stderr)
			if err != nil {
				return err
			}
			// Annotations only on request: a CI log keeps the lines it had.
			fmtName, err := format(stderr, cmp.Or(o.format, "text"), []string{"text", "github"})
			if err != nil {
				return err
			}
			if o.strict {
				level = diag.Warning
			}
			cfg, err := loadConfig(g, stderr, o.config, o.source, o.out, cmd)
			if err != nil {
				return reportSetup(stderr, err)
			}
			tuned, err := tuneRun(o.cpuProfile)
			if err != nil {
				return reportSetup(stderr, err)
			}
			defer tuned.stop()
			res, err := build.Build(cmd.Context(), build.Options{Config: cfg, FailLevel: level, NoCache: o.noCache})
			if res != nil {
				errs, warns := diag.Count(res.Diags)
				counts := report.Count(errs, "error") + ", " + report.Count(warns, "warning")
				pages := report.Count(res.Pages, "page")
				if res.Reused > 0 {
					pages += fmt.Sprintf(" (%d unchanged since the last build)", res.Reused)
				}
				summary := fmt.Sprintf("built %s into %s: %s in %s", pages, displayDir(cfg, cfg.OutDir()), counts, res.Duration.Round(1e6))
				if !res.Written {
					summary = fmt.Sprintf("build failed: %s in %s; nothing written (%s is unchanged)", counts, res.Duration.Round(1e6), displayDir(cfg, cfg.OutDir()))
				}
				if err := report.WriteWith(stderr, fmtName, &report.Report{Tool: "build", Findings: report.Diagnostics(res.Diags), Summary: summary}, g.reportOptions(stderr)); err != nil {
					return err
				}
			}
			switch {
			case errors.Is(err, build.ErrFailed):
				var errs int
				if res != nil {
					errs, _ = diag.Count(res.Diags)
				}
				switch {
				case errs > 0: // the errors say why
				case o.strict:
					fmt.Fprintln(stderr, "docsgen: --strict: warnings fail the build")
				case level == diag.Warning:
					fmt.Fprintln(stderr, "docsgen: --fail-level warning: warnings fail the build")
				}
				return exitError{ExitFailed}
			case err != nil:
				return reportSetup(stderr, err)
			}
			return nil
		},
	}
	f := cmd.Flags()
	addProjectFlags(cmd, &o.source, &o.config)
	f.StringVarP(&o.out, "out", "d", "", "output folder (default from docsgen.yaml, else public)")
	f.StringVar(&o.format, "format", "text", "diagnostics as text or github (workflow annotations)")
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions([]string{"text", "github"}, cobra.ShellCompDirectiveNoFileComp))
	f.BoolVar(&o.strict, "strict", false, "fail on any warning, like sphinx-build -W (--fail-level warning)")
	f.BoolVar(&o.noCache, "no-cache", false, "neither read nor write the caches of highlighted code and parsed pages (.docsgen/cache/)")
	o.failLevel.add(cmd)
	f.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile (for go tool pprof)")
	_ = f.MarkHidden("cpuprofile")
	return cmd
}

// addProjectFlags adds --source (-s) and --config, the flags that find
// the project.
func addProjectFlags(cmd *cobra.Command, source, config *string) {
	f := cmd.Flags()
	f.StringVarP(source, "source", "s", "", "content folder (default from docsgen.yaml, else content)")
	f.StringVar(config, "config", "", "config file (default: the nearest docsgen.yaml up from --source or the working folder)")
	_ = cmd.MarkFlagDirname("source")
	_ = cmd.MarkFlagFilename("config", "yaml", "yml")
}

// loadConfig finds and reads the project's config and applies flag
// overrides. Without --config, the config is the nearest docsgen.yaml up
// from --source, else up from the working folder. Flag paths are
// relative to the working folder; the config's own paths to its folder.
// Without any config, the project folder is the one holding the source.
func loadConfig(g *globals, stderr io.Writer, path, source, out string, cmd *cobra.Command) (*config.Config, error) {
	sourceSet := cmd.Flags().Changed("source")
	if path == "" {
		start := "."
		if sourceSet {
			start = source
		}
		found, err := config.Find(start)
		if err != nil {
			return nil, err
		}
		path = found
	}
	cfg, err := config.Load(path)
	if err != nil {
		return nil, err
	}
	var ov config.Overrides
	if sourceSet {
		if ov.Source, err = filepath.Abs(source); err != nil {
			return nil, err
		}
		ov.Dir = filepath.Dir(ov.Source) // used only without a config file
	}
	if cmd.Flags().Changed("out") {
		if ov.Out, err = filepath.Abs(out); err != nil {
			return nil, err
		}
	}
	cfg.Apply(ov)
	if g.verbose {
		file := "none (defaults)"
		if cfg.File != "" {
			file = cfg.Display(cfg.File)
		}
		fmt.Fprintf(stderr, "docsgen: config %s, project %s, source %s", file, displayDir(cfg, cfg.Dir), displayDir(cfg, cfg.SourceDir()))
		if cmd.Flags().Lookup("out") != nil {
			fmt.Fprintf(stderr, ", output %s", displayDir(cfg, cfg.OutDir()))
		}
		fmt.Fprintln(stderr)
	}
	return cfg, nil
}

func reportSetup(stderr io.Writer, err error) error {
	if errors.Is(err, context.Canceled) {
		return interrupted(stderr)
	}
	fmt.Fprintf(stderr, "docsgen: %v\n", err)
	return exitError{ExitCantRun}
}

// interrupted reports a run stopped by Ctrl-C (or SIGTERM), with the
// shell's exit status for it.
func interrupted(stderr io.Writer) error {
	fmt.Fprintln(stderr, "docsgen: interrupted; nothing was written")
	return exitError{ExitInterrupted}
}

// displayDir shows a folder as diagnostics show paths, with a slash; the
// working folder itself is "./".
func displayDir(cfg *config.Config, p string) string {
	d := cfg.Display(p)
	if d == "" || d == "." {
		return "./"
	}
	return strings.TrimSuffix(d, "/") + "/"
}

// tuneRun prepares a batch run (build, linkcheck). Neither keeps pages'
// trees alive, so collecting garbage less often buys 10-20% of the time.
// But a high GOGC lets the heap grow to several times what is live, and a
// large site's live data grows as it renders (the search index): at GOGC
// 200, 10,000 pages peaked at 680 MB. A soft memory limit makes the
// collector run more often only once the heap nears it. At 10,000 pages on
// a quiet machine (cold build CPU, peak RSS): no limit 19.5 s, 630 MB; 300
// MiB 22.6 s, 323 MB; 340 MiB 21.3 s, 364 MB (the runtime caps its GC work
// if live data ever approaches the limit, so a larger site slows down,
// never fails). The limit follows the live heap above it (see liveLimit).
// GOGC and GOMEMLIMIT, if set, win. With a path it also writes a CPU
// profile, until stop.
func tuneRun(cpuProfile string) (*tuning, error) {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(buildGCPercent)
	}
	t := &tuning{stopProfile: func() {}}
	if cpuProfile != "" {
		stop, err := startCPUProfile(cpuProfile)
		if err != nil {
			return nil, err
		}
		t.stopProfile = stop
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		t.limit = followLive(batchMemoryLimit)
	}
	return t, nil
}

// tuning is a batch run's runtime settings while it runs.
type tuning struct {
	limit       *liveLimit // nil when GOMEMLIMIT is set
	stopProfile func()
}

// stop ends the CPU profile and the limit's following of the live heap.
func (t *tuning) stop() {
	if t.limit != nil {
		t.limit.stop()
	}
	t.stopProfile()
}

// buildGCPercent is a build's GOGC. Its live data is small until the render
// pass (the site model; the bodies wait in a file), so at 200 the index
// pass collected every few tens of megabytes. At 10,000 pages, cold (wall,
// CPU user + sys; 4 alternated pairs): 200 6.11 s, 11.46 s; 500 5.76 s,
// 10.74 s; 1000 and off no better (the memory limit then decides), peak
// RSS 364 MB each. At 1,000 pages, and warm at 10,000, no faster, and the
// peak 30-40 % higher (115 MB at 1,000 pages, 81 at 200).
const buildGCPercent = 500

// batchMemoryLimit is the soft limit of a build's or link check's memory
// (the Go runtime's, not counting the program text): issue 17's budget is
// 400 MB at 10,000 pages.
const batchMemoryLimit = 340 << 20

func startCPUProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}
