package build

import (
	"maps"
	"strings"
	"sync"

	"github.com/docsgen/docsgen/internal/content"
	"github.com/docsgen/docsgen/internal/markdown"
	"github.com/docsgen/docsgen/internal/render"
	"github.com/docsgen/docsgen/internal/search"
	"github.com/docsgen/docsgen/internal/site"
)

// The search page, at the site root like Sphinx's: search.html?q=… shows
// the results of a query, so a link or a browser's keyword search works.
// search.js fills it in; without JavaScript it says so.
const (
	searchPageOut  = "search.html"
	searchPageBody = `<h1 id="search">Search</h1>
<form class="search-page-form" action="search.html" method="get" role="search">
<input type="search" name="q" id="search-page-input" aria-label="Search the documentation" autocomplete="off" spellcheck="false">
<button type="submit">Search</button>
</form>
<p id="search-page-status" class="search-page-status" role="status" aria-live="polite"></p>
<ol id="search-page-results" class="search-page-results"></ol>
<noscript><p>Search needs JavaScript.</p></noscript>
`
)

// searchPage is what the search index keeps of a rendered page body; st
// remembers the site's words across pages.
func searchPage(st *search.Stemmer, pg *site.Page, body []byte) *search.Page {
	return st.Extract(pg.Out, pg.Title, body)
}

// emitSearchPage renders the search page with the theme's layout, as a page
// at the root with the site's navigation.
func emitSearchPage(st *site.Site, theme *render.Theme, emit emitFunc) error {
	pg := &site.Page{Src: &content.Source{File: searchPageOut}, Name: "search", Title: "Search",
		Out: searchPageOut, Doc: &markdown.Doc{}}
	html, err := theme.NewRenderer(st).Page(pg, []byte(searchPageBody))
	if err != nil {
		return err
	}
	return emit(searchPageOut, html)
}

// emitSearchIndex writes the index files: a large site's index is
// thousands of small files, all in one folder, which Write gives one at a
// time (see byDirectory), the pages' blocks while it encodes the terms.
func emitSearchIndex(idx *search.Index, emit emitFunc) error {
	return idx.Write(emit)
}

// lazySearch is a live session's search index: each page's part is made as
// the page renders, and the files are assembled only when first asked for,
// so an edit does not cost a pass over every page.
type lazySearch struct {
	once  sync.Once
	pages map[string]*pageState // the committed pages; never changed
	files map[string][]byte
}

func (l *lazySearch) get() map[string][]byte {
	if l == nil {
		return nil
	}
	l.once.Do(func() {
		idx := search.NewIndex(len(l.pages))
		i := 0
		for _, ps := range l.pages {
			if ps.search != nil {
				idx.Add(i, ps.search)
			}
			i++
		}
		l.files = idx.Files()
	})
	return l.files
}

// isSearchFile says rel is one of the index files.
func isSearchFile(rel string) bool { return strings.HasPrefix(rel, search.Dir+"/") }

// withSearch is the outputs plus the index files.
func withSearch(out map[string][]byte, l *lazySearch) map[string][]byte {
	all := maps.Clone(out)
	maps.Copy(all, l.get())
	return all
}
