package build

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/docsgen/docsgen/internal/config"
	"github.com/docsgen/docsgen/internal/diag"
	"github.com/docsgen/docsgen/internal/search"
	"github.com/docsgen/docsgen/internal/sitetest"
)

// TestSessionSearchIncremental: an edit re-extracts only the edited page's
// part of the index, and the index served next holds its new words.
func TestSessionSearchIncremental(t *testing.T) {
	files := map[string]string{"content/index.md": "# Home\n\n```{toctree}\n:glob:\n*\n```\n"}
	for i := range 5 {
		files[fmt.Sprintf("content/p%d.md", i)] = fmt.Sprintf("# Page %d\n\nSome text.\n\n## Part\n\nMore text.\n", i)
	}
	dir := sitetest.Write(t, files)
	t.Chdir(dir)
	cfg, err := config.Load("")
	if err != nil {
		t.Fatal(err)
	}
	s, _, err := NewSession(context.Background(), cfg, SessionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if has(t, s, "zeppelin") {
		t.Fatal("zeppelin is indexed before it was written")
	}
	before := map[string]*search.Page{}
	for rel, ps := range s.pages {
		before[rel] = ps.search
	}
	edited := filepath.Join(dir, "content", "p3.md")
	if err := os.WriteFile(edited, []byte("# Page 3\n\nSome text.\n\n## Part\n\nA zeppelin now.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Apply(context.Background(), []string{edited}); err != nil {
		t.Fatal(err)
	}
	for rel, ps := range s.pages {
		if changed := ps.search != before[rel]; changed != (rel == "p3.md") {
			t.Errorf("%s: search data made again = %v", rel, changed)
		}
	}
	if !has(t, s, "zeppelin") {
		t.Error("the new word is not in the index served after the edit")
	}
	// The words list, which typo tolerance reads, follows the edit too.
	if words, ok := s.Output(search.WordsFile); !ok || !slices.Contains(strings.FieldsFunc(string(words), func(r rune) bool { return r == ' ' || r == '"' }), "zeppelin") {
		t.Errorf("the words list served after the edit lacks the new word: %.200q", words)
	}
}

// TestSearchOff: with search: false the build and the preview make no index,
// no search page and no search box (a site searched by an outside service),
// and search.html is then a page's to have; by default all are there.
func TestSearchOff(t *testing.T) {
	for _, off := range []bool{false, true} {
		t.Run(fmt.Sprintf("off=%v", off), func(t *testing.T) {
			yaml := "title: T\n"
			if off {
				yaml += "search: false\n"
			}
			files := map[string]string{
				"docsgen.yaml":     yaml,
				"content/index.md": "# Home\n\n```{toctree}\nother\n```\n",
				"content/other.md": "# Other\n\nSome text.\n",
			}
			if off {
				files["content/search.md"] = "---\norphan: true\n---\n# Our search\n"
			}
			cfg := project(t, files)
			res, err := Build(context.Background(), Options{Config: cfg, Mode: DryRun, FailLevel: diag.Warning})
			if err != nil {
				t.Fatalf("build: %v %v", err, res.Diags)
			}
			s, _, err := NewSession(context.Background(), cfg, SessionOptions{})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			for what, outputs := range map[string]map[string][]byte{"build": res.Files, "preview": s.Outputs()} {
				indexFiles := 0
				for name := range outputs {
					if strings.HasPrefix(name, search.Dir+"/") {
						indexFiles++
					}
				}
				page := string(outputs["other.html"])
				box := strings.Contains(page, `id="search-input"`) && strings.Contains(page, "search.js")
				searchPage := string(outputs["search.html"])
				if off {
					if indexFiles > 0 || box || !strings.Contains(searchPage, "Our search") {
						t.Errorf("%s with search off: %d index files, search box %v, search.html %.80q", what, indexFiles, box, searchPage)
					}
				} else if indexFiles == 0 || !box || !strings.Contains(searchPage, `id="search-page-input"`) {
					t.Errorf("%s with search on: %d index files, search box %v, search.html %.80q", what, indexFiles, box, searchPage)
				}
			}
		})
	}
}

// has reports whether the session's index holds term.
func has(t *testing.T, s *Session, term string) bool {
	t.Helper()
	entry, ok := s.Output(search.Dir + "/index.js")
	if !ok {
		t.Fatal("no index entry file")
	}
	keys, err := search.Keys(entry)
	if err != nil {
		t.Fatal(err)
	}
	shard, ok := s.Output(fmt.Sprintf("%s/t%d.js", search.Dir, search.ShardOf(keys, term)))
	return ok && strings.Contains(string(shard), `"`+term+`":[`)
}

var (
	searchBenchPages = flag.Int("search-bench-pages", 1000, "pages of the corpus BenchmarkBuildSearchCost builds")
	searchBenchCold  = flag.Bool("search-bench-cold", false, "BenchmarkBuildSearchCost highlights every build anew (no highlight cache)")
	searchBenchWrite = flag.Bool("search-bench-write", false, "BenchmarkBuildSearchCost writes each build into a new output folder, as docsgen build does without a last public/")
)

// BenchmarkBuildSearchCost is what the search index adds to a build: the
// same corpus built with and without it, alternately (so both see the same
// machine load), each build's CPU time (user+sys, what a shared machine's
// load disturbs least) and wall time reported as the median of each, and
// the slowdown in CPU time. Builds are warm (code comes from the highlight
// cache, as in every build after the first), where the index weighs most;
// -search-bench-cold highlights every time; -search-bench-write writes the
// outputs, as `docsgen build` does (into an empty output folder, so every
// page renders).
// go test ./internal/build -run XXX -bench BuildSearchCost -benchtime 5x [-search-bench-pages 10000]
func BenchmarkBuildSearchCost(b *testing.B) {
	cfg := corpusConfig(b, *searchBenchPages)
	opts := Options{Config: cfg, Mode: DryRun, NoCache: *searchBenchCold, chromaVersion: testChroma}
	if *searchBenchWrite {
		opts.Mode = Write
	}
	if _, err := Build(context.Background(), opts); err != nil { // fills the cache
		b.Fatal(err)
	}
	var with, without, withWall, withoutWall []time.Duration
	aside, moved := b.TempDir(), 0
	for b.Loop() {
		for _, skip := range []bool{false, true} {
			if *searchBenchWrite {
				// No last output to take pages from: every page renders. It
				// is moved aside, not deleted: ext4 creates files slower for
				// a while after many were deleted, which would weigh on the
				// build that writes more files (the index's).
				if err := os.Rename(cfg.OutDir(), filepath.Join(aside, strconv.Itoa(moved))); err != nil && !errors.Is(err, fs.ErrNotExist) {
					b.Fatal(err)
				}
				moved++
			}
			// Each build starts from a collected heap, not the last one's garbage.
			runtime.GC()
			cpu, start := cpuTime(), time.Now()
			opts.noSearch = skip
			res, err := Build(context.Background(), opts)
			if err != nil || len(res.Diags) > 0 {
				b.Fatalf("build: %v %v", err, res.Diags)
			}
			if skip {
				without = append(without, cpuTime()-cpu)
				withoutWall = append(withoutWall, time.Since(start))
			} else {
				with = append(with, cpuTime()-cpu)
				withWall = append(withWall, time.Since(start))
			}
		}
	}
	median := func(d []time.Duration) float64 { slices.Sort(d); return d[len(d)/2].Seconds() }
	w, wo := median(with), median(without)
	b.ReportMetric(w, "with-cpu-s")
	b.ReportMetric(wo, "without-cpu-s")
	b.ReportMetric(100*(w-wo)/wo, "slower-cpu-%")
	b.ReportMetric(median(withWall), "with-s")
	b.ReportMetric(median(withoutWall), "without-s")
}
