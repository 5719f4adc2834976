package build

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/docsgen/docsgen/bench/corpus"
	"github.com/docsgen/docsgen/internal/config"
	"github.com/docsgen/docsgen/internal/content"
	"github.com/docsgen/docsgen/internal/diag"
	"github.com/docsgen/docsgen/internal/linkcheck"
	"github.com/docsgen/docsgen/internal/markdown"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
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

// inEachCheckSite runs test in a subtest per site of checkSites, unpacked
// and made the working folder.
func inEachCheckSite(t *testing.T, test func(t *testing.T)) {
	for _, file := range checkSites() {
		abs, _ := filepath.Abs(file)
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			t.Chdir(unpackSite(t, abs))
			test(t)
		})
	}
}

// TestCheckFindingsEqualBuild runs both kinds of build on every golden
// site, the link checker's broken site, and a generated site with broken
// links, anchors and roles written next to (and inside) bare URLs and
// e-mail addresses.
func TestCheckFindingsEqualBuild(t *testing.T) {
	inEachCheckSite(t, sameFindings)
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

// pageFacts is everything a check keeps of a parsed page: what other pages
// resolve against, its references with their positions, its diagnostics.
type pageFacts struct {
	Title    string
	Headings []markdown.Heading
	Anchors  []string
	Labels   []markdown.Label
	Terms    []markdown.Label
	Toctrees []markdown.TocSummary
	Assets   []string
	Deps     []string
	Refs     []markdown.PendingRef
	Diags    []diag.Diagnostic
}

// parseFacts parses every page of the project in the working directory
// with the Check pipeline (or a build's, check false), with its shortcuts
// (skimming paragraphs, linkify where it could match) or without, and
// returns each page's facts by path.
func parseFacts(t *testing.T, kind string, skim bool) map[string]pageFacts {
	t.Helper()
	cfg, err := config.Load("")
	if err != nil {
		t.Fatal(err)
	}
	opts, _ := pipelineOptions(cfg, kind == "preview", kind == "check", nil)
	opts.SkimParagraphs = skim
	if skim {
		opts.LinkifyOnDemand = true
	}
	pipe := markdown.New(opts)
	names, err := content.Walk(cfg.SourceDir())
	if err != nil {
		t.Fatal(err)
	}
	tree := content.Tree{Root: cfg.SourceDir(), Display: cfg.Display(cfg.SourceDir()), Bound: cfg.Dir}
	facts := map[string]pageFacts{}
	for _, name := range names {
		var readDiags diag.List
		src, err := tree.Read(name, &readDiags)
		if err != nil {
			t.Fatal(err)
		}
		doc := pipe.Parse(src.File, src.Body)
		f := pageFacts{Title: doc.Title, Headings: doc.Headings, Labels: doc.Labels, Terms: doc.Terms, Assets: doc.Assets,
			Deps: doc.Deps, Refs: markdown.ExtractRefs(doc), Diags: doc.Diags.Sorted()}
		for a := range doc.Anchors {
			f.Anchors = append(f.Anchors, a)
		}
		slices.Sort(f.Anchors)
		for _, tt := range doc.Toctrees {
			f.Toctrees = append(f.Toctrees, markdown.TocSummary{Entries: tt.Entries, Caption: tt.Caption, ID: tt.ID, MaxDepth: tt.MaxDepth,
				Numbered: tt.Numbered, Hidden: tt.Hidden, Glob: tt.Glob, TitlesOnly: tt.TitlesOnly, Reversed: tt.Reversed, Classes: tt.Classes})
		}
		facts[name] = f
	}
	return facts
}

// sameFacts fails the test if skimming paragraphs changes any page's facts,
// against a check's full parse, a build's (which a build's first pass,
// skimming, stands in for) and a live preview's (likewise).
func sameFacts(t *testing.T) {
	t.Helper()
	for _, kind := range []string{"check", "build", "preview"} {
		full, skimmed := parseFacts(t, kind, false), parseFacts(t, kind, true)
		if len(full) == 0 {
			t.Fatal("no pages")
		}
		if diff := cmp.Diff(full, skimmed, cmpopts.IgnoreUnexported(markdown.PendingRef{}), cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("skimming paragraphs changed what a %s finds (-full +skimmed):\n%s", kind, diff)
		}
	}
}

// skimSite is Markdown where a paragraph that holds no reference is next to
// what could take it over, or be taken for one, once it is skimmed: setext
// underlines, definition lists (with and without a blank line, in a list
// and a quote), targets, lists, tables, footnotes, lazy continuations,
// directive bodies, and references hidden in otherwise plain prose.
var skimSite = map[string]string{
	"docsgen.yaml":     "title: Skim\n",
	"content/index.md": "# Index\n\n```{toctree}\nsetext\ndefs\nmixed\n```\n",
	"content/setext.md": `Setext title with prose
=======================

Another title, level two
---

- Item heading in a list
  ---

> Quoted heading
> ===

Prose before a thematic break

***

Prose before a list
- item prose
- item [link](missing.md#nowhere)

(para-target)=
Plain paragraph after a target, no references.

(heading-target)=
Title after the target
----------------------

See {ref}` + "`para-target`" + ` and {ref}` + "`heading-target`" + ` and [x](#title-after-the-target).
`,
	"content/defs.md": `# Definitions

Term with prose
: its definition, with a [link](missing.md).

Term after which a blank line

: definition after a blank line, see [here](#term-with-prose)

- In a list
  : a definition in the list

> In a quote
> : a definition in the quote

Lazy
continuation
: of a term

Colons inside prose: not a definition.
`,
	"content/mixed.md": `# Mixed *emphasis* and ` + "`code`" + `

Prose with **bold**, _emphasis_, ~~struck~~ and ` + "`code`" + ` and \* escapes &amp; entities.
Second line of the same paragraph.

A bare https://example.com/x URL, www.example.org, and mail a@example.com.

Math $x^2$ and {ref}` + "`nope`" + ` and <span id="raw-id">raw</span> and <https://example.net>.

Footnote reference[^1] and a [ref link][r] and ![image](missing.png).

[^1]: Footnote prose, no references.

[r]: missing-ref.md

| a | b |
|---|---|
| prose | [x](y.md) |
| more prose | plain |

| plain | table |
|---|---|
| no | references |

| a table | before an underline |
|---|---|
| x | y |
---

> quote prose
lazy continuation line of the quote

` + "```{note}\nProse in a directive body.\n\nSee [gone](gone.md).\n```" + `

` + "```{figure} missing.png\n:name: fig-x\n\nCaption prose is its title.\n```" + `

` + "```{glossary}\nterm one\n  Prose of the term.\n```" + `

Use {term}` + "`term one`" + ` and {numref}` + "`fig-x`" + `.

## Mixed *emphasis* and ` + "`code`" + `

Duplicate heading above.
`,
}

// TestSkimmedParseEqualsFull proves the Check pipeline's shortcut of
// skimming paragraphs: every page's facts (title, headings, anchors,
// labels, terms, toctrees, assets, included files, references with their
// positions, diagnostics) are the same as with every paragraph parsed, on
// the shipped site, every golden site, the link checker's broken site, a
// site of edge cases and a generated corpus with broken references.
func TestSkimmedParseEqualsFull(t *testing.T) {
	t.Run("shipped", func(t *testing.T) {
		root, _ := filepath.Abs(filepath.Join("..", ".."))
		t.Chdir(root)
		sameFacts(t)
	})
	inEachCheckSite(t, sameFacts)
	t.Run("edges", func(t *testing.T) {
		dir := t.TempDir()
		var files []txtar.File
		for name, text := range skimSite {
			files = append(files, txtar.File{Name: name, Data: []byte(text)})
		}
		writeSite(t, dir, files)
		t.Chdir(dir)
		sameFacts(t)
	})
	t.Run("corpus", func(t *testing.T) {
		t.Chdir(brokenCorpus(t, 120))
		sameFacts(t)
	})
}

// BenchmarkCheckParse is a check's first pass over every page of a
// 1,000-page corpus (parse with the Check pipeline, collect, take the
// references), with every paragraph parsed and with the check's skimming:
// the shortcut's worth, in one run.
func BenchmarkCheckParse(b *testing.B) {
	cfg, texts, files := corpusPages(b, 1000)
	for _, skim := range []bool{false, true} {
		b.Run(map[bool]string{false: "full", true: "skimmed"}[skim], func(b *testing.B) {
			opts, _ := pipelineOptions(cfg, false, true, nil)
			opts.SkimParagraphs = skim
			pipe := markdown.New(opts)
			for b.Loop() {
				if err := parallel(context.Background(), len(texts), func(i int) error {
					doc := pipe.Parse(files[i], texts[i])
					markdown.ExtractRefs(doc)
					doc.Release()
					return nil
				}); err != nil {
					b.Fatal(err)
				}
			}
			perPage(b, len(texts))
		})
	}
}
