package serve

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
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
	s, u, err := build.NewSession(context.Background(), cfg, build.SessionOptions{})
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
	// Cancelled already: an event stream let through by mistake ends at
	// once (and fails the test) instead of hanging it.
	ctx, cancel := context.WithCancel(r.Context())
	cancel()
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r.WithContext(ctx))
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
		// "root:x:" starts /etc/passwd (the 404 page's inlined CSS has ":root:").
		if w.Code != http.StatusNotFound || strings.Contains(w.Body.String(), "top secret") || strings.Contains(w.Body.String(), "root:x:") {
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

// TestForeignHostRefused: a Host that is not this server's (DNS rebinding
// points an attacker's name at 127.0.0.1) gets a 403 for every path, the
// event stream, pages, assets and 404s alike.
func TestForeignHostRefused(t *testing.T) {
	s, _ := site(t, smallSite)
	srv := NewServer(s, true)
	for _, host := range []string{
		"evil.example.com:8000", "evil.example.com", "127.0.0.1.nip.io:8000", "localhost.evil.example:8000",
		"192.168.1.10:8000", "[fe80::1]:8000", "",
	} {
		for _, path := range []string{
			"/", "/index.html", "/guide/page", "/_static/docsgen.css", "/logo.png", "/_docsgen/live.js",
			"/missing.html", "/../secret.txt", "/_docsgen/events",
		} {
			w := get(t, srv, path, "Host", host)
			body := w.Body.String()
			if w.Code != http.StatusForbidden || !strings.HasPrefix(body, "docsgen serve: Host "+strconv.Quote(host)+" is not this server") {
				t.Errorf("GET %s with Host %q: %d %.80q; want 403 and the explanation", path, host, w.Code, body)
			}
			if strings.Contains(body, "<") || strings.Contains(body, "--bg") || strings.Contains(body, "not really a png") {
				t.Errorf("GET %s with Host %q leaked content: %.200q", path, host, body)
			}
		}
	}
	// The Host is quoted into a plain-text answer that browsers must not sniff.
	w := get(t, srv, "/", "Host", "<script>x</script>")
	if w.Code != http.StatusForbidden || w.Header().Get("Content-Type") != "text/plain; charset=utf-8" || w.Header().Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("hostile Host: %d %v", w.Code, w.Header())
	}

	// Over a real connection the answer names the address to open instead.
	ts := httptest.NewServer(srv)
	defer ts.Close()
	for _, path := range []string{"/", "/_static/docsgen.css", "/nope", "/_docsgen/events"} {
		req, _ := http.NewRequest(http.MethodGet, ts.URL+path, nil)
		req.Host = "evil.example.com:" + port(t, ts)
		resp, err := ts.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != http.StatusForbidden {
			resp.Body.Close() // before reading: an event stream never ends
			t.Errorf("GET %s as evil.example.com: %d, want 403", path, resp.StatusCode)
			continue
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		want := `docsgen serve: Host "evil.example.com:` + port(t, ts) + `" is not this server; open ` + ts.URL + "/\n"
		if string(body) != want {
			t.Errorf("GET %s as evil.example.com: %q, want %q", path, body, want)
		}
	}
}

func port(t *testing.T, ts *httptest.Server) string {
	t.Helper()
	_, p, err := net.SplitHostPort(ts.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestLoopbackHostsAccepted: the names a browser on this machine uses are
// served, pages, assets and the event stream. The port is not compared, so
// an SSH tunnel or port map (browser on :9000, server on another) works.
func TestLoopbackHostsAccepted(t *testing.T) {
	s, _ := site(t, smallSite)
	srv := NewServer(s, true)
	ts := httptest.NewServer(srv)
	defer ts.Close()
	p := port(t, ts)
	for _, host := range []string{"127.0.0.1:" + p, "localhost:" + p, "[::1]:" + p, "LocalHost:" + p, "127.0.0.2:" + p, "localhost", "localhost:9000"} {
		for path, want := range map[string]string{"/": "_docsgen/live.js", "/_static/docsgen.css": "--bg", "/logo.png": "not really a png"} {
			req, _ := http.NewRequest(http.MethodGet, ts.URL+path, nil)
			req.Host = host
			resp, err := ts.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), want) {
				t.Errorf("GET %s with Host %q: %d %.80q", path, host, resp.StatusCode, body)
			}
		}
		req, _ := http.NewRequest(http.MethodGet, ts.URL+"/_docsgen/events", nil)
		req.Host = host
		req.Header.Set("Origin", "http://"+host)
		resp, err := ts.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/event-stream" {
			t.Errorf("events with Host %q: %d %q", host, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
	}
}

// TestBindHost: with --bind, the bind host is accepted besides the loopback
// names; an unspecified bind accepts any IP literal (LAN access by whatever
// address the machine has) but still no other name.
func TestBindHost(t *testing.T) {
	s, _ := site(t, smallSite)
	lan := &net.TCPAddr{IP: net.ParseIP("192.168.1.5"), Port: 8000}
	for _, tc := range []struct {
		bind   string
		local  net.Addr // the address the connection came in on
		accept []string
		refuse []string
	}{
		{"127.0.0.1", nil, []string{"127.0.0.1:8000", "localhost:8000", "[::1]:8000"}, []string{"192.168.1.5:8000", "evil.example:8000", "[::ffff:10.0.0.7]:8000"}},
		{"localhost", nil, []string{"localhost:8000", "127.0.0.1:8000", "[::1]:8000"}, []string{"10.0.0.7:8000", "evil.example:8000"}},
		{"192.168.1.5", lan, []string{"192.168.1.5:8000", "localhost:8000", "127.0.0.1:8000"}, []string{"10.0.0.7:8000", "evil.example:8000", "192.168.1.5.nip.io:8000"}},
		{"docs.lan", lan, []string{"docs.lan:8000", "DOCS.LAN:8000", "192.168.1.5:8000", "localhost:8000"}, []string{"other.lan:8000", "10.0.0.7:8000", "docs.lan.evil.example:8000"}},
		{"0.0.0.0", lan, []string{"192.168.1.5:8000", "10.0.0.7:8000", "[2001:db8::7]:8000", "localhost:8000", "127.0.0.1:8000"}, []string{"evil.example:8000", "mybox.lan:8000", "10.0.0.7.nip.io:8000"}},
		{"::", lan, []string{"[2001:db8::7]:8000", "10.0.0.7:8000", "localhost:8000"}, []string{"evil.example:8000"}},
	} {
		srv := NewServer(s, tc.bind == "127.0.0.1")
		srv.SetBind(tc.bind)
		try := func(host string) int {
			r := httptest.NewRequest(http.MethodGet, "/guide/page.html", nil)
			r.Host = host
			if tc.local != nil {
				r = r.WithContext(context.WithValue(r.Context(), http.LocalAddrContextKey, tc.local))
			}
			w := httptest.NewRecorder()
			srv.ServeHTTP(w, r)
			return w.Code
		}
		for _, host := range tc.accept {
			if code := try(host); code != http.StatusOK {
				t.Errorf("--bind %s, Host %q: %d, want 200", tc.bind, host, code)
			}
		}
		for _, host := range tc.refuse {
			if code := try(host); code != http.StatusForbidden {
				t.Errorf("--bind %s, Host %q: %d, want 403", tc.bind, host, code)
			}
		}
	}
}
