package directives

import (
	"slices"
	"testing"
)

func TestParseCSV(t *testing.T) {
	std := CSVDialect{Delim: ',', Quote: '"', SkipInitialSpace: true}
	for _, tc := range []struct {
		name string
		text string
		d    CSVDialect
		want [][]string
	}{
		{"plain", "a,b\nc,d\n", std, [][]string{{"a", "b"}, {"c", "d"}}},
		{"no final newline", "a,b", std, [][]string{{"a", "b"}}},
		{"spaces after delim skipped", "a,  b", std, [][]string{{"a", "b"}}},
		{"trailing spaces kept", "a ,b ", std, [][]string{{"a ", "b "}}},
		{"keepspace", "a,  b", CSVDialect{Delim: ',', Quote: '"'}, [][]string{{"a", "  b"}}},
		{"keepspace makes a quote literal", `a, "b"`, CSVDialect{Delim: ',', Quote: '"'}, [][]string{{"a", ` "b"`}}},
		{"quoted delim", `"a,b",c`, std, [][]string{{"a,b", "c"}}},
		{"quoted after space", `x, "a,b"`, std, [][]string{{"x", "a,b"}}},
		{"doubled quote", `"say ""hi""",x`, std, [][]string{{`say "hi"`, "x"}}},
		{"quote inside unquoted field is literal", `ab"c,d`, std, [][]string{{`ab"c`, "d"}}},
		{"multi-line quoted field", "\"one\ntwo\",x\ny", std, [][]string{{"one\ntwo", "x"}, {"y"}}},
		{"empty fields", ",,", std, [][]string{{"", "", ""}}},
		{"blank line is an empty row", "a\n\nb", std, [][]string{{"a"}, nil, {"b"}}},
		{"CRLF", "a,b\r\nc\r\n", std, [][]string{{"a", "b"}, {"c"}}},
		{"tab delim", "a\tb c", CSVDialect{Delim: '\t', Quote: '"', SkipInitialSpace: true}, [][]string{{"a", "b c"}}},
		{"space delim", "a b  c", CSVDialect{Delim: ' ', Quote: '"', SkipInitialSpace: true}, [][]string{{"a", "b", "c"}}},
		{"space delim keepspace", "a b  c", CSVDialect{Delim: ' ', Quote: '"'}, [][]string{{"a", "b", "", "c"}}},
		{"custom quote", "'a;b';c", CSVDialect{Delim: ';', Quote: '\'', SkipInitialSpace: true}, [][]string{{"a;b", "c"}}},
		{"escape outside quotes", `a\,b,c`, CSVDialect{Delim: ',', Quote: '"', Escape: '\\'}, [][]string{{"a,b", "c"}}},
		{"escape inside quotes", `"a\"b",c`, CSVDialect{Delim: ',', Quote: '"', Escape: '\\'}, [][]string{{`a"b`, "c"}}},
		{"escape escapes itself", `a\\b`, CSVDialect{Delim: ',', Quote: '"', Escape: '\\'}, [][]string{{`a\b`}}},
		{"with escape a quote ends quoting", `"a"b,c`, CSVDialect{Delim: ',', Quote: '"', Escape: '\\'}, [][]string{{"ab", "c"}}},
		{"unicode delim", "a·b", CSVDialect{Delim: '·', Quote: '"'}, [][]string{{"a", "b"}}},
		{"empty input", "", std, nil},
	} {
		rows, err := ParseCSV(tc.text, tc.d)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		var got [][]string
		for _, r := range rows {
			var fields []string
			for _, f := range r {
				fields = append(fields, f.Text)
			}
			got = append(got, fields)
		}
		if !slices.EqualFunc(got, tc.want, slices.Equal) {
			t.Errorf("%s: ParseCSV(%q) = %q, want %q", tc.name, tc.text, got, tc.want)
		}
	}
}

func TestParseCSVErrors(t *testing.T) {
	std := CSVDialect{Delim: ',', Quote: '"', SkipInitialSpace: true}
	for _, tc := range []struct {
		text      string
		line, col int
		msg       string
	}{
		{"ok\n\"a\"b", 1, 3, `',' expected after '"'`},
		{"x,\"never closed\nmore", 0, 3, "unexpected end of data (a quoted field is never closed)"},
		{`"a" ,b`, 0, 3, `',' expected after '"'`},
	} {
		_, err := ParseCSV(tc.text, std)
		e, ok := err.(*CSVError)
		if !ok {
			t.Errorf("ParseCSV(%q) error = %v, want a CSVError", tc.text, err)
			continue
		}
		if e.Line != tc.line || e.Col != tc.col || e.Msg != tc.msg {
			t.Errorf("ParseCSV(%q) error at %d:%d %q, want %d:%d %q", tc.text, e.Line, e.Col, e.Msg, tc.line, tc.col, tc.msg)
		}
	}
}

func TestParseCSVPositions(t *testing.T) {
	rows, err := ParseCSV("a,  \"b\"\n  c", CSVDialect{Delim: ',', Quote: '"', SkipInitialSpace: true})
	if err != nil {
		t.Fatal(err)
	}
	var got [][2]int
	for _, r := range rows {
		for _, f := range r {
			got = append(got, [2]int{f.Line, f.Col})
		}
	}
	// Positions are where the text starts: after skipped spaces and the quote.
	if want := [][2]int{{0, 0}, {0, 5}, {1, 2}}; !slices.Equal(got, want) {
		t.Errorf("positions = %v, want %v", got, want)
	}
}

func TestCSVChar(t *testing.T) {
	for _, tc := range []struct {
		in    string
		words bool
		want  rune
		err   bool
	}{
		{";", false, ';', false},
		{"tab", true, '\t', false},
		{"space", true, ' ', false},
		{"tab", false, 0, true},
		{"U+003B", false, ';', false},
		{"0x3b", false, ';', false},
		{`\x3b`, false, ';', false},
		{"u263A", false, '☺', false},
		{"&#x3b;", false, ';', false},
		{"59", false, ';', false},
		{"·", false, '·', false},
		{"ab", false, 0, true},
		{"U+110000", false, 0, true},
	} {
		got, err := csvChar(tc.in, tc.words)
		if (err != nil) != tc.err || got != tc.want {
			t.Errorf("csvChar(%q, %v) = %q, %v; want %q, error %v", tc.in, tc.words, got, err, tc.want, tc.err)
		}
	}
}

func TestParseWidths(t *testing.T) {
	for _, tc := range []struct {
		in     string
		mode   string
		widths []int
		err    bool
	}{
		{"auto", "auto", nil, false},
		{"Grid", "grid", nil, false},
		{"1 2 3", "given", []int{1, 2, 3}, false},
		{"10, 20,30", "given", []int{10, 20, 30}, false},
		{"1 0", "", nil, true},
		{"1,,2", "", nil, true},
		{"wide", "", nil, true},
	} {
		mode, widths, err := parseWidths(tc.in)
		if (err != nil) != tc.err || mode != tc.mode || !slices.Equal(widths, tc.widths) {
			t.Errorf("parseWidths(%q) = %q %v %v", tc.in, mode, widths, err)
		}
	}
}
