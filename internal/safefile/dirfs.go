package safefile

import (
	"fmt"
	"io/fs"
	"path/filepath"
)

// DirFS is os.DirFS for a folder given by a user (a theme): Open never
// blocks, and refuses anything but regular files and folders, and any path
// that resolves (through symlinks) outside the folder.
func DirFS(root string) fs.FS { return dirFS(root) }

type dirFS string

func (d dirFS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	root, err := filepath.EvalSymlinks(string(d))
	if err != nil {
		return nil, err
	}
	real, err := filepath.EvalSymlinks(filepath.Join(root, filepath.FromSlash(name)))
	if err != nil {
		return nil, err
	}
	if !Within(root, real) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fmt.Errorf("it leads to %s, outside %s", real, string(d))}
	}
	f, err := openNonBlocking(real)
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if !fi.Mode().IsRegular() && !fi.IsDir() {
		f.Close()
		return nil, &fs.PathError{Op: "open", Path: name, Err: &NotRegularError{Path: name, Mode: fi.Mode()}}
	}
	return f, nil
}
