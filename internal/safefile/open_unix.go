//go:build unix

package safefile

import (
	"os"
	"syscall"
)

// openNonBlocking opens path for reading; O_NONBLOCK makes opening a FIFO
// with no writer return at once instead of waiting for one.
func openNonBlocking(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}
