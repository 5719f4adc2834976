package build

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/docsgen/docsgen/bench/corpus"
	"github.com/docsgen/docsgen/internal/config"
	"github.com/docsgen/docsgen/internal/linkcheck"
	"github.com/google/go-cmp/cmp"
	"golang.org/x/tools/txtar"
)

// checkFindings builds the project in the working directory in mode and
// returns its link findings, as `docsgen linkcheck` reports them.
func checkFindings(t *testing.T, mode Mode) []linkcheck.Finding {
	t.Helper()
	cfg, err := config.Load("")
	if err != nil {
		t.Fatal(err)
	}
	res, err := Build(context.Background(), Options{Config: cfg, Mode: mode, NoCache: true})
	if err != nil && !errors.Is(err, ErrFailed) {
		t.Fatal(err)
	}
	findings, _ := linkcheck.Internal(res.Site.Pages, res.Diags)
	return linkcheck.NewReport(findings, 0, nil).Findings
}

// sameFindings fails the test if a Check build (no rendering, references
// kept instead of trees, linkify only where it could match) finds other
// broken references, at other positions or with other messages, than a
// full build of the same project.
func sameFindings(t *testing.T) {
	t.Helper()
	full, check := checkFindings(t, DryRun), checkFindings(t, Check)
	if diff := cmp.Diff(full, check); diff != "" {
		t.Errorf("check build's findings differ from a full build's (-full +check):\n%s", diff)
	}
}

// TestCheckFindingsEqualBuild runs both kinds of build on every golden
// site, the link checker's broken site, and a generated site with broken
// links, anchors and roles written next to (and inside) bare URLs and
// e-mail addresses.
func TestCheckFindingsEqualBuild(t *testing.T) {
	for _, file := range checkSites() {
		abs, _ := filepath.Abs(file)
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			t.Chdir(unpackSite(t, abs))
			sameFindings(t)
		})
	}
	t.Run("corpus", func(t *testing.T) {
		t.Chdir(brokenCorpus(t, 120))
		if f := checkFindings(t, Check); len(f) < 20 {
			t.Fatalf("only %d findings on a site with broken references", len(f))
		}
		sameFindings(t)
	})
}

// checkSites are the sites the Check path is tested on: every golden site
// and the link checker's broken site (txtar files).
func checkSites() []string {
	files, _ := filepath.Glob("testdata/*.txtar")
	return append(files, filepath.Join("..", "linkcheck", "testdata", "broken.txtar"))
}

// unpackSite writes the site of a txtar file (absolute path) into a new
// folder and returns it; "NAME.symlink" files become symbolic links.
func unpackSite(t *testing.T, file string) string {
	t.Helper()
	ar, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var site []txtar.File
	for _, f := range ar.Files {
		if !strings.HasPrefix(f.Name, "want") && f.Name != "diagnostics" {
			site = append(site, f)
		}
	}
	dir := t.TempDir()
	writeSite(t, dir, site)
	return dir
}

// brokenCorpus writes a generated site of n pages, every seventh with
// broken links, anchors and roles written next to (and inside) bare URLs
// and e-mail addresses, and returns its project folder.
func brokenCorpus(t *testing.T, pages int) string {
	t.Helper()
	dir := t.TempDir()
	if err := corpus.Write(dir, pages, "docsgen"); err != nil {
		t.Fatal(err)
	}
	root := filepath.Join(dir, "docsgen")
	broken := []string{
		"See [a page](missing.md), [an anchor](#no-such-anchor) and {ref}`no-such-label`.",
		"Mail someone@example.com about {doc}`missing-doc` or www.example.com/{ref}`in-url`.",
		"A link https://example.com/_x_/{doc}`inside` and (http://example.org/a) then [x](#nope).",
		"*Emphasis* with [broken](../nowhere.md#x) _and_ ~~{term}`no-term`~~ (ftp://host/{ref}`f`).",
		"Plain words, no URL: [gone](gone.md) and {ref}`gone-too` and [self](#gone).",
	}
	n := 0
	err := filepath.WalkDir(filepath.Join(root, "content"), func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".md") {
			return err
		}
		n++
		if n%7 != 0 {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		text := strings.Replace(string(data), "\n\n", fmt.Sprintf("\n\n%s\n\n", broken[(n/7)%len(broken)]), 2)
		return os.WriteFile(p, []byte(text), 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return root
}
