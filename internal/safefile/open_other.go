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

// openForWrite creates or truncates path for writing, refusing a symlink
// at path (checked before opening: there is no O_NOFOLLOW here).
func openForWrite(path string) (*os.File, error) {
	if fi, err := os.Lstat(path); err == nil && fi.Mode()&os.ModeSymlink != 0 {
		return nil, &NotRegularError{Path: path, Mode: fs.ModeSymlink}
	}
	return os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
}
