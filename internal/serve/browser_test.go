package serve

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/docsgen/docsgen/internal/build"
)

// chromium finds Debian's Chromium. Without it the browser tests skip
// locally but fail in CI (CI set), where .ci/run installs it.
func chromium(t testing.TB) string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium is not installed; .ci/run installs it (apt-get install chromium)")
	}
	t.Skip("chromium not installed (the browser tests run in CI)")
	return ""
}

// live starts a preview of the site in the current folder and returns its URL.
func live(t testing.TB, session *build.Session) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := NewServer(session, true)
	lv := &Live{Session: session, Server: srv, Log: io.Discard}
	go lv.Run(ctx)
	done := make(chan struct{})
	go func() { srv.Serve(ctx, l); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return "http://" + l.Addr().String() + "/"
}

func browser(t testing.TB) context.Context {
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium(t)),
		chromedp.NoSandbox,
		chromedp.Flag("headless", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(1200, 800),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelCtx(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	return ctx
}

// waitFor polls a JavaScript condition until it holds.
func waitFor(t testing.TB, ctx context.Context, what, js string) {
	t.Helper()
	wctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if _, err := chromedp.Run(wctx, chromedp.Poll[bool](js, chromedp.WithPollingInterval(10*time.Millisecond))); err != nil {
		dump, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText.slice(0, 2000) : ""`))
		t.Fatalf("waiting for %s: %v\npage text:\n%s", what, err, dump)
	}
}

func eval[T any](t testing.TB, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return v
}

func longPage(extra string) string {
	var b strings.Builder
	b.WriteString("# Long page\n\n" + extra + "\n")
	for i := 1; i <= 20; i++ {
		fmt.Fprintf(&b, "## Section %d\n\n", i)
		for j := 0; j < 4; j++ {
			fmt.Fprintf(&b, "Paragraph %d of section %d, long enough to wrap across a line or two of the page in a browser window.\n\n", j, i)
		}
	}
	return b.String()
}

func TestBrowserLivePreview(t *testing.T) {
	session, dir := site(t, map[string]string{
		"content/index.md": "# Home\n\n```{toctree}\nlong\n```\n",
		"content/long.md":  longPage(""),
	})
	url := live(t, session)
	ctx := browser(t)
	page := filepath.Join(dir, "content", "long.md")
	write := func(text string) { save(t, page, text) }
	if err := chromedp.Do(ctx, chromedp.Navigate(url+"long.html")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the live connection", `document.documentElement.dataset.docsgenBuild !== undefined`)

	// An edit reaches the open page without a reload.
	eval[any](t, ctx, `window.__sameDocument = true`)
	write(longPage("First edit: EDITED-ONE."))
	waitFor(t, ctx, "the edited text", `document.querySelector("main").innerText.includes("EDITED-ONE")`)
	if !eval[bool](t, ctx, `window.__sameDocument === true`) {
		t.Error("the page reloaded; it should update in place")
	}

	// Text added above the viewport does not move what the reader sees.
	eval[any](t, ctx, `(() => { const h = document.getElementById("section-12"); h.scrollIntoView(); window.scrollBy(0, -100); })()`)
	before := eval[float64](t, ctx, `document.getElementById("section-12").getBoundingClientRect().top`)
	scrollBefore := eval[float64](t, ctx, `window.scrollY`)
	write(longPage("First edit: EDITED-ONE.\n\n" + strings.Repeat("An inserted paragraph above the reader, EDITED-TWO.\n\n", 12)))
	waitFor(t, ctx, "the second edit", `document.querySelector("main").innerText.includes("EDITED-TWO")`)
	after := eval[float64](t, ctx, `document.getElementById("section-12").getBoundingClientRect().top`)
	scrollAfter := eval[float64](t, ctx, `window.scrollY`)
	if d := after - before; d > 20 || d < -20 {
		t.Errorf("section 12 moved from %.0fpx to %.0fpx in the viewport; the reader lost their place", before, after)
	}
	if scrollAfter <= scrollBefore {
		t.Errorf("scrollY %.0f → %.0f: the inserted text above should have been compensated by scrolling down", scrollBefore, scrollAfter)
	}

	// A broken directive: an overlay at the right file and line, and the
	// page as it now stands underneath, the failure marked in place (an
	// error within a page does not hold back the writer's other edits).
	broken := longPage("First edit: EDITED-ONE.") + "\n```{literalinclude} missing.yml\n```\n"
	line := strings.Count(strings.Split(broken, "```{literalinclude}")[0], "\n") + 1
	write(broken)
	want := fmt.Sprintf("content/long.md:%d:", line)
	waitFor(t, ctx, "the error overlay", fmt.Sprintf(`(() => { const o = document.getElementById("docsgen-overlay"); return !!o && o.innerText.includes(%q) && o.innerText.includes("missing.yml"); })()`, want))
	waitFor(t, ctx, "the edited page with the failure marked", `!!document.querySelector("main .docsgen-error") && !document.querySelector("main").innerText.includes("EDITED-TWO")`)
	if !eval[bool](t, ctx, `!!document.querySelector("#docsgen-overlay .line.hl")`) {
		t.Error("the overlay does not show the marked source line")
	}
	// It is a dialog that takes focus; Escape dismisses it.
	if !eval[bool](t, ctx, `document.getElementById("docsgen-overlay").contains(document.activeElement)`) {
		t.Error("the overlay did not take focus")
	}
	if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Escape)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "Escape to close the overlay", `!document.getElementById("docsgen-overlay")`)

	// Fixing it clears the overlay and shows the fixed page.
	write(longPage("Fixed: EDITED-THREE."))
	waitFor(t, ctx, "the overlay to clear", `!document.getElementById("docsgen-overlay") && document.querySelector("main").innerText.includes("EDITED-THREE")`)
}

// TestBrowserCSSSwap: a theme stylesheet edit applies without a reload.
func TestBrowserCSSSwap(t *testing.T) {
	session, dir := site(t, map[string]string{
		"docsgen.yaml":            "theme: mytheme\n",
		"content/index.md":        "# Home\n\nStyled text.\n",
		"mytheme/layout.html":     `<html><head><link rel="stylesheet" href="{{.Static}}site.css"></head><body><main>{{.Body}}</main></body></html>`,
		"mytheme/404.html":        `<html><body>missing</body></html>`,
		"mytheme/static/site.css": "main { color: rgb(1, 2, 3); }\n",
	})
	url := live(t, session)
	ctx := browser(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the live connection", `document.documentElement.dataset.docsgenBuild !== undefined`)
	waitFor(t, ctx, "the first colour", `getComputedStyle(document.querySelector("main")).color === "rgb(1, 2, 3)"`)
	eval[any](t, ctx, `window.__sameDocument = true`)
	if err := os.WriteFile(filepath.Join(dir, "mytheme", "static", "site.css"), []byte("main { color: rgb(200, 0, 0); }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the new colour", `getComputedStyle(document.querySelector("main")).color === "rgb(200, 0, 0)"`)
	if !eval[bool](t, ctx, `window.__sameDocument === true`) {
		t.Error("the page reloaded for a stylesheet change")
	}
}

// TestBrowserReconnects: after the server restarts, an open tab reconnects
// by itself and shows what changed while it was away.
func TestBrowserReconnects(t *testing.T) {
	session, dir := site(t, map[string]string{"content/index.md": "# Home\n\nBefore the restart.\n"})
	ctx, cancel := context.WithCancel(context.Background())
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	done := make(chan struct{})
	go func() { NewServer(session, true).Serve(ctx, l); close(done) }()
	bctx := browser(t)
	if err := chromedp.Do(bctx, chromedp.Navigate("http://"+addr+"/")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, bctx, "the live connection", `document.documentElement.dataset.docsgenBuild !== undefined`)

	// The restarted server's site is built before the first one stops, so
	// the port is free only for a moment (another listener could take it).
	if err := os.WriteFile(filepath.Join(dir, "content", "index.md"), []byte("# Home\n\nAfter the restart.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	session2, _, err := build.NewSession(context.Background(), session.Config(), build.SessionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	<-done
	l2, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	ctx2, cancel2 := context.WithCancel(context.Background())
	done2 := make(chan struct{})
	go func() { NewServer(session2, true).Serve(ctx2, l2); close(done2) }()
	defer func() { cancel2(); <-done2 }()
	waitFor(t, bctx, "the page after the restart", `document.querySelector("main").innerText.includes("After the restart")`)
}
