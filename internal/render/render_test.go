package render

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/docsgen/docsgen/internal/content"
	"github.com/docsgen/docsgen/internal/directives"
	"github.com/docsgen/docsgen/internal/markdown"
	"github.com/docsgen/docsgen/internal/site"
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
