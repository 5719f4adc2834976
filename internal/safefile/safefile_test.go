//go:build unix

package safefile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestReadRegular(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "a.txt")
	want := strings.Repeat("line\n", 10000)
	if err := os.WriteFile(p, []byte(want), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := Read(p)
	if err != nil || string(got) != want {
		t.Fatalf("Read = %d bytes, %v; want %d bytes", len(got), err, len(want))
	}
	empty := filepath.Join(dir, "empty")
	os.WriteFile(empty, nil, 0o644)
	if got, err := Read(empty); err != nil || len(got) != 0 {
		t.Fatalf("Read(empty) = %q, %v", got, err)
	}
}

// TestReadRefusesSpecialFiles: a FIFO with no writer, a folder and a device
// are refused at once, never waited on.
func TestReadRefusesSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "page.md")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{fifo, dir, "/dev/zero"} {
		done := make(chan error, 1)
		go func() { _, err := Read(p); done <- err }()
		select {
		case err := <-done:
			var nr *NotRegularError
			if !errors.As(err, &nr) {
				t.Errorf("Read(%s) = %v, want a NotRegularError", p, err)
			}
			if err := CheckRegular(p); !errors.As(err, &nr) {
				t.Errorf("CheckRegular(%s) = %v, want a NotRegularError", p, err)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("Read(%s) blocked", p)
		}
	}
}
