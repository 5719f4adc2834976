package serve

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/docsgen/docsgen/internal/build"
	"github.com/docsgen/docsgen/internal/config"
	"github.com/docsgen/docsgen/internal/sitetest"
)

// site writes a small project and starts a session on it.
func site(t *testing.T, files map[string]string) (*build.Session, string) {
	t.Helper()
	dir := sitetest.Write(t, files)
	t.Chdir(dir)
	cfg, err := config.Load("")
	if err != nil {
		t.Fatal(err)
	}
	s, u, err := build.NewSession(context.Background(), cfg, nil)
	if err != nil || u.Failed {
		t.Fatalf("build: %v %+v", err, u)
	}
	return s, dir
}

var smallSite = map[string]string{
	"content/index.md":      "# Home\n\n```{toctree}\nguide/page\n```\n\n![logo](logo.png)\n",
	"content/guide/page.md": "# Page\n\nText.\n",
	"content/logo.png":      "not really a png",
	"secret.txt":            "top secret",
}

func get(t *testing.T, h http.Handler, target string, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(http.MethodGet, "http://127.0.0.1:8000/", nil)
	r.URL.Path = target
	r.URL.RawPath = ""
	r.RequestURI = target
	for i := 0; i+1 < len(header); i += 2 {
		if header[i] == "Host" {
			r.Host = header[i+1]
		} else {
			r.Header.Set(header[i], header[i+1])
		}
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func TestServesOutputsWithTheLiveScript(t *testing.T) {
	s, _ := site(t, smallSite)
	srv := NewServer(s, true)
	for path, want := range map[string]string{
		"/":                      `<script src="_docsgen/live.js"></script>`,
		"/index.html":            `<script src="_docsgen/live.js"></script>`,
		"/guide/page.html":       `<script src="../_docsgen/live.js"></script>`,
		"/guide/page":            `<script src="../_docsgen/live.js"></script>`,
		"/_static/docsgen.css":   "--bg",
		"/_static/highlight.css": ".chroma",
		"/logo.png":              "not really a png",
		"/_docsgen/live.js":      "EventSource",
	} {
		w := get(t, srv, path)
		if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), want) {
			t.Errorf("GET %s: %d, body lacks %q", path, w.Code, want)
		}
		if w.Header().Get("Cache-Control") != "no-store" {
			t.Errorf("GET %s: Cache-Control %q", path, w.Header().Get("Cache-Control"))
		}
	}
}

// TestTraversal: nothing outside the outputs is reachable, however the path
// is spelled.
func TestTraversal(t *testing.T) {
	s, _ := site(t, smallSite)
	srv := NewServer(s, true)
	for _, path := range []string{
		"/../secret.txt", "/../../etc/passwd", "/guide/../../secret.txt", "/%2e%2e/secret.txt",
		"/..%2fsecret.txt", "/content/index.md", "/_static/../../secret.txt", "//etc/passwd", "/guide/page.md",
	} {
		w := get(t, srv, path)
		if w.Code != http.StatusNotFound || strings.Contains(w.Body.String(), "top secret") || strings.Contains(w.Body.String(), "root:") {
			t.Errorf("GET %s: %d; want 404 and nothing from disk", path, w.Code)
		}
	}
	// Over a real connection too, where the client sends the path raw.
	ts := httptest.NewServer(srv)
	defer ts.Close()
	conn, err := net.Dial("tcp", ts.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	io.WriteString(conn, "GET /../../secret.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
	resp, _ := io.ReadAll(conn)
	if strings.Contains(string(resp), "top secret") || !strings.Contains(string(resp), "404") {
		t.Errorf("raw traversal request answered:\n%.200s", resp)
	}
}

func TestEventStreamOriginAndHost(t *testing.T) {
	s, _ := site(t, smallSite)
	srv := NewServer(s, true)
	for _, tc := range []struct {
		header []string
		want   int
	}{
		{[]string{"Origin", "http://evil.example"}, http.StatusForbidden},
		{[]string{"Host", "evil.example:8000"}, http.StatusForbidden},
		{[]string{"Host", "192.168.1.10:8000"}, http.StatusForbidden},
		{[]string{"Origin", "http://127.0.0.1:9999"}, http.StatusForbidden},
	} {
		if w := get(t, srv, "/_docsgen/events", tc.header...); w.Code != tc.want {
			t.Errorf("events with %v: %d, want %d", tc.header, w.Code, tc.want)
		}
	}
	// A same-origin request streams the current state, then every build.
	ts := httptest.NewServer(srv)
	defer ts.Close()
	req, _ := http.NewRequest(http.MethodGet, ts.URL+"/_docsgen/events", nil)
	req.Header.Set("Origin", ts.URL)
	resp, err := ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("same-origin stream: %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	lines := bufio.NewScanner(resp.Body)
	next := func() string {
		for lines.Scan() {
			if data, ok := strings.CutPrefix(lines.Text(), "data: "); ok {
				return data
			}
		}
		t.Fatalf("stream ended: %v", lines.Err())
		return ""
	}
	if first := next(); !strings.Contains(first, `"build":0`) {
		t.Errorf("first message %s, want the current state", first)
	}
	srv.Publish(&build.Update{Build: 7, Changed: []string{"index.html"}}, "")
	if m := next(); !strings.Contains(m, `"build":7`) || !strings.Contains(m, `"changed":["index.html"]`) {
		t.Errorf("after a build: %s", m)
	}
}

func TestListenPortFallback(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	port := busy.Addr().(*net.TCPAddr).Port
	l, err := Listen("127.0.0.1", port, false)
	if err != nil {
		t.Fatalf("default port busy: %v", err)
	}
	got := l.Addr().(*net.TCPAddr)
	l.Close()
	if got.Port == port || !got.IP.IsLoopback() {
		t.Errorf("fell back to %v; want another port on 127.0.0.1", got)
	}
	if _, err := Listen("127.0.0.1", port, true); err == nil || !strings.Contains(err.Error(), "choose another with --port") {
		t.Errorf("explicit busy port: %v, want an error", err)
	}
}

func TestInjectWithoutBody(t *testing.T) {
	got := string(inject([]byte("<p>fragment</p>"), "../"))
	if got != `<p>fragment</p><script src="../_docsgen/live.js"></script>` {
		t.Errorf("inject = %q", got)
	}
}
