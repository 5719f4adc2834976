// Package site is the model of a built site: its pages, the navigation the
// toctrees define, and the indexes every reference is resolved through.
package site

import (
	"cmp"
	"net/url"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/docsgen/docsgen/internal/content"
	"github.com/docsgen/docsgen/internal/diag"
	"github.com/docsgen/docsgen/internal/directives"
	"github.com/docsgen/docsgen/internal/markdown"
)

// Page is one document of the site.
type Page struct {
	Src *content.Source
	Doc *markdown.Doc
	// Name is the document name: the source path without ".md".
	Name string
	// Out is the output path, slash-separated: Name + ".html".
	Out string
	// Title is the front matter title, else the first heading.
	Title string
	// Nav position, set by the site.
	Parent     *Page
	Prev, Next *Page
	InNav      bool
	// Refs are the page's references, after resolution.
	Refs []markdown.Ref
	// Uses names the pages whose titles, anchors or labels this page's
	// output depends on; Unresolved says some reference led nowhere (a page
	// added later may fix it); Assets are the files it references. An
	// incremental rebuild finds the pages to render again through them.
	Uses       map[string]bool
	Unresolved bool
	Assets     []string
	// AssetsAt are where the page references each of Assets, in order.
	AssetsAt []diag.Pos
	// Pending are the page's references taken before its tree was dropped
	// (link checking), resolved by ResolveRefs.
	Pending []markdown.PendingRef
}

// target is where a label or term points.
type target struct {
	page  *Page
	id    string
	title string
	pos   diag.Pos
}

// NavNode is one entry of the site navigation.
type NavNode struct {
	Page     *Page // nil for external links
	Title    string
	URL      string // for external links
	Children []*NavNode
	// Caption is the :caption: of the toctree this entry starts, shown
	// above its group in the sidebar.
	Caption string
	// Number is the entry's section number ("2.1.") under a :numbered:
	// toctree, as Sphinx shows it; "" otherwise.
	Number string
}

// Site is every page plus the indexes built from them.
type Site struct {
	Title   string
	Pages   []*Page
	Root    *Page
	Nav     []*NavNode
	byName  map[string]*Page
	labels  map[string]target
	terms   map[string]target
	files   *directives.Files
	srcDir  string
	assetMu sync.Mutex
	// Logo and Favicon are the output paths of the configured images ("" for
	// none); Chrome lists their source files, kept as assets for the site.
	Logo, Favicon string
	Chrome        []string
	// BaseURL and EditURL are the configuration's base_url and edit_url,
	// for the theme's canonical links and "Edit this page".
	BaseURL, EditURL string
	// Search is whether the site has its offline search (config search).
	Search bool
	// Assets maps a referenced file (absolute path) to its output path.
	Assets  map[string]string
	assetAt map[string]diag.Pos // where each asset is first referenced
	Diags   diag.List
}

// Name returns the document name of a source path ("a/b.md" → "a/b").
func Name(rel string) string { return strings.TrimSuffix(rel, ".md") }

// New indexes the pages. root names the root document ("index").
func New(title string, pages []*Page, root string, files *directives.Files) *Site {
	s := &Site{Title: title, Pages: pages, byName: map[string]*Page{}, labels: map[string]target{},
		terms: map[string]target{}, files: files, srcDir: files.SourceRoot, Assets: map[string]string{},
		assetAt: map[string]diag.Pos{}}
	slices.SortFunc(s.Pages, func(a, b *Page) int { return cmp.Compare(a.Name, b.Name) })
	for _, p := range s.Pages {
		s.byName[p.Name] = p
		p.Out = p.Name + ".html"
		if p.Title == "" {
			p.Title = cmp.Or(p.Src.Title(), p.Doc.Title, path.Base(p.Name))
		}
	}
	for _, p := range s.Pages {
		for _, l := range p.Doc.Labels {
			if prev, dup := s.labels[l.Name]; dup {
				s.Diags.Add(diag.Diagnostic{Pos: l.Pos, Severity: diag.Warning, Code: "ref.duplicate",
					Message: "duplicate label " + quote(l.Name) + ", also defined at " + prev.pos.String()})
				continue
			}
			s.labels[l.Name] = target{page: p, id: l.ID, title: l.Title, pos: l.Pos}
		}
		for _, t := range p.Doc.Terms {
			if prev, dup := s.terms[t.Name]; dup {
				s.Diags.Add(diag.Diagnostic{Pos: t.Pos, Severity: diag.Warning, Code: "ref.duplicate",
					Message: "duplicate glossary term " + quote(t.Title) + ", also defined at " + prev.pos.String()})
				continue
			}
			s.terms[t.Name] = target{page: p, id: t.ID, title: t.Title, pos: t.Pos}
		}
	}
	s.Root = s.byName[root]
	if s.Title == "" {
		// As Sphinx takes the project name: here the root page says it.
		s.Title = "Documentation"
		if s.Root != nil {
			s.Title = s.Root.Title
		}
	}
	if s.Root == nil {
		// Every build needs one: in a live preview too, where deleting it
		// must show as an error, not as a site with no navigation.
		display := files.Display(files.SourceRoot)
		s.Diags.Add(diag.Diagnostic{Pos: diag.Pos{File: display}, Severity: diag.Error, Code: "site.root",
			Message: "no root document " + root + ".md", Hint: "create " + path.Join(display, root+".md") + " with the site's toctree"})
	}
	s.buildNav()
	return s
}

// Page returns the page with document name name.
func (s *Site) Page(name string) (*Page, bool) { p, ok := s.byName[name]; return p, ok }

func quote(s string) string { return "\"" + s + "\"" }

// buildNav follows the toctrees from the root page, depth first: that order
// is the reading order (prev/next) and the sidebar.
func (s *Site) buildNav() {
	if s.Root == nil {
		return
	}
	s.Root.InNav = true
	seen := map[*Page]bool{s.Root: true}
	var order []*Page
	order = append(order, s.Root)
	// numbering is the section number prefix and the depth it still
	// applies to (0: none), inherited from a :numbered: toctree above.
	var children func(p *Page, prefix string, depth int) []*NavNode
	children = func(p *Page, prefix string, depth int) []*NavNode {
		var out []*NavNode
		n := 0
		for _, t := range p.Doc.Toctrees {
			tPrefix, tDepth := prefix, depth
			if t.Numbered != 0 && depth == 0 {
				tDepth = t.Numbered // Sphinx numbers this toctree's tree,
				n = 0               // from 1 for each numbered toctree
			}
			first := true
			for _, e := range s.expandEntries(p, t, nil) {
				var node *NavNode
				if e.page == nil {
					node = &NavNode{Title: e.title, URL: e.url}
				} else {
					if seen[e.page] {
						continue
					}
					seen[e.page] = true
					e.page.InNav = true
					e.page.Parent = p
					order = append(order, e.page)
					node = &NavNode{Page: e.page, Title: cmp.Or(e.title, e.page.Title)}
					if tDepth != 0 {
						n++
						node.Number = tPrefix + strconv.Itoa(n) + "."
						node.Children = children(e.page, node.Number, tDepth-1)
					} else {
						node.Children = children(e.page, "", 0)
					}
				}
				if first {
					node.Caption = t.Caption
					first = false
				}
				out = append(out, node)
			}
		}
		return out
	}
	s.Nav = children(s.Root, "", 0)
	for i, p := range order {
		if i > 0 {
			p.Prev = order[i-1]
		}
		if i+1 < len(order) {
			p.Next = order[i+1]
		}
	}
	// As in Sphinx, a page is an orphan only if no toctree anywhere lists
	// it: a toctree on a page outside the navigation (an orphan: true page,
	// say) counts.
	listed := map[*Page]bool{}
	for _, p := range s.Pages {
		for _, t := range p.Doc.Toctrees {
			for _, e := range s.expandEntries(p, t, nil) {
				if e.page != nil && e.page != p { // "self" lists nothing
					listed[e.page] = true
				}
			}
		}
	}
	for _, p := range s.Pages {
		if !p.InNav && !listed[p] && !p.Src.Orphan() {
			s.Diags.Add(diag.Diagnostic{Pos: diag.Pos{File: p.Src.File, Line: 1, Col: 1}, Severity: diag.Warning, Code: "toctree.orphan",
				Message: "document is not included in any toctree",
				Hint:    "add it to a toctree, or set orphan: true in its front matter", Target: p.Name})
		}
	}
}

type tocEntry struct {
	page  *Page
	title string
	url   string
	entry directives.TocEntry
}

// expandEntries resolves a toctree's entries (globs expanded) to pages or
// URLs. Problems go to diags when it is not nil.
func (s *Site) expandEntries(from *Page, t *directives.Toctree, diags *diag.List) []tocEntry {
	var out []tocEntry
	listed := map[*Page]bool{}
	warn := func(e directives.TocEntry, msg, suggestion string) {
		if diags != nil {
			d := diag.Diagnostic{Pos: diag.Pos{File: e.File, Line: e.Line, Col: e.Col}, Severity: diag.Warning, Code: "toctree",
				Message: msg, Target: e.Target, Suggestion: suggestion}
			if suggestion != "" {
				d.Hint = diag.DidYouMean(quote(suggestion))
			}
			diags.Add(d)
		}
	}
	for _, e := range t.Entries {
		if markdown.IsExternal(e.Target) {
			out = append(out, tocEntry{title: cmp.Or(e.Title, e.Target), url: e.Target, entry: e})
			continue
		}
		if e.Target == "self" {
			out = append(out, tocEntry{page: from, title: e.Title, entry: e})
			continue
		}
		if t.Glob && e.Title == "" && strings.ContainsAny(e.Target, "*?[") {
			pattern := s.docPath(from, e.Target)
			matched := false
			for _, p := range s.Pages {
				if ok, _ := path.Match(pattern, p.Name); ok && p != from && !listed[p] {
					out = append(out, tocEntry{page: p, entry: e})
					listed[p] = true
					matched = true
				}
			}
			if !matched {
				warn(e, "toctree glob pattern "+quote(e.Target)+" matches no document", "")
			}
			continue
		}
		name := s.docPath(from, e.Target)
		p, ok := s.byName[name]
		if !ok {
			warn(e, "toctree contains a reference to the missing document "+quote(e.Target), s.suggestDoc(name))
			continue
		}
		if listed[p] {
			warn(e, "duplicate toctree entry "+quote(e.Target), "")
		}
		listed[p] = true
		out = append(out, tocEntry{page: p, title: e.Title, entry: e})
	}
	if t.Reversed {
		slices.Reverse(out)
	}
	return out
}

// docPath resolves a document reference written in from: relative to its
// folder, or to the source root with a leading "/"; ".md" is optional.
func (s *Site) docPath(from *Page, target string) string {
	return docPathIn(path.Dir(from.Name), target)
}

func docPathIn(dir, target string) string {
	target = strings.TrimSuffix(target, ".md")
	if strings.HasPrefix(target, "/") {
		return path.Clean(strings.TrimPrefix(target, "/"))
	}
	return path.Clean(path.Join(dir, target))
}

// dirOf returns the folder, relative to the source root, of the file a
// reference was written in (an included file may live elsewhere), so that
// relative paths mean what they mean in the author's editor and on GitHub.
func (s *Site) dirOf(page *Page, file string) string {
	if file == "" || file == page.Src.File {
		return path.Dir(page.Name)
	}
	abs, err := filepath.Abs(file)
	if err != nil {
		return path.Dir(page.Name)
	}
	root, err := filepath.Abs(s.srcDir)
	if err != nil {
		return path.Dir(page.Name)
	}
	rel, err := filepath.Rel(root, filepath.Dir(abs))
	if err != nil {
		return path.Dir(page.Name)
	}
	return filepath.ToSlash(rel)
}

func (s *Site) suggestDoc(name string) string {
	var names []string
	byBase := map[string]string{}
	var bases []string
	for _, p := range s.Pages {
		names = append(names, p.Name)
		if _, dup := byBase[path.Base(p.Name)]; !dup {
			byBase[path.Base(p.Name)] = p.Name
			bases = append(bases, path.Base(p.Name))
		}
	}
	best := closest(name, names)
	if best == "" {
		// A typo in the file name of a path in the wrong folder.
		if b := closest(path.Base(name), bases); b != "" {
			best = byBase[b]
		}
	}
	return best
}

// closest returns the candidate nearest to want, if near enough to be a typo.
func closest(want string, candidates []string) string { return diag.Closest(want, candidates) }

// RelURL returns the URL of the output path to, relative to the page at from.
func RelURL(from, to string) string {
	fromDir := path.Dir(from)
	if fromDir == "." {
		fromDir = ""
	}
	up := 0
	if fromDir != "" {
		up = strings.Count(fromDir, "/") + 1
	}
	// Strip the common folder prefix.
	fromParts := strings.Split(fromDir, "/")
	toParts := strings.Split(to, "/")
	if fromDir == "" {
		fromParts = nil
	}
	i := 0
	for i < len(fromParts) && i < len(toParts)-1 && fromParts[i] == toParts[i] {
		i++
	}
	up -= i
	rel := strings.Repeat("../", up) + strings.Join(toParts[i:], "/")
	return (&url.URL{Path: rel}).EscapedPath()
}

// RootPrefix is the relative URL from the page at out to the site root.
func RootPrefix(out string) string { return strings.Repeat("../", strings.Count(out, "/")) }
