// Package safefile reads files given by users without ever blocking: a
// named pipe, a device or a socket where a page, an include or an env file
// should be is refused, not opened for reading.
package safefile

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
)

// NotRegularError says a path names something other than a regular file.
type NotRegularError struct {
	Path string
	Mode fs.FileMode
}

// Error names the kind, not the path: callers quote the path as the user
// wrote it.
func (e *NotRegularError) Error() string {
	return fmt.Sprintf("it is %s, not a regular file; docsgen reads only regular files", Kind(e.Mode))
}

// Kind names a file type for messages.
func Kind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a folder"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0 || m&fs.ModeCharDevice != 0:
		return "a device"
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	case m.IsRegular():
		return "a regular file"
	}
	return "a special file"
}

// MaxSize bounds what Read reads: a page, an include or a theme file larger
// than this is a mistake (a log or a disk image in the content folder), not
// something to hold in memory.
const MaxSize = 64 << 20

// TooLargeError says a file is over the limit it was read with; Size is
// at least Limit+1 (a file growing while read stops there).
type TooLargeError struct{ Size, Limit int64 }

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("it is %d MiB, more than the %d MiB docsgen reads", e.Size>>20, e.Limit>>20)
}

// Read returns the contents of the regular file at path, up to MaxSize.
func Read(path string) ([]byte, error) { return ReadLimit(path, MaxSize) }

// ReadLimit returns the contents of the regular file at path, refusing one
// over limit bytes. The file is opened without blocking and checked on the
// open descriptor, so a FIFO swapped in after a check cannot hang the read.
func ReadLimit(path string, limit int64) ([]byte, error) {
	return readLimit(path, false, limit, nil)
}

// ReadNoFollowInto is ReadLimit that refuses a symlink as the last element
// of path with a NotRegularError (Mode fs.ModeSymlink), and reads into buf
// when the file fits in its capacity: a caller that allows some symlinks
// reads the common case in one open instead of an lstat and an open.
func ReadNoFollowInto(path string, limit int64, buf []byte) ([]byte, error) {
	return readLimit(path, true, limit, buf)
}

func readLimit(path string, noFollow bool, limit int64, buf []byte) ([]byte, error) {
	f, err := openRaw(path, noFollow)
	if err != nil {
		return nil, err
	}
	defer f.close()
	return f.readAll(limit, buf)
}

// readAll reads the open file f whole when it is a regular file of at
// most limit bytes, into buf when it fits.
func (f rawFile) readAll(limit int64, buf []byte) ([]byte, error) {
	info, err := f.info()
	if err != nil {
		return nil, err
	}
	if !info.mode.IsRegular() {
		return nil, &NotRegularError{Path: f.name(), Mode: info.mode}
	}
	if info.size > limit {
		return nil, &TooLargeError{Size: info.size, Limit: limit}
	}
	data := buf[:0]
	if int64(cap(buf)) <= info.size {
		data = make([]byte, 0, info.size+1)
	}
	for {
		n, err := f.Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		if err == io.EOF || err == nil && info.size > 0 && int64(len(data)) == info.size {
			// All the bytes fstat counted: the file as it was then, without
			// a second read to find its end (one per page of a build).
			return data, nil
		}
		if err != nil {
			return nil, err
		}
		if int64(len(data)) > limit { // it grew while we read
			return nil, &TooLargeError{Size: int64(len(data)), Limit: limit}
		}
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)]
		}
	}
}

// Matches reports whether path is a regular file holding exactly data, and
// its modification time (Unix nanoseconds), as a hard link to it will have.
// It never follows a symlink at path, nor blocks on a FIFO, and compares as
// it reads, a buffer at a time (a build compares every output file it
// writes with the last one: whole copies were 7 % of a large build's
// allocations).
func Matches(path string, data []byte) (modTime int64, ok bool) {
	f, err := openRaw(path, true)
	if err != nil {
		return 0, false
	}
	defer f.close()
	info, err := f.info()
	if err != nil || !info.mode.IsRegular() || info.size != int64(len(data)) {
		return 0, false
	}
	bp := compareBuffers.Get().(*[]byte)
	defer compareBuffers.Put(bp)
	buf, rest := *bp, data
	for {
		n, err := f.Read(buf)
		// More than data (the file grew since Stat), or other bytes.
		if n > len(rest) || !bytes.Equal(buf[:n], rest[:n]) {
			return 0, false
		}
		rest = rest[n:]
		if err == io.EOF {
			return info.modTime, len(rest) == 0
		}
		if err != nil {
			return 0, false
		}
	}
}

// fileInfo is what an open file is: its size, type and modification time
// (Unix nanoseconds).
type fileInfo struct {
	size    int64
	mode    fs.FileMode
	modTime int64
}

var compareBuffers = sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }}

// CheckRegular reports a NotRegularError unless path (symlinks followed) is a
// regular file.
func CheckRegular(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	if !fi.Mode().IsRegular() {
		return &NotRegularError{Path: path, Mode: fi.Mode()}
	}
	return nil
}

// Within reports whether p is dir or below it. Both must be cleaned the
// same way (both absolute, or both real paths when symlinks matter).
func Within(dir, p string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && (rel == "." || filepath.IsLocal(rel))
}
