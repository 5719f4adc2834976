package search

import (
	"os"
	"regexp"
	"testing"
)

// BenchmarkExtract is the index's work per page at build time, on a page
// of the bench corpus (testdata/corpus-page.html, its article body).
func BenchmarkExtract(b *testing.B) {
	data, err := os.ReadFile("testdata/corpus-page.html")
	if err != nil {
		b.Fatal(err)
	}
	body := regexp.MustCompile(`(?s)<article class="document">\n(.*)</article>`).FindSubmatch(data)[1]
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		Extract("s03/p0342.html", "Page", body)
	}
}
