package cachedir

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

type entry struct {
	N    int
	Text string
}

func openTest(t *testing.T, dir, version string) *Store[entry] {
	t.Helper()
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { root.Close() })
	if err := Make(root, ""); err != nil {
		t.Fatal(err)
	}
	return OpenStore[entry](root, "test.gob", version, 1<<30)
}

// TestStoreRoundTrip: entries over several chunks come back as saved, for
// the same version only; a cut or damaged file reads as empty.
func TestStoreRoundTrip(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir, "v1")
	const n = 2*chunkEntries + 7
	for i := range n {
		s.Keep(fmt.Sprint("page", i), entry{N: i, Text: fmt.Sprint("text of ", i)}, true)
	}
	if err := s.Save(); err != nil {
		t.Fatal(err)
	}
	again := openTest(t, dir, "v1")
	if len(again.old) != n {
		t.Fatalf("%d entries read, want %d", len(again.old), n)
	}
	for i := range n {
		if e, ok := again.Take(fmt.Sprint("page", i)); !ok || e.N != i || e.Text != fmt.Sprint("text of ", i) {
			t.Fatalf("page%d: %+v %v", i, e, ok)
		}
	}
	if _, ok := again.Take("page0"); ok || len(again.old) != 0 {
		t.Errorf("taken entries are still held: %d", len(again.old))
	}
	if other := openTest(t, dir, "v2"); len(other.old) != 0 {
		t.Errorf("another version read %d entries", len(other.old))
	}
	file := filepath.Join(dir, Dir, "test.gob")
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	for _, cut := range []int{1, 10, len(data) / 3, len(data) / 2, len(data) - 1} {
		os.WriteFile(file, data[:cut], 0o644)
		if s := openTest(t, dir, "v1"); len(s.old) != 0 {
			t.Errorf("a file cut at %d of %d bytes read %d entries", cut, len(data), len(s.old))
		}
	}
	for _, at := range []int{len(data) / 5, len(data) / 2, len(data) - 100, len(data) - 2} {
		damaged := append([]byte{}, data...)
		damaged[at] ^= 0x10
		os.WriteFile(file, damaged, 0o644)
		if s := openTest(t, dir, "v1"); len(s.old) != 0 {
			t.Errorf("a file with byte %d of %d flipped read %d entries", at, len(data), len(s.old))
		}
	}
}

// TestStoreSavesOnlyChanges: a run that kept exactly what the file held
// does not write it; one that dropped an entry does.
func TestStoreSavesOnlyChanges(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir, "v1")
	s.Keep("a", entry{N: 1}, true)
	s.Keep("b", entry{N: 2}, true)
	if err := s.Save(); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, Dir, "test.gob")
	os.Chmod(file, 0o444) // a write would replace it: the mode tells
	s = openTest(t, dir, "v1")
	for _, k := range []string{"a", "b"} {
		e, _ := s.Take(k)
		s.Keep(k, e, false)
	}
	if err := s.Save(); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(file); fi.Mode().Perm() != 0o444 {
		t.Error("an unchanged store was written")
	}
	s = openTest(t, dir, "v1")
	e, _ := s.Take("a")
	s.Keep("a", e, false)
	if err := s.Save(); err != nil {
		t.Fatal(err)
	}
	if s := openTest(t, dir, "v1"); len(s.old) != 1 {
		t.Errorf("after dropping b: %d entries", len(s.old))
	}
}
