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
