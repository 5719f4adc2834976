package directives

import (
	"fmt"
	"html"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/docsgen/docsgen/internal/diag"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/util"
)

// The sphinx-design family: {grid}, {grid-item}, {grid-item-card}, {card},
// {card-carousel}, {tab-set}, {tab-item}, {tab-set-code}, {dropdown},
// {button-link}, {button-ref} and {article-info}, with sphinx-design's option names and its
// sd-* CSS classes, so a site's custom CSS keeps working. The badge and
// icon roles are in design_roles.go. Every page that uses one of them
// loads the theme's design.css and design.js.

var (
	KindDesign     = ast.NewNodeKind("Design")
	KindDesignLink = ast.NewNodeKind("DesignLink")
	KindTabSet     = ast.NewNodeKind("TabSet")
	KindTabItem    = ast.NewNodeKind("TabItem")
)

// Design is one element of a component (a grid row, a card body, a
// dropdown's summary…): a tag with classes around its children. Component
// names what it is, for the checks a parent makes of its children.
type Design struct {
	ast.BaseBlock
	Component string
	Tag       string // "" writes only HTML
	Classes   []string
	ID        string
	Attrs     [][2]string
	HTML      string // raw HTML (an icon) written before the children
	// Title is the node whose text names the ID as a label (or nil).
	Title ast.Node
}

func (n *Design) Kind() ast.NodeKind { return KindDesign }
func (n *Design) Dump(src []byte, l int) {
	ast.DumpHelper(n, src, l, map[string]string{"Component": n.Component, "Classes": strings.Join(n.Classes, " ")}, nil)
}

// DesignLink is a link a card or a button makes: a URL, or a document or
// label the site resolves.
type DesignLink struct {
	ast.BaseBlock
	LinkType string // url, doc, ref, any or myst
	Target   string
	Classes  []string
	Tooltip  string
	// Fallback is shown when the link has no children; with AutoText a
	// resolved doc or ref link shows its target's title instead.
	Fallback string
	AutoText bool
	// ImageRef makes a link around an image (its only child): docutils'
	// image-reference, with no text span.
	ImageRef bool
	Line     int
	Col      int
	// Filled by the site.
	URL      string
	Resolved bool
}

func (n *DesignLink) Kind() ast.NodeKind { return KindDesignLink }
func (n *DesignLink) Dump(src []byte, l int) {
	ast.DumpHelper(n, src, l, map[string]string{"LinkType": n.LinkType, "Target": n.Target}, nil)
}

// TabSet is a {tab-set} (or {tab-set-code}): radio inputs, labels and
// panels, numbered per page (sd-tab-set-N, sd-tab-item-N) once the page is
// parsed.
type TabSet struct {
	ast.BaseBlock
	Classes  []string
	num      int
	numbered bool
}

func (n *TabSet) Kind() ast.NodeKind     { return KindTabSet }
func (n *TabSet) Dump(src []byte, l int) { ast.DumpHelper(n, src, l, nil, nil) }

// TabItem is one tab: its label (first child) and its panel (second).
type TabItem struct {
	ast.BaseBlock
	Selected       bool
	SyncGroup      string
	SyncID         string
	ID             string
	LabelClasses   []string
	ContentClasses []string
	num            int
	checked        bool
}

func (n *TabItem) Kind() ast.NodeKind     { return KindTabItem }
func (n *TabItem) Dump(src []byte, l int) { ast.DumpHelper(n, src, l, nil, nil) }

// designNodes are the family's node kinds; every design spec lists them all,
// with the badge and octicon roles' hooks.
func designNodes() []NodeSpec {
	uses := func(n ast.Node, c Collector) { c.Uses("design") }
	return []NodeSpec{
		{Kind: KindDesign, Render: renderDesign, Collect: func(n ast.Node, c Collector) {
			d := n.(*Design)
			c.Uses("design")
			if d.ID != "" {
				title := ""
				if d.Title != nil {
					title = c.Text(d.Title)
				}
				d.ID = c.Name(d.ID, title)
			}
		}},
		{Kind: KindDesignLink, Render: renderDesignLink, Collect: uses, Refs: designLinkRefs},
		{Kind: KindTabSet, Render: renderTabSet, Collect: func(n ast.Node, c Collector) {
			c.Uses("design")
			numberTabSets(n.(*TabSet))
		}},
		{Kind: KindTabItem, Render: renderStrayTabItem, Collect: func(n ast.Node, c Collector) {
			t := n.(*TabItem)
			if t.ID != "" {
				t.ID = c.Name(t.ID, c.Text(t.FirstChild()))
			}
		}},
	}
}

// semanticColors are sphinx-design's colour names.
var semanticColors = []string{"primary", "secondary", "success", "info", "warning", "danger", "light", "muted", "dark", "white", "black"}

var (
	marginDoc  = "one value for all sides or four (top bottom left right), each 0–5 or `auto`"
	paddingDoc = "one value for all sides or four (top bottom left right), each 0–5"
	columnsDoc = "one value or four (xs sm md lg breakpoints), each 1–12 or `auto`"
)

// cardOptions are the options of {card}; {grid-item-card} shares them but
// for margin.
var cardOptions = []OptionSpec{
	{Name: "width", Type: Choice, Choices: []string{"auto", "25%", "50%", "75%", "100%"}, Doc: "the card's width"},
	{Name: "margin", Type: Required, Doc: "the card's outer space (`sd-m*` classes): " + marginDoc + "; default `sd-mb-3`"},
	{Name: "text-align", Type: Choice, Choices: []string{"left", "right", "center", "justify"}, Doc: "text alignment"},
	{Name: "img-top", Type: Required, Doc: "an image above the content"},
	{Name: "img-bottom", Type: Required, Doc: "an image below the content"},
	{Name: "img-background", Type: Required, Doc: "an image behind the content"},
	{Name: "img-alt", Type: Text, Doc: "alternative text of the images"},
	{Name: "link", Type: Required, Doc: "make the whole card a link to this target (see `link-type`)"},
	{Name: "link-type", Type: Choice, Choices: []string{"url", "any", "ref", "doc"}, Doc: "what `link` is: a URL (default), a document, a label, or `any`: a document if it has a `/` or ends in `.md`, else a label"},
	{Name: "link-alt", Type: Text, Doc: "the link's accessible text (default: the target)"},
	{Name: "shadow", Type: Choice, Choices: []string{"none", "sm", "md", "lg"}, Doc: "shadow size (default `sm`)"},
	{Name: "class-card", Type: Classes, Doc: "extra classes of the card"},
	{Name: "class-header", Type: Classes, Doc: "extra classes of the header"},
	{Name: "class-body", Type: Classes, Doc: "extra classes of the body"},
	{Name: "class-title", Type: Classes, Doc: "extra classes of the title"},
	{Name: "class-footer", Type: Classes, Doc: "extra classes of the footer"},
	{Name: "class-img-top", Type: Classes, Doc: "extra classes of the top image"},
	{Name: "class-img-bottom", Type: Classes, Doc: "extra classes of the bottom image"},
}

const cardDoc = "The argument is an optional title. A line of `^^^` ends a header, a line of `+++` starts a footer (split before parsing)."

func designGridSpec() *Spec {
	return &Spec{
		Name: "grid", Doc: "A responsive grid of `grid-item` and `grid-item-card` children; the argument is the number of columns: " + columnsDoc + ".",
		OptionalArgs: 1, FinalArgWhitespace: true, Body: Markdown, BodyRequired: true,
		Options: []OptionSpec{
			{Name: "gutter", Type: Required, Doc: "space between items: one value or four (xs sm md lg), each 0–5"},
			{Name: "margin", Type: Required, Doc: "outer space: " + marginDoc + "; default `sd-mb-4`"},
			{Name: "padding", Type: Required, Doc: "inner space: " + paddingDoc},
			{Name: "outline", Type: Flag, Doc: "draw a border around the grid"},
			{Name: "reverse", Type: Flag, Doc: "lay the items out in reverse order"},
			{Name: "class-container", Type: Classes, Doc: "extra classes of the outer container"},
			{Name: "class-row", Type: Classes, Doc: "extra classes of the row"},
		},
		Run: func(c *Call) []ast.Node {
			var cols []string
			if len(c.Args) > 0 {
				cols = c.mediaClasses(c.Args[0], "columns", c.ArgPos, "sd-row-cols-", true, 1, 12)
			}
			container := &Design{Component: "grid", Tag: "div", Classes: join(
				[]string{"sd-container-fluid", "sd-sphinx-override"}, c.spacing("margin", "sd-m", "sd-mb-4"),
				c.spacing("padding", "sd-p", ""), flag(c, "outline", "sd-border-1"), c.ClassesOpt("class-container"))}
			row := &Design{Component: "grid-row", Tag: "div", Classes: join([]string{"sd-row"}, cols,
				c.mediaOpt("gutter", "sd-g-", false, 0, 5), flag(c, "reverse", "sd-flex-row-reverse"), c.ClassesOpt("class-row"))}
			body := c.ParseBody()
			c.checkChildren(body, "grid-item", "all children of a grid should be grid-item or grid-item-card")
			row.AppendChild(row, body)
			container.AppendChild(container, row)
			return []ast.Node{container}
		},
		Nodes: designNodes(),
	}
}

func designGridItemSpec() *Spec {
	return &Spec{
		Name: "grid-item", Doc: "One cell of a `grid`.",
		Body: Markdown,
		Options: []OptionSpec{
			{Name: "columns", Type: Required, Doc: "how many of the 12 columns the item spans: " + columnsDoc},
			{Name: "margin", Type: Required, Doc: "outer space: " + marginDoc},
			{Name: "padding", Type: Required, Doc: "inner space: " + paddingDoc},
			{Name: "child-direction", Type: Choice, Choices: []string{"column", "row"}, Doc: "lay the children out as a column (default) or a row"},
			{Name: "child-align", Type: Choice, Choices: []string{"start", "end", "center", "justify", "spaced"}, Doc: "align the children along the direction"},
			{Name: "outline", Type: Flag, Doc: "draw a border around the item"},
			{Name: "class", Type: Classes, Doc: "extra classes"},
		},
		Run: func(c *Call) []ast.Node {
			item := &Design{Component: "grid-item", Tag: "div", Classes: join(
				[]string{"sd-col", "sd-d-flex-" + cmpOr(c.Opt("child-direction"), "column")},
				c.mediaOpt("columns", "sd-col-", true, 1, 12), c.spacing("margin", "sd-m", ""), c.spacing("padding", "sd-p", ""),
				prefixed("sd-align-major-", c.Opt("child-align")), flag(c, "outline", "sd-border-1"), c.ClassesOpt("class"))}
			item.AppendChild(item, c.ParseBody())
			return []ast.Node{item}
		},
		Nodes: designNodes(),
	}
}

func designGridItemCardSpec() *Spec {
	opts := []OptionSpec{
		{Name: "columns", Type: Required, Doc: "how many of the 12 columns the item spans: " + columnsDoc},
		{Name: "margin", Type: Required, Doc: "outer space of the grid item: " + marginDoc},
		{Name: "padding", Type: Required, Doc: "inner space of the grid item: " + paddingDoc},
		{Name: "class-item", Type: Classes, Doc: "extra classes of the grid item"},
	}
	for _, o := range cardOptions {
		if o.Name != "margin" {
			opts = append(opts, o)
		}
	}
	return &Spec{
		Name: "grid-item-card", Doc: "A `grid` cell holding a card that fills it. " + cardDoc,
		OptionalArgs: 1, FinalArgWhitespace: true, Body: Markdown, Options: opts,
		Run: func(c *Call) []ast.Node {
			item := &Design{Component: "grid-item", Tag: "div", Classes: join([]string{"sd-col", "sd-d-flex-row"},
				c.mediaOpt("columns", "sd-col-", true, 1, 12), c.spacing("margin", "sd-m", ""), c.spacing("padding", "sd-p", ""),
				c.ClassesOpt("class-item"))}
			item.AppendChild(item, card(c, "100", nil))
			return []ast.Node{item}
		},
		Nodes: designNodes(),
	}
}

func designCardSpec() *Spec {
	return &Spec{
		Name: "card", Doc: "A card: a box with an optional title, header, footer and images; with `link` the whole card is one link. " + cardDoc,
		OptionalArgs: 1, FinalArgWhitespace: true, Body: Markdown, Options: cardOptions,
		Run: func(c *Call) []ast.Node {
			return []ast.Node{card(c, "", c.spacing("margin", "sd-m", "sd-mb-3"))}
		},
		Nodes: designNodes(),
	}
}

var (
	cardHeaderRe = regexp.MustCompile(`^\^{3,}\s*$`)
	cardFooterRe = regexp.MustCompile(`^\+{3,}\s*$`)
)

// card builds a card; width is the default width ("" for none), margin its
// margin classes.
func card(c *Call, width string, margin []string) *Design {
	if c.Has("width") {
		width = strings.TrimSuffix(c.Opt("width"), "%")
	}
	cd := &Design{Component: "card", Tag: "div", Classes: join([]string{"sd-card", "sd-sphinx-override"},
		prefixed("sd-w-", width), margin, []string{"sd-shadow-" + cmpOr(c.Opt("shadow"), "sm")},
		flag(c, "link", "sd-card-hover"), prefixed("sd-text-", c.Opt("text-align")), c.ClassesOpt("class-card"))}
	alt := c.Opt("img-alt")
	into := ast.Node(cd)
	if c.Has("img-background") {
		cd.AppendChild(cd, c.cardImage("img-background", []string{"sd-card-img"}, alt))
		overlay := &Design{Component: "card-overlay", Tag: "div", Classes: []string{"sd-card-img-overlay"}}
		cd.AppendChild(cd, overlay)
		into = overlay
	}
	if c.Has("img-top") {
		into.AppendChild(into, c.cardImage("img-top", append([]string{"sd-card-img-top"}, c.ClassesOpt("class-img-top")...), alt))
	}
	// Split the raw lines: the first ^^^ line ends the header, the last
	// +++ line starts the footer.
	var lines []string
	if c.Body != nil {
		lines = c.Body.Lines()
	}
	header, footer := -1, -1
	for i, l := range lines {
		if header < 0 && cardHeaderRe.MatchString(l) {
			header = i
		}
		if cardFooterRe.MatchString(l) {
			footer = i
		}
	}
	if footer >= 0 && footer < header {
		footer = -1 // a footer before the header: Sphinx keeps the header
	}
	part := func(name string, from, to int) *Design {
		d := &Design{Component: "card-" + name, Tag: "div", Classes: append([]string{"sd-card-" + name}, c.ClassesOpt("class-"+name)...)}
		if c.Body != nil && to > from {
			f := c.Env.Parse(c.Body.Slice(from, to))
			for p := f.FirstChild(); p != nil; p = p.NextSibling() {
				if para, ok := p.(*ast.Paragraph); ok {
					addClass(para, "sd-card-text")
				}
			}
			d.AppendChild(d, f)
		}
		return d
	}
	bodyFrom, bodyTo := 0, len(lines)
	if header >= 0 {
		into.AppendChild(into, part("header", 0, header))
		bodyFrom = header + 1
	}
	if footer >= 0 {
		bodyTo = footer
	}
	body := part("body", bodyFrom, bodyTo)
	if len(c.Args) > 0 {
		title := &Design{Component: "card-title", Tag: "div", Classes: append([]string{"sd-card-title", "sd-font-weight-bold"}, c.ClassesOpt("class-title")...)}
		title.AppendChild(title, c.ParseInline(c.Args[0], c.ArgPos))
		body.InsertBefore(body, body.FirstChild(), title)
	}
	into.AppendChild(into, body)
	if footer >= 0 {
		into.AppendChild(into, part("footer", footer+1, len(lines)))
	}
	if c.Has("img-bottom") {
		into.AppendChild(into, c.cardImage("img-bottom", append([]string{"sd-card-img-bottom"}, c.ClassesOpt("class-img-bottom")...), alt))
	}
	if c.Has("link") {
		typ := cmpOr(c.Opt("link-type"), "url")
		target := linkTarget(c.Opt("link"), typ)
		pos := c.OptPos("link")
		into.AppendChild(into, &DesignLink{LinkType: typ, Target: target, Classes: []string{"sd-stretched-link", "sd-hide-link-text"},
			Fallback: cmpOr(c.Opt("link-alt"), c.Opt("link")), Line: pos.Line, Col: pos.Col + len(":link: ")})
	}
	return cd
}

func (c *Call) cardImage(opt string, classes []string, alt string) *Image {
	pos := c.OptPos(opt)
	return &Image{URI: strings.Join(strings.Fields(c.Opt(opt)), ""), Alt: alt, Classes: classes,
		Line: pos.Line, Col: pos.Col + len(opt) + 3}
}

// linkTarget normalises a link as sphinx-design does: a URL loses all
// whitespace, a reference target has its runs of whitespace collapsed (and
// a ref is lowercased).
func linkTarget(v, typ string) string {
	switch typ {
	case "url":
		return strings.Join(strings.Fields(v), "")
	case "ref":
		return strings.ToLower(strings.Join(strings.Fields(v), " "))
	}
	return strings.Join(strings.Fields(v), " ")
}

func designCardCarouselSpec() *Spec {
	return &Spec{
		Name: "card-carousel", Doc: "A row of `card` children that scrolls sideways; the argument is how many cards show at once (1–12).",
		RequiredArgs: 1, Body: Markdown, BodyRequired: true,
		Options: []OptionSpec{{Name: "class", Type: Classes, Doc: "extra classes"}},
		Run: func(c *Call) []ast.Node {
			n, err := strconv.Atoi(c.Args[0])
			if err != nil || n < 1 || n > 12 {
				c.Errorf(c.ArgPos, "card-carousel: the argument must be a number of cards from 1 to 12, not %q", c.Args[0])
				return nil
			}
			d := &Design{Component: "card-carousel", Tag: "div", Classes: join(
				[]string{"sd-sphinx-override", "sd-cards-carousel", "sd-card-cols-" + strconv.Itoa(n)}, c.ClassesOpt("class"))}
			body := c.ParseBody()
			c.checkChildren(body, "card", "all children of a card-carousel should be cards")
			d.AppendChild(d, body)
			return []ast.Node{d}
		},
		Nodes: designNodes(),
	}
}

func designTabSetSpec() *Spec {
	return &Spec{
		Name: "tab-set", Doc: "Tabs: each `tab-item` child is one tab. They switch without JavaScript; tabs with the same `sync` key switch together, on every page, and the choice is remembered.",
		Body: Markdown, BodyRequired: true,
		Options: []OptionSpec{
			{Name: "sync-group", Type: Required, Doc: "the group the tabs' `sync` keys belong to (default `tab`)"},
			{Name: "class", Type: Classes, Doc: "extra classes"},
		},
		Run: func(c *Call) []ast.Node {
			set := &TabSet{Classes: append([]string{"sd-tab-set"}, c.ClassesOpt("class")...)}
			body := c.ParseBody()
			group := cmpOr(c.Opt("sync-group"), "tab")
			warned := false
			for _, ch := range fragmentChildren(body) {
				switch n := ch.n.(type) {
				case *TabItem:
					if n.SyncID != "" {
						n.SyncGroup = group
					}
					set.AppendChild(set, n)
				case *Target, *Comment:
					set.AppendChild(set, n) // labels before a tab still resolve
				default:
					if !warned {
						c.Warnf(ch.src.Pos(n.Pos()), "all children of a tab-set should be tab-item; other content is left out")
						warned = true
					}
				}
			}
			return []ast.Node{set}
		},
		Nodes: designNodes(),
	}
}

func designTabItemSpec() *Spec {
	return &Spec{
		Name: "tab-item", Doc: "One tab of a `tab-set`; the argument is its label.",
		RequiredArgs: 1, FinalArgWhitespace: true, Body: Markdown, BodyRequired: true,
		Options: []OptionSpec{
			{Name: "selected", Type: Flag, Doc: "show this tab first (else the first tab)"},
			{Name: "sync", Type: Required, Doc: "a key: choosing this tab chooses the tabs with the same key in the same `sync-group`, here and on other pages"},
			{Name: "name", Type: Text, Doc: "a label `{ref}` can link to; a link to it opens the tab"},
			{Name: "class-container", Type: Classes, Doc: "accepted for compatibility; sphinx-design drops it from HTML too"},
			{Name: "class-label", Type: Classes, Doc: "extra classes of the label"},
			{Name: "class-content", Type: Classes, Doc: "extra classes of the panel"},
		},
		Run: func(c *Call) []ast.Node {
			label := &Design{Component: "tab-label", Tag: "span"}
			label.AppendChild(label, c.ParseInline(c.Args[0], c.ArgPos))
			panel := &Design{Component: "tab-content", Tag: "div"}
			panel.AppendChild(panel, c.ParseBody())
			t := &TabItem{Selected: c.Has("selected"), SyncID: c.Opt("sync"), ID: MakeID(c.Opt("name")),
				LabelClasses: c.ClassesOpt("class-label"), ContentClasses: c.ClassesOpt("class-content")}
			t.AppendChild(t, label)
			t.AppendChild(t, panel)
			return []ast.Node{t}
		},
		Nodes: designNodes(),
	}
}

func designTabSetCodeSpec() *Spec {
	return &Spec{
		Name: "tab-set-code", Doc: "Tabs made of code blocks, one tab per block, labelled with its language; they switch together across the site by language.",
		Body: Markdown, BodyRequired: true,
		Options: []OptionSpec{
			{Name: "no-sync", Type: Flag, Doc: "do not switch together with other code tabs"},
			{Name: "sync-group", Type: Required, Doc: "the group the language keys belong to (default `code`)"},
			{Name: "class-set", Type: Classes, Doc: "extra classes of the tab set"},
			{Name: "class-item", Type: Classes, Doc: "extra classes of each panel"},
		},
		Run: func(c *Call) []ast.Node {
			set := &TabSet{Classes: append([]string{"sd-tab-set"}, c.ClassesOpt("class-set")...)}
			body := c.ParseBody()
			warned := false
			for _, ch := range fragmentChildren(body) {
				n, lang := ch.n, ""
				switch b := n.(type) {
				case *CodeBlock:
					lang = b.Lang
				case *ast.FencedCodeBlock:
					lang = string(b.Language(ch.src.Text))
				case *Target, *Comment:
					set.AppendChild(set, n)
					continue
				default:
					if !warned {
						c.Warnf(ch.src.Pos(n.Pos()), "all children of a tab-set-code should be code blocks; other content is left out")
						warned = true
					}
					continue
				}
				lang = cmpOr(lang, "unknown")
				label := &Design{Component: "tab-label", Tag: "span"}
				label.AppendChild(label, ast.NewString([]byte(strings.ToUpper(lang))))
				panel := &Design{Component: "tab-content", Tag: "div"}
				frag := &Fragment{Source: ch.src}
				frag.AppendChild(frag, n)
				panel.AppendChild(panel, frag)
				t := &TabItem{ContentClasses: c.ClassesOpt("class-item")}
				if !c.Has("no-sync") {
					t.SyncGroup, t.SyncID = cmpOr(c.Opt("sync-group"), "code"), lang
				}
				t.AppendChild(t, label)
				t.AppendChild(t, panel)
				set.AppendChild(set, t)
			}
			return []ast.Node{set}
		},
		Nodes: designNodes(),
	}
}

func designDropdownSpec() *Spec {
	return &Spec{
		Name: "dropdown", Doc: "A box that opens and closes (a `<details>` element); the argument is its title.",
		OptionalArgs: 1, FinalArgWhitespace: true, Body: Markdown,
		Options: []OptionSpec{
			{Name: "open", Type: Flag, Doc: "open at first"},
			{Name: "color", Type: Choice, Choices: semanticColors, Doc: "colour of the title bar"},
			{Name: "icon", Type: Required, Doc: "an octicon before the title"},
			{Name: "chevron", Type: Choice, Choices: []string{"right-down", "down-up"}, Doc: "the marker's direction, closed then open (default `right-down`)"},
			{Name: "animate", Type: Choice, Choices: []string{"fade-in", "fade-in-slide-down"}, Doc: "animate the opening"},
			{Name: "margin", Type: Required, Doc: "outer space: " + marginDoc + "; default `sd-mb-3`"},
			{Name: "name", Type: Text, Doc: "a label `{ref}` can link to"},
			{Name: "class-container", Type: Classes, Doc: "extra classes of the box"},
			{Name: "class-title", Type: Classes, Doc: "extra classes of the title"},
			{Name: "class-body", Type: Classes, Doc: "extra classes of the body"},
		},
		Run: func(c *Call) []ast.Node {
			d := &Design{Component: "dropdown", Tag: "details", ID: MakeID(c.Opt("name")), Classes: join(
				[]string{"sd-sphinx-override", "sd-dropdown", "sd-card"}, c.spacing("margin", "sd-m", "sd-mb-3"),
				c.ClassesOpt("class-container"), prefixed("sd-", c.Opt("animate")))}
			if c.Has("open") {
				d.Attrs = [][2]string{{"open", "open"}}
			}
			var titleClasses []string
			if col := c.Opt("color"); col != "" {
				titleClasses = []string{"sd-bg-" + col, "sd-bg-text-" + col}
			}
			summary := &Design{Component: "dropdown-title", Tag: "summary", Classes: join(
				[]string{"sd-summary-title", "sd-card-header"}, c.ClassesOpt("class-title"), titleClasses)}
			if c.Has("icon") {
				svg, err := octicon(c.Opt("icon"), "1em", nil)
				if err != nil {
					c.Errorf(c.OptPos("icon"), "dropdown: %v", err)
				} else {
					summary.AppendChild(summary, &Design{Component: "icon", Classes: []string{"sd-summary-icon"}, Tag: "span", HTML: svg})
				}
			}
			text := &Design{Component: "dropdown-text", Tag: "span", Classes: []string{"sd-summary-text"}}
			if len(c.Args) > 0 {
				text.AppendChild(text, c.ParseInline(c.Args[0], c.ArgPos))
				d.Title = text
			} else {
				text.HTML = mustOcticon("kebab-horizontal", "1.5em", []string{"no-title"})
			}
			summary.AppendChild(summary, text)
			marker := "chevron-right"
			if c.Opt("chevron") == "down-up" {
				marker = "chevron-down"
			}
			summary.AppendChild(summary, &Design{Component: "icon", Tag: "span",
				Classes: []string{"sd-summary-state-marker", "sd-summary-" + marker}, HTML: mustOcticon(marker, "1.5em", nil)})
			d.AppendChild(d, summary)
			body := &Design{Component: "dropdown-body", Tag: "div", Classes: append([]string{"sd-summary-content", "sd-card-body"}, c.ClassesOpt("class-body")...)}
			f := c.ParseBody()
			for p := f.FirstChild(); p != nil; p = p.NextSibling() {
				if para, ok := p.(*ast.Paragraph); ok {
					addClass(para, "sd-card-text")
				}
			}
			body.AppendChild(body, f)
			d.AppendChild(d, body)
			return []ast.Node{d}
		},
		Nodes: designNodes(),
	}
}

var buttonOptions = []OptionSpec{
	{Name: "color", Type: Choice, Choices: semanticColors, Doc: "the button's colour"},
	{Name: "outline", Type: Flag, Doc: "an outlined button in that colour"},
	{Name: "align", Type: Choice, Choices: []string{"left", "right", "center", "justify"}, Doc: "align the button in its paragraph"},
	{Name: "expand", Type: Flag, Doc: "as wide as its container"},
	{Name: "click-parent", Type: Flag, Doc: "make the enclosing box (a card) clickable too"},
	{Name: "tooltip", Type: Required, Doc: "a tooltip (the link's title)"},
	{Name: "shadow", Type: Flag, Doc: "add a shadow"},
	{Name: "class", Type: Classes, Doc: "extra classes"},
}

func designButtonLinkSpec() *Spec {
	return &Spec{
		Name: "button-link", Doc: "A button that links to a URL (the argument); the content, if any, is its text.",
		RequiredArgs: 1, FinalArgWhitespace: true, Body: Markdown, Options: buttonOptions,
		Run:   func(c *Call) []ast.Node { return button(c, "url") },
		Nodes: designNodes(),
	}
}

func designButtonRefSpec() *Spec {
	return &Spec{
		Name: "button-ref", Doc: "A button that links to a label or document of the site (the argument); the content, if any, is its text, else the target's title.",
		RequiredArgs: 1, FinalArgWhitespace: true, Body: Markdown,
		Options: append([]OptionSpec{{Name: "ref-type", Type: Choice, Choices: []string{"any", "ref", "doc", "myst"}, Doc: "what the target is: a label, a document, a Markdown link target (`myst`), or `any` (default): a document if it has a `/` or ends in `.md`, else a label"}}, buttonOptions...),
		Run: func(c *Call) []ast.Node {
			return button(c, cmpOr(c.Opt("ref-type"), "any"))
		},
		Nodes: designNodes(),
	}
}

func button(c *Call, typ string) []ast.Node {
	classes := []string{"sd-sphinx-override", "sd-btn", "sd-text-wrap"}
	if col := c.Opt("color"); col != "" {
		if c.Has("outline") {
			classes = append(classes, "sd-btn-outline-"+col)
		} else {
			classes = append(classes, "sd-btn-"+col)
		}
	}
	classes = join(classes, flag(c, "click-parent", "sd-stretched-link"), flag(c, "shadow", "sd-shadow-sm"), c.ClassesOpt("class"))
	target := linkTarget(c.Args[0], typ)
	link := &DesignLink{LinkType: typ, Target: target, Classes: classes, Tooltip: c.Opt("tooltip"), Fallback: target,
		AutoText: typ != "url", Line: c.ArgPos.Line, Col: c.ArgPos.Col}
	if c.Body != nil {
		f := c.ParseBody()
		// The content is inline text: unwrap a single paragraph.
		if p, ok := f.FirstChild().(*ast.Paragraph); ok && f.ChildCount() == 1 {
			inline := &Fragment{Source: f.Source, Inline: true}
			for ch := p.FirstChild(); ch != nil; {
				next := ch.NextSibling()
				inline.AppendChild(inline, ch)
				ch = next
			}
			f = inline
		}
		link.AppendChild(link, f)
	}
	var node ast.Node = link
	if c.Has("expand") {
		grid := &Design{Component: "button-expand", Tag: "span", Classes: []string{"sd-d-grid"}}
		grid.AppendChild(grid, link)
		node = grid
	}
	p := &Design{Component: "button", Tag: "p", Classes: prefixed("sd-text-", c.Opt("align"))}
	p.AppendChild(p, node)
	return []ast.Node{p}
}

func designArticleInfoSpec() *Spec {
	return &Spec{
		Name: "article-info", Doc: "A byline for an article: an avatar, the author, the date (with a calendar icon) and the reading time (with a clock icon), each optional. It takes no argument or content; the author, date and read-time are inline Markdown.",
		Body: NoBody,
		Options: []OptionSpec{
			{Name: "avatar", Type: Required, Doc: "an image shown as a round avatar before the text (a path or URL)"},
			{Name: "avatar-alt", Type: Text, Doc: "alternative text of the avatar"},
			{Name: "avatar-link", Type: Required, Doc: "make the avatar a link to this URL or page (checked like any link)"},
			{Name: "avatar-outline", Type: Choice, Choices: semanticColors, Doc: "draw a border of this colour around the avatar"},
			{Name: "author", Type: Required, Doc: "the author (inline Markdown)"},
			{Name: "date", Type: Required, Doc: "the date, shown after a calendar octicon (inline Markdown)"},
			{Name: "read-time", Type: Required, Doc: "the reading time, like `5 min read`, shown after a clock octicon (inline Markdown)"},
			{Name: "class-container", Type: Classes, Doc: "extra classes of the outer container"},
			{Name: "class-avatar", Type: Classes, Doc: "extra classes of the avatar image"},
		},
		Run: func(c *Call) []ast.Node {
			div := func(component string, classes ...[]string) *Design {
				return &Design{Component: component, Tag: "div", Classes: join(classes...)}
			}
			item := func() *Design {
				return div("grid-item", []string{"sd-col", "sd-col-auto", "sd-d-flex-row", "sd-align-minor-center"})
			}
			top := div("grid", []string{"sd-container-fluid", "sd-sphinx-override", "sd-p-0", "sd-mt-2", "sd-mb-4"}, c.ClassesOpt("class-container"))
			row := div("grid-row", []string{"sd-row", "sd-row-cols-2", "sd-gx-2", "sd-gy-1"})
			top.AppendChild(top, row)
			if c.Has("avatar") {
				col := item()
				img := c.cardImage("avatar", join([]string{"sd-avatar-sm"}, prefixed("sd-outline-", c.Opt("avatar-outline")), c.ClassesOpt("class-avatar")), c.Opt("avatar-alt"))
				if c.Has("avatar-link") {
					pos := c.OptPos("avatar-link")
					link := &DesignLink{LinkType: "url", Target: linkTarget(c.Opt("avatar-link"), "url"), ImageRef: true,
						Line: pos.Line, Col: pos.Col + len(":avatar-link: ")}
					link.AppendChild(link, img)
					col.AppendChild(col, link)
				} else {
					col.AppendChild(col, img)
				}
				row.AppendChild(row, col)
			}
			info := div("grid-item", []string{"sd-col", "sd-d-flex-row", "sd-align-minor-center"})
			row.AppendChild(row, info)
			grid := div("grid", []string{"sd-container-fluid", "sd-sphinx-override"})
			info.AppendChild(info, grid)
			fields := div("grid-row", []string{"sd-row", "sd-row-cols-2", "sd-row-cols-xs-2", "sd-row-cols-sm-3", "sd-row-cols-md-3", "sd-row-cols-lg-3", "sd-gx-3", "sd-gy-1"})
			grid.AppendChild(grid, fields)
			for _, f := range []struct{ opt, icon string }{{"author", ""}, {"date", "calendar"}, {"read-time", "clock"}} {
				if !c.Has(f.opt) {
					continue
				}
				p := &Design{Component: "article-info-" + f.opt, Tag: "p", Classes: []string{"sd-p-0", "sd-m-0"}}
				if f.icon != "" {
					p.HTML = mustOcticon(f.icon, "16px", []string{"sd-pr-2"})
				}
				pos := c.OptPos(f.opt)
				pos.Col += len(f.opt) + 3
				p.AppendChild(p, c.ParseInline(c.Opt(f.opt), pos))
				col := item()
				col.AppendChild(col, p)
				fields.AppendChild(fields, col)
			}
			return []ast.Node{top}
		},
		Nodes: designNodes(),
	}
}

// designRefKind says how the site resolves a link of a card or button.
func designRefKind(typ, target string) string {
	switch typ {
	case "doc", "ref":
		return typ
	case "any":
		if strings.HasSuffix(target, ".md") {
			return "doc"
		}
		return "any" // the site tries a label, then a document
	}
	return "link" // url, myst
}

func designLinkRefs(n ast.Node, r Referrer) {
	l := n.(*DesignLink)
	pos := r.Pos()
	pos.Line, pos.Col = l.Line, l.Col
	kind := designRefKind(l.LinkType, l.Target)
	target := l.Target
	if kind == "doc" || kind == "any" {
		target = strings.TrimSuffix(target, ".md")
	}
	r.Ref(kind, target, pos, func(url, title string, ok bool) {
		l.URL, l.Resolved = url, ok
		if !ok && kind == "link" {
			l.URL, l.Resolved = l.Target, true // a URL is written as given
		}
		if ok && l.AutoText && title != "" {
			l.Fallback = title
		}
	})
}

func renderDesignLink(w util.BufWriter, n ast.Node, entering bool, r RenderContext) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	l := n.(*DesignLink)
	tag := "a"
	classes := slices.Clone(l.Classes)
	switch {
	case !l.Resolved:
		tag = "span"
		classes = append(classes, "xref", "missing")
	case l.LinkType == "url" && (strings.Contains(l.URL, ":") || strings.HasPrefix(l.URL, "//")):
		classes = append(classes, "reference", "external")
	default:
		classes = append(classes, "reference", "internal")
	}
	if img, ok := l.FirstChild().(*Image); ok && l.ImageRef {
		if tag == "a" {
			classes = append(classes, "image-reference")
		}
		fmt.Fprintf(w, "<%s", tag)
		attr(w, "class", strings.Join(classes, " "))
		if tag == "a" {
			fmt.Fprintf(w, ` href="%s"`, html.EscapeString(l.URL))
		}
		w.WriteString(">")
		writeImg(w, img)
		fmt.Fprintf(w, "</%s>\n", tag)
		return ast.WalkSkipChildren, nil
	}
	fmt.Fprintf(w, "<%s", tag)
	attr(w, "class", strings.Join(classes, " "))
	if tag == "a" {
		fmt.Fprintf(w, ` href="%s"`, html.EscapeString(l.URL))
	}
	attr(w, "title", l.Tooltip)
	w.WriteString("><span>")
	if l.FirstChild() == nil {
		w.WriteString(html.EscapeString(l.Fallback))
	}
	for ch := l.FirstChild(); ch != nil; ch = ch.NextSibling() {
		if err := r.Render(w, nil, ch); err != nil {
			return ast.WalkStop, err
		}
	}
	fmt.Fprintf(w, "</span></%s>", tag)
	if p, ok := n.Parent().(*Design); ok && (p.Component == "card" || p.Component == "card-overlay") {
		w.WriteString("\n")
	}
	return ast.WalkSkipChildren, nil
}

func renderDesign(w util.BufWriter, n ast.Node, entering bool, _ RenderContext) (ast.WalkStatus, error) {
	d := n.(*Design)
	if d.Tag == "" {
		if entering {
			w.WriteString(d.HTML)
		}
		return ast.WalkContinue, nil
	}
	if !entering {
		fmt.Fprintf(w, "</%s>", d.Tag)
		if d.Tag != "span" {
			w.WriteString("\n")
		}
		return ast.WalkContinue, nil
	}
	classes := d.Classes
	if d.Tag == "div" {
		classes = append(slices.Clone(classes), "docutils")
	}
	fmt.Fprintf(w, "<%s", d.Tag)
	attr(w, "class", strings.Join(classes, " "))
	attr(w, "id", d.ID)
	for _, a := range d.Attrs {
		attr(w, a[0], a[1])
	}
	w.WriteString(">")
	if f, inline := d.FirstChild().(*Fragment); (d.Tag == "div" || d.Tag == "details") && !(inline && f.Inline) {
		w.WriteString("\n")
	}
	w.WriteString(d.HTML)
	return ast.WalkContinue, nil
}

// numberTabSets numbers every tab set of t's page and its tabs, in
// document order as sphinx-design does, when the first one is collected,
// and decides which tab of each set is checked.
func numberTabSets(t *TabSet) {
	if t.numbered {
		return
	}
	root := ast.Node(t)
	for root.Parent() != nil {
		root = root.Parent()
	}
	sets, items := 0, 0
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		set, ok := n.(*TabSet)
		if !entering || !ok || set.numbered {
			return ast.WalkContinue, nil
		}
		set.num, set.numbered = sets, true
		sets++
		var tabs []*TabItem
		for ch := set.FirstChild(); ch != nil; ch = ch.NextSibling() {
			if ti, ok := ch.(*TabItem); ok {
				ti.num = items
				items++
				tabs = append(tabs, ti)
			}
		}
		checked := slices.IndexFunc(tabs, func(ti *TabItem) bool { return ti.Selected })
		if len(tabs) > 0 {
			tabs[max(checked, 0)].checked = true
		}
		return ast.WalkContinue, nil
	})
}

func renderTabSet(w util.BufWriter, n ast.Node, entering bool, r RenderContext) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	set := n.(*TabSet)
	w.WriteString("<div")
	attr(w, "class", strings.Join(append(slices.Clone(set.Classes), "docutils"), " "))
	w.WriteString(">\n")
	// Labels and anchors before the tabs first, as sphinx-design keeps them.
	for ch := set.FirstChild(); ch != nil; ch = ch.NextSibling() {
		if _, ok := ch.(*TabItem); !ok {
			if err := r.Render(w, nil, ch); err != nil {
				return ast.WalkStop, err
			}
		}
	}
	for ch := set.FirstChild(); ch != nil; ch = ch.NextSibling() {
		t, ok := ch.(*TabItem)
		if !ok {
			continue
		}
		id := "sd-tab-item-" + strconv.Itoa(t.num)
		fmt.Fprintf(w, `<input`)
		if t.checked {
			w.WriteString(` checked="checked"`)
		}
		fmt.Fprintf(w, ` id="%s" name="sd-tab-set-%d" type="radio">`+"\n", id, set.num)
		w.WriteString("<label")
		attr(w, "class", strings.Join(append([]string{"sd-tab-label"}, t.LabelClasses...), " "))
		if t.SyncID != "" && t.SyncGroup != "" {
			attr(w, "data-sync-group", t.SyncGroup)
			attr(w, "data-sync-id", t.SyncID)
		}
		attr(w, "for", id)
		attr(w, "id", t.ID)
		attr(w, "aria-controls", id+"-content")
		w.WriteString(">")
		if err := renderChildren(w, r, t.FirstChild()); err != nil {
			return ast.WalkStop, err
		}
		w.WriteString("</label>\n")
		fmt.Fprintf(w, `<div class="%s" id="%s-content">`+"\n",
			html.EscapeString(strings.Join(append(append([]string{"sd-tab-content"}, t.ContentClasses...), "docutils"), " ")), id)
		if err := renderChildren(w, r, t.LastChild()); err != nil {
			return ast.WalkStop, err
		}
		w.WriteString("</div>\n")
	}
	w.WriteString("</div>\n")
	return ast.WalkSkipChildren, nil
}

// renderStrayTabItem writes a tab-item outside a tab-set as a rubric and
// its content, as Sphinx does for non-HTML output.
func renderStrayTabItem(w util.BufWriter, n ast.Node, entering bool, r RenderContext) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	t := n.(*TabItem)
	w.WriteString(`<p class="rubric sd-tab-label"`)
	attr(w, "id", t.ID)
	w.WriteString(">")
	if err := renderChildren(w, r, t.FirstChild()); err != nil {
		return ast.WalkStop, err
	}
	w.WriteString("</p>\n<div class=\"sd-tab-content docutils\">\n")
	if err := renderChildren(w, r, t.LastChild()); err != nil {
		return ast.WalkStop, err
	}
	w.WriteString("</div>\n")
	return ast.WalkSkipChildren, nil
}

// renderChildren writes the children of a label or panel (not the element).
func renderChildren(w util.BufWriter, r RenderContext, n ast.Node) error {
	for ch := n.FirstChild(); ch != nil; ch = ch.NextSibling() {
		if err := r.Render(w, nil, ch); err != nil {
			return err
		}
	}
	return nil
}

// checkChildren warns once when a child of body is not the component want
// (labels, comments and blank fragments are fine).
func (c *Call) checkChildren(body *Fragment, want, message string) {
	for _, ch := range fragmentChildren(body) {
		switch n := ch.n.(type) {
		case *Target, *Comment:
			continue
		case *Design:
			if n.Component == want {
				continue
			}
		}
		c.Warnf(ch.src.Pos(ch.n.Pos()), "%s", message)
		return
	}
}

// child is a node of a directive body with the Source its text is in.
type child struct {
	n   ast.Node
	src *Source
}

// fragmentChildren lists a body's nodes, looking through nested fragments
// (an included file) and leaving out a failed directive's marker.
func fragmentChildren(f *Fragment) []child {
	var out []child
	for ch := f.FirstChild(); ch != nil; ch = ch.NextSibling() {
		switch ch := ch.(type) {
		case *Fragment:
			out = append(out, fragmentChildren(ch)...)
		case *ErrorMarker:
		default:
			out = append(out, child{ch, f.Source})
		}
	}
	return out
}

// mediaOpt reads a per-breakpoint option (columns, gutter) as classes.
func (c *Call) mediaOpt(name, prefix string, auto bool, lo, hi int) []string {
	if !c.Has(name) {
		return nil
	}
	return c.mediaClasses(c.Opt(name), name, c.OptPos(name), prefix, auto, lo, hi)
}

// mediaClasses turns one value or four (xs sm md lg) into prefixN,
// prefixxs-N, prefixsm-N, …, as sphinx-design does; a bad value is an error.
func (c *Call) mediaClasses(v, what string, pos diag.Pos, prefix string, auto bool, lo, hi int) []string {
	vals := strings.Fields(v)
	if len(vals) == 1 {
		vals = []string{vals[0], vals[0], vals[0], vals[0]}
	}
	ok := len(vals) == 4
	for _, x := range vals {
		n, err := strconv.Atoi(x)
		if !(auto && x == "auto") && (err != nil || n < lo || n > hi) {
			ok = false
		}
	}
	if !ok {
		kind := fmt.Sprintf("an integer from %d to %d", lo, hi)
		if auto {
			kind = "auto or " + kind
		}
		c.Errorf(pos, "%s: %s must be 1 or 4 values (xs sm md lg), each %s, not %q", c.Spec.Name, what, kind, v)
		return nil
	}
	out := []string{prefix + vals[0]}
	for i, size := range []string{"xs", "sm", "md", "lg"} {
		out = append(out, prefix+size+"-"+vals[i])
	}
	return out
}

// spacing reads a margin or padding option: one value (sd-m-2) or four for
// top, bottom, left and right (sd-mt-1 sd-mb-2 …); def is the class used
// when the option is absent.
func (c *Call) spacing(name, prefix, def string) []string {
	if !c.Has(name) {
		if def == "" {
			return nil
		}
		return []string{def}
	}
	vals := strings.Fields(c.Opt(name))
	ok := len(vals) == 1 || len(vals) == 4
	for _, v := range vals {
		if !(len(v) == 1 && v[0] >= '0' && v[0] <= '5' || v == "auto" && prefix == "sd-m") {
			ok = false
		}
	}
	if !ok {
		allowed := "0–5"
		if prefix == "sd-m" {
			allowed = "0–5 or auto"
		}
		c.Errorf(c.OptPos(name), "%s: %s must be one value or four (top bottom left right), each %s, not %q", c.Spec.Name, name, allowed, c.Opt(name))
		return nil
	}
	if len(vals) == 1 {
		return []string{prefix + "-" + vals[0]}
	}
	var out []string
	for i, side := range []string{"t", "b", "l", "r"} {
		out = append(out, prefix+side+"-"+vals[i])
	}
	return out
}

func flag(c *Call, name, class string) []string {
	if c.Has(name) {
		return []string{class}
	}
	return nil
}

func prefixed(prefix, v string) []string {
	if v == "" {
		return nil
	}
	return []string{prefix + v}
}

func join(parts ...[]string) []string {
	var out []string
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func addClass(n ast.Node, class string) {
	if v, ok := n.AttributeString("class"); ok {
		if b, ok := v.([]byte); ok {
			n.SetAttributeString("class", []byte(string(b)+" "+class))
			return
		}
	}
	n.SetAttributeString("class", []byte(class))
}
