package serve

import (
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestConfigErrorReachesBrowser: a docsgen.yaml broken while serving shows
// in the open tabs' overlay with its file and line (it was only logged);
// fixing it clears the overlay with a new build.
func TestConfigErrorReachesBrowser(t *testing.T) {
	session, dir := site(t, map[string]string{
		"docsgen.yaml":     "title: Fine\n",
		"content/index.md": "# Home\n",
	})
	srv := NewServer(session, true)
	next := stream(t, srv)
	next()
	startLive(t, &Live{Session: session, Server: srv, Log: io.Discard, Delay: 5 * time.Millisecond})

	save(t, filepath.Join(dir, "docsgen.yaml"), "title: Fine\ncolour: red\n")
	m := next()
	for len(m.Errors) == 0 {
		m = next()
	}
	if !strings.Contains(m.Errors[0].Pos, "docsgen.yaml:2") || !strings.Contains(m.Errors[0].Message, "colour") {
		t.Errorf("overlay error %+v, want docsgen.yaml:2 and the bad key", m.Errors[0])
	}
	save(t, filepath.Join(dir, "docsgen.yaml"), "title: Fixed\n")
	for m = next(); len(m.Errors) > 0; m = next() {
	}
	if got := session.Config().Title; got != "Fixed" {
		t.Errorf("title %q after the fix", got)
	}
}
