package hlcache

import (
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
)

func open(t *testing.T, dir string) *Cache {
	t.Helper()
	c, err := Open(dir, testVersion)
	if err != nil || c == nil {
		t.Fatalf("open: %v, %v", c, err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// testVersion stands for chroma's version: this package's tests do not
// link chroma, so the binary cannot tell it.
const testVersion = "chroma@test"

func TestRoundTripAndKeys(t *testing.T) {
	dir := t.TempDir()
	c := open(t, dir)
	k := c.Key("bash", false, 1, nil, "echo hi\n")
	for _, other := range []string{
		c.Key("sh", false, 1, nil, "echo hi\n"),
		c.Key("bash", true, 1, nil, "echo hi\n"),
		c.Key("bash", false, 2, nil, "echo hi\n"),
		c.Key("bash", false, 1, []int{1}, "echo hi\n"),
		c.Key("bash", false, 1, nil, "echo ho\n"),
	} {
		if other == k {
			t.Fatalf("two different blocks share the key %s", k)
		}
	}
	if _, ok := c.Get(k); ok {
		t.Fatal("hit in an empty cache")
	}
	upgraded, err := Open(dir, "chroma@next")
	if err != nil {
		t.Fatal(err)
	}
	defer upgraded.Close()
	if upgraded.Key("bash", false, 1, nil, "echo hi\n") == k {
		t.Fatal("a new chroma version reuses old entries")
	}
	if none, err := Open(dir, ""); none != nil || err != nil {
		t.Fatal("a cache opened without knowing chroma's version")
	}
	c.Put(k, []byte("<pre>hi</pre>"))
	// Another build (a new Cache on the same folder) sees it.
	got, ok := open(t, dir).Get(k)
	if !ok || string(got) != "<pre>hi</pre>" {
		t.Fatalf("got %q, %v", got, ok)
	}
	for _, name := range []string{"CACHEDIR.TAG", ".gitignore"} {
		if _, err := os.Stat(filepath.Join(dir, ".docsgen", "cache", name)); err != nil {
			t.Error(err)
		}
	}
}

// TestConcurrentBuilds: two caches on one folder writing and reading the
// same entries at once only ever read whole entries.
func TestConcurrentBuilds(t *testing.T) {
	dir := t.TempDir()
	a, b := open(t, dir), open(t, dir)
	want := make([]byte, 64<<10)
	for i := range want {
		want[i] = byte('a' + i%26)
	}
	key := a.Key("text", false, 1, nil, "x")
	var wg sync.WaitGroup
	for _, c := range []*Cache{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 50 {
				c.Put(key, want)
				if got, ok := c.Get(key); ok && string(got) != string(want) {
					t.Errorf("read a partial entry: %d bytes", len(got))
					return
				}
			}
		}()
	}
	wg.Wait()
	shard, _ := os.ReadDir(filepath.Join(dir, Dir, key[:2]))
	if len(shard) != 1 {
		t.Fatalf("want one entry and no temporary files, got %v", shard)
	}
}

// TestSymlinkOutIsNotFollowed: an entry (or the cache folder) that is a
// symbolic link out of the project is never read.
func TestSymlinkOutIsNotFollowed(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links need privileges on Windows")
	}
	outside := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(outside, []byte("secret"), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	c := open(t, dir)
	key := c.Key("text", false, 1, nil, "planted")
	if err := os.MkdirAll(filepath.Join(dir, Dir, key[:2]), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, Dir, key[:2], key[2:])); err != nil {
		t.Fatal(err)
	}
	if got, ok := c.Get(key); ok {
		t.Fatalf("read %q through a symbolic link out of the project", got)
	}
	// A shard folder that is a link out, holding the entry.
	other := c.Key("text", false, 1, nil, "planted too")
	if err := os.WriteFile(filepath.Join(filepath.Dir(outside), other[2:]), []byte("secret"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Dir(outside), filepath.Join(dir, Dir, other[:2])); err != nil {
		t.Fatal(err) // (the two keys' shards differ: keys are fixed)
	}
	if got, ok := c.Get(other); ok {
		t.Fatalf("read %q through a shard folder linked out of the project", got)
	}

	// The whole cache folder a link out: no cache, nothing written there.
	dir2 := t.TempDir()
	target := t.TempDir()
	if err := os.Symlink(target, filepath.Join(dir2, ".docsgen")); err != nil {
		t.Fatal(err)
	}
	if c2, err := Open(dir2, testVersion); err == nil {
		c2.Close()
		t.Fatal("opened a cache whose folder is a link out of the project")
	}
	if ents, _ := os.ReadDir(target); len(ents) != 0 {
		t.Fatalf("wrote outside the project: %v", ents)
	}
}

func TestPruneDropsUnusedPastTheBound(t *testing.T) {
	dir := t.TempDir()
	old := open(t, dir)
	var stale []string
	for i := range 2*3 + minKept + 1 {
		k := old.Key("text", false, 1, nil, string(rune('a'+i%26))+string(rune(i)))
		old.Put(k, []byte("old"))
		stale = append(stale, k)
	}
	// A foreign file in the cache folder is not docsgen's to delete.
	foreign := filepath.Join(dir, Dir, "README")
	if err := os.WriteFile(foreign, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	c := open(t, dir)
	var used []string
	for i := range 3 {
		k := c.Key("go", false, 1, nil, string(rune('A'+i)))
		c.Put(k, []byte("new"))
		used = append(used, k)
	}
	if _, ok := c.Get(stale[0]); !ok { // read this build: kept
		t.Fatal("missing entry")
	}
	if err := c.Prune(); err != nil {
		t.Fatal(err)
	}
	fresh := open(t, dir)
	for _, k := range append(used, stale[0]) {
		if _, ok := fresh.Get(k); !ok {
			t.Errorf("pruned an entry the build used: %s", k)
		}
	}
	for _, k := range stale[1:] {
		if _, ok := fresh.Get(k); ok {
			t.Fatalf("kept an unused entry past the bound: %s", k)
		}
	}
	if _, err := os.Stat(foreign); err != nil {
		t.Fatalf("pruned a file docsgen did not write: %v", err)
	}
}
