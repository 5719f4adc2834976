package markdown

import (
	"bytes"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// A Check build never renders, so of a page's paragraphs it needs only
// those that can hold a reference. skimParagraphs replaces every other
// paragraph of the page's own text with a skimmedParagraph before inline
// parsing, which then passes it by. Most paragraphs of real docs are
// prose: on the bench corpus a check's first pass takes 0.11-0.13 ms a
// page instead of 0.19, and allocates 40 % less (BenchmarkCheckParse).
//
// A paragraph can matter to a check through its inline content only by a
// link, image, footnote or link-reference use ('['), an autolink or raw
// HTML ('<'), a role or a substitution ('{'), math ('$'), or a bare URL or
// e-mail address that linkify would find (mayLinkify). A table without
// any of these is skimmed too (before the table transformer sees it): its
// cells hold nothing a check keeps. Directive bodies and included files
// are parsed in full: their directives read paragraphs (a figure's
// caption, a card's title).
type skimParagraphs struct {
	// linkify is whether the parse has goldmark's linkify extension:
	// without it (or on a page where it could match nothing) a bare URL
	// is text.
	linkify bool
}

func (t skimParagraphs) Transform(node *ast.Paragraph, reader text.Reader, pc parser.Context) {
	lines := node.Lines()
	if lines.Len() == 0 {
		return
	}
	// The lines are one span of the text; in a list or a quote it holds
	// their indentation and '>' marks too, which only keeps more.
	if mayRefer(reader.Source()[lines.At(0).Start:lines.At(lines.Len()-1).Stop], t.linkify) {
		return
	}
	if mayBeClaimed(reader) {
		return
	}
	skimmed := &skimmedParagraph{}
	skimmed.SetLines(lines)
	skimmed.SetPos(node.Pos())
	skimmed.SetBlankPreviousLines(node.HasBlankPreviousLines())
	parent := node.Parent()
	parent.ReplaceChild(parent, node, skimmed)
}

// mayRefer reports whether text could hold a reference. Each byte is
// looked for on its own (bytes.IndexByte is vectorised): most of a page's
// bytes are its paragraphs', and a loop over them cost more than parsing
// them saved.
func mayRefer(text []byte, linkify bool) bool {
	for _, c := range []byte("[<{$") {
		if bytes.IndexByte(text, c) >= 0 {
			return true
		}
	}
	return linkify && mayLinkify(text)
}

// mayBeClaimed reports whether the block after the paragraph being closed
// could take the paragraph over, which it can only while it is still an
// *ast.Paragraph: a setext underline makes it a heading, a ':' line a
// definition list's term. The next non-blank line is looked at whatever
// container it is in (quote marks and indentation are passed over);
// a ':' first, or a line of '=' or of '-', is enough to keep the
// paragraph.
func mayBeClaimed(reader text.Reader) bool {
	line, seg := reader.PeekLine()
	if line == nil {
		return false // the end of the text
	}
	rest := reader.Source()[min(seg.Start, len(reader.Source())):]
	for len(rest) > 0 {
		line = rest
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			line, rest = rest[:i], rest[i+1:]
		} else {
			rest = nil
		}
		line = bytes.TrimLeft(line, " \t>\r")
		if len(line) == 0 {
			continue
		}
		switch line[0] {
		case ':':
			return true
		case '=', '-':
			return isSetextBar(line)
		}
		return false
	}
	return false
}

// isSetextBar reports whether a line (its indentation removed) is all '='
// or all '-', then blanks: a setext underline; "- item" is not one.
func isSetextBar(line []byte) bool {
	rest := bytes.TrimLeft(line, string(line[:1]))
	return len(bytes.TrimRight(rest, " \t\r")) == 0
}

// kindSkimmedParagraph is the kind of a paragraph a check passes by.
var kindSkimmedParagraph = ast.NewNodeKind("SkimmedParagraph")

// skimmedParagraph is a paragraph with its lines but no inline content
// (IsRaw), standing where the paragraph stood, so blocks around it keep
// their places: a target before it still names a paragraph, not the next
// heading.
type skimmedParagraph struct{ ast.BaseBlock }

func (n *skimmedParagraph) Kind() ast.NodeKind { return kindSkimmedParagraph }
func (n *skimmedParagraph) IsRaw() bool        { return true }
func (n *skimmedParagraph) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, nil, nil)
}
