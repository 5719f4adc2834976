package content

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/docsgen/docsgen/internal/diag"
)

func write(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestWalkFindsPagesSkipsHidden(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{
		"index.md": "", "guide/a.md": "", "guide/b.txt": "", ".git/x.md": "", "guide/.draft.md": "", "_static/c.md": "",
	})
	got, err := Walk(dir)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"_static/c.md", "guide/a.md", "index.md"}; !slices.Equal(got, want) {
		t.Errorf("Walk = %v, want %v", got, want)
	}
}

func read(t *testing.T, text string) (*Source, []diag.Diagnostic) {
	t.Helper()
	dir := t.TempDir()
	write(t, dir, map[string]string{"page.md": text})
	var ds diag.List
	src, err := Tree{Root: dir, Display: "content", Bound: dir}.Read("page.md", &ds)
	if err != nil {
		t.Fatal(err)
	}
	return src, ds.Sorted()
}

// TestFrontMatterKeepsLines: the front matter is blanked line for line, so
// positions in the body are positions in the file.
func TestFrontMatterKeepsLines(t *testing.T) {
	src, ds := read(t, "---\ntitle: Hello\norphan: true\n---\n# Body\n")
	if len(ds) > 0 || src.Title() != "Hello" || !src.Orphan() {
		t.Fatalf("front matter: %v %+v", ds, src.Front)
	}
	lines := strings.Split(string(src.Body), "\n")
	if len(lines) < 5 || lines[4] != "# Body" || strings.TrimSpace(lines[1]) != "" {
		t.Errorf("body lines %q", lines)
	}
}

func TestFrontMatterErrors(t *testing.T) {
	bomb := "---\na: &a [x, x, x, x, x, x, x, x, x]\n"
	prev := "a"
	for _, n := range []string{"b", "c", "d", "e", "f", "g", "h", "i"} {
		bomb += n + ": &" + n + " [*" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + "]\n"
		prev = n
	}
	bomb += "---\n# Page\n"
	for _, c := range []struct{ name, text, want string }{
		{"not YAML", "---\ntitle: [\n---\n", "front matter is not valid YAML"},
		{"not a mapping", "---\n- a\n- b\n---\n", "front matter must be a mapping"},
		{"wrong type", "---\ntitle: [a]\n---\n", `front matter "title" must be a string`},
		{"alias bomb", bomb, "front matter cannot be read: "},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, ds := read(t, c.text)
			if len(ds) != 1 || !strings.Contains(ds[0].Message, c.want) || ds[0].Severity != diag.Error {
				t.Errorf("diagnostics %v, want one error containing %q", ds, c.want)
			}
		})
	}
}

// TestLoneCarriageReturns: old Mac line endings end lines, as CommonMark
// says; CRLF is left alone.
func TestLoneCarriageReturns(t *testing.T) {
	src, _ := read(t, "# Title\r\rText\r\nmore\r")
	if got := string(src.Body); got != "# Title\n\nText\r\nmore\n" {
		t.Errorf("body %q", got)
	}
}

func TestRefusedPages(t *testing.T) {
	dir := t.TempDir()
	root := filepath.Join(dir, "project", "content")
	write(t, dir, map[string]string{"secret.md": "SECRET", "project/content/index.md": "# Home", "project/shared.md": "# Shared"})
	os.Symlink(filepath.Join(dir, "secret.md"), filepath.Join(root, "leak.md"))
	os.Symlink("../shared.md", filepath.Join(root, "shared.md"))
	os.Symlink("missing.md", filepath.Join(root, "dangling.md"))
	tree := Tree{Root: root, Display: "content", Bound: filepath.Join(dir, "project")}
	for _, c := range []struct{ rel, want string }{
		{"leak.md", "outside the project"},
		{"dangling.md", "which does not exist"},
		{"shared.md", ""},
	} {
		var ds diag.List
		src, err := tree.Read(c.rel, &ds)
		if err != nil {
			t.Fatal(err)
		}
		got := ds.Sorted()
		if c.want == "" {
			if len(got) > 0 || src.Refused || string(src.Body) != "# Shared" {
				t.Errorf("%s: %v refused=%v body %q", c.rel, got, src.Refused, src.Body)
			}
			continue
		}
		if len(got) != 1 || !strings.Contains(got[0].Message, c.want) || !src.Refused || src.Body != nil {
			t.Errorf("%s: %v refused=%v body %q", c.rel, got, src.Refused, src.Body)
		}
		if strings.Contains(string(src.Body), "SECRET") {
			t.Errorf("%s: read a file outside the project", c.rel)
		}
	}
}

// TestInvalidBytes: NUL and bytes that are not UTF-8 become U+FFFD with a
// warning at their line; valid text is untouched.
func TestInvalidBytes(t *testing.T) {
	src, ds := read(t, "# Title\n\n## Bad \xff\xfe here\n\nnul\x00byte\n")
	if got := string(src.Body); got != "# Title\n\n## Bad \uFFFD here\n\nnul\uFFFDbyte\n" {
		t.Errorf("body %q", got)
	}
	if len(ds) != 1 || ds[0].Code != "page.encoding" || ds[0].Pos.Line != 3 {
		t.Errorf("diagnostics %v, want one page.encoding warning at line 3", ds)
	}
	if _, ds := read(t, "# Ça va — déjà\n"); len(ds) != 0 {
		t.Errorf("valid UTF-8 warned: %v", ds)
	}
}

// TestInvalidBytesAfterFrontMatter: the repair holds for pages with front
// matter too (the body was rebuilt from the raw bytes).
func TestInvalidBytesAfterFrontMatter(t *testing.T) {
	src, ds := read(t, "---\ntitle: x\n---\nhello \xff wo\x00rld\rnext\n")
	if got := string(src.Body); got != "   \n        \n   \nhello \uFFFD wo\uFFFDrld\nnext\n" {
		t.Errorf("body %q", got)
	}
	if len(ds) != 1 || ds[0].Code != "page.encoding" || ds[0].Pos.Line != 4 {
		t.Errorf("diagnostics %v", ds)
	}
}

// A CR not followed by LF ends a line as LF does; CRLF stays.
func TestLoneCRs(t *testing.T) {
	for in, want := range map[string]string{
		"": "", "\r": "\n", "a\r": "a\n", "a\rb": "a\nb", "a\r\nb": "a\r\nb",
		"\r\r\n": "\n\r\n", "\r\n\r": "\r\n\n", "\r\r\r": "\n\n\n", "no CR\n": "no CR\n",
	} {
		if got := string(loneCRs([]byte(in))); got != want {
			t.Errorf("loneCRs(%q) = %q, want %q", in, got, want)
		}
	}
}

// keepingPool hands back the last buffer it was given, every time.
type keepingPool struct{ held []any }

func (p *keepingPool) Put(x any) { p.held = append(p.held, x) }
func (p *keepingPool) Get() any {
	if len(p.held) == 0 {
		return nil
	}
	x := p.held[len(p.held)-1]
	p.held = p.held[:len(p.held)-1]
	return x
}

// TestRecycle: with Buffers, a recycled page's buffer is the next page's
// (whatever front matter made of Body); without, a Source holds nothing
// but its Body, which a caller keeping Sources (the live preview) drops.
func TestRecycle(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.md"), []byte("---\ntitle: A\n---\n# A\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "b.md"), []byte("# B\n"), 0o644)
	var diags diag.List
	pooled := Tree{Root: dir, Display: "content", Buffers: &keepingPool{}}
	a, err := pooled.Read("a.md", &diags)
	if err != nil || a.Title() != "A" {
		t.Fatalf("Read(a.md) = %+v, %v", a, err)
	}
	first := &a.buf[:1][0]
	pooled.Recycle(a)
	if a.Body != nil || a.buf != nil {
		t.Error("Recycle left the text in the Source")
	}
	b, err := pooled.Read("b.md", &diags)
	if err != nil || string(b.Body) != "# B\n" {
		t.Fatalf("Read(b.md) = %q, %v", b.Body, err)
	}
	if &b.buf[:1][0] != first {
		t.Error("b.md was not read into a.md's recycled buffer")
	}
	plain := Tree{Root: dir, Display: "content"}
	c, err := plain.Read("b.md", &diags)
	if err != nil || c.buf != nil {
		t.Errorf("without Buffers the Source holds its read buffer apart from Body (%v)", err)
	}
}
