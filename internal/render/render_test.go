package render

import (
	"fmt"
	"html/template"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/docsgen/docsgen/internal/content"
	"github.com/docsgen/docsgen/internal/directives"
	"github.com/docsgen/docsgen/internal/markdown"
	"github.com/docsgen/docsgen/internal/site"
	"github.com/docsgen/docsgen/themes"
)

func TestDefaultTheme(t *testing.T) {
	th, err := LoadTheme("")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fs.Stat(th.Static, "docsgen.css"); err != nil {
		t.Errorf("the default theme has no docsgen.css: %v", err)
	}
}

func TestThemeErrorsNameTheFile(t *testing.T) {
	dir := t.TempDir()
	if _, err := LoadTheme(filepath.Join(dir, "missing")); err == nil || !strings.Contains(err.Error(), "missing") {
		t.Errorf("missing theme folder: %v", err)
	}
	os.WriteFile(filepath.Join(dir, "404.html"), []byte("404"), 0o644)
	if _, err := LoadTheme(dir); err == nil || !strings.Contains(err.Error(), "layout.html") {
		t.Errorf("theme without layout.html: %v", err)
	}
	os.WriteFile(filepath.Join(dir, "layout.html"), []byte("{{.Nope"), 0o644)
	if _, err := LoadTheme(dir); err == nil || !strings.Contains(err.Error(), "layout.html") {
		t.Errorf("broken layout.html: %v", err)
	}
}

// TestPageEscapesText: titles are text, never markup, in the page and the
// navigation; the body is the rendered HTML as given.
func TestPageEscapesText(t *testing.T) {
	th, err := LoadTheme("")
	if err != nil {
		t.Fatal(err)
	}
	page := func(name, title string) *site.Page {
		return &site.Page{Src: &content.Source{Rel: name + ".md", File: "content/" + name + ".md"}, Name: name, Title: title, Doc: &markdown.Doc{}}
	}
	st := site.New(`Site <b>`, []*site.Page{page("index", "Home"), page("guide", `Guide <script>alert(1)</script>`)}, "index", &directives.Files{})
	guide, _ := st.Page("guide")
	out, err := th.NewRenderer(st).Page(guide, []byte("<p>body</p>"))
	if err != nil {
		t.Fatal(err)
	}
	html := string(out)
	if strings.Contains(html, "<script>alert(1)") || !strings.Contains(html, "Guide &lt;script&gt;") {
		t.Errorf("title not escaped:\n%s", html)
	}
	if strings.Contains(html, "Site <b>") {
		t.Error("site title not escaped")
	}
	if !strings.Contains(html, "<p>body</p>") {
		t.Error("body missing")
	}
	nf, err := th.NotFound(st)
	if err != nil || !strings.Contains(string(nf), "404") && !strings.Contains(strings.ToLower(string(nf)), "not found") {
		t.Errorf("404 page: %v\n%s", err, nf)
	}
}

// TestSidebarCaptionsAndNumbers: the home page comes first, in a list of
// its own; a captioned toctree is a list of its own under a heading (never a
// heading inside a list); numbers show before titles.
func TestSidebarCaptionsAndNumbers(t *testing.T) {
	page := func(name string, toctrees ...*directives.Toctree) *site.Page {
		return &site.Page{Src: &content.Source{Rel: name + ".md", File: "content/" + name + ".md"}, Name: name, Title: name,
			Doc: &markdown.Doc{Toctrees: toctrees}}
	}
	toc := func(caption string, numbered int, targets ...string) *directives.Toctree {
		t := &directives.Toctree{Caption: caption, Numbered: numbered}
		for _, target := range targets {
			t.Entries = append(t.Entries, directives.TocEntry{Target: target})
		}
		return t
	}
	st := site.New("T", []*site.Page{page("index", toc("Guides", 1, "a", "b"), toc("Reference", 0, "c")), page("a"), page("b"), page("c")},
		"index", &directives.Files{})
	got := string(UncachedNavHTML(st, st.Root))
	want := `<ul>
<li class="current"><a href="index.html" aria-current="page">index</a></li>
</ul>
<p class="caption" role="heading" aria-level="2"><span class="caption-text">Guides</span></p>
<ul>
<li><a href="a.html"><span class="section-number">1. </span>a</a></li>
<li><a href="b.html"><span class="section-number">2. </span>b</a></li>
</ul>
<p class="caption" role="heading" aria-level="2"><span class="caption-text">Reference</span></p>
<ul>
<li><a href="c.html">c</a></li>
</ul>
`
	if got != want {
		t.Errorf("sidebar:\n%s\nwant:\n%s", got, want)
	}
}

// TestSidebarCollapsible: a branch is a <details> beside its link, open on
// the current page's branch and closed elsewhere; in a navigation of more
// than navBudget entries other branches are left out, so a page of a large
// site stays small.
func TestSidebarCollapsible(t *testing.T) {
	page := func(name string, entries ...string) *site.Page {
		var toctrees []*directives.Toctree
		if len(entries) > 0 {
			tt := &directives.Toctree{}
			for _, e := range entries {
				tt.Entries = append(tt.Entries, directives.TocEntry{Target: e})
			}
			toctrees = append(toctrees, tt)
		}
		return &site.Page{Src: &content.Source{Rel: name + ".md", File: "content/" + name + ".md"}, Name: name, Title: name,
			Doc: &markdown.Doc{Toctrees: toctrees}}
	}
	st := site.New("T", []*site.Page{page("index", "a/index", "b/index"), page("a/index", "one"), page("a/one"),
		page("b/index", "two"), page("b/two")}, "index", &directives.Files{})
	one, _ := st.Page("a/one")
	got := string(UncachedNavHTML(st, one))
	for _, want := range []string{
		`<li class="ancestor"><a href="index.html">a/index</a><details open><summary><span class="visually-hidden">Pages under a/index</span></summary>`,
		`<li class="current"><a href="one.html" aria-current="page">a/one</a></li>`,
		`<li><a href="../b/index.html">b/index</a><details><summary>`,
		`<li><a href="../b/two.html">b/two</a></li>`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("sidebar lacks %s:\n%s", want, got)
		}
	}

	// Over the budget, other branches are not listed.
	wide := []string{}
	pages := []*site.Page{page("index", "a/index", "b/index"), page("a/index", "one"), page("a/one")}
	for i := range navBudget + 1 {
		name := fmt.Sprintf("p%d", i)
		wide = append(wide, name)
		pages = append(pages, page("b/"+name))
	}
	pages = append(pages, page("b/index", wide...))
	st = site.New("T", pages, "index", &directives.Files{})
	one, _ = st.Page("a/one")
	got = string(UncachedNavHTML(st, one))
	if strings.Contains(got, "b/p0") || !strings.Contains(got, `<li><a href="../b/index.html">b/index</a></li>`) {
		t.Errorf("a branch over the budget is listed:\n%.2000s", got)
	}
	p7, _ := st.Page("b/p7")
	if got := string(UncachedNavHTML(st, p7)); !strings.Contains(got, `<li class="current"><a href="p7.html" aria-current="page">b/p7</a></li>`) {
		t.Errorf("the current branch is not listed whole:\n%.2000s", got)
	}
}

// TestPageLinks: with base_url, a canonical link and OpenGraph tags; with
// edit_url, "Edit this page" to the page's source path; without them,
// neither.
func TestPageLinks(t *testing.T) {
	th, err := LoadTheme("")
	if err != nil {
		t.Fatal(err)
	}
	page := func(name string) *site.Page {
		return &site.Page{Src: &content.Source{Rel: name + ".md", File: "content/" + name + ".md"}, Name: name, Title: "A & B", Doc: &markdown.Doc{}}
	}
	st := site.New("Site", []*site.Page{page("index"), page("guide/a b")}, "index", &directives.Files{})
	guide, _ := st.Page("guide/a b")
	out, err := th.NewRenderer(st).Page(guide, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"canonical", "og:", "edit-page"} {
		if strings.Contains(string(out), bad) {
			t.Errorf("without base_url and edit_url the page has %q", bad)
		}
	}
	st.BaseURL, st.EditURL = "https://docs.example.org/v2", "https://github.com/o/r/edit/main/docs/{path}"
	out, err = th.NewRenderer(st).Page(guide, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`<link rel="canonical" href="https://docs.example.org/v2/guide/a%20b.html">`,
		`<meta property="og:url" content="https://docs.example.org/v2/guide/a%20b.html">`,
		`<meta property="og:title" content="A &amp; B">`,
		`<meta property="og:site_name" content="Site">`,
		`<p class="edit-page"><a href="https://github.com/o/r/edit/main/docs/guide/a%20b.md">Edit this page</a></p>`,
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("page lacks %s", want)
		}
	}
	// A page docsgen makes (the search page) has no source to edit.
	made := &site.Page{Src: &content.Source{File: "search.html"}, Name: "search", Title: "Search", Out: "search.html", Doc: &markdown.Doc{}}
	if out, err = th.NewRenderer(st).Page(made, nil); err != nil || strings.Contains(string(out), "edit-page") {
		t.Errorf("a page without a source file has an edit link (%v)", err)
	}
}

// TestNotFoundPage: the 404 page has the site's header and navigation,
// its styles inline, links written from the site root, and base_url's
// path for its script to find the root.
func TestNotFoundPage(t *testing.T) {
	th, err := LoadTheme("")
	if err != nil {
		t.Fatal(err)
	}
	page := func(name string, toctrees ...*directives.Toctree) *site.Page {
		return &site.Page{Src: &content.Source{Rel: name + ".md", File: "content/" + name + ".md"}, Name: name, Title: name, Doc: &markdown.Doc{Toctrees: toctrees}}
	}
	st := site.New("Site", []*site.Page{page("index", &directives.Toctree{Entries: []directives.TocEntry{{Target: "guide/a"}}}), page("guide/a")}, "index", &directives.Files{})
	st.BaseURL = "https://example.org/docs"
	out, err := th.NotFound(st)
	if err != nil {
		t.Fatal(err)
	}
	html := string(out)
	for _, want := range []string{`<header class="site-header">`, `<a class="site-title" href="index.html">`, `<a href="guide/a.html">guide/a</a>`,
		`<style>`, `.site-header {`, `var base = "/docs/";`} {
		if !strings.Contains(html, want) {
			t.Errorf("404 page lacks %s", want)
		}
	}
	if strings.Contains(html, `href="/`) || strings.Contains(html, `src="/`) {
		t.Error("404 page has root-absolute links")
	}
}

// TestTOCHTMLAsTemplate: the default layout's TOCHTML (the "toc" template
// run once, shown twice) gives the bytes the template called in place
// gives, headings that need escaping included; a theme without a "toc"
// template gets an error naming it.
func TestTOCHTMLAsTemplate(t *testing.T) {
	layout, err := os.ReadFile("../../themes/default/layout.html")
	if err != nil {
		t.Fatal(err)
	}
	notFound, err := os.ReadFile("../../themes/default/404.html")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Count(string(layout), "{{.TOCHTML}}") != 2 {
		t.Fatal("the default layout no longer shows TOCHTML twice; update this test")
	}
	inPlace := t.TempDir()
	os.WriteFile(filepath.Join(inPlace, "layout.html"), []byte(strings.ReplaceAll(string(layout), "{{.TOCHTML}}", `{{template "toc" .TOC}}`)), 0o644)
	os.WriteFile(filepath.Join(inPlace, "404.html"), notFound, 0o644)
	noTOC := t.TempDir()
	os.WriteFile(filepath.Join(noTOC, "layout.html"), []byte(`{{.TOCHTML}}`), 0o644)
	os.WriteFile(filepath.Join(noTOC, "404.html"), []byte("404"), 0o644)

	doc := &markdown.Doc{Headings: []markdown.Heading{
		{Level: 1, Text: "Guide", ID: "guide"},
		{Level: 2, Text: `Tom & "Jerry" <b>`, ID: "tom-jerry-b"},
		{Level: 3, Text: "Über it's", ID: "über-its"},
		{Level: 3, Text: "Spaces here", ID: "a b%20c"},
		{Level: 2, Text: "Last", ID: "last"},
	}}
	page := &site.Page{Src: &content.Source{Rel: "guide.md", File: "content/guide.md"}, Name: "guide", Title: "Guide", Doc: doc}
	st := site.New("Site", []*site.Page{page}, "guide", &directives.Files{})
	render := func(dir string) (string, error) {
		th, err := LoadTheme(dir)
		if err != nil {
			t.Fatal(err)
		}
		out, err := th.NewRenderer(st).Page(page, []byte("<p>body</p>"))
		return string(out), err
	}
	once, err := render("")
	if err != nil {
		t.Fatal(err)
	}
	inline, err := render(inPlace)
	if err != nil {
		t.Fatal(err)
	}
	if once != inline {
		t.Errorf("TOCHTML differs from the template in place:\n%s\n---\n%s", once, inline)
	}
	if n := strings.Count(once, `href="#%c3%bcber-its"`); n != 2 {
		t.Errorf("the TOC's escaped link appears %d times, want 2:\n%s", n, once)
	}
	if _, err := render(noTOC); err == nil || !strings.Contains(err.Error(), `"toc"`) {
		t.Errorf("a layout using TOCHTML without a toc template: %v", err)
	}
}

// TestBuiltinTOCAsTemplate: with the default theme's "toc" template,
// TOCHTML writes the table of contents in Go; its bytes are the template's,
// for titles that need escaping and nested levels; a theme whose "toc"
// differs in anything is executed as it is.
func TestBuiltinTOCAsTemplate(t *testing.T) {
	items := []directives.TocItem{
		{Title: `Tom & "Jerry" <b> it's 1+1`, URL: "#tom-jerry", Children: []directives.TocItem{
			{Title: "Über \x00 nul", URL: "#uber.nul_2~x"},
			{Title: "Deep", URL: "#deep", Children: []directives.TocItem{{Title: "Deeper", URL: "#D-3"}}},
		}},
		{Title: "", URL: "#"},
		{Title: "Last \xff bad", URL: "#last"},
	}
	checkBuiltinTOC(t, items)
	th, err := LoadTheme("")
	if err != nil {
		t.Fatal(err)
	}
	if !th.builtinTOC {
		t.Error("the default theme's toc template is not recognised as the built-in one")
	}
	layout, err := os.ReadFile("../../themes/default/layout.html")
	if err != nil {
		t.Fatal(err)
	}
	changed := t.TempDir()
	tocLine := `<li><a href="{{.URL}}">{{.Title}}</a>{{if .Children}}`
	if strings.Count(string(layout), tocLine) != 1 {
		t.Fatal("the default toc template changed; update this test")
	}
	os.WriteFile(filepath.Join(changed, "layout.html"), []byte(strings.Replace(string(layout), tocLine, `<li class="x">`+tocLine[4:], 1)), 0o644)
	os.WriteFile(filepath.Join(changed, "404.html"), []byte("404"), 0o644)
	if th, err := LoadTheme(changed); err != nil || th.builtinTOC {
		t.Errorf("a theme with its own toc template taken for the built-in one (%v)", err)
	}
}

func checkBuiltinTOC(t *testing.T, items []directives.TocItem) {
	t.Helper()
	if !plainAnchors(items) {
		return // executed as the template: nothing to compare
	}
	layout, err := template.ParseFS(themes.Default(), "layout.html")
	if err != nil {
		t.Fatal(err)
	}
	var want strings.Builder
	if err := layout.ExecuteTemplate(&want, "toc", items); err != nil {
		t.Fatal(err)
	}
	var got strings.Builder
	writeTOC(&got, items)
	if got.String() != want.String() {
		t.Errorf("writeTOC:\n%q\nthe template:\n%q", got.String(), want.String())
	}
}

func FuzzBuiltinTOC(f *testing.F) {
	f.Add("A & b", "a-b", "c <d>", "#x")
	f.Add("\x00'\"+", "", "\xff", "weird id")
	f.Fuzz(func(t *testing.T, title, id, child, childURL string) {
		checkBuiltinTOC(t, []directives.TocItem{{Title: title, URL: "#" + id, Children: []directives.TocItem{{Title: child, URL: childURL}}}, {Title: child, URL: "#" + id}})
	})
}

// markCurrent is strings.Replace of the first item linking to the page.
func TestMarkCurrent(t *testing.T) {
	const nav = `<ul><li><a href="a.html">A</a></li><li><a href="b.html">B</a><ul><li><a href="b.html">B again</a></li></ul></li></ul>`
	for _, href := range []string{"a.html", "b.html", "c.html", "", "a.htm"} {
		want := strings.Replace(nav, `<li><a href="`+href+`">`, `<li class="current"><a href="`+href+`" aria-current="page">`, 1)
		if got := markCurrent(nav, href); got != want {
			t.Errorf("%q:\n got %s\nwant %s", href, got, want)
		}
	}
}
