package markdown

import (
	"bytes"
	"crypto/rand"
	"strconv"
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
// a second parse, and renders the same. Pages with a toctree are not
// prerendered: its entries are whole lists, not values.

// Prerendered is a page body rendered before the site was indexed.
type Prerendered struct {
	// Body holds the tokens; Highlighted are the highlight cache's keys of
	// its code blocks (see RenderKeys).
	Body        []byte
	Highlighted []string
	refs        []PendingRef
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
// references show, or returns nil when the page has a toctree. It leaves
// the tree resolved with tokens: render it no further.
func (p *Pipeline) Prerender(doc *Doc) (*Prerendered, error) {
	ps, toctrees := extract(doc)
	if len(toctrees) > 0 {
		return nil, nil
	}
	mark := p.mark
	for i, pr := range ps {
		if pr.apply == nil {
			continue
		}
		if pr.External {
			pr.apply(Resolution{}) // as Resolve does: an external link stays as written
			continue
		}
		n := strconv.Itoa(i)
		pr.apply(Resolution{URL: mark + "u" + n + "z", Title: mark + "t" + n + "z"})
	}
	for i := range ps {
		ps[i].apply = nil
	}
	body, keys, err := p.RenderKeys(doc)
	if err != nil {
		return nil, err
	}
	return &Prerendered{Body: body, Highlighted: keys, refs: ps, mark: mark}, nil
}

// Finish resolves the page's references through res, in the order Resolve
// does (so res records the same uses and assets), and returns the body
// with each token replaced by its value, or false when the page must be
// rendered again from its text (see above).
func (pr *Prerendered) Finish(res Resolver) ([]byte, bool) {
	outs := make([]Resolution, len(pr.refs))
	ok := true
	for i, p := range pr.refs {
		if p.External {
			continue
		}
		ask := p.Ref
		if p.As != "" {
			ask.Kind = p.As
		}
		outs[i] = res.Resolve(ask)
		ok = ok && outs[i].Problem == ""
	}
	if !ok {
		return nil, false
	}
	return fill(pr.Body, pr.mark, outs)
}

// fill replaces each token of body by its reference's URL or title.
func fill(body []byte, mark string, outs []Resolution) ([]byte, bool) {
	out := make([]byte, 0, len(body)+len(body)/8)
	for rest := body; ; {
		at := bytes.Index(rest, []byte(mark))
		if at < 0 {
			return append(out, rest...), true
		}
		out = append(out, rest[:at]...)
		rest = rest[at+len(mark):]
		end := bytes.IndexByte(rest, 'z')
		if end < 2 {
			return nil, false
		}
		n, err := strconv.Atoi(string(rest[1:end]))
		if err != nil || n < 0 || n >= len(outs) {
			return nil, false
		}
		var value string
		switch rest[0] {
		case 'u':
			value = outs[n].URL
			if !plainURL(value) {
				return nil, false
			}
		case 't':
			value = outs[n].Title
			if !plainTitle(value) {
				return nil, false
			}
		default:
			return nil, false
		}
		out = append(out, value...)
		rest = rest[end+1:]
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
