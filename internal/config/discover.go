package config

import (
	"os"
	"path/filepath"
)

// Find returns the nearest docsgen.yaml in start or a folder above it, as
// git finds its repository, or "" when there is none up to the file
// system's root. start need not exist yet below the last folder that does.
func Find(start string) (string, error) {
	dir, err := filepath.Abs(start)
	if err != nil {
		return "", err
	}
	for {
		candidate := filepath.Join(dir, FileName)
		// Lstat: a docsgen.yaml that is a pipe or a symlink is still the
		// project's config; Load then refuses it with its reason. A folder
		// that cannot be looked into (or a path through a file) holds none.
		if _, err := os.Lstat(candidate); err == nil {
			return candidate, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", nil
		}
		dir = parent
	}
}
