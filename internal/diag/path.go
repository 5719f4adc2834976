package diag

import (
	"path/filepath"
	"strings"
)

// ShortPath returns path relative to workDir when it is below it, slashed,
// for diagnostics an editor can open from there; else path as it is.
func ShortPath(workDir, path string) string {
	if workDir == "" {
		return path
	}
	rel, err := filepath.Rel(workDir, path)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return path
	}
	return filepath.ToSlash(rel)
}
