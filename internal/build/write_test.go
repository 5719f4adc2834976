package build

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/docsgen/docsgen/internal/render"
	"github.com/docsgen/docsgen/internal/site"
)

func TestWriteSwapsAtomically(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "public")
	theme, err := render.LoadTheme("")
	if err != nil {
		t.Fatal(err)
	}
	first := &Result{Site: &site.Site{Assets: map[string]string{}}, Files: map[string][]byte{"index.html": []byte("one")}}
	if err := write(out, first, theme); err != nil {
		t.Fatal(err)
	}
	// A write that fails half way (an asset vanished) must leave the
	// previous output as it was and no temporary folder behind.
	broken := &Result{
		Site:  &site.Site{Assets: map[string]string{filepath.Join(dir, "gone.png"): "gone.png"}},
		Files: map[string][]byte{"index.html": []byte("two"), "new.html": []byte("new")},
	}
	if err := write(out, broken, theme); err == nil {
		t.Fatal("write with a missing asset succeeded")
	}
	if got, _ := os.ReadFile(filepath.Join(out, "index.html")); string(got) != "one" {
		t.Errorf("index.html = %q after a failed write, want the old %q", got, "one")
	}
	if _, err := os.Stat(filepath.Join(out, "new.html")); err == nil {
		t.Error("a failed write left new.html in the output")
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("temporary folder %s left behind", e.Name())
		}
	}
	// A good write replaces everything, stale files included.
	second := &Result{Site: &site.Site{Assets: map[string]string{}}, Files: map[string][]byte{"other.html": []byte("two")}}
	if err := write(out, second, theme); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(out, "index.html")); err == nil {
		t.Error("a stale page survived a rebuild")
	}
	if _, err := os.Stat(filepath.Join(out, "_static", "docsgen.css")); err != nil {
		t.Errorf("theme static files not written: %v", err)
	}
}
