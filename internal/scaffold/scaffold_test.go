package scaffold

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/docsgen/docsgen/internal/config"
	"github.com/google/go-cmp/cmp"
)

func TestParseAssignments(t *testing.T) {
	src := `"""Module docstring: not an assignment."""
import os
a = 'single'
b = "dou" 'bled' """triple
quoted"""
c = r"C:\path\n"
d = "tab\there \u00e9"
e = 42
f = -1.5e3
g = True, None
h = [1, (2, 3), {"k": [False]}]
i = {"x", "y"}
j = 0x1F
k = (
    "implicit"   # a comment
    " join"
)
l = ("one",)
m = ("just one")
n = os.path.join("a", "b")
o = f"{a}"
p = a
q = 1 + 2
r = {**base}
s = "first"
s = "second"
    t = "indented: inside a block"
if True:
    u = 1
v == 3
w: str = "annotated"
x = y = 1
z = 1_000
`
	got, err := ParseAssignments(src)
	if err != nil {
		t.Fatal(err)
	}
	values := map[string]any{}
	reasons := map[string]string{}
	for _, a := range got {
		if a.OK {
			values[a.Name] = a.Value
		} else {
			reasons[a.Name] = a.Reason
		}
	}
	want := map[string]any{
		"a": "single", "b": "doubledtriple\nquoted", "c": `C:\path\n`, "d": "tab\there é", "e": int64(42), "f": -1500.0,
		"g": []any{true, nil}, "h": []any{int64(1), []any{int64(2), int64(3)}, &Dict{Keys: []string{"k"}, Values: map[string]any{"k": []any{false}}}},
		"i": []any{"x", "y"}, "j": int64(31), "k": "implicit join", "l": []any{"one"}, "m": "just one", "s": "second", "z": int64(1000),
	}
	if diff := cmp.Diff(want, values); diff != "" {
		t.Errorf("values (-want +got):\n%s", diff)
	}
	for name, reason := range map[string]string{"n": "os.… is computed", "o": "f-string", "p": "a is a name", "q": `"+"`, "r": "unpacking", "x": "y is a name"} {
		if !strings.Contains(reasons[name], reason) {
			t.Errorf("%s: reason %q, want it to mention %q", name, reasons[name], reason)
		}
	}
	for _, name := range []string{"t", "u", "v", "w"} {
		if _, ok := values[name]; ok {
			t.Errorf("%s was read as a top-level assignment", name)
		}
		if _, ok := reasons[name]; ok {
			t.Errorf("%s was reported as a top-level assignment", name)
		}
	}
	for _, a := range got {
		if a.Name == "k" && a.Line != 14 {
			t.Errorf("k at line %d, want 14", a.Line)
		}
	}
}

func TestParseAssignmentsErrors(t *testing.T) {
	for _, src := range []string{"a = 'never closed\n", "a = [1, 2\n", "a = '''open\n"} {
		if _, err := ParseAssignments(src); err == nil || !strings.Contains(err.Error(), "line 1") {
			t.Errorf("ParseAssignments(%q) = %v, want an error at line 1", src, err)
		}
	}
	deep := "a = " + strings.Repeat("[", 500) + strings.Repeat("]", 500) + "\n"
	got, err := ParseAssignments(deep)
	if err != nil || len(got) != 1 || got[0].OK || !strings.Contains(got[0].Reason, "nested") {
		t.Errorf("deep nesting: %+v, %v; want a not-literal reason", got, err)
	}
}

// TestFromSphinx: a sphinx-book-theme style conf.py becomes a docsgen.yaml
// that docsgen loads, with every setting mapped, done without a setting,
// or listed as not mapped.
func TestFromSphinx(t *testing.T) {
	root := t.TempDir()
	conf := filepath.Join(root, "docs", "conf.py")
	data, err := os.ReadFile("testdata/conf.py")
	if err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Dir(conf), 0o755)
	os.WriteFile(conf, data, 0o644)
	m, err := FromSphinx(conf, root)
	if err != nil {
		t.Fatal(err)
	}
	yamlPath := filepath.Join(root, "docsgen.yaml")
	os.WriteFile(yamlPath, m.YAML, 0o644)
	cfg, err := config.Load(yamlPath)
	if err != nil {
		t.Fatalf("the written docsgen.yaml does not load: %v\n%s", err, m.YAML)
	}
	on := func(b *bool) string {
		if b == nil {
			return "default"
		}
		return map[bool]string{true: "on", false: "off"}[*b]
	}
	got := map[string]any{
		"title": cfg.Title, "logo": cfg.Logo, "favicon": cfg.Favicon, "base_url": cfg.BaseURL, "source": cfg.Source, "root": cfg.Root,
		"dollarmath": on(cfg.Markdown.Dollarmath), "deflist": on(cfg.Markdown.DefinitionList), "autolinks": on(cfg.Markdown.Autolinks),
		"tasklists": on(cfg.Markdown.TaskLists), "strikethrough": on(cfg.Markdown.Strikethrough), "typographer": on(cfg.Markdown.Typographer),
		"substitutions": cfg.Substitutions, "ignore": cfg.Linkcheck.Ignore, "timeout": cfg.Linkcheck.Timeout.String(), "retries": *cfg.Linkcheck.Retries,
	}
	want := map[string]any{
		"title": "Portal docs", "logo": "docs/_static/logo.svg", "favicon": "docs/_static/favicon.ico", "base_url": "https://docs.example.org/",
		"source": "docs", "root": "index", "dollarmath": "on", "deflist": "on", "autolinks": "on", "tasklists": "off", "strikethrough": "off",
		"typographer": "default", "substitutions": map[string]string{"product": "Portal", "year": "2026"},
		"ignore": []string{`https://localhost:\d+/`, `^https://internal\.`}, "timeout": "15s", "retries": 2,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("docsgen.yaml (-want +got):\n%s\n%s", diff, m.YAML)
	}
	names := func(ss []Setting) string {
		var out []string
		for _, s := range ss {
			out = append(out, s.Name)
		}
		return strings.Join(out, "\n")
	}
	for _, s := range []string{"copyright", "version", "extensions: sphinx_copybutton", "extensions: sphinx.ext.autodoc", "myst_enable_extensions: attrs_inline",
		"html_theme", "html_theme_options.repository_url", "html_theme_options.icon_links", "exclude_patterns", "templates_path", "html_static_path", "language"} {
		if !strings.Contains("\n"+names(m.Unmapped)+"\n", "\n"+s+"\n") {
			t.Errorf("%q is not listed as unmapped; unmapped:\n%s", s, names(m.Unmapped))
		}
	}
	for _, s := range []string{"myst_heading_anchors", "extensions: myst_parser", "myst_enable_extensions: colon_fence", "project"} {
		if !strings.Contains(names(m.Builtin), s) {
			t.Errorf("%q is not listed as needing no setting; that list:\n%s", s, names(m.Builtin))
		}
	}
	// A computed value is reported with its line, not guessed.
	for _, s := range m.Unmapped {
		if s.Name == "copyright" && (s.Line != 11 || !strings.Contains(s.Detail, "f-string")) {
			t.Errorf("copyright: %+v", s)
		}
	}
}

// TestFromSphinxSourceIsProject: conf.py in the project folder itself
// cannot be the content folder; the error says where to run instead.
func TestFromSphinxSourceIsProject(t *testing.T) {
	dir := t.TempDir()
	conf := filepath.Join(dir, "conf.py")
	os.WriteFile(conf, []byte("project = 'x'\n"), 0o644)
	if _, err := FromSphinx(conf, dir); err == nil || !strings.Contains(err.Error(), "folder above") {
		t.Errorf("FromSphinx with conf.py in the project folder: %v", err)
	}
}

// TestWriteNeverOverwrites: one existing file (or a dangling symlink)
// means nothing is written; a skippable one is left alone.
func TestWriteNeverOverwrites(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "content"), 0o755)
	os.WriteFile(filepath.Join(dir, "content", "index.md"), []byte("mine"), 0o644)
	_, err := Write(dir, Starter("T"))
	if !errors.Is(err, ErrExists) {
		t.Fatalf("Write over an existing page: %v", err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "content", "index.md")); string(b) != "mine" {
		t.Error("the existing page changed")
	}
	if _, err := os.Lstat(filepath.Join(dir, "docsgen.yaml")); err == nil {
		t.Error("docsgen.yaml was written although the run was refused")
	}
	link := t.TempDir()
	os.Symlink(filepath.Join(link, "nowhere"), filepath.Join(link, "docsgen.yaml"))
	if _, err := Write(link, Starter("T")); !errors.Is(err, ErrExists) {
		t.Errorf("Write over a dangling symlink: %v", err)
	}
	keep := t.TempDir()
	os.WriteFile(filepath.Join(keep, ".gitignore"), []byte("mine\n"), 0o644)
	written, err := Write(keep, Starter("T"), ".gitignore")
	if err != nil || len(written) != 3 {
		t.Errorf("Write with .gitignore skippable: %v, %v", written, err)
	}
	if b, _ := os.ReadFile(filepath.Join(keep, ".gitignore")); string(b) != "mine\n" {
		t.Error("the project's .gitignore changed")
	}
}

func FuzzParseAssignments(f *testing.F) {
	data, _ := os.ReadFile("testdata/conf.py")
	f.Add(string(data))
	f.Add("a = {1: [2, (3,)], 'b': -4.5}\n")
	f.Add("x = '''\\\n'''\n")
	f.Fuzz(func(t *testing.T, src string) {
		ParseAssignments(src) // must not panic or hang
	})
}
