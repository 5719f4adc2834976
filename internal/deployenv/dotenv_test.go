package deployenv

import (
	"errors"
	"io"
	"maps"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/dotenv"
	"github.com/compose-spec/compose-go/v2/template"
	"github.com/sirupsen/logrus"
)

// trickyEnv are env file texts on which our parser must agree with
// compose-go's: quotes, multi-line values, escapes, export, comments,
// ${...} with defaults, and the parser's odd corners.
var trickyEnv = []string{
	"",
	"A=1\nB=2\n",
	"A=1\r\nB=2\r\n",
	"\uFEFFA=1\n",
	"# comment\n\n   # indented comment\nA=1 # inline\nB=a#b\nC=a #b\n",
	"A = spaced \nB\t=\ttabbed\t\n",
	"A: yaml\nB:1\n",
	"export A=1\nexport  B=2\nexport\tC=3\n",
	"export=1\nexport\nexport\nA=2\n",
	"exportA=1\nexport\vB=2\n",
	"A=\"double\"\nB='single'\nC=\"multi\nline\"\nD='multi\nline'\n",
	"A=\"esc \\\" \\n \\t \\\\ \\$X \\0101 \\012 \\0 \\x41\"\n",
	"A='esc \\' \\n \\\\ $X'\n",
	"A=\"x\" B=2\nC=\"y\"D=3\nE=\"z\" junk\nF=4\n",
	"A=\"x\"   # comment\nB=2\n",
	"X=base\nA=${X}\nB=$X\nC=${X}${X}\nD=$$X\nE=\\$X\nF=\"\\$X\"\nG='${X}'\n",
	"A=${U:-def}\nB=${U-def}\nE=\nC=${E:-def}\nD=${E-def}\n",
	"X=x\nA=${X:+alt}\nB=${X+alt}\nE=\nC=${E:+alt}\nD=${E+alt}\nF=${U:+alt}\n",
	"A=${U:-${V:-${W:-deep}}}\nB=${U:-{x}\nC=${U:-a}b}c}\nD=${U:-}}\n",
	"A=${U:-x}${U:-y}${U:-z}\nB=pre${U:-a}mid${U:-b}post\n",
	"A=${U:-a}}}\nB=${U:-{}}\nC=${U:-{a}b}\n",
	"X=x\nA=${X:?set}\nB=${X?set}\n",
	"A=${U:?need it}\n",
	"E=\nA=${E?fine}\nB=${E:?empty}\n",
	"A=${U:?${V:-msg}}\n",
	"A=${\n",
	"A=${}\n",
	"A=${X\n",
	"A=${X.Y}\n",
	"A=${1}\nB=$1\nC=$\nD=$-\nE=a$\n",
	"A=${X:}\n",
	"A=\"${U:-a\nb}\"\n",
	"A=\"${U:-a}\n${U:-b}\"\n",
	"ſ=1\nA=$ſ\nB=${K}\nK=2\nC=$K\n",
	"A=\"unterminated\n",
	"A='unterminated\nB=2\n",
	"BAD KEY=1\n",
	"BAD\tKEY=1\n",
	"BAD-KEY!=1\n",
	"key.with-dots[0]=1\n",
	"ÄÖ=umlaut\n",
	"A=1\nBARE\nC=3\n",
	"LAST",
	"LAST=",
	"A=1\n  \n\t\nB=2",
	"A=\"a\\\\\"\nB=\"a\\\\\\\"b\"\n",
	"A=x\nA=${A}${A}\nA=${A}${A}\n",
	"A=${SYS}\nSYS=file\nB=${SYS}\n",
	"A=${SYS:-d}${SYS:+s}\n",
	"A=\u00a0x\u00a0\nB=\u0085y\n",
	"\xff=1\n",
	"A=\xff\xfe\n",
	"A=${U:-\xff}\n",
	":=x\n=y\n",
}

func composeParse(text string, vars map[string]string, lookup dotenv.LookupFn) error {
	return dotenv.ParseWithFormat(strings.NewReader(text), "f", vars, lookup, "")
}

func testLookup(k string) (string, bool) {
	switch k {
	case "SYS":
		return "system", true
	case "EMPTY_SYS":
		return "", true
	}
	return "", false
}

// sameResult compares our parser with compose-go's on text: the same
// variables, or the same kind of error.
// It reports false, comparing nothing, when the text hits one of our
// budgets (compose-go has none, so it would not finish).
func sameResult(t *testing.T, text string) bool {
	t.Helper()
	want, got := map[string]string{"PRE": "set"}, map[string]string{"PRE": "set"}
	// Ours first: compose-go's time and memory are bounded only when ours
	// stays within its budgets (a ${X}${X} line doubles a value).
	_, _, gerr := parseDotenv([]byte(text), got, testLookup, newBudget(0))
	var le *limitError
	if errors.As(gerr, &le) {
		return false
	}
	werr := composeParse(text, want, testLookup)
	if (werr == nil) != (gerr == nil) {
		t.Fatalf("%q: compose-go error %v, ours %v", text, werr, gerr)
	}
	if werr != nil {
		if a, b := errKind(werr), errKind(gerr); a != b {
			t.Fatalf("%q: compose-go error %q (%v), ours %q (%v)", text, a, werr, b, gerr)
		}
		return true
	}
	if !maps.Equal(want, got) {
		t.Fatalf("%q:\ncompose-go %q\nours       %q", text, want, got)
	}
	return true
}

// errKind is what an error says without its text.
func errKind(err error) string {
	var inv *template.InvalidTemplateError
	var req *template.MissingRequiredError
	var se *envSyntaxError
	switch {
	case errors.As(err, &inv):
		return "invalid template"
	case errors.As(err, &req):
		return "required " + req.Variable + ": " + req.Reason
	case errors.As(err, &se) && se.kind == errBadChar:
		return "unexpected character " + string(se.char)
	case errors.As(err, &se):
		return se.kind
	}
	msg := err.Error()
	for _, k := range []string{errUnterminated, errKeySpace, errZeroLength} {
		if strings.Contains(msg, k) {
			return k
		}
	}
	if m := composeBadCharRe.FindStringSubmatch(msg); m != nil {
		if c, err := strconv.Unquote(m[1]); err == nil {
			return "unexpected character " + c
		}
	}
	return msg
}

var composeBadCharRe = regexp.MustCompile(`unexpected character ("(?:[^"\\]|\\.)*") in variable name`)

func init() { logrus.SetOutput(io.Discard) }

func TestDotenvMatchesCompose(t *testing.T) {
	for _, text := range trickyEnv {
		t.Run("", func(t *testing.T) {
			if !sameResult(t, text) {
				t.Errorf("%q hits a budget, so nothing was compared: keep the table's cases small", text)
			}
		})
	}
}

// TestSubstituteMatchesCompose compares substitution alone with
// compose-go's, on templates with newlines (production.yml's block
// scalars) as well.
func TestSubstituteMatchesCompose(t *testing.T) {
	mapping := func(k string) (string, bool) {
		switch k {
		case "X":
			return "x", true
		case "E":
			return "", true
		}
		return "", false
	}
	for _, tmpl := range []string{
		"plain", "$X", "${X}", "$$X", "${X:-d}", "${U:-d}", "${E:-d}", "${E-d}", "${X:+a}", "${E+a}",
		"${U:-a}}\n${U:-b}}", "line1 ${U:-{a}\nline2 }", "${U:-${X}}}}", "a${U:-{b}c}d}e",
		"${U:-x}${U:-y}\n${U:-z}", "$ſ${K}", "${X:?m}", "${U?m ${X}}", "${U:-${E:-${X}}}",
		"${X:-{", "${X-}", "$", "$1", "${", "${X", "${X:}", "${U:-a\n}",
	} {
		want, werr := template.SubstituteWithOptions(tmpl, mapping, template.WithoutLogging)
		sub := substituter{lookup: mapping}
		got, gerr := sub.substitute(tmpl)
		if (werr == nil) != (gerr == nil) || werr != nil && errKind(werr) != errKind(gerr) {
			t.Errorf("%q: compose-go error %v, ours %v", tmpl, werr, gerr)
			continue
		}
		if werr == nil && want != got {
			t.Errorf("%q: compose-go %q, ours %q", tmpl, want, got)
		}
	}
}

// FuzzDotenv: go test ./internal/deployenv -fuzz FuzzDotenv
func FuzzDotenv(f *testing.F) {
	for _, text := range trickyEnv {
		f.Add(text)
	}
	f.Fuzz(func(t *testing.T, text string) {
		// compose-go's own time and memory are not bounded: keep it to
		// inputs it handles quickly.
		if len(text) > 2048 || strings.Count(text, "${") > 64 {
			return
		}
		sameResult(t, text)
		// Substitution alone, with newlines in the template.
		mapping := func(k string) (string, bool) { return strings.Repeat("v", len(k)%3), len(k)%2 == 0 }
		sub := substituter{lookup: mapping}
		got, gerr := sub.substitute(text)
		var le *limitError
		if errors.As(gerr, &le) {
			return
		}
		want, werr := template.SubstituteWithOptions(text, mapping, template.WithoutLogging)
		if (werr == nil) != (gerr == nil) || werr != nil && errKind(werr) != errKind(gerr) {
			t.Fatalf("substitute %q: compose-go error %v, ours %v", text, werr, gerr)
		}
		if werr == nil && want != got {
			t.Fatalf("substitute %q: compose-go %q, ours %q", text, want, got)
		}
	})
}
