package build

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/docsgen/docsgen/internal/config"
	"github.com/docsgen/docsgen/internal/linkcheck"
	"github.com/docsgen/docsgen/internal/markdown"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// dryRun is a DryRun build of the project in the working directory with
// the page cache (as binary version "test"), unless noCache.
func dryRun(t *testing.T, noCache bool) *Result {
	t.Helper()
	cfg, err := config.Load("")
	if err != nil {
		t.Fatal(err)
	}
	res, err := Build(context.Background(), Options{Config: cfg, Mode: DryRun, NoCache: noCache, binaryVersion: "test"})
	if err != nil && !errors.Is(err, ErrFailed) {
		t.Fatal(err)
	}
	return res
}

// TestPageCacheBuildUnchanged builds sites whose pages use every kind of
// data other pages read (titles, anchors, labels, terms, toctrees,
// includes, broken references) without the page cache, filling it, and
// from it: the outputs and diagnostics must be the same, byte for byte.
func TestPageCacheBuildUnchanged(t *testing.T) {
	sites := map[string]func(t *testing.T) string{"corpus": func(t *testing.T) string { return brokenCorpus(t, 40) }}
	for _, name := range []string{"toctree", "references", "include", "anchors-names", "figure-refs", "contents",
		"substitutions", "design-grid-cards", "math-directive", "../../linkcheck/testdata/broken"} {
		abs, _ := filepath.Abs(filepath.Join("testdata", name+".txtar"))
		sites[filepath.Base(name)] = func(t *testing.T) string { return unpackSite(t, abs) }
	}
	for name, site := range sites {
		t.Run(name, func(t *testing.T) {
			t.Chdir(site(t))
			parsed, filled, warm := dryRun(t, true), dryRun(t, false), dryRun(t, false)
			if name == "corpus" && warm.Cached != len(warm.Site.Pages) {
				t.Errorf("the second build took %d of %d pages from the cache", warm.Cached, len(warm.Site.Pages))
			}
			for _, r := range []*Result{filled, warm} {
				if diff := cmp.Diff(parsed.Diags, r.Diags); diff != "" {
					t.Errorf("diagnostics differ (-parsed +cache):\n%s", diff)
				}
				if len(parsed.Files) != len(r.Files) {
					t.Errorf("%d outputs, want %d", len(r.Files), len(parsed.Files))
				}
				for name, want := range parsed.Files {
					if got := r.Files[name]; string(got) != string(want) {
						t.Errorf("%s differs:\n%s", name, cmp.Diff(string(want), string(got)))
					}
				}
			}
		})
	}
}

// checkRun is a Check build of the project in the working directory with
// the page cache (as binary version "test"), unless noCache.
func checkRun(t *testing.T, noCache bool) *Result {
	t.Helper()
	cfg, err := config.Load("")
	if err != nil {
		t.Fatal(err)
	}
	res, err := Build(context.Background(), Options{Config: cfg, Mode: Check, NoCache: noCache, binaryVersion: "test"})
	if err != nil && !errors.Is(err, ErrFailed) {
		t.Fatal(err)
	}
	return res
}

// checkView is what a link check reports and what each page holds after
// it: everything a page taken from the cache must have as a parse gives it.
type checkView struct {
	Findings []linkcheck.Finding
	Diags    []string
	Pages    map[string]pageView
}

type pageView struct {
	Title, DocTitle string
	Headings        []markdown.Heading
	Anchors         []string
	Labels, Terms   []markdown.Label
	Toctrees        []markdown.TocSummary
	Assets, Deps    []string
	Refs            []markdown.Ref
	Uses            []string
	Unresolved      bool
	PageAssets      []string
	InNav           bool
}

func viewOf(res *Result) checkView {
	findings, _ := linkcheck.Internal(res.Site.Pages, res.Diags)
	v := checkView{Findings: linkcheck.NewReport(findings, 0, nil).Findings, Pages: map[string]pageView{}}
	for _, d := range res.Diags {
		v.Diags = append(v.Diags, d.String())
	}
	for _, p := range res.Site.Pages {
		pv := pageView{Title: p.Title, DocTitle: p.Doc.Title, Headings: p.Doc.Headings, Labels: p.Doc.Labels, Terms: p.Doc.Terms,
			Assets: p.Doc.Assets, Deps: p.Doc.Deps, Refs: p.Refs, Unresolved: p.Unresolved, PageAssets: p.Assets, InNav: p.InNav}
		for a := range p.Doc.Anchors {
			pv.Anchors = append(pv.Anchors, a)
		}
		slices.Sort(pv.Anchors)
		for u := range p.Uses {
			pv.Uses = append(pv.Uses, u)
		}
		slices.Sort(pv.Uses)
		s, _ := markdown.Summarize(&markdown.Doc{Toctrees: p.Doc.Toctrees}, nil)
		pv.Toctrees = s.Toctrees
		v.Pages[p.Name] = pv
	}
	return v
}

// TestPageCacheEqualsParse checks every golden site, the broken site and a
// generated site with broken references three times: without the cache,
// filling it, and from it; all three must report and hold the same.
func TestPageCacheEqualsParse(t *testing.T) {
	sites := map[string]func(t *testing.T) string{}
	for _, file := range checkSites() {
		abs, _ := filepath.Abs(file)
		sites[strings.TrimSuffix(filepath.Base(file), ".txtar")] = func(t *testing.T) string { return unpackSite(t, abs) }
	}
	sites["corpus"] = func(t *testing.T) string { return brokenCorpus(t, 120) }
	cached, pages := 0, 0
	t.Cleanup(func() {
		// Pages with parse diagnostics are parsed every time; most have none.
		t.Logf("%d of %d pages came from the cache", cached, pages)
		if !t.Failed() && cached < pages/2 {
			t.Errorf("only %d of %d pages came from the cache", cached, pages)
		}
	})
	for name, site := range sites {
		t.Run(name, func(t *testing.T) {
			t.Chdir(site(t))
			parsed := checkRun(t, true)
			filled := checkRun(t, false)
			warm := checkRun(t, false)
			if filled.Cached != 0 {
				t.Errorf("the first run took %d pages from an empty cache", filled.Cached)
			}
			cached += warm.Cached
			pages += len(warm.Site.Pages)
			if name == "corpus" && warm.Cached != len(warm.Site.Pages) {
				t.Errorf("the second run took %d of %d pages from the cache", warm.Cached, len(warm.Site.Pages))
			}
			opts := cmpopts.EquateEmpty()
			if diff := cmp.Diff(viewOf(parsed), viewOf(filled), opts); diff != "" {
				t.Errorf("filling the cache changed the check (-parsed +filled):\n%s", diff)
			}
			if diff := cmp.Diff(viewOf(parsed), viewOf(warm), opts); diff != "" {
				t.Errorf("the cached check differs (-parsed +cached):\n%s", diff)
			}
		})
	}
}

// TestPageCacheSeesChanges edits what a cached page depends on: its text,
// a file it includes, a page it links to, the settings; each run must
// report what a parse would.
func TestPageCacheSeesChanges(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		t.Helper()
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("docsgen.yaml", "title: T\n")
	write("content/index.md", "# Home\n\n```{toctree}\npart\n```\n\n```{include} ../shared/note.md\n```\n\nSee [setup](part.md#setup).\n")
	write("content/part.md", "# Part\n\n## Setup\n")
	write("shared/note.md", "A note.\n")
	t.Chdir(dir)

	run := func(wantCached int, wantTargets ...string) {
		t.Helper()
		res := checkRun(t, false)
		if diff := cmp.Diff(viewOf(checkRun(t, true)), viewOf(res), cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("cached check differs from a parse (-parsed +cached):\n%s", diff)
		}
		if res.Cached != wantCached {
			t.Errorf("%d pages from the cache, want %d", res.Cached, wantCached)
		}
		var targets []string
		for _, f := range viewOf(res).Findings {
			targets = append(targets, f.Target)
		}
		if diff := cmp.Diff(wantTargets, targets, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("broken targets (-want +got):\n%s", diff)
		}
	}
	run(0)
	run(2)
	write("shared/note.md", "A note with [a link](gone.md).\n")
	run(1, "gone.md")
	run(2, "gone.md")
	write("content/part.md", "# Part\n\n## Set up\n")
	run(1, "part.md#setup", "gone.md")
	write("docsgen.yaml", "title: T\nsubstitutions:\n  x: y\n")
	run(0, "part.md#setup", "gone.md")
	run(2, "part.md#setup", "gone.md")
}

// TestPageCacheConcurrentRuns runs link checks of one project at the same
// time, twice (filling the cache; then, after an edit, reading it while
// others rewrite it): each must report what a parse does.
func TestPageCacheConcurrentRuns(t *testing.T) {
	t.Chdir(brokenCorpus(t, 120))
	want := viewOf(checkRun(t, true))
	cfg, err := config.Load("")
	if err != nil {
		t.Fatal(err)
	}
	for round := range 2 {
		if round == 1 {
			// Every run of this round rewrites the cache as the others read it.
			if err := os.WriteFile(filepath.Join("content", "index.md"), []byte("# Home\n\nSee [nothing](nothing.md).\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			want = viewOf(checkRun(t, true))
		}
		results := make([]*Result, 4)
		errs := make([]error, 4)
		var wg sync.WaitGroup
		for i := range results {
			wg.Go(func() {
				results[i], errs[i] = Build(context.Background(), Options{Config: cfg, Mode: Check, binaryVersion: "test"})
			})
		}
		wg.Wait()
		for i, res := range results {
			if errs[i] != nil && !errors.Is(errs[i], ErrFailed) {
				t.Fatal(errs[i])
			}
			if diff := cmp.Diff(want, viewOf(res), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("concurrent check %d differs (-parsed +cached):\n%s", i, diff)
			}
		}
	}
	if res := checkRun(t, false); res.Cached != len(res.Site.Pages) {
		t.Errorf("after concurrent runs, %d of %d pages came from the cache", res.Cached, len(res.Site.Pages))
	}
}

// TestPageCacheSessionUnchanged: a live session's first build indexes the
// pages from the page cache (as binary version "test") when it parses many
// (here all: no trees kept), fills it for the next, and serves the same
// bytes and diagnostics as a session that parsed every page; a build and a
// session share the cache.
func TestPageCacheSessionUnchanged(t *testing.T) {
	sites := map[string]func(t *testing.T) string{"corpus": func(t *testing.T) string { return brokenCorpus(t, 40) }}
	for _, name := range []string{"toctree", "references", "include", "anchors-names", "contents", "substitutions"} {
		abs, _ := filepath.Abs(filepath.Join("testdata", name+".txtar"))
		sites[name] = func(t *testing.T) string { return unpackSite(t, abs) }
	}
	for name, site := range sites {
		t.Run(name, func(t *testing.T) {
			t.Chdir(site(t))
			cfg, err := config.Load("")
			if err != nil {
				t.Fatal(err)
			}
			session := func(noCache bool) (*Session, *Update) {
				t.Helper()
				s, u, err := newSession(context.Background(), cfg, 0, SessionOptions{NoCache: noCache, binaryVersion: "test"})
				if err != nil {
					t.Fatal(err)
				}
				s.Close()
				return s, u
			}
			parsed, pu := session(true)
			if _, err := os.Stat(".docsgen"); !errors.Is(err, os.ErrNotExist) {
				t.Fatalf("a session without the caches made .docsgen: %v", err)
			}
			filled, _ := session(false)
			warm, wu := session(false)
			if os.RemoveAll(".docsgen") != nil {
				t.Fatal("cannot remove the cache")
			}
			dryRun(t, false) // a build fills the cache for the session
			afterBuild, bu := session(false)
			if name == "corpus" {
				pages := len(warm.site.Pages)
				if wu.Cached != pages || bu.Cached != pages {
					t.Errorf("the sessions took %d and %d of %d pages from the cache", wu.Cached, bu.Cached, pages)
				}
			}
			if diff := cmp.Diff(pu.Diags, parsed.Diagnostics()); diff != "" {
				t.Errorf("the first build's diagnostics are not the session's (-update +session):\n%s", diff)
			}
			for what, s := range map[string]*Session{"filling": filled, "warm": warm, "after a build": afterBuild} {
				sameServed(t, what, parsed, s)
			}
		})
	}
}
