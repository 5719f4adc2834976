//go:build unix

package safefile

import (
	"errors"
	"io/fs"
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

// TestReadNoFollowInto: a regular file is read; a symlink to one is refused as
// a symlink (Kind names it), unlike Read, which follows it; a FIFO is
// refused at once, a missing file is fs.ErrNotExist.
func TestReadNoFollowInto(t *testing.T) {
	dir := t.TempDir()
	file, link, fifo := filepath.Join(dir, "a.md"), filepath.Join(dir, "b.md"), filepath.Join(dir, "c.md")
	os.WriteFile(file, []byte("# A\n"), 0o644)
	os.Symlink("a.md", link)
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	if got, err := ReadNoFollowInto(file, MaxSize, nil); err != nil || string(got) != "# A\n" {
		t.Errorf("ReadNoFollow(file) = %q, %v", got, err)
	}
	var nr *NotRegularError
	if _, err := ReadNoFollowInto(link, MaxSize, nil); !errors.As(err, &nr) || Kind(nr.Mode) != "a symbolic link" {
		t.Errorf("ReadNoFollow(symlink) = %v, want a NotRegularError for a symbolic link", err)
	}
	if got, err := Read(link); err != nil || string(got) != "# A\n" {
		t.Errorf("Read(symlink) = %q, %v", got, err)
	}
	done := make(chan error, 1)
	go func() { _, err := ReadNoFollowInto(fifo, MaxSize, nil); done <- err }()
	select {
	case err := <-done:
		if !errors.As(err, &nr) || Kind(nr.Mode) != "a named pipe (FIFO)" {
			t.Errorf("ReadNoFollow(fifo) = %v, want a NotRegularError for a FIFO", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("ReadNoFollow(fifo) blocked")
	}
	if _, err := ReadNoFollowInto(filepath.Join(dir, "none.md"), MaxSize, nil); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("ReadNoFollow(missing) = %v, want fs.ErrNotExist", err)
	}
	if _, err := ReadNoFollowInto(file, 2, nil); err == nil {
		t.Error("ReadNoFollow over the limit: no error")
	}
}

// TestWriteFile: a new file is written and its modification time is the
// one Lstat reports; a regular file is replaced; a symlink is never written
// through (its target keeps its bytes).
func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "a.html")
	for _, want := range []string{"<p>one</p>\n", "two"} {
		mt, err := WriteFile(p, []byte(want))
		if err != nil {
			t.Fatal(err)
		}
		got, _ := os.ReadFile(p)
		fi, _ := os.Lstat(p)
		if string(got) != want || fi.ModTime().UnixNano() != mt {
			t.Errorf("WriteFile(%q): file %q, mtime %d, want %d", want, got, mt, fi.ModTime().UnixNano())
		}
		if m, ok := Matches(p, []byte(want)); !ok || m != mt {
			t.Errorf("Matches after WriteFile(%q) = %d, %v; want %d, true", want, m, ok, mt)
		}
	}
	target, link := filepath.Join(dir, "target"), filepath.Join(dir, "link.html")
	os.WriteFile(target, []byte("KEEP"), 0o644)
	os.Symlink(target, link)
	if _, err := WriteFile(link, []byte("X")); err == nil {
		t.Error("WriteFile through a symlink: no error")
	}
	if got, _ := os.ReadFile(target); string(got) != "KEEP" {
		t.Errorf("the symlink's target became %q", got)
	}
}

// TestDirFS: a theme folder's files are read, its folders listed; a
// symlink out of it, a FIFO and a bad path are refused, none blocking.
func TestDirFS(t *testing.T) {
	dir := t.TempDir()
	theme := filepath.Join(dir, "theme")
	os.MkdirAll(filepath.Join(theme, "static", "css"), 0o755)
	os.WriteFile(filepath.Join(theme, "static", "css", "a.css"), []byte("a{}"), 0o644)
	os.WriteFile(filepath.Join(dir, "secret"), []byte("SECRET"), 0o644)
	os.Symlink(filepath.Join(dir, "secret"), filepath.Join(theme, "static", "leak.css"))
	os.Symlink("css/a.css", filepath.Join(theme, "static", "alias.css"))
	syscall.Mkfifo(filepath.Join(theme, "static", "pipe.css"), 0o644)
	fsys := DirFS(theme)
	if b, err := fs.ReadFile(fsys, "static/css/a.css"); err != nil || string(b) != "a{}" {
		t.Errorf("ReadFile = %q, %v", b, err)
	}
	if b, err := fs.ReadFile(fsys, "static/alias.css"); err != nil || string(b) != "a{}" {
		t.Errorf("a symlink inside the folder: %q, %v", b, err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for _, name := range []string{"static/leak.css", "static/pipe.css", "../secret", "/etc/passwd"} {
			if b, err := fs.ReadFile(fsys, name); err == nil {
				t.Errorf("%s read: %q", name, b)
			}
		}
		var names []string
		fs.WalkDir(fsys, "static", func(p string, d fs.DirEntry, err error) error {
			names = append(names, p)
			return nil
		})
		if len(names) < 4 {
			t.Errorf("walk saw %v", names)
		}
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("blocked")
	}
}

// TestReadRefusesHugeFiles: a sparse file over the limit is refused from
// its size, without reading it.
func TestReadRefusesHugeFiles(t *testing.T) {
	p := filepath.Join(t.TempDir(), "huge.md")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(MaxSize + 1); err != nil {
		t.Fatal(err)
	}
	f.Close()
	var tl *TooLargeError
	if _, err := Read(p); !errors.As(err, &tl) {
		t.Errorf("Read(%d bytes) = %v, want TooLargeError", MaxSize+1, err)
	}
}

func TestWithin(t *testing.T) {
	for _, c := range []struct {
		dir, p string
		want   bool
	}{
		{"/p", "/p", true}, {"/p", "/p/a/b", true}, {"/p", "/p/..x", true},
		{"/p", "/", false}, {"/p", "/q", false}, {"/p", "/p/../q", false}, {"/p/a", "/p", false},
	} {
		if got := Within(c.dir, c.p); got != c.want {
			t.Errorf("Within(%q, %q) = %v", c.dir, c.p, got)
		}
	}
}

// TestMatches: only a regular file with exactly the bytes matches them; a
// symlink to such a file, a FIFO, a folder, a device, a longer or other
// file do not, and nothing blocks. A match says the file's modification
// time.
func TestMatches(t *testing.T) {
	holds := func(p string, data []byte) bool { _, ok := Matches(p, data); return ok }
	dir := t.TempDir()
	data := []byte("<p>page</p>\n")
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	same := write("same.html", data)
	empty := write("empty.html", nil)
	if mt, ok := Matches(same, data); !ok {
		t.Error("a file with the bytes does not hold them")
	} else if fi, _ := os.Stat(same); fi.ModTime().UnixNano() != mt {
		t.Errorf("Matches: modification time %d, want %d", mt, fi.ModTime().UnixNano())
	}
	if !holds(empty, nil) || holds(empty, data) || holds(same, nil) {
		t.Error("empty files and data compared wrong")
	}
	// Larger than the compare buffer: equal, and one byte off near the end.
	big := []byte(strings.Repeat("0123456789abcdef", 10000))
	bigFile := write("big.html", big)
	if !holds(bigFile, big) {
		t.Error("a 160 KB file with the bytes does not hold them")
	}
	changed := append([]byte{}, big...)
	changed[len(changed)-3] = 'X'
	if holds(bigFile, changed) {
		t.Error("a 160 KB file holds bytes it differs from near its end")
	}
	link := filepath.Join(dir, "link.html")
	if err := os.Symlink(same, link); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "fifo.html")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	other := write("other.html", []byte("<p>Page</p>\n"))
	longer := write("longer.html", append(append([]byte{}, data...), 'x'))
	for _, p := range []string{link, fifo, dir, "/dev/null", other, longer, filepath.Join(dir, "missing")} {
		done := make(chan bool, 1)
		go func() { done <- holds(p, data) || holds(p, nil) }()
		select {
		case held := <-done:
			if held {
				t.Errorf("%s holds the bytes", p)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("Matches(%s) blocked", p)
		}
	}
}
