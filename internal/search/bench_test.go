package search

import (
	"os"
	"regexp"
	"testing"
)

// BenchmarkExtract is the index's work per page at build time, on a page
// of the bench corpus (testdata/corpus-page.html, its article body), words
// already stemmed.
func BenchmarkExtract(b *testing.B) {
	data, err := os.ReadFile("testdata/corpus-page.html")
	if err != nil {
		b.Fatal(err)
	}
	body := regexp.MustCompile(`(?s)<article class="document">\n(.*)</article>`).FindSubmatch(data)[1]
	b.SetBytes(int64(len(body)))
	// As in a build: a site's pages share their words (here, all of them).
	st := &Stemmer{}
	for b.Loop() {
		st.Extract("s03/p0342.html", "Page", body)
	}
}

// BenchmarkPageMarshal is what the render cache pays per page rendered.
func BenchmarkPageMarshal(b *testing.B) {
	data, err := os.ReadFile("testdata/corpus-page.html")
	if err != nil {
		b.Fatal(err)
	}
	body := regexp.MustCompile(`(?s)<article class="document">\n(.*)</article>`).FindSubmatch(data)[1]
	p := Extract("s03/p0342.html", "Page", body)
	for b.Loop() {
		p.MarshalBinary()
	}
}
