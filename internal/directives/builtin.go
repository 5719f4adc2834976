package directives

import (
	"path/filepath"
	"strings"

	"github.com/docsgen/docsgen/internal/content"
	"github.com/docsgen/docsgen/internal/diag"
	"github.com/yuin/goldmark/ast"
)

// Builtin returns the directives every build knows, as one explicit list.
func Builtin() []*Spec {
	specs := []*Spec{
		genericAdmonition(),
		codeBlockSpec(),
		literalIncludeSpec(),
		includeSpec(),
		toctreeSpec(),
		contentsSpec(),
		imageSpec(),
		figureSpec(),
		glossarySpec(),
		containerSpec(),
	}
	for _, kind := range []string{"attention", "caution", "danger", "error", "hint", "important", "note", "seealso", "tip", "warning"} {
		specs = append(specs, admonitionSpec(kind))
	}
	return specs
}

var commonOptions = []OptionSpec{
	{Name: "class", Type: Classes, Doc: "extra CSS classes"},
	{Name: "name", Type: Required, Doc: "a label that {ref} can link to"},
}

var admonitionOptions = append([]OptionSpec{
	{Name: "collapsible", Type: Choice, Choices: []string{"", "open", "closed"}, Doc: "render as a <details> box, open or closed"},
}, commonOptions...)

var admonitionTitles = map[string]string{
	"attention": "Attention", "caution": "Caution", "danger": "Danger", "error": "Error", "hint": "Hint",
	"important": "Important", "note": "Note", "seealso": "See also", "tip": "Tip", "warning": "Warning",
}

func admonitionSpec(kind string) *Spec {
	return &Spec{
		Name: kind, Doc: "A \"" + admonitionTitles[kind] + "\" box; text on the opening line starts the body.",
		Options: admonitionOptions, Body: Markdown, BodyRequired: true,
		Run: func(c *Call) []ast.Node {
			title := &AdmonitionTitle{}
			title.AppendChild(title, ast.NewString([]byte(admonitionTitles[kind])))
			return []ast.Node{admonition(c, append([]string{kind}, c.ClassesOpt("class")...), title)}
		},
	}
}

func genericAdmonition() *Spec {
	return &Spec{
		Name: "admonition", Doc: "A box with a custom title (the argument); style it with :class: tip and the like.",
		RequiredArgs: 1, FinalArgWhitespace: true,
		Options: admonitionOptions, Body: Markdown, BodyRequired: true,
		Run: func(c *Call) []ast.Node {
			title := &AdmonitionTitle{}
			title.AppendChild(title, c.ParseInline(c.Args[0], c.ArgPos))
			classes := c.ClassesOpt("class")
			if len(classes) == 0 {
				classes = []string{"admonition-" + MakeID(c.Args[0])}
			}
			return []ast.Node{admonition(c, classes, title)}
		},
	}
}

func admonition(c *Call, classes []string, title *AdmonitionTitle) ast.Node {
	a := &Admonition{Classes: classes, ID: MakeID(c.Opt("name"))}
	if c.Has("collapsible") {
		a.Collapsible = cmpOr(c.Opt("collapsible"), "open")
	}
	a.AppendChild(a, title)
	a.AppendChild(a, c.ParseBody())
	return a
}

var codeOptions = []OptionSpec{
	{Name: "linenos", Type: Flag, Doc: "show line numbers"},
	{Name: "lineno-start", Type: Int, Doc: "first line number (implies linenos)"},
	{Name: "emphasize-lines", Type: Required, Doc: "lines to highlight, like 1,3-5"},
	{Name: "caption", Type: Text, Doc: "a caption above the block"},
	{Name: "dedent", Type: OptionalNonNegInt, Doc: "remove this many leading characters, or the common indentation"},
	{Name: "force", Type: Flag, Doc: "accepted for Sphinx compatibility"},
}

func codeBlockSpec() *Spec {
	return &Spec{
		Name: "code-block", Aliases: []string{"code", "sourcecode"},
		Doc:          "A highlighted code block; the argument names the language.",
		OptionalArgs: 1,
		Options: append(append([]OptionSpec{
			{Name: "number-lines", Type: OptionalNonNegInt, Doc: "docutils spelling of lineno-start"},
		}, codeOptions...), commonOptions...),
		Body: RawBody, BodyRequired: true,
		Run: func(c *Call) []ast.Node {
			lines := splitKeepNewlines(string(c.Body.Text))
			if c.Has("dedent") {
				var warn bool
				if lines, warn = dedentLines(lines, c.Opt("dedent")); warn {
					c.Warnf(c.OptPos("dedent"), "non-whitespace stripped by dedent")
				}
			}
			cb := &CodeBlock{LineStart: 1}
			if len(c.Args) > 0 {
				cb.Lang = c.Args[0]
			}
			if c.Has("number-lines") {
				cb.Linenos, cb.LineStart = true, c.IntOpt("number-lines", 1)
			}
			return codeNode(c, cb, lines)
		},
	}
}

// codeNode fills the options shared by code-block and literalinclude.
func codeNode(c *Call, cb *CodeBlock, lines []string) []ast.Node {
	cb.Code = strings.Join(lines, "")
	if c.Has("linenos") {
		cb.Linenos = true
	}
	if c.Has("lineno-start") {
		cb.Linenos, cb.LineStart = true, c.IntOpt("lineno-start", 1)
	}
	if spec, ok := c.options["emphasize-lines"]; ok {
		picks, err := ParseLineSpec(spec.Value, len(lines))
		if err != nil {
			c.Warnf(spec.Pos, "%v", err)
		}
		bad := false
		for _, n := range picks {
			if n < len(lines) {
				cb.Emphasize = append(cb.Emphasize, n+1)
			} else {
				bad = true
			}
		}
		if bad {
			c.Warnf(spec.Pos, "line number spec is out of range(1-%d): %q", len(lines), spec.Value)
		}
	}
	cb.Classes = c.ClassesOpt("class")
	cb.ID = MakeID(c.Opt("name"))
	if c.Has("caption") {
		caption := c.Opt("caption")
		if caption == "" && c.Spec.Name == "literalinclude" {
			caption = c.Args[0]
		}
		if caption != "" {
			cb.HasCaption = true
			cb.AppendChild(cb, c.ParseInline(caption, c.OptPos("caption")))
		}
	}
	return []ast.Node{cb}
}

func literalIncludeSpec() *Spec {
	return &Spec{
		Name:         "literalinclude",
		Doc:          "Include a file as a highlighted code block, with Sphinx's options and filter order.",
		RequiredArgs: 1, FinalArgWhitespace: true,
		Options: append(append([]OptionSpec{
			{Name: "language", Type: Required, Doc: "language for highlighting"},
			{Name: "lineno-match", Type: Flag, Doc: "number lines as in the file"},
			{Name: "lines", Type: Required, Doc: "lines to keep, like 1,3,5-10,20-"},
			{Name: "start-after", Type: Required, Doc: "start after the first line containing this text"},
			{Name: "start-at", Type: Required, Doc: "start at the first line containing this text"},
			{Name: "end-before", Type: Required, Doc: "stop before the first line containing this text"},
			{Name: "end-at", Type: Required, Doc: "stop after the first line containing this text"},
			{Name: "prepend", Type: Required, Doc: "a line added before"},
			{Name: "append", Type: Required, Doc: "a line added after"},
			{Name: "tab-width", Type: NonNegInt, Doc: "expand tabs to this width"},
			{Name: "encoding", Type: Required, Doc: "file encoding (default utf-8)"},
			{Name: "pyobject", Type: Required, Doc: "a Python class, function or Class.method to show"},
			{Name: "diff", Type: Required, Doc: "show a unified diff against this older file"},
		}, codeOptions...), commonOptions...),
		Run: runLiteralInclude,
	}
}

func runLiteralInclude(c *Call) []ast.Node {
	for _, pair := range incompatible {
		if c.Has(pair[0]) && c.Has(pair[1]) {
			c.Errorf(c.OptPos(pair[1]), "cannot use both %q and %q options", pair[0], pair[1])
			return nil
		}
	}
	path := c.Args[0]
	abs, err := c.Env.Files.Resolve(c.Pos.File, path)
	if abs != "" {
		*c.Env.Deps = append(*c.Env.Deps, abs)
	}
	if err != nil {
		c.PathProblem(path, err)
		return nil
	}
	data, err := c.Env.Files.Read(abs)
	if err != nil {
		c.Errorf(c.ArgPos, "literalinclude: cannot read %q: %v", path, err)
		return nil
	}
	txt, err := decode(data, c.Opt("encoding"), path)
	if err != nil {
		c.Errorf(c.OptPos("encoding"), "%v", err)
		return nil
	}
	if c.Has("pyobject") && !strings.HasSuffix(abs, ".py") {
		c.Errorf(c.OptPos("pyobject"), "pyobject works on Python files only, not %q", path)
		return nil
	}
	opts := literalOptions{get: func(k string) (string, bool) { o, ok := c.options[k]; return o.Value, ok }}
	readOld := func(p string) (string, error) {
		oldAbs, err := c.Env.Files.Resolve(c.Pos.File, p)
		if err != nil {
			return "", err
		}
		*c.Env.Deps = append(*c.Env.Deps, oldAbs)
		b, err := c.Env.Files.Read(oldAbs)
		if err != nil {
			return "", err
		}
		return decode(b, c.Opt("encoding"), p)
	}
	res, err := runLiteral(txt, path, opts, readOld)
	for _, w := range res.warnings {
		c.Warnf(c.OptPos(w.option), "%s", w.msg)
	}
	if err != nil {
		p := err.(literalProblem)
		c.Errorf(c.OptPos(p.option), "literalinclude: %s", p.msg)
		return nil
	}
	cb := &CodeBlock{Lang: c.Opt("language"), LineStart: res.linenoStart}
	if cb.Lang == "" {
		cb.Lang = "guess:" + filepath.Base(abs)
	}
	if c.Has("diff") {
		cb.Lang = "diff"
	}
	if c.Has("lineno-match") {
		cb.Linenos = true
	}
	nodes := codeNode(c, cb, res.lines)
	if c.Has("lineno-match") {
		cb.LineStart = res.linenoStart
	}
	return nodes
}

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
		Run: runInclude,
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
	display := Display(abs)
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
		cb.Code = expandTabs(string(src.Text), c.IntOpt("tab-width", 0))
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

func toctreeSpec() *Spec {
	return &Spec{
		Name: "toctree", Doc: "List documents (one per line: doc, Title <doc>, or a URL). The toctrees define the site navigation.",
		Options: []OptionSpec{
			{Name: "maxdepth", Type: Int, Doc: "heading levels to show"},
			{Name: "caption", Type: Required, Doc: "a caption above the list"},
			{Name: "glob", Type: Flag, Doc: "entries with * ? [ are patterns over documents"},
			{Name: "hidden", Type: Flag, Doc: "define navigation without showing the list"},
			{Name: "includehidden", Type: Flag, Doc: "accepted for Sphinx compatibility"},
			{Name: "titlesonly", Type: Flag, Doc: "list document titles only, not their sections"},
			{Name: "numbered", Type: OptionalNonNegInt, Doc: "number the entries"},
			{Name: "reversed", Type: Flag, Doc: "list entries in reverse order"},
			{Name: "name", Type: Required, Doc: "a label"},
			{Name: "class", Type: Classes, Doc: "extra CSS classes"},
		},
		Body: RawBody,
		Run: func(c *Call) []ast.Node {
			t := &Toctree{Caption: c.Opt("caption"), MaxDepth: c.IntOpt("maxdepth", -1), Hidden: c.Has("hidden"),
				Glob: c.Has("glob"), TitlesOnly: c.Has("titlesonly"), Reversed: c.Has("reversed"),
				ID: MakeID(c.Opt("name")), Classes: c.ClassesOpt("class")}
			if c.Has("numbered") {
				t.Numbered = c.IntOpt("numbered", 999)
				if t.Numbered == 0 {
					t.Numbered = 999
				}
			}
			if c.Body != nil {
				for i, line := range c.Body.Lines() {
					entry := strings.TrimSpace(line)
					if entry == "" {
						continue
					}
					p := c.Body.LinePos(i)
					title, target := SplitTitle(entry)
					t.Entries = append(t.Entries, TocEntry{Title: title, Target: target, File: p.File, Line: p.Line,
						Col: p.Col + len(line) - len(strings.TrimLeft(line, " \t"))})
				}
			}
			return []ast.Node{t}
		},
	}
}

func contentsSpec() *Spec {
	return &Spec{
		Name: "contents", Doc: "A table of contents of this page.",
		OptionalArgs: 1, FinalArgWhitespace: true,
		Options: []OptionSpec{
			{Name: "depth", Type: NonNegInt, Doc: "heading levels to show"},
			{Name: "local", Type: Flag, Doc: "only the sections below the current one"},
			{Name: "backlinks", Type: Choice, Choices: []string{"entry", "top", "none"}, Doc: "accepted for docutils compatibility"},
			{Name: "class", Type: Classes, Doc: "extra CSS classes"},
		},
		Run: func(c *Call) []ast.Node {
			t := &Contents{Depth: c.IntOpt("depth", 0), Local: c.Has("local"), Classes: c.ClassesOpt("class")}
			switch {
			case len(c.Args) > 0:
				t.Title = c.Args[0]
			case !t.Local:
				t.Title = "Contents"
			}
			return []ast.Node{t}
		},
	}
}

var imageOptions = []OptionSpec{
	{Name: "alt", Type: Text, Doc: "alternative text"},
	{Name: "width", Type: Length, Doc: "width, like 200px or 50%"},
	{Name: "height", Type: Length, Doc: "height"},
	{Name: "scale", Type: Length, Doc: "accepted for docutils compatibility"},
	{Name: "align", Type: Choice, Choices: []string{"left", "center", "right"}, Doc: "alignment"},
	{Name: "target", Type: Required, Doc: "make the image a link to this URL"},
	{Name: "loading", Type: Choice, Choices: []string{"embed", "link", "lazy"}, Doc: "lazy adds loading=lazy"},
	{Name: "class", Type: Classes, Doc: "extra CSS classes"},
	{Name: "name", Type: Required, Doc: "a label"},
}

func image(c *Call) *Image {
	uri := strings.Join(strings.Fields(c.Args[0]), "")
	return &Image{URI: uri, Alt: c.Opt("alt"), Width: c.Opt("width"), Height: c.Opt("height"), Align: c.Opt("align"),
		Target: c.Opt("target"), Classes: c.ClassesOpt("class"), ID: MakeID(c.Opt("name")),
		Line: c.ArgPos.Line, Col: c.ArgPos.Col}
}

func imageSpec() *Spec {
	return &Spec{
		Name: "image", Doc: "An image; the argument is its path or URL.",
		RequiredArgs: 1, FinalArgWhitespace: true, Options: imageOptions,
		Run: func(c *Call) []ast.Node { return []ast.Node{image(c)} },
	}
}

func figureSpec() *Spec {
	return &Spec{
		Name: "figure", Doc: "An image with a caption (the first paragraph) and a legend (the rest).",
		RequiredArgs: 1, FinalArgWhitespace: true,
		Options: append([]OptionSpec{
			{Name: "figwidth", Type: Length, Doc: "width of the figure"},
			{Name: "figclass", Type: Classes, Doc: "classes of the figure"},
		}, imageOptions...),
		Body: Markdown,
		Run: func(c *Call) []ast.Node {
			img := image(c)
			f := &Figure{Image: img, Align: img.Align, ID: img.ID, Classes: c.ClassesOpt("figclass"), Width: c.Opt("figwidth")}
			img.ID, img.Align = "", ""
			f.AppendChild(f, img)
			if c.Body == nil {
				c.Warnf(c.Pos, "figure without caption and legend")
				return []ast.Node{f}
			}
			f.AppendChild(f, c.ParseBody())
			return []ast.Node{f}
		},
	}
}

func glossarySpec() *Spec {
	return &Spec{
		Name: "glossary", Doc: "Terms (unindented lines) and their definitions (indented); {term} links to them.",
		Options: []OptionSpec{{Name: "sorted", Type: Flag, Doc: "sort the terms alphabetically"}},
		Body:    RawBody, BodyRequired: true,
		Run: runGlossary,
	}
}

type glossaryEntry struct {
	terms []*GlossaryTerm
	def   []Span
	key   string
}

func runGlossary(c *Call) []ast.Node {
	lines := c.Body.Lines()
	var entries []*glossaryEntry
	var cur *glossaryEntry
	defIndent := -1
	prevBlank := true
	for i, l := range lines {
		trimmed := strings.TrimLeft(l, " \t")
		switch {
		case trimmed == "":
			prevBlank = true
			if cur != nil && len(cur.def) > 0 {
				cur.def = append(cur.def, Span{Line: i})
			}
			continue
		case len(trimmed) == len(l): // a term line
			if cur != nil && len(cur.def) == 0 && !prevBlank {
				cur.terms = append(cur.terms, glossaryTerm(trimmed))
			} else {
				if !prevBlank {
					c.Warnf(c.Body.LinePos(i), "glossary term must be preceded by an empty line")
				}
				cur = &glossaryEntry{terms: []*GlossaryTerm{glossaryTerm(trimmed)}, key: strings.ToLower(trimmed)}
				entries = append(entries, cur)
				defIndent = -1
			}
		default: // a definition line
			if cur == nil {
				c.Warnf(c.Body.LinePos(i), "glossary definition before any term")
				continue
			}
			ind := len(l) - len(trimmed)
			if defIndent < 0 || ind < defIndent {
				defIndent = ind
			}
			cur.def = append(cur.def, Span{Line: i, Skip: defIndent})
		}
		prevBlank = false
	}
	if c.Has("sorted") {
		sortEntries(entries)
	}
	g := &Glossary{}
	for _, e := range entries {
		for _, t := range e.terms {
			g.AppendChild(g, t)
		}
		g.AppendChild(g, c.Env.Parse(c.Body.Pick(e.def)))
	}
	return []ast.Node{g}
}

func glossaryTerm(line string) *GlossaryTerm {
	term, _, _ := strings.Cut(line, " : ")
	term = strings.TrimSpace(term)
	return &GlossaryTerm{Term: term, ID: "term-" + MakeID(term)}
}

func sortEntries(es []*glossaryEntry) {
	for i := 1; i < len(es); i++ {
		for j := i; j > 0 && es[j].key < es[j-1].key; j-- {
			es[j], es[j-1] = es[j-1], es[j]
		}
	}
}

func containerSpec() *Spec {
	return &Spec{
		Name: "container", Doc: "A div with the argument's classes around Markdown content.",
		OptionalArgs: 1, FinalArgWhitespace: true,
		Options: []OptionSpec{{Name: "name", Type: Required, Doc: "a label"}},
		Body:    Markdown, BodyRequired: true,
		Run: func(c *Call) []ast.Node {
			ct := &Container{ID: MakeID(c.Opt("name"))}
			if len(c.Args) > 0 {
				for _, f := range strings.Fields(c.Args[0]) {
					ct.Classes = append(ct.Classes, MakeID(f))
				}
			}
			ct.AppendChild(ct, c.ParseBody())
			return []ast.Node{ct}
		},
	}
}
