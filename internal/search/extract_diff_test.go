package search

import (
	"cmp"
	"os"
	"regexp"
	"slices"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"
)

// TestExtractAgreesWithReference: the one-pass extractor finds the same
// sections, snippets and weighted terms as the reference extraction, on a
// page of the bench corpus and on hand-made pages with the cases that
// differ between them in kind (entities, inline tags inside words,
// glossary terms, skipped elements, text before the first heading).
func TestExtractAgreesWithReference(t *testing.T) {
	data, err := os.ReadFile("testdata/corpus-page.html")
	if err != nil {
		t.Fatal(err)
	}
	corpusBody := regexp.MustCompile(`(?s)<article class="document">\n(.*)</article>`).FindSubmatch(data)[1]
	pages := map[string]string{
		"corpus": string(corpusBody),
		"page":   page,
		"before": `<p>Intro &amp; more before any heading, the operator&#39;s <em>guide</em>.</p><h2 id="a&amp;b">A &lt;b&gt;</h2><p>x&nbsp;y caf&eacute; d&#233;j&#xe0;</p>`,
		"joined": `<h1 id="t">Title</h1><p>Set <code>DJANGO_</code><code>SECRET</code>_KEY and <span class="n">event</span><span class="o">.</span><span class="n">get</span> or --fail-level.</p>`,
		"empty":  `<h2 id="e"><a class="headerlink" href="#e">¶</a></h2><p>No heading text here.</p><dl><dt id="term-API">API</dt><dd>Application interface.</dd></dl>`,
		"long":   "<h2 id=\"l\">Long</h2><p>" + longText(400) + "</p>",
		"spaces": "   \n<h3 id=\"s\">  Spaced   out\n heading </h3>\n\n<p>  text\t\twith\n\nspaces  </p>  ",
	}
	for name, body := range pages {
		got := Extract("a/b.html", "Page title", []byte(body))
		want := referenceExtract(nil, "a/b.html", "Page title", []byte(body))
		if diff := gocmp.Diff(want.Sections, got.Sections); diff != "" {
			t.Errorf("%s: sections (-reference +one-pass):\n%s", name, diff)
		}
		if diff := gocmp.Diff(sortedPostings(want.Postings), sortedPostings(got.Postings)); diff != "" {
			t.Errorf("%s: postings (-reference +one-pass):\n%s", name, diff)
		}
	}
}

func longText(words int) string {
	b := make([]byte, 0, words*8)
	for i := range words {
		b = append(b, "word"...)
		b = append(b, byte('a'+i%26))
		b = append(b, ' ')
	}
	return string(b)
}

func sortedPostings(ps []Posting) []Posting {
	ps = slices.Clone(ps)
	slices.SortFunc(ps, func(a, b Posting) int { return cmp.Or(cmp.Compare(a.Section, b.Section), cmp.Compare(a.Term, b.Term)) })
	return ps
}
