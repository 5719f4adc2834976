package directives

import (
	"fmt"
	"html"
	"strconv"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/util"
)

// {image} and {figure}.

var (
	KindImage  = ast.NewNodeKind("DirectiveImage")
	KindFigure = ast.NewNodeKind("Figure")
)

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

var imageNodes = []NodeSpec{{Kind: KindImage, Render: renderImage,
	Collect: func(n ast.Node, c Collector) { img := n.(*Image); img.ID = c.Name(img.ID, "") },
	Refs: func(n ast.Node, r Referrer) {
		img := n.(*Image)
		pos := r.Pos()
		pos.Line, pos.Col = img.Line, img.Col
		r.Ref("image", img.URI, pos, func(url, _ string, ok bool) {
			img.Resolved = img.URI
			if ok {
				img.Resolved = url
			}
		})
	},
}}

var imageOptions = []OptionSpec{
	{Name: "alt", Type: Text, Doc: "alternative text"},
	{Name: "width", Type: Length, Doc: "width, like 200px or 50%"},
	{Name: "height", Type: Length, Doc: "height"},
	{Name: "scale", Type: Length, Doc: "accepted for docutils compatibility"},
	{Name: "align", Type: Choice, Choices: []string{"left", "center", "right"}, Doc: "alignment"},
	{Name: "target", Type: Required, Doc: "make the image a link to this URL"},
	{Name: "loading", Type: Choice, Choices: []string{"embed", "link", "lazy"}, Doc: "lazy adds loading=lazy"},
	{Name: "class", Type: Classes, Doc: "extra CSS classes"},
	{Name: "name", Type: Required, Doc: "a label"},
}

func image(c *Call) *Image {
	uri := strings.Join(strings.Fields(c.Args[0]), "")
	return &Image{URI: uri, Alt: c.Opt("alt"), Width: c.Opt("width"), Height: c.Opt("height"), Align: c.Opt("align"),
		Target: c.Opt("target"), Classes: c.ClassesOpt("class"), ID: MakeID(c.Opt("name")),
		Line: c.ArgPos.Line, Col: c.ArgPos.Col}
}

func imageSpec() *Spec {
	return &Spec{
		Name: "image", Doc: "An image; the argument is its path or URL.",
		RequiredArgs: 1, FinalArgWhitespace: true, Options: imageOptions,
		Run:   func(c *Call) []ast.Node { return []ast.Node{image(c)} },
		Nodes: imageNodes,
	}
}

func figureSpec() *Spec {
	return &Spec{
		Name: "figure", Doc: "An image with a caption (the first paragraph) and a legend (the rest).",
		RequiredArgs: 1, FinalArgWhitespace: true,
		Options: append([]OptionSpec{
			{Name: "figwidth", Type: Length, Doc: "width of the figure"},
			{Name: "figclass", Type: Classes, Doc: "classes of the figure"},
		}, imageOptions...),
		Body: Markdown,
		Run: func(c *Call) []ast.Node {
			img := image(c)
			f := &Figure{Image: img, Align: img.Align, ID: img.ID, Classes: c.ClassesOpt("figclass"), Width: c.Opt("figwidth")}
			img.ID, img.Align = "", ""
			f.AppendChild(f, img)
			if c.Body == nil {
				c.Warnf(c.Pos, "figure without caption and legend")
				return []ast.Node{f}
			}
			f.AppendChild(f, c.ParseBody())
			return []ast.Node{f}
		},
		Nodes: append([]NodeSpec{{Kind: KindFigure, Render: renderFigure, Collect: func(n ast.Node, c Collector) {
			caption := ""
			if body, ok := n.LastChild().(*Fragment); ok {
				if p, ok := body.FirstChild().(*ast.Paragraph); ok {
					caption = c.Text(p)
				}
			}
			c.Title(caption)
			f := n.(*Figure)
			f.ID = c.Name(f.ID, caption)
		}}}, imageNodes...),
	}
}

func writeImg(w util.BufWriter, img *Image) {
	w.WriteString("<img")
	attr(w, "src", img.Resolved)
	fmt.Fprintf(w, ` alt="%s"`, html.EscapeString(img.Alt))
	cls := img.Classes
	if img.Align != "" {
		cls = append([]string{"align-" + img.Align}, cls...)
	}
	attr(w, "class", strings.Join(cls, " "))
	attr(w, "id", img.ID)
	var style []string
	if img.Width != "" {
		style = append(style, "width: "+cssLength(img.Width))
	}
	if img.Height != "" {
		style = append(style, "height: "+cssLength(img.Height))
	}
	attr(w, "style", strings.Join(style, "; "))
	w.WriteString(" />")
}

// cssLength gives a unitless length its px.
func cssLength(v string) string {
	if _, err := strconv.ParseFloat(v, 64); err == nil {
		return v + "px"
	}
	return v
}

func renderImage(w util.BufWriter, n ast.Node, entering bool, _ RenderContext) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	img := n.(*Image)
	if img.Target != "" {
		fmt.Fprintf(w, `<a class="reference external image-reference" href="%s">`, html.EscapeString(img.Target))
	}
	writeImg(w, img)
	if img.Target != "" {
		w.WriteString("</a>")
	}
	w.WriteString("\n")
	return ast.WalkSkipChildren, nil
}

func renderFigure(w util.BufWriter, n ast.Node, entering bool, r RenderContext) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	f := n.(*Figure)
	w.WriteString("<figure")
	cls := f.Classes
	if f.Align != "" {
		cls = append([]string{"align-" + f.Align}, cls...)
	}
	attr(w, "class", strings.Join(cls, " "))
	attr(w, "id", f.ID)
	if f.Width != "" {
		attr(w, "style", "width: "+cssLength(f.Width))
	}
	w.WriteString(">\n")
	if _, err := renderImage(w, f.Image, true, r); err != nil {
		return ast.WalkStop, err
	}
	if body, ok := f.LastChild().(*Fragment); ok {
		// The first paragraph is the caption, the rest the legend.
		first := true
		for c := body.FirstChild(); c != nil; c = c.NextSibling() {
			if first {
				first = false
				if _, isPara := c.(*ast.Paragraph); isPara {
					w.WriteString("<figcaption>\n<p><span class=\"caption-text\">")
					for ic := c.FirstChild(); ic != nil; ic = ic.NextSibling() {
						if err := r.Render(w, body.Source.Text, ic); err != nil {
							return ast.WalkStop, err
						}
					}
					w.WriteString("</span></p>\n")
					if c.NextSibling() != nil {
						w.WriteString("<div class=\"legend\">\n")
					}
					continue
				}
				w.WriteString("<figcaption>\n<div class=\"legend\">\n")
			}
			if err := r.Render(w, body.Source.Text, c); err != nil {
				return ast.WalkStop, err
			}
			if c.NextSibling() == nil {
				w.WriteString("</div>\n")
			}
		}
		if !first {
			w.WriteString("</figcaption>\n")
		}
	}
	w.WriteString("</figure>\n")
	return ast.WalkSkipChildren, nil
}
