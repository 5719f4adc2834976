package directives

import (
	"bytes"
	"regexp"
	"strings"

	"github.com/docsgen/docsgen/internal/diag"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// targetParser reads "(label)=" lines.
type targetParser struct{}

func (targetParser) Trigger() []byte { return []byte{'('} }

func (targetParser) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	line, _ := reader.PeekLine()
	pos := pc.BlockOffset()
	if pos < 0 {
		return nil, parser.NoChildren
	}
	l := bytes.TrimSpace(line[pos:])
	if len(l) < 4 || l[0] != '(' || !bytes.HasSuffix(l, []byte(")=")) {
		return nil, parser.NoChildren
	}
	label := strings.TrimSpace(string(l[1 : len(l)-2]))
	if label == "" {
		return nil, parser.NoChildren
	}
	reader.AdvanceToEOL()
	return &Target{Label: NormalizeLabel(label), ID: MakeID(label)}, parser.NoChildren
}

func (targetParser) Continue(ast.Node, text.Reader, parser.Context) parser.State { return parser.Close }
func (targetParser) Close(ast.Node, text.Reader, parser.Context)                 {}
func (targetParser) CanInterruptParagraph() bool                                 { return true }
func (targetParser) CanAcceptIndentedLine() bool                                 { return false }

// NormalizeLabel is docutils' fully_normalize_name: lowercase, whitespace
// collapsed, so {ref} targets match case-insensitively.
func NormalizeLabel(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

// commentParser reads "% comment" lines; consecutive ones form one comment.
type commentParser struct{}

func (commentParser) Trigger() []byte { return []byte{'%'} }

func (commentParser) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	if pc.BlockOffset() < 0 {
		return nil, parser.NoChildren
	}
	reader.AdvanceToEOL()
	return &Comment{}, parser.NoChildren
}

func (commentParser) Continue(n ast.Node, reader text.Reader, pc parser.Context) parser.State {
	line, _ := reader.PeekLine()
	l := bytes.TrimLeft(line, " ")
	if len(line)-len(l) > 3 || len(l) == 0 || l[0] != '%' {
		return parser.Close
	}
	reader.AdvanceToEOL()
	return parser.Continue | parser.NoChildren
}

func (commentParser) Close(ast.Node, text.Reader, parser.Context) {}
func (commentParser) CanInterruptParagraph() bool                 { return true }
func (commentParser) CanAcceptIndentedLine() bool                 { return false }

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

var explicitTitleRe = regexp.MustCompile(`^(?s)(.+?)\s*<(.*?)>$`)

// SplitTitle splits "title <target>" as Sphinx's explicit-title roles do.
func SplitTitle(s string) (title, target string) {
	if m := explicitTitleRe.FindStringSubmatch(s); m != nil {
		return m[1], m[2]
	}
	return "", s
}

// Roles lists the inline roles docsgen knows, with what each does.
var Roles = map[string]string{
	"doc":           "link to a document; text = its title",
	"ref":           "link to a (label)= target or a :name:; text = the target's title",
	"term":          "link to a glossary term",
	"download":      "link to a file, copied into the site",
	"kbd":           "keyboard keys",
	"abbr":          "abbreviation with its explanation: {abbr}`DNS (Domain Name System)`",
	"code":          "inline code",
	"samp":          "inline code sample",
	"file":          "a file name",
	"command":       "a command name",
	"envvar":        "an environment variable name",
	"guilabel":      "a label in a user interface",
	"menuselection": "a menu path",
	"sub":           "subscript",
	"sup":           "superscript",
}

// checkRole warns about unknown roles where they are written.
func checkRole(env *Env, r *Role) {
	if _, ok := Roles[r.Name]; ok {
		return
	}
	env.Diags.Add(diag.Diagnostic{Pos: env.Src.Pos(r.Pos()), Via: env.Src.Via, Severity: diag.Warning,
		Code: "myst.role_unknown", Message: "unknown role " + quote(r.Name)})
}
