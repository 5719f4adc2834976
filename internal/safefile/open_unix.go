//go:build unix

package safefile

import (
	"io"
	"io/fs"
	"os"
	"syscall"
)

// openNonBlocking opens path for reading; O_NONBLOCK makes opening a FIFO
// with no writer return at once instead of waiting for one.
func openNonBlocking(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}

// openNoFollow is openNonBlocking that refuses a symlink as the last
// element of path.
func openNoFollow(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK|syscall.O_NOFOLLOW, 0)
}

// rawFile is a file read through its descriptor alone. An os.File would
// register it with the runtime's poller (a failing epoll_ctl for a regular
// file) and set a cleanup on it: for every one of the thousands of pages
// and output files a build reads.
type rawFile struct{ fd int }

// openRaw opens path for reading without blocking on a FIFO; with
// noFollow, a symlink as its last element is a NotRegularError.
func openRaw(path string, noFollow bool) (rawFile, error) {
	flags := syscall.O_RDONLY | syscall.O_NONBLOCK | syscall.O_CLOEXEC
	if noFollow {
		flags |= syscall.O_NOFOLLOW
	}
	for {
		fd, err := syscall.Open(path, flags, 0)
		switch {
		case err == syscall.EINTR:
			continue
		case err == syscall.ELOOP && noFollow:
			return rawFile{-1}, &NotRegularError{Path: path, Mode: fs.ModeSymlink}
		case err != nil:
			return rawFile{-1}, &fs.PathError{Op: "open", Path: path, Err: err}
		}
		return rawFile{fd}, nil
	}
}

// stat returns the open file's size and type.
func (f rawFile) stat() (int64, fs.FileMode, error) {
	var st syscall.Stat_t
	if err := syscall.Fstat(f.fd, &st); err != nil {
		return 0, 0, &fs.PathError{Op: "fstat", Err: err}
	}
	var mode fs.FileMode
	switch uint32(st.Mode) & syscall.S_IFMT {
	case syscall.S_IFREG:
	case syscall.S_IFDIR:
		mode = fs.ModeDir
	case syscall.S_IFIFO:
		mode = fs.ModeNamedPipe
	case syscall.S_IFSOCK:
		mode = fs.ModeSocket
	case syscall.S_IFCHR:
		mode = fs.ModeDevice | fs.ModeCharDevice
	case syscall.S_IFBLK:
		mode = fs.ModeDevice
	case syscall.S_IFLNK:
		mode = fs.ModeSymlink
	default:
		mode = fs.ModeIrregular
	}
	return st.Size, mode, nil
}

// Read reads like io.Reader: io.EOF at the end.
func (f rawFile) Read(b []byte) (int, error) {
	for {
		n, err := syscall.Read(f.fd, b)
		switch {
		case err == syscall.EINTR:
			continue
		case err != nil:
			return 0, &fs.PathError{Op: "read", Err: err}
		case n == 0 && len(b) > 0:
			return 0, io.EOF
		}
		return n, nil
	}
}

func (f rawFile) close() { syscall.Close(f.fd) }
