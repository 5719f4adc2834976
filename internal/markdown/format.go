package markdown

import (
	"strings"
	"sync"

	"github.com/alecthomas/chroma/v2"
)

// appendPlain appends a block's tokens as the highlighter's plain formatter
// (chroma's HTML formatter with classes, no line numbers, no highlighted
// lines, preWrapper) writes them, byte for byte: a line at a time, each in
// <span class="line"><span class="cl">…</span></span>, each token escaped
// as html.EscapeString does and, when its type has a class, in a span of
// that class. chroma's formatter builds each token's HTML with fmt and
// splits the tokens into lines in a slice of slices first: a tenth of a
// large build's CPU. TestPlainAsChroma and FuzzPlain compare
// the two.
func appendPlain(b []byte, it chroma.Iterator) []byte {
	b = append(b, `<pre class="chroma"><code>`...)
	classes := formatClasses()
	// A line is opened by its first token. The last line is dropped when it
	// holds one empty token (chroma strips an "empty trailing token line"),
	// so a line that starts with an empty token waits for a second.
	open, pending := false, false
	var pendingType chroma.TokenType
	startLine := func() {
		b = append(b, classes.lineStart...)
		open = true
	}
	endLine := func() {
		b = append(b, "</span></span>"...)
		open = false
	}
	flushPending := func() {
		if pending {
			startLine()
			b = appendToken(b, pendingType, "")
			pending = false
		}
	}
	for t := it(); t != chroma.EOF; t = it() {
		v := t.Value
		for {
			i := strings.IndexByte(v, '\n')
			if i < 0 {
				break
			}
			flushPending()
			if !open {
				startLine()
			}
			b = appendToken(b, t.Type, v[:i+1])
			endLine()
			if v = v[i+1:]; v == "" {
				break
			}
		}
		if v == "" && strings.IndexByte(t.Value, '\n') >= 0 {
			continue // the tail of a token cut at its last newline
		}
		if !open && !pending && v == "" {
			pending, pendingType = true, t.Type
			continue
		}
		flushPending()
		if !open {
			startLine()
		}
		b = appendToken(b, t.Type, v)
	}
	// A pending line at the end holds one empty token: dropped.
	if open {
		endLine()
	}
	return append(b, "</code></pre>"...)
}

// appendToken appends a token's HTML: its value escaped, in a span of its
// type's class if it has one.
func appendToken(b []byte, tt chroma.TokenType, v string) []byte {
	cls := tokenClass(tt)
	if cls != "" {
		b = append(b, `<span class="`...)
		b = append(b, cls...)
		b = append(b, `">`...)
	}
	b = appendEscaped(b, v)
	if cls != "" {
		b = append(b, "</span>"...)
	}
	return b
}

// appendEscaped appends s escaped as html.EscapeString escapes it.
func appendEscaped(b []byte, s string) []byte {
	last := 0
	for i := 0; i < len(s); i++ {
		var esc string
		switch s[i] {
		case '&':
			esc = "&amp;"
		case '\'':
			esc = "&#39;"
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case '"':
			esc = "&#34;"
		default:
			continue
		}
		b = append(b, s[last:i]...)
		b = append(b, esc...)
		last = i + 1
	}
	return append(b, s[last:]...)
}

// tokenClass is a token type's CSS class as chroma's formatter finds it:
// the type's own standard class, else its parent's, and so on ("" for
// none). Lexers emit standard types: their classes are worked out once.
func tokenClass(tt chroma.TokenType) string {
	if cls, ok := standardClasses()[tt]; ok {
		return cls
	}
	return classOf(tt)
}

func classOf(tt chroma.TokenType) string {
	for t := tt; t != 0; t = t.Parent() {
		if cls, ok := chroma.StandardTypes[t]; ok {
			return cls
		}
	}
	return chroma.StandardTypes[0]
}

var standardClasses = sync.OnceValue(func() map[chroma.TokenType]string {
	m := make(map[chroma.TokenType]string, len(chroma.StandardTypes))
	for tt := range chroma.StandardTypes {
		m[tt] = classOf(tt)
	}
	return m
})

type plainClasses struct{ lineStart string }

// formatClasses are the line spans' opening tags, from chroma's classes.
var formatClasses = sync.OnceValue(func() plainClasses {
	return plainClasses{lineStart: `<span class="` + tokenClass(chroma.Line) + `"><span class="` + tokenClass(chroma.CodeLine) + `">`}
})
