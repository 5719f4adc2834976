package build

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/docsgen/docsgen/internal/checkref"
	"github.com/docsgen/docsgen/internal/config"
	"github.com/docsgen/docsgen/internal/deployenv"
	"github.com/docsgen/docsgen/internal/diag"
	"golang.org/x/net/html"
)

// TestShippedSite builds the repository's own content/ in strict mode and
// checks what the deployment page must show.
func TestShippedSite(t *testing.T) {
	t.Chdir(filepath.Join("..", ".."))
	cfg, err := config.Load("")
	if err != nil {
		t.Fatal(err)
	}
	res, err := Build(context.Background(), Options{Config: cfg, FailLevel: diag.Warning, Mode: DryRun})
	if err != nil {
		for _, d := range res.Diags {
			t.Log(d)
		}
		t.Fatalf("strict build of content/: %v", err)
	}
	page, ok := res.Files["deployment.html"]
	if !ok {
		t.Fatal("no deployment.html")
	}
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	article := find(doc, func(n *html.Node) bool { return n.Data == "article" })
	if article == nil {
		t.Fatal("no <article>")
	}

	seeAlso := find(article, hasClass("admonition", "seealso"))
	if seeAlso == nil || !strings.Contains(text(seeAlso), "See also") || !strings.Contains(text(seeAlso), "check --deploy") {
		t.Errorf("no See also box with the guide's text")
	}

	// The bash lexer leaves "python manage.py" as plain words; what proves the
	// block went through chroma is its line structure (token colours for bash
	// are covered by the code-block golden test).
	bash := find(article, hasClass("highlight-bash"))
	if bash == nil || find(bash, hasClass("line")) == nil || !strings.Contains(text(bash), "python manage.py check --deploy") {
		t.Errorf("no highlighted bash block with the check command")
	}

	yaml := find(article, hasClass("highlight-yaml"))
	if yaml == nil {
		t.Fatal("no included production.yml block")
	}
	wrapper := yaml.Parent
	if !hasClass("literal-block-wrapper")(wrapper) || !strings.Contains(text(wrapper), "examples/production/production.yml") {
		t.Errorf("the included block has no caption naming the file")
	}
	numbers := findAll(yaml, hasClass("ln"))
	if len(numbers) < 20 || strings.TrimSpace(text(numbers[0])) != "1" {
		t.Errorf("production.yml has %d line numbers, want them all, from 1", len(numbers))
	}
	emphasized := findAll(yaml, hasClass("hl"))
	if len(emphasized) == 0 {
		t.Fatal("no emphasized lines")
	}
	var emText strings.Builder
	for _, e := range emphasized {
		emText.WriteString(text(e))
	}
	for _, want := range []string{"env_file:", "environment:", "stack.env", "DATABASE_URL"} {
		if !strings.Contains(emText.String(), want) {
			t.Errorf("emphasized lines do not show %q:\n%s", want, emText.String())
		}
	}
	src, err := os.ReadFile("examples/production/production.yml")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(src), "env_file:") {
		t.Fatal("example production.yml has no env_file")
	}

	link := find(article, func(n *html.Node) bool {
		return n.Data == "a" && strings.Contains(text(n), "Configuration Checks")
	})
	if link == nil {
		t.Fatal("no link to the configuration checks page")
	}
	target := filepath.ToSlash(filepath.Join(filepath.Dir("deployment.html"), attr(link, "href")))
	if _, ok := res.Files[target]; !ok {
		t.Errorf("configuration checks link %q points at no built page", attr(link, "href"))
	}

	// The guide's commented-out literalinclude stays inert.
	if strings.Contains(string(page), "pyproject.toml") || len(findAll(article, hasClass("highlight-toml"))) > 0 {
		t.Errorf("the commented-out literalinclude produced output")
	}
}

func find(n *html.Node, pred func(*html.Node) bool) *html.Node {
	if all := findAll(n, pred); len(all) > 0 {
		return all[0]
	}
	return nil
}

func findAll(n *html.Node, pred func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	for c := range n.Descendants() {
		if c.Type == html.ElementNode && pred(c) {
			out = append(out, c)
		}
	}
	return out
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasClass(classes ...string) func(*html.Node) bool {
	return func(n *html.Node) bool {
		have := strings.Fields(attr(n, "class"))
		for _, c := range classes {
			found := false
			for _, h := range have {
				if h == c {
					found = true
				}
			}
			if !found {
				return false
			}
		}
		return true
	}
}

func text(n *html.Node) string {
	var b strings.Builder
	for c := range n.Descendants() {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
	}
	return b.String()
}

// TestCatalogPageListsTheCatalog: the configuration-checks page shows
// exactly the checks the validator runs, one anchor per ID, and the guide's
// generated summary and precedence table are in place.
func TestCatalogPageListsTheCatalog(t *testing.T) {
	t.Chdir(filepath.Join("..", ".."))
	cfg, err := config.Load("")
	if err != nil {
		t.Fatal(err)
	}
	res, err := Build(context.Background(), Options{Config: cfg, FailLevel: diag.Warning, Mode: DryRun})
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	page, err := html.Parse(bytes.NewReader(res.Files["portal-administration/configuration-checks.html"]))
	if err != nil {
		t.Fatal(err)
	}
	idRe := regexp.MustCompile(`^[a-z]+-[ewi]\d{3}$`)
	var anchors []string
	for _, n := range findAll(page, func(n *html.Node) bool { return idRe.MatchString(attr(n, "id")) }) {
		anchors = append(anchors, attr(n, "id"))
	}
	var want []string
	body := text(page)
	for _, c := range checkref.All() {
		want = append(want, c.Anchor())
		for _, s := range []string{c.ID, c.Title} {
			if !strings.Contains(body, s) {
				t.Errorf("catalog page lacks %q", s)
			}
		}
	}
	slices.Sort(anchors)
	if !slices.Equal(anchors, want) {
		t.Errorf("catalog anchors = %v\nwant the catalog's %v", anchors, want)
	}
	// The settings reference is rendered from the settings model the checks
	// read: every variable, fixed setting and ignored variable is on the page.
	var names []string
	for _, v := range checkref.AppVars {
		names = append(names, v.Name)
	}
	for _, h := range checkref.HardCodedSettings {
		names = append(names, h.Setting)
	}
	for _, v := range checkref.IgnoredVars {
		names = append(names, v.Name)
	}
	for _, n := range names {
		if !strings.Contains(body, n) {
			t.Errorf("the settings reference lacks %s", n)
		}
	}

	guide, err := html.Parse(bytes.NewReader(res.Files["deployment.html"]))
	if err != nil {
		t.Fatal(err)
	}
	guideText := text(guide)
	for _, a := range checkref.Areas {
		link := find(guide, func(n *html.Node) bool {
			return n.Data == "a" && strings.HasSuffix(attr(n, "href"), "configuration-checks.html#checks-"+a.ID)
		})
		if link == nil {
			t.Errorf("the guide's check summary has no link to area %s", a.ID)
		}
	}
	for _, l := range deployenv.Layers {
		if !strings.Contains(guideText, l.Name) || !strings.Contains(guideText, strings.ReplaceAll(l.Caveat, "`", "")) {
			t.Errorf("the precedence table lacks layer %q or its caveat", l.Name)
		}
	}
}
