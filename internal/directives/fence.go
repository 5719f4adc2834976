package directives

import (
	"bytes"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// KindRawDirective is a directive fence as parsed, before its Spec ran.
var KindRawDirective = ast.NewNodeKind("RawDirective")

// RawDirective is a MyST directive fence: ```{name} arg, ~~~{name} arg or
// :::{name} arg. Its lines are kept raw; the expansion step parses options
// and, where the directive takes content, parses the body as Markdown.
// A colon fence without braces (:::name) is a container: Name is empty and
// Arg holds its classes.
type RawDirective struct {
	ast.BaseBlock
	Name      string
	Arg       string
	ArgOffset int // byte offset of Arg in the source, for positions
	FenceChar byte
	FenceLen  int
	indent    int
	Closed    bool
}

func (n *RawDirective) Kind() ast.NodeKind { return KindRawDirective }

func (n *RawDirective) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"Name": n.Name, "Arg": n.Arg}, nil)
}

// fenceParser opens directive fences. It runs before goldmark's fenced code
// parser and leaves every fence that is not a directive to it.
type fenceParser struct{}

func (fenceParser) Trigger() []byte { return []byte{'`', '~', ':'} }

func (fenceParser) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	line, segment := reader.PeekLine()
	pos := pc.BlockOffset()
	if pos < 0 || pos >= len(line) {
		return nil, parser.NoChildren
	}
	char := line[pos]
	i := pos
	for i < len(line) && line[i] == char {
		i++
	}
	if i-pos < 3 {
		return nil, parser.NoChildren
	}
	rest := line[i:]
	left := util.TrimLeftSpaceLength(rest)
	info := bytes.TrimSpace(rest)
	infoOffset := segment.Start - segment.Padding + i + left
	if char == '`' && bytes.IndexByte(info, '`') >= 0 {
		return nil, parser.NoChildren
	}
	n := &RawDirective{FenceChar: char, FenceLen: i - pos, indent: pos}
	name, arg, argOff, ok := splitInfo(info)
	switch {
	case ok:
		n.Name, n.Arg, n.ArgOffset = name, arg, infoOffset+argOff
	case char == ':':
		// A bare colon fence is a container; its info names its classes.
		n.Arg, n.ArgOffset = string(info), infoOffset
	default:
		return nil, parser.NoChildren
	}
	reader.AdvanceToEOL()
	return n, parser.NoChildren
}

// splitInfo splits "{name} rest" into the name and the argument text.
func splitInfo(info []byte) (name, arg string, argOff int, ok bool) {
	if len(info) < 3 || info[0] != '{' {
		return "", "", 0, false
	}
	end := bytes.IndexByte(info, '}')
	if end < 2 {
		return "", "", 0, false
	}
	// The name token must end right at the brace: "{note}x" is not a directive.
	if end+1 < len(info) && !util.IsSpace(info[end+1]) {
		return "", "", 0, false
	}
	name = string(info[1:end])
	for _, c := range []byte(name) {
		if util.IsSpace(c) {
			return "", "", 0, false
		}
	}
	rest := info[end+1:]
	left := util.TrimLeftSpaceLength(rest)
	return name, string(bytes.TrimSpace(rest)), end + 1 + left, true
}

func (fenceParser) Continue(node ast.Node, reader text.Reader, pc parser.Context) parser.State {
	n := node.(*RawDirective)
	line, segment := reader.PeekLine()
	w, pos := util.IndentWidth(line, reader.LineOffset())
	if w < 4 {
		i := pos
		for i < len(line) && line[i] == n.FenceChar {
			i++
		}
		if i-pos >= n.FenceLen && util.IsBlank(line[i:]) {
			n.Closed = true
			reader.AdvanceToEOL()
			return parser.Close
		}
	}
	// Body lines lose up to the opening fence's indentation, as fenced code does.
	pos, padding := util.IndentPositionPadding(line, reader.LineOffset(), segment.Padding, n.indent)
	if pos < 0 {
		pos = max(0, util.FirstNonSpacePosition(line)) - segment.Padding
		padding = 0
	}
	seg := text.NewSegmentPadding(segment.Start+pos, segment.Stop, padding)
	seg.ForceNewline = true
	n.Lines().Append(seg)
	reader.AdvanceToEOL()
	return parser.Continue | parser.NoChildren
}

func (fenceParser) Close(ast.Node, text.Reader, parser.Context) {}

func (fenceParser) CanInterruptParagraph() bool { return true }

func (fenceParser) CanAcceptIndentedLine() bool { return false }
