package markdown

import (
	"slices"
	"testing"

	"github.com/docsgen/docsgen/internal/directives"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/yuin/goldmark/ast"
)

func skimPipelines(t testing.TB) (full, skim *Pipeline, dir string) {
	dir = t.TempDir()
	opts := Options{
		Registry: directives.NewRegistry(directives.Builtin()...),
		Files:    &directives.Files{SourceRoot: dir, ProjectRoot: dir},
		Features: Features{Tables: true, Strikethrough: true, TaskLists: true, Autolinks: true, Footnotes: true, DefinitionList: true,
			Dollarmath: true}, Substitutions: map[string]string{"x": "y"},
	}
	full = New(opts)
	opts.LinkifyOnDemand, opts.SkimParagraphs = true, true
	return full, New(opts), dir
}

// skimmed counts the skimmed paragraphs of a parsed page.
func skimmed(doc *Doc) int {
	n := 0
	_ = ast.Walk(doc.root, func(n_ ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering && n_.Kind() == kindSkimmedParagraph {
			n++
		}
		return ast.WalkContinue, nil
	})
	return n
}

// Only paragraphs that cannot hold a reference, and that nothing after them
// can turn into something else, are skimmed; never in a directive's body.
func TestSkimParagraphs(t *testing.T) {
	_, skim, dir := skimPipelines(t)
	for _, c := range []struct {
		src  string
		want int
	}{
		{"Prose with **bold**, `code` and _emphasis_.\n", 1},
		{"# Title\n\nOne.\n\nTwo\nlines.\n\n- item\n- item\n", 4},
		{"See [x](y.md).\n", 0},
		{"An ![image](y.png).\n", 0},
		{"A <span>tag</span>.\n", 0},
		{"A {ref}`role`.\n", 0},
		{"A {{ x }} substitution.\n", 0},
		{"Math $x$.\n", 0},
		{"At https://example.com.\n", 0},
		{"At www.example.com.\n", 0},
		{"Mail a@example.com.\n", 0},
		{"Setext\n======\n", 0},
		{"Setext\n---\n", 0},
		{"Term\n: definition\n", 1},   // the definition's paragraph only
		{"Term\n\n: definition\n", 1}, // likewise
		{"Prose\n\n---\n\nMore.\n", 1},
		{"| a | b |\n|---|---|\n| c | d |\n", 1}, // a table without references
		{"| a | b |\n|---|---|\n| [c](d) | e |\n", 0},
		{"Prose\n- item\n", 2}, // "- item" is no underline
		{"```{note}\nProse in a body.\n```\n", 0},
	} {
		doc := skim.Parse(dir+"/page.md", []byte(c.src))
		if got := skimmed(doc); got != c.want {
			t.Errorf("%q: %d paragraphs skimmed, want %d", c.src, got, c.want)
		}
	}
}

// facts is what a check keeps of a page (see the build package's
// TestSkimmedParseEqualsFull, which compares whole sites).
type facts struct {
	Summary
	Diags []string
}

func factsOf(doc *Doc) facts {
	s := Summary{Title: doc.Title, Headings: doc.Headings, Labels: doc.Labels, Terms: doc.Terms, Assets: doc.Assets,
		Deps: doc.Deps, Refs: ExtractRefs(doc)}
	for a := range doc.Anchors {
		s.Anchors = append(s.Anchors, a)
	}
	slices.Sort(s.Anchors)
	for _, t := range doc.Toctrees {
		s.Toctrees = append(s.Toctrees, TocSummary{Entries: t.Entries, Caption: t.Caption, ID: t.ID})
	}
	f := facts{Summary: s}
	for _, d := range doc.Diags.Sorted() {
		f.Diags = append(f.Diags, d.String())
	}
	return f
}

// FuzzSkimSameFacts: whatever the text, a check's shortcuts (skimming
// paragraphs, linkify only where it could match) change nothing it keeps.
func FuzzSkimSameFacts(f *testing.F) {
	for _, seed := range []string{
		"Setext\n===\n\nText [x](#setext).\n",
		"(t)=\nProse.\n\n# H\n\nSee {ref}`t`.\n",
		"Term\n\n: def [x](y.md)\n\n- a\n  ---\n> q\n> : d\n",
		"| a | b |\n|---|---|\n| p | [x](y) |\n\nFoot[^1].\n\n[^1]: note\n",
		"Lazy\ncontinuation\n: of a term\n\n> quote\nlazy\n",
		"Go to https://example.com/{ref}`x`, http:/half, www.example.org and a@b.co.\n\n# www.x.org\n",
		"Prose *em* `code`\n\n<div id=\"a\">\n\n[r]: x.md\n\n[r]\n",
		"```{figure} x.png\n:name: f\n\nCaption.\n```\n\n{numref}`f`\n",
		"| a | b |\n|---|---|\n| c | d |\n\n0\n-:\n-\n\n> | q | r |\n> |---|---|\n> ===\n",
	} {
		f.Add(seed)
	}
	full, skim, dir := skimPipelines(f)
	f.Fuzz(func(t *testing.T, src string) {
		a, b := factsOf(full.Parse(dir+"/page.md", []byte(src))), factsOf(skim.Parse(dir+"/page.md", []byte(src)))
		if diff := cmp.Diff(a, b, cmpopts.IgnoreUnexported(PendingRef{}), cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("skimming changed the facts of %q (-full +skimmed):\n%s", src, diff)
		}
	})
}
