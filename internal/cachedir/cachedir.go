// Package cachedir is the folder docsgen's persistent caches share,
// .docsgen/cache/ in the project, and the one safe way they read from it.
package cachedir

import (
	"bufio"
	"crypto/rand"
	"errors"
	"io"
	"io/fs"
	"os"
	"path"
	"strings"
	"time"
)

// Dir is the caches' folder, relative to the project folder.
const Dir = ".docsgen/cache"

// Make creates the folder sub of Dir ("" for Dir itself) below the project
// root, and marks Dir as a cache for backup and archiving tools
// (CACHEDIR.TAG) and for git (.gitignore), whichever cache runs first.
func Make(project *os.Root, sub string) error {
	if err := project.MkdirAll(path.Join(Dir, sub), 0o755); err != nil {
		return err
	}
	_ = writeIfMissing(project, path.Join(Dir, "CACHEDIR.TAG"),
		"Signature: 8a477f597d28d172789f06886806bc55\n# docsgen's build cache; deleting it only slows the next build.\n")
	_ = writeIfMissing(project, path.Join(Dir, ".gitignore"), "*\n")
	return nil
}

func writeIfMissing(root *os.Root, name, text string) error {
	f, err := root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	_, err = f.WriteString(text)
	return errors.Join(err, f.Close())
}

// ErrNotCacheFile is what ReadRegular says of a file that is not a
// regular file or is larger than allowed.
var ErrNotCacheFile = errors.New("not a cache file")

// ReadRegular reads name below root: a regular file of at most maxSize
// bytes (see OpenRegular).
func ReadRegular(root *os.Root, name string, maxSize int64) ([]byte, error) {
	f, size, err := OpenRegular(root, name, maxSize)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data := make([]byte, size)
	if _, err := io.ReadFull(f, data); err != nil {
		return nil, err
	}
	return data, nil
}

// OpenRegular opens name below root for reading when it is a regular file
// of at most maxSize bytes, and returns its size. It opens without
// blocking, so a FIFO put in the cache cannot hang a run, and root keeps a
// symbolic link from leading out of it.
func OpenRegular(root *os.Root, name string, maxSize int64) (*os.File, int64, error) {
	f, err := root.OpenFile(name, os.O_RDONLY|nonBlocking, 0)
	if err != nil {
		return nil, 0, err
	}
	fi, err := f.Stat()
	if err == nil && (!fi.Mode().IsRegular() || fi.Size() > maxSize) {
		err = ErrNotCacheFile
	}
	if err != nil {
		f.Close()
		return nil, 0, err
	}
	return f, fi.Size(), nil
}

// tempInfix follows a cache file's name in the temporary files being
// written.
const tempInfix = ".tmp-"

// staleTemp is how old a temporary file must be to be the leftover of a
// killed run, not one being written.
const staleTemp = time.Hour

// WriteFile replaces name below root with data: written to a temporary file
// beside it and renamed into place, so a run reading it never sees half of
// it and, of two runs writing it, the last to finish wins. Temporary files
// that killed runs left are removed first.
func WriteFile(root *os.Root, name string, data []byte) error {
	return WriteFileFunc(root, name, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// WriteFileFunc is WriteFile with the contents written by write, through a
// buffer: a large file need not be held in memory whole.
func WriteFileFunc(root *os.Root, name string, write func(w io.Writer) error) error {
	removeStaleTemps(root, name)
	tmp := name + tempInfix + rand.Text()
	f, err := root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<16)
	err = write(w)
	if err == nil {
		err = w.Flush()
	}
	if err = errors.Join(err, f.Close()); err == nil {
		err = root.Rename(tmp, name)
	}
	if err != nil {
		_ = root.Remove(tmp)
	}
	return err
}

// removeStaleTemps removes the temporary files of name that killed runs
// left (only names WriteFile makes).
func removeStaleTemps(root *os.Root, name string) {
	dir, base := path.Split(name)
	entries, err := fs.ReadDir(root.FS(), path.Clean(dir))
	if err != nil {
		return
	}
	now := time.Now()
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), base+tempInfix) || !e.Type().IsRegular() {
			continue
		}
		if fi, err := e.Info(); err == nil && now.Sub(fi.ModTime()) > staleTemp {
			_ = root.Remove(dir + e.Name())
		}
	}
}
