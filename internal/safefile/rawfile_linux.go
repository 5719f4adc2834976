package safefile

import (
	"io"
	"io/fs"
	"os"
	"strings"
	"syscall"
	"time"
)

// rawFile is a file read through its descriptor alone. An os.File would
// register it with the runtime's poller (a failing epoll_ctl for a regular
// file) and set a cleanup on it: for every one of the thousands of pages
// and output files a build reads.
type rawFile struct {
	fd   int
	path string // named in errors
}

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
			return rawFile{fd: -1}, &NotRegularError{Path: path, Mode: fs.ModeSymlink}
		case err != nil:
			return rawFile{fd: -1}, &fs.PathError{Op: "open", Path: path, Err: err}
		}
		return rawFile{fd: fd, path: path}, nil
	}
}

// info returns what the open file is.
func (f rawFile) info() (fileInfo, error) {
	var st syscall.Stat_t
	if err := syscall.Fstat(f.fd, &st); err != nil {
		return fileInfo{}, &fs.PathError{Op: "fstat", Path: f.path, Err: err}
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
	return fileInfo{size: st.Size, mode: mode, modTime: time.Unix(int64(st.Mtim.Sec), int64(st.Mtim.Nsec)).UnixNano()}, nil
}

// Read reads like io.Reader: io.EOF at the end.
func (f rawFile) Read(b []byte) (int, error) {
	for {
		n, err := syscall.Read(f.fd, b)
		switch {
		case err == syscall.EINTR:
			continue
		case err != nil:
			return 0, &fs.PathError{Op: "read", Path: f.path, Err: err}
		case n == 0 && len(b) > 0:
			return 0, io.EOF
		}
		return n, nil
	}
}

func (f rawFile) close() { syscall.Close(f.fd) }

// name is the file's path, as errors show it.
func (f rawFile) name() string { return f.path }

// WriteFile writes data to a new file at path (or over the regular file
// there; never through a symlink), mode 0644 before the umask, and returns
// its modification time (Unix nanoseconds). It goes through the raw
// descriptor, as openRaw does: a build writes thousands of files.
func WriteFile(path string, data []byte) (modTime int64, err error) {
	var fd int
	for {
		fd, err = syscall.Open(path, syscall.O_WRONLY|syscall.O_CREAT|syscall.O_TRUNC|syscall.O_CLOEXEC|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0o644)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		return 0, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	f := rawFile{fd: fd, path: path}
	for rest := data; len(rest) > 0; {
		n, err := syscall.Write(fd, rest)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			f.close()
			return 0, &fs.PathError{Op: "write", Path: path, Err: err}
		}
		rest = rest[n:]
	}
	info, err := f.info()
	if cerr := syscall.Close(fd); err == nil && cerr != nil {
		err = &fs.PathError{Op: "close", Path: path, Err: cerr}
	}
	if err == nil && !info.mode.IsRegular() {
		err = &NotRegularError{Path: path, Mode: info.mode}
	}
	return info.modTime, err
}

// ReadIn returns the contents of the regular file name (one path element)
// in the open folder dir, refusing a symlink, a special file or one over
// limit bytes, like ReadNoFollowInto. It opens relative to dir's
// descriptor: nothing above dir is looked up again, and the file is never
// registered with the poller. The descriptor is used inside dir's
// SyscallConn, so a Close of dir meanwhile waits rather than letting the
// number go to another file.
func ReadIn(dir *os.File, name string, limit int64) ([]byte, error) {
	if name == "" || strings.ContainsRune(name, '/') || name == "." || name == ".." {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	rc, err := dir.SyscallConn()
	if err != nil {
		return nil, err
	}
	fd := -1
	if cerr := rc.Control(func(dirFD uintptr) {
		for {
			fd, err = syscall.Openat(int(dirFD), name, syscall.O_RDONLY|syscall.O_NONBLOCK|syscall.O_CLOEXEC|syscall.O_NOFOLLOW, 0)
			if err != syscall.EINTR {
				return
			}
		}
	}); cerr != nil {
		return nil, cerr
	}
	switch {
	case err == syscall.ELOOP:
		return nil, &NotRegularError{Path: name, Mode: fs.ModeSymlink}
	case err != nil:
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	f := rawFile{fd: fd, path: name}
	defer f.close()
	return f.readAll(limit, nil)
}
