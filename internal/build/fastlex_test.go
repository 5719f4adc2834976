package build

import (
	"context"
	"maps"
	"path/filepath"
	"slices"
	"testing"

	"github.com/docsgen/docsgen/bench/corpus"
	"github.com/docsgen/docsgen/internal/config"
)

// TestFastLexersSameHTML builds the shipped site and a bench corpus with
// the fast lexers and with chroma's own (DOCSGEN_NO_FAST_LEXERS, which
// markdown's highlighter reads when it is made) and requires every output
// file to be byte-identical.
func TestFastLexersSameHTML(t *testing.T) {
	corpusDir := t.TempDir()
	if err := corpus.Write(corpusDir, 120, "docsgen"); err != nil {
		t.Fatal(err)
	}
	for _, site := range []struct{ name, dir string }{
		{"shipped site", filepath.Join("..", "..")},
		{"bench corpus", filepath.Join(corpusDir, "docsgen")},
	} {
		t.Run(site.name, func(t *testing.T) {
			t.Chdir(site.dir)
			cfg, err := config.Load("")
			if err != nil {
				t.Fatal(err)
			}
			build := func(noFast string) map[string][]byte {
				t.Setenv("DOCSGEN_NO_FAST_LEXERS", noFast)
				res, err := Build(context.Background(), Options{Config: cfg, Mode: DryRun, NoCache: true})
				if err != nil {
					t.Fatalf("build: %v", err)
				}
				return res.Files
			}
			fast, chroma := build(""), build("1")
			if len(fast) < 3 {
				t.Fatalf("only %d files built", len(fast))
			}
			for _, name := range slices.Sorted(maps.Keys(chroma)) {
				if got, ok := fast[name]; !ok {
					t.Errorf("%s: only built without the fast lexers", name)
				} else if string(got) != string(chroma[name]) {
					t.Errorf("%s: differs with the fast lexers", name)
				}
			}
			for name := range fast {
				if _, ok := chroma[name]; !ok {
					t.Errorf("%s: only built with the fast lexers", name)
				}
			}
		})
	}
}
