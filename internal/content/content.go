// Package content walks a source tree and splits each page's YAML front matter.
package content

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/docsgen/docsgen/internal/diag"
	"github.com/docsgen/docsgen/internal/safefile"
	"go.yaml.in/yaml/v3"
)

// Source is one Markdown page as read from disk.
type Source struct {
	// Rel is the slash path below the source root, e.g. "guide/install.md".
	Rel string
	// File is the path shown in diagnostics (relative to the working directory).
	File string
	// Body is the file with its front matter blanked out line for line, so
	// positions in Body are positions in the file.
	Body []byte
	// Front is the front matter; nil without one.
	Front map[string]any
	// Refused means the file was not read (see Tree.Read): the page is
	// empty and its error is its only diagnostic.
	Refused bool

	buf []byte // what the file was read into, when its Tree recycles buffers
}

// Title returns the front matter title, if any.
func (s *Source) Title() string { t, _ := s.Front["title"].(string); return t }

// Description returns the front matter description, if any.
func (s *Source) Description() string { t, _ := s.Front["description"].(string); return t }

// Orphan reports whether the page may be outside every toctree.
func (s *Source) Orphan() bool { b, _ := s.Front["orphan"].(bool); return b || s.Refused }

// Walk finds the Markdown pages under root, as slash paths relative to it,
// sorted. Hidden files and folders (".git", ".cache") are skipped.
func Walk(root string) (pages []string, err error) {
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if path != root && errors.Is(err, fs.ErrNotExist) {
				return nil // removed while walking (a checkout): it is no page
			}
			return err
		}
		name := d.Name()
		if path != root && strings.HasPrefix(name, ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		if strings.HasSuffix(name, ".md") {
			pages = append(pages, rel)
		}
		return nil
	})
	slices.Sort(pages)
	return pages, err
}

// Tree is a source folder as pages are read from it.
type Tree struct {
	// Root is the source folder.
	Root string
	// Display is Root as diagnostics show it.
	Display string
	// Bound is the project root: a page may be a symlink to a file inside it
	// or inside Root, never to one elsewhere.
	Bound string
	// Buffers, if not nil, are read buffers handed back by Recycle, for
	// the next pages read: a *sync.Pool in a build.
	Buffers BufferPool
}

// BufferPool is what a Tree needs of a sync.Pool; an interface so a test
// can pass one that never drops what it is given (a sync.Pool may, and
// under the race detector drops a quarter of them on purpose).
type BufferPool interface {
	Get() any
	Put(any)
}

// Recycle hands the buffer s's text was read into back to t.Buffers, once
// nothing holds a slice of it (a page's tree is dropped and what was
// kept of it is copied out), and empties s. A build reads thousands of
// pages: reusing their buffers spares the memory each would take fresh.
func (t Tree) Recycle(s *Source) {
	buf := s.buf
	s.Body, s.buf = nil, nil
	if t.Buffers == nil || buf == nil {
		return
	}
	if os.Getenv("DOCSGEN_SCRIBBLE_RECYCLED") != "" {
		for i := range buf[:cap(buf)] {
			buf[:cap(buf)][i] = '#'
		}
	}
	// (A test switch, DOCSGEN_SCRIBBLE_RECYCLED=1, overwrites the buffer
	// first: a slice of it kept anywhere then shows in the output.)
	buf = buf[:0]
	t.Buffers.Put(&buf)
}

// Read loads one page and splits its front matter. A page that is not a
// regular file, or a symlink leading out of the project, is read as empty,
// with an error: its content is never read.
func (t Tree) Read(rel string, diags *diag.List) (*Source, error) {
	file := filepath.ToSlash(filepath.Join(t.Display, rel))
	s := &Source{Rel: rel, File: file}
	var buf []byte
	if t.Buffers != nil {
		if bp, ok := t.Buffers.Get().(*[]byte); ok {
			buf = *bp
		} else {
			buf = make([]byte, 0, 32<<10) // most pages fit: it goes round
		}
	}
	data, refusal, err := t.readPage(filepath.Join(t.Root, filepath.FromSlash(rel)), buf)
	if err != nil {
		return nil, err
	}
	if t.Buffers != nil {
		s.buf = data
	}
	if refusal != "" {
		diags.Add(diag.Diagnostic{Pos: diag.Pos{File: file}, Severity: diag.Error, Code: "page.refused", Message: refusal,
			Hint: "a page must be a regular file inside the project (or a symlink to one): remove it, or copy the file into the project"})
		s.Refused = true
		return s, nil
	}
	data = loneCRs(validText(data, file, diags))
	s.Body = data
	front, bodyStart, ok := splitFrontMatter(data)
	if !ok {
		return s, nil
	}
	var node yaml.Node
	if err := yaml.Unmarshal(front, &node); err != nil {
		diags.Add(diag.Diagnostic{Pos: diag.Pos{File: file, Line: yamlErrLine(err) + 1, Col: 1}, Severity: diag.Error,
			Code: "frontmatter", Message: "front matter is not valid YAML: " + cleanYAMLErr(err), Hint: "fix the YAML between the --- lines"})
	} else if len(node.Content) > 0 {
		m := map[string]any{}
		if node.Content[0].Kind != yaml.MappingNode {
			diags.Add(diag.Diagnostic{Pos: diag.Pos{File: file, Line: 2, Col: 1}, Severity: diag.Error,
				Code: "frontmatter", Message: "front matter must be a mapping of keys to values"})
		} else if err := node.Content[0].Decode(&m); err != nil {
			// Aliases that expand past the YAML library's budget land here.
			diags.Add(diag.Diagnostic{Pos: diag.Pos{File: file, Line: 2, Col: 1}, Severity: diag.Error,
				Code: "frontmatter", Message: "front matter cannot be read: " + cleanYAMLErr(err), Hint: "write the values out instead of expanding aliases"})
		} else {
			s.Front = m
			checkFront(m, &node, file, diags)
		}
	}
	s.Body = blank(data, bodyStart)
	return s, nil
}

// validText replaces NUL bytes and bytes that are not UTF-8 with U+FFFD,
// as CommonMark asks, with a warning at the first: raw bytes would reach
// every page's navigation and <title>. Line numbers stay true.
func validText(data []byte, file string, diags *diag.List) []byte {
	if utf8.Valid(data) && bytes.IndexByte(data, 0) < 0 {
		return data
	}
	line := 1
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == 0 || r == utf8.RuneError && size == 1 {
			break
		}
		if r == '\n' {
			line++
		}
		i += size
	}
	diags.Add(diag.Diagnostic{Pos: diag.Pos{File: file, Line: line, Col: 1}, Severity: diag.Warning, Code: "page.encoding",
		Message: "the page has NUL bytes or bytes that are not UTF-8; they are shown as \uFFFD", Hint: "save the file as UTF-8"})
	return bytes.ReplaceAll(bytes.ToValidUTF8(data, []byte("\uFFFD")), []byte{0}, []byte("\uFFFD"))
}

// loneCRs turns each CR not followed by LF into LF, in place: CommonMark
// ends lines at either, goldmark only at LF. Byte offsets stay the same.
func loneCRs(data []byte) []byte {
	// Most pages have no CR at all: IndexByte finds that at memory speed.
	for i := bytes.IndexByte(data, '\r'); i >= 0; {
		if i+1 == len(data) || data[i+1] != '\n' {
			data[i] = '\n'
		}
		next := bytes.IndexByte(data[i+1:], '\r')
		if next < 0 {
			break
		}
		i += 1 + next
	}
	return data
}

// readPage reads a page, or says why it may not be read.
func (t Tree) readPage(path string, buf []byte) (data []byte, refusal string, err error) {
	// Most pages are regular files: one open that refuses a symlink reads
	// them; a symlink is checked, then read through.
	data, err = safefile.ReadNoFollowInto(path, safefile.MaxSize, buf)
	var nr *safefile.NotRegularError
	if errors.As(err, &nr) && nr.Mode&fs.ModeSymlink != 0 {
		real, evalErr := filepath.EvalSymlinks(path)
		if evalErr != nil {
			target, _ := os.Readlink(path)
			why := "which does not exist"
			if !errors.Is(evalErr, fs.ErrNotExist) {
				why = "which cannot be read"
			}
			return nil, fmt.Sprintf("the page is a symbolic link to %s, %s", target, why), nil
		}
		if !inside(t.Root, real) && !inside(t.Bound, real) {
			return nil, fmt.Sprintf("the page is a symbolic link to %s, outside the project; docsgen reads nothing outside the project root", real), nil
		}
		data, err = safefile.Read(path)
	}
	if errors.As(err, &nr) {
		return nil, "the page is " + safefile.Kind(nr.Mode) + ", not a regular file; docsgen reads only regular files", nil
	}
	var tl *safefile.TooLargeError
	if errors.As(err, &tl) {
		return nil, "the page is not read: " + tl.Error(), nil
	}
	return data, "", err
}

// inside reports whether real (symlinks resolved) is dir or below it.
func inside(dir, real string) bool {
	if dir == "" {
		return false
	}
	rd, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return false
	}
	return safefile.Within(rd, real)
}

// blank replaces data[:n] with spaces but keeps its newlines, so line
// numbers after it stay true.
func blank(data []byte, n int) []byte {
	out := bytes.Clone(data)
	for i := 0; i < n; i++ {
		if out[i] != '\n' {
			out[i] = ' '
		}
	}
	return out
}

// BlankFrontMatter returns data with its front matter (if any) blanked, for
// included files, whose front matter is ignored.
func BlankFrontMatter(data []byte) []byte {
	if _, bodyStart, ok := splitFrontMatter(data); ok {
		return blank(data, bodyStart)
	}
	return data
}

func checkFront(m map[string]any, node *yaml.Node, file string, diags *diag.List) {
	want := map[string]string{"title": "string", "description": "string", "orphan": "bool"}
	mapping := node.Content[0]
	for i := 0; i+1 < len(mapping.Content); i += 2 {
		k, v := mapping.Content[i], mapping.Content[i+1]
		typ, ok := want[k.Value]
		if !ok {
			continue
		}
		good := v.Kind == yaml.ScalarNode && (typ == "string" && v.Tag == "!!str" || typ == "bool" && v.Tag == "!!bool")
		if !good {
			diags.Add(diag.Diagnostic{Pos: diag.Pos{File: file, Line: v.Line + 1, Col: v.Column}, Severity: diag.Error,
				Code: "frontmatter", Message: fmt.Sprintf("front matter %q must be a %s", k.Value, typ)})
			delete(m, k.Value)
		}
	}
}

// splitFrontMatter finds "---" YAML "---" at the very start of data.
func splitFrontMatter(data []byte) (front []byte, bodyStart int, ok bool) {
	if !bytes.HasPrefix(data, []byte("---")) {
		return nil, 0, false
	}
	first := bytes.IndexByte(data, '\n')
	if first < 0 || strings.TrimRight(string(data[:first]), "-\r \t") != "" {
		return nil, 0, false
	}
	pos := first + 1
	for pos < len(data) {
		end := bytes.IndexByte(data[pos:], '\n')
		line := data[pos:]
		next := len(data)
		if end >= 0 {
			line = data[pos : pos+end]
			next = pos + end + 1
		}
		if t := strings.TrimRight(string(line), "\r \t"); len(t) >= 3 && strings.Trim(t, "-") == "" {
			return data[first+1 : pos], next, true
		}
		pos = next
	}
	return nil, 0, false
}

func yamlErrLine(err error) int {
	var line int
	if _, e := fmt.Sscanf(cleanYAMLErr(err), "line %d:", &line); e == nil {
		return line
	}
	return 1
}

func cleanYAMLErr(err error) string {
	return strings.TrimPrefix(err.Error(), "yaml: ")
}
