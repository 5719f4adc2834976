package markdown

import (
	"regexp"
	"strings"

	"github.com/docsgen/docsgen/internal/diag"
	"github.com/docsgen/docsgen/internal/directives"
	"github.com/yuin/goldmark/ast"
)

// RefKind says what kind of reference a page makes.
type RefKind string

const (
	RefLink     RefKind = "link"     // [text](dest)
	RefImage    RefKind = "image"    // ![alt](src) and {image}/{figure}
	RefDoc      RefKind = "doc"      // {doc}
	RefLabel    RefKind = "ref"      // {ref}
	RefTerm     RefKind = "term"     // {term}
	RefDownload RefKind = "download" // {download}
	RefHTML     RefKind = "html"     // href and src in raw HTML
)

// Ref is one reference from a page, at the position it was written.
type Ref struct {
	Kind   RefKind
	Target string
	Pos    diag.Pos
	Via    []diag.Pos
}

// Resolution is where a reference leads. Problem is set when it leads
// nowhere; Hint may suggest the closest match.
type Resolution struct {
	URL     string
	Title   string
	Problem string
	Hint    string
	// Code overrides the diagnostic code ("ref.anchor" for a missing #fragment).
	Code string
}

// Resolver answers references for one page. The site implements it.
type Resolver interface {
	Resolve(r Ref) Resolution
	Toctree(t *directives.Toctree) []directives.TocItem
}

var schemeRe = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9+.\-]*:`)

// IsExternal reports whether a link destination leaves the site.
func IsExternal(dest string) bool {
	return schemeRe.MatchString(dest) || len(dest) > 1 && dest[0] == '/' && dest[1] == '/'
}

// Resolve fills in every internal reference of doc through res, reports
// unresolved ones as warnings at their source position, and returns the
// references it saw (for link checking).
func Resolve(doc *Doc, res Resolver) []Ref {
	type pending struct {
		n   ast.Node
		src *directives.Source
	}
	var todo []pending
	walk(doc.root, doc.root.Source, func(n ast.Node, src *directives.Source, entering bool) ast.WalkStatus {
		if !entering {
			return ast.WalkContinue
		}
		switch n := n.(type) {
		case *ast.Link, *ast.Image, *directives.Image, *directives.Toctree, *ast.HTMLBlock, *ast.RawHTML:
			todo = append(todo, pending{n, src})
		case *directives.Role:
			switch n.Name {
			case "doc", "ref", "term", "download":
				todo = append(todo, pending{n, src})
			}
		}
		return ast.WalkContinue
	})
	var refs []Ref
	report := func(r Ref, out Resolution) {
		refs = append(refs, r)
		if out.Problem != "" {
			code := out.Code
			if code == "" {
				code = "ref." + string(r.Kind)
			}
			doc.Diags.Add(diag.Diagnostic{Pos: r.Pos, Via: r.Via, Severity: diag.Warning, Code: code, Message: out.Problem, Hint: out.Hint, Target: r.Target})
		}
	}
	for _, p := range todo {
		pos := p.src.Pos(p.n.Pos())
		switch n := p.n.(type) {
		case *ast.Link:
			dest := string(n.Destination)
			if IsExternal(dest) {
				refs = append(refs, Ref{Kind: RefLink, Target: dest, Pos: pos, Via: p.src.Via})
				continue
			}
			r := Ref{Kind: RefLink, Target: dest, Pos: pos, Via: p.src.Via}
			out := res.Resolve(r)
			report(r, out)
			if out.Problem == "" {
				n.Destination = []byte(out.URL)
			}
			if n.ChildCount() == 0 {
				title := out.Title
				if title == "" {
					title = dest
				}
				n.AppendChild(n, ast.NewString([]byte(title)))
			}
		case *ast.Image:
			dest := string(n.Destination)
			r := Ref{Kind: RefImage, Target: dest, Pos: pos, Via: p.src.Via}
			if IsExternal(dest) {
				refs = append(refs, r)
				continue
			}
			out := res.Resolve(r)
			report(r, out)
			if out.Problem == "" {
				n.Destination = []byte(out.URL)
			}
		case *directives.Image:
			r := Ref{Kind: RefImage, Target: n.URI, Pos: diag.Pos{File: pos.File, Line: n.Line, Col: n.Col}, Via: p.src.Via}
			n.Resolved = n.URI
			if IsExternal(n.URI) {
				refs = append(refs, r)
				continue
			}
			out := res.Resolve(r)
			report(r, out)
			if out.Problem == "" {
				n.Resolved = out.URL
			}
		case *directives.Role:
			r := Ref{Kind: RefKind(n.Name), Target: n.Target, Pos: pos, Via: p.src.Via}
			out := res.Resolve(r)
			report(r, out)
			n.Label = n.Title
			if out.Problem == "" {
				n.URL, n.Resolved = out.URL, true
				if n.Label == "" {
					n.Label = out.Title
				}
			}
			if n.Label == "" {
				n.Label = n.Target
			}
		case *directives.Toctree:
			n.Items = res.Toctree(n)
			for _, e := range n.Entries {
				if IsExternal(e.Target) {
					refs = append(refs, Ref{Kind: RefLink, Target: e.Target, Pos: diag.Pos{File: e.File, Line: e.Line, Col: e.Col}, Via: p.src.Via})
				}
			}
		case *ast.HTMLBlock:
			for i := 0; i < n.Lines().Len(); i++ {
				seg := n.Lines().At(i)
				htmlRefs(p.src, seg.Start, seg.Value(p.src.Text), res, report, &refs)
			}
		case *ast.RawHTML:
			for i := 0; i < n.Segments.Len(); i++ {
				seg := n.Segments.At(i)
				htmlRefs(p.src, seg.Start, seg.Value(p.src.Text), res, report, &refs)
			}
		}
	}
	return refs
}

var htmlAttrRe = regexp.MustCompile(`(?i)\b(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))`)

// htmlRefs checks the href and src attributes written in raw HTML. They are
// checked, not rewritten: raw HTML is the author's own.
func htmlRefs(src *directives.Source, start int, text []byte, res Resolver, report func(Ref, Resolution), refs *[]Ref) {
	if isOnlyComment(text) {
		return
	}
	for _, m := range htmlAttrRe.FindAllSubmatchIndex(text, -1) {
		vs, ve := m[2], m[3]
		if vs < 0 {
			vs, ve = m[4], m[5]
		}
		if vs < 0 {
			vs, ve = m[6], m[7]
		}
		target := string(text[vs:ve])
		r := Ref{Kind: RefHTML, Target: target, Pos: src.Pos(start + vs), Via: src.Via}
		if IsExternal(target) || target == "" || strings.HasPrefix(target, "data:") || strings.HasPrefix(target, "javascript:") {
			if IsExternal(target) {
				*refs = append(*refs, r)
			}
			continue
		}
		report(r, res.Resolve(Ref{Kind: RefLink, Target: target, Pos: r.Pos, Via: r.Via}))
	}
}
