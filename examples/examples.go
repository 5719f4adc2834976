// Package examples embeds the example deployments, so the check catalog can
// run its documented examples against the same production deployment the
// guide includes.
package examples

import (
	"embed"
	"io/fs"
	"strings"
)

//go:embed production
var production embed.FS

// Production returns examples/production: a deployment every check passes.
func Production() fs.FS {
	sub, err := fs.Sub(production, "production")
	if err != nil {
		panic(err) // the embedded folder is part of the binary
	}
	return sub
}

//go:embed insecure
var insecure embed.FS

// PublishedSecrets are the values of the secrets (by variable name) that
// the example deployments, and so the documentation, publish: a deployment
// that uses one is not secret.
func PublishedSecrets() map[string]bool {
	out := map[string]bool{}
	for _, fsys := range []fs.FS{production, insecure} {
		_ = fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".env") {
				return nil
			}
			data, err := fs.ReadFile(fsys, p)
			if err != nil {
				return nil
			}
			for _, line := range strings.Split(string(data), "\n") {
				k, v, ok := strings.Cut(strings.TrimSpace(line), "=")
				if ok && isSecretName(k) && len(v) >= 12 {
					v = strings.Trim(v, `'"`)
					// Compose reads $$ in an env file as one $.
					out[v], out[strings.ReplaceAll(v, "$$", "$")] = true, true
				}
			}
			return nil
		})
	}
	return out
}

// isSecretName is a coarse test of a variable name; it only picks which
// example values count as published.
func isSecretName(k string) bool {
	for _, w := range []string{"SECRET", "PASSWORD", "AUTH", "KEY"} {
		if strings.Contains(k, w) {
			return true
		}
	}
	return false
}
