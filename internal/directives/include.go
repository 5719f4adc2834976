package directives

import (
	"strings"

	"github.com/docsgen/docsgen/internal/content"
	"github.com/docsgen/docsgen/internal/diag"
	"github.com/yuin/goldmark/ast"
)

// {include}: another file parsed in place, or shown as a CodeBlock.

// maxIncludedBytes bounds what one page's includes pull in, all levels
// together.
const maxIncludedBytes = 4 << 20

const maxIncludeDepth = 16

func includeSpec() *Spec {
	return &Spec{
		Name:         "include",
		Doc:          "Include another file: parsed as Markdown in place, or shown as a literal or code block.",
		RequiredArgs: 1, FinalArgWhitespace: true,
		Options: []OptionSpec{
			{Name: "heading-offset", Type: NonNegInt, Doc: "push the included headings down this many levels"},
			{Name: "literal", Type: Flag, Doc: "show the file as a literal block"},
			{Name: "code", Type: Text, Doc: "show the file as code in this language"},
			{Name: "number-lines", Type: OptionalNonNegInt, Doc: "number the lines of a literal or code include"},
			{Name: "start-line", Type: Int, Doc: "first line to include (0-based, Python slice)"},
			{Name: "end-line", Type: Int, Doc: "line to stop before (0-based, Python slice)"},
			{Name: "start-after", Type: Required, Doc: "include only the text after this"},
			{Name: "end-before", Type: Required, Doc: "include only the text before this"},
			{Name: "encoding", Type: Required, Doc: "file encoding (default utf-8)"},
			{Name: "tab-width", Type: NonNegInt, Doc: "tab width for literal includes"},
			{Name: "class", Type: Classes, Doc: "extra CSS classes"},
			{Name: "name", Type: Required, Doc: "a label"},
		},
		Run: runInclude, Nodes: codeNodes,
	}
}

func runInclude(c *Call) []ast.Node {
	path := c.Args[0]
	abs, err := c.Env.Files.Resolve(c.Pos.File, path)
	if abs != "" && err != nil {
		*c.Env.Deps = append(*c.Env.Deps, abs)
	}
	if err != nil {
		c.PathProblem(path, err)
		return nil
	}
	display := c.Env.Files.Display(abs)
	for _, v := range append([]diag.Pos{{File: c.Env.Src.File}}, c.Env.Src.Via...) {
		if v.File == display {
			c.Errorf(c.ArgPos, "include: %q includes itself (through %s)", path, v.File)
			return nil
		}
	}
	if c.Env.Depth >= maxIncludeDepth {
		c.Errorf(c.ArgPos, "include: more than %d nested includes", maxIncludeDepth)
		return nil
	}
	*c.Env.Deps = append(*c.Env.Deps, abs)
	data, err := c.Env.Files.Read(abs)
	if err != nil {
		c.Errorf(c.ArgPos, "include: cannot read %q: %v", path, err)
		return nil
	}
	if c.Env.Included != nil {
		if *c.Env.Included += len(data); *c.Env.Included > maxIncludedBytes {
			c.Errorf(c.ArgPos, "include: the page includes more than %d MiB in all; include fewer or smaller files", maxIncludedBytes>>20)
			return nil
		}
	}
	txt, err := decode(data, c.Opt("encoding"), path)
	if err != nil {
		c.Errorf(c.OptPos("encoding"), "%v", err)
		return nil
	}
	if !c.Has("literal") && !c.Has("code") {
		txt = string(content.BlankFrontMatter([]byte(txt)))
	}
	src := NewSource(display, []byte(txt))
	src.Via = append([]diag.Pos{c.Pos}, c.Env.Src.Via...)
	lines := src.Lines()
	if c.Has("start-line") || c.Has("end-line") {
		from := pySliceIndex(c.IntOpt("start-line", 0), len(lines))
		to := pySliceIndex(c.IntOpt("end-line", len(lines)), len(lines))
		src = src.Slice(from, max(from, to))
	}
	if pat, ok := c.options["start-after"]; ok {
		i := strings.Index(string(src.Text), pat.Value)
		if i < 0 {
			c.Errorf(pat.Pos, "include: start-after text not found: %q", pat.Value)
			return nil
		}
		src = src.Cut(i+len(pat.Value), len(src.Text))
	}
	if pat, ok := c.options["end-before"]; ok {
		i := strings.Index(string(src.Text), pat.Value)
		if i < 0 {
			c.Errorf(pat.Pos, "include: end-before text not found: %q", pat.Value)
			return nil
		}
		src = src.Cut(0, i)
	}
	if c.Has("literal") || c.Has("code") {
		cb := &CodeBlock{Lang: c.Opt("code"), LineStart: 1, Classes: c.ClassesOpt("class"), ID: MakeID(c.Opt("name"))}
		tw := c.IntOpt("tab-width", 0)
		if tw > maxTabWidth {
			c.Errorf(c.OptPos("tab-width"), "include: tab-width %d is more than %d", tw, maxTabWidth)
			return nil
		}
		cb.Code = expandTabs(string(src.Text), tw)
		if c.Has("number-lines") {
			cb.Linenos, cb.LineStart = true, c.IntOpt("number-lines", 1)
		}
		return []ast.Node{cb}
	}
	env := c.Env.With(src)
	env.Depth++
	frag := env.Parse(src)
	if off := c.IntOpt("heading-offset", 0); off > 0 {
		_ = ast.Walk(frag, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
			if h, ok := n.(*ast.Heading); ok && entering {
				h.Level = min(6, h.Level+off)
			}
			return ast.WalkContinue, nil
		})
	}
	return []ast.Node{frag}
}

func pySliceIndex(i, n int) int {
	if i < 0 {
		i += n
	}
	return max(0, min(i, n))
}
