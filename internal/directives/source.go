package directives

import (
	"bytes"
	"sort"

	"github.com/docsgen/docsgen/internal/diag"
	"github.com/yuin/goldmark/text"
)

// Source is a buffer of Markdown together with the map from its bytes back
// to the file positions they came from. A page is one Source; a directive
// body or an included file is another, so every diagnostic, however deeply
// nested, points at the line the author wrote.
type Source struct {
	File string
	Text []byte
	// Via is the include chain that led here, innermost first.
	Via []diag.Pos

	lineStarts []int // offset of each line in Text
	// origins is where each line starts in File; nil when Text is the
	// whole of File (line i is line i+1, from its first column), as a
	// page is: that map is not worth a slice per page.
	origins []diag.Pos
}

// NewSource maps text that is the whole of file.
func NewSource(file string, txt []byte) *Source {
	return &Source{File: file, Text: txt, lineStarts: lineStarts(txt)}
}

// origin is where 0-based line i (in range) starts in File.
func (s *Source) origin(i int) diag.Pos {
	if s.origins == nil {
		return diag.Pos{File: s.File, Line: i + 1, Col: 1}
	}
	return s.origins[i]
}

// ownOrigins gives s a map of its own, to be changed line by line.
func (s *Source) ownOrigins() []diag.Pos {
	if s.origins == nil {
		s.origins = make([]diag.Pos, len(s.lineStarts))
		for i := range s.origins {
			s.origins[i] = diag.Pos{File: s.File, Line: i + 1, Col: 1}
		}
	}
	return s.origins
}

func lineStarts(txt []byte) []int {
	starts := make([]int, 1, bytes.Count(txt, []byte{'\n'})+1)
	for i := 0; ; {
		nl := bytes.IndexByte(txt[i:], '\n')
		if nl < 0 || i+nl+1 == len(txt) {
			return starts
		}
		i += nl + 1
		starts = append(starts, i)
	}
}

// Pos returns the file position of byte offset off.
func (s *Source) Pos(off int) diag.Pos {
	if s == nil {
		return diag.Pos{}
	}
	off = max(0, min(off, len(s.Text)))
	i := sort.Search(len(s.lineStarts), func(i int) bool { return s.lineStarts[i] > off }) - 1
	i = max(i, 0)
	p := s.origin(i)
	// Columns count runes, as editors do.
	p.Col += runeCount(s.Text[s.lineStarts[i]:off])
	return p
}

// LinePos returns the file position of the start of 0-based line i.
func (s *Source) LinePos(i int) diag.Pos {
	if len(s.lineStarts) == 0 {
		return diag.Pos{File: s.File, Line: 1, Col: 1}
	}
	return s.origin(max(0, min(i, len(s.lineStarts)-1)))
}

func runeCount(b []byte) int {
	n := 0
	for _, c := range b {
		if c&0xC0 != 0x80 {
			n++
		}
	}
	return n
}

// Sub builds a Source from the given segments of s (one per line, as goldmark
// stores block lines). Padding (tab expansion) is kept as spaces.
func (s *Source) Sub(lines []text.Segment) *Source {
	sub := &Source{File: s.File, Via: s.Via}
	for _, seg := range lines {
		sub.lineStarts = append(sub.lineStarts, len(sub.Text))
		origin := s.Pos(seg.Start)
		origin.Col -= seg.Padding
		sub.origins = append(sub.origins, origin)
		sub.Text = append(sub.Text, seg.Value(s.Text)...)
		if len(sub.Text) == 0 || sub.Text[len(sub.Text)-1] != '\n' {
			sub.Text = append(sub.Text, '\n')
		}
	}
	if len(sub.lineStarts) == 0 {
		sub.lineStarts = []int{0}
		sub.origins = []diag.Pos{s.Pos(0)}
	}
	return sub
}

// Lines returns the text of each line of s, without line endings.
func (s *Source) Lines() []string {
	out := make([]string, 0, len(s.lineStarts))
	for i, start := range s.lineStarts {
		end := len(s.Text)
		if i+1 < len(s.lineStarts) {
			end = s.lineStarts[i+1]
		}
		line := s.Text[start:end]
		for len(line) > 0 && (line[len(line)-1] == '\n' || line[len(line)-1] == '\r') {
			line = line[:len(line)-1]
		}
		out = append(out, string(line))
	}
	if len(s.Text) == 0 {
		return nil
	}
	return out
}

// Slice returns a Source holding lines [from, to) of s, positions kept.
func (s *Source) Slice(from, to int) *Source {
	from = max(0, min(from, len(s.lineStarts)))
	to = max(from, min(to, len(s.lineStarts)))
	sub := &Source{File: s.File, Via: s.Via}
	if from == to {
		sub.lineStarts = []int{0}
		sub.origins = []diag.Pos{s.LinePos(from)}
		return sub
	}
	start := s.lineStarts[from]
	end := len(s.Text)
	if to < len(s.lineStarts) {
		end = s.lineStarts[to]
	}
	sub.Text = s.Text[start:end:end]
	for i := from; i < to; i++ {
		sub.lineStarts = append(sub.lineStarts, s.lineStarts[i]-start)
		sub.origins = append(sub.origins, s.origin(i))
	}
	return sub
}

// Span picks part of one line of a Source: the line's text from byte Skip on.
type Span struct {
	Line int
	Skip int
}

// Pick builds a Source from parts of lines of s (a dedented definition, say).
func (s *Source) Pick(spans []Span) *Source {
	lines := s.Lines()
	out := &Source{File: s.File, Via: s.Via}
	for _, sp := range spans {
		l := lines[sp.Line]
		skip := min(sp.Skip, len(l))
		out.lineStarts = append(out.lineStarts, len(out.Text))
		origin := s.LinePos(sp.Line)
		origin.Col += runeCount([]byte(l[:skip]))
		out.origins = append(out.origins, origin)
		out.Text = append(append(out.Text, l[skip:]...), '\n')
	}
	if len(out.lineStarts) == 0 {
		out.lineStarts = []int{0}
		out.origins = []diag.Pos{s.LinePos(0)}
	}
	return out
}

// Cut returns the bytes [from, to) of s as a Source, positions kept.
func (s *Source) Cut(from, to int) *Source {
	from = max(0, min(from, len(s.Text)))
	to = max(from, min(to, len(s.Text)))
	out := &Source{File: s.File, Via: s.Via, Text: s.Text[from:to:to]}
	out.lineStarts = []int{0}
	out.origins = []diag.Pos{s.Pos(from)}
	for i := from; i < to; i++ {
		if s.Text[i] == '\n' && i+1 < to {
			out.lineStarts = append(out.lineStarts, i+1-from)
			out.origins = append(out.origins, s.Pos(i+1))
		}
	}
	return out
}

// GeneratedSource is Markdown a directive generated: every line maps to the
// directive's own position, so diagnostics point at the directive.
func GeneratedSource(at diag.Pos, text string) *Source {
	s := NewSource(at.File, []byte(text))
	for i := range s.ownOrigins() {
		s.origins[i] = at
	}
	return s
}
