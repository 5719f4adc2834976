package markdown

import (
	"strings"
	"testing"

	"github.com/docsgen/docsgen/internal/directives"
)

func mathPipeline(t testing.TB, f Features) (*Pipeline, string) {
	dir := t.TempDir()
	return New(Options{Registry: directives.NewRegistry(directives.Builtin()...),
		Files: &directives.Files{SourceRoot: dir, ProjectRoot: dir}, Features: f}), dir
}

func renderPage(t testing.TB, p *Pipeline, dir, src string) (string, *Doc) {
	t.Helper()
	doc := p.Parse(dir+"/page.md", []byte(src))
	Resolve(doc, nullResolver{})
	html, err := p.Render(doc)
	if err != nil {
		t.Fatal(err)
	}
	return string(html), doc
}

const (
	im  = `<span class="math notranslate nohighlight">\(`
	imE = `\)</span>`
)

// The dollarmath rules, one case each, as MyST-Parser documents them
// (mdit-py-plugins' dollarmath with MyST-Parser's defaults).
func TestDollarInline(t *testing.T) {
	cases := []struct {
		name, in, want string
		noSpace        bool
		noDigits       bool
	}{
		{name: "simple", in: "a $x^2$ b", want: "<p>a " + im + "x^2" + imE + " b</p>\n"},
		{name: "two", in: "$a$ and $b$", want: "<p>" + im + "a" + imE + " and " + im + "b" + imE + "</p>\n"},
		{name: "escaped opening", in: `\$x$ y`, want: "<p>$x$ y</p>\n"},
		{name: "escaped closing skipped", in: `$a \$ b$ c`, want: "<p>" + im + `a \$ b` + imE + " c</p>\n"},
		{name: "escaped backslash before closing", in: `$a\\$ b`, want: "<p>" + im + `a\\` + imE + " b</p>\n"},
		{name: "no closing", in: "costs $5 only", want: "<p>costs $5 only</p>\n"},
		{name: "empty is not math", in: "a $$ b", want: "<p>a $$ b</p>\n"},
		{name: "spaces allowed by default", in: "$ x $", want: "<p>" + im + " x " + imE + "</p>\n"},
		{name: "digits allowed by default", in: "1$x$2", want: "<p>1" + im + "x" + imE + "2</p>\n"},
		{name: "currency is math by default", in: "$5 and $10", want: "<p>" + im + "5 and " + imE + "10</p>\n"},
		{name: "no space after opening", noSpace: true, in: "$ x$ y", want: "<p>$ x$ y</p>\n"},
		{name: "no space before closing", noSpace: true, in: "$x $ y", want: "<p>$x $ y</p>\n"},
		{name: "no space, tight math", noSpace: true, in: "$x$ y", want: "<p>" + im + "x" + imE + " y</p>\n"},
		{name: "no digit before opening", noDigits: true, in: "1$x$", want: "<p>1$x$</p>\n"},
		{name: "no digit after closing", noDigits: true, in: "$5 and $10", want: "<p>$5 and $10</p>\n"},
		{name: "digits inside are fine", noDigits: true, in: "$5x$ y", want: "<p>" + im + "5x" + imE + " y</p>\n"},
		{name: "across lines", in: "a $x\ny$ b", want: "<p>a " + im + "x\ny" + imE + " b</p>\n"},
		{name: "html is escaped", in: "$a<b & c>d$", want: "<p>" + im + "a&lt;b &amp; c&gt;d" + imE + "</p>\n"},
		{name: "code span wins", in: "`$x$` $y$", want: "<p><code>$x$</code> " + im + "y" + imE + "</p>\n"},
		{name: "math wins over code span", in: "$a `b$ c`", want: "<p>" + im + "a `b" + imE + " c`</p>\n"},
		{name: "emphasis inside is TeX", in: "$a*b*c$", want: "<p>" + im + "a*b*c" + imE + "</p>\n"},
		{name: "role", in: "{math}`a_1 $ b`", want: "<p>" + im + "a_1 $ b" + imE + "</p>\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, dir := mathPipeline(t, Features{Dollarmath: true, DollarmathNoSpace: c.noSpace, DollarmathNoDigits: c.noDigits})
			got, doc := renderPage(t, p, dir, c.in)
			if got != c.want {
				t.Errorf("%q rendered\n%s\nwant\n%s", c.in, got, c.want)
			}
			if uses := strings.Contains(c.want, im); uses != (len(doc.Assets) == 1 && doc.Assets[0] == "katex") {
				t.Errorf("assets = %v, math present = %v", doc.Assets, uses)
			}
		})
	}
}

func TestDollarmathOffByDefault(t *testing.T) {
	p, dir := mathPipeline(t, Features{})
	got, doc := renderPage(t, p, dir, "a $x$ b\n\n$$\ny\n$$\n\n{math}`z`\n")
	want := "<p>a $x$ b</p>\n<p>$$\ny\n$$</p>\n<p>" + im + "z" + imE + "</p>\n"
	if got != want {
		t.Errorf("rendered\n%s\nwant\n%s", got, want)
	}
	if len(doc.Assets) != 1 {
		t.Errorf("the {math} role must load KaTeX: assets = %v", doc.Assets)
	}
}

const (
	dm  = "<div class=\"math notranslate nohighlight\">\n\\["
	dmE = "\\]</div>\n"
)

func TestDollarBlock(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"lines", "$$\na = 1\n$$\n", dm + "\na = 1\n" + dmE},
		{"one line", "$$a = 1$$\n", dm + "a = 1" + dmE},
		{"closing after text", "$$\na = 1$$\n", dm + "\na = 1" + dmE},
		{"text after opening", "$$ a\nb\n$$\n", dm + " a\nb\n" + dmE},
		{"blank lines inside align the equations", "$$\na\n\nb\n$$\n",
			dm + ` \begin{align}\begin{aligned}` + "\na\\\\b\n" + `\end{aligned}\end{align} ` + dmE},
		{"line breaks split", "$$\na \\\\ b\n$$\n", dm + `\begin{split}` + "\na \\\\ b\n" + `\end{split}` + dmE},
		{"label", "$$\ne = mc^2\n$$ (energy)\n",
			"<div class=\"math notranslate nohighlight\" id=\"equation-energy\">\n<span class=\"eqno\">(1)<a class=\"headerlink\" href=\"#equation-energy\" title=\"Link to this equation\">¶</a></span>\\[\ne = mc^2\n" + dmE},
		{"label on one line", "$$a$$ (my eq)\n",
			"<div class=\"math notranslate nohighlight\" id=\"equation-my-eq\">\n<span class=\"eqno\">(1)<a class=\"headerlink\" href=\"#equation-my-eq\" title=\"Link to this equation\">¶</a></span>\\[a" + dmE},
		{"unclosed is a paragraph", "$$\na = 1\n", "<p>$$\na = 1</p>\n"},
		// The lines stay in the paragraph; its first $ closes at once
		// (empty math is not math), the second opens inline math.
		{"does not interrupt a paragraph", "text\n$$\na\n$$\n", "<p>text\n$" + im + "\na\n" + imE + "$</p>\n"},
		{"in a blockquote", "> $$\n> a\n> $$\n", "<blockquote>\n" + dm + "\na\n" + dmE + "</blockquote>\n"},
		{"html escaped", "$$\na < b\n$$\n", dm + "\na &lt; b\n" + dmE},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, dir := mathPipeline(t, Features{Dollarmath: true})
			got, _ := renderPage(t, p, dir, c.in)
			// Paragraph and code rendering is goldmark's; compare the math.
			if got != c.want {
				t.Errorf("%q rendered\n%s\nwant\n%s", c.in, got, c.want)
			}
		})
	}
}

// Labelled equations are numbered in page order, wherever they are written:
// dollarmath, the directive, directive bodies.
func TestEquationNumbers(t *testing.T) {
	p, dir := mathPipeline(t, Features{Dollarmath: true})
	src := "$$a$$ (first)\n\n````{note}\n```{math}\n:label: second\nb\n```\n````\n\n$$c$$\n\n```{math} d\n:name: Third One\n```\n"
	got, doc := renderPage(t, p, dir, src)
	for i, id := range []string{"equation-first", "equation-second", "equation-third-one"} {
		if !doc.Anchors[id] {
			t.Errorf("anchor %s not collected: %v", id, doc.Anchors)
		}
		want := `<span class="eqno">(` + string(rune('1'+i)) + `)<a class="headerlink" href="#` + id + `"`
		if !strings.Contains(got, want) {
			t.Errorf("missing %s in\n%s", want, got)
		}
	}
	if !strings.Contains(got, `<span id="third-one"></span><div class="math notranslate nohighlight" id="equation-third-one">`) {
		t.Errorf(":name: anchor missing:\n%s", got)
	}
	for _, l := range doc.Labels {
		if l.ID == "equation-second" && l.Title != "(2)" {
			t.Errorf("label %+v: want title (2)", l)
		}
	}
	if diags := doc.Diags.Sorted(); len(diags) > 0 {
		t.Errorf("diagnostics: %v", diags)
	}
}

func TestMathDirective(t *testing.T) {
	p, dir := mathPipeline(t, Features{})
	got, doc := renderPage(t, p, dir, "```{math}\n:class: big\n:nowrap:\n\\begin{align} a &= b \\end{align}\n```\n\n```{math} x = 1\ny = 2\n```\n")
	want := "<div class=\"math notranslate nohighlight big\">\n\\begin{align} a &amp;= b \\end{align}</div>\n" +
		dm + ` \begin{align}\begin{aligned}x = 1\\y = 2\end{aligned}\end{align} ` + dmE
	if got != want {
		t.Errorf("rendered\n%s\nwant\n%s", got, want)
	}
	if len(doc.Assets) != 1 || doc.Assets[0] != "katex" {
		t.Errorf("assets = %v", doc.Assets)
	}
}

func TestIndentedDollarsAreCode(t *testing.T) {
	p, dir := mathPipeline(t, Features{Dollarmath: true})
	if got, doc := renderPage(t, p, dir, "    $$\n    a\n    $$\n"); strings.Contains(got, "math") || len(doc.Assets) > 0 {
		t.Errorf("indented $$ is math:\n%s", got)
	}
}

// FuzzDollarmath: the math parsers never panic, whatever the input.
func FuzzDollarmath(f *testing.F) {
	for _, s := range []string{"$a$", "$$\na\n$$ (x)", "> $$\n- $x\n$$", "\\$$ $$$", "$$$$", "$$ (a)", "a$\n$b"} {
		f.Add(s)
	}
	p, dir := mathPipeline(f, Features{Dollarmath: true, DollarmathNoSpace: true, DollarmathNoDigits: true})
	f.Fuzz(func(t *testing.T, src string) {
		renderPage(t, p, dir, src)
	})
}
