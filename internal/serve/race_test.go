package serve

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestLiveUnderChurn: while tabs fetch pages, folders are created and
// deleted and the config edited during rebuilds (run under -race: the watch
// set and the committed state each have one owner). Afterwards a folder
// deleted and restored is watched again: an edit inside it shows.
func TestLiveUnderChurn(t *testing.T) {
	session, dir := site(t, map[string]string{
		"docsgen.yaml":           "title: Churn\n",
		"content/index.md":       "# Home\n\n```{toctree}\n:glob:\n*/*\n```\n",
		"content/keep/page.md":   "# Keep\n\nfirst\n",
		"content/keep/other.txt": "x",
	})
	srv := NewServer(session, true)
	next := stream(t, srv)
	next()
	startLive(t, &Live{Session: session, Server: srv, Log: io.Discard, Delay: 5 * time.Millisecond})

	ts := httptest.NewServer(srv)
	defer ts.Close()
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for _, p := range []string{"/", "/keep/page.html", "/_static/docsgen.css", "/missing"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				resp, err := ts.Client().Get(ts.URL + p)
				if err != nil {
					t.Error(err)
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode == http.StatusForbidden {
					t.Errorf("GET %s: 403", p)
					return
				}
			}
		}()
	}

	content := filepath.Join(dir, "content")
	for i := range 12 {
		sub := filepath.Join(content, fmt.Sprintf("d%d", i), "deep")
		os.MkdirAll(sub, 0o755)
		os.WriteFile(filepath.Join(sub, "..", "page.md"), []byte(fmt.Sprintf("# D%d\n", i)), 0o644)
		if i%3 == 0 {
			os.WriteFile(filepath.Join(dir, "docsgen.yaml"), []byte(fmt.Sprintf("title: Churn %d\n", i)), 0o644)
		}
		if i%2 == 1 {
			os.RemoveAll(filepath.Join(content, fmt.Sprintf("d%d", i-1)))
		}
	}

	// Delete a folder and restore it, then edit inside it.
	keep := filepath.Join(content, "keep")
	saved := filepath.Join(dir, "saved")
	if err := os.Rename(keep, saved); err != nil {
		t.Fatal(err)
	}
	untilBuilt(t, next, func() bool { _, ok := session.Output("keep/page.html"); return !ok })
	if err := os.Rename(saved, keep); err != nil {
		t.Fatal(err)
	}
	untilBuilt(t, next, func() bool { _, ok := session.Output("keep/page.html"); return ok })
	os.WriteFile(filepath.Join(keep, "page.md"), []byte("# Keep\n\nsecond edit\n"), 0o644)
	untilBuilt(t, next, func() bool {
		b, _ := session.Output("keep/page.html")
		return strings.Contains(string(b), "second edit")
	})
	close(stop)
	wg.Wait()
	if got := session.Config().Title; got != "Churn 9" {
		t.Errorf("title %q after the last config edit, want Churn 9", got)
	}
}

// untilBuilt reads build messages until cond holds (next fails the test after
// 10 s without one).
func untilBuilt(t *testing.T, next func() Message, cond func() bool) {
	t.Helper()
	for !cond() {
		next()
	}
}
