// Package render turns site pages into HTML files with a theme.
package render

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"os"
	"path"

	"github.com/docsgen/docsgen/internal/directives"
	"github.com/docsgen/docsgen/internal/site"
	"github.com/docsgen/docsgen/themes"
)

// Theme is a loaded theme: templates plus static files.
type Theme struct {
	layout   *template.Template
	notFound *template.Template
	// Static holds the files copied to _static/.
	Static fs.FS
}

// LoadTheme loads the theme at dir, or the built-in default with dir == "".
func LoadTheme(dir string) (*Theme, error) {
	fsys := themes.Default()
	if dir != "" {
		if _, err := os.Stat(dir); err != nil {
			return nil, fmt.Errorf("theme %s: %v", dir, err)
		}
		fsys = os.DirFS(dir)
	}
	layout, err := template.ParseFS(fsys, "layout.html")
	if err != nil {
		return nil, fmt.Errorf("theme: %v", err)
	}
	notFound, err := template.ParseFS(fsys, "404.html")
	if err != nil {
		return nil, fmt.Errorf("theme: %v", err)
	}
	static, err := fs.Sub(fsys, "static")
	if err != nil {
		return nil, fmt.Errorf("theme: %v", err)
	}
	return &Theme{layout: layout, notFound: notFound, Static: static}, nil
}

// Link is a titled URL.
type Link struct {
	Title string
	URL   string
}

// NavItem is a sidebar entry.
type NavItem struct {
	Title    string
	URL      string
	Current  bool
	Ancestor bool
	Children []NavItem
}

// PageData is what layout.html sees.
type PageData struct {
	Site        string
	Title       string
	Description string
	IsRoot      bool
	Body        template.HTML
	Home        string
	Static      string
	Nav         []NavItem
	TOC         []directives.TocItem
	Breadcrumbs []Link
	Prev, Next  *Link
}

// Page renders one page with its body HTML.
func (t *Theme) Page(s *site.Site, p *site.Page, body []byte) ([]byte, error) {
	d := PageData{
		Site: s.Title, Title: p.Title, Description: p.Src.Description(), IsRoot: p == s.Root,
		Body: template.HTML(body), Static: site.RootPrefix(p.Out) + "_static/",
		Home: site.RelURL(p.Out, "index.html"),
	}
	if s.Root != nil {
		d.Home = site.RelURL(p.Out, s.Root.Out)
	}
	d.Nav = navItems(s.Nav, p, ancestors(p))
	if hs := p.Doc.Headings; len(hs) > 0 {
		if hs[0].Level == 1 {
			hs = hs[1:]
		}
		d.TOC = tocFor(hs)
	}
	for a := p.Parent; a != nil; a = a.Parent {
		d.Breadcrumbs = append([]Link{{Title: a.Title, URL: site.RelURL(p.Out, a.Out)}}, d.Breadcrumbs...)
	}
	if p.Prev != nil {
		d.Prev = &Link{Title: p.Prev.Title, URL: site.RelURL(p.Out, p.Prev.Out)}
	}
	if p.Next != nil {
		d.Next = &Link{Title: p.Next.Title, URL: site.RelURL(p.Out, p.Next.Out)}
	}
	var buf bytes.Buffer
	if err := t.layout.Execute(&buf, d); err != nil {
		return nil, fmt.Errorf("theme layout.html: %v", err)
	}
	return buf.Bytes(), nil
}

// tocFor lists the page's sections two levels deep.
func tocFor(hs []markdownHeading) []directives.TocItem {
	return headingTree(hs)
}

// NotFound renders 404.html, placed at the site root.
func (t *Theme) NotFound(s *site.Site) ([]byte, error) {
	home := "index.html"
	if s.Root != nil {
		home = s.Root.Out
	}
	var buf bytes.Buffer
	err := t.notFound.Execute(&buf, PageData{Site: s.Title, Static: "/_static/", Home: "/" + home})
	return buf.Bytes(), err
}

func ancestors(p *site.Page) map[*site.Page]bool {
	m := map[*site.Page]bool{}
	for a := p.Parent; a != nil; a = a.Parent {
		m[a] = true
	}
	return m
}

// navItems builds the sidebar: every top-level entry, and the branch that
// leads to the current page opened (so a page's sidebar stays small however
// large the site).
func navItems(nodes []*site.NavNode, cur *site.Page, anc map[*site.Page]bool) []NavItem {
	var out []NavItem
	for _, n := range nodes {
		if n.Page == nil {
			out = append(out, NavItem{Title: n.Title, URL: n.URL})
			continue
		}
		it := NavItem{Title: n.Title, URL: site.RelURL(cur.Out, n.Page.Out), Current: n.Page == cur, Ancestor: anc[n.Page]}
		if it.Current || it.Ancestor {
			it.Children = navItems(n.Children, cur, anc)
		}
		out = append(out, it)
	}
	return out
}

// OutPath is where a page is written below the output folder.
func OutPath(p *site.Page) string { return path.Clean(p.Out) }
