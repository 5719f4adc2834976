package build

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/docsgen/docsgen/bench/corpus"
	"github.com/docsgen/docsgen/internal/config"
	"github.com/docsgen/docsgen/internal/hlcache"
	"github.com/docsgen/docsgen/internal/site"
	"github.com/docsgen/docsgen/internal/sitetest"
)

func project(t *testing.T, files map[string]string) *config.Config {
	t.Helper()
	t.Chdir(sitetest.Write(t, files))
	cfg, err := config.Load("")
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// TestBuildSwapsAtomically: a build that fails while writing leaves the
// previous output as it was and no temporary folder behind; a good build
// replaces everything, stale files included.
func TestBuildSwapsAtomically(t *testing.T) {
	cfg := project(t, map[string]string{
		"content/index.md": "# One\n\n```{toctree}\nother\n```\n",
		"content/other.md": "# Other\n",
	})
	ctx := context.Background()
	if _, err := Build(ctx, Options{Config: cfg}); err != nil {
		t.Fatal(err)
	}
	out := cfg.OutDir()
	first, _ := os.ReadFile(filepath.Join(out, "index.html"))

	// A page whose name is as long as a file name may be: its output name
	// (.html for .md) is too long, so writing fails half way through the build.
	long := strings.Repeat("x", 252)
	os.WriteFile(filepath.Join(cfg.SourceDir(), "index.md"), []byte("# Two\n\n```{toctree}\nother\n"+long+"\n```\n"), 0o644)
	os.WriteFile(filepath.Join(cfg.SourceDir(), long+".md"), []byte("# Long\n"), 0o644)
	_, err := Build(ctx, Options{Config: cfg})
	if err == nil || errors.Is(err, ErrFailed) {
		t.Fatalf("build writing over its own page: %v, want a write error", err)
	}
	if now, _ := os.ReadFile(filepath.Join(out, "index.html")); string(now) != string(first) {
		t.Error("a failed build changed the previous output")
	}
	entries, _ := os.ReadDir(filepath.Dir(out))
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("temporary folder %s left behind", e.Name())
		}
	}

	// A good build replaces the output, dropping pages that no longer exist.
	os.Remove(filepath.Join(cfg.SourceDir(), long+".md"))
	os.Remove(filepath.Join(cfg.SourceDir(), "other.md"))
	os.WriteFile(filepath.Join(cfg.SourceDir(), "index.md"), []byte("# Three\n"), 0o644)
	if _, err := Build(ctx, Options{Config: cfg}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(out, "other.html")); err == nil {
		t.Error("a deleted page survived a rebuild")
	}
	if _, err := os.Stat(filepath.Join(out, "_static", "docsgen.css")); err != nil {
		t.Errorf("theme static files not written: %v", err)
	}
	if now, _ := os.ReadFile(filepath.Join(out, "index.html")); !strings.Contains(string(now), "Three") {
		t.Error("the new page is not in the output")
	}
}

// TestUnchangedPagesAreLinked: a page whose bytes did not change is the
// same file as in the previous output (hard-linked, not written again).
func TestUnchangedPagesAreLinked(t *testing.T) {
	cfg := project(t, map[string]string{
		"content/index.md": "# One\n\n```{toctree}\nother\n```\n",
		"content/other.md": "# Other\n",
	})
	ctx := context.Background()
	if _, err := Build(ctx, Options{Config: cfg}); err != nil {
		t.Fatal(err)
	}
	before, _ := os.Stat(filepath.Join(cfg.OutDir(), "other.html"))
	if _, err := Build(ctx, Options{Config: cfg}); err != nil {
		t.Fatal(err)
	}
	after, _ := os.Stat(filepath.Join(cfg.OutDir(), "other.html"))
	if !os.SameFile(before, after) {
		t.Error("an unchanged page was written again instead of linked")
	}
}

// TestCancelledBuildLeavesNothing: a build stopped by its context (Ctrl-C)
// returns the context's error, leaves the output as it was and removes its
// temporary folder; the next build removes folders that killed builds left,
// and only those.
func TestCancelledBuildLeavesNothing(t *testing.T) {
	files := map[string]string{"content/index.md": "# Home\n\n```{toctree}\n:glob:\n*\n```\n"}
	for i := range 200 {
		files[fmt.Sprintf("content/p%03d.md", i)] = fmt.Sprintf("# Page %d\n\n```python\nprint(%d)\n```\n", i, i)
	}
	cfg := project(t, files)
	if _, err := Build(context.Background(), Options{Config: cfg}); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(filepath.Join(cfg.OutDir(), "index.html"))
	ctx, cancel := context.WithCancel(context.Background())
	ctx = &cancelAfter{Context: ctx, cancel: cancel, after: 50}
	_, err := Build(ctx, Options{Config: cfg})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Build after cancel = %v, want context.Canceled", err)
	}
	if now, _ := os.ReadFile(filepath.Join(cfg.OutDir(), "index.html")); string(now) != string(before) {
		t.Error("a cancelled build changed the output")
	}
	parent := filepath.Dir(cfg.OutDir())
	if tmps, _ := filepath.Glob(filepath.Join(parent, ".public.tmp-*")); len(tmps) > 0 {
		t.Errorf("temporary folders left: %v", tmps)
	}

	// A killed build's folder (its process gone) is removed; a running
	// one's (this process) and lookalikes of other names are kept.
	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Fatal(err)
	}
	stale := filepath.Join(parent, fmt.Sprintf(".public.tmp-%d-123", dead.Process.Pid))
	running := filepath.Join(parent, fmt.Sprintf(".public.tmp-%d-456", os.Getpid()))
	other := filepath.Join(parent, ".public.tmp-notes")
	for _, d := range []string{stale, running, other} {
		os.MkdirAll(d, 0o755)
	}
	if _, err := Build(context.Background(), Options{Config: cfg}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); err == nil {
		t.Error("a killed build's temporary folder survived")
	}
	for _, d := range []string{running, other} {
		if _, err := os.Stat(d); err != nil {
			t.Errorf("%s was removed", filepath.Base(d))
		}
	}
}

// cancelAfter cancels itself after its Err has been asked a number of
// times: a build is stopped part way without timing. Its Err may be
// called from many goroutines at once, as any Context's.
type cancelAfter struct {
	context.Context
	cancel func()
	after  int32
	calls  atomic.Int32
}

func (c *cancelAfter) Err() error {
	if c.calls.Add(1) == c.after {
		c.cancel()
	}
	return c.Context.Err()
}

// TestSitemapEscapesPaths: page names with spaces, '#', '?' and non-ASCII
// letters are percent-encoded in sitemap.xml, so each <loc> is one URL.
func TestSitemapEscapesPaths(t *testing.T) {
	got := string(sitemap("https://docs.example.org", []*site.Page{{Out: "a b#c?d.html"}, {Out: "guide/déjà.html"}}))
	for _, want := range []string{
		"<loc>https://docs.example.org/a%20b%23c%3Fd.html</loc>",
		"<loc>https://docs.example.org/guide/d%C3%A9j%C3%A0.html</loc>",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("sitemap lacks %s:\n%s", want, got)
		}
	}
}

// TestHighlightCache: a build fills .docsgen/cache/highlight/, the next
// one renders the same bytes from it, and --no-cache touches nothing.
func TestHighlightCache(t *testing.T) {
	dir := t.TempDir()
	if err := corpus.Write(dir, 12, "docsgen"); err != nil {
		t.Fatal(err)
	}
	t.Chdir(filepath.Join(dir, "docsgen"))
	cfg, err := config.Load("")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	uncached, err := Build(ctx, Options{Config: cfg, Mode: DryRun, NoCache: true, chromaVersion: testChroma})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(".docsgen"); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a --no-cache build made .docsgen: %v", err)
	}
	cold, err := Build(ctx, Options{Config: cfg, Mode: DryRun, chromaVersion: testChroma})
	if err != nil {
		t.Fatal(err)
	}
	entries, _ := filepath.Glob(filepath.Join(hlcache.Dir, "*", "*"))
	if len(entries) < 12 {
		t.Fatalf("the cache holds %d entries after a build of 12 pages with code", len(entries))
	}
	// Tamper with every entry: a warm build must show it, proving it read
	// the cache rather than lexing again.
	for _, e := range entries {
		if err := os.WriteFile(e, []byte("<pre>from the cache</pre>"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tampered, err := Build(ctx, Options{Config: cfg, Mode: DryRun, chromaVersion: testChroma})
	if err != nil {
		t.Fatal(err)
	}
	if page := string(tampered.Files["s00/p0001.html"]); !strings.Contains(page, "from the cache") {
		t.Fatalf("the warm build did not read the cache:\n%.400s", page)
	}
	if err := os.RemoveAll(".docsgen"); err != nil {
		t.Fatal(err)
	}
	if _, err := Build(ctx, Options{Config: cfg, Mode: DryRun, chromaVersion: testChroma}); err != nil {
		t.Fatal(err)
	}
	warm, err := Build(ctx, Options{Config: cfg, Mode: DryRun, chromaVersion: testChroma})
	if err != nil {
		t.Fatal(err)
	}
	for name, res := range map[string]*Result{"cold": cold, "warm": warm} {
		if !maps.EqualFunc(res.Files, uncached.Files, bytes.Equal) {
			t.Errorf("the %s build's output differs from an uncached one", name)
		}
	}
}

// testChroma stands for chroma's version, which test binaries do not carry.
const testChroma = "chroma@test"

// TestSessionHighlightCache: a live session reads the highlight cache a
// build filled, adds what it highlights itself, keeps using it after a
// configuration reload, and with NoCache touches nothing.
func TestSessionHighlightCache(t *testing.T) {
	cfg := corpusProject(t, 12)
	ctx := context.Background()
	uncached, _, err := NewSession(ctx, cfg, SessionOptions{NoCache: true, chromaVersion: testChroma})
	if err != nil {
		t.Fatal(err)
	}
	uncached.Close()
	if _, err := os.Stat(".docsgen"); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a session without the cache made .docsgen: %v", err)
	}

	// A session fills the cache as a build does.
	filling, _, err := NewSession(ctx, cfg, SessionOptions{chromaVersion: testChroma})
	if err != nil {
		t.Fatal(err)
	}
	filling.Close()
	entries, _ := filepath.Glob(filepath.Join(hlcache.Dir, "*", "*"))
	if len(entries) < 12 {
		t.Fatalf("the cache holds %d entries after a session of 12 pages with code", len(entries))
	}
	sameServed(t, "a session filling the cache", uncached, filling)
	// Tampered entries show in the next session's pages, and after a
	// reload: it read the cache rather than lexing again.
	for _, e := range entries {
		if err := os.WriteFile(e, []byte("<pre>from the cache</pre>"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	s, _, err := NewSession(ctx, cfg, SessionOptions{chromaVersion: testChroma})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	page := func() string { out, _ := s.Output("s00/p0001.html"); return string(out) }
	if !strings.Contains(page(), "from the cache") {
		t.Fatalf("the session did not read the cache:\n%.400s", page())
	}
	if err := os.WriteFile("docsgen.yaml", append(mustRead(t, "docsgen.yaml"), "\n# edited\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	abs, _ := filepath.Abs("docsgen.yaml")
	before := s.hl
	if _, err := s.Apply(ctx, []string{abs}); err != nil {
		t.Fatal(err)
	}
	if s.hl == before || s.hl == nil {
		t.Fatal("the edited configuration was not reloaded with a cache of its own")
	}
	if !strings.Contains(page(), "from the cache") {
		t.Fatalf("after a reload the session did not read the cache:\n%.400s", page())
	}
}

func mustRead(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestWrittenEqualsDryRun: a build that writes its output renders the pages
// one after the other in the same buffers (a dry run, which keeps them,
// does not); every file it writes holds what the dry run made. The bench
// corpus's pages differ in length, so a buffer left longer or shorter by
// the page before would show.
func TestWrittenEqualsDryRun(t *testing.T) {
	corpusDir := t.TempDir()
	if err := corpus.Write(corpusDir, 150, "docsgen"); err != nil {
		t.Fatal(err)
	}
	dirs := []string{filepath.Join(corpusDir, "docsgen")}
	files, err := filepath.Glob("testdata/*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden files: %v", err)
	}
	for _, file := range files {
		dirs = append(dirs, unpackSite(t, file))
	}
	ctx := context.Background()
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			t.Chdir(dir)
			cfg, err := config.Load("")
			if err != nil {
				t.Fatal(err)
			}
			dry, err := Build(ctx, Options{Config: cfg, Mode: DryRun, NoCache: true})
			if err != nil && !errors.Is(err, ErrFailed) {
				t.Fatal(err)
			}
			if errors.Is(err, ErrFailed) {
				return // a golden tree whose build fails writes nothing
			}
			if _, err := Build(ctx, Options{Config: cfg, Mode: Write, NoCache: true}); err != nil {
				t.Fatal(err)
			}
			for name, want := range dry.Files {
				got, err := os.ReadFile(filepath.Join(cfg.OutDir(), filepath.FromSlash(name)))
				if err != nil || !bytes.Equal(got, want) {
					t.Errorf("%s written differs from the dry run's (%v)", name, err)
				}
			}
		})
	}
}
