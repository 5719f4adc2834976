package pagecache

import (
	"errors"
	"os"
	"path/filepath"
	"runtime/debug"
	"testing"
	"time"

	"github.com/docsgen/docsgen/internal/diag"
	"github.com/docsgen/docsgen/internal/directives"
	"github.com/docsgen/docsgen/internal/markdown"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

const testFile = "pages-test.gob"

// files is an include reader over a map (a missing name fails).
type files map[string]string

func (f files) read(abs string) ([]byte, error) {
	s, ok := f[abs]
	if !ok {
		return nil, errors.New("no such file")
	}
	return []byte(s), nil
}

func open(t *testing.T, dir, version string, inc files) *Cache {
	t.Helper()
	c := Open(dir, testFile, version)
	if c == nil {
		t.Fatal("Open returned nil")
	}
	c.SetReader(inc.read)
	t.Cleanup(c.Close)
	return c
}

func summary() markdown.Summary {
	return markdown.Summary{
		Title:    "Install",
		Headings: []markdown.Heading{{Level: 1, Text: "Install", ID: "install", Line: 1}},
		Anchors:  []string{"install"},
		Labels:   []markdown.Label{{Name: "setup", ID: "setup", Title: "Setup", Pos: diag.Pos{File: "content/a.md", Line: 3}}},
		Toctrees: []markdown.TocSummary{{Entries: []directives.TocEntry{{Target: "b", Line: 5, Col: 1, File: "content/a.md"}}, MaxDepth: 2}},
		Deps:     []string{"/p/shared.py"},
		Refs: []markdown.PendingRef{{Ref: markdown.Ref{Kind: markdown.RefLink, Target: "b.md#x", Pos: diag.Pos{File: "content/a.md", Line: 7, Col: 2},
			Via: []diag.Pos{{File: "content/c.md", Line: 1}}}}},
	}
}

func TestRoundTrip(t *testing.T) {
	dir := t.TempDir()
	inc := files{"/p/shared.py": "print(1)\n"}
	key := Key("content/a.md", []byte("# Install\n"))

	c := open(t, dir, "v1", inc)
	if _, ok := c.Get("a.md", key); ok {
		t.Fatal("hit in an empty cache")
	}
	c.Put("a.md", key, summary())
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}

	c = open(t, dir, "v1", inc)
	got, ok := c.Get("a.md", key)
	if !ok {
		t.Fatal("miss after Save")
	}
	if diff := cmp.Diff(summary(), got, cmpopts.IgnoreUnexported(markdown.PendingRef{})); diff != "" {
		t.Errorf("summary changed on the way (-put +got):\n%s", diff)
	}
	if c.Hits() != 1 {
		t.Errorf("Hits = %d, want 1", c.Hits())
	}
	if _, ok := c.Get("a.md", Key("content/a.md", []byte("# Install!\n"))); ok {
		t.Error("hit for changed text")
	}
	if _, ok := c.Get("a.md", Key("docs/a.md", []byte("# Install\n"))); ok {
		t.Error("hit for another display path (diagnostics would name the old one)")
	}
	if _, ok := open(t, dir, "v2", inc).Get("a.md", key); ok {
		t.Error("hit for another version")
	}
	if _, ok := open(t, dir, "v1", files{"/p/shared.py": "print(2)\n"}).Get("a.md", key); ok {
		t.Error("hit though an included file changed")
	}
	if _, ok := open(t, dir, "v1", files{}).Get("a.md", key); ok {
		t.Error("hit though an included file is gone")
	}
}

func TestPutWithUnreadableIncludeKeepsNothing(t *testing.T) {
	dir := t.TempDir()
	c := open(t, dir, "v1", files{})
	key := Key("content/a.md", nil)
	c.Put("a.md", key, summary())
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	if _, ok := open(t, dir, "v1", files{"/p/shared.py": ""}).Get("a.md", key); ok {
		t.Error("a page whose include could not be read was kept")
	}
}

// Save rewrites the file only when the pages differ from what it held,
// and keeps only the pages of the last run.
func TestSaveKeepsOnlyThisRun(t *testing.T) {
	dir := t.TempDir()
	inc := files{"/p/shared.py": ""}
	ka, kb := Key("a", []byte("a")), Key("b", []byte("b"))
	c := open(t, dir, "v1", inc)
	c.Put("a.md", ka, summary())
	c.Put("b.md", kb, summary())
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, filepath.FromSlash(Dir), testFile)
	before, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}

	c = open(t, dir, "v1", inc)
	c.Get("a.md", ka)
	c.Get("b.md", kb)
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	if after, _ := os.Stat(path); !os.SameFile(before, after) {
		t.Error("an unchanged cache was written again")
	}

	c = open(t, dir, "v1", inc)
	c.Get("a.md", ka) // b.md is gone from the site
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	c = open(t, dir, "v1", inc)
	if _, ok := c.Get("b.md", kb); ok {
		t.Error("a page no longer in the site was kept")
	}
	if _, ok := c.Get("a.md", ka); !ok {
		t.Error("a page read from the cache was dropped")
	}
}

func TestDamagedFileIsIgnored(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, filepath.FromSlash(Dir), testFile)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("not gob"), 0o644); err != nil {
		t.Fatal(err)
	}
	c := open(t, dir, "v1", files{"/p/shared.py": ""})
	key := Key("a", nil)
	if _, ok := c.Get("a.md", key); ok {
		t.Fatal("hit in a damaged file")
	}
	c.Put("a.md", key, summary())
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	if _, ok := open(t, dir, "v1", files{"/p/shared.py": ""}).Get("a.md", key); !ok {
		t.Error("the damaged file was not replaced")
	}
	for _, name := range []string{"CACHEDIR.TAG", ".gitignore"} {
		if _, err := os.Stat(filepath.Join(filepath.Dir(path), name)); err != nil {
			t.Errorf("the cache folder has no %s: %v", name, err)
		}
	}
}

// A symbolic link in place of the file is not followed out of the project.
func TestSymlinkOutOfProjectIsNotFollowed(t *testing.T) {
	outside := t.TempDir()
	inc := files{"/p/shared.py": ""}
	key := Key("a", nil)
	c := open(t, outside, "v1", inc)
	c.Put("a.md", key, summary())
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, filepath.FromSlash(Dir), testFile)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(outside, filepath.FromSlash(Dir), testFile)
	if err := os.Symlink(target, path); err != nil {
		t.Fatal(err)
	}
	if _, ok := open(t, dir, "v1", inc).Get("a.md", key); ok {
		t.Error("read the cache through a symbolic link out of the project")
	}
}

func TestNoVersionNoCache(t *testing.T) {
	if Open(t.TempDir(), testFile, "") != nil {
		t.Error("a cache without a version")
	}
}

type fakeExe struct {
	os.FileInfo
	size int64
	mod  time.Time
}

func (f fakeExe) Size() int64        { return f.size }
func (f fakeExe) ModTime() time.Time { return f.mod }

// A binary is named by its source when that is pinned, and by its
// executable file when not, so a local rebuild never reads an older
// binary's summaries.
func TestBinaryVersion(t *testing.T) {
	exe := func(size int64, mod time.Time) func() (os.FileInfo, error) {
		return func() (os.FileInfo, error) { return fakeExe{size: size, mod: mod}, nil }
	}
	t0, t1 := time.Unix(1000, 0), time.Unix(2000, 0)
	info := func(version string, settings ...string) *debug.BuildInfo {
		bi := &debug.BuildInfo{Main: debug.Module{Path: "github.com/docsgen/docsgen", Version: version}}
		for i := 0; i+1 < len(settings); i += 2 {
			bi.Settings = append(bi.Settings, debug.BuildSetting{Key: settings[i], Value: settings[i+1]})
		}
		return bi
	}
	for _, tc := range []struct {
		name   string
		info   *debug.BuildInfo
		pinned bool
	}{
		{"release", info("v1.2.0"), true},
		{"clean checkout", info("(devel)", "vcs.revision", "abc", "vcs.modified", "false"), true},
		{"local changes", info("(devel)", "vcs.revision", "abc", "vcs.modified", "true"), false},
		{"no VCS information", info("(devel)"), false},
	} {
		a, b := binaryVersion(tc.info, exe(1, t0)), binaryVersion(tc.info, exe(1, t1))
		if a == "" || b == "" {
			t.Errorf("%s: no version", tc.name)
		}
		if (a == b) != tc.pinned {
			t.Errorf("%s: a rebuilt executable has the same version: %v, want %v", tc.name, a == b, tc.pinned)
		}
	}
	if binaryVersion(info("v1.2.0"), exe(1, t0)) == binaryVersion(info("v1.3.0"), exe(1, t0)) {
		t.Error("two releases share a version")
	}
}
