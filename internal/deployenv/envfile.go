package deployenv

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/compose-spec/compose-go/v2/dotenv"
	"github.com/compose-spec/compose-go/v2/template"
	"github.com/docsgen/docsgen/internal/diag"
)

// parseEnv parses an env file's text as Compose does (format "" is dotenv)
// into vars, which may hold values the file can refer to, within the
// budget b (nil: only the value size is bounded).
//
// Compose's parse errors quote the text they stumble on (a whole line for a
// bad name, the rest of the line for an unclosed quote, the whole value for
// a bad ${...}), and that text is often a secret. So the error is built
// from parts that hold no value: the file, the line, what is wrong, and the
// line with its value masked.
func parseEnv(file string, data []byte, format string, vars map[string]string, lookup dotenv.LookupFn, b *budget) error {
	if format != "" && format != dotenv.DotEnv {
		// Only dotenv is registered; anything else is compose-go's error.
		if err := dotenv.ParseWithFormat(bytes.NewReader(data), file, vars, lookup, format); err != nil {
			if strings.Contains(err.Error(), "unsupported env_file format") {
				// The format's name is a value of production.yml: not repeated.
				return &Error{Pos: diag.Pos{File: file}, Msg: "the env_file's format: is not one Compose knows", Hint: "leave format: out for the usual KEY=value syntax"}
			}
			return &Error{Pos: diag.Pos{File: file}, Msg: "Compose cannot parse this env file"}
		}
		return nil
	}
	if b != nil {
		if b.parsed += int64(len(data)); b.parsed > parseRounds*b.maxFileSize {
			return &Error{Pos: diag.Pos{File: file},
				Msg:  fmt.Sprintf("the env files add up to more than %s read (%d times the file size limit)", sizeMiB(parseRounds*b.maxFileSize), parseRounds),
				Hint: "a large env file listed by many services is read for each of them: list it once, in an anchor the services merge, or make it smaller"}
		}
	}
	stmt, key, err := parseDotenv(data, vars, lookup, b)
	if err != nil {
		return envParseError(file, data, stmt, key, err)
	}
	return nil
}

// envParseError positions a parse error at the line where the failing
// statement starts, found in one pass.
func envParseError(file string, data []byte, stmt int, key string, err error) *Error {
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	stmt = min(max(stmt, 0), len(data))
	line := 1 + bytes.Count(data[:stmt], []byte("\n"))
	text := string(lineAt(data, stmt))
	var le *limitError
	if errors.As(err, &le) {
		name := "a variable"
		if key != "" && looksLikeName(key) {
			name = key
		}
		return &Error{Pos: diag.Pos{File: file, Line: line}, Msg: name + ": " + le.What, Hint: le.Hint}
	}
	reason, hint := envErrorReason(err)
	return &Error{Pos: diag.Pos{File: file, Line: line}, Msg: "bad env file line: " + reason + " (" + maskLine(text) + ")", Hint: hint}
}

// lineAt returns the line of data that holds offset off.
func lineAt(data []byte, off int) []byte {
	from := bytes.LastIndexByte(data[:off], '\n') + 1
	to := bytes.IndexByte(data[off:], '\n')
	if to < 0 {
		return data[from:]
	}
	return data[from : off+to]
}

// envErrorReason says what is wrong without quoting the file.
func envErrorReason(err error) (reason, hint string) {
	var inv *template.InvalidTemplateError
	var req *template.MissingRequiredError
	var se *envSyntaxError
	switch {
	case errors.As(err, &inv):
		return "the value has an invalid ${...} substitution", "close the brace, or write $$ for a literal $ (a single-quoted value keeps $ as is)"
	case errors.As(err, &req):
		return "it requires " + req.Variable + ", which is not set", "set " + req.Variable + " in stack.env or the system environment"
	case errors.As(err, &se) && se.kind == errUnterminated:
		return "the quoted value is never closed", "close the quote; only a quoted value may span lines"
	case errors.As(err, &se) && se.kind == errKeySpace:
		return "the variable name has a space in it", "write KEY=value, with no space in KEY"
	case errors.As(err, &se) && se.kind == errBadChar:
		what := "a character"
		if c := se.char; c > ' ' && c < 0x7f {
			what = strconv.Quote(string(c))
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

// keyLines finds the line of each key in an env file (the last one, as a
// later duplicate wins): lines that match
// ^\s*(?:export\s+)?([A-Za-z0-9_.\-\[\]]+)\s*(?:[=:]|$), outside comments.
func keyLines(data []byte) map[string]int {
	lines := map[string]int{}
	for n := 1; len(data) > 0; n++ {
		l := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			l, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		if len(l) > 0 && l[0] == '#' {
			continue
		}
		l = bytes.TrimSuffix(l, []byte("\r"))
		if k, ok := lineKey(l); ok && !bytes.HasPrefix(bytes.TrimSpace(l), []byte("#")) {
			lines[k] = n
		}
	}
	return lines
}

// lineKey is the key a line sets, without a regexp (see keyLines).
func lineKey(l []byte) (string, bool) {
	i := skipRESpace(l, 0)
	if rest := l[i:]; bytes.HasPrefix(rest, []byte("export")) && len(rest) > 6 && isRESpace(rest[6]) {
		if k, ok := keyAt(l, skipRESpace(l, i+6)); ok {
			return k, true
		}
	}
	return keyAt(l, i)
}

// keyAt matches ([A-Za-z0-9_.\-\[\]]+)\s*(?:[=:]|$) at l[i:].
func keyAt(l []byte, i int) (string, bool) {
	j := i
	for j < len(l) && isKeyByte(l[j]) {
		j++
	}
	if j == i {
		return "", false
	}
	k := skipRESpace(l, j)
	if k == len(l) || l[k] == '=' || l[k] == ':' {
		return string(l[i:j]), true
	}
	return "", false
}

func isKeyByte(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || strings.IndexByte("_.-[]", c) >= 0
}

// isRESpace is a regexp's \s: [\t\n\f\r ].
func isRESpace(c byte) bool { return strings.IndexByte("\t\n\f\r ", c) >= 0 }

func skipRESpace(l []byte, i int) int {
	for i < len(l) && isRESpace(l[i]) {
		i++
	}
	return i
}
