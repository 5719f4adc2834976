package deployenv

import (
	"bytes"
	"errors"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/compose-spec/compose-go/v2/template"
)

// This file is compose-go's env file parser (dotenv/parser.go) and
// ${...} substitution (template/template.go), rewritten to run in linear
// time and within the budgets of limits.go; the results are the same
// (TestDotenvMatchesCompose, FuzzDotenv).
//
// compose-go's own versions are super-linear on some inputs: the parser
// skips each comment line by calling itself (50 MB of comment lines
// overflows the 1 GB goroutine stack and kills the process), and
// substitution handles the text after ${A:-x} with a fresh regexp scan of
// the rest of the line, nested once per default, so a line of n defaults
// takes n² time (28 KB: 9 s). Neither bounds what a ${X}${X} line builds.

// envSyntaxError is a line compose-go's parser rejects. It holds no text
// of the file.
type envSyntaxError struct {
	kind string // one of the errXxx below
	char rune   // the rejected character, for errBadChar
}

const (
	errUnterminated = "unterminated quoted value"
	errKeySpace     = "key cannot contain a space"
	errBadChar      = "unexpected character in variable name"
	errZeroLength   = "zero length string"
)

func (e *envSyntaxError) Error() string { return e.kind }

// envParser parses one env file into out.
type envParser struct {
	src    string
	out    map[string]string
	lookup func(string) (string, bool)
	sub    substituter
	b      *budget
	// stmt is the offset in src of the statement being parsed, and key
	// its variable, for errors.
	stmt int
	key  string
}

// parseDotenv parses data as compose-go's dotenv.ParseWithFormat(…, "")
// does, into vars. A ${VAR} is looked up with lookup first, then among the
// variables set above it. On error, it returns the offset of the statement
// that failed (after a leading byte order mark) and the variable it sets,
// if known.
func parseDotenv(data []byte, vars map[string]string, lookup func(string) (string, bool), b *budget) (stmt int, key string, err error) {
	src := string(bytes.TrimPrefix(data, []byte("\uFEFF")))
	if lookup == nil {
		lookup = func(string) (string, bool) { return "", false }
	}
	p := &envParser{src: src, out: vars, lookup: lookup, b: b}
	p.sub = substituter{b: b, lookup: func(k string) (string, bool) {
		if v, ok := lookup(k); ok {
			return v, true
		}
		v, ok := vars[k]
		return v, ok
	}}
	err = p.parse()
	return p.stmt, p.key, err
}

func (p *envParser) set(key, value string) error {
	if len(value) > maxValueSize {
		return valueTooLarge()
	}
	if p.b != nil {
		if p.b.variables++; p.b.variables > maxVariables {
			return &limitError{What: "the env files set more than " + strconv.Itoa(maxVariables) + " variables (counting each KEY=value line of each file read)",
				Hint: "an env file holds a few dozen settings: check that this is the right file (an env file listed by many services counts for each)"}
		}
	}
	p.out[key] = value
	return nil
}

func (p *envParser) parse() error {
	cutset := p.src
	for {
		cutset = statementStart(cutset)
		if cutset == "" {
			return nil
		}
		p.stmt, p.key = len(p.src)-len(cutset), ""
		key, left, inherited, err := locateKeyName(cutset)
		if err != nil {
			return err
		}
		if strings.Contains(key, " ") {
			return &envSyntaxError{kind: errKeySpace}
		}
		p.key = key
		if inherited {
			if value, ok := p.lookup(key); ok {
				if err := p.set(key, value); err != nil {
					return err
				}
			}
			cutset = left
			continue
		}
		value, left, err := p.extractVarValue(left)
		if err != nil {
			return err
		}
		if err := p.set(key, value); err != nil {
			return err
		}
		cutset = left
	}
}

// statementStart skips white space and comment lines (compose-go's
// getStatementStart, without the recursion).
func statementStart(src string) string {
	for {
		pos := nonSpace(src)
		if pos == -1 {
			return ""
		}
		src = src[pos:]
		if src[0] != '#' {
			return src
		}
		pos = strings.IndexByte(src, '\n')
		if pos == -1 {
			return ""
		}
		src = src[pos:]
	}
}

// nonSpace is strings.IndexFunc(src, not unicode.IsSpace), ASCII first.
func nonSpace(src string) int {
	for i := 0; i < len(src); i++ {
		switch c := src[i]; {
		case c == ' ' || c >= '\t' && c <= '\r':
		case c < utf8.RuneSelf:
			return i
		default:
			if j := strings.IndexFunc(src[i:], func(r rune) bool { return !unicode.IsSpace(r) }); j >= 0 {
				return i + j
			}
			return -1
		}
	}
	return -1
}

// hasExport is compose-go's exportRegex, ^export\s+ (\s is [\t\n\f\r ]).
func hasExport(src string) bool {
	return strings.HasPrefix(src, "export") && len(src) > 6 && strings.IndexByte("\t\n\f\r ", src[6]) >= 0
}

func locateKeyName(src string) (key, cutset string, inherited bool, err error) {
	if hasExport(src) {
		src = strings.TrimLeftFunc(strings.TrimPrefix(src, "export"), isDotenvSpace)
	}
	offset := 0
loop:
	for i, r := range src {
		if isDotenvSpace(r) {
			continue
		}
		switch r {
		case '=', ':', '\n':
			key = src[0:i]
			offset = i + 1
			inherited = r == '\n'
			break loop
		case '_', '.', '-', '[', ']':
		default:
			if unicode.IsLetter(r) || unicode.IsNumber(r) {
				continue
			}
			return "", "", false, &envSyntaxError{kind: errBadChar, char: r}
		}
	}
	if src == "" {
		return "", "", false, &envSyntaxError{kind: errZeroLength}
	}
	key = strings.TrimRightFunc(key, unicode.IsSpace)
	return key, strings.TrimLeftFunc(src[offset:], isDotenvSpace), inherited, nil
}

func (p *envParser) extractVarValue(src string) (value, rest string, err error) {
	quote, quoted := byte(0), false
	if src != "" && (src[0] == '"' || src[0] == '\'') {
		quote, quoted = src[0], true
	}
	if !quoted {
		value, rest, _ := strings.Cut(src, "\n")
		value, _, _ = strings.Cut(value, " #")
		value = strings.TrimRightFunc(value, unicode.IsSpace)
		value, err := p.sub.substitute(value)
		return value, rest, err
	}
	escaped := false
	// Runs of plain bytes are copied whole.
	var chars []byte
	from := 1
	for i := 1; i < len(src); i++ {
		c := src[i]
		if c != quote && c != '\\' && !escaped {
			continue
		}
		if len(chars)+i-from > maxValueSize {
			return "", "", valueTooLarge()
		}
		chars = append(chars, src[from:i]...)
		from = i + 1
		if c != quote {
			if !escaped && c == '\\' {
				escaped = true
				continue
			}
			if escaped {
				escaped = false
				chars = append(chars, '\\')
			}
			chars = append(chars, c)
			continue
		}
		if escaped {
			escaped = false
			chars = append(chars, c)
			continue
		}
		value := string(chars)
		if quote == '"' {
			value, err = p.sub.substitute(expandEscapes(value))
			if err != nil {
				return "", "", err
			}
		}
		return value, src[i+1:], nil
	}
	return "", "", &envSyntaxError{kind: errUnterminated}
}

var escapeSeqRe = regexp.MustCompile(`(\\(?:[abcfnrtv$"\\]|0\d{0,3}))`)

// expandEscapes is compose-go's, as it is.
func expandEscapes(str string) string {
	return escapeSeqRe.ReplaceAllStringFunc(str, func(match string) string {
		if match == `\$` {
			return "$$"
		}
		if strings.HasPrefix(match, `\0`) {
			match = strings.Replace(match, `\0`, `\`, 1)
		}
		v, _, _, err := strconv.UnquoteChar(match, '"')
		if err != nil {
			return match
		}
		return string(v)
	})
}

// isDotenvSpace is compose-go's isSpace: white space but a line break.
func isDotenvSpace(r rune) bool {
	switch r {
	case '\t', '\v', '\f', '\r', ' ', 0x85, 0xA0:
		return true
	}
	return false
}

// substituter is compose-go's template.Substitute with its default
// pattern, in one left-to-right pass.
//
// compose-go matches \$(?i:(\$)|([_a-z][_a-z0-9]*)|{(?:([_a-z][_a-z0-9]*(?::?[-+?](.*))?)}|()))
// and, for ${NAME<op>…}, cuts the match at the brace that closes the first
// one; what follows, up to the last } of the line, it substitutes as a
// separate template and appends. That is the same as going on scanning from
// there, which is what this does, so each byte is looked at once per level
// of nested defaults (at most maxNesting).
type substituter struct {
	lookup func(string) (string, bool)
	b      *budget // nil: only the value size is bounded
}

// substitute returns t with its ${...} substituted. Errors are compose-go's
// (*template.InvalidTemplateError, *template.MissingRequiredError) or a
// *limitError.
func (s *substituter) substitute(t string) (string, error) {
	if strings.IndexByte(t, '$') < 0 {
		return t, nil
	}
	if s.b != nil && s.b.interpolated > maxInterpolated {
		// Spent: compose-go substitutes every value even after an error.
		le := interpolatedTooMuch()
		le.template = t
		return "", le
	}
	out, err := s.level(t, 0)
	if err != nil {
		var le *limitError
		if errors.As(err, &le) {
			le.template = t
		}
		return "", err
	}
	return out, nil
}

// nameAt returns the length of the name [_a-z][_a-z0-9]* (case-insensitive,
// so also ſ and K, which fold to s and k) at t[i:], 0 if there is none.
func nameAt(t string, i int) int {
	n := i
	for n < len(t) {
		c := t[n]
		switch {
		case c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || (n > i && c >= '0' && c <= '9'):
			n++
		case c >= utf8.RuneSelf:
			r, w := utf8.DecodeRuneInString(t[n:])
			if r != 'ſ' && r != 'K' {
				return n - i
			}
			n += w
		default:
			return n - i
		}
	}
	return n - i
}

// level substitutes one template: the whole value, or a default (depth > 0).
func (s *substituter) level(t string, depth int) (string, error) {
	var out strings.Builder
	emit := func(piece string, looked bool) error {
		if out.Len()+len(piece) > maxValueSize {
			return valueTooLarge()
		}
		if looked && s.b != nil {
			if s.b.interpolated += int64(len(piece)); s.b.interpolated > maxInterpolated {
				return interpolatedTooMuch()
			}
		}
		out.WriteString(piece)
		return nil
	}
	invalid := func() error { return &template.InvalidTemplateError{Template: t} }
	// The last } of the current line from lineFrom on, -1 if none: the end
	// of a ${NAME<op>…} match. Cached per line.
	lineEnd, lastBrace := -1, -1
	closing := func(from int) int {
		if from >= lineEnd {
			lineEnd = len(t)
			if nl := strings.IndexByte(t[from:], '\n'); nl >= 0 {
				lineEnd = from + nl
			}
			lastBrace = strings.LastIndexByte(t[from:lineEnd], '}')
			if lastBrace >= 0 {
				lastBrace += from
			}
		}
		if lastBrace < from {
			return -1
		}
		return lastBrace
	}
	last, i := 0, 0
	for {
		k := strings.IndexByte(t[i:], '$')
		if k < 0 {
			break
		}
		j := i + k
		if j+1 >= len(t) {
			break
		}
		c := t[j+1]
		if c == '$' {
			if err := emit(t[last:j], false); err != nil {
				return "", err
			}
			if err := emit("$", false); err != nil {
				return "", err
			}
			i, last = j+2, j+2
			continue
		}
		if n := nameAt(t, j+1); n > 0 {
			v, _ := s.lookup(t[j+1 : j+1+n])
			if err := emit(t[last:j], false); err != nil {
				return "", err
			}
			if err := emit(v, true); err != nil {
				return "", err
			}
			i, last = j+1+n, j+1+n
			continue
		}
		if c != '{' {
			i = j + 1 // a lone $
			continue
		}
		// ${
		p := j + 2
		n := nameAt(t, p)
		if n == 0 {
			return "", invalid()
		}
		name, e := t[p:p+n], p+n
		op := ""
		switch {
		case e+1 < len(t) && t[e] == ':' && strings.IndexByte("-+?", t[e+1]) >= 0:
			op = t[e : e+2]
		case e < len(t) && strings.IndexByte("-+?", t[e]) >= 0:
			op = t[e : e+1]
		}
		if op == "" {
			if e >= len(t) || t[e] != '}' {
				return "", invalid()
			}
			v, _ := s.lookup(name)
			if err := emit(t[last:j], false); err != nil {
				return "", err
			}
			if err := emit(v, true); err != nil {
				return "", err
			}
			i, last = e+1, e+1
			continue
		}
		argFrom := e + len(op)
		end := closing(argFrom)
		if end < 0 {
			return "", invalid()
		}
		// compose-go's getFirstBraceClosingIndex on the match t[j:end+1].
		cb, open := -1, 0
		for q := j; q <= end; q++ {
			if t[q] == '}' {
				if open--; open == 0 {
					cb = q
					break
				}
			}
			if t[q] == '{' {
				open++
				q++
			}
		}
		arg, next := t[argFrom:end], end+1
		if cb >= 0 {
			arg, next = t[argFrom:cb], cb+1
		}
		v, err := s.apply(name, op, arg, depth)
		if err != nil {
			return "", err
		}
		if err := emit(t[last:j], false); err != nil {
			return "", err
		}
		if err := emit(v, false); err != nil {
			return "", err
		}
		i, last = next, next
	}
	if last == 0 {
		return t, nil
	}
	if err := emit(t[last:], false); err != nil {
		return "", err
	}
	return out.String(), nil
}

// apply is compose-go's substitution functions for ${name<op>arg}.
func (s *substituter) apply(name, op, arg string, depth int) (string, error) {
	value, ok := s.lookup(name)
	colon := op[0] == ':'
	switch op[len(op)-1] {
	case '-':
		if !ok || colon && value == "" {
			return s.nested(arg, depth)
		}
		return value, s.count(value)
	case '+':
		if ok && (!colon || value != "") {
			return s.nested(arg, depth)
		}
		return value, s.count(value)
	default: // '?'
		if !ok || colon && value == "" {
			msg, err := s.nested(arg, depth)
			if err != nil {
				return "", err
			}
			return "", &template.MissingRequiredError{Variable: name, Reason: msg}
		}
		return value, s.count(value)
	}
}

// count charges a looked-up value to the budget.
func (s *substituter) count(v string) error {
	if len(v) > maxValueSize {
		return valueTooLarge()
	}
	if s.b != nil {
		if s.b.interpolated += int64(len(v)); s.b.interpolated > maxInterpolated {
			return interpolatedTooMuch()
		}
	}
	return nil
}

func (s *substituter) nested(t string, depth int) (string, error) {
	if depth+1 > maxNesting {
		return "", nestedTooDeep()
	}
	if strings.IndexByte(t, '$') < 0 {
		return t, nil
	}
	return s.level(t, depth+1)
}
