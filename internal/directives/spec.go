package directives

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/docsgen/docsgen/internal/diag"
	"github.com/yuin/goldmark/ast"
)

// OptionType says how an option's value is validated.
type OptionType int

const (
	Flag              OptionType = iota // no value needed; any value is accepted (as MyST does)
	Text                                // any text, may be empty
	Required                            // non-empty text
	Int                                 // an integer
	NonNegInt                           // 0, 1, 2, …
	OptionalNonNegInt                   // empty or 0, 1, 2, … (dedent)
	Classes                             // space-separated class names
	Choice                              // one of Choices
	Length                              // a CSS length: 10px, 50%, 3em, or unitless
)

func (t OptionType) String() string {
	return [...]string{"flag", "text", "text (required)", "integer", "non-negative integer", "optional non-negative integer", "class names", "choice", "length"}[t]
}

// OptionSpec describes one option a directive accepts.
type OptionSpec struct {
	Name    string
	Type    OptionType
	Choices []string
	Doc     string
}

// BodyKind says what a directive does with its content.
type BodyKind int

const (
	NoBody   BodyKind = iota // content is an error
	Markdown                 // content is parsed as Markdown
	RawBody                  // content is kept as text (code, toctree entries)
)

func (k BodyKind) String() string { return [...]string{"none", "Markdown", "raw text"}[k] }

// Spec is a directive as data: its syntax, its documentation, the function
// that turns a parsed call into nodes, and how those nodes render and what
// they add to the page's index.
type Spec struct {
	Name    string
	Aliases []string
	Doc     string
	// RequiredArgs and OptionalArgs count whitespace-separated arguments;
	// with FinalArgWhitespace the last one takes the rest of the line.
	RequiredArgs       int
	OptionalArgs       int
	FinalArgWhitespace bool
	Options            []OptionSpec
	Body               BodyKind
	BodyRequired       bool
	Run                func(c *Call) []ast.Node
	// Nodes are the node kinds Run creates, with their renderers and hooks.
	// Specs that share a node kind (the admonitions) share its NodeSpec.
	Nodes []NodeSpec
}

func (s *Spec) option(name string) (OptionSpec, bool) {
	for _, o := range s.Options {
		if o.Name == name {
			return o, true
		}
	}
	return OptionSpec{}, false
}

func (s *Spec) optionNames() []string {
	names := make([]string, len(s.Options))
	for i, o := range s.Options {
		names[i] = o.Name
	}
	return names
}

// Registry is the explicit set of directives and roles a build knows.
type Registry struct {
	specs map[string]*Spec
	order []*Spec
	roles map[string]*RoleSpec
}

// NewRegistry builds a registry from specs, with the built-in roles; a later
// spec with the same name wins, so a build can add or replace directives on
// top of Builtin().
func NewRegistry(specs ...*Spec) *Registry {
	r := &Registry{specs: map[string]*Spec{}, roles: map[string]*RoleSpec{}}
	for _, s := range specs {
		r.Add(s)
	}
	for _, s := range builtinRoles() {
		r.AddRole(s)
	}
	return r
}

// Add registers s under its name and aliases.
func (r *Registry) Add(s *Spec) {
	r.order = slices.DeleteFunc(r.order, func(o *Spec) bool { return o.Name == s.Name })
	r.order = append(r.order, s)
	for _, n := range append([]string{s.Name}, s.Aliases...) {
		r.specs[strings.ToLower(n)] = s
	}
}

// Lookup finds a directive by name, case-insensitively as docutils does.
func (r *Registry) Lookup(name string) (*Spec, bool) {
	s, ok := r.specs[strings.ToLower(name)]
	return s, ok
}

// Specs returns the registered specs sorted by name.
func (r *Registry) Specs() []*Spec {
	out := slices.Clone(r.order)
	slices.SortFunc(out, func(a, b *Spec) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// AddRole registers a role, replacing one of the same name.
func (r *Registry) AddRole(s *RoleSpec) { r.roles[s.Name] = s }

// Role finds a role by name (role names are case-sensitive).
func (r *Registry) Role(name string) (*RoleSpec, bool) {
	s, ok := r.roles[name]
	return s, ok
}

// Roles returns the registered roles sorted by name.
func (r *Registry) Roles() []*RoleSpec {
	out := slices.Collect(maps.Values(r.roles))
	slices.SortFunc(out, func(a, b *RoleSpec) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// Nodes returns how to render and collect every node kind the registry's
// directives and the MyST syntax create, one entry per kind; for a kind
// listed twice, the later registered spec wins.
func (r *Registry) Nodes() []NodeSpec {
	var out []NodeSpec
	at := map[ast.NodeKind]int{}
	for _, n := range append(syntaxNodes(), r.specNodes()...) {
		if i, ok := at[n.Kind]; ok {
			out[i] = n
			continue
		}
		at[n.Kind] = len(out)
		out = append(out, n)
	}
	return out
}

func (r *Registry) specNodes() []NodeSpec {
	var out []NodeSpec
	for _, s := range r.order {
		out = append(out, s.Nodes...)
	}
	return out
}

// Option is a validated option value with its position.
type Option struct {
	Value string
	Pos   diag.Pos
}

// Call is one use of a directive in a page, ready for its Spec to run.
type Call struct {
	Spec *Spec
	Name string // as written
	Args []string
	// Body is the content after the option block (nil if none).
	Body    *Source
	Pos     diag.Pos // the opening fence
	ArgPos  diag.Pos
	Env     *Env
	options map[string]Option
}

// Has reports whether the option was given (with a valid value).
func (c *Call) Has(name string) bool { _, ok := c.options[name]; return ok }

// Opt returns the option's text ("" if absent).
func (c *Call) Opt(name string) string { return c.options[name].Value }

// OptPos returns where the option was written, or the directive's position.
func (c *Call) OptPos(name string) diag.Pos {
	if o, ok := c.options[name]; ok {
		return o.Pos
	}
	return c.Pos
}

// IntOpt returns an integer option (validated at parse time) or def.
func (c *Call) IntOpt(name string, def int) int {
	o, ok := c.options[name]
	if !ok || o.Value == "" {
		return def
	}
	n, _ := strconv.Atoi(o.Value)
	return n
}

// ClassesOpt returns the class names given in a Classes option.
func (c *Call) ClassesOpt(name string) []string {
	var out []string
	for _, f := range strings.Fields(c.Opt(name)) {
		out = append(out, MakeID(f))
	}
	return out
}

// Errorf reports an error at pos.
func (c *Call) Errorf(pos diag.Pos, format string, args ...any) {
	c.Env.Diags.Add(diag.Diagnostic{Pos: pos, Via: c.Env.Src.Via, Severity: diag.Error, Code: "directive." + c.Spec.Name, Message: fmt.Sprintf(format, args...)})
}

// Warnf reports a warning at pos.
func (c *Call) Warnf(pos diag.Pos, format string, args ...any) {
	c.Env.Diags.Add(diag.Diagnostic{Pos: pos, Via: c.Env.Src.Via, Severity: diag.Warning, Code: "directive." + c.Spec.Name, Message: fmt.Sprintf(format, args...)})
}

// PathProblem reports a path argument that leads nowhere (code ref.include),
// so link checking sees it with the other broken references.
func (c *Call) PathProblem(target string, err error) {
	c.Env.Diags.Add(diag.Diagnostic{Pos: c.ArgPos, Via: c.Env.Src.Via, Severity: diag.Error, Code: "ref.include",
		Message: fmt.Sprintf("%s: %v", c.Spec.Name, err), Target: target})
}

// ReadArg reads the file the first argument names (relative to the page,
// "/" for the content folder), records it as a dependency of the page (a
// preview rebuilds when it changes, or appears), and reports any problem at
// the argument; ok is false then. abs is the file's real path.
func (c *Call) ReadArg() (abs string, data []byte, ok bool) {
	path := c.Args[0]
	abs, err := c.Env.Files.Resolve(c.Pos.File, path)
	if abs != "" {
		*c.Env.Deps = append(*c.Env.Deps, abs)
	}
	if err != nil {
		c.PathProblem(path, err)
		return "", nil, false
	}
	if data, err = c.Env.Files.Read(abs); err != nil {
		c.Errorf(c.ArgPos, "%s: cannot read %q: %v", c.Spec.Name, path, err)
		return "", nil, false
	}
	return abs, data, true
}

// ParseBody parses the body as Markdown into a Fragment.
func (c *Call) ParseBody() *Fragment {
	if c.Body == nil {
		return &Fragment{Source: &Source{File: c.Pos.File, Via: c.Env.Src.Via}}
	}
	if c.Env.Nesting >= maxNesting {
		c.Errorf(c.Pos, "%s: directives nested more than %d deep; its content is left out", c.Spec.Name, maxNesting)
		return &Fragment{Source: &Source{File: c.Pos.File, Via: c.Env.Src.Via}}
	}
	return c.Env.Parse(c.Body)
}

// ParseGenerated parses Markdown the directive generated (a catalog, a
// reference) as if written at the directive's position.
func (c *Call) ParseGenerated(markdown string) *Fragment {
	return c.Env.Parse(GeneratedSource(c.Pos, markdown))
}

// ParseInline parses one line of text (a title or caption) as inline Markdown.
func (c *Call) ParseInline(textValue string, pos diag.Pos) *Fragment {
	src := NewSource(pos.File, []byte(textValue))
	src.ownOrigins()[0] = pos
	src.Via = c.Env.Src.Via
	f := c.Env.Parse(src)
	// A single paragraph is unwrapped so the title renders inline.
	if p, ok := f.FirstChild().(*ast.Paragraph); ok && f.ChildCount() == 1 {
		inline := &Fragment{Source: f.Source, Inline: true}
		for ch := p.FirstChild(); ch != nil; {
			next := ch.NextSibling()
			inline.AppendChild(inline, ch)
			ch = next
		}
		return inline
	}
	return f
}

var lengthRe = regexp.MustCompile(`^\s*([0-9]*\.?[0-9]+)\s*(em|ex|ch|rem|vw|vh|vmin|vmax|cm|mm|Q|in|pt|pc|px|%)?\s*$`)

// checkValue validates v for an option of type t and returns it normalised.
func checkValue(o OptionSpec, v string) (string, error) {
	switch o.Type {
	case Flag, Text:
		return v, nil
	case Required:
		if v == "" {
			return "", fmt.Errorf("a value is required")
		}
		return v, nil
	case Int, NonNegInt, OptionalNonNegInt:
		if v == "" && o.Type == OptionalNonNegInt {
			return "", nil
		}
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil {
			return "", fmt.Errorf("%q is not an integer", v)
		}
		if o.Type != Int && n < 0 {
			return "", fmt.Errorf("%q is negative", v)
		}
		return strconv.Itoa(n), nil
	case Classes:
		for _, f := range strings.Fields(v) {
			if MakeID(f) == "" {
				return "", fmt.Errorf("%q is not a valid class name", f)
			}
		}
		if strings.TrimSpace(v) == "" {
			return "", fmt.Errorf("a class name is required")
		}
		return v, nil
	case Choice:
		lv := strings.ToLower(strings.TrimSpace(v))
		if slices.Contains(o.Choices, lv) {
			return lv, nil
		}
		return "", fmt.Errorf("%q is not one of %s", v, strings.Join(quoteAll(o.Choices), ", "))
	case Length:
		m := lengthRe.FindStringSubmatch(v)
		if m == nil {
			return "", fmt.Errorf("%q is not a length (like 200px, 50%% or 10em)", v)
		}
		return m[1] + m[2], nil
	}
	return v, nil
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		if s == "" {
			out[i] = `""`
		} else {
			out[i] = strconv.Quote(s)
		}
	}
	return out
}
