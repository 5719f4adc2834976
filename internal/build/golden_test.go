package build

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/docsgen/docsgen/internal/config"
	"github.com/docsgen/docsgen/internal/diag"
	"github.com/google/go-cmp/cmp"
	"golang.org/x/tools/txtar"
)

var update = flag.Bool("update", false, "rewrite the golden sections of testdata/*.txtar")

var articleRe = regexp.MustCompile(`(?s)<article class="document">\n(.*)</article>`)

// TestGolden builds each testdata/*.txtar as a mini site. Input files are the
// sections not named "want/…" or "diagnostics"; for every want/NAME.html the
// page body must match, and "diagnostics" lists every diagnostic, with paths
// relative to the site folder. Run with -update to rewrite the expectations.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden files: %v", err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			runGolden(t, file)
		})
	}
}

func runGolden(t *testing.T, file string) {
	ar, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var wants, site []txtar.File
	for _, f := range ar.Files {
		if strings.HasPrefix(f.Name, "want/") || f.Name == "diagnostics" {
			wants = append(wants, f)
		} else {
			site = append(site, f)
		}
	}
	writeSite(t, dir, site)
	t.Chdir(dir)
	cfg, err := config.Load("")
	if err != nil {
		t.Fatal(err)
	}
	res, err := Build(context.Background(), Options{Config: cfg, Mode: DryRun})
	if res == nil {
		t.Fatalf("build did not run: %v", err)
	}
	got := map[string][]byte{"diagnostics": formatDiags(res.Diags)}
	for _, w := range wants {
		if w.Name == "diagnostics" {
			continue
		}
		page := strings.TrimPrefix(w.Name, "want/")
		html, ok := res.Files[page]
		if !ok {
			t.Errorf("no output page %s", page)
			continue
		}
		m := articleRe.FindSubmatch(html)
		if m == nil {
			t.Errorf("%s: no article element", page)
			continue
		}
		got[w.Name] = m[1]
	}
	if *update {
		var keep []txtar.File
		for _, f := range ar.Files {
			if !strings.HasPrefix(f.Name, "want/") && f.Name != "diagnostics" {
				keep = append(keep, f)
			}
		}
		keep = append(keep, txtar.File{Name: "diagnostics", Data: got["diagnostics"]})
		for _, w := range wants {
			if w.Name != "diagnostics" {
				keep = append(keep, txtar.File{Name: w.Name, Data: got[w.Name]})
			}
		}
		ar.Files = keep
		if err := os.WriteFile(filepath.Join(origWD, file), txtar.Format(ar), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	hasDiag := slices.ContainsFunc(wants, func(f txtar.File) bool { return f.Name == "diagnostics" })
	if !hasDiag {
		t.Errorf("golden file has no diagnostics section; run with -update")
	}
	for _, w := range wants {
		if diff := cmp.Diff(string(w.Data), string(got[w.Name])); diff != "" {
			t.Errorf("%s mismatch (-want +got):\n%s", w.Name, diff)
		}
	}
}

var origWD, _ = os.Getwd()

func formatDiags(ds []diag.Diagnostic) []byte {
	var b bytes.Buffer
	for _, d := range ds {
		b.WriteString(d.String())
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// writeSite writes txtar files into dir; "NAME.symlink" files become
// symbolic links to the path they hold.
func writeSite(t *testing.T, dir string, files []txtar.File) {
	t.Helper()
	for _, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(f.Name, ".symlink") {
			if err := os.Symlink(strings.TrimSpace(string(f.Data)), strings.TrimSuffix(p, ".symlink")); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
