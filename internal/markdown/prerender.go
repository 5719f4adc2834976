package markdown

import (
	"bytes"
	"crypto/rand"
	"slices"
	"strconv"

	"github.com/docsgen/docsgen/internal/directives"
)

// A build indexes every page before it renders any: a page shows other
// pages' titles and URLs, known only once all are parsed. Rather than
// parsing each page twice (to index it, then to render it), a build renders
// a page as it parses it, with a token wherever a reference's URL or title
// goes, and Finish puts the resolved values there once the site is indexed.
//
// The tokens are letters and digits that no escaper changes (URL, HTML text
// or attribute), so each is written as it was handed over. A value is put
// in its place only if writing it would have changed nothing else either:
// the reference resolved, and the value is not empty and holds no byte an
// escaper rewrites. Otherwise Finish says no, and the page is parsed and
// rendered again with its resolved references, as it always was: a page
// whose references lead nowhere, or whose shown titles hold quotes, costs
// a second parse, and renders the same. A toctree's items are a token too,
// replaced by the list the site expands, written as the toctree would
// write it.

// Prerendered is a page body rendered before the site was indexed.
type Prerendered struct {
	// Body holds the tokens; Highlighted are the highlight cache's keys of
	// its code blocks (see RenderKeys).
	Body        []byte
	Highlighted []string
	refs        []PendingRef
	toctrees    []*directives.Toctree // detached: no tree kept
	mark        string
}

// tokenMark makes a build's token prefix: random, so no page holds it.
func tokenMark() string {
	const letters = "abcdefghijklmnopqrstuvwxyz"
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = letters[int(b[i])%len(letters)]
	}
	return "dgref" + string(b)
}

// Prerender renders doc with a token for every URL and title its
// references show and for its toctrees' items. It leaves the tree
// resolved with tokens: render it no further.
func (p *Pipeline) Prerender(doc *Doc) (*Prerendered, error) { return p.PrerenderInto(nil, doc) }

// PrerenderInto is Prerender writing the body into dst's array when it is
// large enough (see RenderKeysInto).
func (p *Pipeline) PrerenderInto(dst []byte, doc *Doc) (*Prerendered, error) {
	ps, toctrees := extract(doc)
	mark := p.mark
	detached := make([]*directives.Toctree, len(toctrees))
	for k, t := range toctrees {
		t.Deferred = mark + "c" + strconv.Itoa(k) + "z"
		detached[k] = t.Detached()
	}
	for i := range ps {
		switch apply := ps[i].apply; {
		case apply == nil:
		case ps[i].External:
			apply(Resolution{}) // as Resolve does: an external link stays as written
		default:
			n := strconv.Itoa(i)
			apply(Resolution{URL: mark + "u" + n + "z", Title: mark + "t" + n + "z"})
		}
		ps[i].apply = nil // the tree is not kept
	}
	body, keys, err := p.RenderKeysInto(dst, doc)
	if err != nil {
		return nil, err
	}
	return &Prerendered{Body: body, Highlighted: keys, refs: ps, toctrees: detached, mark: mark}, nil
}

// Finish resolves the page's references through res, in the order Resolve
// does (so res records the same uses and assets, and reports a toctree's
// problems once), and returns the body with each token replaced by its
// value, or false when the page must be rendered again from its text (see
// above); then its toctrees are not yet expanded.
func (pr *Prerendered) Finish(res Resolver) ([]byte, bool) { return pr.FinishInto(nil, res) }

// FinishInto is Finish writing the body into dst's array when it is large
// enough: a build renders pages one after the other into the same buffers.
func (pr *Prerendered) FinishInto(dst []byte, res Resolver) ([]byte, bool) {
	outs := make([]Resolution, len(pr.refs))
	for i, p := range pr.refs {
		if p.External {
			continue
		}
		ask := p.Ref
		if p.As != "" {
			ask.Kind = p.As
		}
		outs[i] = res.Resolve(ask)
		if outs[i].Problem != "" {
			return nil, false
		}
	}
	tokens, ok := scan(pr.Body, pr.mark, outs, len(pr.toctrees))
	if !ok {
		return nil, false
	}
	lists := make([][]byte, len(pr.toctrees))
	for k, t := range pr.toctrees {
		lists[k] = directives.TocItemsHTML(res.Toctree(t), t.Numbered)
	}
	out := slices.Grow(dst[:0], len(pr.Body)+len(pr.Body)/8)
	at := 0
	for _, tk := range tokens {
		out = append(out, pr.Body[at:tk.start]...)
		switch tk.kind {
		case 'u':
			out = append(out, outs[tk.n].URL...)
		case 't':
			out = append(out, outs[tk.n].Title...)
		case 'c':
			out = append(out, lists[tk.n]...)
		}
		at = tk.end
	}
	return append(out, pr.Body[at:]...), true
}

// token is one token found in a prerendered body: its kind ('u' a URL,
// 't' a title, 'c' a toctree's items), its reference's or toctree's index
// and where it is.
type token struct {
	kind       byte
	n          int
	start, end int
}

// scan finds the tokens of body and checks that each value they stand for
// is written as it is (see plainURL and plainTitle).
func scan(body []byte, mark string, outs []Resolution, toctrees int) ([]token, bool) {
	var tokens []token
	for at := 0; ; {
		i := bytes.Index(body[at:], []byte(mark))
		if i < 0 {
			return tokens, true
		}
		start := at + i
		rest := body[start+len(mark):]
		end := bytes.IndexByte(rest, 'z')
		if end < 2 {
			return nil, false
		}
		n, err := strconv.Atoi(string(rest[1:end]))
		if err != nil || n < 0 {
			return nil, false
		}
		tk := token{kind: rest[0], n: n, start: start, end: start + len(mark) + end + 1}
		switch {
		case tk.kind == 'u' && n < len(outs) && plainURL(outs[n].URL):
		case tk.kind == 't' && n < len(outs) && plainTitle(outs[n].Title):
		case tk.kind == 'c' && n < toctrees:
		default:
			return nil, false
		}
		tokens = append(tokens, tk)
		at = tk.end
	}
}

// plainURL says a URL is written as it is in an href or src: goldmark's
// URL escaping and every HTML escaper leave these bytes alone, and no
// renderer tells such URLs apart by their bytes (a ':' marks an external
// one).
func plainURL(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~' || c == '/' || c == '#') {
			return false
		}
	}
	return true
}

// plainTitle says a title is written as it is as text or in an attribute:
// none of the bytes HTML escapers rewrite, nor the backslash and '&' that
// goldmark's writer reads as escapes, nor control bytes.
func plainTitle(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c < ' ' || c == 0x7f, c == '<', c == '>', c == '&', c == '"', c == '\'', c == '\\':
			return false
		}
	}
	return true
}
