package linkcheck

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/docsgen/docsgen/internal/diag"
	"github.com/docsgen/docsgen/internal/markdown"
	"golang.org/x/net/html"
	"golang.org/x/net/idna"
)

// ExternalOptions tune the external check. Zero values take the defaults.
type ExternalOptions struct {
	Client      *http.Client
	PerHost     int           // concurrent requests per host (2)
	Concurrency int           // concurrent requests overall (16)
	Timeout     time.Duration // per request (10s)
	Budget      time.Duration // for the whole check (2m)
	Retries     int           // retries of a transient failure (3; negative: none)
	Ignore      []*regexp.Regexp
	Cache       *Cache
	UserAgent   string
	// Now, Sleep and Rand are the clock, the wait and the jitter source;
	// tests replace them so they never sleep.
	Now      func() time.Time
	Sleep    func(ctx context.Context, d time.Duration) error
	Rand     func() float64
	Progress func(done, total int)

	// addrKind says what keeps an address off the public internet ("" for
	// none), lookup resolves a name and dial connects; tests replace them so
	// that a loopback server poses as a public host and no dial leaves
	// loopback.
	addrKind  func(netip.Addr) string
	lookup    func(ctx context.Context, host string) ([]netip.Addr, error)
	dial      func(ctx context.Context, network, addr string) (net.Conn, error)
	transport *http.Transport // the guarded copy made by defaults, closed at the end
}

func (o *ExternalOptions) defaults() {
	o.guard()
	if o.PerHost <= 0 {
		o.PerHost = 2
	}
	if o.Concurrency <= 0 {
		o.Concurrency = 16
	}
	if o.Timeout <= 0 {
		o.Timeout = 10 * time.Second
	}
	if o.Budget <= 0 {
		o.Budget = 2 * time.Minute
	}
	if o.Retries == 0 {
		o.Retries = 3
	} else if o.Retries < 0 {
		o.Retries = 0
	}
	if o.UserAgent == "" {
		o.UserAgent = "docsgen-linkcheck/1 (+documentation link checker)"
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Sleep == nil {
		o.Sleep = func(ctx context.Context, d time.Duration) error {
			t := time.NewTimer(d)
			defer t.Stop()
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-t.C:
				return nil
			}
		}
	}
	if o.Rand == nil {
		o.Rand = rand.Float64
	}
}

// ExternalStats counts external URLs (fragments stripped) by outcome.
type ExternalStats struct {
	URLs      int `json:"urls"`
	OK        int `json:"ok"`
	Broken    int `json:"broken"`
	Transient int `json:"transient"`
	Blocked   int `json:"blocked"`
	Unchecked int `json:"unchecked"`
	Ignored   int `json:"ignored"`
	Cached    int `json:"cached"`
	Requests  int `json:"requests"`
}

// outcome classes.
const (
	ok        = "ok"
	broken    = "broken"
	transient = "transient"
	blocked   = "blocked"
	unchecked = "unchecked"
)

type target struct {
	url   string
	refs  []markdown.Ref
	frags []string // fragments some ref asks for
}

type result struct {
	class   string
	status  int
	message string
	anchors map[string]bool // nil when the page was not parsed
}

// CheckExternal checks every http(s) URL the refs name, once per URL
// whatever its fragments, and returns findings at each ref's position.
func CheckExternal(ctx context.Context, refs []markdown.Ref, opts ExternalOptions) ([]Finding, *ExternalStats) {
	opts.defaults()
	stats := &ExternalStats{}
	byURL := map[string]*target{}
	for _, r := range refs {
		u, err := url.Parse(r.Target)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
			continue
		}
		frag := u.Fragment
		u.Fragment, u.RawFragment = "", ""
		key := u.String()
		t, found := byURL[key]
		if !found {
			t = &target{url: key}
			byURL[key] = t
		}
		t.refs = append(t.refs, r)
		if frag != "" && !slices.Contains(t.frags, frag) {
			t.frags = append(t.frags, frag)
		}
	}
	keys := make([]string, 0, len(byURL))
	for k := range byURL {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	stats.URLs = len(keys)
	if opts.transport != nil {
		defer opts.transport.CloseIdleConnections()
	}

	ctx, cancel := context.WithTimeout(ctx, opts.Budget)
	defer cancel()
	c := &checker{opts: opts, hosts: map[string]chan struct{}{}, global: make(chan struct{}, opts.Concurrency), stats: stats}
	results := make([]result, len(keys))
	var wg sync.WaitGroup
	var mu sync.Mutex
	done := 0
	for i, k := range keys {
		t := byURL[k]
		if slices.ContainsFunc(opts.Ignore, func(re *regexp.Regexp) bool { return re.MatchString(k) }) {
			results[i] = result{class: "ignored"}
			continue
		}
		if opts.Cache != nil {
			if e, fresh := opts.Cache.Get(k); fresh && (len(t.frags) == 0 || e.Anchors != nil) {
				results[i] = result{class: ok, status: e.Status, anchors: setOf(e.Anchors), message: "cached"}
				continue
			}
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = c.check(ctx, t)
			mu.Lock()
			done++
			if opts.Progress != nil {
				opts.Progress(done, len(keys))
			}
			mu.Unlock()
		}()
	}
	wg.Wait()

	var findings []Finding
	for i, k := range keys {
		t, r := byURL[k], results[i]
		switch r.class {
		case "ignored":
			stats.Ignored++
			continue
		case ok:
			stats.OK++
			if r.message == "cached" {
				stats.Cached++
			} else if opts.Cache != nil {
				opts.Cache.PutOK(k, r.status, keysOf(r.anchors))
			}
		case broken:
			stats.Broken++
		case transient:
			stats.Transient++
		case blocked:
			stats.Blocked++
		case unchecked:
			stats.Unchecked++
		}
		if r.class != ok && opts.Cache != nil {
			opts.Cache.Fail(k)
		}
		for _, ref := range t.refs {
			f := Finding{File: ref.Pos.File, Line: ref.Pos.Line, Col: ref.Pos.Col, Target: ref.Target, Kind: "external"}
			for _, v := range ref.Via {
				f.Via = append(f.Via, v.String())
			}
			switch r.class {
			case ok:
				frag := fragmentOf(ref.Target)
				if frag == "" || r.anchors == nil || hasAnchor(k, frag, r.anchors) {
					continue
				}
				f.Severity, f.Message = diag.Error, fmt.Sprintf("no anchor #%s at %s", frag, k)
				f.Suggestion = closestAnchor(frag, r.anchors)
			case broken:
				f.Severity, f.Message = diag.Error, "broken: "+r.message
			case transient:
				f.Severity, f.Message = diag.Warning, "not confirmed (transient): "+r.message
			case blocked:
				f.Severity, f.Message = diag.Warning, "blocked by the server, not checked: "+r.message
			case unchecked:
				f.Severity, f.Message = diag.Warning, "unchecked: "+r.message
			}
			findings = append(findings, f)
		}
	}
	return findings, stats
}

func fragmentOf(s string) string {
	_, frag, _ := strings.Cut(s, "#")
	if u, err := url.PathUnescape(frag); err == nil {
		return u
	}
	return frag
}

func setOf(ss []string) map[string]bool {
	if ss == nil {
		return nil
	}
	m := make(map[string]bool, len(ss))
	for _, s := range ss {
		m[s] = true
	}
	return m
}

func keysOf(m map[string]bool) []string {
	if m == nil {
		return nil
	}
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

var githubLineRe = regexp.MustCompile(`^L\d+(-L\d+)?$`)

// hasAnchor accepts an id or name on the page, and GitHub's quirks: line
// anchors (#L12) and ids rendered with a user-content- prefix.
func hasAnchor(pageURL, frag string, anchors map[string]bool) bool {
	if anchors[frag] || anchors["user-content-"+frag] {
		return true
	}
	if strings.Contains(pageURL, "://github.com/") && githubLineRe.MatchString(frag) {
		return true
	}
	// Single-page apps route with #!/path; that is not an anchor.
	return strings.HasPrefix(frag, "!") || strings.HasPrefix(frag, "/")
}

func closestAnchor(frag string, anchors map[string]bool) string {
	if best := diag.Closest(frag, keysOf(anchors)); best != "" {
		return "#" + best
	}
	return ""
}

type checker struct {
	opts   ExternalOptions
	mu     sync.Mutex
	hosts  map[string]chan struct{}
	global chan struct{}
	stats  *ExternalStats
}

func (c *checker) hostSlot(host string) chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch, ok := c.hosts[host]
	if !ok {
		ch = make(chan struct{}, c.opts.PerHost)
		c.hosts[host] = ch
	}
	return ch
}

// acquire takes a per-host and a global slot, or fails when the budget ends.
func (c *checker) acquire(ctx context.Context, host string) (release func(), err error) {
	hs := c.hostSlot(host)
	select {
	case hs <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	select {
	case c.global <- struct{}{}:
	case <-ctx.Done():
		<-hs
		return nil, ctx.Err()
	}
	return func() { <-c.global; <-hs }, nil
}

func (c *checker) check(ctx context.Context, t *target) result {
	u, _ := url.Parse(t.url)
	needPage := len(t.frags) > 0
	for attempt := 0; ; attempt++ {
		method := http.MethodHead
		if needPage {
			method = http.MethodGet
		}
		r, wait := c.fetch(ctx, u, method, needPage)
		if r.class != ok && method == http.MethodHead && r.class != transient && r.class != unchecked {
			// Many servers refuse HEAD (405, 403, even 404): ask again with
			// GET. Not what went unchecked: no budget left, a refused redirect.
			r, wait = c.fetch(ctx, u, http.MethodGet, false)
		}
		if r.class != transient || attempt >= c.opts.Retries {
			return r
		}
		if wait <= 0 {
			wait = c.backoff(attempt)
		}
		if deadline, has := ctx.Deadline(); has && c.opts.Now().Add(wait).After(deadline) {
			return result{class: unchecked, message: fmt.Sprintf("%s; a retry after %s would exceed the time budget", r.message, wait.Round(time.Millisecond))}
		}
		if err := c.opts.Sleep(ctx, wait); err != nil {
			return result{class: unchecked, message: "the time budget ran out"}
		}
	}
}

// backoff is exponential with ±50% jitter, capped at 30s.
func (c *checker) backoff(attempt int) time.Duration {
	d := time.Second << attempt
	d = min(d, 30*time.Second)
	return time.Duration(float64(d) * (0.5 + c.opts.Rand()))
}

const maxWait = 60 * time.Second

// fetch makes one request and classifies it; wait is how long the server
// asked us to wait before retrying.
func (c *checker) fetch(ctx context.Context, u *url.URL, method string, parse bool) (result, time.Duration) {
	release, err := c.acquire(ctx, u.Host)
	if err != nil {
		return result{class: unchecked, message: "the time budget ran out before it was checked"}, 0
	}
	defer release()
	rctx, cancel := context.WithTimeout(ctx, c.opts.Timeout)
	defer cancel()
	rctx = context.WithValue(rctx, hopsKey{}, &hops{vetted: map[string]bool{}})
	req, err := http.NewRequestWithContext(rctx, method, u.String(), nil)
	if err != nil {
		return result{class: broken, message: err.Error()}, 0
	}
	req.Header.Set("User-Agent", c.opts.UserAgent)
	req.Header.Set("Accept", "text/html,application/xhtml+xml,*/*;q=0.8")
	c.mu.Lock()
	c.stats.Requests++
	c.mu.Unlock()
	resp, err := c.opts.Client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return result{class: unchecked, message: "the time budget ran out while it was checked"}, 0
		}
		return classifyError(err), 0
	}
	defer resp.Body.Close()
	r := result{status: resp.StatusCode}
	switch code := resp.StatusCode; {
	case code >= 200 && code < 300:
		r.class = ok
		if parse {
			var err error
			if r.anchors, err = anchors(io.LimitReader(resp.Body, 8<<20)); err != nil {
				// A body cut short (a timeout) says nothing about the
				// anchor: try again later, never report it missing.
				r.class, r.message, r.anchors = transient, "reading the page failed: "+lastPart(err), nil
				return r, 0
			}
		}
	case code == http.StatusTooManyRequests || code == http.StatusForbidden && rateLimited(resp.Header):
		r.class, r.message = transient, fmt.Sprintf("rate limited (HTTP %d)", code)
		return r, min(retryAfter(resp.Header, c.opts.Now()), maxWait)
	case code == http.StatusNotFound || code == http.StatusGone:
		r.class, r.message = broken, fmt.Sprintf("HTTP %d %s", code, http.StatusText(code))
	case code == http.StatusForbidden || code == http.StatusUnauthorized || code == 999:
		r.class, r.message = blocked, fmt.Sprintf("HTTP %d (a login or a bot wall)", code)
	case code >= 500:
		r.class, r.message = transient, fmt.Sprintf("HTTP %d %s", code, http.StatusText(code))
		return r, min(retryAfter(resp.Header, c.opts.Now()), maxWait)
	default:
		r.class, r.message = broken, fmt.Sprintf("HTTP %d %s", code, http.StatusText(code))
	}
	return r, 0
}

// rateLimited reports a 403 that is really a rate limit (GitHub answers 403
// with X-RateLimit-Remaining: 0).
func rateLimited(h http.Header) bool {
	return h.Get("X-RateLimit-Remaining") == "0" || h.Get("RateLimit-Remaining") == "0" || h.Get("Retry-After") != ""
}

// retryAfter reads Retry-After (seconds or an HTTP date), X-RateLimit-Reset
// (a Unix time) or RateLimit-Reset (seconds).
func retryAfter(h http.Header, now time.Time) time.Duration {
	if v := h.Get("Retry-After"); v != "" {
		if s, err := strconv.Atoi(strings.TrimSpace(v)); err == nil {
			return time.Duration(s) * time.Second
		}
		if t, err := http.ParseTime(v); err == nil {
			return max(0, t.Sub(now))
		}
	}
	if v := h.Get("X-RateLimit-Reset"); v != "" {
		if s, err := strconv.ParseInt(v, 10, 64); err == nil {
			return max(0, time.Unix(s, 0).Sub(now))
		}
	}
	if v := h.Get("RateLimit-Reset"); v != "" {
		if s, err := strconv.Atoi(v); err == nil {
			return time.Duration(s) * time.Second
		}
	}
	return 0
}

// A public site must not be able to point the checker into the network it
// runs in (cloud metadata at 169.254.169.254, an intranet, the CI host's
// own services): a redirect issued by a public host to an address that is
// not public is not followed. CheckRedirect vets the target (an IP literal
// directly, a name by resolving it); the dialer resolves such a target
// again and connects only to the addresses it has just vetted, so a name
// that rebinds between the two cannot slip through. Links to private hosts
// and their redirects among themselves are followed: intranet docs link
// to intranet pages.

var (
	thisNetwork = netip.MustParsePrefix("0.0.0.0/8")
	sharedCGNAT = netip.MustParsePrefix("100.64.0.0/10")
)

// addrKind says what keeps an address off the public internet, or "".
func addrKind(a netip.Addr) string {
	a = a.Unmap()
	switch {
	case !a.IsValid(), a.IsUnspecified(), thisNetwork.Contains(a):
		return "unspecified"
	case a.IsLoopback():
		return "loopback"
	case a.IsLinkLocalUnicast():
		return "link-local"
	case a.IsPrivate():
		return "private"
	case sharedCGNAT.Contains(a):
		return "shared (CGNAT)"
	}
	return ""
}

// guard installs the redirect guard: on a copy of the caller's client, and
// in the dialer of a copy of its transport when that is an *http.Transport
// (the default one included).
func (o *ExternalOptions) guard() {
	if o.addrKind == nil {
		o.addrKind = addrKind
	}
	if o.lookup == nil {
		o.lookup = func(ctx context.Context, host string) ([]netip.Addr, error) {
			return net.DefaultResolver.LookupNetIP(ctx, "ip", host)
		}
	}
	client := http.Client{}
	if o.Client != nil {
		client = *o.Client
	}
	rt := client.Transport
	if rt == nil {
		rt = http.DefaultTransport
	}
	if t, isT := rt.(*http.Transport); isT {
		t = t.Clone()
		if o.dial == nil {
			o.dial = t.DialContext
		}
		if o.dial == nil {
			o.dial = (&net.Dialer{}).DialContext
		}
		t.DialContext = o.guardedDial
		client.Transport, o.transport = t, t
	}
	next := client.CheckRedirect
	if next == nil {
		// http.Client's default, whose error classifyError recognises.
		next = func(_ *http.Request, via []*http.Request) error {
			if len(via) >= 10 {
				return errors.New("stopped after 10 redirects")
			}
			return nil
		}
	}
	client.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if err := o.checkRedirect(req, via); err != nil {
			return err
		}
		return next(req, via)
	}
	o.Client = &client
}

type hopsKey struct{}

// hops is what the guard knows of one fetch's redirect chain; it travels in
// the request's context, which redirects and dials inherit.
type hops struct {
	mu       sync.Mutex
	public   bool            // a public host took part: later targets must be public too
	vetted   map[string]bool // target hosts the dialer must vet again
	from, to string          // the latest redirect, for the message
}

// refusedRedirect is a redirect from a public host to one that is not.
type refusedRedirect struct {
	from, to string
	addr     netip.Addr
	kind     string
}

func (e *refusedRedirect) Error() string {
	return fmt.Sprintf("redirect from %s to %s not followed: %s is a %s address, and a public site may not send the checker there",
		e.from, e.to, e.addr, e.kind)
}

// resolve returns a host's addresses; an IP literal is its own.
func (o *ExternalOptions) resolve(ctx context.Context, host string) ([]netip.Addr, error) {
	if a, err := netip.ParseAddr(host); err == nil {
		return []netip.Addr{a}, nil
	}
	addrs, err := o.lookup(ctx, host)
	if err == nil && len(addrs) == 0 {
		err = &net.DNSError{Err: "no addresses", Name: host, IsNotFound: true}
	}
	return addrs, err
}

// nonPublic returns the first address that is not public, if any.
func (o *ExternalOptions) nonPublic(addrs []netip.Addr) (netip.Addr, string) {
	for _, a := range addrs {
		if kind := o.addrKind(a); kind != "" {
			return a, kind
		}
	}
	return netip.Addr{}, ""
}

func (o *ExternalOptions) checkRedirect(req *http.Request, via []*http.Request) error {
	ctx := req.Context()
	h, _ := ctx.Value(hopsKey{}).(*hops)
	if h == nil {
		h = &hops{vetted: map[string]bool{}}
	}
	from := via[len(via)-1].URL
	h.mu.Lock()
	public := h.public
	h.mu.Unlock()
	if !public {
		// A host is private when all its addresses are; one that no longer
		// resolves (it just answered) counts as public, the safe side.
		addrs, err := o.resolve(ctx, from.Hostname())
		public = err != nil || slices.ContainsFunc(addrs, func(a netip.Addr) bool { return o.addrKind(a) == "" })
	}
	if !public {
		return nil
	}
	host := req.URL.Hostname()
	// The transport dials an internationalized name in its ASCII form: vet
	// that form, or "bücher.test" would reach the dialer as
	// "xn--bcher-kva.test", unrecognised and unchecked.
	if ascii, err := idna.Lookup.ToASCII(host); err == nil {
		host = ascii
	}
	h.mu.Lock()
	h.public = true
	h.vetted[strings.ToLower(host)] = true
	h.vetted[strings.ToLower(req.URL.Hostname())] = true
	h.from, h.to = from.Redacted(), req.URL.Redacted()
	h.mu.Unlock()
	addrs, err := o.resolve(ctx, host)
	if err != nil {
		return nil // the request fails on the name by itself; the dialer checks again
	}
	if a, kind := o.nonPublic(addrs); kind != "" {
		return &refusedRedirect{from: from.Redacted(), to: req.URL.Redacted(), addr: a, kind: kind}
	}
	return nil
}

// guardedDial connects to a redirect target vetted by checkRedirect through
// addresses it resolves and vets again itself; any other dial (the first
// hop, a chain among private hosts, a proxy) goes through unchanged.
func (o *ExternalOptions) guardedDial(ctx context.Context, network, addr string) (net.Conn, error) {
	h, _ := ctx.Value(hopsKey{}).(*hops)
	host, port, err := net.SplitHostPort(addr)
	if h == nil || err != nil {
		return o.dial(ctx, network, addr)
	}
	h.mu.Lock()
	guarded, from, to := h.vetted[strings.ToLower(host)], h.from, h.to
	h.mu.Unlock()
	if !guarded {
		return o.dial(ctx, network, addr)
	}
	addrs, err := o.resolve(ctx, host)
	if err != nil {
		return nil, err
	}
	if a, kind := o.nonPublic(addrs); kind != "" {
		return nil, &refusedRedirect{from: from, to: to, addr: a, kind: kind}
	}
	var first error
	for _, a := range addrs {
		conn, err := o.dial(ctx, network, net.JoinHostPort(a.String(), port))
		if err == nil {
			return conn, nil
		}
		if first == nil {
			first = err
		}
	}
	return nil, first
}

func classifyError(err error) result {
	var dnsErr *net.DNSError
	var certErr *tls.CertificateVerificationError
	var unknownAuth x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var netErr net.Error
	var refused *refusedRedirect
	switch {
	case errors.As(err, &refused):
		return result{class: unchecked, message: refused.Error()}
	case strings.Contains(err.Error(), "stopped after 10 redirects"):
		return result{class: broken, message: "redirect loop (more than 10 redirects)"}
	case errors.As(err, &dnsErr) && (dnsErr.IsNotFound || !dnsErr.IsTemporary):
		return result{class: broken, message: "no such host"}
	case errors.As(err, &certErr), errors.As(err, &unknownAuth), errors.As(err, &hostErr), strings.Contains(err.Error(), "tls:"):
		return result{class: broken, message: "TLS error: " + lastPart(err)}
	case errors.Is(err, syscall.ECONNREFUSED):
		return result{class: broken, message: "connection refused"}
	case errors.As(err, &netErr) && netErr.Timeout():
		return result{class: transient, message: "timed out"}
	}
	return result{class: transient, message: lastPart(err)}
}

func lastPart(err error) string {
	s := err.Error()
	if i := strings.LastIndex(s, ": "); i >= 0 {
		return s[i+2:]
	}
	return s
}

// anchors collects every id and <a name> of an HTML page.
func anchors(r io.Reader) (map[string]bool, error) {
	out := map[string]bool{}
	z := html.NewTokenizer(r)
	for {
		switch z.Next() {
		case html.ErrorToken:
			if err := z.Err(); err != io.EOF {
				return nil, err
			}
			return out, nil
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			for hasAttr {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				if string(k) == "id" || string(k) == "name" && string(name) == "a" {
					out[string(v)] = true
				}
			}
		}
	}
}
