package directives

import (
	"bytes"
	"regexp"
	"strings"

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

var explicitTitleRe = regexp.MustCompile(`^(?s)(.+?)\s*<(.*?)>$`)

// SplitTitle splits "title <target>" as Sphinx's explicit-title roles do.
func SplitTitle(s string) (title, target string) {
	if m := explicitTitleRe.FindStringSubmatch(s); m != nil {
		return m[1], m[2]
	}
	return "", s
}
