package directives

import (
	"fmt"
	"strings"

	"github.com/yuin/goldmark/ast"
)

// {directive-reference}: this registry's directives and roles as a page.

func referenceSpec() *Spec {
	return &Spec{
		Name: "directive-reference",
		Doc:  "The reference of every directive and role the build knows, generated from the registry: arguments, body, options with their types, and what each does.",
		Run: func(c *Call) []ast.Node {
			return []ast.Node{c.ParseGenerated(ReferenceMarkdown(c.Env.Registry))}
		},
	}
}

// ReferenceMarkdown renders the registry's directives and roles as
// Markdown, one section per directive with a (directive-NAME)= label.
// Docs are Markdown inline text.
func ReferenceMarkdown(r *Registry) string {
	var b strings.Builder
	b.WriteString("## Directives\n\n")
	for _, s := range r.Specs() {
		fmt.Fprintf(&b, "(directive-%s)=\n### `%s`\n\n%s\n\n", s.Name, s.Name, s.Doc)
		fmt.Fprintf(&b, "- **Arguments:** %s\n- **Body:** %s\n", argsText(s), bodyText(s))
		if len(s.Aliases) > 0 {
			fmt.Fprintf(&b, "- **Also called:** %s\n", codeList(s.Aliases))
		}
		b.WriteString("\n")
		if len(s.Options) == 0 {
			continue
		}
		b.WriteString("| Option | Value | What it does |\n|---|---|---|\n")
		for _, o := range s.Options {
			fmt.Fprintf(&b, "| `:%s:` | %s | %s |\n", o.Name, cell(valueText(o)), cell(o.Doc))
		}
		b.WriteString("\n")
	}
	b.WriteString("## Roles\n\nWrite a role inline as `` {name}`content` ``.\n\n| Role | What it does |\n|---|---|\n")
	for _, ro := range r.Roles() {
		fmt.Fprintf(&b, "| `{%s}` | %s |\n", ro.Name, cell(ro.Doc))
	}
	return b.String()
}

func argsText(s *Spec) string {
	if s.RequiredArgs+s.OptionalArgs == 0 {
		if s.Body == NoBody {
			return "none"
		}
		return "none; text on the opening line starts the body"
	}
	var parts []string
	if s.RequiredArgs > 0 {
		parts = append(parts, fmt.Sprintf("%d required", s.RequiredArgs))
	}
	if s.OptionalArgs > 0 {
		parts = append(parts, fmt.Sprintf("%d optional", s.OptionalArgs))
	}
	out := strings.Join(parts, ", ")
	if s.FinalArgWhitespace {
		out += "; the last one takes the rest of the line"
	}
	return out
}

func bodyText(s *Spec) string {
	if s.BodyRequired {
		return s.Body.String() + ", required"
	}
	return s.Body.String()
}

func valueText(o OptionSpec) string {
	if o.Type != Choice {
		return o.Type.String()
	}
	choices := make([]string, len(o.Choices))
	for i, c := range o.Choices {
		choices[i] = "`" + c + "`"
		if c == "" {
			choices[i] = "nothing"
		}
	}
	return "one of " + strings.Join(choices, ", ")
}

func codeList(names []string) string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = "`" + n + "`"
	}
	return strings.Join(out, ", ")
}

// cell makes text safe inside a Markdown table cell.
func cell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
