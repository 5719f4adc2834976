package serve

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// stream reads the build messages a browser would get.
func stream(t *testing.T, srv *Server) func() Message {
	t.Helper()
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	resp, err := ts.Client().Get(ts.URL + "/_docsgen/events")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	lines := bufio.NewScanner(resp.Body)
	msgs := make(chan Message, 16)
	go func() {
		for lines.Scan() {
			if data, ok := strings.CutPrefix(lines.Text(), "data: "); ok {
				var m Message
				if json.Unmarshal([]byte(data), &m) == nil {
					msgs <- m
				}
			}
		}
		close(msgs)
	}()
	return func() Message {
		select {
		case m, ok := <-msgs:
			if !ok {
				t.Fatal("the event stream ended")
			}
			return m
		case <-time.After(10 * time.Second):
			t.Fatal("no build message within 10s")
			return Message{}
		}
	}
}

// startLive runs lv until the test ends and returns once it watches.
func startLive(t *testing.T, lv *Live) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	ready := make(chan struct{})
	lv.ready = ready
	go lv.Run(ctx)
	<-ready
}

// TestWatcherFollowsIncludedFiles: editing a file that a page
// literalincludes from outside the content folder rebuilds that page, and
// with --follow the message names the page to show.
func TestWatcherFollowsIncludedFiles(t *testing.T) {
	session, dir := site(t, map[string]string{
		"content/index.md": "# Home\n\n```{toctree}\nother\n```\n",
		"content/other.md": "# Other\n\n```{literalinclude} ../examples/app.yml\n```\n",
		"examples/app.yml": "version: 1\n",
	})
	srv := NewServer(session, true)
	next := stream(t, srv)
	if m := next(); m.Build != 0 {
		t.Fatalf("first message %+v", m)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	lv := &Live{Session: session, Server: srv, Follow: true, Log: io.Discard}
	ready := make(chan struct{})
	lv.ready = ready
	go lv.Run(ctx)
	<-ready

	save(t, filepath.Join(dir, "examples", "app.yml"), "version: 2\n")
	m := next()
	if !slices.Contains(m.Changed, "other.html") || slices.Contains(m.Changed, "index.html") {
		t.Errorf("after editing the included file: changed %v, want other.html only", m.Changed)
	}
	body, _ := session.Output("other.html")
	if !strings.Contains(string(body), ">2<") {
		t.Errorf("other.html does not show the new file")
	}

	// Editor noise causes no build: the next message is the real edit's.
	os.WriteFile(filepath.Join(dir, "content", ".other.md.swp"), []byte("x"), 0o644)
	os.WriteFile(filepath.Join(dir, "content", "4913"), []byte("x"), 0o644)
	os.Chmod(filepath.Join(dir, "content", "index.md"), 0o600)
	save(t, filepath.Join(dir, "content", "other.md"), "# Other page\n")
	m = next()
	if m.Navigate != "other.html" || !slices.Contains(m.Changed, "other.html") {
		t.Errorf("after editing other.md with --follow: %+v", m)
	}
}

// save replaces the file at path with text as editors that save atomically
// do: written beside it (a name the watcher ignores), then renamed over
// it. os.WriteFile empties the file before writing, and a test paused
// between the two for longer than the watcher's delay (a loaded machine
// under the race detector) would see a build of the empty file first.
func save(t testing.TB, path, text string) {
	t.Helper()
	if err := os.WriteFile(path+".tmp", []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(path+".tmp", path); err != nil {
		t.Fatal(err)
	}
}
