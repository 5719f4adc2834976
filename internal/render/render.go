// Package render turns site pages into HTML files with a theme.
package render

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"html"
	"html/template"
	"io/fs"
	"net/url"
	"os"
	"path"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

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
	// builtinTOC: the layout's "toc" is the default theme's, which
	// TOCHTML then writes without executing it (see writeTOC).
	builtinTOC bool
	// Static holds the files copied to _static/.
	Static fs.FS
	// Templates is the SHA-256 of the templates' text, hex: a page's HTML
	// depends on the theme through them only.
	Templates string
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
	// 404.html may use the blocks layout.html defines (header, sidebar).
	notFound, err := template.ParseFS(fsys, "404.html", "layout.html")
	if err != nil {
		return nil, fmt.Errorf("theme: %w", err)
	}
	static, err := fs.Sub(fsys, "static")
	if err != nil {
		return nil, fmt.Errorf("theme: %w", err)
	}
	h := sha256.New()
	for _, name := range []string{"layout.html", "404.html"} {
		text, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("theme: %w", err)
		}
		fmt.Fprintf(h, "%s %d\n", name, len(text))
		h.Write(text)
	}
	return &Theme{layout: layout, notFound: notFound, Static: static, Templates: hex.EncodeToString(h.Sum(nil)),
		builtinTOC: treeText(layout.Lookup("toc")) == builtinTOCText()}, nil
}

// builtinTOCText is the default theme's "toc" template as parsed (before
// it is first executed: html/template then adds its escapers to the tree).
var builtinTOCText = sync.OnceValue(func() string {
	layout, err := template.ParseFS(themes.Default(), "layout.html")
	if err != nil {
		return "no built-in toc"
	}
	return treeText(layout.Lookup("toc"))
})

func treeText(t *template.Template) string {
	if t == nil || t.Tree == nil {
		return ""
	}
	return t.Tree.Root.String()
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
	// Children are the entries below, shown collapsed unless the item is
	// on the current page's branch.
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
	// Canonical is the page's absolute URL under base_url ("" without
	// one), for the canonical link and OpenGraph's og:url.
	Canonical string
	// EditURL is edit_url with the page's source path, "" without one.
	EditURL string
	// SiteRootPath is base_url's path ("/" without one): where the 404
	// page's script looks for the site root when served over HTTP (its
	// links are written from the root, and a server may send it for a
	// missing URL at any depth).
	SiteRootPath string
	// InlineCSS is the theme stylesheet inlined into the 404 page, which
	// must look right before it knows where _static/ is.
	InlineCSS template.CSS
	// Search is whether the site has its offline search (the header box,
	// search.js and search.html); false when the configuration turns it
	// off.
	Search bool

	navHTML    template.HTML
	page       *site.Page
	site       *site.Site
	layout     *template.Template
	builtinTOC bool
	tocHTML    *template.HTML
}

// Nav is the sidebar as data, for themes that lay it out themselves: the
// home page, the top-level entries, and the branch leading to the page
// opened (the whole tree in a small site).
func (d *PageData) Nav() []NavItem {
	return sidebar(d.site, d.page)
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

// TOCHTML is TOC rendered by the theme's "toc" template, once: the default
// layout shows it twice (in the page on narrow screens, beside it on wide
// ones), and its loop is most of the layout's own cost.
func (d *PageData) TOCHTML() (template.HTML, error) {
	if d.tocHTML == nil && d.builtinTOC && plainAnchors(d.TOC) {
		var b strings.Builder
		writeTOC(&b, d.TOC)
		h := template.HTML(b.String())
		d.tocHTML = &h
	}
	if d.tocHTML == nil {
		if d.layout == nil || d.layout.Lookup("toc") == nil {
			return "", errors.New(`TOCHTML needs a template named "toc"`)
		}
		var b strings.Builder
		if err := d.layout.ExecuteTemplate(&b, "toc", d.TOC); err != nil {
			return "", err
		}
		h := template.HTML(b.String())
		d.tocHTML = &h
	}
	return *d.tocHTML, nil
}

// writeTOC writes what the default theme's "toc" template makes of items,
// byte for byte (TestBuiltinTOCAsTemplate): executing it was a third of a
// page's layout, in reflection. Only for items whose URLs plainAnchors
// admits, which the template's URL escapers leave as they are.
func writeTOC(b *strings.Builder, items []directives.TocItem) {
	b.WriteString("\n<ul>")
	for _, it := range items {
		b.WriteString("\n<li><a href=\"")
		b.WriteString(it.URL)
		b.WriteString("\">")
		writeEscapedText(b, it.Title)
		b.WriteString("</a>")
		if len(it.Children) > 0 {
			writeTOC(b, it.Children)
		}
		b.WriteString("</li>")
	}
	b.WriteString("\n</ul>")
}

// plainAnchors says every item's URL is "#" and letters, digits, '.', '_',
// '~' or '-': what html/template writes into an href unchanged.
func plainAnchors(items []directives.TocItem) bool {
	for _, it := range items {
		if len(it.URL) == 0 || it.URL[0] != '#' {
			return false
		}
		for i := 1; i < len(it.URL); i++ {
			c := it.URL[i]
			if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '_' || c == '~' || c == '-') {
				return false
			}
		}
		if !plainAnchors(it.Children) {
			return false
		}
	}
	return true
}

// writeEscapedText escapes s as html/template does text between tags: NUL
// and " & ' + < > only (its replacement table; other bytes as they are).
func writeEscapedText(b *strings.Builder, s string) {
	start := 0
	for i := 0; i < len(s); i++ {
		var repl string
		switch s[i] {
		case 0:
			repl = "\uFFFD"
		case '"':
			repl = "&#34;"
		case '&':
			repl = "&amp;"
		case '\'':
			repl = "&#39;"
		case '+':
			repl = "&#43;"
		case '<':
			repl = "&lt;"
		case '>':
			repl = "&gt;"
		default:
			continue
		}
		b.WriteString(s[start:i])
		b.WriteString(repl)
		start = i + 1
	}
	b.WriteString(s[start:])
}

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
		if len(it.Children) > 0 {
			// The toggle is its own control beside the link, so the
			// link still goes to the page and the branch opens without
			// leaving it.
			b.WriteString("<details")
			if it.Current || it.Ancestor {
				b.WriteString(" open")
			}
			b.WriteString(`><summary><span class="visually-hidden">Pages under `)
			b.WriteString(html.EscapeString(it.Title))
			b.WriteString("</span></summary>\n")
			writeNav(b, it.Children)
			b.WriteString("</details>")
		}
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
	// withNavChildren holds the pages with entries below them in the
	// navigation, found once: a walk of the whole tree for every page made
	// a large site's sidebars quadratic.
	withNavChildren map[*site.Page]bool
	// layoutBytes is what the layout added to the last page's body.
	layoutBytes atomic.Int64
}

type navKey struct {
	parent *site.Page
	dir    string
}

// NewRenderer prepares rendering of s's pages.
func (t *Theme) NewRenderer(s *site.Site) *Renderer {
	r := &Renderer{theme: t, site: s, navs: map[navKey]string{}, withNavChildren: map[*site.Page]bool{}}
	var mark func([]*site.NavNode)
	mark = func(nodes []*site.NavNode) {
		for _, n := range nodes {
			if n.Page != nil && len(n.Children) > 0 {
				r.withNavChildren[n.Page] = true
			}
			mark(n.Children)
		}
	}
	mark(s.Nav)
	return r
}

// UncachedNavHTML renders p's sidebar from scratch.
func UncachedNavHTML(s *site.Site, p *site.Page) template.HTML {
	var b strings.Builder
	writeNav(&b, sidebar(s, p))
	return template.HTML(b.String())
}

// NavHTML returns the sidebar of p: from the cache for a page without
// children of its own (most pages), with p marked current.
func (r *Renderer) NavHTML(p *site.Page) template.HTML {
	if p.Parent == nil || r.withNavChildren[p] {
		return UncachedNavHTML(r.site, p)
	}
	key := navKey{parent: p.Parent, dir: path.Dir(p.Out)}
	r.mu.Lock()
	shared, ok := r.navs[key]
	r.mu.Unlock()
	if !ok {
		var b strings.Builder
		// Rendered for a sibling that is not in the list: no item current.
		writeNav(&b, sidebar(r.site, &site.Page{Out: p.Out, Parent: p.Parent}))
		shared = b.String()
		r.mu.Lock()
		r.navs[key] = shared
		r.mu.Unlock()
	}
	return template.HTML(markCurrent(shared, html.EscapeString(site.RelURL(p.Out, p.Out))))
}

// markCurrent marks the first item of nav linking to href as the current
// page. It is strings.Replace(nav, item, current, 1) without Replace's
// count of every match first: the nav of a large folder is tens of KB,
// and every page of the folder marks its own copy.
func markCurrent(nav, href string) string {
	const item, current = `<li><a href="`, `<li class="current"><a href="`
	i := strings.Index(nav, item+href+`">`)
	if i < 0 {
		return nav
	}
	rest := nav[i+len(item)+len(href)+1:] // from the closing '>'
	var b strings.Builder
	b.Grow(len(nav) + len(current) - len(item) + len(` aria-current="page"`))
	b.WriteString(nav[:i])
	b.WriteString(current)
	b.WriteString(href)
	b.WriteString(`" aria-current="page"`)
	b.WriteString(rest)
	return b.String()
}

// Page renders one page with its body HTML.
func (r *Renderer) Page(p *site.Page, body []byte) ([]byte, error) { return r.PageInto(nil, p, body) }

// PageInto is Page writing into dst's array when it is large enough: a
// build renders pages one after the other into the same buffer.
func (r *Renderer) PageInto(dst []byte, p *site.Page, body []byte) ([]byte, error) {
	s, t := r.site, r.theme
	d := PageData{
		Site: s.Title, Title: p.Title, Description: p.Src.Description(), IsRoot: p == s.Root, Search: s.Search,
		Body: template.HTML(body), Static: site.RootPrefix(p.Out) + "_static/",
		Home: site.RelURL(p.Out, "index.html"),
	}
	if s.Root != nil {
		d.Home = site.RelURL(p.Out, s.Root.Out)
	}
	d.navHTML = r.NavHTML(p)
	d.page, d.site, d.layout, d.builtinTOC = p, s, t.layout, t.builtinTOC
	if s.Logo != "" {
		d.Logo = site.RelURL(p.Out, s.Logo)
	}
	if s.Favicon != "" {
		d.Favicon = site.RelURL(p.Out, s.Favicon)
	}
	if s.BaseURL != "" {
		d.Canonical = AbsURL(s.BaseURL, p.Out)
	}
	if s.EditURL != "" && p.Src != nil && p.Src.Rel != "" { // not a page docsgen makes
		d.EditURL = strings.ReplaceAll(s.EditURL, "{path}", (&url.URL{Path: p.Src.Rel}).EscapedPath())
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
	// Sized for the body and what the layout added to the last page: grown
	// by doubling from nothing, a page's bytes were copied about twice.
	buf := bytes.NewBuffer(dst[:0])
	buf.Grow(len(body) + int(r.layoutBytes.Load()) + 1024)
	if err := t.layout.Execute(buf, &d); err != nil {
		return nil, fmt.Errorf("theme layout.html: %w", err)
	}
	r.layoutBytes.Store(int64(buf.Len() - len(body)))
	return buf.Bytes(), nil
}

// AbsURL is the page at out under base, escaped as in sitemap.xml.
func AbsURL(base, out string) string {
	if !strings.HasSuffix(base, "/") {
		base += "/"
	}
	return base + (&url.URL{Path: out}).EscapedPath()
}

// NotFound renders 404.html, placed at the site root. Its links are
// relative to the root, which is right from file:// and at the server's
// root; the page's script re-bases them when a server sends it for a
// missing URL deeper down. No <base>: it would also move the page's own
// fragment links, and it cannot be right both from file:// and over HTTP.
func (t *Theme) NotFound(s *site.Site) ([]byte, error) {
	const out = "404.html"
	d := PageData{Site: s.Title, Title: "Page not found", Static: "_static/", Home: "index.html", SiteRootPath: "/", Search: s.Search}
	if s.Root != nil {
		d.Home = s.Root.Out
	}
	if s.BaseURL != "" {
		if u, err := url.Parse(s.BaseURL); err == nil && u.Path != "" {
			d.SiteRootPath = u.Path
			if !strings.HasSuffix(d.SiteRootPath, "/") {
				d.SiteRootPath += "/"
			}
		}
	}
	if s.Favicon != "" {
		d.Favicon = s.Favicon
	}
	if s.Logo != "" {
		d.Logo = s.Logo
	}
	// A theme of its own may style its 404 page without these files; the
	// header's search box needs search.css to sit beside the title.
	var css []byte
	for _, name := range []string{"docsgen.css", "search.css"} {
		b, err := fs.ReadFile(t.Static, name)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("the 404 page inlines the theme's %s: %w", name, err)
		}
		css = append(css, b...)
	}
	d.InlineCSS = template.CSS(css)
	var b strings.Builder
	writeNav(&b, sidebar(s, &site.Page{Out: out}))
	d.navHTML = template.HTML(b.String())
	d.site = s
	var buf bytes.Buffer
	err := t.notFound.Execute(&buf, &d)
	return buf.Bytes(), err
}

func ancestors(p *site.Page) map[*site.Page]bool {
	m := map[*site.Page]bool{}
	for a := p.Parent; a != nil; a = a.Parent {
		m[a] = true
	}
	return m
}

// navBudget is the largest navigation shown whole (its other branches
// collapsed) on every page; a larger site's pages show the top level and
// their own branch, so a page of a 10,000-page site does not carry them all.
const navBudget = 300

// sidebar is the navigation of page cur: the home page (in a list of its
// own, above the first toctree's caption), then the toctrees' entries.
func sidebar(s *site.Site, cur *site.Page) []NavItem {
	items := navItems(s.Nav, cur, ancestors(cur))
	if s.Root == nil {
		return items
	}
	home := NavItem{Title: s.Root.Title, URL: site.RelURL(cur.Out, s.Root.Out), Current: s.Root == cur}
	return append([]NavItem{home}, items...)
}

// navItems builds the sidebar tree: the whole tree when it has at most
// navBudget entries, else the top-level entries and the branch that leads
// to the current page.
func navItems(nodes []*site.NavNode, cur *site.Page, anc map[*site.Page]bool) []NavItem {
	onBranch := func(n *site.NavNode) bool { return n.Page != nil && (n.Page == cur || anc[n.Page]) }
	whole := countNav(nodes, navBudget+1) <= navBudget
	var build func([]*site.NavNode, bool) []NavItem
	build = func(ns []*site.NavNode, captions bool) []NavItem {
		var out []NavItem
		for _, n := range ns {
			// A nested toctree's caption shows on the current page's
			// branch, not in the branches shown collapsed.
			caption := ""
			if captions {
				caption = n.Caption
			}
			if n.Page == nil {
				out = append(out, NavItem{Title: n.Title, URL: n.URL, Caption: caption, Number: n.Number})
				continue
			}
			it := NavItem{Title: n.Title, URL: site.RelURL(cur.Out, n.Page.Out), Current: n.Page == cur, Ancestor: anc[n.Page],
				Caption: caption, Number: n.Number}
			if whole || onBranch(n) {
				it.Children = build(n.Children, onBranch(n))
			}
			out = append(out, it)
		}
		return out
	}
	return build(nodes, true)
}

// countNav counts the entries of a navigation tree, stopping past limit.
func countNav(nodes []*site.NavNode, limit int) int {
	n := 0
	for _, node := range nodes {
		if n += 1 + countNav(node.Children, limit-n-1); n >= limit {
			return n
		}
	}
	return n
}
