package site

import (
	"cmp"
	"slices"
	"strings"

	"github.com/docsgen/docsgen/internal/diag"
)

// Collisions reports every referenced file whose output path is taken by a
// page, by a file the build writes itself (reserved: output path → what
// writes it, e.g. "the theme's _static/docsgen.css"), or by another
// referenced file — or that would have to be a folder where one of those is
// a file, or the other way round. Unchecked, the last writer would silently
// replace the others.
func (s *Site) Collisions(reserved map[string]string) []diag.Diagnostic {
	// The one to blame is the one the writer can rename: a referenced file
	// before a page, a page before a file of the theme or the build.
	const (
		builtin = iota
		page
		asset
	)
	type output struct {
		path, what string
		kind       int
		key        string   // source file
		at         diag.Pos // where to report it
	}
	var outs []output
	for _, p := range s.Pages {
		outs = append(outs, output{path: p.Out, what: "the page " + p.Src.File, kind: page, key: p.Src.File,
			at: diag.Pos{File: p.Src.File}})
	}
	for path, what := range reserved {
		outs = append(outs, output{path: path, what: what, kind: builtin, key: path})
	}
	s.assetMu.Lock()
	for abs, path := range s.Assets {
		outs = append(outs, output{path: path, what: "the file " + s.files.Display(abs), kind: asset, key: abs,
			at: s.assetAt[abs]})
	}
	s.assetMu.Unlock()
	// Sorted by path, a clash is a path equal to a later one or a folder
	// prefix of it.
	// "/" sorts lowest, so everything below a path follows it directly
	// ("a", "a/x", then "a.txt"): otherwise "a.txt" would sit between.
	slashLow := func(p string) string { return strings.ReplaceAll(p, "/", "\x00") }
	slices.SortFunc(outs, func(a, b output) int {
		return cmp.Or(strings.Compare(slashLow(a.path), slashLow(b.path)), cmp.Compare(a.kind, b.kind), strings.Compare(a.key, b.key))
	})
	var ds []diag.Diagnostic
	reported := map[string]bool{}
	for i, a := range outs {
		for _, b := range outs[i+1:] {
			if b.path != a.path && !strings.HasPrefix(b.path, a.path+"/") {
				break
			}
			blamed, other := b, a
			if a.kind > b.kind {
				blamed, other = a, b
			}
			if blamed.kind == builtin || reported[blamed.key] {
				continue
			}
			reported[blamed.key] = true
			if other.kind == asset {
				other.what += " (referenced at " + other.at.String() + ")"
			}
			msg := blamed.what + " would be written to " + blamed.path + ", where " + other.what + " is written"
			if blamed.path != other.path {
				msg = blamed.what + " would be written to " + blamed.path + ", but " + other.what + " is written to " + other.path
			}
			ds = append(ds, diag.Diagnostic{Pos: blamed.at, Severity: diag.Error, Code: "output.collision", Message: msg,
				Hint: "rename or move one of them: both cannot be in the output"})
		}
	}
	return ds
}

// KeepAssets forgets every referenced file not in live: a site kept across
// rebuilds would otherwise still list files no page references any more.
func (s *Site) KeepAssets(live []string) {
	keep := make(map[string]bool, len(live))
	for _, abs := range append(live, s.Chrome...) {
		keep[abs] = true
	}
	s.assetMu.Lock()
	defer s.assetMu.Unlock()
	for abs := range s.Assets {
		if !keep[abs] {
			delete(s.Assets, abs)
			delete(s.assetAt, abs)
		}
	}
}
