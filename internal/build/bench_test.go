package build

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/alecthomas/chroma/v2"
	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/alecthomas/chroma/v2/styles"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	gmtext "github.com/yuin/goldmark/text"

	"github.com/docsgen/docsgen/bench/corpus"
	"github.com/docsgen/docsgen/internal/config"
	"github.com/docsgen/docsgen/internal/render"
)

// corpusConfig writes an n-page docsgen corpus and returns its config.
func corpusConfig(b *testing.B, n int) *config.Config {
	b.Helper()
	dir := b.TempDir()
	if err := corpus.Write(dir, n, "docsgen"); err != nil {
		b.Fatal(err)
	}
	root := filepath.Join(dir, "docsgen")
	b.Chdir(root)
	cfg, err := config.Load("")
	if err != nil {
		b.Fatal(err)
	}
	return cfg
}

// BenchmarkBuild is a whole in-memory build of a 1,000-page corpus
// (parse, resolve, highlight, render, theme), without writing files.
func BenchmarkBuild(b *testing.B) {
	cfg := corpusConfig(b, 1000)
	b.ResetTimer()
	for b.Loop() {
		res, err := Build(context.Background(), Options{Config: cfg, Mode: DryRun})
		if err != nil || len(res.Diags) > 0 {
			b.Fatalf("build: %v %v", err, res.Diags)
		}
	}
	perPage(b, 1000)
}

// TestCachedNavEqualsUncached: the shared sidebar cache gives every page of
// a generated site exactly the sidebar computed for it alone.
func TestCachedNavEqualsUncached(t *testing.T) {
	dir := t.TempDir()
	if err := corpus.Write(dir, 250, "docsgen"); err != nil {
		t.Fatal(err)
	}
	t.Chdir(filepath.Join(dir, "docsgen"))
	cfg, err := config.Load("")
	if err != nil {
		t.Fatal(err)
	}
	a, _, err := index(context.Background(), cfg, false, false, nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	theme, err := render.LoadTheme("")
	if err != nil {
		t.Fatal(err)
	}
	r := theme.NewRenderer(a.Site)
	for _, p := range a.Site.Pages {
		if got, want := r.NavHTML(p), render.UncachedNavHTML(a.Site, p); got != want {
			t.Fatalf("%s: cached sidebar differs:\n got %.300s\nwant %.300s", p.Name, got, want)
		}
	}
}

// corpusPages returns the Markdown of every page of an n-page corpus.
func corpusPages(b *testing.B, n int) (*config.Config, [][]byte, []string) {
	cfg := corpusConfig(b, n)
	var texts [][]byte
	var files []string
	err := filepath.WalkDir(cfg.SourceDir(), func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".md") {
			data, rerr := os.ReadFile(p)
			texts, files = append(texts, data), append(files, p)
			return rerr
		}
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	return cfg, texts, files
}

func perPage(b *testing.B, pages int) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(pages)/1e6, "ms/page")
}

// BenchmarkParse is the MyST parse of every page of a 1,000-page corpus
// (directives expanded, literalincludes read, headings collected).
func BenchmarkParse(b *testing.B) {
	cfg, texts, files := corpusPages(b, 1000)
	a, _, err := index(context.Background(), cfg, false, false, nil, nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if err := parallel(context.Background(), len(texts), func(i int) error {
			a.Pipeline.Parse(files[i], texts[i])
			return nil
		}); err != nil {
			b.Fatal(err)
		}
	}
	perPage(b, len(texts))
}

// BenchmarkTemplate is the theme alone: every page of the corpus laid out
// around its (already rendered) body.
func BenchmarkTemplate(b *testing.B) {
	cfg, _, _ := corpusPages(b, 1000)
	a, _, err := index(context.Background(), cfg, false, false, nil, nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	theme, err := render.LoadTheme("")
	if err != nil {
		b.Fatal(err)
	}
	body := []byte(strings.Repeat("<p>text</p>\n", 100))
	b.ResetTimer()
	for b.Loop() {
		r := theme.NewRenderer(a.Site)
		if err := parallel(context.Background(), len(a.Site.Pages), func(i int) error {
			_, err := r.Page(a.Site.Pages[i], body)
			return err
		}); err != nil {
			b.Fatal(err)
		}
	}
	perPage(b, len(a.Site.Pages))
}

// BenchmarkFloor is the bare cost of the parts a build cannot avoid, on the
// same bytes and the same cores: goldmark (CommonMark + GFM) parsing and
// rendering every page, and chroma highlighting every fenced block once.
// Compare with BenchmarkBuild to see the overhead of everything else.
func BenchmarkFloor(b *testing.B) {
	_, texts, _ := corpusPages(b, 1000)
	md := goldmark.New(goldmark.WithExtensions(extension.GFM))
	type block struct{ lang, code string }
	blocks := make([][]block, len(texts))
	for i, t := range texts {
		doc := md.Parser().Parse(gmtext.NewReader(t))
		_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
			if fc, ok := n.(*ast.FencedCodeBlock); ok && entering {
				lang := string(fc.Language(t))
				if lexers.Get(lang) == nil {
					return ast.WalkContinue, nil // MyST directives are fences too
				}
				var code bytes.Buffer
				for j := 0; j < fc.Lines().Len(); j++ {
					seg := fc.Lines().At(j)
					code.Write(seg.Value(t))
				}
				blocks[i] = append(blocks[i], block{lang, code.String()})
			}
			return ast.WalkContinue, nil
		})
	}
	style := styles.Get("github")
	f := chromahtml.New(chromahtml.WithClasses(true))
	lexer := map[string]chroma.Lexer{}
	for _, l := range []string{"bash", "yaml", "python", "toml"} {
		lexer[l] = lexers.Get(l)
	}
	b.ResetTimer()
	for b.Loop() {
		if err := parallel(context.Background(), len(texts), func(i int) error {
			var out bytes.Buffer
			if err := md.Convert(texts[i], &out); err != nil {
				return err
			}
			for _, bl := range blocks[i] {
				l := lexer[bl.lang]
				if l == nil {
					continue
				}
				it, err := l.Tokenise(nil, bl.code)
				if err != nil {
					return err
				}
				if err := f.Format(&out, style, it); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			b.Fatal(err)
		}
	}
	perPage(b, len(texts))
}

// BenchmarkIncremental is the path serve takes for a one-paragraph edit:
// Session.Apply on a 10,000-page site (set DOCSGEN_BENCH_PAGES to change it).
func BenchmarkIncremental(b *testing.B) {
	n := 10000
	if v := os.Getenv("DOCSGEN_BENCH_PAGES"); v != "" {
		fmt.Sscan(v, &n)
	}
	cfg := corpusConfig(b, n)
	s, u, err := NewSession(context.Background(), cfg, SessionOptions{})
	if err != nil || u.Failed {
		b.Fatal(err, u)
	}
	page := filepath.Join(cfg.SourceDir(), "s03", "p0342.md")
	orig, err := os.ReadFile(page)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		text := strings.Replace(string(orig), "\n\n", fmt.Sprintf("\n\nEdit %d.\n\n", i), 1)
		if err := os.WriteFile(page, []byte(text), 0o644); err != nil {
			b.Fatal(err)
		}
		u, err := s.Apply(context.Background(), []string{page})
		if err != nil || u.Failed || u.Rendered != 1 {
			b.Fatalf("apply: %v %+v", err, u)
		}
	}
}

// BenchmarkCheck is what `docsgen linkcheck` runs for internal links: a
// Check build (parse, index, resolve every reference, no rendering) of a
// 1,000-page corpus (set DOCSGEN_BENCH_PAGES to change it).
func BenchmarkCheck(b *testing.B) {
	n := 1000
	if v := os.Getenv("DOCSGEN_BENCH_PAGES"); v != "" {
		fmt.Sscan(v, &n)
	}
	cfg := corpusConfig(b, n)
	b.ResetTimer()
	for b.Loop() {
		res, err := Build(context.Background(), Options{Config: cfg, Mode: Check})
		if err != nil || len(res.Diags) > 0 {
			b.Fatalf("check: %v %v", err, res.Diags)
		}
	}
	perPage(b, n)
}
