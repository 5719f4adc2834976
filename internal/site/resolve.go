package site

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/docsgen/docsgen/internal/diag"
	"github.com/docsgen/docsgen/internal/directives"
	"github.com/docsgen/docsgen/internal/markdown"
	"github.com/docsgen/docsgen/internal/safefile"
)

// Resolve resolves every reference of p and records them in p.Refs.
func (s *Site) Resolve(p *Page) {
	p.Refs = s.ResolveTree(p, p.Doc)
}

// ResolveTree resolves the references of doc, a parse of page p, against
// the site as indexed from p's data, and returns them.
func (s *Site) ResolveTree(p *Page, doc *markdown.Doc) []markdown.Ref {
	return markdown.Resolve(doc, s.resolverFor(p))
}

// ResolveRefs resolves the references p kept (Pending) without a tree.
func (s *Site) ResolveRefs(p *Page) {
	p.Refs = markdown.ResolveRefs(p.Doc, p.Pending, s.resolverFor(p))
	p.Pending = nil
}

// FinishPrerendered resolves p's references and fills them into its
// prerendered body, written into dst's array when it fits; false means p
// must be rendered from its tree (ResolveTree resets what this recorded).
func (s *Site) FinishPrerendered(p *Page, pre *markdown.Prerendered, dst []byte) ([]byte, bool) {
	return pre.FinishInto(dst, s.resolverFor(p))
}

// resolverFor resolves p's references afresh: what a resolution records of
// p (its uses, its assets, whether something led nowhere) starts empty.
func (s *Site) resolverFor(p *Page) *resolver {
	p.Uses, p.Unresolved, p.Assets, p.AssetsAt = map[string]bool{}, false, nil, nil
	return &resolver{site: s, page: p}
}

type resolver struct {
	site *Site
	page *Page
}

// use records that the page's output depends on page t.
func (r *resolver) use(t *Page) {
	if t != nil && t != r.page {
		r.page.Uses[t.Name] = true
	}
}

func (r *resolver) Resolve(ref markdown.Ref) markdown.Resolution {
	out := r.resolve(ref)
	if out.Problem != "" {
		r.page.Unresolved = true
	}
	return out
}

func (r *resolver) resolve(ref markdown.Ref) markdown.Resolution {
	dir := r.site.dirOf(r.page, ref.Pos.File)
	switch ref.Kind {
	case markdown.RefLink:
		return r.link(ref.Target, dir, ref.Pos.File)
	case markdown.RefImage, markdown.RefDownload:
		return r.asset(ref)
	case markdown.RefDoc:
		name := docPathIn(dir, ref.Target)
		p, ok := r.site.byName[name]
		if !ok {
			return suggesting(markdown.Resolution{Problem: "{doc} target " + quote(ref.Target) + " is not a document"}, r.site.suggestDoc(name), true)
		}
		r.use(p)
		return markdown.Resolution{URL: RelURL(r.page.Out, p.Out), Title: p.Title}
	case markdown.RefLabel:
		r.page.Uses["label:"+directives.NormalizeLabel(ref.Target)] = true
		t, ok := r.site.label(ref.Target)
		if !ok {
			return suggesting(markdown.Resolution{Problem: "{ref} target " + quote(ref.Target) + " is not a label"}, r.suggestLabel(ref.Target), true)
		}
		return markdown.Resolution{URL: r.anchorURL(t.page, t.id), Title: t.title}
	case markdown.RefAny:
		// Sphinx's any: a label if there is one, else a document.
		if _, ok := r.site.label(ref.Target); ok {
			return r.Resolve(markdown.Ref{Kind: markdown.RefLabel, Target: ref.Target, Pos: ref.Pos, Via: ref.Via})
		}
		if _, ok := r.site.byName[docPathIn(dir, ref.Target)]; ok {
			return r.Resolve(markdown.Ref{Kind: markdown.RefDoc, Target: ref.Target, Pos: ref.Pos, Via: ref.Via})
		}
		return suggesting(markdown.Resolution{Problem: quote(ref.Target) + " is neither a label nor a document"}, r.suggestLabel(ref.Target), true)
	case markdown.RefEquation:
		// Sphinx's {eq}: the label of a numbered equation, shown as "(N)".
		r.page.Uses["label:"+directives.NormalizeLabel("equation-"+ref.Target)] = true
		t, ok := r.site.label("equation-" + ref.Target)
		if !ok {
			return markdown.Resolution{Problem: "{eq} target " + quote(ref.Target) + " is not a labelled equation"}
		}
		return markdown.Resolution{URL: r.anchorURL(t.page, t.id), Title: t.title}
	case markdown.RefTerm:
		r.page.Uses["term:"+directives.NormalizeLabel(ref.Target)] = true
		t, ok := r.site.terms[directives.NormalizeLabel(ref.Target)]
		if !ok {
			return markdown.Resolution{Problem: "term " + quote(ref.Target) + " is not in a glossary"}
		}
		return markdown.Resolution{URL: r.anchorURL(t.page, t.id), Title: ref.Target}
	}
	return markdown.Resolution{Problem: "unknown reference kind " + string(ref.Kind)}
}

func (s *Site) label(name string) (target, bool) {
	if t, ok := s.labels[directives.NormalizeLabel(name)]; ok {
		return t, true
	}
	t, ok := s.labels[directives.MakeID(name)]
	return t, ok
}

func (r *resolver) anchorURL(p *Page, id string) string {
	r.use(p)
	u := ""
	if p != r.page {
		u = RelURL(r.page.Out, p.Out)
	}
	return u + "#" + id
}

func (r *resolver) suggestLabel(want string) string {
	names := make([]string, 0, len(r.site.labels))
	for n := range r.site.labels {
		names = append(names, n)
	}
	slices.Sort(names)
	return closest(directives.NormalizeLabel(want), names)
}

// suggesting adds a likely intended target to a failed resolution, as a
// field and as the hint (quoted for names, bare for #anchors).
func suggesting(res markdown.Resolution, suggestion string, quoted bool) markdown.Resolution {
	if suggestion == "" {
		return res
	}
	res.Suggestion = suggestion
	if quoted {
		res.Hint = diag.DidYouMean(quote(suggestion))
	} else {
		res.Hint = diag.DidYouMean(suggestion)
	}
	return res
}

// headingTitle returns the text of the heading with id in p, if any.
func headingTitle(p *Page, id string) string {
	for _, h := range p.Doc.Headings {
		if h.ID == id {
			return h.Text
		}
	}
	return ""
}

// link resolves a Markdown link destination written in file (in folder
// dir of the source tree).
func (r *resolver) link(dest, dir, file string) markdown.Resolution {
	// MyST's schemes: project: is a document or file of the project, like
	// a plain path; path: is always a file to copy, never a document.
	if rest, ok := strings.CutPrefix(dest, "path:"); ok {
		return r.asset(markdown.Ref{Kind: markdown.RefLink, Target: rest, Pos: diag.Pos{File: file}})
	}
	dest = strings.TrimPrefix(dest, "project:")
	rawPath, frag, _ := strings.Cut(dest, "#")
	p, err := url.PathUnescape(rawPath)
	if err != nil {
		p = rawPath
	}
	if p == "" {
		return r.fragment(r.page, frag, true)
	}
	name := ""
	switch {
	case strings.HasSuffix(p, ".md"):
		name = docPathIn(dir, p)
	case strings.HasSuffix(p, ".html"):
		name = docPathIn(dir, strings.TrimSuffix(p, ".html"))
	case strings.HasSuffix(p, "/"):
		name = docPathIn(dir, p+"index")
	default:
		// Without a suffix, a document of that name wins over a file, as
		// in MyST-Parser 4: [Setup](setup) is setup.md.
		if _, ok := r.site.byName[docPathIn(dir, p)]; ok {
			name = docPathIn(dir, p)
		}
	}
	if name != "" {
		target, ok := r.site.byName[name]
		if !ok {
			if strings.HasSuffix(p, ".md") {
				return suggesting(markdown.Resolution{Problem: "link to missing document " + quote(p)}, r.site.suggestDoc(name), true)
			}
		} else {
			if frag == "" {
				r.use(target)
				return markdown.Resolution{URL: RelURL(r.page.Out, target.Out), Title: target.Title}
			}
			return r.fragment(target, frag, false)
		}
	}
	// Any other local path is a file: copy it into the site.
	return r.asset(markdown.Ref{Kind: markdown.RefLink, Target: dest, Pos: diag.Pos{File: file}})
}

// fragment resolves #frag in page t. Links within the page fall back to
// project-wide labels, as MyST does for [](#label).
func (r *resolver) fragment(t *Page, frag string, local bool) markdown.Resolution {
	r.use(t)
	frag, _ = url.PathUnescape(frag)
	if frag == "" {
		return markdown.Resolution{URL: RelURL(r.page.Out, t.Out), Title: t.Title}
	}
	if t.Doc.Anchors[frag] {
		title := headingTitle(t, frag)
		if title == "" {
			if l, ok := r.site.labels[frag]; ok && l.page == t {
				title = l.title
			}
		}
		return markdown.Resolution{URL: r.anchorURL(t, frag), Title: cmp.Or(title, frag)}
	}
	if local {
		r.page.Uses["label:"+directives.NormalizeLabel(frag)] = true
		if l, ok := r.site.label(frag); ok {
			return markdown.Resolution{URL: r.anchorURL(l.page, l.id), Title: cmp.Or(l.title, frag)}
		}
	}
	anchors := make([]string, 0, len(t.Doc.Anchors))
	for a := range t.Doc.Anchors {
		anchors = append(anchors, a)
	}
	slices.Sort(anchors)
	suggestion := ""
	if best := closest(frag, anchors); best != "" {
		suggestion = "#" + best
	}
	where := "this page"
	if !local || t != r.page {
		where = t.Src.File
	}
	return suggesting(markdown.Resolution{Problem: "no anchor #" + frag + " in " + where, Code: "ref.anchor"}, suggestion, false)
}

// asset resolves a file reference (image, download, plain file link) and
// schedules the file to be copied into the output.
func (r *resolver) asset(ref markdown.Ref) markdown.Resolution {
	raw, frag, _ := strings.Cut(ref.Target, "#")
	p, err := url.PathUnescape(raw)
	if err != nil {
		p = raw
	}
	from := ref.Pos.File
	if from == "" {
		from = r.page.Src.File
	}
	abs, err := r.site.files.Resolve(from, p)
	if err != nil {
		return markdown.Resolution{Problem: string(ref.Kind) + " " + quote(ref.Target) + ": " + err.Error()}
	}
	if fi, err := os.Stat(abs); err != nil || !fi.Mode().IsRegular() {
		what := "cannot be read"
		if err == nil {
			what = "is " + safefile.Kind(fi.Mode()) + ", not a file"
		}
		return markdown.Resolution{Problem: string(ref.Kind) + " " + quote(ref.Target) + " " + what}
	}
	out := r.site.AddAsset(abs, ref.Pos)
	r.page.Assets = append(r.page.Assets, abs)
	r.page.AssetsAt = append(r.page.AssetsAt, ref.Pos)
	u := RelURL(r.page.Out, out)
	if frag != "" {
		u += "#" + frag
	}
	return markdown.Resolution{URL: u, Title: path.Base(p)}
}

// AddAsset registers a file for copying and returns its output path: its
// place below the source root, or _downloads/HASH/NAME for files outside it
// (the hash of its path keeps names apart and output deterministic). at is
// where it is referenced; the earliest reference is kept for diagnostics.
func (s *Site) AddAsset(abs string, at diag.Pos) string {
	s.assetMu.Lock()
	defer s.assetMu.Unlock()
	// A reference's own position beats a page-wide one (Line 0).
	if prev, ok := s.assetAt[abs]; !ok || prev.Line == 0 && at.Line > 0 || at.Line > 0 && diag.ComparePos(at, prev) < 0 {
		s.assetAt[abs] = at
	}
	if out, ok := s.Assets[abs]; ok {
		return out
	}
	root, _ := filepath.EvalSymlinks(s.srcDir)
	out := ""
	if rel, err := filepath.Rel(root, abs); err == nil && !strings.HasPrefix(rel, "..") {
		out = filepath.ToSlash(rel)
	} else {
		// Hashed below the project's real path, so building through a
		// symlinked folder names the file the same.
		project, _ := filepath.EvalSymlinks(s.files.ProjectRoot)
		sum := sha256.Sum256([]byte(filepath.ToSlash(strings.TrimPrefix(abs, project))))
		out = "_downloads/" + hex.EncodeToString(sum[:4]) + "/" + filepath.Base(abs)
	}
	s.Assets[abs] = out
	return out
}

// Toctree resolves a toctree of the page into items with URLs relative to it.
func (r *resolver) Toctree(t *directives.Toctree) []directives.TocItem {
	before := r.page.Doc.Diags.Len()
	entries := r.site.expandEntries(r.page, t, &r.page.Doc.Diags)
	if r.page.Doc.Diags.Len() > before {
		r.page.Unresolved = true
	}
	var items []directives.TocItem
	for _, e := range entries {
		if e.page == nil {
			items = append(items, directives.TocItem{Title: e.title, URL: e.url, External: true})
			continue
		}
		items = append(items, r.tocItem(e.page, cmp.Or(e.title, e.page.Title), t, 1, map[*Page]bool{r.page: true}))
	}
	return items
}

func (r *resolver) tocItem(p *Page, title string, t *directives.Toctree, depth int, seen map[*Page]bool) directives.TocItem {
	r.use(p)
	it := directives.TocItem{Title: title, URL: RelURL(r.page.Out, p.Out), Current: p == r.page}
	if (t.MaxDepth > 0 && depth >= t.MaxDepth) || seen[p] {
		return it
	}
	seen[p] = true
	defer delete(seen, p)
	if !t.TitlesOnly {
		hs := p.Doc.Headings
		if len(hs) > 0 && hs[0].Level == 1 {
			hs = hs[1:]
		}
		sub := markdown.HeadingTree(hs, max(0, t.MaxDepth-depth))
		if t.MaxDepth <= 0 {
			sub = markdown.HeadingTree(hs, 0)
		}
		prefix := RelURL(r.page.Out, p.Out)
		var fix func(items []directives.TocItem)
		fix = func(items []directives.TocItem) {
			for i := range items {
				items[i].URL = prefix + items[i].URL
				fix(items[i].Children)
			}
		}
		fix(sub)
		it.Children = append(it.Children, sub...)
	}
	for _, sub := range p.Doc.Toctrees {
		for _, e := range r.site.expandEntries(p, sub, nil) {
			if e.page == nil {
				it.Children = append(it.Children, directives.TocItem{Title: e.title, URL: e.url, External: true})
				continue
			}
			it.Children = append(it.Children, r.tocItem(e.page, cmp.Or(e.title, e.page.Title), t, depth+1, seen))
		}
	}
	return it
}
