package search

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestStem(t *testing.T) {
	// Porter2 (Snowball English) outputs, from the algorithm's published
	// examples and vocabulary.
	cases := map[string]string{
		"consign": "consign", "consigned": "consign", "consigning": "consign", "consignment": "consign",
		"consist": "consist", "consisted": "consist", "consistency": "consist", "consistent": "consist",
		"consistently": "consist", "consisting": "consist", "consists": "consist", "consolation": "consol",
		"consolations": "consol", "consolatory": "consolatori", "console": "consol", "consoled": "consol",
		"consolidate": "consolid", "consolidated": "consolid", "consoling": "consol", "consolingly": "consol",
		"consonant": "conson", "conspicuous": "conspicu", "conspicuously": "conspicu", "conspiracy": "conspiraci",
		"conspirator": "conspir", "conspire": "conspir", "constable": "constabl", "constance": "constanc",
		"constancy": "constanc", "constant": "constant", "knackeries": "knackeri", "kneaded": "knead",
		"kneeling": "kneel", "knees": "knee", "knightly": "knight", "knitting": "knit", "knives": "knive",
		"knocker": "knocker", "knocking": "knock",
		"installing": "instal", "installation": "instal", "installs": "instal", "installed": "instal",
		"cries": "cri", "ties": "tie", "running": "run", "hopping": "hop", "hoping": "hope", "happy": "happi",
		"caresses": "caress", "generously": "generous", "generate": "generat", "communication": "communic",
		"skies": "sky", "dying": "die", "news": "news", "succeeded": "succeed", "proceed": "proceed",
		"operator's": "oper", "'quoted": "quot", "by": "by", "say": "say", "cry": "cri",
		"configuration": "configur", "configure": "configur", "deployment": "deploy", "deploying": "deploy",
		"e001": "e001", "déjà": "déjà", "Upper": "Upper",
	}
	for in, want := range cases {
		if got := Stem(in); got != want {
			t.Errorf("Stem(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTokenize(t *testing.T) {
	cases := []struct {
		in   string
		want []Token
	}{
		{"Installing Django, quickly.", []Token{{Parts: []string{"installing"}}, {Parts: []string{"django"}}, {Parts: []string{"quickly"}}}},
		{"Set DJANGO_SECRET_KEY now", []Token{{Parts: []string{"set"}}, {Whole: "django_secret_key", Parts: []string{"django", "secret", "key"}},
			{Parts: []string{"now"}}}},
		{"see fairdm.E001.", []Token{{Parts: []string{"see"}}, {Whole: "fairdm.e001", Parts: []string{"fairdm", "e001"}}}},
		{"pass --fail-level warning or -v", []Token{{Parts: []string{"pass"}}, {Whole: "--fail-level", Parts: []string{"fail", "level"}},
			{Parts: []string{"warning"}}, {Parts: []string{"or"}}, {Whole: "-v", Parts: []string{"v"}}}},
		{"the operator’s guide; don't", []Token{{Parts: []string{"the"}}, {Parts: []string{"operator"}}, {Parts: []string{"guide"}}, {Parts: []string{"dont"}}}},
		{"-- — -1 ... _x_", []Token{{Parts: []string{"1"}}, {Parts: []string{"x"}}}},
		{"Ubuntu 20.04 — déjà vu", []Token{{Parts: []string{"ubuntu"}}, {Whole: "20.04", Parts: []string{"20", "04"}}, {Parts: []string{"déjà"}}, {Parts: []string{"vu"}}}},
	}
	for _, c := range cases {
		if diff := cmp.Diff(c.want, Tokenize(c.in)); diff != "" {
			t.Errorf("Tokenize(%q) (-want +got):\n%s", c.in, diff)
		}
	}
}

func TestTerms(t *testing.T) {
	var got []string
	for _, tok := range Tokenize("The DJANGO_SECRET_KEY of installations") {
		tok.Terms(func(s string) { got = append(got, s) })
	}
	want := []string{"django_secret_key", "django", "secret", "key", "instal"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("terms (-want +got):\n%s", diff)
	}
}

const page = `<h1 id="install">Installing<a class="headerlink" href="#install">¶</a></h1>
<p>Intro text about <code>docker</code>.</p>
<h2 id="keys"><span id="old-id"></span>Secret keys<a class="headerlink" href="#keys">¶</a></h2>
<p>Set <code>DJANGO_SECRET_KEY</code>.</p><script>var hidden = "scripted";</script>
<div class="highlight"><pre><span class="linenos">12</span>export DJANGO_DEBUG=false</pre></div>
<dl class="glossary"><dt id="term-Broker">Broker</dt><dd>Redis, here.</dd></dl>`

func TestExtract(t *testing.T) {
	p := Extract("guide/install.html", "Install guide", []byte(page))
	want := []Section{
		{Anchor: "install", Title: "Installing", Snippet: "Intro text about docker.", Length: 5},
		{Anchor: "keys", Title: "Secret keys", Snippet: "Set DJANGO_SECRET_KEY. export DJANGO_DEBUG=false", Length: 7},
		{Anchor: "term-Broker", Title: "Broker", Snippet: "Redis, here.", Length: 3},
	}
	if diff := cmp.Diff(want, p.Sections); diff != "" {
		t.Errorf("sections (-want +got):\n%s", diff)
	}
	has := func(term string, sec uint16) (float32, bool) {
		for _, ps := range p.Postings {
			if ps.Term == term && ps.Section == sec {
				return ps.Weight, true
			}
		}
		return 0, false
	}
	for _, c := range []struct {
		term string
		sec  uint16
		w    float32
	}{
		{"instal", 0, titleWeight}, {"docker", 0, 1}, {"secret", 1, headingWeight + 1}, {"django_secret_key", 1, 1},
		{"django_debug", 1, 1}, {"broker", 2, headingWeight}, {"redi", 2, 1},
	} {
		if w, ok := has(c.term, c.sec); !ok || w != c.w {
			t.Errorf("posting %q in section %d: weight %v (found %v), want %v", c.term, c.sec, w, ok, c.w)
		}
	}
	for _, absent := range []string{"scripted", "12", "¶", "old"} {
		if slices.ContainsFunc(p.Postings, func(ps Posting) bool { return ps.Term == absent }) {
			t.Errorf("%q is indexed; scripts, line numbers and ¶ links must not be", absent)
		}
	}
}

// scores decodes a term's postings from the files: URL#anchor → score.
func scores(t *testing.T, files map[string][]byte, term string) map[string]int {
	t.Helper()
	keys, err := Keys(files[Dir+"/index.js"])
	if err != nil {
		t.Fatal(err)
	}
	shard := string(files[fmt.Sprintf("%s/t%d.js", Dir, ShardOf(keys, term))])
	at := strings.Index(shard, fmt.Sprintf("%q:[", term))
	if at < 0 {
		return nil
	}
	list := shard[at+len(term)+4:]
	list = list[:strings.IndexByte(list, ']')]
	var nums []int
	for _, f := range strings.Split(list, ",") {
		var n int
		fmt.Sscan(f, &n)
		nums = append(nums, n)
	}
	if len(nums) > 0 && nums[0] == -1 {
		nums = nums[1:]
	}
	out := map[string]int{}
	page := 0
	for i := 0; i+2 < len(nums); i += 3 {
		page += nums[i]
		out[fmt.Sprintf("%d#%d", page, nums[i+1])] = nums[i+2]
	}
	return out
}

func TestScoresBoostTitleAndHeadings(t *testing.T) {
	x := NewIndex(3)
	filler := strings.Repeat("Other words fill the section so lengths are alike. ", 3)
	x.Add(2, Extract("a.html", "A", []byte(`<h1 id="a">Backups</h1><p>`+filler+`</p>`)))
	x.Add(0, Extract("b.html", "B", []byte(`<h1 id="b">Other</h1><p>`+filler+`</p><h2 id="b2">Restoring backups</h2><p>`+filler+`</p>`)))
	x.Add(1, Extract("c.html", "C", []byte(`<h1 id="c">More</h1><p>Take backups daily. `+filler+`</p>`)))
	got := scores(t, x.Files(), "backup")
	// Pages are numbered by URL: a, b, c.
	title, heading, body := got["0#0"], got["1#1"], got["2#0"]
	if !(title > heading && heading > body && body > 0) {
		t.Errorf("scores title %d, heading %d, body %d; want title > heading > body > 0 (all: %v)", title, heading, body, got)
	}
}

func TestFilesDeterministicAndSharded(t *testing.T) {
	// Enough distinct terms to need several shards.
	var pages []*Page
	for i := range 60 {
		var b strings.Builder
		fmt.Fprintf(&b, `<h1 id="p%d">Page %d</h1><p>`, i, i)
		for j := range 400 {
			fmt.Fprintf(&b, "word%c%c%d ident_%d.x%d ", 'a'+rune(j%26), 'a'+rune(i%26), j, i, j)
		}
		b.WriteString("</p>")
		pages = append(pages, Extract(fmt.Sprintf("p%02d.html", i), "P", []byte(b.String())))
	}
	build := func(order []int) map[string][]byte {
		x := NewIndex(len(pages))
		for _, i := range order {
			x.Add(i, pages[i])
		}
		return x.Files()
	}
	var forward, backward []int
	for i := range pages {
		forward = append(forward, i)
		backward = append([]int{i}, backward...)
	}
	a, b := build(forward), build(backward)
	if !maps.EqualFunc(a, b, bytes.Equal) {
		t.Fatalf("files depend on the order pages were added in")
	}
	keys, err := Keys(a[Dir+"/index.js"])
	if err != nil {
		t.Fatal(err)
	}
	shards := 0
	for name, data := range a {
		if strings.HasPrefix(name, Dir+"/t") {
			shards++
			if len(data) > 2*shardTarget {
				t.Errorf("%s is %d bytes, over twice the %d target", name, len(data), shardTarget)
			}
		}
	}
	if shards < 4 {
		t.Errorf("%d shards; expected the terms to be split", shards)
	}
	// No shard is empty. A prefix that holds no terms of its own (its terms
	// all have longer keys: "w", "wo", "wor", "word" here) names a shard
	// holding some of its terms, so typing it finds them.
	for n := range shards {
		if data := a[fmt.Sprintf("%s/t%d.js", Dir, n)]; data == nil || bytes.Contains(data, []byte(",{});")) {
			t.Errorf("shard %d: %q", n, data)
		}
	}
	var terms []string
	for name, data := range a {
		if strings.HasPrefix(name, Dir+"/t") {
			for _, m := range regexp.MustCompile(`"([^"]+)":\[`).FindAllSubmatch(data, -1) {
				terms = append(terms, string(m[1]))
			}
		}
	}
	longest := func(term string) string {
		for n := len(term); n >= 0; n-- {
			if _, ok := keys[term[:n]]; ok {
				return term[:n]
			}
		}
		return ""
	}
	own := map[string]bool{}
	for _, term := range terms {
		own[longest(term)] = true
	}
	hollow := 0
	for k, n := range keys {
		if n < 0 || n >= shards {
			t.Errorf("key %q names shard %d of %d", k, n, shards)
			continue
		}
		if own[k] {
			continue
		}
		hollow++
		if shard := a[fmt.Sprintf("%s/t%d.js", Dir, n)]; !bytes.Contains(shard, []byte(`"`+k)) {
			t.Errorf("key %q holds no terms and names shard %d, which has none of its terms", k, n)
		}
	}
	if hollow == 0 {
		t.Error("no key without terms of its own: the split chain this corpus makes is not exercised")
	}
	// Every term is in the shard its prefix names.
	for _, term := range []string{"wordaa0", "wordzb25", "ident_3.x7", "ident", "x399", "page", "0"} {
		if s := scores(t, a, term); len(s) == 0 {
			t.Errorf("term %q not found in shard %d", term, ShardOf(keys, term))
		}
	}
}

func TestCommonTermsKeepTheirBestSections(t *testing.T) {
	n := maxPostings + 200
	x := NewIndex(n)
	for i := range n {
		// Page 7 has the word in its heading: it must survive the cut.
		w := float32(1)
		if i == 7 {
			w = headingWeight + 1
		}
		x.Add(i, &Page{URL: fmt.Sprintf("p%05d.html", i), Title: "P",
			Sections: []Section{{Anchor: "a", Title: "P", Length: 10 + i%50}},
			Postings: []Posting{{Term: "common", Weight: w}, {Term: fmt.Sprintf("rare%d", i), Weight: 1}}})
	}
	files := x.Files()
	got := scores(t, files, "common")
	if len(got) != maxPostings {
		t.Fatalf("%d postings kept, want %d", len(got), maxPostings)
	}
	if _, ok := got["7#0"]; !ok {
		t.Error("the best section was cut")
	}
	keys, _ := Keys(files[Dir+"/index.js"])
	shard := string(files[fmt.Sprintf("%s/t%d.js", Dir, ShardOf(keys, "common"))])
	if !strings.Contains(shard, `"common":[-1,`) {
		t.Error("a cut list is not marked")
	}
	if rare := scores(t, files, "rare3"); len(rare) != 1 {
		t.Errorf("rare3: %v", rare)
	}
}

func TestExtractOnePostingPerTermAndSection(t *testing.T) {
	p := Extract("a.html", "A", []byte(`<h2 id="x">Retry</h2><p>Retries retry, retried &amp; <b>retrying</b>.</p>`))
	var got []Posting
	for _, ps := range p.Postings {
		if ps.Term == "retri" {
			got = append(got, ps)
		}
	}
	if want := []Posting{{Term: "retri", Section: 0, Weight: headingWeight + 4}}; !cmp.Equal(want, got) {
		t.Errorf("postings of retri = %v, want %v (retrying stems to retri too? %q)", got, want, Stem("retrying"))
	}
}

// FuzzExtract: any bytes give sections and postings without a panic, and
// every posting names a section.
func FuzzExtract(f *testing.F) {
	f.Add([]byte(page))
	f.Add([]byte(`<h1 id="a">x</h1><script>if (a < b) {}</script><!-- <h2 id="no"> --><p a='>' id=q>t &lt; u</p><`))
	f.Add([]byte("<dt id='term-X'>X</dt><svg><path/></svg></h1></h1>"))
	f.Fuzz(func(t *testing.T, body []byte) {
		p := Extract("a.html", "A", body)
		for _, ps := range p.Postings {
			if int(ps.Section) >= len(p.Sections) {
				t.Fatalf("posting %v names section %d of %d", ps, ps.Section, len(p.Sections))
			}
		}
	})
}

// TestWordsFile: the words list names every plain-word term of three
// letters or more, sorted, and nothing else (identifiers, numbers and
// short words are not what a typo's variants stem to).
func TestWordsFile(t *testing.T) {
	x := NewIndex(1)
	x.Add(0, Extract("a.html", "A", []byte(`<h1 id="a">Configuration checks</h1><p>Set DJANGO_SECRET_KEY to 42 on a deployment; see fairdm.E001, déjà vu.</p>`)))
	data := string(x.Files()[WordsFile])
	list, ok := strings.CutPrefix(data, `docsgenSearch.words("`)
	list, ok2 := strings.CutSuffix(list, "\");\n")
	if !ok || !ok2 {
		t.Fatalf("words file %q", data)
	}
	want := []string{"check", "configur", "deploy", "django", "fairdm", "key", "secret", "see", "set"}
	if got := strings.Split(list, " "); !slices.Equal(got, want) {
		t.Errorf("words %q, want %q", got, want)
	}
}

// TestStemmerForgetsPastLimit: a live session keeps one Stemmer while it
// runs; what it remembers stays bounded however many new words are typed,
// and forgetting changes no result.
func TestStemmerForgetsPastLimit(t *testing.T) {
	const limit = 50
	st := &Stemmer{limit: limit}
	for i := range 20 {
		var body strings.Builder
		body.WriteString(`<h1 id="t">Title</h1><p>`)
		for j := range 30 {
			fmt.Fprintf(&body, "configuration%dx%d running ", i, j)
		}
		body.WriteString("</p>")
		got := st.Extract("p.html", "P", []byte(body.String()))
		want := Extract("p.html", "P", []byte(body.String()))
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("page %d: a remembering Stemmer extracts differently (-fresh +remembering):\n%s", i, diff)
		}
		known := 0
		st.known.Range(func(_, _ any) bool { known++; return true })
		if known > limit {
			t.Fatalf("page %d: %d stems remembered, limit %d", i, known, limit)
		}
		for _, x := range st.idle {
			if len(x.words) > limit || len(x.names) > limit {
				t.Fatalf("page %d: an idle extractor remembers %d words, %d terms; limit %d", i, len(x.words), len(x.names), limit)
			}
		}
	}
	// Below the limit it does remember (the cache works at all).
	small := &Stemmer{}
	small.Extract("p.html", "P", []byte(`<h1 id="t">Title</h1><p>configurations running</p>`))
	if len(small.idle) != 1 || len(small.idle[0].words) == 0 {
		t.Fatal("a Stemmer below its limit kept no extractor or no words")
	}
}

// TestLowestKept: the counting selection of a cut list's threshold agrees
// with sorting the scores.
func TestLowestKept(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		scores := make([]int, 1+r.IntN(300))
		for i := range scores {
			scores[i] = 1 + r.IntN(1+r.IntN(400))
		}
		n := 1 + r.IntN(len(scores))
		if n == len(scores) {
			continue
		}
		sorted := slices.Sorted(slices.Values(scores))
		wantLowest := sorted[len(sorted)-n]
		wantAbove := len(sorted) - sort.SearchInts(sorted, wantLowest+1)
		if lowest, above := lowestKept(scores, n); lowest != wantLowest || above != wantAbove {
			t.Fatalf("lowestKept(%v, %d) = %d, %d; want %d, %d", scores, n, lowest, above, wantLowest, wantAbove)
		}
	}
}

// TestPostingList: a term's postings come back in the order added, across
// chunks of growing size and lists joined, none lost or repeated.
func TestPostingList(t *testing.T) {
	for _, n := range []int{0, 1, 4, 5, 100, 20000} {
		var a, b postingList
		var want []posting
		for i := range n {
			p := makePosting(uint32(i), uint16(i%7), 1)
			a.add(p)
			want = append(want, p)
		}
		for i := range n / 2 {
			p := makePosting(uint32(n+i), 3, 2.5)
			b.add(p)
			want = append(want, p)
		}
		a.join(&b)
		a.add(makePosting(uint32(2*n), 1, 4)) // into the joined list's last chunk, or a new one
		want = append(want, makePosting(uint32(2*n), 1, 4))
		if got := a.appendTo(nil); !slices.Equal(got, want) || a.n != len(want) {
			t.Errorf("%d postings: got %d back (n %d), want %d in order", n, len(got), a.n, len(want))
		}
		// Joined into an empty list, and added to after.
		var c postingList
		c.join(&a)
		c.add(makePosting(uint32(3*n), 2, 1))
		if got := c.appendTo(nil); !slices.Equal(got, append(want, makePosting(uint32(3*n), 2, 1))) || c.n != len(want)+1 {
			t.Errorf("%d postings joined into an empty list: got %d back", n, len(got))
		}
		for _, c := range append(a.full, a.last) {
			if cap(c) > maxChunk {
				t.Errorf("a chunk of %d postings, over %d", cap(c), maxChunk)
			}
		}
	}
}

// TestAppendJSONString: a string is written as encoding/json writes it,
// and a page's block entry as json.Marshal writes [url, title, sections].
func TestAppendJSONString(t *testing.T) {
	cases := []string{"", "plain", `"quoted" \ back`, "<b>&amp;</b>", "tab\there\nnew\rret\bback\fform",
		"\x00\x01\x1f\x7f", "é 日本 🎉", "\u2028\u2029", "bad \xff\xfe utf8 \xe2\x82", "\xed\xa0\x80 surrogate",
		strings.Repeat("ab<c", 50)}
	for _, s := range cases {
		checkJSONString(t, s)
	}
	sections := []Section{{Anchor: "a-1", Title: "T <1>", Snippet: "S & \"s\"", Length: 3}, {Anchor: "", Title: "", Snippet: "\xff"}}
	for _, secs := range [][]Section{nil, sections} {
		want := make([][3]string, len(secs))
		for i, s := range secs {
			want[i] = [3]string{s.Anchor, s.Title, s.Snippet}
		}
		wantJSON, _ := json.Marshal([]any{"p/a b.html", "Title & <more>", want})
		if got := newPageEntry("p/a b.html", "Title & <more>", secs).block; string(got) != string(wantJSON) {
			t.Errorf("block entry %s, want %s", got, wantJSON)
		}
	}
}

func checkJSONString(t *testing.T, s string) {
	t.Helper()
	want, _ := json.Marshal(s)
	if got := appendJSONString([]byte("x"), s); string(got) != "x"+string(want) {
		t.Errorf("%q: got %s, want %s", s, got[1:], want)
	}
}

func FuzzAppendJSONString(f *testing.F) {
	for _, s := range []string{"", "a\"b", "<\x00\xff>", "\u2028"} {
		f.Add(s)
	}
	f.Fuzz(checkJSONString)
}

// TestWriteStopsAtError: Write gives the files one at a time, returns the
// first error emit returns and gives no file after it.
func TestWriteStopsAtError(t *testing.T) {
	x := NewIndex(40)
	for i := range 40 {
		x.Add(i, Extract(fmt.Sprintf("p%02d.html", i), "Page", []byte(strings.Repeat("<h2 id=\"s\">Part</h2><p>Some words here, and more of them.</p>", 30))))
	}
	all := x.Files()
	for _, failAt := range []int{1, 5, len(all)} {
		calls, busy := 0, false
		err := x.Write(func(name string, data []byte) error {
			if busy {
				t.Error("emit called while a call was running")
			}
			busy = true
			defer func() { busy = false }()
			calls++
			if !bytes.Equal(data, all[name]) {
				t.Errorf("%s differs from Files'", name)
			}
			if calls == failAt {
				return errors.New("disk full")
			}
			return nil
		})
		if err == nil || calls != failAt {
			t.Errorf("failing at call %d of %d: error %v after %d calls", failAt, len(all), err, calls)
		}
	}
}
