package directives

import (
	"bufio"
	"bytes"
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

func TestMaterialIcons(t *testing.T) {
	for _, tc := range []struct {
		style, name, height string
		classes             []string
		want                string
	}{
		{"regular", "settings", "1em", nil, `<svg version="1.1" width="1.0em" height="1.0em" class="sd-material-icon sd-material-icon-settings" viewBox="0 0 24 24" aria-hidden="true"><path d="M19.14 12.94`},
		{"outlined", "settings", "3em", []string{"sd-text-success"}, `width="3.0em" height="3.0em" class="sd-material-icon sd-material-icon-settings sd-text-success"`},
		{"round", "data_exploration", "24px", nil, `width="24.0px" height="24.0px"`},
		{"sharp", "home", "1.25rem", nil, `width="1.25rem"`},
		{"twotone", "settings", "2em", nil, `<path d="m19.28 8.6-.7-1.21`},
	} {
		svg, err := materialIcon(tc.style, tc.name, tc.height, tc.classes)
		if err != nil || !strings.Contains(svg, tc.want) || !strings.HasSuffix(svg, "</svg>") {
			t.Errorf("materialIcon(%q, %q, %q) = %s, %v; want it to contain %s", tc.style, tc.name, tc.height, svg, err, tc.want)
		}
	}
	// Every style has every icon, and "=" stands for the regular design.
	for name, styles := range materialIcons() {
		for i, svg := range styles {
			if svg == "" || svg == "=" || !strings.HasPrefix(svg, "<") {
				t.Fatalf("material-%s %q: bad SVG %q", materialStyles[i], name, svg)
			}
		}
	}
	if n := len(materialIcons()); n < 2000 {
		t.Errorf("only %d material icons embedded", n)
	}
	if _, err := materialIcon("regular", "setings", "1em", nil); err == nil || !strings.Contains(err.Error(), `unknown material-regular icon "setings"; did you mean "settings"?`) {
		t.Errorf("unknown icon: %v", err)
	}
	if _, err := materialIcon("round", "settings", "big", nil); err == nil || !strings.Contains(err.Error(), `height "big"`) {
		t.Errorf("bad height: %v", err)
	}
	// Ids inside an icon are made unique to it, so icons on one page cannot clash.
	svg, _ := materialIcon("twotone", "medication_liquid", "1em", nil)
	if strings.Contains(svg, `id="a"`) || !strings.Contains(svg, `id="sd-mi-twotone-medication_liquid-a"`) {
		t.Errorf("ids not prefixed: %s", svg)
	}
}

func TestIconRoleChecks(t *testing.T) {
	roles := map[string]*RoleSpec{}
	for _, r := range designRoles() {
		roles[r.Name] = r
	}
	for _, tc := range []struct{ role, content, err string }{
		{"material-regular", "settings", ""},
		{"material-outlined", "settings;2em;sd-text-info", ""},
		{"material-twotone", "no_such_icon", "unknown material-twotone icon"},
		{"material-sharp", "settings;2 em", "height"},
		{"fas", "spinner;sd-bg-primary", ""},
		{"fa-brands", "github", ""},
		{"fab", "", "FontAwesome icon name"},
		{"far", "Bad Name", "FontAwesome icon name"},
		{"octicon", "rocket;1em", ""},
	} {
		spec := roles[tc.role]
		if spec == nil || spec.Check == nil {
			t.Fatalf("no checked role %q", tc.role)
		}
		err := spec.Check(&Role{Name: tc.role, Content: tc.content})
		if tc.err == "" && err != nil || tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)) {
			t.Errorf("{%s}`%s`: %v, want %q", tc.role, tc.content, err, tc.err)
		}
	}
	var b bytes.Buffer
	w := bufio.NewWriter(&b)
	roles["fas"].Render(w, &Role{Name: "fas", Content: "spinner;sd-bg-primary sd-bg-text-primary"})
	w.Flush()
	if want := `<span class="fas fa-spinner sd-bg-primary sd-bg-text-primary"></span>`; b.String() != want {
		t.Errorf("{fas} = %s, want %s", b.String(), want)
	}
}
