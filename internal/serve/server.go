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
	"net/netip"
	"net/url"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/docsgen/docsgen/internal/build"
	"github.com/docsgen/docsgen/internal/diag"
	"github.com/docsgen/docsgen/internal/markdown"
	"github.com/docsgen/docsgen/internal/safefile"
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
	loopback bool   // bound to a loopback address: only loopback hosts are this server
	bind     string // the --bind host, also accepted as a Host

	mu      sync.Mutex
	current Message
	clients map[chan Message]bool
	closing chan struct{}
}

// NewServer prepares serving session. loopback says the listener is bound
// to a loopback address; SetBind names a bind address other than 127.0.0.1.
func NewServer(session *build.Session, loopback bool) *Server {
	epoch := make([]byte, 6)
	_, _ = rand.Read(epoch)
	return &Server{session: session, hl: markdown.NewHighlighter(), loopback: loopback,
		current: Message{Epoch: hex.EncodeToString(epoch), Changed: []string{}, Errors: []Item{}, Warnings: []Item{}},
		clients: map[chan Message]bool{}, closing: make(chan struct{})}
}

// SetBind records the host the listener was opened on (--bind), before
// serving: a Host naming it is accepted besides the loopback names, and on
// an unspecified address (0.0.0.0, ::) any IP literal is.
func (s *Server) SetBind(bind string) {
	s.bind = strings.TrimSuffix(strings.TrimPrefix(bind, "["), "]")
	ip, err := netip.ParseAddr(s.bind)
	s.loopback = strings.EqualFold(s.bind, "localhost") || err == nil && ip.Unmap().IsLoopback()
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
	data, err := safefile.Read(pos.File)
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
	local, _ := r.Context().Value(http.LocalAddrContextKey).(net.Addr)
	if !s.hostAllowed(r.Host, local) {
		open := "the address docsgen serve printed"
		if local != nil {
			open = "http://" + local.String() + "/"
		}
		http.Error(w, fmt.Sprintf("docsgen serve: Host %q is not this server; open %s", r.Host, open), http.StatusForbidden)
		return
	}
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
		if data, err := safefile.Read(src); err == nil {
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

// hostAllowed reports whether a request's Host header names this server,
// for every page, asset and the event stream: DNS rebinding points an
// attacker's name at this machine so that the attacker's page can read the
// preview as same-origin, and then the Host is the attacker's name. So
// names pass only when they are ours (localhost, --bind); IP literals
// cannot be rebound, and pass when they are loopback, the address the
// connection came in on, or any on an unspecified bind (0.0.0.0 means LAN
// access, by whatever address the machine has there). The port is
// not compared: SSH tunnels and container port maps reach the server on
// another port than the browser's URL names, and a port cannot be rebound.
func (s *Server) hostAllowed(hostport string, local net.Addr) bool {
	host, _, err := net.SplitHostPort(hostport)
	if err != nil {
		host = strings.TrimSuffix(strings.TrimPrefix(hostport, "["), "]")
	}
	if host == "" {
		return false
	}
	if strings.EqualFold(host, "localhost") || s.bind != "" && strings.EqualFold(host, s.bind) {
		return true
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return false // a name other than ours
	}
	ip = ip.Unmap().WithZone("")
	if ip.IsLoopback() {
		return true
	}
	if tcp, ok := local.(*net.TCPAddr); ok {
		if l, ok := netip.AddrFromSlice(tcp.IP); ok && l.Unmap() == ip {
			return true
		}
	}
	bind, err := netip.ParseAddr(s.bind)
	if err == nil && bind.Unmap() == ip {
		return true
	}
	return !s.loopback && (s.bind == "" || err == nil && bind.IsUnspecified())
}

// sameOrigin refuses event-stream requests from other sites: an Origin
// header that is not this server.
func (s *Server) sameOrigin(r *http.Request) bool {
	if o := r.Header.Get("Origin"); o != "" {
		u, err := url.Parse(o)
		if err != nil || u.Host != r.Host {
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
	// Timeouts bound what a slow or idle client holds; the event stream
	// writes without a deadline (WriteTimeout stays 0) and ends itself.
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute, IdleTimeout: 2 * time.Minute}
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
