package build

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/docsgen/docsgen/bench/corpus"
	"github.com/docsgen/docsgen/internal/config"
	"github.com/docsgen/docsgen/internal/diag"
	"github.com/google/go-cmp/cmp"
)

// cachedBuild is a Write build of cfg with the caches (docsgen's version
// "test").
func cachedBuild(t *testing.T, cfg *config.Config) *Result {
	t.Helper()
	res, err := Build(context.Background(), Options{Config: cfg, binaryVersion: "test", chromaVersion: "test"})
	if err != nil && !errors.Is(err, ErrFailed) {
		t.Fatal(err)
	}
	return res
}

// sameAsFreshBuild builds cfg's site from scratch, without any cache, into
// a folder of its own, and requires the output folder and the diagnostics
// to be the same as res and cfg's output folder, byte for byte.
func sameAsFreshBuild(t *testing.T, cfg *config.Config, res *Result, what string) {
	t.Helper()
	fresh := *cfg
	fresh.Out = filepath.Join(t.TempDir(), "fresh")
	want, err := Build(context.Background(), Options{Config: &fresh, NoCache: true})
	if err != nil && !errors.Is(err, ErrFailed) {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want.Diags, res.Diags); diff != "" {
		t.Fatalf("%s: diagnostics differ from a fresh build (-fresh +cached):\n%s", what, diff)
	}
	got, wantFiles := readTree(t, cfg.OutDir()), readTree(t, fresh.Out)
	for name, data := range wantFiles {
		if g, ok := got[name]; !ok {
			t.Fatalf("%s: %s is missing", what, name)
		} else if string(g) != string(data) {
			t.Fatalf("%s: %s differs from a fresh build: %s", what, name, firstDifference(g, data))
		}
	}
	for name := range got {
		if _, ok := wantFiles[name]; !ok {
			t.Fatalf("%s: %s is not in a fresh build", what, name)
		}
	}
}

// editSameSize changes an output file by hand as a size-and-time check
// cannot tell: the same size, a later time.
func editSameSize(t *testing.T, file string) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, []byte(strings.Replace(string(data), "<html", "<HTML", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	later := time.Now().Add(time.Minute)
	if err := os.Chtimes(file, later, later); err != nil {
		t.Fatal(err)
	}
}

func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func corpusProject(t *testing.T, pages int) *config.Config {
	t.Helper()
	dir := t.TempDir()
	if err := corpus.Write(dir, pages, "docsgen"); err != nil {
		t.Fatal(err)
	}
	t.Chdir(filepath.Join(dir, "docsgen"))
	cfg, err := config.Load("")
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// TestRenderCacheMatchesFreshBuild is the differential test of taking
// pages from the last build: after every step of a random sequence of
// edits, creates, renames and deletes, the output folder must be what a
// build from scratch writes. A paragraph edit must render only its page
// (and the pages with diagnostics, which always render).
func TestRenderCacheMatchesFreshBuild(t *testing.T) {
	cfg := corpusProject(t, 24)
	cachedBuild(t, cfg)
	if res := cachedBuild(t, cfg); res.Reused != res.Pages {
		t.Fatalf("an unchanged site: %d of %d pages taken from the last build", res.Reused, res.Pages)
	} else {
		sameAsFreshBuild(t, cfg, res, "unchanged")
	}
	rng := rand.New(rand.NewPCG(3, 5))
	edits := &corpusEdits{t: t, src: cfg.SourceDir()}
	reused := 0
	for step := range 40 {
		what, _ := edits.random(rng, step)
		res := cachedBuild(t, cfg)
		if !res.Written {
			t.Fatalf("step %d (%s): not written: %v", step, what, res.Diags)
		}
		sameAsFreshBuild(t, cfg, res, what)
		reused += res.Reused
		if strings.HasPrefix(what, "edit a paragraph") {
			noisy := map[string]bool{}
			for _, d := range res.Diags {
				noisy[d.Pos.File] = true
			}
			if res.Reused < res.Pages-1-len(noisy) {
				t.Errorf("step %d (%s): %d of %d pages taken from the last build, want all but the edited one and %d with diagnostics",
					step, what, res.Reused, res.Pages, len(noisy))
			}
		}
	}
	t.Logf("%d pages taken from the last build in 40 steps", reused)
}

// TestRenderCacheSiteWideChanges: a change every page shows (the theme's
// templates, the configuration, the navigation) renders every page again,
// and the output is a fresh build's.
func TestRenderCacheSiteWideChanges(t *testing.T) {
	defaultTheme, err := filepath.Abs(filepath.Join("..", "..", "themes", "default"))
	if err != nil {
		t.Fatal(err)
	}
	for name, change := range map[string]func(t *testing.T, cfg *config.Config){
		"template": func(t *testing.T, cfg *config.Config) {
			theme := filepath.Join(cfg.Dir, "mytheme")
			if err := os.CopyFS(theme, os.DirFS(defaultTheme)); err != nil {
				t.Fatal(err)
			}
			cfg.Theme = theme
			cachedBuild(t, cfg) // with the copy: the same templates as the built-in theme
			layout := filepath.Join(theme, "layout.html")
			text, _ := os.ReadFile(layout)
			changed := strings.Replace(string(text), "</main>", "<p>Changed.</p></main>", 1)
			if changed == string(text) {
				t.Fatal("layout.html has no </main>")
			}
			os.WriteFile(layout, []byte(changed), 0o644)
		},
		"site title": func(t *testing.T, cfg *config.Config) { cfg.Title = "Another title" },
		"page title in the navigation": func(t *testing.T, cfg *config.Config) {
			p := filepath.Join(cfg.SourceDir(), "s00", "p0001.md")
			text, _ := os.ReadFile(p)
			os.WriteFile(p, []byte("# Renamed"+strings.SplitN(string(text), "\n", 2)[1]), 0o644)
		},
	} {
		t.Run(name, func(t *testing.T) {
			cfg := corpusProject(t, 12)
			cachedBuild(t, cfg)
			change(t, cfg)
			if res := cachedBuild(t, cfg); res.Reused != 0 {
				t.Errorf("after the change: %d of %d pages taken from the last build, want none", res.Reused, res.Pages)
			}
			res := cachedBuild(t, cfg)
			if res.Reused != res.Pages {
				t.Errorf("unchanged since the last build: %d of %d pages taken from it", res.Reused, res.Pages)
			}
			sameAsFreshBuild(t, cfg, res, name)
		})
	}
}

// TestRenderCacheOutputChangedByHand: a page's output file changed since
// the build that wrote it (same size, or not) is rendered again, never
// taken over; so is one that is gone.
func TestRenderCacheOutputChangedByHand(t *testing.T) {
	cfg := corpusProject(t, 12)
	cachedBuild(t, cfg)
	out := cfg.OutDir()
	editSameSize(t, filepath.Join(out, "s00", "p0001.html"))
	os.WriteFile(filepath.Join(out, "s00", "p0002.html"), []byte("shorter"), 0o644)
	os.Remove(filepath.Join(out, "s00", "p0003.html"))
	res := cachedBuild(t, cfg)
	if res.Reused != res.Pages-3 {
		t.Errorf("%d of %d pages taken from the last build, want all but 3", res.Reused, res.Pages)
	}
	sameAsFreshBuild(t, cfg, res, "outputs changed by hand")
}

// TestRenderCacheFailedBuild: a failed build leaves the output folder as it
// was and the records of it valid; the next good build is a fresh build's.
func TestRenderCacheFailedBuild(t *testing.T) {
	cfg := corpusProject(t, 12)
	cachedBuild(t, cfg)
	page := filepath.Join(cfg.SourceDir(), "s00", "p0002.md")
	text, _ := os.ReadFile(page)
	os.WriteFile(page, append(append([]byte{}, text...), "\nSee {doc}`missing-page`.\n"...), 0o644)
	// Strict: the broken reference's warning fails the build.
	if _, err := Build(context.Background(), Options{Config: cfg, FailLevel: diag.Warning, binaryVersion: "test", chromaVersion: "test"}); !errors.Is(err, ErrFailed) {
		t.Fatalf("a strict build with a broken {doc} reference: %v", err)
	}
	os.WriteFile(page, append(append([]byte{}, text...), "\nA new paragraph.\n"...), 0o644)
	res := cachedBuild(t, cfg)
	if res.Reused != res.Pages-1 {
		t.Errorf("%d of %d pages taken from the last build, want all but the edited one", res.Reused, res.Pages)
	}
	sameAsFreshBuild(t, cfg, res, "after a failed build")
}

// TestRenderCacheGoldenSites: every golden mini-site (all directives,
// roles, references, images and includes) built a second time from the
// first is what a fresh build writes, and takes every page without
// diagnostics from the first.
func TestRenderCacheGoldenSites(t *testing.T) {
	sites, _ := filepath.Glob(filepath.Join("testdata", "*.txtar"))
	for _, file := range sites {
		abs, _ := filepath.Abs(file)
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			t.Chdir(unpackSite(t, abs))
			cfg, err := config.Load("")
			if err != nil {
				t.Fatal(err)
			}
			if first := cachedBuild(t, cfg); !first.Written {
				return // a site whose build fails keeps no records
			}
			res := cachedBuild(t, cfg)
			noisy := map[string]bool{}
			for _, d := range res.Diags {
				noisy[d.Pos.File] = true
			}
			if res.Reused < res.Pages-len(noisy) {
				t.Errorf("%d of %d pages taken from the last build; %d have diagnostics", res.Reused, res.Pages, len(noisy))
			}
			sameAsFreshBuild(t, cfg, res, "second build")
		})
	}
}

// TestRenderCacheAssetGone: a page whose image is gone is rendered again
// and reports it; the image's other users are taken from the last build
// and the file is still copied for them while it exists.
func TestRenderCacheAssetGone(t *testing.T) {
	cfg := project(t, map[string]string{
		"content/index.md":    "# Home\n\n```{toctree}\na\nb\n```\n",
		"content/a.md":        "# A\n\n![one](img/one.png)\n\n![outside](../shared/two.png)\n",
		"content/b.md":        "# B\n\n![two](../shared/two.png)\n",
		"content/img/one.png": "one",
		"shared/two.png":      "two",
	})
	cachedBuild(t, cfg)
	res := cachedBuild(t, cfg)
	if res.Reused != 3 {
		t.Fatalf("%d of 3 pages taken from the last build", res.Reused)
	}
	sameAsFreshBuild(t, cfg, res, "unchanged")
	if err := os.Remove(filepath.Join(cfg.SourceDir(), "img", "one.png")); err != nil {
		t.Fatal(err)
	}
	res = cachedBuild(t, cfg)
	if res.Reused != 2 {
		t.Errorf("%d of 3 pages taken from the last build, want 2 (not a.md)", res.Reused)
	}
	if len(res.Diags) == 0 {
		t.Error("no diagnostic for the missing image")
	}
	sameAsFreshBuild(t, cfg, res, "image gone")
}

// TestRenderCacheSearchIndexChangedByHand: an unchanged site whose index
// files were changed since the last build (one, or one gone) writes a
// fresh index, not the changed files.
func TestRenderCacheSearchIndexChangedByHand(t *testing.T) {
	for name, change := range map[string]func(t *testing.T, file string){
		"edited": func(t *testing.T, file string) {
			data, _ := os.ReadFile(file)
			os.WriteFile(file, append(data, ' '), 0o644)
		},
		"removed": func(t *testing.T, file string) { os.Remove(file) },
	} {
		t.Run(name, func(t *testing.T) {
			cfg := corpusProject(t, 12)
			cachedBuild(t, cfg)
			cachedBuild(t, cfg) // the index files taken over once
			change(t, filepath.Join(cfg.OutDir(), "_search", "index.js"))
			res := cachedBuild(t, cfg)
			if res.Reused != res.Pages {
				t.Errorf("%d of %d pages taken from the last build", res.Reused, res.Pages)
			}
			sameAsFreshBuild(t, cfg, res, "index "+name)
		})
	}
}

// TestRenderCacheKeepsHighlightEntries: a build that takes every page from
// the last one still prunes the highlight cache, and keeps the entries of
// the pages it took (their records name them).
func TestRenderCacheKeepsHighlightEntries(t *testing.T) {
	cfg := corpusProject(t, 12)
	cachedBuild(t, cfg)
	dir := filepath.Join(cfg.Dir, ".docsgen", "cache", "highlight")
	entries := func() map[string]bool {
		names := map[string]bool{}
		filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err == nil && d.Type().IsRegular() && len(d.Name()) == 62 {
				names[p] = true
			}
			return nil
		})
		return names
	}
	real := entries()
	if len(real) < 10 {
		t.Fatalf("%d highlight entries after a build", len(real))
	}
	// Unused entries past Prune's bound (twice the used ones and 1,000).
	for i := range 1200 {
		name := fmt.Sprintf("%064x", i+1)
		os.MkdirAll(filepath.Join(dir, name[:2]), 0o755)
		os.WriteFile(filepath.Join(dir, name[:2], name[2:]), []byte("stale"), 0o644)
	}
	res := cachedBuild(t, cfg)
	if res.Reused != res.Pages {
		t.Fatalf("%d of %d pages taken from the last build", res.Reused, res.Pages)
	}
	if got := entries(); !maps.Equal(got, real) {
		t.Errorf("after pruning: %d entries, want the build's %d", len(got), len(real))
	}
}

// TestRenderCacheSession: a live session's first build takes the pages the
// last build's output still holds (reading them, writing nothing), serves
// what a session without caches serves, byte for byte, with the same
// diagnostics and search index, renders the pages changed since (by hand
// in the output, or in their source), and goes on rebuilding edits as
// usual.
func TestRenderCacheSession(t *testing.T) {
	cfg := corpusProject(t, 24)
	built := cachedBuild(t, cfg)

	out := cfg.OutDir()
	editSameSize(t, filepath.Join(out, "s00", "p0001.html"))
	os.Remove(filepath.Join(out, "s00", "p0002.html"))
	edited := filepath.Join(cfg.SourceDir(), "s00", "p0003.md")
	if err := os.WriteFile(edited, append(mustRead(t, edited), "\nAn edit.\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	before := readTree(t, cfg.OutDir())

	ctx := context.Background()
	cached, u, err := newSession(ctx, cfg, 0, SessionOptions{binaryVersion: "test", chromaVersion: "test"})
	if err != nil {
		t.Fatal(err)
	}
	defer cached.Close()
	// The three pages above render, and the pages with diagnostics (none
	// here) always do.
	if u.Reused != built.Pages-3 || u.Rendered != 3 {
		t.Errorf("first build: %d pages taken, %d rendered; want %d and 3", u.Reused, u.Rendered, built.Pages-3)
	}
	plain, pu, err := newSession(ctx, cfg, 0, SessionOptions{NoCache: true})
	if err != nil {
		t.Fatal(err)
	}
	defer plain.Close()
	sameServed(t, "first build", plain, cached)
	if len(pu.Diags) != len(u.Diags) {
		t.Errorf("first build: %d diagnostics, uncached %d", len(u.Diags), len(pu.Diags))
	}
	if after := readTree(t, cfg.OutDir()); !maps.EqualFunc(before, after, bytes.Equal) {
		t.Error("the session changed the output folder")
	}
	// An edit rebuilds as in any session.
	other := filepath.Join(cfg.SourceDir(), "s00", "p0005.md")
	if err := os.WriteFile(other, append(mustRead(t, other), "\nAnother edit.\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, s := range []*Session{cached, plain} {
		if _, err := s.Apply(ctx, []string{other}); err != nil {
			t.Fatal(err)
		}
	}
	sameServed(t, "after an edit", plain, cached)
}
