package directives

import (
	"bytes"
	"cmp"
	"fmt"
	"html"
	"regexp"
	"strings"

	"github.com/docsgen/docsgen/internal/diag"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// RoleSpec is an inline role as data: its name, its documentation and how
// it renders. The registry holds them; a role is bound to its spec while
// the page is parsed.
type RoleSpec struct {
	Name string
	Doc  string
	// XRef marks a cross-reference: the site resolves the target (asked as
	// a reference of kind Name) and fills the Role's URL, Label and
	// Resolved before it renders.
	XRef   bool
	Render func(w util.BufWriter, r *Role)
	// Uses names a browser asset of the theme the role needs on its page
	// ("design", "katex"); "" for none.
	Uses string
	// Refs reports what the role links to, when it is not an XRef role
	// (a badge linking to a label, say); nil for none.
	Refs func(r *Role, rf Referrer)
	// Check validates the role's content when the page is parsed; its
	// error is reported at the role.
	Check func(r *Role) error
}

// builtinRoles lists the inline roles every build knows.
func builtinRoles() []*RoleSpec {
	return append([]*RoleSpec{
		{Name: "doc", XRef: true, Render: renderXRef, Doc: "link to a document; the text is its title"},
		{Name: "ref", XRef: true, Render: renderXRef, Doc: "link to a `(label)=` target or a `:name:`; the text is the target's title"},
		{Name: "term", XRef: true, Render: renderXRef, Doc: "link to a glossary term"},
		{Name: "eq", XRef: true, Render: renderXRef, Doc: "link to a labelled equation, shown as its number `(N)`"},
		{Name: "numref", Refs: numrefRefs, Render: renderXRef, Doc: "link to a labelled figure, table or section, like `{ref}`; `%s` or `{number}` in an explicit text is the target's title (docsgen does not number figures)"},
		{Name: "download", XRef: true, Render: renderXRef, Doc: "link to a file, copied into the site"},
		{Name: "kbd", Render: renderKbd, Doc: "keyboard keys, like `Ctrl+C`"},
		{Name: "abbr", Render: renderAbbr, Doc: "an abbreviation with its explanation: `DNS (Domain Name System)`"},
		{Name: "code", Render: renderLiteralRole, Doc: "inline code"},
		{Name: "samp", Render: renderLiteralRole, Doc: "an inline code sample"},
		{Name: "file", Render: renderLiteralRole, Doc: "a file name"},
		{Name: "command", Render: renderLiteralRole, Doc: "a command name"},
		{Name: "envvar", Render: renderLiteralRole, Doc: "an environment variable name"},
		{Name: "guilabel", Render: renderGUILabel, Doc: "a label in a user interface"},
		{Name: "menuselection", Render: renderMenuSelection, Doc: "a menu path, with `-->` between the items"},
		{Name: "sub", Render: renderTag("sub"), Doc: "subscript"},
		{Name: "sup", Render: renderTag("sup"), Doc: "superscript"},
		{Name: "math", Render: renderMathRole, Uses: "katex", Doc: "inline math in LaTeX, like `a^2 + b^2`, typeset by KaTeX"},
	}, designRoles()...)
}

// KindRole is the node kind of an inline role.
var KindRole = ast.NewNodeKind("Role")

// Role is an inline {name}`content`. Cross-reference roles are resolved by
// the site, which fills URL and Label.
type Role struct {
	ast.BaseInline
	Name    string
	Content string
	// Title and Target split "title <target>"; Title is "" without one.
	Title  string
	Target string
	// Spec is the role's spec, nil for an unknown role.
	Spec *RoleSpec
	// Filled by resolution.
	URL      string
	Label    string
	Resolved bool
}

func (n *Role) Kind() ast.NodeKind { return KindRole }
func (n *Role) Dump(src []byte, l int) {
	ast.DumpHelper(n, src, l, map[string]string{"Name": n.Name, "Content": n.Content}, nil)
}

// roleParser reads {name}`content` with any number of backticks.
type roleParser struct{}

var roleNameRe = regexp.MustCompile(`^\{([a-zA-Z0-9_\-+:]+)\}`)

func (roleParser) Trigger() []byte { return []byte{'{'} }

func (roleParser) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	line, _ := block.PeekLine()
	m := roleNameRe.FindSubmatch(line)
	if m == nil {
		return nil
	}
	rest := line[len(m[0]):]
	ticks := 0
	for ticks < len(rest) && rest[ticks] == '`' {
		ticks++
	}
	if ticks == 0 {
		return nil
	}
	fence := rest[:ticks]
	end := bytes.Index(rest[ticks:], fence)
	if end < 1 {
		return nil
	}
	content := string(rest[ticks : ticks+end])
	block.Advance(len(m[0]) + ticks + end + ticks)
	r := &Role{Name: string(m[1]), Content: content}
	r.Title, r.Target = SplitTitle(content)
	return r
}

// bindRole gives a role its spec, or warns where an unknown role is written.
func bindRole(env *Env, r *Role) {
	if spec, ok := env.Registry.Role(r.Name); ok {
		r.Spec = spec
		if spec.Check != nil {
			if err := spec.Check(r); err != nil {
				env.Diags.Add(diag.Diagnostic{Pos: env.Src.Pos(r.Pos()), Via: env.Src.Via, Severity: diag.Error,
					Code: "myst.role", Message: "{" + r.Name + "}: " + err.Error()})
			}
		}
		return
	}
	env.Diags.Add(diag.Diagnostic{Pos: env.Src.Pos(r.Pos()), Via: env.Src.Via, Severity: diag.Warning,
		Code: "myst.role_unknown", Message: "unknown role " + quote(r.Name)})
}

// roleRefs asks the site to resolve a cross-reference role; the link text
// is the explicit title, else the target's title, else the target.
func roleRefs(n ast.Node, r Referrer) {
	ro := n.(*Role)
	if ro.Spec != nil && ro.Spec.Refs != nil {
		ro.Spec.Refs(ro, r)
		return
	}
	if ro.Spec == nil || !ro.Spec.XRef {
		return
	}
	r.Ref(ro.Name, ro.Target, r.Pos(), func(url, title string, ok bool) {
		ro.Label = ro.Title
		if ok {
			ro.URL, ro.Resolved = url, true
			if ro.Label == "" {
				ro.Label = title
			}
		}
		if ro.Label == "" {
			ro.Label = ro.Target
		}
	})
}

// numrefRefs resolves {numref} as {ref}; without figure numbering, the
// number placeholders of an explicit text show the target's title.
func numrefRefs(ro *Role, r Referrer) {
	r.Ref("ref", ro.Target, r.Pos(), func(url, title string, ok bool) {
		ro.URL, ro.Resolved = url, ok
		ro.Label = cmp.Or(title, ro.Target)
		if ro.Title != "" {
			ro.Label = strings.NewReplacer("%s", ro.Label, "{number}", ro.Label, "{name}", ro.Label).Replace(ro.Title)
		}
	})
}

// roleUses declares the browser asset a role's spec needs.
func roleUses(n ast.Node, c Collector) {
	if ro := n.(*Role); ro.Spec != nil && ro.Spec.Uses != "" {
		c.Uses(ro.Spec.Uses)
	}
}

func renderRole(w util.BufWriter, n ast.Node, entering bool, _ RenderContext) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	ro := n.(*Role)
	if ro.Spec == nil || ro.Spec.Render == nil {
		fmt.Fprintf(w, `<code class="docutils literal notranslate unknown-role">%s</code>`, html.EscapeString(ro.Content))
		return ast.WalkSkipChildren, nil
	}
	ro.Spec.Render(w, ro)
	return ast.WalkSkipChildren, nil
}

func renderXRef(w util.BufWriter, ro *Role) {
	esc := html.EscapeString
	text := ro.Label
	if text == "" {
		text = ro.Content
	}
	switch {
	case !ro.Resolved:
		fmt.Fprintf(w, `<span class="xref std std-%s missing">%s</span>`, ro.Name, esc(text))
	case ro.Name == "download":
		fmt.Fprintf(w, `<a class="reference download internal" download="" href="%s"><code class="xref download docutils literal notranslate"><span class="pre">%s</span></code></a>`, esc(ro.URL), esc(text))
	default:
		fmt.Fprintf(w, `<a class="reference internal" href="%s"><span class="std std-%s">%s</span></a>`, esc(ro.URL), ro.Name, esc(text))
	}
}

func renderKbd(w util.BufWriter, ro *Role) {
	esc := html.EscapeString
	if keys := strings.Fields(ro.Content); len(keys) == 1 {
		fmt.Fprintf(w, `<kbd class="kbd docutils literal notranslate">%s</kbd>`, esc(ro.Content))
		return
	}
	w.WriteString(`<kbd class="kbd compound docutils literal notranslate">`)
	for i, k := range strings.FieldsFunc(ro.Content, func(r rune) bool { return r == ' ' }) {
		if i > 0 {
			w.WriteString(" ")
		}
		for j, part := range strings.Split(k, "+") {
			if j > 0 {
				w.WriteString("+")
			}
			fmt.Fprintf(w, `<kbd class="kbd docutils literal notranslate">%s</kbd>`, esc(part))
		}
	}
	w.WriteString("</kbd>")
}

func renderAbbr(w util.BufWriter, ro *Role) {
	if m := splitAbbr(ro.Content); m[1] != "" {
		fmt.Fprintf(w, `<abbr title="%s">%s</abbr>`, html.EscapeString(m[1]), html.EscapeString(m[0]))
	} else {
		fmt.Fprintf(w, `<abbr>%s</abbr>`, html.EscapeString(ro.Content))
	}
}

// splitAbbr splits "DNS (Domain Name System)" into the abbreviation and its expansion.
func splitAbbr(s string) [2]string {
	s = strings.TrimSpace(s)
	if strings.HasSuffix(s, ")") {
		if i := strings.LastIndex(s, " ("); i > 0 {
			return [2]string{s[:i], s[i+2 : len(s)-1]}
		}
	}
	return [2]string{s, ""}
}

func renderTag(tag string) func(util.BufWriter, *Role) {
	return func(w util.BufWriter, ro *Role) {
		fmt.Fprintf(w, "<%s>%s</%s>", tag, html.EscapeString(ro.Content), tag)
	}
}

func renderGUILabel(w util.BufWriter, ro *Role) {
	fmt.Fprintf(w, `<span class="guilabel">%s</span>`, html.EscapeString(strings.ReplaceAll(ro.Content, "&", "")))
}

func renderMenuSelection(w util.BufWriter, ro *Role) {
	fmt.Fprintf(w, `<span class="menuselection">%s</span>`, html.EscapeString(strings.ReplaceAll(ro.Content, "-->", "‣")))
}

// renderLiteralRole renders code-like roles as a literal with the role's class.
func renderLiteralRole(w util.BufWriter, ro *Role) {
	fmt.Fprintf(w, `<code class="docutils literal notranslate %s"><span class="pre">%s</span></code>`, ro.Name, html.EscapeString(ro.Content))
}
