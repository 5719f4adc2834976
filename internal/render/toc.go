package render

import (
	"github.com/docsgen/docsgen/internal/directives"
	"github.com/docsgen/docsgen/internal/markdown"
)

type markdownHeading = markdown.Heading

// headingTree keeps the two levels below the title for the on-page TOC.
func headingTree(hs []markdown.Heading) []directives.TocItem {
	return markdown.HeadingTree(hs, 2)
}
