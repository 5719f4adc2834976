package linkcheck

import (
	"context"
	"net/netip"
	"strings"
	"testing"
)

// TestRedirectToIDNNameRefused: a public page redirects to an
// internationalized name whose ASCII form resolves to a link-local
// address: the transport dials the ASCII form, which must be the vetted
// one, so it is refused, never dialed.
func TestRedirectToIDNNameRefused(t *testing.T) {
	p := newPosing(t, map[string]string{"/docs": "http://b%C3%BCcher.test:PORT/admin"})
	p.names["xn--bcher-kva.test"] = [][]netip.Addr{{netip.MustParseAddr("169.254.169.254")}}
	findings, _ := CheckExternal(context.Background(), refsTo(p.URL, "/docs"), p.options())
	t.Logf("findings: %+v", findings)
	t.Logf("dials: %v  lookups of punycode: %d", p.dialed(""), p.lookedUp("xn--bcher-kva.test"))
	if len(findings) != 1 || !strings.Contains(findings[0].Message, "not followed") {
		t.Errorf("findings %+v, want the refused redirect", findings)
	}
	if d := p.dialed("xn--"); len(d) != 0 {
		t.Errorf("unguarded dial to the private target: %v", d)
	}
}
