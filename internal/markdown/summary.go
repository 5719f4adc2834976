package markdown

import (
	"github.com/docsgen/docsgen/internal/directives"
)

// Summary is what a link check keeps of a parsed page once its tree is
// gone: the collected data other pages resolve against and the page's own
// references, in a form encoding/gob can store between runs.
type Summary struct {
	Title    string
	Headings []Heading
	Anchors  []string
	Labels   []Label
	Terms    []Label
	Toctrees []TocSummary
	Assets   []string
	Deps     []string
	Refs     []PendingRef
}

// TocSummary is a toctree's data (directives.Toctree embeds its tree node,
// which gob cannot store).
type TocSummary struct {
	Entries                            []directives.TocEntry
	Caption, ID                        string
	MaxDepth, Numbered                 int
	Hidden, Glob, TitlesOnly, Reversed bool
	Classes                            []string
}

// Summarize is doc's collected data and refs (taken with ExtractRefs). Only
// a page without diagnostics can be summarized: those are not kept.
func Summarize(doc *Doc, refs []PendingRef) (Summary, bool) {
	if doc.Diags.Len() > 0 {
		return Summary{}, false
	}
	s := Summary{Title: doc.Title, Headings: doc.Headings, Labels: doc.Labels, Terms: doc.Terms,
		Assets: doc.Assets, Deps: doc.Deps, Refs: refs}
	s.Anchors = make([]string, 0, len(doc.Anchors))
	for a := range doc.Anchors {
		s.Anchors = append(s.Anchors, a)
	}
	for _, t := range doc.Toctrees {
		s.Toctrees = append(s.Toctrees, TocSummary{Entries: t.Entries, Caption: t.Caption, ID: t.ID, MaxDepth: t.MaxDepth,
			Numbered: t.Numbered, Hidden: t.Hidden, Glob: t.Glob, TitlesOnly: t.TitlesOnly, Reversed: t.Reversed, Classes: t.Classes})
	}
	return s, true
}

// Doc is the page the summary was made from, as Parse then Release left
// it (file is the path its diagnostics name), with its references.
func (s Summary) Doc(file string) (*Doc, []PendingRef) {
	doc := &Doc{File: file, Title: s.Title, Headings: s.Headings, Labels: s.Labels, Terms: s.Terms, Assets: s.Assets,
		Deps: s.Deps, Anchors: make(map[string]bool, len(s.Anchors))}
	for _, a := range s.Anchors {
		doc.Anchors[a] = true
	}
	for _, t := range s.Toctrees {
		doc.Toctrees = append(doc.Toctrees, &directives.Toctree{Entries: t.Entries, Caption: t.Caption, ID: t.ID, MaxDepth: t.MaxDepth,
			Numbered: t.Numbered, Hidden: t.Hidden, Glob: t.Glob, TitlesOnly: t.TitlesOnly, Reversed: t.Reversed, Classes: t.Classes})
	}
	return doc, s.Refs
}
