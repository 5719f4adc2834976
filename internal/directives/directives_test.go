package directives

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestParseLineSpec(t *testing.T) {
	for _, tc := range []struct {
		spec  string
		total int
		want  []int
		err   bool
	}{
		{"1", 5, []int{0}, false},
		{"1,3", 5, []int{0, 2}, false},
		{"2-4", 5, []int{1, 2, 3}, false},
		{"-2", 5, []int{0, 1}, false},
		{"4-", 5, []int{3, 4}, false},
		{"7-", 5, []int{6}, false}, // A- runs to max(A, total)
		{"5,1", 5, []int{4, 0}, false},
		{"1,1", 5, []int{0}, false}, // a set: Sphinx would repeat the line
		{" 1 , 2 ", 5, []int{0, 1}, false},
		{"1,3,5-10,20-", 22, []int{0, 2, 4, 5, 6, 7, 8, 9, 19, 20, 21}, false},
		{"3-1", 5, nil, true},
		{"-", 5, nil, true},
		{"1-2-3", 5, nil, true},
		{"a", 5, nil, true},
		{"1,", 5, nil, true},
		{"", 5, nil, true},
		{"0", 5, nil, true},
	} {
		got, err := ParseLineSpec(tc.spec, tc.total)
		if (err != nil) != tc.err {
			t.Errorf("ParseLineSpec(%q) error = %v, want error %v", tc.spec, err, tc.err)
			continue
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("ParseLineSpec(%q, %d) = %v, want %v", tc.spec, tc.total, got, tc.want)
		}
	}
}

func TestSplitOptions(t *testing.T) {
	for _, tc := range []struct {
		name  string
		lines []string
		want  []RawOption
		body  int
	}{
		{"colon", []string{":a: 1", ":flag:", "body"}, []RawOption{{"a", "1", 0}, {"flag", "", 1}}, 2},
		{"hash is literal", []string{":start-after: # begin", ""}, []RawOption{{"start-after", "# begin", 0}}, 1},
		{"quotes removed", []string{`:x: "# q"`, `:y: 'it''s'`}, []RawOption{{"x", "# q", 0}, {"y", "it's", 1}}, 2},
		{"stops at nested colon fence", []string{":a: 1", ":::{note}"}, []RawOption{{"a", "1", 0}}, 1},
		{"yaml", []string{"---", "a: 1", "b: two words", "---", "body"}, []RawOption{{"a", "1", 1}, {"b", "two words", 2}}, 4},
		{"yaml literal block", []string{"---", "c: |", "  l1", "  l2", "---"}, []RawOption{{"c", "l1\nl2", 1}}, 5},
		{"plain continuation", []string{"---", "k: a", "  b", "---"}, []RawOption{{"k", "a b", 1}}, 4},
		{"colon continuation", []string{":c: |", ":  one", ":  two"}, []RawOption{{"c", "one\ntwo", 0}}, 3},
		{"no options", []string{"body :a: 1"}, nil, 0},
	} {
		got, body, problems := splitOptions(tc.lines)
		if len(problems) > 0 {
			t.Errorf("%s: problems %v", tc.name, problems)
		}
		if !slices.Equal(got, tc.want) || body != tc.body {
			t.Errorf("%s: got %v body %d, want %v body %d", tc.name, got, body, tc.want, tc.body)
		}
	}
}

func TestDedentLines(t *testing.T) {
	got, warn := dedentLines([]string{"    a\n", "\n", "      b\n"}, "")
	if strings.Join(got, "") != "a\n\n  b\n" || warn {
		t.Errorf("auto dedent = %q (warn %v)", got, warn)
	}
	got, warn = dedentLines([]string{"  x\n", "yz\n", "  \n"}, "2")
	if strings.Join(got, "") != "x\n\n\n" || !warn {
		t.Errorf("dedent 2 = %q (warn %v), want a warning for stripped text", got, warn)
	}
}

func TestFindPyObject(t *testing.T) {
	src := splitKeepNewlines("import x\n\n@dec\nclass A:\n    def m(self):\n        pass\n\n    def n(self):\n        return 1\n\ndef f():\n    return 2\n")
	for _, tc := range []struct {
		name       string
		start, end int
		ok         bool
	}{
		{"A", 2, 9, true},
		{"A.n", 7, 9, true},
		{"f", 10, 12, true},
		{"A.missing", 0, 0, false},
		{"m", 0, 0, false}, // a method is found only through its class
	} {
		start, end, ok := findPyObject(src, tc.name)
		if ok != tc.ok || ok && (start != tc.start || end != tc.end) {
			t.Errorf("findPyObject(%q) = %d, %d, %v; want %d, %d, %v", tc.name, start, end, ok, tc.start, tc.end, tc.ok)
		}
	}
}

func TestMakeID(t *testing.T) {
	for in, want := range map[string]string{
		"syntax/directives": "syntax-directives",
		"Target With Space": "target-with-space",
		"2nd-try":           "nd-try",
		"--x--":             "x",
	} {
		if got := MakeID(in); got != want {
			t.Errorf("MakeID(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzDirectiveParse feeds arbitrary Markdown through the directive parser
// and expansion: it must never panic, whatever the fences and options.
func FuzzDirectiveParse(f *testing.F) {
	for _, seed := range []string{
		"```{note}\n:class: x\nbody\n```\n",
		"::::{note}\n:::{tip}\n:a: b\n:::\n::::\n",
		"```{admonition}\n```",
		"~~~{code-block} py\n---\nlinenos:\n---\nx\n~~~",
		"```{note} first\n:name: n\n\nrest\n```\n",
		":::\n:::",
		"- ```{note}\n  x\n  ```",
		"> :::{note}\n> quoted\n> :::",
		"```{code-block}\n:caption: |\n:  a\n```",
		"{ref}`x <y>` and {doc}``a`b``",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, src string) {
		parseDirective(t, src)
	})
}

// FuzzSplitOptions checks the option-block reader never panics and never
// claims more body lines than exist.
func FuzzSplitOptions(f *testing.F) {
	f.Add(":a: 1\n:b:\nbody")
	f.Add("---\na: |\n  x\n---\n")
	f.Add(":c: |\n:  one\n")
	f.Fuzz(func(t *testing.T, s string) {
		lines := strings.Split(s, "\n")
		_, body, _ := splitOptions(lines)
		if body < 0 || body > len(lines) {
			t.Fatalf("body start %d outside 0..%d", body, len(lines))
		}
	})
}

func FuzzParseLineSpec(f *testing.F) {
	f.Add("1,3,5-10,20-", 30)
	f.Add("-", 1)
	f.Fuzz(func(t *testing.T, spec string, total int) {
		total = total % 10000
		got, err := ParseLineSpec(spec, total)
		if err == nil && len(got) == 0 {
			t.Fatalf("ParseLineSpec(%q) = no lines and no error", spec)
		}
		for _, n := range got {
			if n < 0 {
				t.Fatalf("negative index %d for %q", n, spec)
			}
		}
	})
}

// TestLiteralIncludeBudgets: a tiny directive cannot make huge work: a
// repeated :lines: range selects each line once, and a wild :tab-width: is
// an error at its option, not gigabytes of spaces.
func TestLiteralIncludeBudgets(t *testing.T) {
	spec := strings.TrimSuffix(strings.Repeat("1-,", 1000), ",")
	got, err := ParseLineSpec(spec, 20000)
	if err != nil || len(got) != 20000 {
		t.Errorf("ParseLineSpec(1- ×1000) = %d lines, %v; want each of 20000 once", len(got), err)
	}
	opts := literalOptions{get: func(k string) (string, bool) { return "100000000", k == "tab-width" }}
	_, err = runLiteral("a\tb\n", "x.txt", opts, nil)
	var lp literalProblem
	if !errors.As(err, &lp) || lp.option != "tab-width" {
		t.Errorf("tab-width 100000000: %v, want a problem at the option", err)
	}
}
