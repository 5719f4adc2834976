package markdown

import (
	"runtime"
	"testing"

	"github.com/docsgen/docsgen/internal/directives"
)

type nullResolver struct{}

func (nullResolver) Resolve(r Ref) Resolution { return Resolution{URL: "#", Title: r.Target} }
func (nullResolver) Toctree(*directives.Toctree) []directives.TocItem {
	return []directives.TocItem{{Title: "t", URL: "#"}}
}

// FuzzPipeline parses, resolves and renders arbitrary Markdown with every
// directive available: docsgen must never panic on user input.
func FuzzPipeline(f *testing.F) {
	for _, seed := range []string{
		"# T\n\n```{note}\n:class: x\n*body*\n```\n",
		"::::{admonition} Title\n:::{tip}\n:a: b\n:::\n::::\n",
		"```{code-block} python\n:emphasize-lines: 1-3\n:caption: c\nx\n```",
		"```{figure} a.png\ncaption\n\nlegend\n```",
		"```{glossary}\nTerm\n  def\n```\n{term}`Term`",
		"(label)=\n# H\n\n{ref}`label` [](#label)\n% comment",
		"```{toctree}\n:glob:\n*\n```",
		"```{contents}\n:local:\n```\n## a\n### b",
		"```{include} x.md\n:heading-offset: 1\n```",
		"- a\n  ```{warning}\n  x\n  ```\n> ```{note}\n> q",
		"Term\n: def\n\n| a |\n|---|\n| b |\n\n[^1]\n\n[^1]: n",
		"# {{x}}\n\n`{{x}}` *{{ x }}* [{{x}}](#a) {{y}}",
		"::::{grid} 1 2 3 3\n:gutter: 2\n:::{grid-item-card} {octicon}`rocket` Title\n:link: other\n:link-type: doc\nHead\n^^^\nBody\n+++\nFoot\n:::\n::::",
		"::::{tab-set}\n:::{tab-item} A\n:sync: a\nx\n:::\n:::{tab-item} B\n:selected:\ny\n:::\n::::",
		"```{dropdown} More\n:open:\n:icon: info\nz\n```\n{bdg-primary}`new` {bdg-ref-info}`x <y>` {material-outlined}`home;2em` {fa}`home`",
		"```{mermaid}\n:caption: c\ngraph TD; A-->B\n```\n```mermaid\nflowchart LR\n```",
		"```{math}\n:label: e\na^2 \\\\ b\n```\n$x$ and $$y$$ (l) {math}`z` {eq}`e` \\$5",
		"```{list-table} T\n:header-rows: 1\n:widths: 1 2\n* - a\n  - b\n* - c\n  - d\n```",
		"```{csv-table}\n:header: \"a\", \"b\"\n:delim: ;\n1;\"2;3\"\n```",
		"```{epigraph}\nQuote.\n\n-- Someone\n```\n```{only} html and not latex\nshown\n```",
		"```{versionadded} 1.2\nWhy.\n```\n```{rubric} R\n:heading-level: 3\n```\n```{automodule} x\n```",
		"```{article-info}\n:author: A\n:date: 2024\n:read-time: 5 min\n```\n```{button-link} https://x\n:color: primary\nGo\n```",
	} {
		f.Add(seed)
	}
	dir := f.TempDir()
	p := New(Options{
		Registry: directives.NewRegistry(directives.Builtin()...),
		Files:    &directives.Files{SourceRoot: dir, ProjectRoot: dir},
		Features: Features{Tables: true, Strikethrough: true, TaskLists: true, Autolinks: true, Footnotes: true, DefinitionList: true,
			Dollarmath: true}, Substitutions: map[string]string{"x": "y"}, ShowErrors: true,
	})
	f.Fuzz(func(t *testing.T, src string) {
		// A work budget: no input may make work out of proportion to its
		// size (the bombs found so far grew a few KB into gigabytes).
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		doc := p.Parse(dir+"/page.md", []byte(src))
		Resolve(doc, nullResolver{})
		if _, err := p.Render(doc); err != nil {
			t.Fatalf("render: %v", err)
		}
		runtime.ReadMemStats(&after)
		if alloc, budget := after.TotalAlloc-before.TotalAlloc, uint64(64<<20+20000*len(src)); alloc > budget {
			t.Fatalf("%d bytes of input allocated %d MB (budget %d MB)", len(src), alloc>>20, budget>>20)
		}
	})
}
