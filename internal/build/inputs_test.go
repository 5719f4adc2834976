//go:build unix

package build

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/docsgen/docsgen/internal/diag"
)

// within5s fails the test when fn does not return within five seconds: a
// read that blocks on a FIFO would otherwise hang the suite.
func within5s(t *testing.T, fn func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { defer close(done); fn() }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("blocked for 5 s")
	}
}

func hasCode(ds []diag.Diagnostic, code, file string) bool {
	return slices.ContainsFunc(ds, func(d diag.Diagnostic) bool {
		return d.Code == code && d.Severity == diag.Error && strings.HasSuffix(d.Pos.File, file)
	})
}

// TestSpecialFilesAreRefused: a FIFO as a page, as an include, a
// literalinclude and a download target is refused at once, never opened
// for a blocking read.
func TestSpecialFilesAreRefused(t *testing.T) {
	cfg := project(t, map[string]string{
		"content/index.md": "# Home\n\n```{toctree}\npipe\n```\n\n```{include} inc.fifo\n```\n\n" +
			"```{literalinclude} code.fifo\n```\n\n{download}`data.fifo`\n",
	})
	for _, name := range []string{"pipe.md", "inc.fifo", "code.fifo", "data.fifo"} {
		if err := syscall.Mkfifo(filepath.Join(cfg.SourceDir(), name), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var res *Result
	var err error
	within5s(t, func() { res, err = Build(context.Background(), Options{Config: cfg}) })
	if !errors.Is(err, ErrFailed) {
		t.Fatalf("Build = %v, want ErrFailed", err)
	}
	if !hasCode(res.Diags, "page.refused", "pipe.md") {
		t.Errorf("the FIFO page is not refused:\n%v", res.Diags)
	}
	for _, want := range []string{`include: cannot read "inc.fifo"`, `literalinclude: cannot read "code.fifo"`, `"data.fifo" is a named pipe`} {
		if !slices.ContainsFunc(res.Diags, func(d diag.Diagnostic) bool { return strings.Contains(d.Message, want) }) {
			t.Errorf("no diagnostic containing %q:\n%v", want, res.Diags)
		}
	}
	within5s(t, func() { _, _, err = NewSession(context.Background(), cfg, SessionOptions{}) })
}

// TestSessionRefusesPagesOutside: the live preview never reads, let alone
// serves, a page that is a symlink out of the project.
func TestSessionRefusesPagesOutside(t *testing.T) {
	cfg := project(t, map[string]string{
		"content/index.md":  "# Home\n\n```{toctree}\nleak\n```\n",
		"outside/secret.md": "# Secret\n\nPLANTED-SECRET-LINE\n",
	})
	// The project root is a folder below the one holding the secret.
	root := filepath.Join(cfg.Dir, "project")
	os.MkdirAll(root, 0o755)
	os.Rename(filepath.Join(cfg.Dir, "content"), filepath.Join(root, "content"))
	t.Chdir(root)
	cfg.Dir = root
	if err := os.Symlink(filepath.Join("..", "..", "outside", "secret.md"), filepath.Join(root, "content", "leak.md")); err != nil {
		t.Fatal(err)
	}
	s, u, err := NewSession(context.Background(), cfg, SessionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !hasCode(u.Diags, "page.refused", "leak.md") {
		t.Errorf("the symlinked page is not refused:\n%v", u.Diags)
	}
	for name, data := range s.Outputs() {
		if strings.Contains(string(data), "PLANTED-SECRET-LINE") {
			t.Errorf("%s holds the text of a file outside the project", name)
		}
	}
}

// TestIncludeFanOutIsBounded: files that include the next one four times,
// nine levels deep (80 KB of input, 4^9 inclusions), stop at the page's
// include budget with an error instead of building gigabytes.
func TestIncludeFanOutIsBounded(t *testing.T) {
	files := map[string]string{"content/index.md": "# Home\n\n```{include} ../parts/l0.md\n```\n"}
	line := strings.Repeat("All work and no play. All work and no play.\n", 200)
	for i := range 9 {
		inc := fmt.Sprintf("```{include} l%d.md\n```\n\n", i+1)
		files[fmt.Sprintf("parts/l%d.md", i)] = line + strings.Repeat(inc, 4)
	}
	files["parts/l9.md"] = line
	cfg := project(t, files)
	res, _ := Build(context.Background(), Options{Config: cfg, Mode: DryRun})
	if !slices.ContainsFunc(res.Diags, func(d diag.Diagnostic) bool { return strings.Contains(d.Message, "includes more than 4 MiB") }) {
		t.Errorf("no include budget error:\n%v", res.Diags[:min(5, len(res.Diags))])
	}
	if n := len(res.Files["index.html"]); n > 40<<20 {
		t.Errorf("index.html is %d MiB", n>>20)
	}
}

// TestDeepNestingIsBounded: hundreds of nested colon fences (each level's
// body is parsed again) stop at the nesting budget with one error, instead
// of work growing with the cube of the depth.
func TestDeepNestingIsBounded(t *testing.T) {
	const depth = 300
	var b strings.Builder
	b.WriteString("# Deep\n\n")
	for i := depth; i > 0; i-- {
		b.WriteString(strings.Repeat(":", i+2) + "{note}\n")
	}
	b.WriteString("core\n")
	for i := 1; i <= depth; i++ {
		b.WriteString(strings.Repeat(":", i+2) + "\n")
	}
	cfg := project(t, map[string]string{"content/index.md": b.String()})
	res, _ := Build(context.Background(), Options{Config: cfg, Mode: DryRun})
	n := 0
	for _, d := range res.Diags {
		if strings.Contains(d.Message, "nested more than") {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d nesting errors, want 1: %v", n, res.Diags[:min(3, len(res.Diags))])
	}
}

// TestOldOutputSpecialFilesNotTaken: a build takes a file of the last
// output (by hard link) only when it is a regular file holding the new
// bytes. A symlink there, even to a file outside with those very bytes,
// is not taken (the new output would be that symlink), and a FIFO where
// the new file is empty does not block the build.
func TestOldOutputSpecialFilesNotTaken(t *testing.T) {
	cfg := project(t, map[string]string{
		"content/index.md":  "# Home\n\n```{toctree}\nguide\n```\n\n{download}`empty.txt`\n",
		"content/guide.md":  "# Guide\n\nText.\n",
		"content/empty.txt": "",
	})
	build := func() {
		t.Helper()
		var err error
		within5s(t, func() { _, err = Build(context.Background(), Options{Config: cfg, NoCache: true}) })
		if err != nil {
			t.Fatal(err)
		}
	}
	build()
	out := cfg.OutDir()
	guide := filepath.Join(out, "guide.html")
	data, err := os.ReadFile(guide)
	if err != nil {
		t.Fatal(err)
	}
	outside := filepath.Join(t.TempDir(), "guide.html")
	if err := os.WriteFile(outside, data, 0o644); err != nil {
		t.Fatal(err)
	}
	os.Remove(guide)
	if err := os.Symlink(outside, guide); err != nil {
		t.Fatal(err)
	}
	var empty string
	filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.Name() == "empty.txt" {
			empty = p
		}
		return nil
	})
	if empty == "" {
		t.Fatal("the download is not in the output")
	}
	os.Remove(empty)
	if err := syscall.Mkfifo(empty, 0o644); err != nil {
		t.Fatal(err)
	}
	build()
	for _, p := range []string{guide, empty} {
		if fi, err := os.Lstat(p); err != nil || !fi.Mode().IsRegular() {
			t.Errorf("%s after the build: %v %v, want a regular file", p, fi.Mode(), err)
		}
	}
	if got, _ := os.ReadFile(guide); string(got) != string(data) {
		t.Error("guide.html changed")
	}
}
