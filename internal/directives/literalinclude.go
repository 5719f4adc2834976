package directives

import (
	"bytes"
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/pmezard/go-difflib/difflib"
	"github.com/yuin/goldmark/ast"
)

// {literalinclude}: a file shown as a CodeBlock, through Sphinx's filters.

func literalIncludeSpec() *Spec {
	return &Spec{
		Name:         "literalinclude",
		Doc:          "Include a file as a highlighted code block, with Sphinx's options and filter order.",
		RequiredArgs: 1, FinalArgWhitespace: true,
		Options: append(append([]OptionSpec{
			{Name: "language", Type: Required, Doc: "language for highlighting"},
			{Name: "lineno-match", Type: Flag, Doc: "number lines as in the file"},
			{Name: "lines", Type: Required, Doc: "lines to keep, like 1,3,5-10,20-"},
			{Name: "start-after", Type: Required, Doc: "start after the first line containing this text"},
			{Name: "start-at", Type: Required, Doc: "start at the first line containing this text"},
			{Name: "end-before", Type: Required, Doc: "stop before the first line containing this text"},
			{Name: "end-at", Type: Required, Doc: "stop after the first line containing this text"},
			{Name: "prepend", Type: Required, Doc: "a line added before"},
			{Name: "append", Type: Required, Doc: "a line added after"},
			{Name: "tab-width", Type: NonNegInt, Doc: "expand tabs to this width"},
			{Name: "encoding", Type: Required, Doc: "file encoding (default utf-8)"},
			{Name: "pyobject", Type: Required, Doc: "a Python class, function or Class.method to show"},
			{Name: "diff", Type: Required, Doc: "show a unified diff against this older file"},
		}, codeOptions...), commonOptions...),
		Run: runLiteralInclude, Nodes: codeNodes,
	}
}

func runLiteralInclude(c *Call) []ast.Node {
	for _, pair := range incompatible {
		if c.Has(pair[0]) && c.Has(pair[1]) {
			c.Errorf(c.OptPos(pair[1]), "cannot use both %q and %q options", pair[0], pair[1])
			return nil
		}
	}
	path := c.Args[0]
	abs, data, ok := c.ReadArg()
	if !ok {
		return nil
	}
	txt, err := decode(data, c.Opt("encoding"), path)
	if err != nil {
		c.Errorf(c.OptPos("encoding"), "%v", err)
		return nil
	}
	if c.Has("pyobject") && !strings.HasSuffix(abs, ".py") {
		c.Errorf(c.OptPos("pyobject"), "pyobject works on Python files only, not %q", path)
		return nil
	}
	opts := literalOptions{get: func(k string) (string, bool) { o, ok := c.options[k]; return o.Value, ok }}
	readOld := func(p string) (string, error) {
		oldAbs, err := c.Env.Files.Resolve(c.Pos.File, p)
		if err != nil {
			return "", err
		}
		*c.Env.Deps = append(*c.Env.Deps, oldAbs)
		b, err := c.Env.Files.Read(oldAbs)
		if err != nil {
			return "", err
		}
		return decode(b, c.Opt("encoding"), p)
	}
	res, err := runLiteral(txt, path, opts, readOld)
	for _, w := range res.warnings {
		c.Warnf(c.OptPos(w.option), "%s", w.msg)
	}
	if err != nil {
		p := err.(literalProblem)
		c.Errorf(c.OptPos(p.option), "literalinclude: %s", p.msg)
		return nil
	}
	cb := &CodeBlock{Lang: c.Opt("language"), LineStart: res.linenoStart}
	if cb.Lang == "" {
		cb.Lang = "guess:" + filepath.Base(abs)
	}
	if c.Has("diff") {
		cb.Lang = "diff"
	}
	if c.Has("lineno-match") {
		cb.Linenos = true
	}
	nodes := codeNode(c, cb, res.lines)
	if c.Has("lineno-match") {
		cb.LineStart = res.linenoStart
	}
	return nodes
}

// ParseLineSpec parses a Sphinx line specification such as "1,3,5-10,20-"
// against a text of total lines and returns 0-based indexes, in order,
// duplicates kept.
func ParseLineSpec(spec string, total int) ([]int, error) {
	var out []int
	// The lines are a set (first mention wins the order): Sphinx repeats a
	// line listed twice, so "1-,1-,…" would multiply the file.
	seen := map[int]bool{}
	add := func(n int) {
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	bad := fmt.Errorf("invalid line number spec: %q", spec)
	for _, part := range strings.Split(spec, ",") {
		part = strings.TrimSpace(part)
		ends := strings.Split(part, "-")
		switch len(ends) {
		case 1:
			n, err := strconv.Atoi(ends[0])
			if err != nil || n < 1 {
				return nil, bad
			}
			add(n - 1)
		case 2:
			if ends[0] == "" && ends[1] == "" {
				return nil, bad
			}
			start, end := 1, 0
			var err error
			if ends[0] != "" {
				if start, err = strconv.Atoi(strings.TrimSpace(ends[0])); err != nil || start < 1 {
					return nil, bad
				}
			}
			if ends[1] != "" {
				if end, err = strconv.Atoi(strings.TrimSpace(ends[1])); err != nil {
					return nil, bad
				}
			} else {
				end = max(start, total)
			}
			if start > end {
				return nil, bad
			}
			// Lines past the end only matter as "out of range": keep one.
			end = min(end, max(total+1, start))
			for i := start - 1; i < end; i++ {
				add(i)
			}
		default:
			return nil, bad
		}
	}
	return out, nil
}

// literalProblem is a literalinclude failure tied to the option that caused it.
type literalProblem struct {
	option  string // "" for the argument
	msg     string
	warning bool
}

func (p literalProblem) Error() string { return p.msg }

// literalResult is what the literalinclude pipeline produces.
type literalResult struct {
	lines       []string // each ends in "\n"
	linenoStart int
	warnings    []literalProblem
}

// literalOptions are the options that shape the included text.
type literalOptions struct {
	get func(string) (string, bool)
}

func (o literalOptions) has(k string) bool   { _, ok := o.get(k); return ok }
func (o literalOptions) val(k string) string { v, _ := o.get(k); return v }

// incompatible lists option pairs that Sphinx refuses together.
var incompatible = [][2]string{
	{"lineno-match", "lineno-start"},
	{"lineno-match", "append"},
	{"lineno-match", "prepend"},
	{"start-after", "start-at"},
	{"end-before", "end-at"},
	{"diff", "pyobject"},
	{"diff", "lineno-start"},
	{"diff", "lineno-match"},
	{"diff", "lines"},
	{"diff", "start-after"},
	{"diff", "end-before"},
	{"diff", "start-at"},
	{"diff", "end-at"},
}

// decode turns file bytes into text with the named encoding.
func decode(data []byte, encoding, name string) (string, error) {
	enc := strings.ToLower(strings.ReplaceAll(encoding, "_", "-"))
	switch enc {
	case "", "utf-8", "utf8", "utf-8-sig":
		data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
		if !utf8.Valid(data) {
			return "", fmt.Errorf("encoding %q used for reading included file %q seems to be wrong, try giving an :encoding: option", cmpOr(encoding, "utf-8"), name)
		}
		return string(data), nil
	case "ascii", "us-ascii":
		for _, c := range data {
			if c >= 0x80 {
				return "", fmt.Errorf("encoding %q used for reading included file %q seems to be wrong, try giving an :encoding: option", encoding, name)
			}
		}
		return string(data), nil
	case "latin-1", "latin1", "iso-8859-1", "iso8859-1", "l1":
		var b strings.Builder
		for _, c := range data {
			b.WriteRune(rune(c))
		}
		return b.String(), nil
	}
	return "", fmt.Errorf("unknown encoding %q; docsgen reads utf-8, utf-8-sig, ascii and latin-1", encoding)
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// maxTabWidth bounds :tab-width: (a typo like 100000000 would otherwise
// turn a few tabs into gigabytes).
const maxTabWidth = 100

// expandTabs replaces tabs as Python's str.expandtabs does.
func expandTabs(s string, width int) string {
	if width <= 0 || !strings.Contains(s, "\t") {
		return s
	}
	var b strings.Builder
	col := 0
	for _, r := range s {
		switch r {
		case '\t':
			n := width - col%width
			b.WriteString(strings.Repeat(" ", n))
			col += n
		case '\n', '\r':
			b.WriteRune(r)
			col = 0
		default:
			b.WriteRune(r)
			col++
		}
	}
	return b.String()
}

func splitKeepNewlines(s string) []string {
	var out []string
	for s != "" {
		i := strings.IndexByte(s, '\n')
		if i < 0 {
			out = append(out, s)
			break
		}
		out = append(out, s[:i+1])
		s = s[i+1:]
	}
	return out
}

// runLiteral applies Sphinx's literalinclude filters to text, in Sphinx's
// order: pyobject, start, end, lines, dedent, prepend, append.
func runLiteral(text, filename string, o literalOptions, readOld func(string) (string, error)) (literalResult, error) {
	res := literalResult{linenoStart: 1}
	if v, ok := o.get("lineno-start"); ok {
		res.linenoStart, _ = strconv.Atoi(v)
	}
	if tw, ok := o.get("tab-width"); ok {
		n, _ := strconv.Atoi(tw)
		if n > maxTabWidth {
			return res, literalProblem{option: "tab-width", msg: fmt.Sprintf("tab-width %d is more than %d", n, maxTabWidth)}
		}
		text = expandTabs(text, n)
	}
	if o.has("diff") {
		old, err := readOld(o.val("diff"))
		if err != nil {
			return res, literalProblem{option: "diff", msg: err.Error()}
		}
		d, _ := difflib.GetUnifiedDiffString(difflib.UnifiedDiff{
			A: difflib.SplitLines(old), B: difflib.SplitLines(text),
			FromFile: o.val("diff"), ToFile: filename, Context: 3,
		})
		res.lines = splitKeepNewlines(d)
		return res, nil
	}
	lines := splitKeepNewlines(text)
	if len(lines) > 0 && !strings.HasSuffix(lines[len(lines)-1], "\n") {
		lines[len(lines)-1] += "\n"
	}
	match := o.has("lineno-match")

	if obj, ok := o.get("pyobject"); ok {
		start, end, found := findPyObject(lines, obj)
		if !found {
			return res, literalProblem{option: "pyobject", msg: fmt.Sprintf("object named %q not found in include file %q", obj, filename)}
		}
		lines = lines[start:end]
		if match {
			res.linenoStart = start + 1
		}
	}

	startOpt, startAfter := "start-at", false
	if o.has("start-after") {
		startOpt, startAfter = "start-after", true
	}
	if pat, ok := o.get(startOpt); ok {
		found := false
		for i, l := range lines {
			if strings.Contains(l, pat) {
				skip := i
				if startAfter {
					skip = i + 1
				}
				lines = lines[skip:]
				if match {
					res.linenoStart += skip
				}
				found = true
				break
			}
		}
		if !found {
			return res, literalProblem{option: startOpt, msg: fmt.Sprintf("%s pattern not found: %q", startOpt, pat)}
		}
	}

	endOpt, endAt := "end-before", false
	if o.has("end-at") {
		endOpt, endAt = "end-at", true
	}
	if pat, ok := o.get(endOpt); ok {
		found := false
		for i, l := range lines {
			if !strings.Contains(l, pat) {
				continue
			}
			if endAt {
				lines, found = lines[:i+1], true
				break
			}
			// end-before ignores a match on the first line, so that
			// start-at and end-before can name the same marker.
			if i > 0 {
				lines, found = lines[:i], true
				break
			}
		}
		if !found {
			return res, literalProblem{option: endOpt, msg: fmt.Sprintf("%s pattern not found: %q", endOpt, pat)}
		}
	}

	if spec, ok := o.get("lines"); ok {
		picks, err := ParseLineSpec(spec, len(lines))
		if err != nil {
			return res, literalProblem{option: "lines", msg: err.Error()}
		}
		if match {
			for i, n := range picks {
				if n != picks[0]+i {
					return res, literalProblem{option: "lines", msg: `cannot use "lineno-match" with a disjoint set of "lines"`}
				}
			}
			if len(picks) > 0 {
				res.linenoStart += picks[0]
			}
		}
		var kept []string
		outOfRange := false
		for _, n := range picks {
			if n < len(lines) {
				kept = append(kept, lines[n])
			} else {
				outOfRange = true
			}
		}
		if outOfRange {
			res.warnings = append(res.warnings, literalProblem{option: "lines", warning: true,
				msg: fmt.Sprintf("line number spec is out of range(1-%d): %q", len(lines), spec)})
		}
		if len(kept) == 0 {
			return res, literalProblem{option: "lines", msg: fmt.Sprintf("line spec %q: no lines pulled from include file %q", spec, filename)}
		}
		lines = kept
	}

	if v, ok := o.get("dedent"); ok {
		var warn bool
		lines, warn = dedentLines(lines, v)
		if warn {
			res.warnings = append(res.warnings, literalProblem{option: "dedent", warning: true, msg: "non-whitespace stripped by dedent"})
		}
	}
	if v, ok := o.get("prepend"); ok {
		lines = append([]string{v + "\n"}, lines...)
	}
	if v, ok := o.get("append"); ok {
		lines = append(lines, v+"\n")
	}
	res.lines = lines
	return res, nil
}

// dedentLines removes n leading characters from every line, or with an empty
// n the longest common leading whitespace (Python's textwrap.dedent).
func dedentLines(lines []string, n string) ([]string, bool) {
	out := make([]string, len(lines))
	if n == "" {
		prefix := ""
		first := true
		for _, l := range lines {
			body := strings.TrimRight(l, "\r\n")
			if strings.TrimSpace(body) == "" {
				continue
			}
			ws := body[:len(body)-len(strings.TrimLeft(body, " \t"))]
			if first {
				prefix, first = ws, false
				continue
			}
			for !strings.HasPrefix(ws, prefix) {
				prefix = prefix[:len(prefix)-1]
			}
		}
		for i, l := range lines {
			if strings.TrimSpace(l) == "" {
				out[i] = "\n"
				continue
			}
			out[i] = strings.TrimPrefix(l, prefix)
		}
		return out, false
	}
	width, _ := strconv.Atoi(n)
	warn := false
	for i, l := range lines {
		r := []rune(l)
		cut := min(width, len(r))
		if strings.TrimSpace(string(r[:cut])) != "" {
			warn = true
		}
		out[i] = string(r[cut:])
		if out[i] == "" && strings.HasSuffix(l, "\n") {
			out[i] = "\n"
		}
	}
	return out, warn
}

var pyDefRe = regexp.MustCompile(`^(\s*)(?:async\s+def|def|class)\s+([A-Za-z_][A-Za-z0-9_]*)`)

// findPyObject finds a class, function or Class.method in Python source by
// indentation and returns its line range [start, end), decorators included.
func findPyObject(lines []string, dotted string) (int, int, bool) {
	from, to := 0, len(lines)
	indent := -1
	start := -1
	for _, name := range strings.Split(dotted, ".") {
		start = -1
		for i := from; i < to; i++ {
			m := pyDefRe.FindStringSubmatch(lines[i])
			// A top-level name must be at column 0; a member deeper than its parent.
			if m == nil || m[2] != name || len(m[1]) <= indent || indent < 0 && len(m[1]) > 0 {
				continue
			}
			start, indent = i, len(m[1])
			break
		}
		if start < 0 {
			return 0, 0, false
		}
		// The object ends before the next non-blank line indented no deeper.
		end := to
		for i := start + 1; i < to; i++ {
			l := strings.TrimRight(lines[i], "\r\n")
			if strings.TrimSpace(l) == "" {
				continue
			}
			if len(l)-len(strings.TrimLeft(l, " \t")) <= indent {
				end = i
				break
			}
		}
		for end > start+1 && strings.TrimSpace(lines[end-1]) == "" {
			end--
		}
		from, to = start+1, end
	}
	begin := start
	for begin > 0 && strings.HasPrefix(strings.TrimSpace(lines[begin-1]), "@") {
		begin--
	}
	return begin, to, true
}
