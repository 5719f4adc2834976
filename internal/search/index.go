// Package search builds the site's offline full-text index: pages are cut
// into sections at their headings, tokenized (identifiers kept whole as
// well as in parts), stemmed with Porter2 and scored with BM25, title and
// headings weighing more. The index is written as JavaScript files that the
// browser loads with <script> (so it works from file://) and only as a
// query needs them: a small entry file, term shards by prefix, and blocks of
// page and section data for the results shown. search.js reads it.
package search

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// Dir is the output folder of the index files.
const Dir = "_search"

// WordsFile lists the index's plain words, for typo tolerance across shards.
const WordsFile = Dir + "/words.js"

// Budgets for the files, in bytes before compression: a term shard or a
// block of pages grows to about this size, so the first query fetches a few
// tens of kilobytes whatever the site's size.
const (
	shardTarget = 24 << 10
	blockTarget = 2 << 10
	maxKeyRunes = 16
	// maxPostings caps a term's list: a word in more sections than this is
	// common, and only its best-scoring sections are kept (search.js does
	// not require such a word to match, as the list is incomplete).
	maxPostings = 1000
)

// BM25's parameters, the usual ones.
const (
	k1 = 1.2
	b  = 0.75
)

// Index gathers pages, in any order and from any goroutine, and writes the
// index files. A page's postings are merged as it is added and then
// dropped, so a large build never holds every page's postings twice.
type Index struct {
	mu       sync.Mutex
	pages    []*pageEntry
	postings map[string]*postingList
}

// postingList is a term's postings in chunks, each twice the last (up to
// maxChunk): a list grows without being copied, and leaves no outgrown
// arrays behind. Grown by append, the lists of a 10,000-page build were a
// third of adding its pages.
//
// The chunk being filled, last, is allocated whole and holds tail postings;
// the others, in full, are as long as the postings they hold. Adding a
// posting reads and writes only the list itself and that chunk: no slice
// header is written back (it holds a pointer: a write barrier a posting
// while the collector runs), and the chunk's length is beside the count
// (millions of postings, each to a list of its own: a cache miss saved is
// much).
type postingList struct {
	full    [][]posting
	last    []posting
	tail, n int
}

const maxChunk = 4096

func (l *postingList) add(p posting) {
	if l.tail == len(l.last) {
		if l.last != nil {
			l.full = append(l.full, l.last)
		}
		l.last, l.tail = make([]posting, min(4<<len(l.full), maxChunk)), 0
	}
	l.last[l.tail] = p
	l.tail++
	l.n++
}

// join adds the postings of o to l (o's chunks, not copies of them).
func (l *postingList) join(o *postingList) {
	if o.n == 0 {
		return
	}
	if l.tail > 0 {
		l.full = append(l.full, l.last[:l.tail])
	}
	l.full = append(l.full, o.full...)
	l.last, l.tail = o.last, o.tail
	l.n += o.n
}

// appendTo appends the list to out.
func (l *postingList) appendTo(out []posting) []posting {
	for _, c := range l.full {
		out = append(out, c...)
	}
	return append(out, l.last[:l.tail]...)
}

type pageEntry struct {
	url     string
	lengths []int32 // each section's, in words, for BM25
	// block is the page's entry of its block file, made as the page is
	// added (on the core that rendered it): a large site's titles and
	// snippets are then a byte slice each, which the collector does not
	// scan, not a hundred thousand strings held to the end of the build.
	block []byte
}

// newPageEntry makes the index's entry of a page: its block entry is
// [url, title, [[anchor, title, snippet], …]], in JSON.
func newPageEntry(url, title string, sections []Section) *pageEntry {
	size := len(url) + len(title) + 8
	lengths := make([]int32, len(sections))
	for j, s := range sections {
		size += len(s.Anchor) + len(s.Title) + len(s.Snippet) + 12
		lengths[j] = int32(s.Length)
	}
	block := make([]byte, 0, size)
	block = append(appendJSONString(append(appendJSONString(append(block, '['), url), ','), title), ",["...)
	for j, s := range sections {
		if j > 0 {
			block = append(block, ',')
		}
		block = append(appendJSONString(append(appendJSONString(append(appendJSONString(append(block, '['), s.Anchor), ','), s.Title), ','), s.Snippet), ']')
	}
	return &pageEntry{url: url, lengths: lengths, block: append(block, "]]"...)}
}

// appendJSONString appends s as encoding/json writes a string (HTML
// characters escaped, invalid UTF-8 as U+FFFD): without reflection, for
// the 100,000 strings of a large site's blocks (TestAppendJSONString).
func appendJSONString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || r == '\u2028' || r == '\u2029' {
			dst = append(dst, s[start:i]...)
			switch r {
			case utf8.RuneError:
				dst = append(dst, `\ufffd`...)
			default:
				dst = append(dst, '\\', 'u', '2', '0', '2', hex[r&0xF])
			}
			i += size
			start = i
			continue
		}
		i += size
	}
	return append(append(dst, s[start:]...), '"')
}

// posting is one section's weight for a term: its page's index (32 bits),
// section (16) and weight in halves (16; weights are sums of 1, 2.5 and 4),
// in one integer, so a term's list is small and sorts by page and section
// as integers do.
type posting uint64

func makePosting(page uint32, section uint16, weight float32) posting {
	halves := min(math.Round(float64(weight)*2), math.MaxUint16)
	return posting(uint64(page)<<32 | uint64(section)<<16 | uint64(halves))
}

func (p posting) page() uint32    { return uint32(p >> 32) }
func (p posting) section() uint16 { return uint16(p >> 16) }
func (p posting) weight() float64 { return float64(uint16(p)) / 2 }

// NewIndex makes an index for n pages, added by their index 0..n-1.
func NewIndex(n int) *Index {
	return &Index{pages: make([]*pageEntry, n), postings: map[string]*postingList{}}
}

// Add records page p as page number i (its place in the site's order).
func (x *Index) Add(i int, p *Page) {
	entry := newPageEntry(p.URL, p.Title, p.Sections)
	x.mu.Lock()
	defer x.mu.Unlock()
	x.pages[i] = entry
	// A term's postings come together (Extract groups them, and the render
	// cache keeps them so): one map lookup for each run, not each posting.
	for run := p.Postings; len(run) > 0; {
		term := run[0].Term
		n := 1
		for n < len(run) && run[n].Term == term {
			n++
		}
		list, ok := x.postings[term]
		if !ok {
			list = &postingList{}
			x.postings[term] = list
		}
		for _, ps := range run[:n] {
			list.add(makePosting(uint32(i), ps.Section, ps.Weight))
		}
		run = run[n:]
	}
}

// Files returns the index files: path below the output root → contents.
// The same pages always give the same bytes.
func (x *Index) Files() map[string][]byte {
	files := map[string][]byte{}
	_ = x.Write(func(name string, data []byte) error {
		files[name] = data
		return nil
	})
	return files
}

// Write gives each index file, path below the output root and contents,
// to emit, which may keep them. It calls emit from one goroutine at a
// time (the files are all in one folder) and gives the pages' blocks first:
// they are written while the terms are encoded. It returns emit's first
// error, and gives no file after it.
func (x *Index) Write(emit func(name string, data []byte) error) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	// Pages are numbered by URL, so the files do not depend on the order
	// pages were added in.
	var order []int
	for i, p := range x.pages {
		if p != nil { // a page that failed to render is left out
			order = append(order, i)
		}
	}
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(x.pages[a].url, x.pages[b].url) })
	pages := make([]*pageEntry, len(order))
	renumber := make([]uint32, len(x.pages))
	for n, i := range order {
		renumber[i] = uint32(n)
		pages[n] = x.pages[i]
	}
	per := blockSize(pages)
	blocksWritten := make(chan error, 1)
	go func() { blocksWritten <- writeBlocks(pages, per, emit) }()

	// Every section's length in one array, page after page: scoring a
	// posting reads one entry of it, not a page's entry and then its own
	// array (two cache misses a posting, for millions of postings).
	lens := sectionLengths{first: make([]int32, len(pages))}
	totalLen := 0
	for n, p := range pages {
		lens.first[n] = int32(len(lens.all))
		lens.all = append(lens.all, p.lengths...)
		for _, l := range p.lengths {
			totalLen += int(l)
		}
	}
	sections := len(lens.all)
	avgLen := float64(totalLen) / math.Max(1, float64(sections))

	terms := make([]string, 0, len(x.postings))
	for t := range x.postings {
		terms = append(terms, t)
	}
	slices.Sort(terms)
	encoded := make([][]byte, len(terms))
	// The terms are encoded on every core, each its own share.
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			// A term's list and scores are worked on in buffers each
			// worker reuses: new ones for every term were 40 % of this.
			var list []posting
			var scores []int
			for i := w; i < len(terms); i += workers {
				list = x.postings[terms[i]].appendTo(list[:0])
				for j, p := range list {
					list[j] = posting(uint64(renumber[p.page()])<<32 | uint64(p)&(1<<32-1))
				}
				if !slices.IsSorted(list) {
					slices.Sort(list)
				}
				encoded[i], scores = encodePostings(terms[i], list, &lens, avgLen, scores)
			}
		})
	}
	wg.Wait()
	keys, shards := partition(terms, encoded)
	type file struct {
		name string
		data []byte
	}
	var rest []file
	for n, members := range shards {
		size := 0
		for _, i := range members {
			size += len(encoded[i]) + 1
		}
		buf := bytes.NewBuffer(make([]byte, 0, size+40))
		fmt.Fprintf(buf, "docsgenSearch.shard(%d,{", n)
		for j, i := range members {
			if j > 0 {
				buf.WriteByte(',')
			}
			buf.Write(encoded[i])
			// The index is held once, not as terms and shards both.
			encoded[i] = nil
		}
		buf.WriteString("});\n")
		rest = append(rest, file{fmt.Sprintf("%s/t%d.js", Dir, n), buf.Bytes()})
	}
	rest = append(rest, file{WordsFile, wordList(terms)})
	meta := struct {
		Version  int            `json:"v"`
		Pages    int            `json:"pages"`
		Stop     []string       `json:"stop"`
		Keys     map[string]int `json:"keys"`
		Depth    int            `json:"depth"` // the longest key, in runes
		PerBlock int            `json:"per"`   // pages per block file
	}{1, len(pages), stopWords, keys, maxKeyRunes, per}
	data, _ := json.Marshal(meta) // map keys are sorted: deterministic
	rest = append(rest, file{Dir + "/index.js", append(append([]byte("docsgenSearch.meta("), data...), ");\n"...)})
	if err := <-blocksWritten; err != nil {
		return err
	}
	for _, f := range rest {
		if err := emit(f.name, f.data); err != nil {
			return err
		}
	}
	return nil
}

// sectionLengths are the index's section lengths in words: those of page n
// start at all[first[n]].
type sectionLengths struct{ first, all []int32 }

// encodePostings writes one term's entry of a shard: "term":[page delta,
// section, score, …], with -1 first when the list was cut to the
// maxPostings best. A score is BM25 times 10, rounded (at least 1).
func encodePostings(term string, list []posting, lens *sectionLengths, avgLen float64, scores []int) ([]byte, []int) {
	df := float64(len(list))
	idf := math.Log(1 + (float64(len(lens.all))-df+0.5)/(df+0.5))
	scores = slices.Grow(scores[:0], len(list))[:len(list)]
	for j, p := range list {
		length := float64(lens.all[lens.first[p.page()]+int32(p.section())])
		tf := p.weight()
		bm25 := idf * tf * (k1 + 1) / (tf + k1*(1-b+b*length/avgLen))
		scores[j] = max(1, int(math.Round(bm25*10)))
	}
	cut := len(list) > maxPostings
	keep := func(j int) bool { return true }
	if cut {
		// The best maxPostings, ties going to the earlier page: all above
		// the lowest score kept, and as many at it as fit, first first.
		// Scores are small integers: a count of each finds the lowest in
		// one pass, where sorting a common word's list took a build's
		// noticeable share.
		lowest, above := lowestKept(scores, maxPostings)
		atLowest := maxPostings - above
		keep = func(j int) bool {
			if scores[j] == lowest && atLowest > 0 {
				atLowest--
				return true
			}
			return scores[j] > lowest
		}
	}
	buf := make([]byte, 0, len(term)+8+10*min(len(list), maxPostings))
	buf = append(appendJSONString(buf, term), ":["...)
	if cut {
		buf = append(buf, "-1,"...)
	}
	prev, first := uint32(0), true
	for j, p := range list {
		if !keep(j) {
			continue
		}
		if !first {
			buf = append(buf, ',')
		}
		first = false
		buf = strconv.AppendUint(buf, uint64(p.page()-prev), 10)
		buf = strconv.AppendUint(append(buf, ','), uint64(p.section()), 10)
		buf = strconv.AppendInt(append(buf, ','), int64(scores[j]), 10)
		prev = p.page()
	}
	return append(buf, ']'), scores
}

// lowestKept is the lowest of the best n scores (n < len(scores)) and how
// many scores are above it.
func lowestKept(scores []int, n int) (lowest, above int) {
	top := slices.Max(scores)
	count := make([]int, top+1)
	for _, s := range scores {
		count[s]++
	}
	for lowest = top; above+count[lowest] < n; lowest-- {
		above += count[lowest]
	}
	return lowest, above
}

// partition groups the sorted terms into shards of about shardTarget bytes
// by prefix. keys maps a prefix to its shard; a term belongs to the shard
// of the longest key it starts with ("" holds what no longer key takes). A
// prefix whose terms are too many for one shard is split by its next
// letter, and small neighbours share a shard, so typo-tolerant matching
// finds the words that share a term's first letters in the term's shard.
func partition(terms []string, encoded [][]byte) (keys map[string]int, shards [][]int) {
	keys = map[string]int{}
	size := func(idx []int) int {
		n := 0
		for _, i := range idx {
			n += len(encoded[i]) + 1
		}
		return n
	}
	all := make([]int, len(terms))
	for i := range all {
		all[i] = i
	}
	var open []int // the shard being filled with small groups
	var openKeys []string
	openSize := 0
	// hollow are the prefixes whose terms all have longer keys: they hold
	// none themselves, and get a shard of their terms' below.
	var hollow []string
	flush := func() {
		if len(open) == 0 {
			hollow = append(hollow, openKeys...)
			openKeys = nil
			return
		}
		for _, k := range openKeys {
			keys[k] = len(shards)
		}
		shards = append(shards, open)
		open, openKeys, openSize = nil, nil, 0
	}
	var split func(prefix string, idx []int, n int)
	split = func(prefix string, idx []int, n int) {
		if n <= shardTarget || runeLen(prefix) >= maxKeyRunes {
			if openSize+n > shardTarget {
				flush()
			}
			open = append(open, idx...)
			openKeys = append(openKeys, prefix)
			openSize += n
			return
		}
		// The terms equal to the prefix stay under it; the rest go to
		// their next letter's group (terms are sorted: groups are runs).
		var exact []int
		type group struct {
			key  string
			idx  []int
			size int
		}
		var groups []group
		for _, i := range idx {
			t := terms[i]
			if t == prefix {
				exact = append(exact, i)
				continue
			}
			_, w := utf8.DecodeRuneInString(t[len(prefix):])
			next := t[:len(prefix)+w]
			if len(groups) == 0 || groups[len(groups)-1].key != next {
				groups = append(groups, group{key: next})
			}
			g := &groups[len(groups)-1]
			g.idx = append(g.idx, i)
			g.size += len(encoded[i]) + 1
		}
		flush()
		open, openKeys, openSize = exact, []string{prefix}, size(exact)
		for _, g := range groups {
			split(g.key, g.idx, g.size)
		}
		flush()
	}
	split("", all, size(all))
	flush()
	// A hollow prefix names the shard holding most of its terms' bytes (its
	// commonest words): typing it loads that shard, not an empty file, and
	// finds them; no term of the index has it as its longest key.
	shardOfTerm := make([]int, len(terms))
	for n, members := range shards {
		for _, i := range members {
			shardOfTerm[i] = n
		}
	}
	for _, prefix := range hollow {
		bytesIn := map[int]int{}
		from, _ := slices.BinarySearch(terms, prefix)
		for i := from; i < len(terms) && strings.HasPrefix(terms[i], prefix); i++ {
			bytesIn[shardOfTerm[i]] += len(encoded[i])
		}
		best, most := -1, -1
		for shard, n := range bytesIn {
			if n > most || n == most && shard < best {
				best, most = shard, n
			}
		}
		keys[prefix] = best
	}
	return keys, shards
}

func runeLen(s string) int { return len([]rune(s)) }

// wordList is the words file: every term that is a plain word of three
// letters or more (what a one-edit variant of a typed word can stem to),
// sorted, in one string. search.js loads it only when a word typed has
// no match in its own shards: a typo in its first letters puts the word
// it meant in another shard, which this list names.
func wordList(terms []string) []byte {
	var buf bytes.Buffer
	buf.WriteString(`docsgenSearch.words("`)
	n := 0
	for _, t := range terms {
		if len(t) < 3 || strings.IndexFunc(t, func(r rune) bool { return r < 'a' || r > 'z' }) >= 0 {
			continue
		}
		if n > 0 {
			buf.WriteByte(' ')
		}
		buf.WriteString(t)
		n++
	}
	buf.WriteString("\");\n")
	return buf.Bytes()
}

// blockSize is how many pages a block file holds: as many as make about
// blockTarget bytes on average (a result list of a few pages then loads a
// few small files).
func blockSize(pages []*pageEntry) int {
	total := 0
	for _, p := range pages {
		total += len(p.block)
	}
	if total == 0 {
		return 1
	}
	return max(1, blockTarget*len(pages)/total)
}

// writeBlocks gives emit the block files: the pages' titles, URLs and
// sections, per consecutive pages in each.
func writeBlocks(pages []*pageEntry, per int, emit func(name string, data []byte) error) error {
	for start := 0; start < len(pages); start += per {
		group := pages[start:min(start+per, len(pages))]
		size := 40
		for _, p := range group {
			size += len(p.block) + 1
		}
		buf := make([]byte, 0, size)
		buf = fmt.Appendf(buf, "docsgenSearch.block(%d,[", start/per)
		for j, p := range group {
			if j > 0 {
				buf = append(buf, ',')
			}
			buf = append(buf, p.block...)
		}
		buf = append(buf, "]);\n"...)
		if err := emit(fmt.Sprintf("%s/p%d.js", Dir, start/per), buf); err != nil {
			return err
		}
	}
	return nil
}

// ShardOf returns the shard a term is in, by the keys of an index's entry
// file (for tests; search.js does the same).
func ShardOf(keys map[string]int, term string) int {
	r := []rune(term)
	for n := min(len(r), maxKeyRunes); n >= 0; n-- {
		if s, ok := keys[string(r[:n])]; ok {
			return s
		}
	}
	return -1
}

// Keys reads the shard keys back from an entry file's contents.
func Keys(entry []byte) (map[string]int, error) {
	data := bytes.TrimSuffix(bytes.TrimPrefix(entry, []byte("docsgenSearch.meta(")), []byte(");\n"))
	var meta struct {
		Keys map[string]int `json:"keys"`
	}
	err := json.Unmarshal(data, &meta)
	return meta.Keys, err
}
