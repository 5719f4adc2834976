package markdown

import (
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
	} {
		f.Add(seed)
	}
	dir := f.TempDir()
	p := New(Options{
		Registry: directives.NewRegistry(directives.Builtin()...),
		Files:    &directives.Files{SourceRoot: dir, ProjectRoot: dir},
		Features: Features{Tables: true, Strikethrough: true, TaskLists: true, Autolinks: true, Footnotes: true, DefinitionList: true}, Substitutions: map[string]string{"x": "y"},
	})
	f.Fuzz(func(t *testing.T, src string) {
		doc := p.Parse(dir+"/page.md", []byte(src))
		Resolve(doc, nullResolver{})
		if _, err := p.Render(doc); err != nil {
			t.Fatalf("render: %v", err)
		}
	})
}
