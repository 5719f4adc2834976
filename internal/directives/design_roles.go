package directives

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/docsgen/docsgen/internal/diag"
	"github.com/yuin/goldmark/util"
)

// sphinx-design's roles: the badges {bdg-COLOR}, {bdg-COLOR-line},
// {bdg-link-COLOR…}, {bdg-ref-COLOR…}, and the icons {octicon},
// {material-STYLE} (both inline SVG from embedded data) and the FontAwesome
// {fa}, {fas}, {fab}, {far}, {fa-solid}, {fa-brands}, {fa-regular} (markup
// only: the site must load FontAwesome).

// designRoles returns one spec per badge role and colour, and the icon roles.
func designRoles() []*RoleSpec {
	return append(badgeRoles(), iconRoles()...)
}

// iconRoles are {octicon}'s siblings: FontAwesome and Material icons.
func iconRoles() []*RoleSpec {
	var roles []*RoleSpec
	for _, fa := range []struct{ name, style string }{
		{"fa", "FontAwesome 4 (any style)"}, {"fas", "solid"}, {"fab", "brands"}, {"far", "regular"},
		{"fa-solid", "solid"}, {"fa-brands", "brands"}, {"fa-regular", "regular"},
	} {
		roles = append(roles, &RoleSpec{Name: fa.name, Render: renderFontAwesome, Uses: "design", Check: checkFontAwesome,
			Doc: "a FontAwesome icon (" + fa.style + "), `name` or `name;classes`, written as `<span class=\"" + fa.name + " fa-NAME\">` as sphinx-design does; docsgen does not ship FontAwesome, so it shows only where the theme or site loads FontAwesome's CSS (as in Sphinx without `sd_fontawesome_source`)"})
	}
	for _, style := range materialStyles {
		roles = append(roles, &RoleSpec{Name: "material-" + style, Render: renderMaterialRole(style), Uses: "design", Check: checkMaterialRole(style),
			Doc: "a Google Material icon, " + style + " style, as inline SVG: `name`, `name;height` or `name;height;classes` (height like `1em`, `24px`, `2rem`; default `1em`)"})
	}
	return roles
}

// badgeRoles returns one spec per badge role and colour, and {octicon}.
func badgeRoles() []*RoleSpec {
	roles := []*RoleSpec{
		{Name: "octicon", Render: renderOcticonRole, Uses: "design", Check: checkOcticon, Doc: "a GitHub Octicon as inline SVG: `name`, `name;height` or `name;height;classes` (height like `1em`, `16px`, `1.5rem`; default `1em`)"},
		{Name: "bdg", Render: renderBadge("", false), Doc: "a plain badge; `text;tooltip` adds a tooltip"},
		{Name: "bdg-link", Render: renderLinkBadge("", false), Doc: "a badge linking to a URL: `url` or `text <url>`"},
		{Name: "bdg-ref", Render: renderRefBadge("", false), Doc: "a badge linking to a label or document: `target` or `text <target>`"},
	}
	for _, col := range semanticColors {
		roles = append(roles,
			&RoleSpec{Name: "bdg-" + col, Render: renderBadge(col, false), Doc: "a " + col + " badge; `text;tooltip` adds a tooltip"},
			&RoleSpec{Name: "bdg-" + col + "-line", Render: renderBadge(col, true), Doc: "an outlined " + col + " badge"},
			&RoleSpec{Name: "bdg-link-" + col, Render: renderLinkBadge(col, false), Doc: "a " + col + " badge linking to a URL: `url` or `text <url>`"},
			&RoleSpec{Name: "bdg-link-" + col + "-line", Render: renderLinkBadge(col, true), Doc: "an outlined " + col + " badge linking to a URL"},
			&RoleSpec{Name: "bdg-ref-" + col, Render: renderRefBadge(col, false), Doc: "a " + col + " badge linking to a label or document: `target` or `text <target>`"},
			&RoleSpec{Name: "bdg-ref-" + col + "-line", Render: renderRefBadge(col, true), Doc: "an outlined " + col + " badge linking to a label or document"},
		)
	}
	for _, r := range roles[1:] { // the badges
		r.Uses = "design"
		if strings.HasPrefix(r.Name, "bdg-link") || strings.HasPrefix(r.Name, "bdg-ref") {
			r.Refs = badgeRefs
		}
	}
	return roles
}

// badgeRefs resolves a link or ref badge like any link, so it is checked
// and points where the site put its target.
func badgeRefs(ro *Role, r Referrer) {
	title, target, _ := splitBadgeTarget(ro.Content)
	kind := "link"
	if strings.HasPrefix(ro.Name, "bdg-ref") {
		kind = designRefKind("any", target)
		target = strings.TrimSuffix(strings.Join(strings.Fields(target), " "), ".md")
	}
	r.Ref(kind, target, r.Pos(), func(url, t string, ok bool) {
		ro.Label = title
		ro.URL, ro.Resolved = url, ok
		if kind == "link" && !ok {
			ro.URL, ro.Resolved = target, true // a URL is written as given
		}
		if ro.Label == "" && ok && kind != "link" {
			ro.Label = t
		}
		if ro.Label == "" {
			ro.Label = target
		}
	})
}

// badgeClasses are sphinx-design's classes of a badge.
func badgeClasses(color string, outline bool) string {
	switch {
	case color == "":
		return "sd-sphinx-override sd-badge"
	case outline:
		return "sd-sphinx-override sd-badge sd-outline-" + color + " sd-text-" + color
	}
	return "sd-sphinx-override sd-badge sd-bg-" + color + " sd-bg-text-" + color
}

func renderBadge(color string, outline bool) func(util.BufWriter, *Role) {
	return func(w util.BufWriter, ro *Role) {
		text, tip := splitTooltip(ro.Content)
		fmt.Fprintf(w, `<span class="%s"`, badgeClasses(color, outline))
		attr(w, "title", tip)
		fmt.Fprintf(w, ">%s</span>", html.EscapeString(text))
	}
}

func renderLinkBadge(color string, outline bool) func(util.BufWriter, *Role) {
	return func(w util.BufWriter, ro *Role) {
		_, _, tip := splitBadgeTarget(ro.Content)
		writeBadgeLink(w, badgeClasses(color, outline)+" reference external", ro, tip)
	}
}

func renderRefBadge(color string, outline bool) func(util.BufWriter, *Role) {
	return func(w util.BufWriter, ro *Role) {
		title, target, tip := splitBadgeTarget(ro.Content)
		if !ro.Resolved {
			fmt.Fprintf(w, `<span class="%s"><span class="xref any missing">%s</span></span>`, badgeClasses(color, outline), html.EscapeString(cmpOr(title, target)))
			return
		}
		writeBadgeLink(w, badgeClasses(color, outline)+" reference internal", ro, tip)
	}
}

func writeBadgeLink(w util.BufWriter, classes string, ro *Role, tip string) {
	fmt.Fprintf(w, `<a class="%s" href="%s"`, classes, html.EscapeString(ro.URL))
	attr(w, "title", tip)
	fmt.Fprintf(w, "><span>%s</span></a>", html.EscapeString(ro.Label))
}

// splitTooltip splits a badge's "text;tooltip" at the last ';' not escaped
// with a backslash; "\;" is a literal ';'.
func splitTooltip(s string) (text, tooltip string) {
	if i := lastUnescapedSemicolon(s); i >= 0 {
		if tip := unescapeBackslashes(strings.TrimSpace(s[i+1:])); tip != "" {
			return unescapeBackslashes(strings.TrimSpace(s[:i])), tip
		}
	}
	return unescapeBackslashes(strings.TrimSpace(s)), ""
}

// splitBadgeTarget splits a link or ref badge's "text <target>;tooltip":
// a ';' is a tooltip separator only after an explicit target, since URLs
// and labels may hold one.
func splitBadgeTarget(s string) (title, target, tooltip string) {
	for end := len(s); ; {
		i := lastUnescapedSemicolon(s[:end])
		if i < 0 {
			break
		}
		if explicitTitleRe.MatchString(strings.TrimSpace(s[:i])) {
			if tip := unescapeBackslashes(strings.TrimSpace(s[i+1:])); tip != "" {
				s, tooltip = strings.TrimSpace(s[:i]), tip
			}
			break
		}
		end = i
	}
	title, target = SplitTitle(strings.ReplaceAll(s, `\;`, ";"))
	return title, target, tooltip
}

func lastUnescapedSemicolon(s string) int {
	for i := strings.LastIndexByte(s, ';'); i >= 0; i = strings.LastIndexByte(s[:i], ';') {
		backslashes := len(s[:i]) - len(strings.TrimRight(s[:i], `\`))
		if backslashes%2 == 0 {
			return i
		}
	}
	return -1
}

var backslashEscapeRe = regexp.MustCompile(`\\(.)`)

func unescapeBackslashes(s string) string { return backslashEscapeRe.ReplaceAllString(s, "$1") }

func renderOcticonRole(w util.BufWriter, ro *Role) {
	parts := strings.Split(ro.Content, ";")
	height, classes := "1em", ""
	if len(parts) > 1 {
		height = parts[1]
	}
	if len(parts) > 2 {
		classes = parts[2]
	}
	svg, err := octicon(strings.TrimSpace(parts[0]), strings.TrimSpace(height), strings.Fields(classes))
	if err != nil {
		return // reported by checkOcticon; readers see nothing
	}
	w.WriteString(svg)
}

// checkOcticon reports an unknown icon or a bad height when the page is
// parsed.
func checkOcticon(ro *Role) error {
	parts := strings.Split(ro.Content, ";")
	height := "1em"
	if len(parts) > 1 {
		height = parts[1]
	}
	_, err := octicon(strings.TrimSpace(parts[0]), strings.TrimSpace(height), nil)
	return err
}

// renderFontAwesome writes sphinx-design's FontAwesome markup: the role's
// name and fa-NAME as classes, then any extra classes.
func renderFontAwesome(w util.BufWriter, ro *Role) {
	if checkFontAwesome(ro) != nil {
		return // reported by the check; readers see nothing
	}
	name, classes, _ := strings.Cut(ro.Content, ";")
	fmt.Fprintf(w, `<span class="%s"></span>`, html.EscapeString(strings.Join(append([]string{ro.Name, "fa-" + strings.TrimSpace(name)}, strings.Fields(classes)...), " ")))
}

var faNameRe = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

// checkFontAwesome reports a missing or malformed icon name; docsgen has
// no FontAwesome catalogue, so any well-formed name is accepted.
func checkFontAwesome(ro *Role) error {
	name, _, _ := strings.Cut(ro.Content, ";")
	if name = strings.TrimSpace(name); !faNameRe.MatchString(name) {
		return fmt.Errorf("FontAwesome icon name %q must be lowercase words joined by '-', like `spinner` or `circle-check`", name)
	}
	return nil
}

// splitIcon splits an icon role's "name;height;classes".
func splitIcon(content string) (name, height string, classes []string) {
	parts := strings.Split(content, ";")
	height = "1em"
	if len(parts) > 1 {
		height = parts[1]
	}
	if len(parts) > 2 {
		classes = strings.Fields(parts[2])
	}
	return strings.TrimSpace(parts[0]), strings.TrimSpace(height), classes
}

func renderMaterialRole(style string) func(util.BufWriter, *Role) {
	return func(w util.BufWriter, ro *Role) {
		name, height, classes := splitIcon(ro.Content)
		if svg, err := materialIcon(style, name, height, classes); err == nil {
			w.WriteString(svg)
		} // else reported by checkMaterialRole; readers see nothing
	}
}

func checkMaterialRole(style string) func(*Role) error {
	return func(ro *Role) error {
		name, height, _ := splitIcon(ro.Content)
		_, err := materialIcon(style, name, height, nil)
		return err
	}
}

// materialStyles are the styles of the {material-STYLE} roles, in the
// order of the fields of materialicons/icons.txt.gz.
var materialStyles = []string{"regular", "outlined", "round", "sharp", "twotone"}

// Google's Material Icons, the 24px SVG designs of
// @material-design-icons/svg trimmed by materialicons/gen.go (version in
// materialicons/VERSION, Apache 2.0 licence in materialicons/LICENSE).
//
//go:generate go run materialicons/gen.go -version 0.14.15 -out materialicons
//go:embed materialicons/icons.txt.gz
var materialGz []byte

// materialIcons maps an icon name to its SVG content in each style ("" for
// a style it lacks).
var materialIcons = sync.OnceValue(func() map[string][]string {
	zr, err := gzip.NewReader(bytes.NewReader(materialGz))
	if err != nil {
		panic("materialicons: " + err.Error()) // embedded at build time; a test reads it
	}
	m := map[string][]string{}
	sc := bufio.NewScanner(zr)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		f := strings.Split(sc.Text(), "\t")
		if len(f) != 1+len(materialStyles) {
			panic("materialicons: bad line " + strconv.Quote(f[0]))
		}
		for i := 2; i < len(f); i++ {
			if f[i] == "=" {
				f[i] = f[1]
			}
		}
		m[f[0]] = f[1:]
	}
	if err := sc.Err(); err != nil {
		panic("materialicons: " + err.Error())
	}
	return m
})

// materialIcon returns a Material icon as inline SVG, height tall, with
// sphinx-design's classes. The data has only the 24px designs, so every
// size draws those (sphinx-design also has 20px designs of some icons,
// used below 1.5em or 24px).
func materialIcon(style, name, height string, classes []string) (string, error) {
	i := slices.Index(materialStyles, style)
	var svg string
	if icon, ok := materialIcons()[name]; ok && i >= 0 {
		svg = icon[i]
	}
	if svg == "" {
		msg := fmt.Sprintf("unknown material-%s icon %q", style, name)
		var names []string
		for n, icon := range materialIcons() {
			if i >= 0 && icon[i] != "" {
				names = append(names, n)
			}
		}
		slices.Sort(names)
		if best := diag.Closest(name, names); best != "" {
			msg += "; " + diag.DidYouMean(quote(best))
		}
		return "", errors.New(msg)
	}
	m := octiconHeightRe.FindStringSubmatch(height)
	if m == nil {
		return "", fmt.Errorf("material icon height %q must be a number with px, em or rem", height)
	}
	value, _ := strconv.ParseFloat(m[1], 64)
	size := pyFloat(roundTo3(value)) + m[2]
	return fmt.Sprintf(`<svg version="1.1" width="%s" height="%s" class="%s" viewBox="0 0 24 24" aria-hidden="true">%s</svg>`,
		size, size, html.EscapeString(strings.Join(append([]string{"sd-material-icon", "sd-material-icon-" + name}, classes...), " ")), svg), nil
}

// The Primer Octicons, trimmed from @primer/octicons's build/data.json by
// octicons/gen.go (version in octicons/VERSION, MIT licence in
// octicons/LICENSE).
//
//go:generate go run octicons/gen.go -version 19.42.0 -out octicons
//go:embed octicons/octicons.json
var octiconJSON []byte

type octiconSize struct {
	Width int    `json:"width"`
	Path  string `json:"path"`
}

var octicons = sync.OnceValue(func() map[string]map[string]octiconSize {
	var m map[string]map[string]octiconSize
	if err := json.Unmarshal(octiconJSON, &m); err != nil {
		panic("octicons.json: " + err.Error()) // embedded at build time; a test reads it
	}
	return m
})

var octiconHeightRe = regexp.MustCompile(`^(\d+(?:\.\d+)?)(px|em|rem)$`)

// octicon returns an icon as inline SVG, height tall (1em, 24px, 1.5rem),
// drawn from the 24px design when the height is at least 1.5em or 24px and
// the icon has one, else the 16px design, as sphinx-design does.
func octicon(name, height string, classes []string) (string, error) {
	sizes, ok := octicons()[name]
	if !ok {
		msg := fmt.Sprintf("unknown octicon %q", name)
		if best := diag.Closest(name, slices.Sorted(maps.Keys(octicons()))); best != "" {
			msg += "; " + diag.DidYouMean(quote(best))
		}
		return "", errors.New(msg)
	}
	m := octiconHeightRe.FindStringSubmatch(height)
	if m == nil {
		return "", fmt.Errorf("octicon height %q must be a number with px, em or rem", height)
	}
	value, _ := strconv.ParseFloat(m[1], 64)
	value = roundTo3(value)
	unit := m[2]
	design := 16
	if _, has16 := sizes["16"]; !has16 {
		design = smallestSize(sizes)
	} else if _, has24 := sizes["24"]; has24 && (unit == "px" && value >= 24 || unit != "px" && value >= 1.5) {
		design = 24
	}
	size := sizes[strconv.Itoa(design)]
	width := roundTo3(float64(size.Width) * value / float64(design))
	return fmt.Sprintf(`<svg version="1.1" width="%s%s" height="%s%s" class="%s" viewBox="0 0 %d %d" aria-hidden="true">%s</svg>`,
		pyFloat(width), unit, pyFloat(value), unit, html.EscapeString(strings.Join(append([]string{"sd-octicon", "sd-octicon-" + name}, classes...), " ")),
		size.Width, design, size.Path), nil
}

// mustOcticon is octicon for the icons the directives themselves use.
func mustOcticon(name, height string, classes []string) string {
	svg, err := octicon(name, height, classes)
	if err != nil {
		panic(err)
	}
	return svg
}

func smallestSize(sizes map[string]octiconSize) int {
	best := 0
	for k := range sizes {
		if n, err := strconv.Atoi(k); err == nil && (best == 0 || n < best) {
			best = n
		}
	}
	return best
}

func roundTo3(v float64) float64 {
	r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'f', 3, 64), 64)
	return r
}

// pyFloat formats a number as Python's str(float) does for these sizes
// (1 → "1.0"), so the SVG attributes match sphinx-design's.
func pyFloat(v float64) string {
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}
