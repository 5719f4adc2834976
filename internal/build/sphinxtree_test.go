package build

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/docsgen/docsgen/internal/config"
	"github.com/docsgen/docsgen/internal/diag"
	"golang.org/x/net/html"
)

// testdata/sphinxtree is the docs/ folder of a Django research portal as a
// Sphinx + MyST-Parser + sphinx-design + sphinxcontrib-mermaid project lays
// it out, written by hand to use every feature such trees use; the
// per-model reference pages are generated here (modelNames). The site must
// build with no diagnostic but the python-only warnings listed, every card,
// diagram, formula and link working, and every id Sphinx gave a section
// still there. The expected Sphinx ids below were worked out by hand from
// docutils' make_id rule (shared/notes/sphinx-compat.md), never with the
// code under test.

// sphinxTreeWant is every diagnostic of the tree: the two autodoc
// directives, which need Python.
var sphinxTreeWant = []string{
	"docs/developer/api.md:7:1: warning: autodoc2-object needs the sphinx-autodoc2 extension (Python); docsgen renders nothing for it [directive.python-only]",
	"docs/developer/api.md:13:1: warning: automodule needs Sphinx's autodoc extension (Python); docsgen renders nothing for it [directive.python-only]",
}

// modelNames are the generated pages of reference/models/ (a glob toctree).
var modelNames = []string{
	"Cohort", "Sample", "Sample type", "Site", "Dataset", "Dataset version", "Dataset file", "Measurement",
	"Measurement type", "Project", "Membership", "Data use agreement", "Export job", "Import job",
	"Import row", "Notification", "Webhook", "Webhook delivery", "API token", "Audit event", "DOI",
	"Licence", "Publication", "Tag",
}

func modelSlug(name string) string { return strings.ReplaceAll(strings.ToLower(name), " ", "-") }

// modelPage is one generated page: a label, a fields table, links to its
// neighbours (without .md, {ref}, {doc}, {term}), math on every third page,
// a diagram on every fourth, a duplicated heading on every fifth.
func modelPage(i int) string {
	name, slug := modelNames[i], modelSlug(modelNames[i])
	prev, next := modelNames[(i+len(modelNames)-1)%len(modelNames)], modelNames[(i+1)%len(modelNames)]
	var b strings.Builder
	fmt.Fprintf(&b, "(model-%s)=\n# %s\n\n{bdg-secondary}`portal.models` Table `portal_%s`.\n\n", slug, name, strings.ReplaceAll(slug, "-", "_"))
	b.WriteString("## Fields\n\n```{list-table}\n:header-rows: 1\n\n* - Field\n  - Type\n* - `id`\n  - `BigAutoField`\n* - `created_at`\n  - `DateTimeField`\n```\n\n")
	fmt.Fprintf(&b, "## Relations\n\nPrevious: [%s](%s); next: {ref}`model-%s`. Every {term}`Sample` is described in {doc}`/user-guide/samples`.\n\n",
		prev, modelSlug(prev), modelSlug(next))
	fmt.Fprintf(&b, "## Changes in v3.%d\n\nNothing incompatible.\n\n", i%3)
	if i%3 == 0 {
		fmt.Fprintf(&b, "Expected size: $N_{%d} \\approx %d \\cdot 10^3$ rows.\n\n", i, i+1)
	}
	if i%4 == 0 {
		fmt.Fprintf(&b, "```mermaid\nclassDiagram\n  class M%d\n  M%d : +BigAutoField id\n```\n\n", i, i)
	}
	b.WriteString("## Examples\n\n`Model.objects.all()`\n\n")
	if i%5 == 0 {
		b.WriteString("## Examples\n\n`Model.objects.filter(pk=1)`\n")
	}
	return b.String()
}

// sphinxTreeDir copies the tree into a temporary folder, adds the
// generated pages and makes it the working folder.
func sphinxTreeDir(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(filepath.Join("testdata", "sphinxtree"))); err != nil {
		t.Fatal(err)
	}
	for i, name := range modelNames {
		p := filepath.Join(dir, "docs", "reference", "models", modelSlug(name)+".md")
		if err := os.WriteFile(p, []byte(modelPage(i)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
	return dir
}

func buildTree(t testing.TB, mode Mode) *Result {
	t.Helper()
	cfg, err := config.Load("")
	if err != nil {
		t.Fatal(err)
	}
	res, err := Build(context.Background(), Options{Config: cfg, Mode: mode, FailLevel: diag.Error})
	if err != nil {
		if res != nil {
			for _, d := range res.Diags {
				t.Log(d)
			}
		}
		t.Fatalf("build: %v", err)
	}
	return res
}

func TestSphinxTree(t *testing.T) {
	dir := sphinxTreeDir(t)
	res := buildTree(t, DryRun)

	// Diagnostics: exactly the python-only warnings, nothing else (no
	// unknown directive or role, no ref.*, no toctree.orphan).
	var got []string
	for _, d := range res.Diags {
		got = append(got, d.String())
	}
	if !slices.Equal(got, sphinxTreeWant) {
		t.Errorf("diagnostics:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(sphinxTreeWant, "\n"))
	}

	// linkcheck runs the same resolution and must agree.
	check := buildTree(t, Check)
	if a, b := string(formatDiags(res.Diags)), string(formatDiags(check.Diags)); a != b {
		t.Errorf("linkcheck (Mode Check) disagrees with the build:\nbuild:\n%s\ncheck:\n%s", a, b)
	}

	// Every source page is a page of the site.
	sources := sourcePages(t, filepath.Join(dir, "docs"))
	if len(sources) < 55 {
		t.Fatalf("the tree has %d pages, want a realistic size", len(sources))
	}
	pages := map[string]*html.Node{}
	for src := range sources {
		out := strings.TrimSuffix(src, ".md") + ".html"
		data, ok := res.Files[out]
		if !ok {
			t.Errorf("no output page %s for %s", out, src)
			continue
		}
		doc, err := html.Parse(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		pages[out] = doc
		// No error box, no link that resolved nowhere.
		for _, bad := range []string{"docsgen-error", "missing", "unresolved"} {
			if n := find(doc, func(n *html.Node) bool { return slices.Contains(strings.Fields(attr(n, "class")), bad) }); n != nil {
				t.Errorf("%s: an element of class %q: %q", out, bad, text(n))
			}
		}
	}
	for name, data := range res.Files {
		// The 404 page inlines the theme's stylesheet, which styles the class.
		data = styleRe.ReplaceAll(data, nil)
		if bytes.Contains(data, []byte("docsgen-error")) {
			t.Errorf("%s: holds docsgen-error", name)
		}
	}
	if res.Pages != len(sources) {
		t.Errorf("built %d pages, the tree has %d", res.Pages, len(sources))
	}

	assets := map[string]bool{}
	for _, out := range res.Site.Assets {
		assets[filepath.ToSlash(out)] = true
	}
	checkAllLinks(t, pages, assets)
	checkLinkTable(t, pages)
	checkCards(t, pages, sources)
	checkMermaid(t, pages, sources, filepath.Join(dir, "docs"))
	checkMath(t, pages)
	checkDirectives(t, pages, sources)
	checkHeadings(t, pages)
	checkNavigation(t, pages)
}

var styleRe = regexp.MustCompile(`(?s)<style>.*?</style>`)

// sourcePages maps each page's slash path below docs/ to its source.
func sourcePages(t *testing.T, docs string) map[string]string {
	out := map[string]string{}
	err := filepath.WalkDir(docs, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".md") {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(docs, p)
		out[filepath.ToSlash(rel)] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func article(doc *html.Node) *html.Node {
	return find(doc, func(n *html.Node) bool { return n.Data == "article" })
}

func ids(doc *html.Node) map[string]int {
	m := map[string]int{}
	for _, n := range findAll(doc, func(n *html.Node) bool { return attr(n, "id") != "" }) {
		m[attr(n, "id")]++
	}
	return m
}

// checkAllLinks follows every href and src of every page: an internal one
// must reach a built page (and an id in it) or a copied file; ids are
// unique within a page.
func checkAllLinks(t *testing.T, pages map[string]*html.Node, assets map[string]bool) {
	t.Helper()
	scheme := regexp.MustCompile(`^[a-z][a-z0-9+.-]*:`)
	for out, doc := range pages {
		for id, n := range ids(doc) {
			if n > 1 {
				t.Errorf("%s: id %q is used %d times", out, id, n)
			}
		}
		// <a> and <img>; the theme's <link> and <script> are checked by
		// the build itself.
		for _, n := range findAll(doc, func(n *html.Node) bool { return n.Data == "a" && attr(n, "href") != "" || n.Data == "img" }) {
			ref := attr(n, "href") + attr(n, "src")
			if scheme.MatchString(ref) || strings.HasPrefix(ref, "//") {
				continue
			}
			file, frag, _ := strings.Cut(ref, "#")
			target := out
			if file != "" {
				target = path.Join(path.Dir(out), file)
			}
			page, isPage := pages[target]
			switch {
			case isPage:
				if frag != "" {
					if ids(page)[unescapeFrag(frag)] == 0 {
						t.Errorf("%s: link %q: no id %q in %s", out, ref, frag, target)
					}
				}
			case assets[target]:
			default:
				t.Errorf("%s: link %q leads to nothing built (%s)", out, ref, target)
			}
		}
	}
}

func unescapeFrag(f string) string {
	var b bytes.Buffer
	for i := 0; i < len(f); i++ {
		if f[i] == '%' && i+2 < len(f) {
			var c byte
			if _, err := fmt.Sscanf(f[i+1:i+3], "%02x", &c); err == nil {
				b.WriteByte(c)
				i += 2
				continue
			}
		}
		b.WriteByte(f[i])
	}
	return b.String()
}

// checkLinkTable: the links that exercise MyST's resolution rules go where
// Sphinx sent them.
func checkLinkTable(t *testing.T, pages map[string]*html.Node) {
	t.Helper()
	for _, l := range []struct{ page, text, href string }{
		// without .md, to a heading, to a label
		{"index.html", "The glossary", "glossary.html"},
		{"index.html", "Settings", "reference/settings.html#portal-settings"},
		{"index.html", "About this glossary", "glossary.html#genindex-note"},
		{"index.html", "Architecture", "developer/architecture.html#architecture"},
		{"user-guide/getting-started.html", "Searching", "searching.html"},
		{"developer/contributing.html", "testing", "testing.html"},
		// reference-style definitions at the bottom, used in directive bodies
		{"user-guide/getting-started.html", "project", "datasets.html#projects-and-permissions"},
		{"user-guide/samples.html", "cohort", "../glossary.html#term-Cohort"},
		{"user-guide/samples.html", "import reference", "../reference/cli.html#portal-import"},
		{"user-guide/samples.html", "background task", "../developer/architecture.html#background-tasks"},
		{"reference/settings.html", "Django docs", "https://docs.djangoproject.com/en/5.0/ref/settings/#secure-hsts-seconds"},
		// headings by GitHub slug and by docutils id
		{"admin/configuration.html", "Ranking (v3.2+)", "../user-guide/searching.html#ranking-v32"},
		{"admin/configuration.html", "Sphinx-style anchor", "../user-guide/searching.html#ranking-v3-2"},
		{"archive/2023.html", "Citing", "../about/citing.html#how-to-cite-a-dataset"},
		{"reference/rest-api.html", "the import rules", "../user-guide/samples.html#import-rules"},
		// roles and buttons
		{"index.html", "Start here", "user-guide/getting-started.html"},
		{"index.html", "Open the live portal", "https://portal.example.org/"},
		{"user-guide/datasets.html", "the roles table", "#dataset-roles-table"},
		{"user-guide/datasets.html", "Roles", "#dataset-roles"},
		{"admin/configuration.html", "Portal settings", "../reference/settings.html"},
		{"user-guide/getting-started.html", "export guide", "exporting.html"},
		{"user-guide/getting-started.html", "token-lifetime", ""}, // {ref} shows the title, not the label
		{"user-guide/getting-started.html", "Token lifetime", "../reference/rest-api.html#token-lifetime"},
		{"user-guide/getting-started.html", "Curate a dataset", "datasets.html#datasets"},
		{"user-guide/getting-started.html", "ORCID iD", "../glossary.html#term-ORCID-iD"},
		{"user-guide/exporting.html", "setting", "../reference/settings.html#portal-settings"},
		{"user-guide/exporting.html", "(1)", "#equation-export-size"},
		{"developer/statistics.html", "The SD", "#equation-sample-sd"},
		{"developer/setup.html", "virtualenv tab", "#setup-venv"},
		{"reference/changelog.html", "Release history", "../archive/index.html#release-history"},
		{"about/index.html", "release history", "../archive/index.html"},
		// downloads, by role and by link
		{"user-guide/samples.html", "this template", "../downloads/sample-import.csv"},
		{"user-guide/exporting.html", "portal.example.env", "../downloads/portal.example.env"},
		{"user-guide/exporting.html", "sample-import.csv", "../downloads/sample-import.csv"},
		// generated pages
		{"reference/models/sample.html", "Cohort", "cohort.html"},
		{"reference/models/sample.html", "Sample type", "sample-type.html#model-sample-type"},
		{"reference/models/tag.html", "Cohort", "cohort.html#model-cohort"},
	} {
		a := find(article(pages[l.page]), func(n *html.Node) bool {
			return n.Data == "a" && strings.TrimSpace(text(n)) == l.text
		})
		switch {
		case l.href == "" && a != nil:
			t.Errorf("%s: a link reads %q", l.page, l.text)
		case l.href == "":
		case a == nil:
			t.Errorf("%s: no link %q", l.page, l.text)
		case attr(a, "href") != l.href:
			t.Errorf("%s: link %q → %q, want %q", l.page, l.text, attr(a, "href"), l.href)
		}
	}
}

var directiveOpen = regexp.MustCompile("^(`{3,}|~{3,}|:{3,})\\s*(\\{[a-z0-9-]+\\}|mermaid)\\s*(.*)$")

// block is a fenced directive of a source page.
type block struct {
	name, arg string
	options   map[string]string
	body      []string
}

// directiveBlocks finds the fenced directives of a page, nested ones too.
func directiveBlocks(src string) []block {
	var out []block
	lines := strings.Split(src, "\n")
	for i := 0; i < len(lines); i++ {
		m := directiveOpen.FindStringSubmatch(lines[i])
		if m == nil {
			continue
		}
		b := block{name: strings.Trim(m[2], "{}"), arg: m[3], options: map[string]string{}}
		j := i + 1
		for ; j < len(lines) && strings.HasPrefix(lines[j], ":") && !strings.HasPrefix(lines[j], ":::"); j++ {
			k, v, _ := strings.Cut(strings.TrimPrefix(lines[j], ":"), ":")
			b.options[k] = strings.TrimSpace(v)
		}
		for ; j < len(lines); j++ {
			if strings.TrimSpace(lines[j]) == m[1] {
				break
			}
			b.body = append(b.body, lines[j])
		}
		out = append(out, b)
	}
	return out
}

// checkCards: every linked grid-item-card of the sources is one card with
// one stretched <a> whose href resolves; the hand-picked ones go where
// sphinx-design sent them.
func checkCards(t *testing.T, pages map[string]*html.Node, sources map[string]string) {
	t.Helper()
	want := map[string][]string{
		"index.html": {"user-guide/getting-started.html", "admin/installation.html#admin-install", "developer/index.html",
			"reference/settings.html", "https://git.example.org/portal/portal", "glossary.html"},
		"user-guide/datasets.html":    {"https://portal.example.org/datasets/42", "samples.html"},
		"developer/architecture.html": {"#samples-app", "../user-guide/datasets.html"},
		"about/team.html":             nil,
	}
	total := 0
	for src, source := range sources {
		out := strings.TrimSuffix(src, ".md") + ".html"
		linked := 0
		cards := 0
		for _, b := range directiveBlocks(source) {
			if b.name == "grid-item-card" || b.name == "card" {
				cards++
				if b.options["link"] != "" {
					linked++
				}
			}
		}
		doc := article(pages[out])
		var hrefs []string
		gotCards := findAll(doc, func(n *html.Node) bool { return hasClass("sd-card")(n) && !hasClass("sd-dropdown")(n) })
		if len(gotCards) != cards {
			t.Errorf("%s: %d cards, the source has %d grid-item-cards", out, len(gotCards), cards)
		}
		for _, c := range gotCards {
			links := findAll(c, hasClass("sd-stretched-link"))
			if len(links) > 1 {
				t.Errorf("%s: a card has %d stretched links", out, len(links))
			}
			for _, l := range links {
				if l.Data != "a" || attr(l, "href") == "" {
					t.Errorf("%s: card link is a <%s> without href", out, l.Data)
				}
				hrefs = append(hrefs, attr(l, "href"))
			}
		}
		if len(hrefs) != linked {
			t.Errorf("%s: %d card links, the source has %d linked grid-item-cards", out, len(hrefs), linked)
		}
		total += linked
		if w, ok := want[out]; ok && !slices.Equal(hrefs, w) {
			t.Errorf("%s: card links %q, want %q", out, hrefs, w)
		}
	}
	if total < 10 {
		t.Errorf("only %d linked cards in the tree", total)
	}
}

// checkDirectives: each directive of the sources shows as its element, as
// many times as it is written; the autodoc ones render nothing.
func checkDirectives(t *testing.T, pages map[string]*html.Node, sources map[string]string) {
	t.Helper()
	is := func(tag string, classes ...string) func(*html.Node) bool {
		return func(n *html.Node) bool { return (tag == "" || n.Data == tag) && hasClass(classes...)(n) }
	}
	kinds := map[string]func(*html.Node) bool{
		"versionadded":   is("div", "versionadded"),
		"versionchanged": is("div", "versionchanged"),
		"deprecated":     is("div", "deprecated"),
		"epigraph":       is("blockquote", "epigraph"),
		"pull-quote":     is("blockquote", "pull-quote"),
		"topic":          is("aside", "topic"),
		"sidebar":        is("aside", "sidebar"),
		"rubric":         is("", "rubric"),
		"dropdown":       is("details", "sd-dropdown"),
		"tab-set":        is("div", "sd-tab-set"),
		"contents":       is("nav", "contents"),
		"button-ref":     is("a", "sd-btn"),
		"note":           is("div", "admonition", "note"),
		"important":      is("div", "admonition", "important"),
		"warning":        is("div", "admonition", "warning"),
		"caution":        is("div", "admonition", "caution"),
		"danger":         is("div", "admonition", "danger"),
		"hint":           is("div", "admonition", "hint"),
		"table":          is("table"),
	}
	alias := map[string]string{"tab-set-code": "tab-set", "button-link": "button-ref", "list-table": "table", "csv-table": "table"}
	seen := map[string]int{}
	for src, source := range sources {
		out := strings.TrimSuffix(src, ".md") + ".html"
		want := map[string]int{"table": strings.Count(source, "\n|---")}
		for _, b := range directiveBlocks(source) {
			name := cmp.Or(alias[b.name], b.name)
			if kinds[name] != nil {
				want[name]++
				seen[name]++
			}
		}
		doc := article(pages[out])
		for name, pred := range kinds {
			if got := len(findAll(doc, pred)); got != want[name] {
				t.Errorf("%s: %d %s, the source has %d", out, got, name, want[name])
			}
		}
		for _, gone := range []string{"SampleImporter", "render_plugin", "show-inheritance", "portal.datasets.models"} {
			if strings.Contains(text(doc), gone) {
				t.Errorf("%s: autodoc text %q rendered", out, gone)
			}
		}
	}
	for name := range kinds {
		if seen[name] == 0 && name != "table" {
			t.Errorf("the tree has no %s", name)
		}
	}
	tip := find(article(pages["user-guide/getting-started.html"]), is("details", "admonition", "tip"))
	if tip == nil || slices.ContainsFunc(tip.Attr, func(a html.Attribute) bool { return a.Key == "open" }) || !strings.Contains(text(tip), "Which version am I running?") || !strings.Contains(text(tip), "3.2") {
		t.Errorf("the collapsible admonition is not a closed <details> with its title and substituted body")
	}
}

// usesScript reports whether a page loads the theme's vendored package.
func usesScript(doc *html.Node, pkg string) (js, css bool) {
	for _, n := range findAll(doc, func(n *html.Node) bool { return n.Data == "script" || n.Data == "link" }) {
		ref := attr(n, "src") + attr(n, "href")
		if strings.Contains(ref, "vendor/"+pkg+"/") {
			if strings.HasSuffix(ref, ".js") {
				js = true
			} else {
				css = true
			}
		}
	}
	return js, css
}

// checkMermaid: every mermaid directive and ```mermaid fence of a page is a
// <pre class="mermaid"> holding its source, in order; only those pages load
// Mermaid.
func checkMermaid(t *testing.T, pages map[string]*html.Node, sources map[string]string, docs string) {
	t.Helper()
	var with []string
	for src, source := range sources {
		out := strings.TrimSuffix(src, ".md") + ".html"
		var want []string
		for _, b := range directiveBlocks(source) {
			if b.name != "mermaid" {
				continue
			}
			body := strings.Join(b.body, "\n")
			if b.arg != "" {
				data, err := os.ReadFile(filepath.Join(docs, filepath.Dir(src), b.arg))
				if err != nil {
					t.Fatal(err)
				}
				body = string(data)
			}
			want = append(want, strings.TrimSpace(body))
		}
		var got []string
		for _, pre := range findAll(article(pages[out]), func(n *html.Node) bool { return n.Data == "pre" && hasClass("mermaid")(n) }) {
			got = append(got, strings.TrimSpace(text(pre)))
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: mermaid diagrams\n%q\nwant\n%q", out, got, want)
		}
		js, _ := usesScript(pages[out], "mermaid")
		if js != (len(want) > 0) {
			t.Errorf("%s: loads mermaid %v, has %d diagrams", out, js, len(want))
		}
		if len(want) > 0 {
			with = append(with, out)
		}
	}
	slices.Sort(with)
	wantWith := []string{"admin/installation.html", "admin/monitoring.html", "developer/architecture.html"}
	for i := 0; i < len(modelNames); i += 4 {
		wantWith = append(wantWith, "reference/models/"+modelSlug(modelNames[i])+".html")
	}
	slices.Sort(wantWith)
	if !slices.Equal(with, wantWith) {
		t.Errorf("pages with diagrams %v, want %v", with, wantWith)
	}
}

// checkMath: each formula is in a math element of its page, one element
// per formula of the source; exactly the
// pages with math load KaTeX (script and stylesheet).
func checkMath(t *testing.T, pages map[string]*html.Node) {
	t.Helper()
	want := map[string][]string{
		"user-guide/searching.html": {`\mathrm{ts\_rank\_cd}`, `w_t = 1.0`, `w_d = 0.4`, `d`, `q`,
			`\operatorname{score}(d, q) = \sum_{f \in F} w_f \cdot \operatorname{rank}_f(d, q)`},
		"user-guide/samples.html":       {`c = \left(\sum_{i=1}^{n} i \cdot v_i\right) \bmod 103`},
		"user-guide/exporting.html":     {`S(n, m) \approx n \cdot (c_0 + m \cdot c_1)`, `T = \frac{S}{B}`, `c_0 \approx 200`, `c_1 \approx 12`, `n`, `m`},
		"user-guide/notifications.html": {`t_k = 2^k`, `k \le 6`},
		"admin/monitoring.html":         {`99.5\,\%`},
		"developer/testing.html":        {`C = \frac{L_\text{hit}}{L_\text{total}} \ge 0.9`},
		"developer/statistics.html": {`x_1, \dots, x_n`, `\bar{x}`, `s = \sqrt{\frac{1}{n - 1} \sum_{i=1}^{n} (x_i - \bar{x})^2}`,
			`\bar{x} \pm t_{0.975,\, n-1} \frac{s}{\sqrt{n}}`, `t_{0.975, n-1} \to 1.96`, `n \to \infty`, "a &= b + c \\\\\nd &= e - f"},
		"reference/rest-api.html": {`r = 10`, `2r`},
	}
	for i := 0; i < len(modelNames); i += 3 {
		want["reference/models/"+modelSlug(modelNames[i])+".html"] = []string{fmt.Sprintf(`N_{%d} \approx %d \cdot 10^3`, i, i+1)}
	}
	for out, doc := range pages {
		var tex []string
		for _, m := range findAll(article(doc), hasClass("math")) {
			tex = append(tex, text(m))
		}
		for _, f := range want[out] {
			if !slices.ContainsFunc(tex, func(s string) bool { return strings.Contains(s, f) }) {
				t.Errorf("%s: no math element holds %q (have %q)", out, f, tex)
			}
		}
		if len(tex) != len(want[out]) {
			t.Errorf("%s: %d math elements, want %d", out, len(tex), len(want[out]))
		}
		js, css := usesScript(doc, "katex")
		if js != (len(tex) > 0) || css != js {
			t.Errorf("%s: loads katex js %v css %v, has %d formulas", out, js, css, len(tex))
		}
	}
	eq := find(article(pages["user-guide/searching.html"]), func(n *html.Node) bool { return attr(n, "id") == "equation-search-score" })
	if eq == nil || !hasClass("math")(eq) {
		t.Errorf("the labelled $$ equation has no anchor equation-search-score")
	}
}

// heading is a section of the tree: the GitHub slug MyST-Parser's
// heading anchors give it and the ids docutils gives it in Sphinx's HTML
// (make_id of the title; id1, id2… from the page's counter when that is
// empty or taken; a (label)= before it adds the label's id).
type heading struct {
	page, title string
	nth         int // which of the headings with this title
	slug        string
	sphinx      []string
}

var sphinxHeadings = []heading{
	{"admin/configuration.html", "1. Environment variables", 0, "1-environment-variables", []string{"environment-variables"}},
	{"admin/configuration.html", "DJANGO_SETTINGS_MODULE & .env files", 0, "django_settings_module--env-files", []string{"django-settings-module-env-files"}},
	{"admin/configuration.html", "Redis", 0, "redis", []string{"redis", "redis-settings"}},
	{"admin/configuration.html", "Über die Datenhaltung", 0, "über-die-datenhaltung", []string{"uber-die-datenhaltung"}},
	{"admin/configuration.html", "Størrelse og ytelse", 0, "størrelse-og-ytelse", []string{"storrelse-og-ytelse"}},
	{"admin/configuration.html", "Straße & Maße", 0, "straße--maße", []string{"strasze-masze"}},
	{"admin/configuration.html", "Ça marche — déjà vu", 0, "ça-marche--déjà-vu", []string{"ca-marche-deja-vu"}},
	{"admin/configuration.html", "v3.2 → v4.0", 0, "v32--v40", []string{"v3-2-v4-0"}},
	{"admin/configuration.html", "What's new?", 0, "whats-new", []string{"what-s-new"}},
	// (backups)= takes the title's id: the section is id1, the date id2
	{"admin/backups.html", "Backups", 0, "backups", []string{"id1", "backups"}},
	{"admin/backups.html", "2024-05-01", 0, "2024-05-01", []string{"id2"}},
	{"admin/backups.html", "__init__.py hooks", 0, "__init__py-hooks", []string{"init-py-hooks"}},
	{"admin/backups.html", "Examples", 0, "examples", []string{"examples"}},
	{"admin/backups.html", "Examples", 1, "examples-1", []string{"id3"}},
	{"admin/installation.html", "Installation", 0, "installation", []string{"installation", "admin-install"}},
	{"admin/installation.html", "Step 2: Redis (cache + broker)", 0, "step-2-redis-cache--broker", []string{"step-2-redis-cache-broker"}},
	{"admin/upgrading.html", "From 3.1 to 3.2", 0, "from-31-to-32", []string{"from-3-1-to-3-2"}},
	{"admin/upgrading.html", "C++ / Rust bindings", 0, "c--rust-bindings", []string{"c-rust-bindings"}},
	{"admin/upgrading.html", "The manage.py upgrade command", 0, "the-managepy-upgrade-command", []string{"the-manage-py-upgrade-command"}},
	{"admin/monitoring.html", "Optional: Flower for Celery", 0, "optional-flower-for-celery", []string{"optional-flower-for-celery"}},
	{"user-guide/searching.html", "The q parameter & filters", 0, "the-q-parameter--filters", []string{"the-q-parameter-filters"}},
	{"user-guide/searching.html", "Field_names and operators", 0, "field_names-and-operators", []string{"field-names-and-operators"}},
	{"user-guide/searching.html", "Ranking (v3.2+)", 0, "ranking-v32", []string{"ranking-v3-2"}},
	{"user-guide/searching.html", "Examples", 1, "examples-1", []string{"id1"}},
	{"user-guide/searching.html", "Søk på norsk", 0, "søk-på-norsk", []string{"sok-pa-norsk"}},
	{"user-guide/getting-started.html", "Getting started", 0, "getting-started", []string{"id1", "getting-started"}},
	{"user-guide/getting-started.html", "1. Create an account", 0, "1-create-an-account", []string{"create-an-account"}},
	{"user-guide/getting-started.html", "What's next?", 0, "whats-next", []string{"what-s-next"}},
	{"user-guide/datasets.html", "Roles", 0, "roles", []string{"roles", "dataset-roles"}},
	{"developer/contributing.html", "1. Fork the repo", 0, "1-fork-the-repo", []string{"fork-the-repo"}},
	{"developer/contributing.html", "3. Open a merge request", 0, "3-open-a-merge-request", []string{"open-a-merge-request"}},
	{"developer/architecture.html", "Architecture", 0, "architecture", []string{"id1", "architecture"}},
	{"developer/architecture.html", "Background tasks", 0, "background-tasks", []string{"id2", "background-tasks"}},
	{"developer/architecture.html", "portal.samples", 0, "portalsamples", []string{"portal-samples", "samples-app"}},
	{"reference/settings.html", "Portal settings", 0, "portal-settings", []string{"id1", "portal-settings"}},
	{"reference/settings.html", "PORTAL_MAX_UPLOAD_MB", 0, "portal_max_upload_mb", []string{"portal-max-upload-mb"}},
	{"reference/cli.html", "manage.py rebuild_index", 0, "managepy-rebuild_index", []string{"manage-py-rebuild-index"}},
	// a title that is all digits and punctuation has no make_id: id1, id2…
	{"reference/changelog.html", "3.2.0 (2024-06-03)", 0, "320-2024-06-03", []string{"id1"}},
	{"reference/changelog.html", "3.1.2 (2024-02-12)", 0, "312-2024-02-12", []string{"id2"}},
	{"reference/changelog.html", "3.1.1 (2023-12-01)", 0, "311-2023-12-01", []string{"id3"}},
	{"archive/2022.html", "2.0 (2022-03-14)", 0, "20-2022-03-14", []string{"id1"}},
	{"archive/2022.html", "2.1 (2022-09-01)", 0, "21-2022-09-01", []string{"id2"}},
	{"archive/index.html", "Release history", 0, "release-history", []string{"id1", "release-history"}},
	{"glossary.html", "About this glossary", 0, "about-this-glossary", []string{"about-this-glossary", "genindex-note"}},
	{"about/team.html", "Contact", 0, "contact", []string{"contact"}},
}

// lands reports whether a link to #id reaches h: the id is on the heading,
// on an element inside it, or on an empty target right before it.
func lands(h *html.Node, id string) bool {
	if attr(h, "id") == id || find(h, func(n *html.Node) bool { return attr(n, "id") == id }) != nil {
		return true
	}
	for p := h.PrevSibling; p != nil; p = p.PrevSibling {
		if p.Type == html.TextNode && strings.TrimSpace(p.Data) == "" {
			continue
		}
		if p.Type != html.ElementNode || p.Data != "span" || p.FirstChild != nil {
			return false
		}
		if attr(p, "id") == id {
			return true
		}
	}
	return false
}

func headingText(h *html.Node) string {
	return strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(text(h)), "¶"))
}

func isHeading(n *html.Node) bool {
	return len(n.Data) == 2 && n.Data[0] == 'h' && n.Data[1] >= '1' && n.Data[1] <= '6'
}

func checkHeadings(t *testing.T, pages map[string]*html.Node) {
	t.Helper()
	table := slices.Clone(sphinxHeadings)
	for i, name := range modelNames {
		page := "reference/models/" + modelSlug(name) + ".html"
		table = append(table,
			heading{page, name, 0, modelSlug(name), []string{modelSlug(name), "model-" + modelSlug(name)}},
			heading{page, fmt.Sprintf("Changes in v3.%d", i%3), 0, fmt.Sprintf("changes-in-v3%d", i%3), []string{fmt.Sprintf("changes-in-v3-%d", i%3)}})
		if i%5 == 0 {
			table = append(table, heading{page, "Examples", 1, "examples-1", []string{"id1"}})
		}
	}
	for _, h := range table {
		var found []*html.Node
		for _, n := range findAll(article(pages[h.page]), isHeading) {
			if headingText(n) == h.title {
				found = append(found, n)
			}
		}
		if len(found) <= h.nth {
			t.Errorf("%s: no heading %q (#%d)", h.page, h.title, h.nth)
			continue
		}
		n := found[h.nth]
		for _, id := range append([]string{h.slug}, h.sphinx...) {
			if !lands(n, id) {
				t.Errorf("%s: #%s does not lead to heading %q", h.page, id, h.title)
			}
		}
	}
	for out, doc := range pages {
		for _, n := range findAll(article(doc), isHeading) {
			if attr(n, "id") == "" && !hasClass("rubric")(n) {
				t.Errorf("%s: heading %q has no id", out, headingText(n))
			}
		}
	}
	// Glossary terms keep Sphinx's term ids.
	terms := ids(pages["glossary.html"])
	for _, id := range []string{"term-Cohort", "term-Dataset", "term-Data-Use-Agreement", "term-DUA", "term-Sample",
		"term-Sample-Type", "term-Celery-worker", "term-ORCID-iD"} {
		if terms[id] != 1 {
			t.Errorf("glossary: no id %s", id)
		}
	}
}

// checkNavigation: the root's toctrees are the sidebar, with their
// captions; :numbered: numbers the developer guide; the orphan page and its
// own toctree's pages are built but not in the navigation.
func checkNavigation(t *testing.T, pages map[string]*html.Node) {
	t.Helper()
	nav := find(pages["developer/setup.html"], hasClass("sidebar"))
	if nav == nil {
		t.Fatal("no sidebar")
	}
	var captions []string
	for _, c := range findAll(nav, hasClass("caption")) {
		captions = append(captions, strings.TrimSpace(text(c)))
	}
	if want := []string{"User guide", "Administration", "Developer guide", "Contributing", "Internals", "Reference", "About"}; !slices.Equal(captions, want) {
		t.Errorf("sidebar captions %q, want %q", captions, want)
	}
	navText := text(nav)
	for _, s := range []string{"1. Developer guide", "1.1. Development setup", "1.6. Statistics in the portal", "Glossary"} {
		if !strings.Contains(navText, s) {
			t.Errorf("sidebar lacks %q:\n%s", s, navText)
		}
	}
	if strings.Contains(navText, "Release history") || strings.Contains(navText, "2022 releases") {
		t.Errorf("the orphan release history is in the navigation")
	}
	for _, w := range findAll(article(pages["index.html"]), hasClass("toctree-wrapper")) {
		if find(w, func(n *html.Node) bool {
			return n.Data == "a" && (attr(n, "href") == "about/index.html" || attr(n, "href") == "glossary.html")
		}) != nil {
			t.Errorf("a :hidden: toctree is listed on the root page")
		}
	}
	sc := bufio.NewScanner(strings.NewReader(text(article(pages["archive/index.html"]))))
	var order []string
	for sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); strings.HasSuffix(l, "releases") {
			order = append(order, l)
		}
	}
	if want := []string{"2023 releases", "2022 releases"}; !slices.Equal(order, want) {
		t.Errorf("the orphan's :reversed: toctree lists %q, want %q", order, want)
	}
}

// BenchmarkSphinxTree is a whole in-memory build of the tree.
func BenchmarkSphinxTree(b *testing.B) {
	sphinxTreeDir(b)
	cfg, err := config.Load("")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := Build(context.Background(), Options{Config: cfg, Mode: DryRun}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestLinkTypeAny: sphinx-design's link-type any (and {bdg-ref}) is
// Sphinx's any role: a label if there is one, else a document name
// relative to the page.
func TestLinkTypeAny(t *testing.T) {
	cfg := project(t, map[string]string{
		"content/index.md":    "# Home\n\n:::{card} Glossary\n:link: glossary\n:link-type: any\n:::\n\n{bdg-ref}`glossary`\n\n:::{card} Label\n:link: terms\n:link-type: any\n:::\n\n```{toctree}\nglossary\n```\n",
		"content/glossary.md": "# Glossary\n\n(terms)=\n## Terms\n",
	})
	res, err := Build(context.Background(), Options{Config: cfg, Mode: DryRun})
	if err != nil || len(res.Diags) > 0 {
		t.Fatalf("build: %v %v", err, res.Diags)
	}
	page := string(res.Files["index.html"])
	for _, want := range []string{`class="sd-stretched-link sd-hide-link-text reference internal" href="glossary.html"`,
		`class="sd-sphinx-override sd-badge reference internal" href="glossary.html"`, `href="glossary.html#terms"`} {
		if !strings.Contains(page, want) {
			t.Errorf("no %s", want)
		}
	}
}
