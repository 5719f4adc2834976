package search

import (
	"bytes"
	"html"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"
)

// Page is what the index keeps of one page. It is made once when the page
// renders, so a live preview tokenizes again only the pages it renders
// again; assembling the index from Pages is cheap.
type Page struct {
	URL      string // slash path below the site root ("guide/install.html")
	Title    string
	Sections []Section
	// Postings are the page's terms by section, in no particular order.
	Postings []Posting
}

// Section is a part of a page that a result can link to: the text from one
// heading (or glossary term) to the next.
type Section struct {
	Anchor  string // the heading's id; "" for text before the first heading
	Title   string
	Snippet string // the start of its text, shown under the result
	Length  int    // words, for BM25's length normalisation
}

// Posting says a term occurs in a section, with its weighted frequency.
type Posting struct {
	Term    string
	Section uint16
	Weight  float32
}

// Field weights: a word in the page title counts as much as this many in
// the text, one in a section heading as this many.
const (
	titleWeight   = 4
	headingWeight = 2.5
	snippetRunes  = 180
	maxSections   = 1 << 16
)

// skippedClasses mark elements whose text readers do not search for: the ¶
// links, line numbers, diagram sources.
var skippedClasses = []string{"headerlink", "linenos", "ln", "lnt", "mermaid"}

// Extract reads a rendered page body into its sections and postings: each
// heading with an id (and each glossary term, Sphinx's term-… ids) starts a
// section, so results link to the place a word is.
func Extract(url, title string, body []byte) *Page {
	return (*Stemmer)(nil).Extract(url, title, body)
}

// A Stemmer stems words and remembers them, for the pages of one site,
// which share most of their words; safe for concurrent use. A nil Stemmer
// remembers nothing.
type Stemmer struct {
	known  sync.Map
	stored atomic.Int64 // entries in known since it was last cleared
	mu     sync.Mutex
	idle   []*extractor // not a sync.Pool: a GC would empty it, and each extractor knows the site's words

	// limit bounds what is remembered (0: maxRemembered). A live session
	// keeps its Stemmer as long as it runs, and every word typed into a
	// page adds to it; past the limit it starts afresh.
	limit int
}

// maxRemembered is far above a site's vocabulary (10,000 generated pages
// hold a few thousand words; a large real site some tens of thousands).
const maxRemembered = 1 << 18

func (st *Stemmer) max() int {
	if st.limit > 0 {
		return st.limit
	}
	return maxRemembered
}

// Stem is the package's Stem, remembered.
func (st *Stemmer) Stem(word string) string {
	if st == nil {
		return Stem(word)
	}
	if s, ok := st.known.Load(word); ok {
		return s.(string)
	}
	s := Stem(word)
	if _, loaded := st.known.LoadOrStore(word, s); !loaded && st.stored.Add(1) > int64(st.max()) {
		st.known.Clear()
		st.stored.Store(0)
	}
	return s
}

// Extract is the package's Extract, stemming with st.
func (st *Stemmer) Extract(url, title string, body []byte) *Page {
	if st == nil {
		st = &Stemmer{}
	}
	x := st.extractor()
	defer st.putExtractor(x)
	p := &Page{URL: url, Title: title, Postings: make([]Posting, 0, len(body)/32)}
	x.page = p
	x.run(body)
	x.groupPostings()
	x.page, x.word = nil, x.word[:0]
	return p
}

// extractor reads pages in one pass over their HTML: text is tokenized as
// it is met, without building a section's text first, and each word is
// counted into the current section by its term numbers. It remembers what
// every word it met is, across the pages it reads (a Stemmer pools
// extractors), so a word seen before costs one map lookup: pages share
// most of their words.
type extractor struct {
	st   *Stemmer
	page *Page

	words map[string]wordTerms // by the word's text as written
	// recent holds words met lately, in front of words: a site's common
	// words are found there without probing the large map, whose entries
	// (tens of thousands on a large site) are each a cache miss or two.
	// Looking up words was a third of extracting.
	recent *[recentSize]recentWord
	terms  map[string]int32 // a term's number in names
	names  []string

	weight []float32 // the current section's, by term number
	used   []int32   // the term numbers weight has for the current section

	// Grouping a page's postings by term: each posting's term number, the
	// terms in the order met, a count then a place by term number (zero
	// between pages), and a copy of the postings.
	postingTerms, termOrder []int32
	slot                    []int32
	grouped                 []Posting

	word   []byte  // the token being read
	fieldW float32 // what a word weighs where it is read: 1 in text, more in a heading

	// The current section.
	anchor    string
	h1, open  bool   // open: it has a heading, or text, so it is kept
	inHeading string // the tag name of the heading being read
	heading   collapsed
	snip      collapsed
	length    int
}

// recentWord is an entry of extractor.recent: a word of up to
// len(text) bytes, kept in the entry itself so that matching it reads
// nothing else.
type recentWord struct {
	n    uint8 // the word's length; 0: empty
	text [23]byte
	wt   wordTerms
}

const recentSize = 1 << 11

// wordTerms is what a word as written adds to the index: whether it is a
// token at all (it counts in a section's length) and its term numbers,
// none for a stop word.
type wordTerms struct {
	token bool
	ids   []int32
}

// collapsed is text with its runs of white space made one space and its
// ends trimmed, as it is written; past limit runes it keeps no more.
type collapsed struct {
	buf   []byte
	runes int
	space bool
}

func (c *collapsed) reset() { c.buf, c.runes, c.space = c.buf[:0], 0, false }

func (c *collapsed) full(limit int) bool { return limit > 0 && c.runes > limit }

func (c *collapsed) writeRune(r rune, limit int) {
	if c.full(limit) {
		return
	}
	if isSpace(r) {
		c.space = len(c.buf) > 0
		return
	}
	if c.space {
		c.buf = append(c.buf, ' ')
		c.runes++
		c.space = false
	}
	c.buf = utf8.AppendRune(c.buf, r)
	c.runes++
}

func (c *collapsed) writeASCII(s []byte, limit int) {
	for _, b := range s {
		if c.full(limit) {
			return
		}
		if b == ' ' || b == '\n' || b == '\t' || b == '\r' || b == '\f' || b == '\v' {
			c.space = len(c.buf) > 0
			continue
		}
		if c.space {
			c.buf = append(c.buf, ' ')
			c.runes++
			c.space = false
		}
		c.buf = append(c.buf, b)
		c.runes++
	}
}

func isSpace(r rune) bool {
	return r == ' ' || r == '\n' || r == '\t' || r == '\r' || r == '\f' || r == '\v' || r >= utf8.RuneSelf && unicode.IsSpace(r)
}

func (st *Stemmer) extractor() *extractor {
	st.mu.Lock()
	defer st.mu.Unlock()
	if n := len(st.idle); n > 0 {
		x := st.idle[n-1]
		st.idle = st.idle[:n-1]
		return x
	}
	return &extractor{st: st, words: make(map[string]wordTerms, 1024), terms: make(map[string]int32, 1024), recent: new([recentSize]recentWord)}
}

func (st *Stemmer) putExtractor(x *extractor) {
	if len(x.words) > st.max() || len(x.names) > st.max() {
		return // a new one starts afresh
	}
	st.mu.Lock()
	st.idle = append(st.idle, x)
	st.mu.Unlock()
}

// spanOpen starts most tags of highlighted code.
const spanOpen = `<span class="`

// Tag classes, by tag name.
const (
	tagInline  = 1 << iota // does not separate words
	tagVoid                // has no end tag
	tagHeading             // h1…h6
	tagRaw                 // script and style: their text is not HTML
	tagSkip                // svg: no text a reader searches for
)

func tagClass(name []byte) int {
	switch string(name) {
	case "a", "span", "code", "em", "strong", "b", "i", "kbd", "abbr", "sub", "sup", "mark", "small", "s", "del",
		"ins", "u", "var", "samp", "q", "cite":
		return tagInline
	case "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr":
		return tagVoid
	case "h1", "h2", "h3", "h4", "h5", "h6":
		return tagHeading
	case "script", "style":
		return tagRaw
	case "svg":
		return tagSkip
	}
	return 0
}

func (x *extractor) run(body []byte) {
	x.startSection("", false, "")
	skipDepth, depth := 0, 0
	for pos := 0; pos < len(body); {
		// Highlighted code is mostly <span class="…"> and </span>: they are
		// read here at once, as the general path below would read them.
		if rest := body[pos:]; len(rest) > len(spanOpen) && rest[0] == '<' {
			if bytes.HasPrefix(rest, []byte("</span>")) {
				if depth == skipDepth {
					skipDepth = 0
				}
				depth--
				pos += len("</span>")
				continue
			}
			if bytes.HasPrefix(rest, []byte(spanOpen)) {
				class := rest[len(spanOpen):]
				if end := bytes.IndexByte(class, '"'); end >= 0 && end+1 < len(class) && class[end+1] == '>' {
					depth++
					if skipDepth == 0 && hasClass(class[:end], skippedClasses) {
						skipDepth = depth
					}
					pos += len(spanOpen) + end + 2
					continue
				}
			}
		}
		kind, raw, next := nextToken(body, pos)
		pos = next
		switch kind {
		case textToken:
			if skipDepth == 0 {
				x.text(raw)
			}
		case startTag, selfClosingTag:
			name := tagName(raw)
			class := tagClass(name)
			if class == tagRaw {
				// Skip to the end tag.
				end := bytes.Index(body[pos:], append([]byte("</"), name...))
				if end < 0 {
					end = len(body) - pos
				}
				pos += end
			}
			void := kind == selfClosingTag || class == tagVoid
			if !void {
				depth++
			}
			if class != tagInline {
				x.wordBreak()
			}
			if skipDepth > 0 || void {
				continue
			}
			if class == tagRaw || class == tagSkip || hasClass(attr(raw, " class="), skippedClasses) {
				skipDepth = depth
				continue
			}
			dt := string(name) == "dt"
			if class != tagHeading && !dt {
				continue
			}
			if id := attr(raw, " id="); len(id) > 0 && (!dt || bytes.HasPrefix(id, []byte("term-"))) && len(x.page.Sections) < maxSections-2 {
				// Text before the first heading is a section of its own only
				// when there is some.
				if x.open {
					x.endSection()
				}
				x.startSection(html.UnescapeString(string(id)), string(name) == "h1", string(name))
			}
		case endTag:
			name := tagName(raw)
			if depth == skipDepth {
				skipDepth = 0
			}
			depth--
			if tagClass(name) != tagInline {
				x.wordBreak()
			}
			if x.inHeading != "" && string(name) == x.inHeading {
				x.inHeading = ""
				x.fieldW = 1
			}
		}
	}
	x.flush()
	x.endSection()
}

func (x *extractor) startSection(anchor string, h1 bool, heading string) {
	x.anchor, x.h1, x.inHeading, x.open = anchor, h1, heading, anchor != ""
	x.heading.reset()
	x.snip.reset()
	x.length = 0
	x.fieldW = 1
	if heading != "" {
		x.fieldW = x.headingWeight()
	}
}

func (x *extractor) headingWeight() float32 {
	if x.h1 {
		return titleWeight
	}
	return headingWeight
}

// endSection adds the section and its postings to the page.
func (x *extractor) endSection() {
	sec := Section{Anchor: x.anchor, Title: string(x.heading.buf)}
	if sec.Title == "" {
		// A section without a heading of its own is found by the page's title.
		sec.Title = x.page.Title
		x.fieldW = x.headingWeight()
		rawTokens(sec.Title, func(raw string) { x.count(x.lookup(raw)) })
	}
	sec.Snippet = truncate(string(x.snip.buf), snippetRunes)
	sec.Length = x.length
	n := uint16(len(x.page.Sections))
	x.page.Sections = append(x.page.Sections, sec)
	for _, t := range x.used {
		x.page.Postings = append(x.page.Postings, Posting{Term: x.names[t], Section: n, Weight: x.weight[t]})
		x.postingTerms = append(x.postingTerms, t)
		x.weight[t] = 0
	}
	x.used = x.used[:0]
}

// groupPostings orders the page's postings by term, the terms in the order
// first met, each term's by section (a counting sort by term number): a
// term's postings are then together, as the render cache stores them.
func (x *extractor) groupPostings() {
	ps, terms := x.page.Postings, x.postingTerms
	x.termOrder = x.termOrder[:0]
	for _, t := range terms {
		if x.slot[t] == 0 {
			x.termOrder = append(x.termOrder, t)
		}
		x.slot[t]++
	}
	at := int32(0)
	for _, t := range x.termOrder {
		at, x.slot[t] = at+x.slot[t], at
	}
	x.grouped = append(x.grouped[:0], ps...)
	for i, t := range terms {
		ps[x.slot[t]] = x.grouped[i]
		x.slot[t]++
	}
	for _, t := range x.termOrder {
		x.slot[t] = 0
	}
	clear(x.grouped) // keeps no page's strings
	x.postingTerms = terms[:0]
}

// text reads the text between two tags, decoding character references.
func (x *extractor) text(raw []byte) {
	for i := 0; i < len(raw); {
		c := raw[i]
		switch {
		case c == '&':
			s, n := charRef(raw[i:])
			for _, r := range s {
				x.char(r)
			}
			i += n
			continue
		case c >= utf8.RuneSelf:
			r, n := utf8.DecodeRune(raw[i:])
			x.char(r)
			i += n
			continue
		}
		// A run of ASCII: the word characters at once.
		j := i + 1
		if asciiWord[c] {
			for j < len(raw) && raw[j] < utf8.RuneSelf && asciiWord[raw[j]] {
				j++
			}
			x.word = append(x.word, raw[i:j]...)
		} else {
			x.flush()
		}
		x.shown(raw[i:j])
		i = j
	}
}

// char reads one character that is not ASCII or was a reference.
func (x *extractor) char(r rune) {
	if r < utf8.RuneSelf && asciiWord[r] || r >= utf8.RuneSelf && isTokenRune(r) {
		x.word = utf8.AppendRune(x.word, r)
	} else {
		x.flush()
	}
	if x.inHeading != "" {
		x.heading.writeRune(r, 0)
	} else {
		x.snip.writeRune(r, snippetRunes)
		x.open = x.open || !isSpace(r)
	}
}

// shown adds ASCII text to the section's title or snippet.
func (x *extractor) shown(s []byte) {
	if x.inHeading != "" {
		x.heading.writeASCII(s, 0)
		return
	}
	if !x.open {
		for _, c := range s {
			x.open = x.open || !isSpace(rune(c))
		}
	}
	x.snip.writeASCII(s, snippetRunes)
}

// wordBreak is a tag that separates words (any but the inline ones).
func (x *extractor) wordBreak() {
	x.flush()
	if x.inHeading == "" {
		x.snip.writeRune(' ', snippetRunes)
	}
}

// flush counts the word read so far.
func (x *extractor) flush() {
	if len(x.word) == 0 {
		return
	}
	var wt wordTerms
	if w := x.word; len(w) <= len(recentWord{}.text) {
		h := uint32(2166136261) // FNV-1a
		for _, c := range w {
			h = (h ^ uint32(c)) * 16777619
		}
		e := &x.recent[h&(recentSize-1)]
		if int(e.n) == len(w) && string(e.text[:e.n]) == string(w) {
			wt = e.wt
		} else {
			wt = x.known(w)
			e.n = uint8(copy(e.text[:], w))
			e.wt = wt
		}
	} else {
		wt = x.known(x.word)
	}
	x.word = x.word[:0]
	x.count(wt)
}

// known is what word adds to the index, from the words met or learnt now.
func (x *extractor) known(word []byte) wordTerms {
	// A word met before is looked up without making a string of it.
	if wt, ok := x.words[string(word)]; ok {
		return wt
	}
	return x.learn(string(word))
}

func (x *extractor) count(wt wordTerms) {
	if wt.token {
		x.length++
	}
	for _, n := range wt.ids {
		if x.weight[n] == 0 {
			x.used = append(x.used, n)
		}
		x.weight[n] += x.fieldW
	}
}

// lookup is what a word as written adds to the index, learnt on first use.
func (x *extractor) lookup(raw string) wordTerms {
	if wt, ok := x.words[raw]; ok {
		return wt
	}
	return x.learn(raw)
}

// learn works out what a word not met before adds to the index, and
// remembers it.
func (x *extractor) learn(raw string) wordTerms {
	var wt wordTerms
	token(raw, make([]string, 1), func(t Token) {
		wt.token = true
		t.terms(x.st.Stem, func(term string) { wt.ids = append(wt.ids, x.termNumber(term)) })
	})
	x.words[raw] = wt
	return wt
}

func (x *extractor) termNumber(term string) int32 {
	n, ok := x.terms[term]
	if !ok {
		n = int32(len(x.names))
		x.names = append(x.names, term)
		x.terms[term] = n
		x.weight = append(x.weight, 0)
		x.slot = append(x.slot, 0)
	}
	return n
}

// charRef decodes the character reference at the start of b ("&amp;",
// "&#34;"): its text and length. A '&' that starts none is itself.
func charRef(b []byte) (string, int) {
	end := bytes.IndexByte(b[:min(len(b), 40)], ';')
	if end < 0 {
		return "&", 1
	}
	switch string(b[:end+1]) {
	case "&amp;":
		return "&", end + 1
	case "&lt;":
		return "<", end + 1
	case "&gt;":
		return ">", end + 1
	case "&quot;", "&#34;":
		return `"`, end + 1
	case "&#39;":
		return "'", end + 1
	}
	s := html.UnescapeString(string(b[:end+1]))
	if s == string(b[:end+1]) {
		return "&", 1
	}
	return s, end + 1
}

type tokenKind int

const (
	textToken tokenKind = iota
	startTag
	selfClosingTag
	endTag
	otherToken // a comment, doctype or processing instruction
)

// nextToken reads the token of HTML at body[pos:]: the rendered pages are
// docsgen's own, well-formed HTML, so a small scanner does (x/net/html's
// tokenizer costs more than the rest of indexing a page). A '<' that starts
// no tag is text.
func nextToken(body []byte, pos int) (kind tokenKind, raw []byte, next int) {
	rest := body[pos:]
	if rest[0] != '<' || len(rest) < 2 {
		end := bytes.IndexByte(rest[1:], '<')
		if end < 0 {
			return textToken, rest, len(body)
		}
		return textToken, rest[:end+1], pos + end + 1
	}
	switch c := rest[1]; {
	case bytes.HasPrefix(rest, []byte("<!--")):
		end := bytes.Index(rest[4:], []byte("-->"))
		if end < 0 {
			return otherToken, rest, len(body)
		}
		return otherToken, rest[:end+7], pos + end + 7
	case c == '!' || c == '?':
		end := bytes.IndexByte(rest, '>')
		if end < 0 {
			return otherToken, rest, len(body)
		}
		return otherToken, rest[:end+1], pos + end + 1
	case c == '/':
		end := bytes.IndexByte(rest, '>')
		if end < 0 {
			return otherToken, rest, len(body)
		}
		return endTag, rest[:end+1], pos + end + 1
	case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
		// To the '>' outside quoted attribute values.
		quote := byte(0)
		for i := 2; i < len(rest); i++ {
			switch b := rest[i]; {
			case quote != 0:
				if b == quote {
					quote = 0
				}
			case b == '"' || b == '\'':
				quote = b
			case b == '>':
				if rest[i-1] == '/' {
					return selfClosingTag, rest[:i+1], pos + i + 1
				}
				return startTag, rest[:i+1], pos + i + 1
			}
		}
		return otherToken, rest, len(body)
	}
	end := bytes.IndexByte(rest[1:], '<')
	if end < 0 {
		return textToken, rest, len(body)
	}
	return textToken, rest[:end+1], pos + end + 1
}

// tagName is the lower-case name of the raw tag ("<h2 id=…>", "</h2>").
func tagName(raw []byte) []byte {
	i := 0
	for i < len(raw) && (raw[i] == '<' || raw[i] == '/') {
		i++
	}
	j, upper := i, false
	for ; j < len(raw); j++ {
		c := raw[j]
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '/' || c == '>' {
			break
		}
		upper = upper || c >= 'A' && c <= 'Z'
	}
	if upper {
		return bytes.ToLower(raw[i:j])
	}
	return raw[i:j]
}

// attr is the value of the attribute (" id=") in a raw start tag, quoted
// with " or '; nil when it has none. Attribute names are matched as
// written: docsgen writes them in lower case.
func attr(raw []byte, name string) []byte {
	i := bytes.Index(raw, []byte(name))
	if i < 0 || i+len(name) >= len(raw) {
		return nil
	}
	v := raw[i+len(name):]
	q := v[0]
	if q != '"' && q != '\'' {
		end := bytes.IndexAny(v, " \t\n>")
		if end < 0 {
			return nil
		}
		return v[:end]
	}
	end := bytes.IndexByte(v[1:], q)
	if end < 0 {
		return nil
	}
	return v[1 : 1+end]
}

func hasClass(class []byte, names []string) bool {
	for len(class) > 0 {
		i := 0
		for i < len(class) && (class[i] == ' ' || class[i] == '\t' || class[i] == '\n') {
			i++
		}
		j := i
		for j < len(class) && class[j] != ' ' && class[j] != '\t' && class[j] != '\n' {
			j++
		}
		if j > i && slices.Contains(names, string(class[i:j])) {
			return true
		}
		class = class[j:]
	}
	return false
}

func truncate(s string, n int) string {
	i := 0
	for pos := range s {
		if i == n {
			return strings.TrimRight(s[:pos], " ") + "…"
		}
		i++
	}
	return s
}
