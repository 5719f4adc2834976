package build

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/docsgen/docsgen/internal/config"
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
