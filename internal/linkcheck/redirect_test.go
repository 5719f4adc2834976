package linkcheck

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"testing"

	"github.com/docsgen/docsgen/internal/diag"
)

// posing is a loopback server that the checker, through its test hooks,
// takes for a public host; names resolve through a table, and every dial is
// recorded and refused unless it is to loopback, so nothing a test does
// can leave this machine whatever the code under test gets wrong.
type posing struct {
	*httptest.Server
	mu      sync.Mutex
	dials   []string
	lookups map[string]int
	names   map[string][][]netip.Addr // per name, the answer to each lookup in turn
}

var public = netip.MustParseAddr("127.0.0.1")

func newPosing(t *testing.T, redirects map[string]string) *posing {
	p := &posing{lookups: map[string]int{}, names: map[string][][]netip.Addr{}}
	p.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if to, ok := redirects[r.URL.Path]; ok {
			http.Redirect(w, r, strings.ReplaceAll(to, "PORT", p.port()), http.StatusFound)
		}
	}))
	t.Cleanup(p.Close)
	return p
}

func (p *posing) port() string {
	_, port, _ := net.SplitHostPort(p.Listener.Addr().String())
	return port
}

// options makes 127.0.0.1 public and every other address what it is.
func (p *posing) options() ExternalOptions {
	var sleep fakeSleep
	o := options(&sleep)
	// A transport of our own: no proxy from the environment gets a dial.
	o.Client = &http.Client{Transport: &http.Transport{}}
	o.addrKind = func(a netip.Addr) string {
		if a == public {
			return ""
		}
		return addrKind(a)
	}
	o.lookup = func(ctx context.Context, host string) ([]netip.Addr, error) {
		p.mu.Lock()
		defer p.mu.Unlock()
		answers, ok := p.names[host]
		if !ok {
			return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
		}
		n := min(p.lookups[host], len(answers)-1)
		p.lookups[host]++
		return answers[n], nil
	}
	o.dial = func(ctx context.Context, network, addr string) (net.Conn, error) {
		p.mu.Lock()
		p.dials = append(p.dials, addr)
		p.mu.Unlock()
		host, _, _ := net.SplitHostPort(addr)
		if a, err := netip.ParseAddr(host); err != nil || !a.IsLoopback() {
			return nil, fmt.Errorf("test dialer: %s is not loopback", addr)
		}
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}
	return o
}

func (p *posing) dialed(prefix string) []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []string
	for _, d := range p.dials {
		if strings.HasPrefix(d, prefix) {
			out = append(out, d)
		}
	}
	return out
}

func (p *posing) lookedUp(name string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.lookups[name]
}

// TestRedirectToMetadataRefused: a public page redirecting to the cloud
// metadata address is a warning naming the redirect, and no connection to
// that address is tried.
func TestRedirectToMetadataRefused(t *testing.T) {
	p := newPosing(t, map[string]string{"/docs": "http://169.254.169.254/latest/meta-data/"})
	findings, stats := CheckExternal(context.Background(), refsTo(p.URL, "/docs"), p.options())
	want := "unchecked: redirect from " + p.URL + "/docs to http://169.254.169.254/latest/meta-data/ not followed: 169.254.169.254 is a link-local address"
	if len(findings) != 1 || findings[0].Severity != diag.Warning || !strings.HasPrefix(findings[0].Message, want) {
		t.Fatalf("findings %+v;\nwant one warning %q", findings, want)
	}
	if d := p.dialed("169.254."); len(d) != 0 {
		t.Errorf("dialed %v", d)
	}
	// Refused, not failed: HEAD is not asked again with GET, nothing is cached.
	if stats.Unchecked != 1 || stats.Broken != 0 || stats.Requests != 1 {
		t.Errorf("stats %+v; want 1 unchecked after 1 request", stats)
	}
}

// TestRedirectToPrivateNameRefused: a redirect to a name is resolved
// first, and refused when any of its addresses is not public.
func TestRedirectToPrivateNameRefused(t *testing.T) {
	p := newPosing(t, map[string]string{
		"/wiki":   "http://wiki.corp.test:PORT/secret",
		"/mixed":  "http://mixed.test:PORT/x",
		"/mapped": "http://[::ffff:10.0.0.5]:PORT/x",
	})
	p.names["wiki.corp.test"] = [][]netip.Addr{{netip.MustParseAddr("10.0.0.5")}}
	p.names["mixed.test"] = [][]netip.Addr{{public, netip.MustParseAddr("fd00::1")}}
	findings, _ := CheckExternal(context.Background(), refsTo(p.URL, "/wiki", "/mixed", "/mapped"), p.options())
	for path, want := range map[string]string{
		"/wiki":   "to http://wiki.corp.test:" + p.port() + "/secret not followed: 10.0.0.5 is a private address",
		"/mixed":  "not followed: fd00::1 is a private address",
		"/mapped": "not followed: ::ffff:10.0.0.5 is a private address",
	} {
		f, found := findingFor(findings, p.URL+path)
		if !found || f.Severity != diag.Warning || !strings.Contains(f.Message, want) {
			t.Errorf("%s: %+v, want a warning containing %q", path, f, want)
		}
	}
	// Refused while vetting the redirect, before the dialer is involved.
	if n := p.lookedUp("wiki.corp.test"); n != 1 {
		t.Errorf("wiki.corp.test looked up %d times, want 1", n)
	}
	if d := p.dialed("10."); len(d) != 0 {
		t.Errorf("dialed %v", d)
	}
	if d := p.dialed("["); len(d) != 0 {
		t.Errorf("dialed %v", d)
	}
}

// TestRedirectRebindingRefused: a name that is public when the redirect
// is vetted and private when it is dialed (DNS rebinding) is refused by
// the dialer, which connects only to addresses it has vetted itself.
func TestRedirectRebindingRefused(t *testing.T) {
	p := newPosing(t, map[string]string{"/docs": "http://rebind.test:PORT/latest/meta-data/"})
	p.names["rebind.test"] = [][]netip.Addr{{public}, {netip.MustParseAddr("169.254.169.254")}}
	findings, _ := CheckExternal(context.Background(), refsTo(p.URL, "/docs"), p.options())
	want := "redirect from " + p.URL + "/docs to http://rebind.test:" + p.port() + "/latest/meta-data/ not followed: 169.254.169.254 is a link-local address"
	if len(findings) != 1 || findings[0].Severity != diag.Warning || !strings.Contains(findings[0].Message, want) {
		t.Fatalf("findings %+v;\nwant one warning containing %q", findings, want)
	}
	if d := p.dialed("169.254."); len(d) != 0 {
		t.Errorf("dialed %v", d)
	}
	if d := p.dialed("rebind.test"); len(d) != 0 {
		t.Errorf("dialed %v: the dialer resolved the name itself", d)
	}
}

// TestRedirectsStillFollowed: public to public is followed (through the
// vetting dialer), and so is private to private: intranet docs link to
// intranet pages.
func TestRedirectsStillFollowed(t *testing.T) {
	p := newPosing(t, map[string]string{
		"/moved": "/ok",
		"/named": "http://docs.test:PORT/ok",
	})
	p.names["docs.test"] = [][]netip.Addr{{public}}
	findings, stats := CheckExternal(context.Background(), refsTo(p.URL, "/moved", "/named"), p.options())
	if len(findings) != 0 || stats.OK != 2 {
		t.Errorf("public to public: findings %+v, stats %+v", findings, stats)
	}
	if d, n := p.dialed("docs.test"), p.lookedUp("docs.test"); len(d) != 0 || n != 2 {
		t.Errorf("docs.test dialed as %v after %d lookups; want it vetted twice and dialed by address", d, n)
	}

	// Without the pose, 127.0.0.1 is loopback: the whole chain is private.
	private := p.options()
	private.addrKind = nil
	private.Client = nil
	private.dial = nil
	lan := newPosing(t, map[string]string{"/to-local": "http://localhost:PORT/ok"})
	findings, stats = CheckExternal(context.Background(), refsTo(lan.URL, "/to-local"), private)
	if len(findings) != 0 || stats.OK != 1 {
		t.Errorf("private to private: findings %+v, stats %+v", findings, stats)
	}
}

func TestAddrKind(t *testing.T) {
	for addr, want := range map[string]string{
		"169.254.169.254": "link-local", "fe80::1": "link-local", "::ffff:169.254.169.254": "link-local",
		"10.1.2.3": "private", "172.16.0.1": "private", "172.31.255.255": "private", "192.168.0.1": "private",
		"fc00::1": "private", "fd12:3456::1": "private", "::ffff:192.168.1.1": "private",
		"100.64.0.1": "shared (CGNAT)", "100.127.255.254": "shared (CGNAT)",
		"127.0.0.1": "loopback", "127.9.9.9": "loopback", "::1": "loopback",
		"0.0.0.0": "unspecified", "0.1.2.3": "unspecified", "::": "unspecified",
		"8.8.8.8": "", "172.32.0.1": "", "100.128.0.1": "", "2001:4860:4860::8888": "", "93.184.215.14": "",
	} {
		if got := addrKind(netip.MustParseAddr(addr)); got != want {
			t.Errorf("addrKind(%s) = %q, want %q", addr, got, want)
		}
	}
}
