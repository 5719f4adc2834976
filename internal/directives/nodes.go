package directives

import (
	"github.com/yuin/goldmark/ast"
)

// Node kinds of the MyST tree. Renderers live in package markdown; the site
// fills the Resolved fields before rendering.
var (
	KindFragment        = ast.NewNodeKind("Fragment")
	KindContainer       = ast.NewNodeKind("Container")
	KindErrorMarker     = ast.NewNodeKind("ErrorMarker")
	KindAdmonition      = ast.NewNodeKind("Admonition")
	KindAdmonitionTitle = ast.NewNodeKind("AdmonitionTitle")
	KindCodeBlock       = ast.NewNodeKind("CodeBlock")
	KindToctree         = ast.NewNodeKind("Toctree")
	KindContents        = ast.NewNodeKind("Contents")
	KindImage           = ast.NewNodeKind("DirectiveImage")
	KindFigure          = ast.NewNodeKind("Figure")
	KindGlossary        = ast.NewNodeKind("Glossary")
	KindGlossaryTerm    = ast.NewNodeKind("GlossaryTerm")
	KindTarget          = ast.NewNodeKind("Target")
	KindComment         = ast.NewNodeKind("Comment")
	KindRole            = ast.NewNodeKind("Role")
)

// Fragment holds nodes parsed from another buffer than its parent's: a
// directive body or an included file. Everything below it reads Source.
type Fragment struct {
	ast.BaseBlock
	Source *Source
	Inline bool
}

func (n *Fragment) Kind() ast.NodeKind { return KindFragment }
func (n *Fragment) Dump(src []byte, level int) {
	ast.DumpHelper(n, n.Source.Text, level, map[string]string{"File": n.Source.File}, nil)
}

// Container is a colon fence without a directive name: a div with classes.
type Container struct {
	ast.BaseBlock
	Classes []string
	ID      string
}

func (n *Container) Kind() ast.NodeKind     { return KindContainer }
func (n *Container) Dump(src []byte, l int) { ast.DumpHelper(n, src, l, nil, nil) }

// ErrorMarker stands where a directive failed, so the page shows the spot.
type ErrorMarker struct {
	ast.BaseBlock
	Message string
}

func (n *ErrorMarker) Kind() ast.NodeKind { return KindErrorMarker }
func (n *ErrorMarker) Dump(src []byte, l int) {
	ast.DumpHelper(n, src, l, map[string]string{"Message": n.Message}, nil)
}

// Admonition is a note/warning/… box. Its first child is an AdmonitionTitle.
type Admonition struct {
	ast.BaseBlock
	Classes     []string // "note", or "admonition-my-title" for generic ones
	Collapsible string   // "", "open" or "closed"
	ID          string
}

func (n *Admonition) Kind() ast.NodeKind     { return KindAdmonition }
func (n *Admonition) Dump(src []byte, l int) { ast.DumpHelper(n, src, l, nil, nil) }

// AdmonitionTitle holds the title's inline content.
type AdmonitionTitle struct{ ast.BaseBlock }

func (n *AdmonitionTitle) Kind() ast.NodeKind     { return KindAdmonitionTitle }
func (n *AdmonitionTitle) Dump(src []byte, l int) { ast.DumpHelper(n, src, l, nil, nil) }

// CodeBlock is a highlighted literal block. A caption, if any, is its only child.
type CodeBlock struct {
	ast.BaseBlock
	Lang       string
	Code       string
	Linenos    bool
	LineStart  int
	Emphasize  []int // 1-based lines of Code
	ID         string
	Classes    []string
	HasCaption bool
}

func (n *CodeBlock) Kind() ast.NodeKind { return KindCodeBlock }
func (n *CodeBlock) Dump(src []byte, l int) {
	ast.DumpHelper(n, src, l, map[string]string{"Lang": n.Lang, "Code": n.Code}, nil)
}

// TocEntry is one line of a toctree as written.
type TocEntry struct {
	Title  string // explicit title, or ""
	Target string // document path (no suffix), URL, or glob pattern
	Line   int    // 1-based line in the file
	Col    int
	File   string
}

// TocItem is a resolved navigation entry.
type TocItem struct {
	Title    string
	URL      string
	External bool
	Current  bool
	Children []TocItem
}

// Toctree lists documents; it defines the site navigation.
type Toctree struct {
	ast.BaseBlock
	Entries    []TocEntry
	Caption    string
	MaxDepth   int // <= 0: unlimited
	Hidden     bool
	Glob       bool
	TitlesOnly bool
	Numbered   int // 0: off
	Reversed   bool
	ID         string
	Classes    []string
	// Items is filled by the site before rendering.
	Items []TocItem
}

func (n *Toctree) Kind() ast.NodeKind { return KindToctree }

// Detached returns the toctree's data in a node outside any tree, so
// keeping it does not keep its page's whole tree alive.
func (n *Toctree) Detached() *Toctree {
	return &Toctree{Entries: n.Entries, Caption: n.Caption, MaxDepth: n.MaxDepth, Hidden: n.Hidden, Glob: n.Glob,
		TitlesOnly: n.TitlesOnly, Numbered: n.Numbered, Reversed: n.Reversed, ID: n.ID, Classes: n.Classes}
}
func (n *Toctree) Dump(src []byte, l int) { ast.DumpHelper(n, src, l, nil, nil) }

// Contents is an on-page table of contents.
type Contents struct {
	ast.BaseBlock
	Title   string
	Depth   int // <= 0: unlimited
	Local   bool
	Classes []string
	// Items is filled after headings are known.
	Items []TocItem
}

func (n *Contents) Kind() ast.NodeKind     { return KindContents }
func (n *Contents) Dump(src []byte, l int) { ast.DumpHelper(n, src, l, nil, nil) }

// Image is an image directive (also the image of a Figure).
type Image struct {
	ast.BaseBlock
	URI     string
	Alt     string
	Width   string
	Height  string
	Align   string
	Target  string
	Classes []string
	ID      string
	Line    int
	Col     int
	// Resolved is the URL to write, filled by the site.
	Resolved string
}

func (n *Image) Kind() ast.NodeKind { return KindImage }
func (n *Image) Dump(src []byte, l int) {
	ast.DumpHelper(n, src, l, map[string]string{"URI": n.URI}, nil)
}

// Figure is an image (its first child) with a caption and a legend (the
// first paragraph and the rest of the Fragment that follows it).
type Figure struct {
	ast.BaseBlock
	Image   *Image
	Align   string
	ID      string
	Classes []string
	Width   string
}

func (n *Figure) Kind() ast.NodeKind     { return KindFigure }
func (n *Figure) Dump(src []byte, l int) { ast.DumpHelper(n, src, l, nil, nil) }

// Glossary is a definition list of terms that {term} can reference.
// Its children alternate GlossaryTerm and a definition Fragment.
type Glossary struct{ ast.BaseBlock }

func (n *Glossary) Kind() ast.NodeKind     { return KindGlossary }
func (n *Glossary) Dump(src []byte, l int) { ast.DumpHelper(n, src, l, nil, nil) }

// GlossaryTerm is one term of a glossary.
type GlossaryTerm struct {
	ast.BaseBlock
	Term string
	ID   string
}

func (n *GlossaryTerm) Kind() ast.NodeKind { return KindGlossaryTerm }
func (n *GlossaryTerm) Dump(src []byte, l int) {
	ast.DumpHelper(n, src, l, map[string]string{"Term": n.Term}, nil)
}

// Target is a (label)= line: a name for the element that follows.
type Target struct {
	ast.BaseBlock
	Label string
	ID    string
}

func (n *Target) Kind() ast.NodeKind { return KindTarget }
func (n *Target) Dump(src []byte, l int) {
	ast.DumpHelper(n, src, l, map[string]string{"Label": n.Label}, nil)
}

// Comment is a run of % lines; it renders nothing.
type Comment struct{ ast.BaseBlock }

func (n *Comment) Kind() ast.NodeKind     { return KindComment }
func (n *Comment) Dump(src []byte, l int) { ast.DumpHelper(n, src, l, nil, nil) }

// Role is an inline {name}`content`. Cross-reference roles are resolved by
// the site, which fills URL and Text.
type Role struct {
	ast.BaseInline
	Name    string
	Content string
	// Title and Target split "title <target>"; Title is "" without one.
	Title  string
	Target string
	// Filled by resolution.
	URL      string
	Label    string
	Resolved bool
}

func (n *Role) Kind() ast.NodeKind { return KindRole }
func (n *Role) Dump(src []byte, l int) {
	ast.DumpHelper(n, src, l, map[string]string{"Name": n.Name, "Content": n.Content}, nil)
}
