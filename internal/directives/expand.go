package directives

import (
	"fmt"
	"strings"

	"github.com/docsgen/docsgen/internal/diag"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Env is what directives may use while a page is parsed: where the text
// comes from, where diagnostics go, how to parse nested Markdown and how to
// read the files a page pulls in.
type Env struct {
	Src      *Source
	Diags    *diag.List
	Registry *Registry
	Files    *Files
	// Parse parses src as Markdown with the same pipeline, for directive
	// bodies and included files.
	Parse func(src *Source) *Fragment
	// Deps collects every file the page read besides itself.
	Deps *[]string
	// Depth counts nested includes, to stop include cycles.
	Depth int
	// Nesting counts the documents this one is nested in (directive
	// bodies, included files): each level parses its body again, so depth
	// is bounded.
	Nesting int
	// Included counts the bytes the page's includes pulled in, shared by
	// every nested Env of the page: a few small files including each other
	// many times over must not build gigabytes.
	Included *int
	// Refs are the link reference definitions ([id]: url) of the documents
	// this one is nested in: directive bodies and included text see the
	// page's, as in MyST.
	Refs []parser.Reference
}

// With returns a copy of e reading from src.
func (e *Env) With(src *Source) *Env {
	c := *e
	c.Src = src
	c.Nesting++
	return &c
}

// maxNesting bounds how deep directives and includes nest; real documents
// stay far below it.
const maxNesting = 50

var envKey = parser.NewContextKey()

// SetEnv stores e in a parser context for the directive expander.
func SetEnv(pc parser.Context, e *Env) { pc.Set(envKey, e) }

// EnvOf returns the Env stored in a parser context.
func EnvOf(pc parser.Context) *Env {
	e, _ := pc.Get(envKey).(*Env)
	return e
}

// Extension adds MyST block syntax to a goldmark parser: directive fences,
// (label)= targets, % comments, and the expansion of directives through the
// registry held by each parse's Env.
type Extension struct{}

// ParserOptions returns the goldmark parser options for MyST syntax.
func (Extension) ParserOptions() []parser.Option {
	return []parser.Option{
		// Below goldmark's fenced code parser (700): lower runs first.
		parser.WithBlockParsers(
			util.Prioritized(fenceParser{}, 650),
			util.Prioritized(targetParser{}, 90),
			util.Prioritized(commentParser{}, 95),
		),
		parser.WithInlineParsers(util.Prioritized(roleParser{}, 90)),
		parser.WithASTTransformers(util.Prioritized(expander{}, 100)),
	}
}

type expander struct{}

func (expander) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	env := EnvOf(pc)
	if env == nil {
		return
	}
	env.Refs = pc.References() // the outer ones were seeded into pc
	// Collect first, replace after: the tree must not change under Walk.
	var raws []*RawDirective
	var roles []*Role
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *RawDirective:
			raws = append(raws, n)
			return ast.WalkSkipChildren, nil
		case *Role:
			roles = append(roles, n)
		}
		return ast.WalkContinue, nil
	})
	for _, r := range roles {
		bindRole(env, r)
	}
	for _, raw := range raws {
		nodes := expand(env, raw)
		parent := raw.Parent()
		for _, n := range nodes {
			parent.InsertBefore(parent, raw, n)
		}
		parent.RemoveChild(parent, raw)
	}
}

// expand runs one directive. Errors leave a visible marker in the page so a
// preview shows where the problem is; the diagnostic carries the details.
func expand(env *Env, raw *RawDirective) []ast.Node {
	src := env.Src
	pos := src.Pos(raw.Pos())
	lines := raw.Lines()
	content := src.Sub(lines.Sliced(0, lines.Len()))
	if lines.Len() == 0 {
		content = &Source{File: src.File, Via: src.Via, lineStarts: []int{0}, origins: []diag.Pos{pos}}
	}
	if !raw.Closed && raw.NextSibling() == nil && raw.Parent() != nil && raw.Parent().Kind() == ast.KindDocument {
		// An unclosed fence swallows the rest of the document; say so.
		env.Diags.Add(diag.Diagnostic{Pos: pos, Via: src.Via, Severity: diag.Warning, Code: "myst.fence",
			Message: "directive fence is never closed; it runs to the end of the file",
			Hint:    "close it with a line of " + strings.Repeat(string(raw.FenceChar), raw.FenceLen)})
	}
	if raw.Name == "" {
		return []ast.Node{containerNode(env, raw, content)}
	}
	spec, ok := env.Registry.Lookup(raw.Name)
	if !ok {
		env.Diags.Add(diag.Diagnostic{Pos: pos, Via: src.Via, Severity: diag.Warning, Code: "myst.directive_unknown",
			Message: "unknown directive " + quote(raw.Name), Hint: suggest(raw.Name, env.Registry)})
		return []ast.Node{&ErrorMarker{Message: "unknown directive " + quote(raw.Name)}}
	}
	call := &Call{Spec: spec, Name: raw.Name, Pos: pos, ArgPos: src.Pos(raw.ArgOffset), Env: env, options: map[string]Option{}}
	errorsBefore := env.Diags.ErrorCount()

	bodyLines := content.Lines()
	bodyStart := 0
	hasOptions := false
	if len(spec.Options) > 0 {
		opts, start, problems := splitOptions(bodyLines)
		bodyStart, hasOptions = start, start > 0
		for _, p := range problems {
			env.Diags.Add(diag.Diagnostic{Pos: content.LinePos(p.Line), Via: src.Via, Severity: diag.Warning, Code: "myst.directive_option",
				Message: "cannot read option line " + quote(p.Key) + " of " + quote(raw.Name), Hint: "write options as :name: value"})
		}
		for _, o := range opts {
			opos := content.LinePos(o.Line)
			os, known := spec.option(o.Key)
			if !known {
				env.Diags.Add(diag.Diagnostic{Pos: opos, Via: src.Via, Severity: diag.Warning, Code: "myst.directive_option",
					Message: "unknown option " + quote(o.Key) + " for directive " + quote(spec.Name),
					Hint:    "allowed: " + strings.Join(spec.optionNames(), ", ")})
				continue
			}
			if _, dup := call.options[o.Key]; dup {
				env.Diags.Add(diag.Diagnostic{Pos: opos, Via: src.Via, Severity: diag.Warning, Code: "myst.directive_option",
					Message: "option " + quote(o.Key) + " given twice; the last one is used"})
			}
			v, err := checkValue(os, o.Value)
			if err != nil {
				env.Diags.Add(diag.Diagnostic{Pos: opos, Via: src.Via, Severity: diag.Error, Code: "myst.directive_option",
					Message: "invalid value for option " + quote(o.Key) + " of " + quote(spec.Name) + ": " + err.Error()})
				continue
			}
			call.options[o.Key] = Option{Value: v, Pos: opos}
		}
	}

	// Arguments; a directive without arguments takes the opening line's text
	// as the first line of its body.
	arg := raw.Arg
	firstLineBody := spec.RequiredArgs+spec.OptionalArgs == 0 && arg != ""
	// One blank line before the body is a separator, except after opening-line
	// text that options split from the rest of the body (MyST keeps it).
	if bodyStart < len(bodyLines) && strings.TrimSpace(bodyLines[bodyStart]) == "" && !(firstLineBody && hasOptions) {
		bodyStart++
	}
	if firstLineBody && hasOptions && bodyStart < len(bodyLines) {
		env.Diags.Add(diag.Diagnostic{Pos: pos, Via: src.Via, Severity: diag.Warning, Code: "myst.directive_parse",
			Message: "content is split across the opening line and the body, around an options block",
			Hint:    "move the text on the opening line below the options"})
	}
	var body *Source
	if bodyStart < len(bodyLines) {
		body = content.Slice(bodyStart, len(bodyLines))
	}
	if firstLineBody {
		firstLine := NewSource(src.File, []byte(arg+"\n"))
		firstLine.ownOrigins()[0] = call.ArgPos
		firstLine.Via = src.Via
		body = joinSources(firstLine, body)
		arg = ""
	}
	call.Args = splitArgs(arg, spec)
	maxArgs := spec.RequiredArgs + spec.OptionalArgs
	switch {
	case len(call.Args) < spec.RequiredArgs:
		call.Errorf(pos, "directive %q needs %d argument(s), %d given", spec.Name, spec.RequiredArgs, len(call.Args))
		return []ast.Node{&ErrorMarker{Message: spec.Name + ": missing argument"}}
	case len(call.Args) > maxArgs:
		call.Errorf(call.ArgPos, "directive %q takes at most %d argument(s), %d given", spec.Name, maxArgs, len(call.Args))
		return []ast.Node{&ErrorMarker{Message: spec.Name + ": too many arguments"}}
	}
	hasBody := body != nil && strings.TrimSpace(string(body.Text)) != ""
	switch {
	case spec.Body == NoBody && hasBody:
		call.Errorf(body.LinePos(0), "directive %q takes no content, but has some", spec.Name)
	case spec.BodyRequired && !hasBody:
		call.Errorf(pos, "directive %q needs content; none found", spec.Name)
		return []ast.Node{&ErrorMarker{Message: spec.Name + ": no content"}}
	}
	if !hasBody {
		body = nil
	}
	call.Body = body
	nodes, err := run(call)
	if err != nil {
		call.Errorf(pos, "internal error in directive %q: %v (please report this)", spec.Name, err)
		return []ast.Node{&ErrorMarker{Message: spec.Name + " failed"}}
	}
	if len(nodes) == 0 && env.Diags.ErrorCount() > errorsBefore {
		return []ast.Node{&ErrorMarker{Message: spec.Name + " failed"}}
	}
	return nodes
}

func splitArgs(arg string, spec *Spec) []string {
	fields := strings.Fields(arg)
	maxArgs := spec.RequiredArgs + spec.OptionalArgs
	if spec.FinalArgWhitespace && maxArgs > 0 && len(fields) > maxArgs {
		// The last argument swallows the rest, whitespace included.
		rest := arg
		for range maxArgs - 1 {
			rest = strings.TrimLeft(rest, " \t")
			rest = rest[strings.IndexAny(rest, " \t"):]
		}
		return append(fields[:maxArgs-1:maxArgs-1], strings.TrimSpace(rest))
	}
	return fields
}

func joinSources(a, b *Source) *Source {
	if b == nil {
		return a
	}
	out := &Source{File: a.File, Via: a.Via}
	out.Text = append(append([]byte{}, a.Text...), b.Text...)
	out.lineStarts = append([]int{}, a.lineStarts...)
	for _, s := range b.lineStarts {
		out.lineStarts = append(out.lineStarts, s+len(a.Text))
	}
	out.origins = append(append([]diag.Pos{}, a.ownOrigins()...), b.ownOrigins()...)
	return out
}

func quote(s string) string { return "\"" + s + "\"" }

// suggest names the closest known directive, for typos like "not" or "warnign".
func suggest(name string, r *Registry) string {
	best, bestD := "", 3
	for _, s := range r.Specs() {
		for _, n := range append([]string{s.Name}, s.Aliases...) {
			if d := diag.Distance(strings.ToLower(name), n); d < bestD {
				best, bestD = n, d
			}
		}
	}
	if best == "" {
		return ""
	}
	return diag.DidYouMean(quote(best))
}

// run calls the directive's Run, turning a panic into an error: one broken
// directive must not take down a build or a live preview.
func run(c *Call) (nodes []ast.Node, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	return c.Spec.Run(c), nil
}
