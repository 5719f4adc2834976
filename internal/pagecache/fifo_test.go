//go:build unix

package pagecache

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// A FIFO in place of the file never blocks a run: it is not a cache.
func TestFIFOIsNotRead(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, filepath.FromSlash(Dir), testFile)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(path, 0o644); err != nil {
		t.Fatal(err)
	}
	c := open(t, dir, "v1", files{})
	if _, ok := c.Get("a.md", Key("a", nil)); ok {
		t.Error("hit from a FIFO")
	}
}
