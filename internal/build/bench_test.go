package build

import (
	"context"
	"path/filepath"
	"testing"

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
	theme, err := render.LoadTheme("")
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		res, err := Render(context.Background(), cfg, theme, nil)
		if err != nil || len(res.Diags) > 0 {
			b.Fatalf("build: %v %v", err, res.Diags)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1000/1e6, "ms/page")
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
	a, err := Analyze(context.Background(), cfg, nil)
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
