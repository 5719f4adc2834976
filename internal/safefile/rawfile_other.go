//go:build !linux

package safefile

import (
	"errors"
	"io/fs"
	"os"
	"syscall"
)

// rawFile is an open file (on Linux, its descriptor alone).
type rawFile struct{ *os.File }

// openRaw opens path for reading; with noFollow, a symlink as its last
// element is a NotRegularError.
func openRaw(path string, noFollow bool) (rawFile, error) {
	open := openNonBlocking
	if noFollow {
		open = openNoFollow
	}
	f, err := open(path)
	// O_NOFOLLOW met a symlink: ELOOP, or EMLINK on FreeBSD.
	if noFollow && (errors.Is(err, syscall.ELOOP) || errors.Is(err, syscall.EMLINK)) {
		return rawFile{}, &NotRegularError{Path: path, Mode: fs.ModeSymlink}
	}
	return rawFile{f}, err
}

// info returns what the open file is.
func (f rawFile) info() (fileInfo, error) {
	fi, err := f.Stat()
	if err != nil {
		return fileInfo{}, err
	}
	return fileInfo{size: fi.Size(), mode: fi.Mode().Type(), modTime: fi.ModTime().UnixNano()}, nil
}

// WriteFile writes data to a new file at path (or over the regular file
// there; never through a symlink), and returns its modification time (Unix
// nanoseconds).
func WriteFile(path string, data []byte) (modTime int64, err error) {
	f, err := openForWrite(path)
	if err != nil {
		return 0, err
	}
	_, err = f.Write(data)
	var fi os.FileInfo
	if err == nil {
		fi, err = f.Stat()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, err
	}
	if !fi.Mode().IsRegular() {
		return 0, &NotRegularError{Path: path, Mode: fi.Mode()}
	}
	return fi.ModTime().UnixNano(), nil
}

func (f rawFile) close() { f.Close() }

// name is the file's path, as errors show it.
func (f rawFile) name() string { return f.Name() }
