package search

import (
	"encoding/binary"
	"errors"
	"math"
	"runtime"
	"sync"
)

// The binary form of a Page, for a build's render cache. Strings are a
// varint length and their bytes. In order: URL, title, the sections
// (anchor, title, snippet, length, after their count), then the postings:
// their count, the number of runs of one term, and for each run the
// length its term shares with the previous run's, the rest of it, and
// its postings (count, then section and weight each). A weight that is a
// whole number of halves, as Extract's always are, is one varint (halves
// times two); any other is an odd varint and its float32 bits.

// MarshalBinary encodes the page; its postings decode in the same order.
func (p *Page) MarshalBinary() ([]byte, error) {
	size := 16 + len(p.URL) + len(p.Title) + 3*len(p.Postings)
	for _, s := range p.Sections {
		size += 8 + len(s.Anchor) + len(s.Title) + len(s.Snippet)
	}
	b := make([]byte, 0, size)
	str := func(s string) {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	str(p.URL)
	str(p.Title)
	b = binary.AppendUvarint(b, uint64(len(p.Sections)))
	for _, s := range p.Sections {
		str(s.Anchor)
		str(s.Title)
		str(s.Snippet)
		b = binary.AppendUvarint(b, uint64(s.Length))
	}
	// A run of postings of one term (Extract groups them so) is stored
	// as the term and its postings.
	runs := 0
	for i, ps := range p.Postings {
		if i == 0 || ps.Term != p.Postings[i-1].Term {
			runs++
		}
	}
	b = binary.AppendUvarint(b, uint64(len(p.Postings)))
	b = binary.AppendUvarint(b, uint64(runs))
	prev := ""
	for i := 0; i < len(p.Postings); {
		term := p.Postings[i].Term
		j := i + 1
		for j < len(p.Postings) && p.Postings[j].Term == term {
			j++
		}
		shared := 0
		for shared < min(len(prev), len(term)) && prev[shared] == term[shared] {
			shared++
		}
		b = binary.AppendUvarint(b, uint64(shared))
		str(term[shared:])
		b = binary.AppendUvarint(b, uint64(j-i))
		for _, ps := range p.Postings[i:j] {
			b = binary.AppendUvarint(b, uint64(ps.Section))
			if h := float64(ps.Weight) * 2; h >= 0 && h < 1<<24 && h == math.Trunc(h) {
				b = binary.AppendUvarint(b, uint64(h)<<1)
			} else {
				b = binary.AppendUvarint(b, 1)
				b = binary.LittleEndian.AppendUint32(b, math.Float32bits(ps.Weight))
			}
		}
		prev, i = term, j
	}
	return b, nil
}

var errBadPage = errors.New("search: damaged page encoding")

// UnmarshalBinary decodes what MarshalBinary wrote.
func (p *Page) UnmarshalBinary(data []byte) error {
	d, err := decodeHead(data)
	if err != nil {
		return err
	}
	postings := make([]Posting, 0, d.postings)
	term := ""
	if err := d.eachPosting(func(b []byte, first bool, section uint16, weight float32) {
		if first {
			term = string(b)
		}
		postings = append(postings, Posting{Term: term, Section: section, Weight: weight})
	}); err != nil {
		return err
	}
	*p = d.page
	p.Postings = postings
	return nil
}

// Encoded is a page's encoding, checked whole: Index.AddEncoded adds it.
type Encoded struct{ d *decoded }

// CheckEncoded reads the page MarshalBinary encoded as data up to its
// postings, and checks the rest.
func CheckEncoded(data []byte) (Encoded, error) {
	d, err := decodeHead(data)
	if err == nil {
		err = d.eachPosting(func([]byte, bool, uint16, float32) {})
	}
	return Encoded{d}, err
}

// AddEncoded adds the page as page number i, as Add would the decoded page.
// A term already in the index costs no allocation.
func (x *Index) AddEncoded(i int, e Encoded) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.addEncoded(x.postings, i, e.d)
}

// AddAllEncoded adds each page given as AddEncoded would (pages[i] as page
// number i; nil, none), on every core: each adds its share to postings of
// its own, merged at the end (a term at a time, not a posting).
func (x *Index) AddAllEncoded(pages []*Encoded) {
	x.mu.Lock()
	defer x.mu.Unlock()
	workers := runtime.GOMAXPROCS(0)
	shares := make([]map[string]*postingList, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			share := map[string]*postingList{}
			for i := w; i < len(pages); i += workers {
				if pages[i] != nil {
					x.addEncoded(share, i, pages[i].d) // x.pages[i]: each worker its own
				}
			}
			shares[w] = share
		})
	}
	wg.Wait()
	for _, share := range shares {
		for term, list := range share {
			if all, ok := x.postings[term]; ok {
				all.join(list)
			} else {
				x.postings[term] = list
			}
		}
	}
}

// addEncoded adds page i's entry and its postings, to postings.
func (x *Index) addEncoded(postings map[string]*postingList, i int, d *decoded) {
	x.pages[i] = newPageEntry(d.page.URL, d.page.Title, d.page.Sections)
	var list *postingList
	_ = d.eachPosting(func(term []byte, first bool, section uint16, weight float32) {
		if first {
			var ok bool
			if list, ok = postings[string(term)]; !ok {
				list = &postingList{}
				postings[string(term)] = list
			}
		}
		list.add(makePosting(uint32(i), section, weight))
	})
}

// decoded is an encoded page read up to its postings.
type decoded struct {
	page            Page // without postings
	data            []byte
	at              int // where the postings start
	postings, terms int
}

// decodeHead reads the page's URL, title and sections (strings sharing one
// copy of their bytes) and the counts of postings and terms.
func decodeHead(data []byte) (*decoded, error) {
	r := reader{data: data}
	url, title := r.span(), r.span()
	n := r.count(4)
	if n > maxSections {
		return nil, errBadPage
	}
	spans := make([]span, 0, 3*n)
	lengths := make([]int, n)
	for i := range n {
		spans = append(spans, r.span(), r.span(), r.span())
		lengths[i] = int(r.num())
	}
	postings := r.count(2)
	terms := int(r.num())
	if r.bad || terms > postings {
		return nil, errBadPage
	}
	head := string(data[:r.at])
	s := func(sp span) string { return head[sp.from:sp.to] }
	d := &decoded{page: Page{URL: s(url), Title: s(title), Sections: make([]Section, n)}, data: data, at: r.at, postings: postings, terms: terms}
	for i := range n {
		d.page.Sections[i] = Section{Anchor: s(spans[3*i]), Title: s(spans[3*i+1]), Snippet: s(spans[3*i+2]), Length: lengths[i]}
	}
	return d, nil
}

// eachPosting calls fn with each posting, first says its term is not the
// previous posting's; term is only valid during the call. It checks that
// the counts hold and the encoding ends with the last posting.
func (d *decoded) eachPosting(fn func(term []byte, first bool, section uint16, weight float32)) error {
	r := reader{data: d.data, at: d.at}
	var term []byte
	seen := 0
	for range d.terms {
		shared := r.num()
		suffix := r.span()
		count := r.num()
		if r.bad || shared > uint64(len(term)) || count == 0 || count > uint64(d.postings-seen) {
			return errBadPage
		}
		term = append(term[:shared], d.data[suffix.from:suffix.to]...)
		for k := range count {
			section, w := r.num(), r.num()
			weight := float32(w>>1) / 2
			if w&1 == 1 {
				if w != 1 || len(d.data)-r.at < 4 {
					return errBadPage
				}
				weight = math.Float32frombits(binary.LittleEndian.Uint32(d.data[r.at:]))
				r.at += 4
			}
			if r.bad || section > math.MaxUint16 {
				return errBadPage
			}
			fn(term, k == 0, uint16(section), weight)
		}
		seen += int(count)
	}
	if seen != d.postings || r.at != len(d.data) {
		return errBadPage
	}
	return nil
}

// reader reads varints and strings; past the first error (bad) it reads
// zeros.
type reader struct {
	data []byte
	at   int
	bad  bool
}

func (r *reader) num() uint64 {
	if r.bad {
		return 0
	}
	v, n := binary.Uvarint(r.data[r.at:])
	if n <= 0 {
		r.bad = true
		return 0
	}
	r.at += n
	return v
}

// span is where a string's bytes are in an encoding.
type span struct{ from, to int }

// span reads a string.
func (r *reader) span() span {
	n := r.num()
	if r.bad || n > uint64(len(r.data)-r.at) {
		r.bad = true
		return span{}
	}
	from := r.at
	r.at += int(n)
	return span{from, r.at}
}

// count reads a list's length, bounded by the bytes left (each entry takes
// at least minBytes), so damaged input cannot ask for a huge allocation.
func (r *reader) count(minBytes int) int {
	n := r.num()
	if r.bad || n > uint64(len(r.data)-r.at)/uint64(minBytes) {
		r.bad = true
		return 0
	}
	return int(n)
}
