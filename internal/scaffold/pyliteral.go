package scaffold

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Assignment is one top-level `name = value` statement of a Python file.
// Value is the literal's Go value (string, int64, float64, bool, nil,
// []any for lists and tuples, *Dict for dicts) when OK; otherwise Reason
// says why it is not a literal docsgen can read without running Python.
type Assignment struct {
	Name   string
	Line   int
	Value  any
	OK     bool
	Reason string
}

// Dict is a Python dict literal with its keys in source order.
type Dict struct {
	Keys   []string
	Values map[string]any
}

// ParseAssignments reads the top-level assignments of a Python file
// without running it: strings (with adjacent ones joined), numbers,
// True/False/None, and lists, tuples, sets and dicts of those are values;
// anything else (a call, a name, an f-string, arithmetic) is reported as
// not a literal. Imports, blocks and expressions are skipped. A later
// assignment to a name replaces an earlier one, as running the file would.
// It returns an error only for text it cannot split into lines of tokens
// (an unterminated string or bracket).
func ParseAssignments(src string) ([]Assignment, error) {
	toks, err := tokenize(src)
	if err != nil {
		return nil, err
	}
	var out []Assignment
	for _, line := range logicalLines(toks) {
		if len(line) < 3 || line[0].kind != tName || line[0].col != 0 || line[1].text != "=" || isKeyword(line[0].text) {
			continue
		}
		a := Assignment{Name: line[0].text, Line: line[0].line}
		p := &literalParser{toks: line[2:]}
		v, err := p.expr()
		if err == nil && p.pos < len(p.toks) {
			err = fmt.Errorf("%s after the value", describe(p.toks[p.pos]))
		}
		if err != nil {
			a.Reason = err.Error()
		} else {
			a.Value, a.OK = v, true
		}
		if i := indexAssignment(out, a.Name); i >= 0 {
			out = append(out[:i], out[i+1:]...)
		}
		out = append(out, a)
	}
	return out, nil
}

func indexAssignment(as []Assignment, name string) int {
	for i, a := range as {
		if a.Name == name {
			return i
		}
	}
	return -1
}

var pyKeywords = map[string]bool{"import": true, "from": true, "if": true, "elif": true, "else": true, "for": true, "while": true,
	"def": true, "class": true, "try": true, "except": true, "finally": true, "with": true, "return": true, "del": true,
	"pass": true, "global": true, "assert": true, "raise": true, "lambda": true, "not": true, "and": true, "or": true, "in": true, "is": true}

func isKeyword(s string) bool { return pyKeywords[s] }

type tokKind int

const (
	tName tokKind = iota
	tNumber
	tString
	tOp
	tNewline
)

type token struct {
	kind      tokKind
	text      string // a string token's decoded value; otherwise the source text
	prefix    string // a string's prefix letters, lowercased (r, b, f, u)
	line, col int
}

func describe(t token) string {
	switch t.kind {
	case tName:
		return fmt.Sprintf("the name %s", t.text)
	case tString:
		return "a string"
	case tNewline:
		return "the end of the line"
	}
	return fmt.Sprintf("%q", t.text)
}

// tokenize splits Python source into the tokens the literal parser needs.
// Newlines inside brackets, after a backslash and inside triple-quoted
// strings do not end a line, as in Python.
func tokenize(src string) ([]token, error) {
	var toks []token
	var open []int // the lines of the brackets still open
	line, col := 1, 0
	i := 0
	advance := func(n int) {
		for _, r := range src[i : i+n] {
			if r == '\n' {
				line++
				col = 0
			} else {
				col++
			}
		}
		i += n
	}
	for i < len(src) {
		c := src[i]
		switch {
		case c == '#':
			for i < len(src) && src[i] != '\n' {
				i++
			}
		case c == '\\' && i+1 < len(src) && (src[i+1] == '\n' || src[i+1] == '\r'):
			advance(1)
			if src[i] == '\r' && i+1 < len(src) && src[i+1] == '\n' {
				i++
			}
			advance(1)
		case c == '\n':
			if len(open) == 0 {
				toks = append(toks, token{kind: tNewline, line: line, col: col})
			}
			advance(1)
		case c == ' ' || c == '\t' || c == '\r' || c == '\f':
			advance(1)
		case isStringStart(src[i:]):
			t, n, err := readString(src[i:])
			if err != nil {
				return nil, fmt.Errorf("line %d: %v", line, err)
			}
			t.line, t.col = line, col
			toks = append(toks, t)
			advance(n)
		case c >= '0' && c <= '9' || c == '.' && i+1 < len(src) && src[i+1] >= '0' && src[i+1] <= '9':
			j := i
			for j < len(src) && (isIdentByte(src[j]) || src[j] == '.' || (src[j] == '+' || src[j] == '-') && (src[j-1] == 'e' || src[j-1] == 'E') && !strings.HasPrefix(strings.ToLower(src[i:j]), "0x")) {
				j++
			}
			toks = append(toks, token{kind: tNumber, text: src[i:j], line: line, col: col})
			advance(j - i)
		case isIdentStart(src[i:]):
			j := i
			for j < len(src) {
				r, n := utf8.DecodeRuneInString(src[j:])
				if r != '_' && !unicode.IsLetter(r) && !unicode.IsDigit(r) {
					break
				}
				j += n
			}
			toks = append(toks, token{kind: tName, text: src[i:j], line: line, col: col})
			advance(j - i)
		default:
			op := src[i : i+1]
			for _, two := range []string{"==", "!=", "<=", ">=", "**", "//", "+=", "-=", "*=", "/=", "|=", "->", ":="} {
				if strings.HasPrefix(src[i:], two) {
					op = two
					break
				}
			}
			switch op {
			case "(", "[", "{":
				open = append(open, line)
			case ")", "]", "}":
				if len(open) > 0 {
					open = open[:len(open)-1]
				}
			}
			toks = append(toks, token{kind: tOp, text: op, line: line, col: col})
			advance(len(op))
		}
	}
	if len(open) > 0 {
		return nil, fmt.Errorf("line %d: a bracket is never closed", open[len(open)-1])
	}
	return append(toks, token{kind: tNewline, line: line, col: col}), nil
}

func isIdentByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func isIdentStart(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return r == '_' || unicode.IsLetter(r)
}

// isStringStart reports a string literal, with or without a prefix
// (r, b, u, f and their pairs, any case).
func isStringStart(s string) bool {
	for n := 0; n <= 2 && n < len(s); n++ {
		if s[n] == '\'' || s[n] == '"' {
			return n == 0 || strings.Trim(strings.ToLower(s[:n]), "rbuf") == ""
		}
		if !strings.ContainsRune("rRbBuUfF", rune(s[n])) {
			return false
		}
	}
	return false
}

// readString reads one string literal at the start of s and returns it
// decoded, with the number of bytes it took.
func readString(s string) (token, int, error) {
	n := 0
	for s[n] != '\'' && s[n] != '"' {
		n++
	}
	prefix := strings.ToLower(s[:n])
	quote := s[n : n+1]
	if strings.HasPrefix(s[n:], quote+quote+quote) {
		quote = quote + quote + quote
	}
	start := n + len(quote)
	j := start
	for {
		if j >= len(s) || len(quote) == 1 && s[j] == '\n' {
			return token{}, 0, fmt.Errorf("a string is never closed")
		}
		if s[j] == '\\' {
			j += 2
			continue
		}
		if strings.HasPrefix(s[j:], quote) {
			break
		}
		j++
	}
	body := s[start:j]
	t := token{kind: tString, prefix: prefix, text: body}
	if !strings.Contains(prefix, "r") {
		t.text = unescape(body)
	}
	return t, j + len(quote), nil
}

// unescape decodes Python's backslash escapes; one it does not know stays
// as written, as Python keeps it.
func unescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 == len(s) {
			b.WriteByte(s[i])
			continue
		}
		i++
		switch c := s[i]; c {
		case '\n':
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		case '\\', '\'', '"':
			b.WriteByte(c)
		case 'u', 'U', 'x':
			size := map[byte]int{'x': 2, 'u': 4, 'U': 8}[c]
			if i+size < len(s) {
				if r, err := strconv.ParseUint(s[i+1:i+1+size], 16, 32); err == nil {
					b.WriteRune(rune(r))
					i += size
					continue
				}
			}
			b.WriteByte('\\')
			b.WriteByte(c)
		default:
			b.WriteByte('\\')
			b.WriteByte(c)
		}
	}
	return b.String()
}

// logicalLines splits tokens at the newlines that end statements.
func logicalLines(toks []token) [][]token {
	var out [][]token
	start := 0
	for i, t := range toks {
		if t.kind == tNewline {
			if i > start {
				out = append(out, toks[start:i])
			}
			start = i + 1
		}
	}
	return out
}

// literalParser reads one literal expression from a statement's tokens.
type literalParser struct {
	toks  []token
	pos   int
	depth int
}

// maxDepth bounds nesting, so a hostile conf.py cannot exhaust the stack.
const maxDepth = 100

func (p *literalParser) peek() (token, bool) {
	if p.pos >= len(p.toks) {
		return token{kind: tNewline}, false
	}
	return p.toks[p.pos], true
}

// expr reads a value; a bare comma-separated sequence is a tuple, as in
// `x = 1, 2`.
func (p *literalParser) expr() (any, error) {
	v, err := p.atom()
	if err != nil {
		return nil, err
	}
	if t, ok := p.peek(); !ok || t.text != "," || t.kind != tOp {
		return v, nil
	}
	items := []any{v}
	for {
		if t, ok := p.peek(); !ok || t.text != "," {
			return items, nil
		}
		p.pos++
		if _, ok := p.peek(); !ok {
			return items, nil
		}
		v, err := p.atom()
		if err != nil {
			return nil, err
		}
		items = append(items, v)
	}
}

func (p *literalParser) atom() (any, error) {
	t, ok := p.peek()
	if !ok {
		return nil, fmt.Errorf("no value")
	}
	p.pos++
	switch t.kind {
	case tString:
		if strings.Contains(t.prefix, "f") {
			return nil, fmt.Errorf("an f-string is computed when Python runs")
		}
		if strings.Contains(t.prefix, "b") {
			return nil, fmt.Errorf("a bytes value is not text")
		}
		s := t.text
		for {
			next, ok := p.peek()
			if !ok || next.kind != tString {
				return s, nil
			}
			if strings.ContainsAny(next.prefix, "fb") {
				return nil, fmt.Errorf("an f-string is computed when Python runs")
			}
			s += next.text
			p.pos++
		}
	case tNumber:
		return parseNumber(t.text)
	case tName:
		switch t.text {
		case "True":
			return true, nil
		case "False":
			return false, nil
		case "None":
			return nil, nil
		}
		if next, ok := p.peek(); ok && next.kind == tOp {
			switch next.text {
			case "(":
				return nil, fmt.Errorf("%s(…) is a call, computed when Python runs", t.text)
			case ".", "[":
				return nil, fmt.Errorf("%s%s… is computed when Python runs", t.text, next.text)
			}
		}
		return nil, fmt.Errorf("%s is a name, computed when Python runs", t.text)
	case tOp:
		switch t.text {
		case "-", "+":
			v, err := p.atom()
			if err != nil {
				return nil, err
			}
			switch n := v.(type) {
			case int64:
				if t.text == "-" {
					n = -n
				}
				return n, nil
			case float64:
				if t.text == "-" {
					n = -n
				}
				return n, nil
			}
			return nil, fmt.Errorf("%s before something that is not a number", t.text)
		case "(", "[", "{":
			if p.depth++; p.depth > maxDepth {
				return nil, fmt.Errorf("nested more than %d deep", maxDepth)
			}
			defer func() { p.depth-- }()
			if t.text == "{" {
				return p.dictOrSet()
			}
			return p.sequence(map[string]string{"(": ")", "[": "]"}[t.text])
		}
	}
	return nil, fmt.Errorf("%s is not part of a literal", describe(t))
}

// sequence reads the items of a list or tuple up to its closing bracket.
// A parenthesised single value without a comma is that value.
func (p *literalParser) sequence(closing string) (any, error) {
	items := []any{}
	comma := false
	for {
		t, ok := p.peek()
		if !ok {
			return nil, fmt.Errorf("%s is never closed", closing)
		}
		if t.text == closing && t.kind == tOp {
			p.pos++
			if closing == ")" && len(items) == 1 && !comma {
				return items[0], nil
			}
			return items, nil
		}
		v, err := p.atom()
		if err != nil {
			return nil, err
		}
		items = append(items, v)
		if err := p.separator(closing, &comma); err != nil {
			return nil, err
		}
	}
}

// separator consumes the comma after an item, or checks for the closing
// bracket.
func (p *literalParser) separator(closing string, comma *bool) error {
	t, ok := p.peek()
	switch {
	case ok && t.kind == tOp && t.text == ",":
		p.pos++
		*comma = true
		return nil
	case ok && t.kind == tOp && t.text == closing:
		return nil
	}
	if !ok {
		return fmt.Errorf("%s is never closed", closing)
	}
	return fmt.Errorf("%s is not part of a literal", describe(t))
}

func (p *literalParser) dictOrSet() (any, error) {
	d := &Dict{Values: map[string]any{}}
	var set []any
	comma := false
	for {
		t, ok := p.peek()
		if !ok {
			return nil, fmt.Errorf("} is never closed")
		}
		if t.kind == tOp && t.text == "}" {
			p.pos++
			if set != nil {
				return set, nil
			}
			return d, nil
		}
		if t.kind == tOp && t.text == "**" {
			return nil, fmt.Errorf("** unpacking is computed when Python runs")
		}
		k, err := p.atom()
		if err != nil {
			return nil, err
		}
		if next, ok := p.peek(); ok && next.kind == tOp && next.text == ":" && set == nil {
			p.pos++
			v, err := p.atom()
			if err != nil {
				return nil, err
			}
			key, ok := k.(string)
			if !ok {
				key = fmt.Sprint(k)
			}
			if _, dup := d.Values[key]; !dup {
				d.Keys = append(d.Keys, key)
			}
			d.Values[key] = v
		} else if len(d.Keys) == 0 {
			set = append(set, k)
		} else {
			return nil, fmt.Errorf("a dict entry without a value")
		}
		if err := p.separator("}", &comma); err != nil {
			return nil, err
		}
	}
}

func parseNumber(s string) (any, error) {
	clean := strings.ReplaceAll(s, "_", "")
	if n, err := strconv.ParseInt(clean, 0, 64); err == nil {
		return n, nil
	}
	if f, err := strconv.ParseFloat(clean, 64); err == nil && !strings.ContainsAny(clean, "xXoObB") {
		return f, nil
	}
	return nil, fmt.Errorf("%s is not a number docsgen reads", s)
}
