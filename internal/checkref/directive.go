package checkref

import (
	"fmt"
	"strings"

	"github.com/docsgen/docsgen/internal/deployenv"
	"github.com/docsgen/docsgen/internal/directives"
	"github.com/yuin/goldmark/ast"
)

// Directives returns the directives that render this package's data into
// the docs: the catalog, the guide's summary of it, the precedence of
// environment layers, and the settings reference.
func Directives() []*directives.Spec {
	return []*directives.Spec{catalogSpec(), summarySpec(), layersSpec(), settingsReferenceSpec()}
}

// generated parses Markdown that a directive generated, as if written at the
// directive's position.
func generated(c *directives.Call, markdown string) []ast.Node {
	return []ast.Node{c.ParseGenerated(markdown)}
}

func catalogSpec() *directives.Spec {
	return &directives.Spec{
		Name: "check-catalog",
		Doc:  "The configuration-check catalog, generated from the checks `docsgen check` runs: grouped by area, one anchor per ID.",
		Run: func(c *directives.Call) []ast.Node {
			return generated(c, CatalogMarkdown())
		},
	}
}

// CatalogMarkdown renders the whole catalog as Markdown.
func CatalogMarkdown() string {
	var b strings.Builder
	for _, area := range Areas {
		var checks []*Check
		for _, ch := range All() {
			if ch.Area() == area.ID {
				checks = append(checks, ch)
			}
		}
		if len(checks) == 0 {
			continue
		}
		fmt.Fprintf(&b, "(checks-%s)=\n## %s\n\n%s.\n\n", area.ID, area.Title, titleCase(area.Summary))
		for _, ch := range checks {
			writeCheck(&b, ch)
		}
	}
	return b.String()
}

func writeCheck(b *strings.Builder, ch *Check) {
	fmt.Fprintf(b, "(%s)=\n### `%s` %s\n\n", ch.Anchor(), ch.ID, ch.Title)
	fmt.Fprintf(b, "**%s** · tags: %s\n\n", titleCase(ch.Severity.String()), strings.Join(ch.Tags, ", "))
	fmt.Fprintf(b, "**Condition.** %s\n\n**Why it matters.** %s\n\n**Fix.** %s\n\n**Examples**, run by the test suite against the example deployment:\n\n", ch.Doc, ch.Why, ch.Fix)
	for _, e := range ch.Examples {
		verdict := "passes"
		if e.Fails {
			verdict = "fails"
		}
		fmt.Fprintf(b, "- *%s* — %s: %s\n", verdict, e.Title, strings.Join(e.Changes(), "; "))
	}
	b.WriteString("\n")
}

func titleCase(s string) string { return strings.ToUpper(s[:1]) + s[1:] }

func summarySpec() *directives.Spec {
	return &directives.Spec{
		Name: "check-summary",
		Doc:  "A list of what `docsgen check --deploy` validates, one item per area, linking to the catalog page.",
		Options: []directives.OptionSpec{
			{Name: "catalog", Type: directives.Required, Doc: "path of the page holding {check-catalog}"},
		},
		Run: func(c *directives.Call) []ast.Node {
			page := c.Opt("catalog")
			var b strings.Builder
			for _, area := range Areas {
				var ids []string
				for _, ch := range All() {
					if ch.Area() == area.ID {
						ids = append(ids, ch.ID)
					}
				}
				if len(ids) == 0 {
					continue
				}
				link := area.Title
				if page != "" {
					link = fmt.Sprintf("[%s](%s#checks-%s)", area.Title, page, area.ID)
				}
				fmt.Fprintf(&b, "- %s: %s (%s)\n", link, area.Summary, strings.Join(ids, ", "))
			}
			return generated(c, b.String())
		},
	}
}

func layersSpec() *directives.Spec {
	return &directives.Spec{
		Name: "env-layers",
		Doc:  "The environment layers, highest precedence first, with how Compose applies each and where reality differs from the simple list.",
		Run: func(c *directives.Call) []ast.Node {
			var b strings.Builder
			b.WriteString("| | Layer | Where | What Compose does with it | Watch out |\n|---|---|---|---|---|\n")
			for i, l := range deployenv.Layers {
				fmt.Fprintf(&b, "| %d | **%s** | %s | %s | %s |\n", i+1, l.Name, cell(l.Where), cell(l.HowApplied), cell(l.Caveat))
			}
			return generated(c, b.String())
		},
	}
}

func cell(s string) string { return strings.ReplaceAll(s, "|", "\\|") }
