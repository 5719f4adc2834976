package serve

import (
	"bytes"
	"context"
	"crypto/rand"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io/fs"
	"mime"
	"net"
	"net/http"
	"net/url"
	"os"
	"path"
	"strings"
	"sync"

	"github.com/docsgen/docsgen/internal/build"
	"github.com/docsgen/docsgen/internal/diag"
	"github.com/docsgen/docsgen/internal/markdown"
)

//go:embed live.js
var liveJS []byte

// Message is what the browser receives after every build.
type Message struct {
	// Epoch changes when the server restarts; Build counts good builds.
	Epoch    string   `json:"epoch"`
	Build    int      `json:"build"`
	Changed  []string `json:"changed"`
	Errors   []Item   `json:"errors"`
	Warnings []Item   `json:"warnings"`
	// Navigate names the page of the edited source, with --follow.
	Navigate string `json:"navigate,omitempty"`
}

// Item is one diagnostic as the overlay shows it.
type Item struct {
	Message string `json:"message"`
	Pos     string `json:"pos"`
	Code    string `json:"code,omitempty"`
	Hint    string `json:"hint,omitempty"`
	// Excerpt is highlighted HTML of the source lines around Pos.
	Excerpt string `json:"excerpt,omitempty"`
}

// Server serves a session's outputs and tells browsers about new builds.
type Server struct {
	session  *build.Session
	hl       *markdown.Highlighter
	loopback bool // bound to a loopback address: the Host must be local too

	mu      sync.Mutex
	current Message
	clients map[chan Message]bool
	closing chan struct{}
}

// NewServer prepares serving session. loopback says the listener is bound
// to a loopback address.
func NewServer(session *build.Session, loopback bool) *Server {
	epoch := make([]byte, 6)
	_, _ = rand.Read(epoch)
	return &Server{session: session, hl: markdown.NewHighlighter(), loopback: loopback,
		current: Message{Epoch: hex.EncodeToString(epoch), Changed: []string{}, Errors: []Item{}, Warnings: []Item{}},
		clients: map[chan Message]bool{}, closing: make(chan struct{})}
}

// Publish records a build's result and sends it to every open tab.
func (s *Server) Publish(u *build.Update, navigate string) {
	m := Message{Build: u.Build, Changed: u.Changed, Errors: []Item{}, Warnings: []Item{}, Navigate: navigate}
	if m.Changed == nil {
		m.Changed = []string{}
	}
	changedSrc := map[string]bool{}
	for _, p := range u.Pages {
		changedSrc[p] = true
	}
	for _, d := range u.Diags {
		switch {
		case d.Severity == diag.Error && len(m.Errors) < 5:
			m.Errors = append(m.Errors, s.item(d, true))
		case d.Severity == diag.Warning && changedSrc[d.Pos.File] && len(m.Warnings) < 20:
			m.Warnings = append(m.Warnings, s.item(d, false))
		}
	}
	s.mu.Lock()
	m.Epoch = s.current.Epoch
	s.current = m
	for c := range s.clients {
		// Each client holds only the latest message: a slow tab skips
		// intermediate builds instead of blocking the server.
		select {
		case <-c:
		default:
		}
		c <- m
	}
	s.mu.Unlock()
}

func (s *Server) item(d diag.Diagnostic, excerpt bool) Item {
	it := Item{Message: d.Message, Pos: d.Pos.String(), Code: d.Code, Hint: d.Hint}
	if excerpt {
		it.Excerpt = s.excerpt(d.Pos)
	}
	return it
}

// excerpt highlights the source lines around pos, the line itself marked.
func (s *Server) excerpt(pos diag.Pos) string {
	if pos.Line == 0 {
		return ""
	}
	data, err := os.ReadFile(pos.File)
	if err != nil {
		return ""
	}
	lines := strings.Split(string(data), "\n")
	from := max(0, pos.Line-4)
	to := min(len(lines), pos.Line+3)
	var b bytes.Buffer
	if err := s.hl.Highlight(&b, "markdown", strings.Join(lines[from:to], "\n")+"\n", true, from+1, []int{pos.Line - from}); err != nil {
		return ""
	}
	return b.String()
}

// ServeHTTP serves the site, the live-reload script and the event stream.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	rel := strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")
	switch rel {
	case "_docsgen/events":
		s.events(w, r)
		return
	case "_docsgen/live.js":
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		w.Write(liveJS)
		return
	}
	if rel == "" || strings.HasSuffix(r.URL.Path, "/") {
		rel = path.Join(rel, "index.html")
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	// Only the build's outputs, the theme's static files and the files the
	// pages reference exist here: no path reaches anything else on disk.
	if data, ok := s.session.Output(rel); ok {
		s.write(w, rel, data, http.StatusOK)
		return
	}
	if name, ok := strings.CutPrefix(rel, "_static/"); ok {
		if data, err := fs.ReadFile(s.session.Theme().Static, name); err == nil {
			s.write(w, rel, data, http.StatusOK)
			return
		}
	}
	if src, ok := s.session.Asset(rel); ok {
		if data, err := os.ReadFile(src); err == nil {
			s.write(w, rel, data, http.StatusOK)
			return
		}
	}
	if !strings.Contains(path.Base(rel), ".") {
		if data, ok := s.session.Output(rel + ".html"); ok {
			s.write(w, rel+".html", data, http.StatusOK)
			return
		}
	}
	data, _ := s.session.Output("404.html")
	s.write(w, "404.html", data, http.StatusNotFound)
}

func (s *Server) write(w http.ResponseWriter, rel string, data []byte, status int) {
	ctype := mime.TypeByExtension(path.Ext(rel))
	if ctype == "" {
		ctype = http.DetectContentType(data)
	}
	w.Header().Set("Content-Type", ctype)
	if strings.HasSuffix(rel, ".html") {
		data = inject(data, strings.Repeat("../", strings.Count(rel, "/")))
	}
	w.WriteHeader(status)
	w.Write(data)
}

// inject adds the live-reload script to a page, by a URL relative to the
// page: it works behind port maps, proxies and sub-paths alike.
func inject(page []byte, rootPrefix string) []byte {
	tag := []byte(`<script src="` + html.EscapeString(rootPrefix) + `_docsgen/live.js"></script>`)
	if i := bytes.LastIndex(page, []byte("</body>")); i >= 0 {
		return append(append(append([]byte{}, page[:i]...), tag...), page[i:]...)
	}
	return append(append([]byte{}, page...), tag...)
}

// sameOrigin refuses event-stream requests from other sites (an Origin
// header that is not this server) and, on a loopback bind, requests whose
// Host is not a loopback name (DNS rebinding).
func (s *Server) sameOrigin(r *http.Request) bool {
	if o := r.Header.Get("Origin"); o != "" {
		u, err := url.Parse(o)
		if err != nil || u.Host != r.Host {
			return false
		}
	}
	if s.loopback {
		host, _, err := net.SplitHostPort(r.Host)
		if err != nil {
			host = r.Host
		}
		if host != "localhost" && net.ParseIP(strings.Trim(host, "[]")) == nil {
			return false
		}
		if ip := net.ParseIP(strings.Trim(host, "[]")); ip != nil && !ip.IsLoopback() {
			return false
		}
	}
	return true
}

func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	if !s.sameOrigin(r) {
		http.Error(w, "cross-origin event stream refused", http.StatusForbidden)
		return
	}
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("X-Accel-Buffering", "no")
	c := make(chan Message, 1)
	s.mu.Lock()
	s.clients[c] = true
	c <- s.current
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.clients, c)
		s.mu.Unlock()
	}()
	fmt.Fprint(w, "retry: 1000\n\n")
	flusher.Flush()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-s.closing:
			return
		case m := <-c:
			data, _ := json.Marshal(m)
			if _, err := fmt.Fprintf(w, "data: %s\n\n", data); err != nil {
				return
			}
			flusher.Flush()
		}
	}
}

// Listen opens the listener: the port asked for, or with a default port
// that is busy, the next free one on the same address (then any free one).
func Listen(bind string, port int, explicit bool) (net.Listener, error) {
	addr := net.JoinHostPort(bind, fmt.Sprint(port))
	l, err := net.Listen("tcp", addr)
	if err == nil || explicit {
		if err != nil {
			return nil, fmt.Errorf("cannot listen on %s: %w; choose another with --port", addr, err)
		}
		return l, nil
	}
	for p := port + 1; p <= port+10; p++ {
		if l, err := net.Listen("tcp", net.JoinHostPort(bind, fmt.Sprint(p))); err == nil {
			return l, nil
		}
	}
	return net.Listen("tcp", net.JoinHostPort(bind, "0"))
}

// Serve runs the HTTP server until ctx ends, then shuts it down cleanly.
func (s *Server) Serve(ctx context.Context, l net.Listener) error {
	srv := &http.Server{Handler: s}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(l) }()
	select {
	case <-ctx.Done():
		// Event streams never end by themselves: end them, then shut down.
		close(s.closing)
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 2e9)
		defer cancel()
		srv.Shutdown(shutdownCtx)
		srv.Close()
		return nil
	case err := <-done:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return err
	}
}
