package directives

import (
	"strings"
	"testing"
)

func TestOcticonSizes(t *testing.T) {
	for _, tc := range []struct {
		name, height, want string
	}{
		{"rocket", "1em", `width="1.0em" height="1.0em" class="sd-octicon sd-octicon-rocket" viewBox="0 0 16 16"`},
		{"rocket", "1.5em", `width="1.5em" height="1.5em" class="sd-octicon sd-octicon-rocket" viewBox="0 0 24 24"`},
		{"rocket", "20px", `width="20.0px" height="20.0px" class="sd-octicon sd-octicon-rocket" viewBox="0 0 16 16"`},
		{"rocket", "24px", `viewBox="0 0 24 24"`},
	} {
		svg, err := octicon(tc.name, tc.height, nil)
		if err != nil || !strings.Contains(svg, tc.want) || !strings.Contains(svg, `aria-hidden="true"><path`) {
			t.Errorf("octicon(%q, %q) = %s, %v; want it to contain %s", tc.name, tc.height, svg, err, tc.want)
		}
	}
	if len(octicons()) < 300 {
		t.Errorf("only %d octicons embedded", len(octicons()))
	}
	if _, err := octicon("rockt", "1em", nil); err == nil || !strings.Contains(err.Error(), `did you mean "rocket"?`) {
		t.Errorf("unknown icon: %v", err)
	}
	if _, err := octicon("rocket", "1 em", nil); err == nil {
		t.Error("a height with a space is accepted")
	}
}

func TestBadgeTooltips(t *testing.T) {
	for _, tc := range []struct{ in, text, tip string }{
		{"plain", "plain", ""},
		{"text;tip", "text", "tip"},
		{`a\;b`, "a;b", ""},
		{"trailing;", "trailing;", ""},
		{"a;b;c", "a;b", "c"},
	} {
		if text, tip := splitTooltip(tc.in); text != tc.text || tip != tc.tip {
			t.Errorf("splitTooltip(%q) = %q, %q; want %q, %q", tc.in, text, tip, tc.text, tc.tip)
		}
	}
	for _, tc := range []struct{ in, title, target, tip string }{
		{"https://x.org/a;b", "", "https://x.org/a;b", ""},
		{"Docs <https://x.org/a;b>", "Docs", "https://x.org/a;b", ""},
		{"Docs <https://x.org/a;b>;a tip", "Docs", "https://x.org/a;b", "a tip"},
	} {
		if title, target, tip := splitBadgeTarget(tc.in); title != tc.title || target != tc.target || tip != tc.tip {
			t.Errorf("splitBadgeTarget(%q) = %q, %q, %q", tc.in, title, target, tip)
		}
	}
}
