package markdown

import (
	"bytes"
	"regexp"
	"unicode"
	"unicode/utf8"

	"github.com/docsgen/docsgen/internal/directives"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// MyST's "dollarmath" extension, with MyST-Parser's rules (mdit-py-plugins'
// dollarmath plugin as MyST-Parser configures it):
//
//   - $…$ is inline math. A $ preceded by an odd number of backslashes is
//     not a delimiter; the closing $ is the first one that is not escaped;
//     empty math ($$ inline) is not math. With noSpace (myst_dmath_allow_space
//     = False) a space after the opening or before the closing $ makes it
//     text; with noDigits (myst_dmath_allow_digits = False) a digit before the
//     opening or after the closing $ does, so "$5 and $10" stays text.
//   - A line starting with $$ opens display math, ended by the first line
//     that ends with $$ (the same line, too); blank lines may occur inside.
//     "$$ (label)" instead of the closing "$$" names and numbers it (spaces
//     in the label become -). Without a closing line it is not math. It
//     does not interrupt a paragraph.
//
// Both make the Math nodes of the {math} directive.

type dollarInlineParser struct{ noSpace, noDigits bool }

func (dollarInlineParser) Trigger() []byte { return []byte{'$'} }

func (p dollarInlineParser) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	line, _ := block.PeekLine()
	if len(line) == 0 || line[0] != '$' {
		return nil
	}
	if p.noSpace && (len(line) < 2 || isMathSpace(line[1:])) {
		return nil
	}
	if p.noDigits && unicode.IsDigit(block.PrecendingCharacter()) {
		return nil
	}
	// goldmark never offers an escaped $ (\$) to an inline parser.
	l, start := block.Position()
	block.Advance(1)
	var tex []byte
	for {
		line, _ := block.PeekLine()
		if line == nil {
			block.SetPosition(l, start)
			return nil
		}
		end := unescapedDollar(line)
		if end < 0 {
			tex = append(tex, line...)
			block.AdvanceLine()
			continue
		}
		tex = append(tex, line[:end]...)
		if len(tex) == 0 ||
			p.noSpace && isMathSpaceBefore(tex) ||
			p.noDigits && end+1 < len(line) && isDigitAt(line[end+1:]) {
			block.SetPosition(l, start)
			return nil
		}
		block.Advance(end + 1)
		return directives.NewMathInline(string(tex))
	}
}

// unescapedDollar is the index of the first $ in line not preceded by an
// odd number of backslashes, or -1.
func unescapedDollar(line []byte) int {
	for i := 0; i < len(line); i++ {
		if line[i] != '$' {
			continue
		}
		n := 0
		for j := i - 1; j >= 0 && line[j] == '\\'; j-- {
			n++
		}
		if n%2 == 0 {
			return i
		}
	}
	return -1
}

// isMathSpace reports whether b starts with whitespace (markdown-it's
// isWhiteSpace: Unicode spaces and line breaks).
func isMathSpace(b []byte) bool {
	r, _ := utf8.DecodeRune(b)
	return unicode.IsSpace(r)
}

func isMathSpaceBefore(b []byte) bool {
	r, _ := utf8.DecodeLastRune(b)
	return unicode.IsSpace(r)
}

func isDigitAt(b []byte) bool {
	r, _ := utf8.DecodeRune(b)
	return unicode.IsDigit(r)
}

// dollarBlockParser reads $$ display math.
type dollarBlockParser struct{}

// mathLabelRe finds "$$ (label)" at the end of a line.
var mathLabelRe = regexp.MustCompile(`\$\$[ \t]*\(([^)$\r\n]+?)\)[ \t]*$`)

var spaceRunRe = regexp.MustCompile(`\s+`)

// mathDoneKey holds a block that ended on its opening line.
var mathDoneKey = parser.NewContextKey()

func (dollarBlockParser) Trigger() []byte { return []byte{'$'} }

func (dollarBlockParser) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	line, _ := reader.PeekLine()
	pos := pc.BlockOffset()
	if pos < 0 || !bytes.HasPrefix(line[pos:], []byte("$$")) {
		return nil, parser.NoChildren
	}
	m := directives.NewMath("", "", false)
	// The opening line may be the closing one too: $$x$$, $$x$$ (label).
	if len(bytes.TrimSpace(line[pos:])) > 3 && endMathLine(m, line[pos:], 2) {
		reader.AdvanceToEOL()
		// goldmark asks Continue about the next line even so.
		pc.Set(mathDoneKey, m)
		return m, parser.NoChildren
	}
	if !mathCloses(reader) {
		return nil, parser.NoChildren
	}
	m.TeX = string(line[pos+2:])
	reader.AdvanceToEOL()
	return m, parser.NoChildren
}

// endMathLine reads a line that may end the block, with "$$" or
// "$$ (label)": it adds the TeX from line[from:] up to the end to m.
func endMathLine(m *directives.Math, line []byte, from int) bool {
	line = bytes.TrimRight(line, "\r\n")
	end := -1
	if trimmed := bytes.TrimRight(line, " \t"); bytes.HasSuffix(trimmed, []byte("$$")) {
		end = len(trimmed) - 2
	} else if loc := mathLabelRe.FindSubmatchIndex(line); loc != nil {
		m.SetLabel(spaceRunRe.ReplaceAllString(string(line[loc[2]:loc[3]]), "-"))
		end = loc[0]
	} else {
		return false
	}
	if end > from {
		m.TeX += string(line[from:end])
	}
	return true
}

// mathCloses looks ahead for a line that ends the block: without one, $$
// does not start display math.
func mathCloses(reader text.Reader) bool {
	l, pos := reader.Position()
	defer reader.SetPosition(l, pos)
	for {
		reader.AdvanceLine()
		line, _ := reader.PeekLine()
		if line == nil {
			return false
		}
		line = bytes.TrimRight(line, " \t\r\n")
		if bytes.HasSuffix(line, []byte("$$")) || mathLabelRe.Match(line) {
			return true
		}
	}
}

func (dollarBlockParser) Continue(node ast.Node, reader text.Reader, pc parser.Context) parser.State {
	m := node.(*directives.Math)
	line, _ := reader.PeekLine()
	if line == nil || pc.Get(mathDoneKey) == node {
		return parser.Close
	}
	if endMathLine(m, line, 0) {
		reader.AdvanceToEOL()
		return parser.Close
	}
	m.TeX += string(line)
	reader.AdvanceToEOL()
	return parser.Continue | parser.NoChildren
}

func (dollarBlockParser) Close(ast.Node, text.Reader, parser.Context) {}
func (dollarBlockParser) CanInterruptParagraph() bool                 { return false }
func (dollarBlockParser) CanAcceptIndentedLine() bool                 { return false }

// mathParserOptions are the parser options of dollarmath, when it is on.
func mathParserOptions(f Features) []parser.Option {
	if !f.Dollarmath {
		return nil
	}
	return []parser.Option{
		parser.WithBlockParsers(util.Prioritized(dollarBlockParser{}, 640)),
		parser.WithInlineParsers(util.Prioritized(dollarInlineParser{noSpace: f.DollarmathNoSpace, noDigits: f.DollarmathNoDigits}, 90)),
	}
}
