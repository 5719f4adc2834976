package site

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/docsgen/docsgen/internal/content"
	"github.com/docsgen/docsgen/internal/diag"
	"github.com/docsgen/docsgen/internal/directives"
	"github.com/docsgen/docsgen/internal/markdown"
)

func testSite(t *testing.T, names ...string) *Site {
	var pages []*Page
	for _, n := range names {
		pages = append(pages, &Page{Src: &content.Source{Rel: n + ".md", File: "content/" + n + ".md"}, Name: n, Doc: &markdown.Doc{}})
	}
	root, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	os.Mkdir(filepath.Join(root, "content"), 0o755)
	return New("T", pages, "index", &directives.Files{SourceRoot: filepath.Join(root, "content"), ProjectRoot: root, WorkDir: root})
}

func TestMissingRoot(t *testing.T) {
	s := testSite(t, "guide")
	ds := s.Diags.Sorted()
	if len(ds) != 1 || ds[0].Code != "site.root" || !strings.Contains(ds[0].Hint, "content/index.md") {
		t.Errorf("diagnostics %v", ds)
	}
	if ds := testSite(t, "index").Diags.Sorted(); slices.ContainsFunc(ds, func(d diag.Diagnostic) bool { return d.Code == "site.root" }) {
		t.Errorf("a site with its root: %v", ds)
	}
}

func TestCollisions(t *testing.T) {
	s := testSite(t, "index", "guide")
	at := diag.Pos{File: "content/index.md", Line: 3, Col: 1}
	src := s.files.SourceRoot
	s.AddAsset(filepath.Join(src, "guide.html"), at)          // the page guide.md
	s.AddAsset(filepath.Join(src, "_static/docsgen.css"), at) // a theme file
	s.AddAsset(filepath.Join(src, "img/ok.png"), at)          // fine
	s.AddAsset(filepath.Join(src, "index.html/x.png"), at)    // below the page index.html
	s.AddAsset(filepath.Join(src, "notes"), at)               // a file where a folder must be…
	s.AddAsset(filepath.Join(src, "notes.txt"), at)           // (sorts between the two)
	s.AddAsset(filepath.Join(src, "notes/today.txt"), at)     // …for this one
	ds := s.Collisions(map[string]string{"_static/docsgen.css": "the theme's _static/docsgen.css", "404.html": "the 404 page"})
	var got []string
	for _, d := range ds {
		got = append(got, d.Message)
	}
	want := []string{
		"the file content/_static/docsgen.css would be written to _static/docsgen.css, where the theme's _static/docsgen.css is written",
		"the file content/guide.html would be written to guide.html, where the page content/guide.md is written",
		"the file content/index.html/x.png would be written to index.html/x.png, but the page content/index.md is written to index.html",
		"the file content/notes/today.txt would be written to notes/today.txt, but the file content/notes (referenced at content/index.md:3:1) is written to notes",
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("collisions:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// Forgetting the files no page references any more clears them.
	s.KeepAssets([]string{filepath.Join(src, "img/ok.png"), filepath.Join(src, "notes.txt")})
	if ds := s.Collisions(nil); len(ds) > 0 || len(s.Assets) != 2 {
		t.Errorf("after KeepAssets: %v, assets %v", ds, s.Assets)
	}
}

func tocPage(name string, orphan bool, toctrees ...*directives.Toctree) *Page {
	src := &content.Source{Rel: name + ".md", File: "content/" + name + ".md"}
	if orphan {
		src.Front = map[string]any{"orphan": true}
	}
	return &Page{Src: src, Name: name, Title: strings.ToUpper(name[:1]) + name[1:], Doc: &markdown.Doc{Toctrees: toctrees}}
}

func toc(caption string, numbered int, targets ...string) *directives.Toctree {
	t := &directives.Toctree{Caption: caption, Numbered: numbered}
	for _, target := range targets {
		t.Entries = append(t.Entries, directives.TocEntry{Target: target})
	}
	return t
}

// TestNavLikeSphinx: captions start groups, :numbered: numbers entries and
// their children to its depth, and a page listed only by an orphan page's
// toctree is not an orphan.
func TestNavLikeSphinx(t *testing.T) {
	s := New("T", []*Page{
		tocPage("index", false, toc("Guides", 2, "a", "b"), toc("Reference", 0, "c"), toc("Part II", 1, "d")),
		tocPage("a", false, toc("", 0, "a1")),
		tocPage("a1", false, toc("", 0, "a2")),
		tocPage("a2", false),
		tocPage("b", false),
		tocPage("c", false),
		tocPage("d", false),
		tocPage("lonely", false, toc("", 0, "self")),
		tocPage("extras", true, toc("", 0, "hidden-gem")),
		tocPage("hidden-gem", false),
		tocPage("stray", false),
	}, "index", &directives.Files{})
	var got []string
	var walk func(ns []*NavNode, depth int)
	walk = func(ns []*NavNode, depth int) {
		for _, n := range ns {
			got = append(got, strings.Repeat("  ", depth)+n.Caption+"|"+n.Number+"|"+n.Title)
			walk(n.Children, depth+1)
		}
	}
	walk(s.Nav, 0)
	want := []string{"Guides|1.|A", "  |1.1.|A1", "    ||A2", "|2.|B", "Reference||C", "Part II|1.|D"}
	if !slices.Equal(got, want) {
		t.Errorf("nav:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	var orphans []string
	for _, d := range s.Diags.Sorted() {
		if d.Code == "toctree.orphan" {
			orphans = append(orphans, d.Target)
		}
	}
	if !slices.Equal(orphans, []string{"lonely", "stray"}) {
		t.Errorf("orphan warnings for %v, want lonely (listing only itself) and stray", orphans)
	}
}

// TestDownloadNamesIgnoreSymlinkedRoot: a file outside the content folder
// gets the same _downloads name whether the project is reached through a
// symlink or not (builds in a symlinked working folder were not
// byte-identical).
func TestDownloadNamesIgnoreSymlinkedRoot(t *testing.T) {
	real, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	project := filepath.Join(real, "project")
	os.MkdirAll(filepath.Join(project, "content"), 0o755)
	link := filepath.Join(real, "link")
	if err := os.Symlink(project, link); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(project, "examples", "app.yml") // as Files.Resolve returns it: real
	outFor := func(root string) string {
		s := New("T", nil, "index", &directives.Files{SourceRoot: filepath.Join(root, "content"), ProjectRoot: root})
		return s.AddAsset(file, diag.Pos{})
	}
	if a, b := outFor(project), outFor(link); a != b || !strings.HasPrefix(a, "_downloads/") {
		t.Errorf("through the real path %q, through the symlink %q", a, b)
	}
}
