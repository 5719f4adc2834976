package search

import (
	"os"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"
)

// TestPageBinaryRoundTrip: a page decodes to what was encoded (postings
// sorted), on a bench-corpus page, the hand-made one and odd weights; every
// cut of the encoding is refused, never a short page taken for whole.
func TestPageBinaryRoundTrip(t *testing.T) {
	corpus, err := os.ReadFile("testdata/corpus-page.html")
	if err != nil {
		t.Fatal(err)
	}
	for name, p := range map[string]*Page{
		"corpus": Extract("s01/p0042.html", "A corpus page", corpus),
		"page":   Extract("guide/install.html", "Install guide", []byte(page)),
		"empty":  {URL: "e.html"},
		// Weights Extract never makes: not whole halves, negative, huge.
		"weights": {URL: "w.html", Sections: []Section{{Title: "W"}}, Postings: []Posting{
			{Term: "b", Weight: 0.3}, {Term: "a", Weight: -1}, {Term: "ab", Weight: 1e9}, {Term: "abc", Section: 0, Weight: 2.5}}},
	} {
		data, err := p.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		var got Page
		if err := got.UnmarshalBinary(data); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		want := *p
		want.Postings, got.Postings = sortedPostings(p.Postings), sortedPostings(got.Postings)
		if diff := gocmp.Diff(&want, &got, gocmp.Comparer(func(a, b []Section) bool { return len(a) == len(b) && (len(a) == 0 || gocmp.Equal(a, b)) }),
			gocmp.Comparer(func(a, b []Posting) bool { return len(a) == len(b) && (len(a) == 0 || gocmp.Equal(a, b)) })); diff != "" {
			t.Errorf("%s: round trip (-encoded +decoded):\n%s", name, diff)
		}
		if name == "corpus" && (len(got.Postings) < 100 || len(got.Sections) < 5) {
			t.Errorf("corpus page: %d postings, %d sections: the test page is not what it should be", len(got.Postings), len(got.Sections))
		}
		for n := range len(data) {
			if err := new(Page).UnmarshalBinary(data[:n]); err == nil {
				t.Errorf("%s: the first %d of %d bytes decoded without error", name, n, len(data))
				break
			}
		}
		if err := new(Page).UnmarshalBinary(append(data, 0)); err == nil {
			t.Errorf("%s: a trailing byte decoded without error", name)
		}
	}
}

func FuzzPageUnmarshal(f *testing.F) {
	p := Extract("guide/install.html", "Install guide", []byte(page))
	data, _ := p.MarshalBinary()
	f.Add(data)
	f.Fuzz(func(t *testing.T, data []byte) {
		var p Page
		if p.UnmarshalBinary(data) != nil {
			return
		}
		// Varints have more than one spelling: compare pages, not bytes.
		again, _ := p.MarshalBinary()
		var q Page
		if err := q.UnmarshalBinary(again); err != nil || !gocmp.Equal(p, q) {
			t.Errorf("decoded %q to %+v; its encoding decodes to %+v, %v", data, p, q, err)
		}
	})
}

// TestAddEncodedSameFiles: pages added encoded, one by one or all at once,
// give the same index files as pages added decoded, and a cut encoding does
// not pass the check.
func TestAddEncodedSameFiles(t *testing.T) {
	corpus, err := os.ReadFile("testdata/corpus-page.html")
	if err != nil {
		t.Fatal(err)
	}
	pages := []*Page{
		Extract("s01/p0042.html", "A corpus page", corpus),
		Extract("guide/install.html", "Install guide", []byte(page)),
		Extract("s01/p0043.html", "Another", corpus),
	}
	plain, encoded, all := NewIndex(len(pages)+1), NewIndex(len(pages)+1), NewIndex(len(pages)+1)
	var given []*Encoded
	for i, p := range pages {
		plain.Add(i, p)
		data, _ := p.MarshalBinary()
		e, err := CheckEncoded(data)
		if err != nil {
			t.Fatal(err)
		}
		encoded.AddEncoded(i, e)
		given = append(given, &e)
	}
	given = append(given, nil) // a page that was not taken
	all.AddAllEncoded(given)
	data, _ := pages[1].MarshalBinary()
	for n := range len(data) {
		if _, err := CheckEncoded(data[:n]); err == nil {
			t.Fatalf("the first %d of %d bytes passed the check", n, len(data))
		}
	}
	want := plain.Files()
	for how, x := range map[string]*Index{"one by one": encoded, "all at once": all} {
		got := x.Files()
		if len(got) != len(want) || len(want) < 3 {
			t.Fatalf("%s: %d files encoded, %d plain", how, len(got), len(want))
		}
		for name, w := range want {
			if string(got[name]) != string(w) {
				t.Errorf("%s: %s differs", how, name)
			}
		}
	}
}

// TestExtractGroupsPostingsByTerm: each term's postings are together, by
// section, so the render cache stores a term once per page.
func TestExtractGroupsPostingsByTerm(t *testing.T) {
	corpus, err := os.ReadFile("testdata/corpus-page.html")
	if err != nil {
		t.Fatal(err)
	}
	st := &Stemmer{}
	for _, body := range [][]byte{corpus, []byte(page), corpus} { // the same extractor twice
		p := st.Extract("a.html", "A", body)
		done := map[string]bool{}
		for i, ps := range p.Postings {
			if i > 0 && ps.Term == p.Postings[i-1].Term {
				if ps.Section <= p.Postings[i-1].Section {
					t.Fatalf("%q: section %d after %d", ps.Term, ps.Section, p.Postings[i-1].Section)
				}
				continue
			}
			if done[ps.Term] {
				t.Fatalf("%q: postings apart (the %dth)", ps.Term, i)
			}
			done[ps.Term] = true
		}
		if len(done) < 10 {
			t.Fatalf("%d terms", len(done))
		}
	}
}
