package safefile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestReadIn: a regular file in the folder is read; a symlink (even to a
// file beside it), a FIFO (without blocking), a name with a separator and
// a file over the limit are refused.
func TestReadIn(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a"), []byte("entry"), 0o644)
	os.Symlink("a", filepath.Join(dir, "link"))
	os.Mkdir(filepath.Join(dir, "sub"), 0o755)
	os.WriteFile(filepath.Join(dir, "sub", "b"), []byte("below"), 0o644)
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo"), 0o644); err != nil {
		t.Fatal(err)
	}
	d, err := os.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if got, err := ReadIn(d, "a", MaxSize); err != nil || string(got) != "entry" {
		t.Errorf("ReadIn(a) = %q, %v", got, err)
	}
	var nr *NotRegularError
	if _, err := ReadIn(d, "link", MaxSize); !errors.As(err, &nr) || nr.Mode != fs.ModeSymlink {
		t.Errorf("ReadIn(symlink) = %v, want a NotRegularError for a symbolic link", err)
	}
	for _, name := range []string{"sub/b", "..", ".", ""} {
		if got, err := ReadIn(d, name, MaxSize); err == nil {
			t.Errorf("ReadIn(%q) = %q, want an error: one path element only", name, got)
		}
	}
	done := make(chan error, 1)
	go func() { _, err := ReadIn(d, "fifo", MaxSize); done <- err }()
	select {
	case err := <-done:
		if !errors.As(err, &nr) || nr.Mode != fs.ModeNamedPipe {
			t.Errorf("ReadIn(fifo) = %v, want a NotRegularError for a FIFO", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("ReadIn(fifo) blocked")
	}
	if _, err := ReadIn(d, "missing", MaxSize); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("ReadIn(missing) = %v, want fs.ErrNotExist", err)
	}
	var tl *TooLargeError
	if _, err := ReadIn(d, "a", 2); !errors.As(err, &tl) {
		t.Errorf("ReadIn over the limit = %v, want a TooLargeError", err)
	}
}
