package build

import (
	"context"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/docsgen/docsgen/bench/corpus"
	"github.com/docsgen/docsgen/internal/config"
	"github.com/docsgen/docsgen/internal/sitetest"
)

// buildBothWays builds the site in the working folder with its pages
// rendered from their first parse where they can be (a build's way) and
// with every page parsed again (noPrerender), and requires every output
// file and diagnostic to be the same; and again, and checks it too, with
// every recycled read buffer overwritten (DOCSGEN_SCRIBBLE_RECYCLED), which
// shows a slice of a page's text kept past its first pass. It returns the
// first build.
func buildBothWays(t *testing.T) *Result {
	t.Helper()
	cfg, err := config.Load("")
	if err != nil {
		t.Fatal(err)
	}
	build := func(mode Mode, noPrerender bool, scribble string) *Result {
		t.Setenv("DOCSGEN_SCRIBBLE_RECYCLED", scribble)
		res, err := Build(context.Background(), Options{Config: cfg, Mode: mode, NoCache: true, noPrerender: noPrerender})
		if res == nil {
			t.Fatalf("build did not run: %v", err)
		}
		return res
	}
	once := build(DryRun, false, "")
	t.Logf("%d of %d pages rendered from their first parse", once.Prerendered, once.Pages)
	for _, other := range []struct {
		name string
		res  *Result
	}{
		{"parsed again", build(DryRun, true, "")},
		{"recycled text overwritten", build(DryRun, false, "1")},
		{"parsed again, recycled text overwritten", build(DryRun, true, "1")},
	} {
		if other.res.Prerendered != 0 && strings.HasPrefix(other.name, "parsed again") {
			t.Errorf("noPrerender: %d pages prerendered", other.res.Prerendered)
		}
		if a, b := string(formatDiags(once.Diags)), string(formatDiags(other.res.Diags)); a != b {
			t.Errorf("diagnostics differ:\nprerendered:\n%s\n%s:\n%s", a, other.name, b)
		}
		if a, b := slices.Sorted(maps.Keys(once.Files)), slices.Sorted(maps.Keys(other.res.Files)); !slices.Equal(a, b) {
			t.Fatalf("output files differ:\nprerendered: %v\n%s: %v", a, other.name, b)
		}
		for name, data := range once.Files {
			if string(data) != string(other.res.Files[name]) {
				t.Errorf("%s differs between the prerendered build and the one %s", name, other.name)
			}
		}
	}
	check, scribbled := build(Check, false, ""), build(Check, false, "1")
	if a, b := string(formatDiags(check.Diags)), string(formatDiags(scribbled.Diags)); a != b {
		t.Errorf("check diagnostics differ with recycled text overwritten:\n%s\n---\n%s", a, b)
	}
	refs := func(r *Result) (out []string) {
		for _, p := range r.Site.Pages {
			for _, ref := range p.Refs {
				out = append(out, fmt.Sprint(ref))
			}
		}
		return out
	}
	if a, b := refs(check), refs(scribbled); !slices.Equal(a, b) {
		t.Errorf("checked references differ with recycled text overwritten")
	}
	return once
}

// TestPrerenderSameOutput: rendering pages from their first parse, with
// their references' values filled in afterwards, gives byte for byte the
// site that parsing every page again gives: the shipped site, a bench
// corpus, the Sphinx tree and every golden tree (which hold broken
// references, every directive family and every role).
func TestPrerenderSameOutput(t *testing.T) {
	corpusDir := t.TempDir()
	if err := corpus.Write(corpusDir, 120, "docsgen"); err != nil {
		t.Fatal(err)
	}
	prerendered := 0
	for _, site := range []struct{ name, dir string }{
		{"shipped site", filepath.Join("..", "..")},
		{"bench corpus", filepath.Join(corpusDir, "docsgen")},
	} {
		t.Run(site.name, func(t *testing.T) {
			t.Chdir(site.dir)
			res := buildBothWays(t)
			prerendered += res.Prerendered
		})
	}
	t.Run("sphinx tree", func(t *testing.T) {
		sphinxTreeDir(t)
		prerendered += buildBothWays(t).Prerendered
	})
	files, err := filepath.Glob("testdata/*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden files: %v", err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			t.Chdir(unpackSite(t, file))
			prerendered += buildBothWays(t).Prerendered
		})
	}
	if prerendered == 0 {
		t.Error("no page was rendered from its first parse")
	}
}

// TestPrerenderFallsBack: a page is finished from its first parse only
// when every reference resolved and every value it shows is written as
// it is; else it is parsed and rendered again, with the same result. A
// toctree's items are filled in like values.
func TestPrerenderFallsBack(t *testing.T) {
	files := map[string]string{
		"docsgen.yaml":     "title: T\n",
		"content/index.md": "# Home\n\n```{toctree}\nplain\nlinks\nquoted\nbroken\nimage\n```\n",
		"content/plain.md": "(plain-label)=\n# Plain page\n\nText.\n",
		// Resolved, plain values: finished.
		"content/links.md": "# Links\n\nSee [](plain.md), {doc}`plain`, {ref}`plain-label` and [the text](plain.md#plain-page).\n",
		// The title shown holds a quote: parsed again.
		"content/quoted.md": "# Quoted\n\nSee {doc}`said`.\n",
		"content/said.md":   "---\norphan: true\n---\n# It's \"said\"\n",
		// A reference that leads nowhere: parsed again, the warning once.
		"content/broken.md": "# Broken\n\nSee {ref}`nowhere` and [gone](gone.md).\n",
		// An image's URL is a value too.
		"content/image.md": "# Image\n\n![a dot](dot.png)\n",
		"content/dot.png":  "\x89PNG\r\n\x1a\n",
	}
	t.Chdir(sitetest.Write(t, files))
	res := buildBothWays(t)
	// index (a toctree), plain, links, said, image: finished; quoted and
	// broken: rendered from their text.
	if res.Prerendered != 5 {
		t.Errorf("%d pages finished from their first parse, want 5 (index, plain, links, said, image)", res.Prerendered)
	}
	var warnings []string
	for _, d := range res.Diags {
		warnings = append(warnings, d.String())
	}
	if len(warnings) != 2 || !strings.Contains(warnings[0], "nowhere") || !strings.Contains(warnings[1], "gone.md") {
		t.Errorf("diagnostics: %q, want the two broken references once each", warnings)
	}
	links := string(res.Files["links.html"])
	for _, want := range []string{`<a href="plain.html">Plain page</a>`, `href="plain.html#plain-page">the text</a>`} {
		if !strings.Contains(links, want) {
			t.Errorf("links.html lacks %s", want)
		}
	}
	if strings.Contains(links, "dgref") {
		t.Error("links.html holds a token")
	}
	if index := string(res.Files["index.html"]); !strings.Contains(index, `<li class="toctree-l1"><a class="reference internal" href="quoted.html">Quoted</a></li>`) {
		t.Error("index.html lacks its toctree's items")
	}
}
