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
		path string
		kind int
		key  string   // source file, or the reserved path
		at   diag.Pos // where to report it
	}
	var outs []output
	for _, p := range s.Pages {
		outs = append(outs, output{path: p.Out, kind: page, key: p.Src.File, at: diag.Pos{File: p.Src.File}})
	}
	for path := range reserved {
		outs = append(outs, output{path: path, kind: builtin, key: path})
	}
	s.assetMu.Lock()
	for abs, path := range s.Assets {
		outs = append(outs, output{path: path, kind: asset, key: abs, at: s.assetAt[abs]})
	}
	s.assetMu.Unlock()

	// This runs on every rebuild of the live preview: look each output's
	// path and folders up in a map, and spend on strings only for clashes.
	byPath := make(map[string][]int, len(outs))
	for i, o := range outs {
		byPath[o.path] = append(byPath[o.path], i)
	}
	// before orders outputs as a listing would: by path with "/" lowest
	// (everything below a folder right after it), then kind, then key.
	before := func(a, b output) bool {
		return cmp.Or(strings.Compare(strings.ReplaceAll(a.path, "/", "\x00"), strings.ReplaceAll(b.path, "/", "\x00")),
			cmp.Compare(a.kind, b.kind), strings.Compare(a.key, b.key)) < 0
	}
	// Each blamed output is reported once, with the clash a listing would
	// meet first.
	type clash struct{ first, second output }
	found := map[int]clash{}
	consider := func(ai, bi int) { // outs[ai] comes before outs[bi]
		a, b := outs[ai], outs[bi]
		blamed, bi2 := b, bi
		if a.kind > b.kind {
			blamed, bi2 = a, ai
		}
		if blamed.kind == builtin {
			return
		}
		if prev, ok := found[bi2]; !ok || before(a, prev.first) || a == prev.first && before(b, prev.second) {
			found[bi2] = clash{a, b}
		}
	}
	for bi, b := range outs {
		for _, ai := range byPath[b.path] {
			if ai != bi && before(outs[ai], b) {
				consider(ai, bi)
			}
		}
		for i := strings.IndexByte(b.path, '/'); i >= 0; i = next(b.path, i) {
			for _, ai := range byPath[b.path[:i]] {
				consider(ai, bi)
			}
		}
	}
	what := func(o output) string {
		switch o.kind {
		case builtin:
			return reserved[o.key]
		case page:
			return "the page " + o.key
		}
		return "the file " + s.files.Display(o.key)
	}
	var ds []diag.Diagnostic
	for bi, c := range found {
		blamed, other := outs[bi], c.first
		if other == blamed {
			other = c.second
		}
		otherWhat := what(other)
		if other.kind == asset {
			otherWhat += " (referenced at " + other.at.String() + ")"
		}
		msg := what(blamed) + " would be written to " + blamed.path + ", where " + otherWhat + " is written"
		if blamed.path != other.path {
			msg = what(blamed) + " would be written to " + blamed.path + ", but " + otherWhat + " is written to " + other.path
		}
		ds = append(ds, diag.Diagnostic{Pos: blamed.at, Severity: diag.Error, Code: "output.collision", Message: msg,
			Hint: "rename or move one of them: both cannot be in the output"})
	}
	slices.SortFunc(ds, diag.Compare)
	return ds
}

// next is the index of the next "/" in p after i, or -1.
func next(p string, i int) int {
	if j := strings.IndexByte(p[i+1:], '/'); j >= 0 {
		return i + 1 + j
	}
	return -1
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
