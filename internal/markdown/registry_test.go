package markdown

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/docsgen/docsgen/internal/checkref"
	"github.com/docsgen/docsgen/internal/directives"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/util"
)

func registryPipeline(t *testing.T) (*Pipeline, *directives.Registry, string) {
	dir := t.TempDir()
	reg := directives.NewRegistry(append(directives.Builtin(), checkref.Directives()...)...)
	return New(Options{Registry: reg, Files: &directives.Files{SourceRoot: dir, ProjectRoot: dir},
		Features: Features{Tables: true}}), reg, dir
}

// TestEveryDirectiveNodeRenders parses every kind of MyST node and checks
// that each node the directives package creates has a renderer in the
// registry: a directive that forgets a node kind in Spec.Nodes fails here.
func TestEveryDirectiveNodeRenders(t *testing.T) {
	p, reg, dir := registryPipeline(t)
	src := strings.Join([]string{
		"(top)=\n# Title\n% comment\n",
		":::{admonition} Custom {kbd}`Ctrl+C`\n:collapsible:\nbody\n:::\n",
		"```{note}\nbody\n```\n",
		"```{code-block} python\n:caption: Cap\n:name: code\nx = 1\n```\n",
		"```{toctree}\n:name: nav\nother\n```\n",
		"```{contents}\n```\n",
		"```{image} a.png\n:name: img\n```\n",
		"```{figure} a.png\n:name: fig\n\ncaption\n```\n",
		"```{glossary}\nTerm\n  def\n```\n",
		"```{container} box\n:name: ctr\nin\n```\n",
		":::bare\nin\n:::\n",
		"```{unknown}\n```\n",
		"{doc}`other` {ref}`top` {term}`Term` {download}`a.png` {sub}`x` {nope}`y`\n",
	}, "\n")
	doc := p.Parse(dir+"/page.md", []byte(src))
	Resolve(doc, nullResolver{})
	if _, err := p.Render(doc); err != nil {
		t.Fatal(err)
	}
	rendered := map[ast.NodeKind]bool{}
	for _, ns := range reg.Nodes() {
		rendered[ns.Kind] = true
	}
	pkg := reflect.TypeOf(directives.Fragment{}).PkgPath()
	seen := map[string]bool{}
	walk(doc.root, doc.root.Source, func(n ast.Node, _ *directives.Source, entering bool) ast.WalkStatus {
		if entering && reflect.TypeOf(n).Elem().PkgPath() == pkg {
			seen[n.Kind().String()] = true
			if !rendered[n.Kind()] {
				t.Errorf("node kind %v has no renderer in the registry", n.Kind())
			}
		}
		return ast.WalkContinue
	})
	if len(seen) < 15 {
		t.Errorf("only %d directive node kinds seen: %v", len(seen), seen)
	}
	for _, name := range []string{"code", "nav", "img", "fig", "ctr"} {
		if !doc.Anchors[name] {
			t.Errorf("anchor %q not collected", name)
		}
	}
	if len(doc.Terms) != 1 || len(doc.Toctrees) != 1 {
		t.Errorf("collected %d terms and %d toctrees, want 1 and 1", len(doc.Terms), len(doc.Toctrees))
	}
}

// TestDirectiveReferenceRenders renders the generated reference page: its
// Markdown (built from every Doc) must parse cleanly and name everything.
func TestDirectiveReferenceRenders(t *testing.T) {
	p, reg, dir := registryPipeline(t)
	doc := p.Parse(dir+"/reference.md", []byte("# Reference\n\n```{directive-reference}\n```\n"))
	if diags := doc.Diags.Sorted(); len(diags) > 0 {
		t.Fatalf("diagnostics: %v", diags)
	}
	// Docs are Markdown text: none may turn into raw HTML.
	walk(doc.root, doc.root.Source, func(n ast.Node, src *directives.Source, entering bool) ast.WalkStatus {
		if _, raw := n.(*ast.RawHTML); raw && entering {
			t.Errorf("a Doc holds raw HTML at %v", src.Pos(n.Pos()))
		}
		return ast.WalkContinue
	})
	Resolve(doc, nullResolver{})
	html, err := p.Render(doc)
	if err != nil {
		t.Fatal(err)
	}
	out := string(html)
	for _, s := range reg.Specs() {
		if !strings.Contains(out, `<span id="directive-`+s.Name+`"></span>`) {
			t.Errorf("directive %q is not on the rendered page", s.Name)
		}
	}
	for _, ro := range reg.Roles() {
		if !strings.Contains(out, "<code>{"+ro.Name+"}</code>") {
			t.Errorf("role %q is not on the rendered page", ro.Name)
		}
	}
}

// The seam a new directive plugs into: a Spec with its node, renderer and
// collect hook, and nothing else anywhere.
var kindRubric = ast.NewNodeKind("TestRubric")

type rubric struct {
	ast.BaseBlock
	ID string
}

func (n *rubric) Kind() ast.NodeKind     { return kindRubric }
func (n *rubric) Dump(src []byte, l int) { ast.DumpHelper(n, src, l, nil, nil) }

func rubricSpec() *directives.Spec {
	return &directives.Spec{
		Name: "rubric", Doc: "An informal heading that is not a section.",
		RequiredArgs: 1, FinalArgWhitespace: true,
		Options: []directives.OptionSpec{{Name: "name", Type: directives.Required, Doc: "a label"}},
		Run: func(c *directives.Call) []ast.Node {
			r := &rubric{ID: directives.MakeID(c.Opt("name"))}
			r.AppendChild(r, c.ParseInline(c.Args[0], c.ArgPos))
			return []ast.Node{r}
		},
		Nodes: []directives.NodeSpec{{Kind: kindRubric,
			Render: func(w util.BufWriter, n ast.Node, entering bool, r directives.RenderContext) (ast.WalkStatus, error) {
				if entering {
					fmt.Fprintf(w, `<p class="rubric" id="%s">`, n.(*rubric).ID)
				} else {
					w.WriteString("</p>\n")
				}
				return ast.WalkContinue, nil
			},
			Collect: func(n ast.Node, c directives.Collector) { c.Name(n.(*rubric).ID, c.Text(n)) },
		}},
	}
}

func TestDirectiveIsOneSpec(t *testing.T) {
	dir := t.TempDir()
	p := New(Options{Registry: directives.NewRegistry(append(directives.Builtin(), rubricSpec())...),
		Files: &directives.Files{SourceRoot: dir, ProjectRoot: dir}})
	doc := p.Parse(dir+"/page.md", []byte(":::{rubric} Notes *on* {kbd}`X`\n:name: notes\n:::\n"))
	if diags := doc.Diags.Sorted(); len(diags) > 0 {
		t.Fatalf("diagnostics: %v", diags)
	}
	Resolve(doc, nullResolver{})
	html, err := p.Render(doc)
	if err != nil {
		t.Fatal(err)
	}
	want := `<p class="rubric" id="notes">Notes <em>on</em> <kbd class="kbd docutils literal notranslate">X</kbd></p>` + "\n"
	if string(html) != want {
		t.Errorf("rendered\n%s\nwant\n%s", html, want)
	}
	if len(doc.Labels) != 1 || doc.Labels[0] != (Label{Name: "notes", ID: "notes", Title: "Notes on X", Pos: doc.Labels[0].Pos}) {
		t.Errorf("labels = %+v", doc.Labels)
	}
}
