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
	RefEquation RefKind = "eq"       // {eq}: a labelled equation
	RefAny      RefKind = "any"      // a label, else a document (Sphinx's any)
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
	// Suggestion is the likely intended target when Problem is set.
	Suggestion string
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
	if strings.HasPrefix(dest, "project:") || strings.HasPrefix(dest, "path:") {
		return false // MyST's own schemes name files of the project
	}
	return schemeRe.MatchString(dest) || len(dest) > 1 && dest[0] == '/' && dest[1] == '/'
}

// PendingRef is a reference found in a page, not yet resolved: what link
// checking keeps of a page once its tree is gone.
type PendingRef struct {
	Ref Ref
	// As is the kind the resolver is asked about (raw HTML links resolve
	// as links but are reported as html).
	As RefKind
	// External references are recorded, not resolved.
	External bool

	apply func(Resolution) // fills the node in, while the tree exists
}

// extract finds every reference of doc, in document order, and the
// toctrees to expand. Directive nodes report theirs through the registry's
// Refs hooks.
func extract(doc *Doc) (refs []PendingRef, toctrees []*directives.Toctree) {
	rf := &referrer{}
	walk(doc.root, doc.root.Source, func(n ast.Node, src *directives.Source, entering bool) ast.WalkStatus {
		if !entering {
			return ast.WalkContinue
		}
		rf.n, rf.src = n, src
		switch n := n.(type) {
		case *ast.Link:
			dest := string(n.Destination)
			ext := IsExternal(dest)
			rf.refs = append(rf.refs, PendingRef{Ref: Ref{Kind: RefLink, Target: dest, Pos: rf.Pos(), Via: src.Via}, External: ext,
				apply: func(out Resolution) { applyLink(n, ext, dest, out) }})
		case *ast.Image:
			dest := string(n.Destination)
			ext := IsExternal(dest)
			rf.refs = append(rf.refs, PendingRef{Ref: Ref{Kind: RefImage, Target: dest, Pos: rf.Pos(), Via: src.Via}, External: ext,
				apply: func(out Resolution) {
					if !ext && out.Problem == "" {
						n.Destination = []byte(out.URL)
					}
				}})
		case *ast.AutoLink:
			// <https://…>, and bare URLs and www. links (linkify): mail
			// addresses are not web links.
			if n.AutoLinkType == ast.AutoLinkURL {
				dest := string(n.URL(src.Text))
				rf.refs = append(rf.refs, PendingRef{Ref: Ref{Kind: RefLink, Target: dest, Pos: src.Pos(autolinkStart(n, src.Text)), Via: src.Via}, External: IsExternal(dest)})
			}
		case *directives.Toctree:
			toctrees = append(toctrees, n)
			for _, e := range n.Entries {
				if IsExternal(e.Target) {
					rf.refs = append(rf.refs, PendingRef{Ref: Ref{Kind: RefLink, Target: e.Target, Pos: diag.Pos{File: e.File, Line: e.Line, Col: e.Col}, Via: src.Via}, External: true})
				}
			}
		case *ast.HTMLBlock:
			for i := 0; i < n.Lines().Len(); i++ {
				seg := n.Lines().At(i)
				rf.refs = htmlRefs(src, seg.Start, seg.Value(src.Text), rf.refs)
			}
		case *ast.RawHTML:
			for i := 0; i < n.Segments.Len(); i++ {
				seg := n.Segments.At(i)
				rf.refs = htmlRefs(src, seg.Start, seg.Value(src.Text), rf.refs)
			}
		default:
			if hook := doc.refHooks.get(n.Kind()); hook != nil {
				hook(n, rf)
			}
		}
		return ast.WalkContinue
	})
	return rf.refs, toctrees
}

// autolinkStart is where an autolink is written: its '<', or the URL's
// first byte for a bare one (linkify places the node at the space or
// emphasis mark before it). The label is a slice of text, so the capacity
// difference is its offset.
func autolinkStart(n *ast.AutoLink, text []byte) int {
	at := n.Pos()
	if at >= 0 && at < len(text) && text[at] == '<' {
		return at
	}
	if label := n.Label(text); len(label) > 0 {
		if off := cap(text) - cap(label); off >= 0 && off < len(text) && text[off] == label[0] {
			return off
		}
	}
	return at
}

// referrer takes the references a directive node reports.
type referrer struct {
	n    ast.Node
	src  *directives.Source
	refs []PendingRef
}

func (r *referrer) Pos() diag.Pos { return r.src.Pos(r.n.Pos()) }

func (r *referrer) Ref(kind, target string, pos diag.Pos, set func(url, title string, ok bool)) {
	k := RefKind(kind)
	ext := (k == RefLink || k == RefImage) && IsExternal(target)
	r.refs = append(r.refs, PendingRef{Ref: Ref{Kind: k, Target: target, Pos: pos, Via: r.src.Via}, External: ext,
		apply: func(out Resolution) { set(out.URL, out.Title, !ext && out.Problem == "") }})
}

// applyLink points a Markdown link where it resolved; an empty link text
// becomes the target's title.
func applyLink(n *ast.Link, external bool, target string, out Resolution) {
	if external {
		return
	}
	if out.Problem == "" {
		n.Destination = []byte(out.URL)
	}
	if n.ChildCount() == 0 {
		title := out.Title
		if title == "" {
			title = target
		}
		n.AppendChild(n, ast.NewString([]byte(title)))
	}
	if out.Problem != "" {
		// A link that leads nowhere is its text, as MyST renders it: no
		// dead href for readers (the warning reports it).
		parent := n.Parent()
		for c := n.FirstChild(); c != nil; {
			next := c.NextSibling()
			parent.InsertBefore(parent, n, c)
			c = next
		}
		parent.RemoveChild(parent, n)
	}
}

// resolvePending resolves the internal references through res and reports
// those that lead nowhere as warnings in doc, at their source position.
func resolvePending(doc *Doc, ps []PendingRef, res Resolver) ([]Resolution, []Ref) {
	outs := make([]Resolution, len(ps))
	refs := make([]Ref, 0, len(ps))
	for i, p := range ps {
		refs = append(refs, p.Ref)
		if p.External {
			continue
		}
		ask := p.Ref
		if p.As != "" {
			ask.Kind = p.As
		}
		out := res.Resolve(ask)
		outs[i] = out
		if out.Problem != "" {
			code := out.Code
			if code == "" {
				code = "ref." + string(p.Ref.Kind)
			}
			doc.Diags.Add(diag.Diagnostic{Pos: p.Ref.Pos, Via: p.Ref.Via, Severity: diag.Warning, Code: code, Message: out.Problem, Hint: out.Hint, Target: p.Ref.Target, Suggestion: out.Suggestion})
		}
	}
	return outs, refs
}

// Resolve fills in every internal reference of doc through res, reports
// unresolved ones as warnings at their source position, and returns the
// references it saw (for link checking).
func Resolve(doc *Doc, res Resolver) []Ref {
	ps, toctrees := extract(doc)
	outs, refs := resolvePending(doc, ps, res)
	for i, p := range ps {
		if p.apply != nil {
			p.apply(outs[i])
		}
	}
	for _, t := range toctrees {
		t.Items = res.Toctree(t)
	}
	return refs
}

// ExtractRefs returns doc's references without resolving them, so its
// tree can be dropped before the site is indexed.
func ExtractRefs(doc *Doc) []PendingRef {
	ps, _ := extract(doc)
	for i := range ps {
		ps[i].apply = nil
	}
	return ps
}

// ResolveRefs resolves references taken with ExtractRefs (and expands
// doc's toctrees for their diagnostics), as Resolve does with a tree.
func ResolveRefs(doc *Doc, ps []PendingRef, res Resolver) []Ref {
	_, refs := resolvePending(doc, ps, res)
	for _, t := range doc.Toctrees {
		res.Toctree(t)
	}
	return refs
}

var htmlAttrRe = regexp.MustCompile(`(?i)\b(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))`)

// htmlRefs collects the href and src attributes written in raw HTML. They
// are checked, not rewritten: raw HTML is the author's own.
func htmlRefs(src *directives.Source, start int, text []byte, refs []PendingRef) []PendingRef {
	if isOnlyComment(text) {
		return refs
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
		if target == "" || strings.HasPrefix(target, "data:") || strings.HasPrefix(target, "javascript:") {
			continue
		}
		refs = append(refs, PendingRef{Ref: Ref{Kind: RefHTML, Target: target, Pos: src.Pos(start + vs), Via: src.Via}, As: RefLink, External: IsExternal(target)})
	}
	return refs
}
