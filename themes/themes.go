// Package themes embeds the default theme, so the binary works anywhere.
package themes

import (
	"embed"
	"io/fs"
)

//go:embed default
var embedded embed.FS

// Default returns the default theme's files (layout.html, static/…).
func Default() fs.FS {
	sub, err := fs.Sub(embedded, "default")
	if err != nil {
		panic(err) // the embedded folder is part of the binary
	}
	return sub
}
