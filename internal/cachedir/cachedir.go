// Package cachedir is the folder docsgen's persistent caches share,
// .docsgen/cache/ in the project, and the one safe way they read from it.
package cachedir

import (
	"errors"
	"io"
	"os"
	"path"
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
// bytes. It opens without blocking, so a FIFO put in the cache cannot hang
// a run, and root keeps a symbolic link from leading out of it.
func ReadRegular(root *os.Root, name string, maxSize int64) ([]byte, error) {
	f, err := root.OpenFile(name, os.O_RDONLY|nonBlocking, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() || fi.Size() > maxSize {
		return nil, ErrNotCacheFile
	}
	data := make([]byte, fi.Size())
	if _, err := io.ReadFull(f, data); err != nil {
		return nil, err
	}
	return data, nil
}
