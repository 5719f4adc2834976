package diag

import (
	"github.com/docsgen/docsgen/internal/safefile"
	"path/filepath"
)

// ShortPath returns path relative to workDir when it is below it, slashed,
// for diagnostics an editor can open from there; else path as it is.
func ShortPath(workDir, path string) string {
	if workDir == "" {
		return path
	}
	if !safefile.Within(workDir, path) {
		return path
	}
	rel, _ := filepath.Rel(workDir, path)
	return filepath.ToSlash(rel)
}
