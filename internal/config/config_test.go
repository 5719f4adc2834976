package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func load(t *testing.T, yaml string) (*Config, error) {
	t.Helper()
	dir := t.TempDir()
	p := filepath.Join(dir, FileName)
	if err := os.WriteFile(p, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	return Load(p)
}

func TestLoad(t *testing.T) {
	cfg, err := load(t, "title: Docs\nmarkdown:\n  tables: false\nsubstitutions:\n  version: '1.2'\n")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Title != "Docs" || cfg.Source != "content" || cfg.Out != "public" || On(cfg.Markdown.Tables, true) || cfg.Substitutions["version"] != "1.2" {
		t.Errorf("unexpected config %+v", cfg)
	}
	if !strings.HasSuffix(cfg.SourceDir(), filepath.Join(filepath.Base(cfg.Dir), "content")) {
		t.Errorf("SourceDir %s is not below the config folder %s", cfg.SourceDir(), cfg.Dir)
	}
}

func TestLoadErrors(t *testing.T) {
	for _, tc := range []struct{ yaml, want string }{
		{"title: x\ncolour: red\n", ":2:1: error: field colour not found"},
		{"title: x\nmarkdown:\n  tables: maybe\n", ":3:1: error: cannot unmarshal !!str `maybe` into bool"},
		{"title: [a\n", ":1:1: error:"},
		{"source: ''\n", "source and out must not be empty"},
		{"title: x\nbase_url: docs.example.org\n", ":2:1: error: base_url \"docs.example.org\" is not an absolute http(s) URL"},
		{"title: x\n\nedit_url: https://github.com/o/r/edit/main/content/\n", ":3:1: error: edit_url has no {path}"},
		{"edit_url: ftp://host/{path}\n", ":1:1: error: edit_url \"ftp://host/{path}\" is not an absolute http(s) URL"},
	} {
		_, err := load(t, tc.yaml)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Load(%q) error = %v, want it to contain %q", tc.yaml, err, tc.want)
		}
	}
}

func TestLoadMissing(t *testing.T) {
	t.Chdir(t.TempDir())
	cfg, err := Load("")
	if err != nil || cfg.File != "" || cfg.Title != "" || cfg.Source != "content" {
		t.Errorf("Load without a file = %+v, %v; want defaults", cfg, err)
	}
	if _, err := Load("nope.yaml"); err == nil {
		t.Error("an explicit missing config file is not an error")
	}
}

// TestFind: the nearest docsgen.yaml at or above the start folder, like
// git; "" when none up to the root.
func TestFind(t *testing.T) {
	root := t.TempDir()
	for _, d := range []string{"site/content/guide", "site/nested/content", "bare/content"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{"site/docsgen.yaml", "site/nested/docsgen.yaml"} {
		if err := os.WriteFile(filepath.Join(root, f), []byte("title: x\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for start, want := range map[string]string{
		"site/content/guide":   "site/docsgen.yaml",
		"site":                 "site/docsgen.yaml",
		"site/nested/content":  "site/nested/docsgen.yaml",
		"site/content/missing": "site/docsgen.yaml",
		"bare/content":         "",
	} {
		got, err := Find(filepath.Join(root, start))
		if err != nil {
			t.Fatal(err)
		}
		if want != "" {
			want = filepath.Join(root, want)
		}
		// Above the temporary folder a stray docsgen.yaml could exist; only
		// answers inside it are this test's.
		if want == "" && got != "" && !strings.HasPrefix(got, root) {
			continue
		}
		if got != want {
			t.Errorf("Find(%s) = %q, want %q", start, got, want)
		}
	}
}

// TestReloadKeepsOverrides: after docsgen.yaml is edited, the reloaded
// config has the file's new values and still the command line's paths.
func TestReloadKeepsOverrides(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, FileName)
	if err := os.WriteFile(p, []byte("title: One\nsource: docs\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(dir, "elsewhere")
	cfg.Apply(Overrides{Source: src, Dir: "/ignored/with/a/file"})
	if err := os.WriteFile(p, []byte("title: Two\nsource: docs\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	n, err := cfg.Reload()
	if err != nil {
		t.Fatal(err)
	}
	if n.Title != "Two" || n.SourceDir() != src || n.Dir != dir {
		t.Errorf("reloaded: title %q, source %s, project %s; want Two, %s, %s", n.Title, n.SourceDir(), n.Dir, src, dir)
	}
}
