package linkcheck

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/docsgen/docsgen/internal/diag"
	"github.com/docsgen/docsgen/internal/markdown"
)

// scripted is a loopback server whose paths script the answers external
// checking must handle; it counts requests per path.
type scripted struct {
	*httptest.Server
	mu       sync.Mutex
	hits     map[string]int
	inFlight atomic.Int32
	maxSeen  atomic.Int32
}

func newScripted(t *testing.T) *scripted {
	s := &scripted{hits: map[string]int{}}
	mux := http.NewServeMux()
	mux.HandleFunc("/ok", func(w http.ResponseWriter, r *http.Request) {})
	mux.HandleFunc("/page", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, `<html><body><h2 id="install">Install</h2><a name="legacy"></a><h2 id="user-content-readme">x</h2></body></html>`)
	})
	mux.HandleFunc("/no-head", func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodHead {
			w.WriteHeader(http.StatusMethodNotAllowed)
		}
	})
	mux.HandleFunc("/moved", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/ok", http.StatusMovedPermanently) })
	mux.HandleFunc("/gone", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNotFound) })
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop", http.StatusFound) })
	mux.HandleFunc("/busy-once", func(w http.ResponseWriter, r *http.Request) {
		if s.count("/busy-once") <= 1 {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
		}
	})
	mux.HandleFunc("/rate-limited", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-RateLimit-Remaining", "0")
		w.Header().Set("X-RateLimit-Reset", fmt.Sprint(time.Now().Add(2*time.Second).Unix()))
		w.WriteHeader(http.StatusForbidden)
	})
	mux.HandleFunc("/forbidden", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusForbidden) })
	mux.HandleFunc("/error", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusBadGateway) })
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(2 * time.Second):
		case <-r.Context().Done():
		}
	})
	// The headers and the start of the page, then nothing until the client
	// gives up: the anchor cannot be judged.
	mux.HandleFunc("/slow-body", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte(`<html><body><h1 id="top">Top</h1>`))
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	})
	mux.HandleFunc("/wait-long", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "120")
		w.WriteHeader(http.StatusTooManyRequests)
	})
	mux.HandleFunc("/n/", func(w http.ResponseWriter, r *http.Request) {
		n := s.inFlight.Add(1)
		defer s.inFlight.Add(-1)
		for {
			m := s.maxSeen.Load()
			if n <= m || s.maxSeen.CompareAndSwap(m, n) {
				break
			}
		}
		time.Sleep(20 * time.Millisecond)
	})
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.hits[r.URL.Path]++
		s.mu.Unlock()
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *scripted) count(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

func (s *scripted) total() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, h := range s.hits {
		n += h
	}
	return n
}

func refsTo(base string, paths ...string) []markdown.Ref {
	var out []markdown.Ref
	for i, p := range paths {
		out = append(out, markdown.Ref{Kind: markdown.RefLink, Target: base + p, Pos: diag.Pos{File: "content/a.md", Line: i + 1, Col: 3}})
	}
	return out
}

// fakeSleep records the waits instead of sleeping.
type fakeSleep struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (f *fakeSleep) sleep(ctx context.Context, d time.Duration) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.waits = append(f.waits, d)
	return ctx.Err()
}

// options are the tests' options: a request times out only after long
// enough that one to the loopback server never does, however loaded the
// machine (TestExternalTimeouts shortens it for the servers that stall).
func options(sleep *fakeSleep) ExternalOptions {
	return ExternalOptions{Sleep: sleep.sleep, Rand: func() float64 { return 0.5 }, Timeout: 30 * time.Second, Budget: 60 * time.Second}
}

func findingFor(findings []Finding, target string) (Finding, bool) {
	for _, f := range findings {
		if f.Target == target {
			return f, true
		}
	}
	return Finding{}, false
}

func TestExternalClassification(t *testing.T) {
	srv := newScripted(t)
	var sleep fakeSleep
	refs := refsTo(srv.URL, "/ok", "/no-head", "/moved", "/gone", "/loop", "/busy-once", "/rate-limited", "/forbidden", "/error",
		"/page#install", "/page#legacy", "/page#readme", "/page#instal")
	findings, stats := CheckExternal(context.Background(), refs, options(&sleep))

	for _, tc := range []struct {
		path     string
		severity diag.Severity
		message  string // "" for no finding
	}{
		{"/ok", 0, ""},
		{"/no-head", 0, ""},
		{"/moved", 0, ""},
		{"/busy-once", 0, ""},
		{"/page#install", 0, ""},
		{"/page#legacy", 0, ""},
		{"/page#readme", 0, ""}, // GitHub's user-content- prefix
		{"/gone", diag.Error, "broken: HTTP 404 Not Found"},
		{"/loop", diag.Error, "broken: redirect loop"},
		{"/page#instal", diag.Error, "no anchor #instal at"},
		{"/rate-limited", diag.Warning, "not confirmed (transient): rate limited (HTTP 403)"},
		{"/forbidden", diag.Warning, "blocked by the server"},
		{"/error", diag.Warning, "not confirmed (transient): HTTP 502"},
	} {
		f, found := findingFor(findings, srv.URL+tc.path)
		switch {
		case tc.message == "" && found:
			t.Errorf("%s: unexpected finding %+v", tc.path, f)
		case tc.message != "" && !found:
			t.Errorf("%s: no finding, want a %s", tc.path, tc.severity)
		case found && (f.Severity != tc.severity || !strings.Contains(f.Message, tc.message)):
			t.Errorf("%s: %s %q, want %s containing %q", tc.path, f.Severity, f.Message, tc.severity, tc.message)
		}
	}
	if f, _ := findingFor(findings, srv.URL+"/page#instal"); f.Suggestion != "#install" || f.Line != 13 || f.Col != 3 {
		t.Errorf("missing anchor finding %+v: want the suggestion #install at its source line", f)
	}
	// One page fetch serves all four fragments.
	if n := srv.count("/page"); n != 1 {
		t.Errorf("/page was fetched %d times for 4 fragments, want 1", n)
	}
	// Retry-After: 1 was honoured; the rate-limited 403 waited for its reset.
	if len(sleep.waits) == 0 || sleep.waits[0] != time.Second && !contains(sleep.waits, time.Second) {
		t.Errorf("waits %v do not include the 1s Retry-After", sleep.waits)
	}
	if srv.count("/rate-limited") != 4 {
		t.Errorf("/rate-limited asked %d times, want 1 + 3 retries", srv.count("/rate-limited"))
	}
	if stats.URLs != 10 || stats.Broken != 2 || stats.Blocked != 1 || stats.Transient != 2 {
		t.Errorf("stats %+v", stats)
	}
}

// TestExternalTimeouts: a server that never answers, or stops sending
// the page, leaves the link unconfirmed, not broken.
func TestExternalTimeouts(t *testing.T) {
	srv := newScripted(t)
	var sleep fakeSleep
	opts := options(&sleep)
	// Long enough for /slow-body's first bytes on a loaded machine (else
	// it times out before they come), short of /slow's two seconds.
	opts.Timeout = time.Second
	findings, stats := CheckExternal(context.Background(), refsTo(srv.URL, "/slow", "/slow-body#later"), opts)
	for path, message := range map[string]string{
		"/slow":            "not confirmed (transient): timed out",
		"/slow-body#later": "not confirmed (transient): reading the page failed",
	} {
		if f, found := findingFor(findings, srv.URL+path); !found || f.Severity != diag.Warning || !strings.Contains(f.Message, message) {
			t.Errorf("%s: %+v (found %v), want a warning containing %q", path, f, found, message)
		}
	}
	if stats.URLs != 2 || stats.Transient != 2 {
		t.Errorf("stats %+v", stats)
	}
}

func contains(ds []time.Duration, d time.Duration) bool {
	for _, x := range ds {
		if x == d {
			return true
		}
	}
	return false
}

func TestExternalBudget(t *testing.T) {
	srv := newScripted(t)
	var sleep fakeSleep
	opts := options(&sleep)
	opts.Budget = 5 * time.Second
	findings, stats := CheckExternal(context.Background(), refsTo(srv.URL, "/wait-long"), opts)
	if len(findings) != 1 || findings[0].Severity != diag.Warning || !strings.Contains(findings[0].Message, "unchecked") || stats.Unchecked != 1 {
		t.Errorf("a Retry-After beyond the budget gave %+v (stats %+v); want an unchecked warning", findings, stats)
	}
	if len(sleep.waits) != 0 {
		t.Errorf("waited %v although the wait could not fit the budget", sleep.waits)
	}
}

func TestExternalPerHostLimit(t *testing.T) {
	srv := newScripted(t)
	var paths []string
	for i := range 12 {
		paths = append(paths, fmt.Sprintf("/n/%d", i))
	}
	var sleep fakeSleep
	opts := options(&sleep)
	opts.PerHost = 2
	findings, _ := CheckExternal(context.Background(), refsTo(srv.URL, paths...), opts)
	if len(findings) != 0 {
		t.Fatalf("findings %+v", findings)
	}
	if m := srv.maxSeen.Load(); m > 2 || m < 1 {
		t.Errorf("at most %d requests ran at once against one host, want 1..2", m)
	}
}

func TestExternalIgnoreAndCache(t *testing.T) {
	srv := newScripted(t)
	var sleep fakeSleep
	cachePath := filepath.Join(t.TempDir(), ".docsgen", "linkcache.json")
	now := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	refs := refsTo(srv.URL, "/ok", "/page#install", "/gone", "/ignored/x")

	run := func() ([]Finding, *ExternalStats) {
		cache, err := LoadCache(cachePath, 7*24*time.Hour, clock, func() float64 { return 0.5 })
		if err != nil {
			t.Fatal(err)
		}
		opts := options(&sleep)
		opts.Cache = cache
		opts.Ignore = []*regexp.Regexp{regexp.MustCompile(`/ignored/`)}
		f, s := CheckExternal(context.Background(), refs, opts)
		if err := cache.Save(); err != nil {
			t.Fatal(err)
		}
		return f, s
	}
	_, first := run()
	if first.Ignored != 1 || srv.count("/ignored/x") != 0 || first.OK != 2 || first.Broken != 1 {
		t.Fatalf("first run stats %+v", first)
	}
	before := srv.total()
	findings, second := run()
	// Only the failing URL is asked again (HEAD, then GET): good answers
	// come from the cache, and a failure is never cached as good.
	if got := srv.total() - before; got != 2 || srv.count("/gone") != 4 || srv.count("/ok") != 1 || srv.count("/page") != 1 {
		t.Errorf("second run made %d requests (/gone %d, /ok %d, /page %d in all); want 2, all to /gone", got, srv.count("/gone"), srv.count("/ok"), srv.count("/page"))
	}
	if second.Cached != 2 || second.Broken != 1 || len(findings) != 1 {
		t.Errorf("second run: stats %+v findings %+v", second, findings)
	}
	// Past the TTL (7 days ± 20%), entries are checked again.
	now = now.Add(9 * 24 * time.Hour)
	before = srv.total()
	run()
	if srv.total()-before < 3 {
		t.Errorf("expired entries were not checked again")
	}
}

func TestCachedRunMakesNoRequests(t *testing.T) {
	srv := newScripted(t)
	var sleep fakeSleep
	cachePath := filepath.Join(t.TempDir(), "linkcache.json")
	refs := refsTo(srv.URL, "/ok", "/moved", "/page#install", "/page#legacy")
	for run := range 2 {
		cache, err := LoadCache(cachePath, time.Hour, time.Now, nil)
		if err != nil {
			t.Fatal(err)
		}
		opts := options(&sleep)
		opts.Cache = cache
		before := srv.total()
		findings, stats := CheckExternal(context.Background(), refs, opts)
		if len(findings) != 0 {
			t.Fatalf("run %d: findings %+v", run, findings)
		}
		if err := cache.Save(); err != nil {
			t.Fatal(err)
		}
		if run == 1 && (srv.total() != before || stats.Requests != 0 || stats.Cached != 3) {
			t.Errorf("the cached run made %d requests (stats %+v), want none", srv.total()-before, stats)
		}
	}
}
