package directives

import "testing"

func TestEvalTags(t *testing.T) {
	for _, tc := range []struct {
		expr string
		want bool
		err  bool
	}{
		{"html", true, false},
		{"latex", false, false},
		{"builder_html and format_html", true, false},
		{"not html", false, false},
		{"not not html", true, false},
		{"html and not latex", true, false},
		{"latex or html", true, false},
		{"(latex or epub) and html", false, false},
		{"(html or epub) and not (latex)", true, false},
		{"latex and html or html", true, false}, // and binds tighter
		{"html and", false, true},
		{"(html", false, true},
		{"html)", false, true},
		{"html latex", false, true},
		{"html-x!", false, true},
		{"", false, true},
	} {
		got, err := EvalTags(tc.expr, htmlTags)
		if (err != nil) != tc.err || (err == nil && got != tc.want) {
			t.Errorf("EvalTags(%q) = %v, %v; want %v, error %v", tc.expr, got, err, tc.want, tc.err)
		}
	}
}
