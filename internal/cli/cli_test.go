package cli

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/docsgen/docsgen/internal/sitetest"
	"github.com/rogpeppe/go-internal/testscript"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"docsgen": func() { os.Exit(Main(context.Background(), os.Args[1:], os.Stdout, os.Stderr)) },
	})
}

// TestScripts runs the CLI end to end: testdata/script/*.txtar.
func TestScripts(t *testing.T) {
	repo, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir:           "testdata/script",
		UpdateScripts: os.Getenv("UPDATE_SCRIPTS") != "",
		Setup: func(env *testscript.Env) error {
			env.Setenv("REPO", repo)
			env.Setenv("GITHUB_ACTIONS", "")
			return nil
		},
	})
}

// TestInterruptedBuildExits130: a build stopped by Ctrl-C (its context
// cancelled) exits 130, says so, and leaves the output folder as it was.
func TestInterruptedBuildExits130(t *testing.T) {
	files := map[string]string{"content/index.md": "# Home\n"}
	dir := sitetest.Write(t, files)
	t.Chdir(dir)
	var stdout, stderr bytes.Buffer
	if code := Main(context.Background(), []string{"build"}, &stdout, &stderr); code != ExitOK {
		t.Fatalf("first build: exit %d: %s", code, stderr.String())
	}
	before, _ := os.ReadFile(filepath.Join(dir, "public", "index.html"))
	os.WriteFile(filepath.Join(dir, "content", "index.md"), []byte("# Changed\n"), 0o644)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	stderr.Reset()
	if code := Main(ctx, []string{"build"}, &stdout, &stderr); code != ExitInterrupted || !strings.Contains(stderr.String(), "interrupted") {
		t.Errorf("interrupted build: exit %d, stderr %q; want 130 and a message", code, stderr.String())
	}
	if now, _ := os.ReadFile(filepath.Join(dir, "public", "index.html")); string(now) != string(before) {
		t.Error("an interrupted build changed the output")
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("left behind: %s", e.Name())
		}
	}
}

// TestInterruptedLinkcheckExits130: Ctrl-C while external links are being
// checked is exit 130 with no report (what was left unchecked is no
// verdict), not a clean exit 0.
func TestInterruptedLinkcheckExits130(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cancel() // the user presses Ctrl-C while this link is checked
		<-r.Context().Done()
	}))
	defer srv.Close()
	t.Chdir(sitetest.Write(t, map[string]string{"content/index.md": "# Home\n\n[x](" + srv.URL + "/page)\n"}))
	var stdout, stderr bytes.Buffer
	code := Main(ctx, []string{"linkcheck", "--external", "--no-cache"}, &stdout, &stderr)
	if code != ExitInterrupted || !strings.Contains(stderr.String(), "interrupted") || stdout.Len() > 0 {
		t.Errorf("exit %d, stdout %q, stderr %q; want 130, no report, a message", code, stdout.String(), stderr.String())
	}
}
