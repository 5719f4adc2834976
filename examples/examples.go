// Package examples embeds the example deployments, so the check catalog can
// run its documented examples against the same production deployment the
// guide includes.
package examples

import (
	"embed"
	"io/fs"
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
