package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"time"

	"github.com/docsgen/docsgen/internal/build"
	"github.com/docsgen/docsgen/internal/config"
	"github.com/docsgen/docsgen/internal/linkcheck"
	"github.com/docsgen/docsgen/internal/markdown"
	"github.com/docsgen/docsgen/internal/report"
	"github.com/spf13/cobra"
)

type linkcheckOptions struct {
	source, out, config, format string
	failLevel                   failLevel
	external, noCache           bool
	cpuProfile                  string
}

func newLinkcheckCmd(g *globals, stdout, stderr io.Writer) *cobra.Command {
	o := linkcheckOptions{failLevel: failLevel{aliases: []string{"fail-on"}}}
	cmd := &cobra.Command{
		Use:   "linkcheck",
		Short: "Check every link, anchor, role, include and image at its source line",
		Long: `Check the site's references where they are written: links and images,
#fragments on the same and other pages, {doc}/{ref}/{term}/{download} targets,
include and literalinclude paths, toctree entries, raw HTML href/src, and pages
in no toctree. With --external, also fetch every http(s) URL once, politely
(per-host limits, Retry-After, backoff inside a time budget), caching good
results in .docsgen/linkcache.json.

Exit status: 0 clean, 1 broken links (or warnings with --fail-level warning),
2 usage or configuration error.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runLinkcheck(cmd, g, stdout, stderr, o)
		},
	}
	f := cmd.Flags()
	addProjectFlags(cmd, &o.source, &o.config)
	f.StringVar(&o.format, "format", "", "text, json, github, sarif or junit (default github under GitHub Actions, else text)")
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions(report.Formats, cobra.ShellCompDirectiveNoFileComp))
	f.BoolVar(&o.external, "external", false, "also check external links (network)")
	o.failLevel.add(cmd)
	f.BoolVar(&o.noCache, "no-cache", false, "neither read nor write the caches of external links and of parsed pages")
	f.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile (for go tool pprof)")
	_ = f.MarkHidden("cpuprofile")
	return cmd
}

func runLinkcheck(cmd *cobra.Command, g *globals, stdout, stderr io.Writer, o linkcheckOptions) error {
	fmtName, err := format(stderr, o.format, report.Formats)
	if err != nil {
		return err
	}
	level, err := o.failLevel.level(cmd, stderr)
	if err != nil {
		return err
	}
	cfg, err := loadConfig(g, stderr, o.config, o.source, o.out, cmd)
	if err != nil {
		return reportSetup(stderr, err)
	}
	tuned, err := tuneLinkcheck(o.cpuProfile)
	if err != nil {
		return reportSetup(stderr, err)
	}
	defer tuned.stop()
	a, err := build.Build(cmd.Context(), build.Options{Config: cfg, Mode: build.Check, NoCache: o.noCache, Sized: tuned.sizeLinkcheck})
	if err != nil && !errors.Is(err, build.ErrFailed) {
		return reportSetup(stderr, err)
	}
	findings, internal := linkcheck.Internal(a.Site.Pages, a.Diags)
	var stats *linkcheck.ExternalStats
	if o.external {
		opts, cache, err := externalOptions(cfg.Linkcheck, cfg.File, filepath.Join(cfg.Dir, ".docsgen", "linkcache.json"), o.noCache)
		if err != nil {
			return usageError(stderr, err.Error())
		}
		if isTerminal(stderr) && !g.quiet {
			opts.Progress = func(done, total int) {
				fmt.Fprintf(stderr, "\rchecking external links: %d/%d", done, total)
				if done == total {
					fmt.Fprintln(stderr)
				}
			}
		}
		var refs []markdown.Ref
		for _, p := range a.Site.Pages {
			for _, r := range p.Refs {
				if markdown.IsExternal(r.Target) {
					refs = append(refs, r)
				}
			}
		}
		var ext []linkcheck.Finding
		ext, stats = linkcheck.CheckExternal(cmd.Context(), refs, opts)
		if cmd.Context().Err() != nil {
			// What was left unchecked is not a verdict: no report.
			return interrupted(stderr)
		}
		findings = append(findings, ext...)
		if cache != nil {
			if err := cache.Save(); err != nil {
				fmt.Fprintf(stderr, "docsgen: %v\n", err)
			}
		}
	}
	r := linkcheck.NewReport(findings, internal, stats)
	return writeReport(stdout, fmtName, r.Output(), r.Failed(level), g.reportOptions(stdout))
}

// checkGCPercent is a link check's GOGC. A check keeps little of a page
// once parsed (its references, anchors and labels, never its tree): live
// data stays small, most of what it allocates dies with the page's tree,
// and collecting it cost 15-20 % of a cold check's CPU. At 10,000 pages
// (CPU user + sys, peak RSS; three runs at load 3-4): GOGC 200 1.7-1.9 s,
// 147-154 MB; 400 1.5-1.6 s, 179-226 MB; 600 1.4-1.8 s, 244-266 MB.
// The run that fills the page cache peaks higher (300-307 MB at 400,
// 243-246 MB at 200): the batch memory limit bounds both.
const checkGCPercent = 400

// checkMemoryBase and checkMemoryPerPage size a link check's soft memory
// limit by its site: a check keeps ~3.5 KB of a page (its references,
// anchors and labels), and at GOGC 400 the heap grew to five times that
// by the end: memory touched for the first time, whose page faults were a
// fifth of a cold check's CPU. A limit near twice the live data keeps the
// heap to memory already touched, at a few more collections. At 10,000
// pages (3 alternated runs): limit 340 MiB 0.81-0.89 s, 168-175 MB;
// 110 MiB 0.76 s, 120 MB; 80 MiB 0.78-0.80 s, 95 MB.
const (
	checkMemoryBase    = 48 << 20
	checkMemoryPerPage = 6 << 10
)

// sizeLinkcheck lowers the memory limit's floor to what a site of pages
// needs, unless GOMEMLIMIT is set. A site whose pages keep more than
// assumed (many links a page) raises the limit above it as its live heap
// grows (see liveLimit).
func (t *tuning) sizeLinkcheck(pages int) {
	if t.limit != nil {
		t.limit.setFloor(min(batchMemoryLimit, checkMemoryBase+int64(pages)*checkMemoryPerPage))
	}
}

// tuneLinkcheck is tuneRun with a link check's GOGC, unless GOGC is set.
func tuneLinkcheck(cpuProfile string) (*tuning, error) {
	t, err := tuneRun(cpuProfile)
	if err == nil && os.Getenv("GOGC") == "" {
		debug.SetGCPercent(checkGCPercent)
	}
	return t, err
}

func externalOptions(c config.Linkcheck, cfgFile, cachePath string, noCache bool) (linkcheck.ExternalOptions, *linkcheck.Cache, error) {
	opts := linkcheck.ExternalOptions{PerHost: c.PerHost, Concurrency: c.Concurrency, Timeout: c.Timeout, Budget: c.Budget}
	if c.Retries != nil {
		opts.Retries = *c.Retries
		if opts.Retries == 0 {
			opts.Retries = -1
		}
	}
	for _, pat := range c.Ignore {
		re, err := regexp.Compile(pat)
		if err != nil {
			return opts, nil, fmt.Errorf("%s: linkcheck.ignore pattern %q: %w", cfgFile, pat, err)
		}
		opts.Ignore = append(opts.Ignore, re)
	}
	if noCache {
		return opts, nil, nil
	}
	ttl := c.CacheTTL
	if ttl <= 0 {
		ttl = 7 * 24 * time.Hour
	}
	cache, err := linkcheck.LoadCache(cachePath, ttl, time.Now, nil)
	if err != nil {
		return opts, nil, err
	}
	opts.Cache = cache
	return opts, cache, nil
}

// isTerminal reports whether w is a character device, as a terminal is;
// /dev/null is one too, where colour does no harm. It needs no terminal
// library: Stat's mode is enough to tell a terminal from a file or pipe.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
