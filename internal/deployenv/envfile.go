package deployenv

import (
	"bufio"
	"bytes"
	"errors"
	"maps"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/compose-spec/compose-go/v2/dotenv"
	"github.com/compose-spec/compose-go/v2/template"
	"github.com/docsgen/docsgen/internal/diag"
)

// parseEnv parses an env file's text with Compose's parser (format "" is
// dotenv) into vars, which may hold values the file can refer to.
//
// Compose's parse errors quote the text they stumble on (a whole line for a
// bad name, the rest of the line for an unclosed quote, the whole value for
// a bad ${...}), and that text is often a secret. So the error is rebuilt
// from parts that hold no value: the file, the line, what is wrong, and the
// line with its value masked.
func parseEnv(file string, data []byte, format string, vars map[string]string, lookup dotenv.LookupFn) error {
	if lookup == nil {
		lookup = func(string) (string, bool) { return "", false }
	}
	start := maps.Clone(vars)
	err := dotenv.ParseWithFormat(bytes.NewReader(data), file, vars, lookup, format)
	if err == nil {
		return nil
	}
	return envParseError(file, data, format, start, lookup, err)
}

func envParseError(file string, data []byte, format string, start map[string]string, lookup dotenv.LookupFn, err error) *Error {
	if strings.Contains(err.Error(), "unsupported env_file format") {
		// The format's name is a value of production.yml: not repeated.
		return &Error{Pos: diag.Pos{File: file}, Msg: "the env_file's format: is not one Compose knows", Hint: "leave format: out for the usual KEY=value syntax"}
	}
	reason, hint := envErrorReason(err)
	// The parser's own line numbers point past multi-line values, and an
	// invalid ${...} has none: find the first line that, parsed with the
	// lines before it, fails the same way.
	lines := strings.Split(string(data), "\n")
	want := errSignature(file, err)
	line := 0
	for k := 1; k <= len(lines); k++ {
		vars := maps.Clone(start)
		if vars == nil {
			vars = map[string]string{}
		}
		perr := dotenv.ParseWithFormat(strings.NewReader(strings.Join(lines[:k], "\n")), file, vars, lookup, format)
		if perr != nil && errSignature(file, perr) == want {
			line = k
			break
		}
	}
	msg := "bad env file line: " + reason
	if line > 0 {
		msg += " (" + maskLine(lines[line-1]) + ")"
	}
	return &Error{Pos: diag.Pos{File: file, Line: line}, Msg: msg, Hint: hint}
}

// errSignature is a parse error without its line number, to compare errors.
func errSignature(file string, err error) string {
	s := strings.TrimPrefix(err.Error(), "failed to read "+file+": ")
	return lineRe.ReplaceAllString(s, "")
}

var badCharRe = regexp.MustCompile(`unexpected character ("(?:[^"\\]|\\.)*") in variable name`)

// envErrorReason says what is wrong without quoting the file.
func envErrorReason(err error) (reason, hint string) {
	var inv *template.InvalidTemplateError
	var req *template.MissingRequiredError
	msg := err.Error()
	switch {
	case errors.As(err, &inv):
		return "the value has an invalid ${...} substitution", "close the brace, or write $$ for a literal $ (a single-quoted value keeps $ as is)"
	case errors.As(err, &req):
		return "it requires " + req.Variable + ", which is not set", "set " + req.Variable + " in stack.env or the system environment"
	case strings.Contains(msg, "unterminated quoted value"):
		return "the quoted value is never closed", "close the quote; only a quoted value may span lines"
	case strings.Contains(msg, "key cannot contain a space"):
		return "the variable name has a space in it", "write KEY=value, with no space in KEY"
	case badCharRe.MatchString(msg):
		what := "a character"
		if c, err := strconv.Unquote(badCharRe.FindStringSubmatch(msg)[1]); err == nil && len(c) == 1 && c[0] > ' ' && c[0] < 0x7f {
			what = strconv.Quote(c)
		}
		return "the variable name has " + what + " that Compose does not allow", "names may hold letters, digits and _ . - [ ]; write KEY=value"
	}
	return "Compose cannot parse it", "write KEY=value; quote values with spaces or #"
}

var (
	exportRe  = regexp.MustCompile(`^export\s+`)
	nameishRe = regexp.MustCompile(`^[A-Za-z_][\x20-\x7e]*$`)
)

// maskLine quotes an env file line with its value masked: DB_PASSWORD="…
// becomes DB_PASSWORD="********. The name is kept only when it looks like
// one; a line without = or : may be a stray piece of a secret (a pasted key)
// and is masked whole.
func maskLine(line string) string {
	t := strings.TrimSpace(line)
	prefix := ""
	if m := exportRe.FindString(t); m != "" {
		prefix, t = "export ", t[len(m):]
	}
	i := strings.IndexAny(t, "=:")
	if i < 0 {
		return Masked
	}
	name, sep, rest := strings.TrimRightFunc(t[:i], unicode.IsSpace), t[i:i+1], t[i+1:]
	if !looksLikeName(name) {
		name = Masked
	}
	if strings.HasPrefix(rest, " ") {
		sep += " "
	}
	rest = strings.TrimSpace(rest)
	switch {
	case rest == "":
		return prefix + name + sep
	case rest[0] == '"' || rest[0] == '\'':
		return prefix + name + sep + rest[:1] + Masked
	}
	return prefix + name + sep + Masked
}

// looksLikeName accepts a variable name with at most two characters Compose
// rejects (BAD KEY, DB-PASS!), and nothing that looks like a piece of a
// value: no quotes, slashes, plus signs or @, and not too long.
func looksLikeName(s string) bool {
	if len(s) > 64 || !nameishRe.MatchString(s) || strings.ContainsAny(s, `"'\/+@$`) {
		return false
	}
	odd := 0
	for _, r := range s {
		if !(r == '_' || r == '.' || r == '-' || r == '[' || r == ']' || r == ' ' || unicode.IsLetter(r) || unicode.IsDigit(r)) {
			odd++
		}
	}
	return odd <= 2
}

var envKeyRe = regexp.MustCompile(`^\s*(?:export\s+)?([A-Za-z0-9_.\-\[\]]+)\s*(?:[=:]|$)`)

// keyLines finds the line of each key in an env file (the last one, as a
// later duplicate wins).
func keyLines(data []byte) map[string]int {
	lines := map[string]int{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1024*1024), maxFileSize)
	n := 0
	for sc.Scan() {
		n++
		if m := envKeyRe.FindStringSubmatch(sc.Text()); m != nil && !strings.HasPrefix(strings.TrimSpace(sc.Text()), "#") {
			lines[m[1]] = n
		}
	}
	return lines
}
