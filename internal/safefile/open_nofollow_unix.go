//go:build unix && !linux

package safefile

import (
	"os"
	"syscall"
)

// openNoFollow is openNonBlocking that refuses a symlink as the last
// element of path.
func openNoFollow(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK|syscall.O_NOFOLLOW, 0)
}

// openForWrite creates or truncates path for writing, never through a
// symlink at path, never waiting on a FIFO.
func openForWrite(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0o644)
}
