package cachedir

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
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
	// Many chunks of entries of every size, saved by a store that read
	// none (its first chunk sizes the others) and again by one that read
	// them: the encoders' buffers go round between chunks.
	many := openTest(t, t.TempDir(), "v1")
	const m = 9*chunkEntries + 1
	text := func(i int) string { return strings.Repeat("x", i%997) + fmt.Sprint(i) }
	for i := range m {
		many.Keep(fmt.Sprint("page", i), entry{N: i, Text: text(i)}, true)
	}
	for round := range 2 {
		if err := many.Save(); err != nil {
			t.Fatal(err)
		}
		back := OpenStore[entry](many.root, "test.gob", "v1", 1<<30)
		for i := range m {
			if e, ok := back.Take(fmt.Sprint("page", i)); !ok || e.N != i || e.Text != text(i) {
				t.Fatalf("round %d, page%d: %+v %v", round, i, e, ok)
			}
			back.Keep(fmt.Sprint("page", i), entry{N: i, Text: text(i)}, round == 0)
		}
		many = back
	}
	if other := openTest(t, dir, "v2"); len(other.old) != 0 {
		t.Errorf("another version read %d entries", len(other.old))
	}
	// A version as long as a binary's build information.
	long := strings.Repeat("dep\tgithub.com/example/module\tv1.2.3\th1:abc=\n", 200)
	ls := openTest(t, dir, long)
	ls.Keep("k", entry{N: 1}, true)
	if err := ls.Save(); err != nil {
		t.Fatal(err)
	}
	if back := openTest(t, dir, long); len(back.old) != 1 {
		t.Errorf("a %d-byte version read %d entries, want 1", len(long), len(back.old))
	}
	if err := s.Save(); err != nil { // the file the rest of the test damages
		t.Fatal(err)
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
	// The header's chunk count, one less or one more: the chunks left over
	// or missing make the file damaged, not a partial read.
	count := len(appendHeader(nil, "v1", 0)) - 1
	if data[count] != 3 {
		t.Fatalf("chunk count %d at byte %d, want 3", data[count], count)
	}
	for _, c := range []byte{2, 4} {
		damaged := append([]byte{}, data...)
		damaged[count] = c
		os.WriteFile(file, damaged, 0o644)
		if s := openTest(t, dir, "v1"); len(s.old) != 0 {
			t.Errorf("a file claiming %d chunks of 3 read %d entries", c, len(s.old))
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
