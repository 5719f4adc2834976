// Package render turns site pages into HTML files with a theme.
package render

import (
	"bytes"
	"fmt"
	"html"
	"html/template"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"
	"sync"

	"github.com/docsgen/docsgen/internal/directives"
	"github.com/docsgen/docsgen/internal/markdown"
	"github.com/docsgen/docsgen/internal/safefile"
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
			return nil, fmt.Errorf("theme %s: %w", dir, err)
		}
		fsys = safefile.DirFS(dir)
	}
	layout, err := template.ParseFS(fsys, "layout.html")
	if err != nil {
		return nil, fmt.Errorf("theme: %w", err)
	}
	notFound, err := template.ParseFS(fsys, "404.html")
	if err != nil {
		return nil, fmt.Errorf("theme: %w", err)
	}
	static, err := fs.Sub(fsys, "static")
	if err != nil {
		return nil, fmt.Errorf("theme: %w", err)
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
	// Caption starts a captioned group (a toctree's :caption:).
	Caption string
	// Number is the section number under a :numbered: toctree ("2.1.").
	Number string
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
	TOC         []directives.TocItem
	// Logo and Favicon are URLs of the configured images, "" for none.
	Logo, Favicon string
	Breadcrumbs   []Link
	Prev, Next    *Link

	navHTML template.HTML
	page    *site.Page
	site    *site.Site
}

// Nav is the sidebar as data, for themes that lay it out themselves: the
// top-level entries, and the branch leading to the page opened.
func (d *PageData) Nav() []NavItem {
	return navItems(d.site.Nav, d.page, ancestors(d.page))
}

// Uses reports whether the page needs the theme's browser asset name
// ("mermaid", "katex", "design"), so the layout loads it only there.
func (d *PageData) Uses(name string) bool {
	return d.page != nil && d.page.Doc != nil && slices.Contains(d.page.Doc.Assets, name)
}

// NavHTML is the sidebar list as HTML. The default theme uses it instead of
// ranging over Nav: reflection-driven template loops over a large
// navigation cost more than the page's Markdown.
func (d *PageData) NavHTML() template.HTML { return d.navHTML }

func writeNav(b *strings.Builder, items []NavItem) {
	if len(items) == 0 {
		return
	}
	for i, it := range items {
		// A captioned toctree is its own list under a heading, as in
		// Sphinx's sidebar.
		if i == 0 || it.Caption != "" {
			if i > 0 {
				b.WriteString("</ul>\n")
			}
			if it.Caption != "" {
				b.WriteString(`<p class="caption" role="heading" aria-level="2"><span class="caption-text">`)
				b.WriteString(html.EscapeString(it.Caption))
				b.WriteString("</span></p>\n")
			}
			b.WriteString("<ul>\n")
		}
		b.WriteString("<li")
		switch {
		case it.Current:
			b.WriteString(` class="current"`)
		case it.Ancestor:
			b.WriteString(` class="ancestor"`)
		}
		b.WriteString(`><a href="`)
		b.WriteString(html.EscapeString(it.URL))
		b.WriteString(`"`)
		if it.Current {
			b.WriteString(` aria-current="page"`)
		}
		b.WriteString(">")
		if it.Number != "" {
			b.WriteString(`<span class="section-number">` + html.EscapeString(it.Number) + " </span>")
		}
		b.WriteString(html.EscapeString(it.Title))
		b.WriteString("</a>")
		writeNav(b, it.Children)
		b.WriteString("</li>\n")
	}
	b.WriteString("</ul>\n")
}

// Renderer renders the pages of one site with a theme. It caches the
// sidebar shared by pages of the same folder and parent, so a large site
// does not rebuild a large navigation for every page.
type Renderer struct {
	theme *Theme
	site  *site.Site
	mu    sync.Mutex
	navs  map[navKey]string
}

type navKey struct {
	parent *site.Page
	dir    string
}

// NewRenderer prepares rendering of s's pages.
func (t *Theme) NewRenderer(s *site.Site) *Renderer {
	return &Renderer{theme: t, site: s, navs: map[navKey]string{}}
}

// UncachedNavHTML renders p's sidebar from scratch.
func UncachedNavHTML(s *site.Site, p *site.Page) template.HTML {
	var b strings.Builder
	writeNav(&b, navItems(s.Nav, p, ancestors(p)))
	return template.HTML(b.String())
}

// NavHTML returns the sidebar of p: from the cache for a page without
// children of its own (most pages), with p marked current.
func (r *Renderer) NavHTML(p *site.Page) template.HTML {
	if p.Parent == nil || hasNavChildren(r.site.Nav, p) {
		return UncachedNavHTML(r.site, p)
	}
	key := navKey{parent: p.Parent, dir: path.Dir(p.Out)}
	r.mu.Lock()
	shared, ok := r.navs[key]
	r.mu.Unlock()
	if !ok {
		var b strings.Builder
		// Rendered for a sibling that is not in the list: no item current.
		writeNav(&b, navItems(r.site.Nav, &site.Page{Out: p.Out, Parent: p.Parent}, ancestors(p)))
		shared = b.String()
		r.mu.Lock()
		r.navs[key] = shared
		r.mu.Unlock()
	}
	href := html.EscapeString(site.RelURL(p.Out, p.Out))
	return template.HTML(strings.Replace(shared, `<li><a href="`+href+`">`, `<li class="current"><a href="`+href+`" aria-current="page">`, 1))
}

// hasNavChildren reports whether p has entries below it in the navigation.
func hasNavChildren(nodes []*site.NavNode, p *site.Page) bool {
	for _, n := range nodes {
		if n.Page == p {
			return len(n.Children) > 0
		}
		if hasNavChildren(n.Children, p) {
			return true
		}
	}
	return false
}

// Page renders one page with its body HTML.
func (r *Renderer) Page(p *site.Page, body []byte) ([]byte, error) {
	s, t := r.site, r.theme
	d := PageData{
		Site: s.Title, Title: p.Title, Description: p.Src.Description(), IsRoot: p == s.Root,
		Body: template.HTML(body), Static: site.RootPrefix(p.Out) + "_static/",
		Home: site.RelURL(p.Out, "index.html"),
	}
	if s.Root != nil {
		d.Home = site.RelURL(p.Out, s.Root.Out)
	}
	d.navHTML = r.NavHTML(p)
	d.page, d.site = p, s
	if s.Logo != "" {
		d.Logo = site.RelURL(p.Out, s.Logo)
	}
	if s.Favicon != "" {
		d.Favicon = site.RelURL(p.Out, s.Favicon)
	}
	if hs := p.Doc.Headings; len(hs) > 0 {
		if hs[0].Level == 1 {
			hs = hs[1:]
		}
		d.TOC = markdown.HeadingTree(hs, 2) // two levels below the title
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
	if err := t.layout.Execute(&buf, &d); err != nil {
		return nil, fmt.Errorf("theme layout.html: %w", err)
	}
	return buf.Bytes(), nil
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
			out = append(out, NavItem{Title: n.Title, URL: n.URL, Caption: n.Caption, Number: n.Number})
			continue
		}
		it := NavItem{Title: n.Title, URL: site.RelURL(cur.Out, n.Page.Out), Current: n.Page == cur, Ancestor: anc[n.Page],
			Caption: n.Caption, Number: n.Number}
		if it.Current || it.Ancestor {
			it.Children = navItems(n.Children, cur, anc)
		}
		out = append(out, it)
	}
	return out
}
