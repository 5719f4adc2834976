//go:build !unix

package safefile

import (
	"io/fs"
	"os"
)

// openNonBlocking opens path for reading (no FIFOs to block on here).
func openNonBlocking(path string) (*os.File, error) { return os.Open(path) }

// openNoFollow is openNonBlocking that refuses a symlink as the last
// element of path (checked before opening: there is no O_NOFOLLOW here).
func openNoFollow(path string) (*os.File, error) {
	fi, err := os.Lstat(path)
	if err != nil {
		return nil, err
	}
	if fi.Mode()&os.ModeSymlink != 0 {
		return nil, &NotRegularError{Path: path, Mode: fs.ModeSymlink}
	}
	return os.Open(path)
}

// rawFile is an open file; on Unix, its descriptor alone.
type rawFile struct{ *os.File }

// openRaw opens path for reading; with noFollow, a symlink as its last
// element is a NotRegularError.
func openRaw(path string, noFollow bool) (rawFile, error) {
	open := openNonBlocking
	if noFollow {
		open = openNoFollow
	}
	f, err := open(path)
	return rawFile{f}, err
}

// stat returns the open file's size and type.
func (f rawFile) stat() (int64, fs.FileMode, error) {
	fi, err := f.Stat()
	if err != nil {
		return 0, 0, err
	}
	return fi.Size(), fi.Mode().Type(), nil
}

func (f rawFile) close() { f.Close() }
