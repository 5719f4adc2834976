package directives

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/docsgen/docsgen/internal/diag"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"go.yaml.in/yaml/v3"
)

// parsedCall is what a directive saw: the shape MyST-Parser's
// directive_parsing fixture records.
type parsedCall struct {
	Args    []string
	Body    []string
	Options map[string]string
	Diags   []diag.Diagnostic
}

// harnessSpecs mirror the option specs the fixture's directives have in
// docutils, with a Run that records the call.
func harnessSpecs(record func(*Call)) []*Spec {
	common := []OptionSpec{{Name: "class", Type: Classes}, {Name: "name", Type: Required}}
	run := func(c *Call) []ast.Node { record(c); return nil }
	return []*Spec{
		{Name: "note", Options: common, Body: Markdown, Run: run},
		{Name: "admonition", RequiredArgs: 1, FinalArgWhitespace: true, Options: common, Body: Markdown, Run: run},
		{Name: "code-block", OptionalArgs: 1, Options: append([]OptionSpec{{Name: "linenos", Type: Flag}, {Name: "lineno-start", Type: Int}, {Name: "force", Type: Flag}}, common...), Body: RawBody, Run: run},
	}
}

// parseDirective parses src (one directive) and returns what its Run saw.
func parseDirective(t testing.TB, src string) parsedCall {
	var got parsedCall
	record := func(c *Call) {
		got.Args = c.Args
		if c.Body != nil {
			got.Body = c.Body.Lines()
		}
		got.Options = map[string]string{}
		for k, v := range c.options {
			got.Options[k] = v.Value
		}
	}
	var diags diag.List
	md := goldmark.New(goldmark.WithParserOptions(Extension{}.ParserOptions()...))
	s := NewSource("test.md", []byte(src))
	env := &Env{Src: s, Diags: &diags, Registry: NewRegistry(harnessSpecs(record)...), Deps: new([]string)}
	env.Parse = func(*Source) *Fragment { return &Fragment{} }
	pc := parser.NewContext()
	SetEnv(pc, env)
	md.Parser().Parse(text.NewReader(s.Text), parser.WithContext(pc))
	got.Diags = diags.Sorted()
	return got
}

// knownDifferences are fixture cases where docsgen deliberately differs;
// see testdata/KNOWN-DIFFERENCES.md.
var knownDifferences = map[string]string{
	"note: comment in option":       "option values are literal: '# oops' is text, so the class list is invalid (an error)",
	"warning: invalid option value": "a bad option value is an error, not a warning",
}

func TestDirectiveParsingConformance(t *testing.T) {
	data, err := os.ReadFile("testdata/directive_parsing.txt")
	if err != nil {
		t.Fatal(err)
	}
	cases := splitDotFixture(string(data))
	if len(cases) < 15 {
		t.Fatalf("only %d cases read", len(cases))
	}
	for _, c := range cases {
		t.Run(c.title, func(t *testing.T) {
			got := parseDirective(t, c.input)
			if why, ok := knownDifferences[c.title]; ok {
				if !slices.ContainsFunc(got.Diags, func(d diag.Diagnostic) bool { return d.Severity == diag.Error }) {
					t.Errorf("known difference (%s) expected an error, got %v", why, got.Diags)
				}
				return
			}
			if strings.HasPrefix(c.expected, "error:") {
				if !slices.ContainsFunc(got.Diags, func(d diag.Diagnostic) bool { return d.Severity == diag.Error }) {
					t.Errorf("want an error (%s), got %v", strings.TrimSpace(c.expected), got.Diags)
				}
				return
			}
			var want struct {
				Arguments []string
				Body      []string
				Options   map[string]any
				Warnings  []string
			}
			if err := yaml.Unmarshal([]byte(c.expected), &want); err != nil {
				t.Fatalf("fixture: %v", err)
			}
			if !slices.Equal(got.Args, want.Arguments) && !(len(got.Args) == 0 && len(want.Arguments) == 0) {
				t.Errorf("arguments = %q, want %q", got.Args, want.Arguments)
			}
			if !slices.Equal(got.Body, want.Body) && !(len(got.Body) == 0 && len(want.Body) == 0) {
				t.Errorf("body = %q, want %q", got.Body, want.Body)
			}
			for k, v := range want.Options {
				gv, ok := got.Options[k]
				if !ok {
					t.Errorf("option %q missing; got %v", k, got.Options)
					continue
				}
				if ws := optionString(v); ws != gv {
					t.Errorf("option %q = %q, want %q", k, gv, ws)
				}
			}
			if len(got.Options) != len(want.Options) {
				t.Errorf("options = %v, want %v", got.Options, want.Options)
			}
			if (len(want.Warnings) > 0) != (len(got.Diags) > 0) {
				t.Errorf("warnings = %v, want %d warning(s): %q", got.Diags, len(want.Warnings), want.Warnings)
			}
		})
	}
}

func optionString(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case []any:
		var parts []string
		for _, p := range v {
			parts = append(parts, fmt.Sprint(p))
		}
		return strings.Join(parts, " ")
	}
	return fmt.Sprint(v)
}

type dotCase struct{ title, input, expected string }

// splitDotFixture reads pytest-param-files "dot" files: a title line, ".",
// the input, ".", the expected output, ".".
func splitDotFixture(s string) []dotCase {
	var out []dotCase
	lines := strings.Split(s, "\n")
	for i := 0; i < len(lines); {
		if strings.TrimSpace(lines[i]) == "" {
			i++
			continue
		}
		c := dotCase{title: lines[i]}
		i += 2 // title and "."
		var in, exp []string
		for i < len(lines) && lines[i] != "." {
			in = append(in, lines[i])
			i++
		}
		i++
		for i < len(lines) && lines[i] != "." {
			exp = append(exp, lines[i])
			i++
		}
		i++
		c.input, c.expected = strings.Join(in, "\n")+"\n", strings.Join(exp, "\n")+"\n"
		out = append(out, c)
	}
	return out
}
