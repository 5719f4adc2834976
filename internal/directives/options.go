package directives

import (
	"strconv"
	"strings"
)

// RawOption is one option as written, before validation.
type RawOption struct {
	Key   string
	Value string
	Line  int // 0-based line in the directive's content
}

// splitOptions finds the option block at the start of a directive's content
// lines and returns the options, the index of the first body line, and the
// problems found (with their 0-based line).
//
// Values are taken literally: "# begin" is the text "# begin", not a YAML
// comment (MyST-Parser empties such values silently). A value wrapped in
// matching quotes is unquoted, so the MyST habit of quoting still works.
func splitOptions(lines []string) (opts []RawOption, bodyStart int, problems []RawOption) {
	if len(lines) == 0 {
		return nil, 0, nil
	}
	first := strings.TrimLeft(lines[0], " \t")
	switch {
	case strings.HasPrefix(lines[0], "---") && strings.TrimRight(lines[0], "- \t") == "":
		end := len(lines)
		for i := 1; i < len(lines); i++ {
			if strings.HasPrefix(lines[i], "---") {
				end = i
				break
			}
		}
		block := make([]string, 0, end)
		for i := 1; i < end; i++ {
			block = append(block, lines[i])
		}
		opts, problems = parseOptionBlock(block, 1)
		bodyStart = min(end+1, len(lines))
	case strings.HasPrefix(first, ":") && !strings.HasPrefix(first, ":::"):
		end := 0
		block := []string{}
		for end < len(lines) {
			l := strings.TrimLeft(lines[end], " \t")
			if !strings.HasPrefix(l, ":") || strings.HasPrefix(l, ":::") {
				break
			}
			block = append(block, l[1:])
			end++
		}
		opts, problems = parseOptionBlock(block, 0)
		bodyStart = end
	default:
		return nil, 0, nil
	}
	return opts, bodyStart, problems
}

// parseOptionBlock reads "key: value" lines; an indented line continues the
// previous value; "|" and ">" start literal and folded block values.
func parseOptionBlock(block []string, lineBase int) (opts []RawOption, problems []RawOption) {
	type pending struct {
		opt   RawOption
		style byte // 0 plain, '|' literal, '>' folded
		parts []string
	}
	var cur *pending
	flush := func() {
		if cur == nil {
			return
		}
		switch cur.style {
		case '|':
			cur.opt.Value = strings.Join(cur.parts, "\n")
		case '>':
			cur.opt.Value = strings.Join(cur.parts, " ")
		default:
			all := append([]string{cur.opt.Value}, cur.parts...)
			cur.opt.Value = unquote(strings.TrimSpace(strings.Join(nonEmpty(all), " ")))
		}
		opts = append(opts, cur.opt)
		cur = nil
	}
	var blockIndent string
	for i, raw := range block {
		line := strings.TrimRight(raw, " \t\r")
		if cur != nil && (strings.HasPrefix(raw, " ") || strings.HasPrefix(raw, "\t") || line == "") {
			if cur.style != 0 && blockIndent == "" && line != "" {
				blockIndent = raw[:len(raw)-len(strings.TrimLeft(raw, " \t"))]
			}
			if cur.style != 0 {
				cur.parts = append(cur.parts, strings.TrimPrefix(line, blockIndent))
			} else if line != "" {
				cur.parts = append(cur.parts, strings.TrimSpace(line))
			}
			continue
		}
		flush()
		if line == "" {
			continue
		}
		key, value, ok := strings.Cut(line, ":")
		key = strings.TrimSpace(key)
		if !ok || key == "" || strings.ContainsAny(key, " \t") {
			problems = append(problems, RawOption{Key: strings.TrimSpace(line), Line: lineBase + i})
			continue
		}
		value = strings.TrimSpace(value)
		cur = &pending{opt: RawOption{Key: unquote(key), Value: value, Line: lineBase + i}}
		blockIndent = ""
		if value == "|" || value == "|-" || value == ">" || value == ">-" {
			cur.style = value[0]
			cur.opt.Value = ""
		}
	}
	flush()
	return opts, problems
}

func nonEmpty(parts []string) []string {
	out := parts[:0:0]
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}

func unquote(s string) string {
	if len(s) >= 2 {
		switch {
		case s[0] == '"' && s[len(s)-1] == '"':
			if u, err := strconv.Unquote(s); err == nil {
				return u
			}
			return s[1 : len(s)-1]
		case s[0] == '\'' && s[len(s)-1] == '\'':
			return strings.ReplaceAll(s[1:len(s)-1], "''", "'")
		}
	}
	return s
}
