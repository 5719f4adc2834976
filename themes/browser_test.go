package themes_test

// The default theme as a reader meets it: the shipped site (content/ with
// docsgen.yaml) built once, opened in one headless Chromium at phone, tablet
// and desktop widths, light and dark, and checked with axe-core, for
// horizontal overflow, by keyboard, and in screenshots kept for review.

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/docsgen/docsgen/internal/build"
	"github.com/docsgen/docsgen/internal/config"
	"github.com/docsgen/docsgen/internal/diag"
	"github.com/docsgen/docsgen/internal/sitetest"
)

// shared is what the tests of this binary share: one build of the shipped
// site and one browser, both made on first use and removed by TestMain.
var shared struct {
	siteOnce sync.Once
	site     string // the built site's folder
	pages    []string
	tmp      string
	siteErr  error

	browserOnce sync.Once
	browser     context.Context
	stop        func()
	browserErr  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if shared.stop != nil {
		shared.stop()
	}
	if shared.tmp != "" {
		os.RemoveAll(shared.tmp)
	}
	os.Exit(code)
}

// shippedSite builds content/ with the repository's docsgen.yaml (the site
// docsgen ships) and returns the output folder and its pages, 404.html
// included.
func shippedSite(t *testing.T) (string, []string) {
	t.Helper()
	shared.siteOnce.Do(func() {
		shared.tmp, shared.siteErr = os.MkdirTemp("", "docsgen-theme-")
		if shared.siteErr != nil {
			return
		}
		cfg, err := config.Load(filepath.Join("..", config.FileName))
		if err != nil {
			shared.siteErr = err
			return
		}
		shared.site = filepath.Join(shared.tmp, "public")
		cfg.Out = shared.site
		res, err := build.Build(context.Background(), build.Options{Config: cfg, Mode: build.Write})
		if err != nil || res.Failed(diag.Warning) {
			shared.siteErr = fmt.Errorf("building the shipped site: %v %v", err, res.Diags)
			return
		}
		shared.siteErr = filepath.WalkDir(shared.site, func(p string, d fs.DirEntry, err error) error {
			if err == nil && strings.HasSuffix(p, ".html") {
				rel, _ := filepath.Rel(shared.site, p)
				shared.pages = append(shared.pages, filepath.ToSlash(rel))
			}
			return err
		})
		slices.Sort(shared.pages)
	})
	if shared.siteErr != nil {
		t.Fatal(shared.siteErr)
	}
	return shared.site, shared.pages
}

// tab opens a tab of the shared browser. Without Chromium the tests skip
// locally but fail in CI (CI set), where .ci/run installs it.
func tab(t *testing.T) context.Context {
	t.Helper()
	shared.browserOnce.Do(func() {
		path := ""
		for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
			if p, err := exec.LookPath(name); err == nil {
				path = p
				break
			}
		}
		if path == "" {
			shared.browserErr = errNoChromium
			return
		}
		opts := append(chromedp.DefaultExecAllocatorOptions[:],
			chromedp.ExecPath(path),
			chromedp.NoSandbox,
			chromedp.Flag("headless", true),
			chromedp.Flag("disable-gpu", true),
			chromedp.Flag("disable-background-networking", true),
			chromedp.Flag("disable-component-update", true),
			chromedp.Flag("disable-sync", true),
			chromedp.Flag("hide-scrollbars", true),
			chromedp.WindowSize(1280, 900),
		)
		actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
		ctx, cancelCtx := chromedp.NewContext(actx)
		shared.browser, shared.stop = ctx, func() { cancelCtx(); cancelAlloc() }
		shared.browserErr = chromedp.Do(ctx)
	})
	if shared.browserErr == errNoChromium {
		if os.Getenv("CI") != "" {
			t.Fatal("chromium is not installed; .ci/run installs it (apt-get install chromium)")
		}
		t.Skip("chromium not installed (the browser tests run in CI)")
	}
	if shared.browserErr != nil {
		t.Fatalf("starting chromium: %v", shared.browserErr)
	}
	// A browser context of its own: tests that store a colour scheme do
	// not leak it into others.
	ctx, cancel := chromedp.NewContext(shared.browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	// The tab lives as long as the context of its first run: no timeout here.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("opening a tab: %v", err)
	}
	return ctx
}

var errNoChromium = fmt.Errorf("no chromium")

// artifactDir is where screenshots go: $DOCSGEN_ARTIFACTS when set (CI
// keeps it), else a folder removed after the test.
func artifactDir(t *testing.T) string {
	if dir := os.Getenv("DOCSGEN_ARTIFACTS"); dir != "" {
		dir = filepath.Join(dir, "theme")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	return t.TempDir()
}

func run(t *testing.T, ctx context.Context, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(tctx, actions...); err != nil {
		t.Fatal(err)
	}
}

func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	return evalWithin[T](t, ctx, 20*time.Second, js)
}

// evalWithin is eval with a time limit of its own, for axe on a long page
// (about 10s alone, more under a loaded CI run with -race).
func evalWithin[T any](t *testing.T, ctx context.Context, limit time.Duration, js string) T {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	v, err := chromedp.Run(tctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return v
}

// waitFor polls a JavaScript condition until it holds, across a
// navigation (which ends a poll with an error: the page it ran in is gone).
func waitFor(t *testing.T, ctx context.Context, what, js string) {
	t.Helper()
	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	for {
		_, err := chromedp.Run(wctx, chromedp.Poll[bool](js, chromedp.WithPollingInterval(10*time.Millisecond)))
		if err == nil {
			return
		}
		if wctx.Err() != nil {
			t.Fatalf("waiting for %s: %v", what, err)
		}
	}
}

// media emulates a media type ("" for the default, "print") and one
// media feature.
func media(typ, feature, value string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: typ,
			Features: []*emulation.MediaFeature{{Name: feature, Value: value}}})
		return err
	})
}

// view sets the tab's width and colour scheme (the system's, as the
// prefers-color-scheme media feature).
func view(width int64, scheme string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		if _, err := chromedp.EmulateViewport(width, 900)(ctx, t); err != nil {
			return err
		}
		_, err := media("", "prefers-color-scheme", scheme)(ctx, t)
		return err
	})
}

// open loads a page of the built site and waits until its script ran.
func open(t *testing.T, ctx context.Context, site, page string) {
	t.Helper()
	run(t, ctx, chromedp.Navigate("file://"+filepath.ToSlash(filepath.Join(site, page))))
	waitFor(t, ctx, page+" loaded", `document.readyState === "complete" && document.documentElement.classList.contains("js")`)
}

// screenshotHeight caps a screenshot's height: the top of a long page says
// enough, and a whole 30,000px page costs seconds per shot.
const screenshotHeight = 5000

// screenshot writes the page, from its top, as a JPEG to file.
func screenshot(t *testing.T, ctx context.Context, file string) {
	t.Helper()
	height := min(eval[float64](t, ctx, `document.documentElement.scrollHeight`), screenshotHeight)
	width := eval[float64](t, ctx, `document.documentElement.clientWidth`)
	quality := int64(70)
	shot, err := chromedp.Run(ctx, func(ctx context.Context, tg *chromedp.Target) ([]byte, error) {
		r, err := cdp.Call(ctx, tg, page.CaptureScreenshot, page.CaptureScreenshotParams{
			Format: page.CaptureScreenshotFormatJpeg, Quality: &quality, CaptureBeyondViewport: &yes,
			Clip: &page.Viewport{Width: width, Height: height, Scale: 1}})
		if err != nil {
			return nil, err
		}
		return r.Data, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, shot, 0o644); err != nil {
		t.Fatal(err)
	}
}

var yes = true

type axeResult struct {
	ID    string `json:"id"`
	Help  string `json:"help"`
	Nodes []struct {
		Target []any  `json:"target"`
		HTML   string `json:"html"`
		Why    string `json:"failureSummary"`
	} `json:"nodes"`
}

// searchViews are pages as a search shows them: search.html's results and
// a page opened from a result, its words highlighted (marks whose colours
// must keep the text's contrast); searchReady says when each is drawn.
var (
	searchViews = []string{"search.html?q=SECRET_KEY+deploy", "portal-administration/configuration-checks.html?highlight=SECRET_KEY"}
	searchReady = map[string]string{
		searchViews[0]: `document.querySelector("#search-page-results a.search-section mark") !== null`,
		searchViews[1]: `document.querySelector("h3 mark.search-highlight, h4 mark.search-highlight") !== null`,
	}
)

// TestThemeAxe runs axe-core's WCAG 2.2 A and AA rules on every shipped page
// at a phone's and a desktop's width, in the light and the dark scheme, and
// keeps a screenshot of each, and on the search's results and a page opened
// from one (searchViews). Dark comes from the system at 390px and from
// the toggle's stored choice (on a light system) at 1280px, so both ways
// into the dark scheme are checked. The two schemes run in parallel tabs.
func TestThemeAxe(t *testing.T) {
	site, pages := shippedSite(t)
	axe, err := os.ReadFile(filepath.Join("testdata", "vendor", "axe-core", "axe.min.js"))
	if err != nil {
		t.Fatal(err)
	}
	shots := artifactDir(t)
	for _, scheme := range []string{"light", "dark"} {
		t.Run(scheme, func(t *testing.T) {
			t.Parallel()
			ctx := tab(t)
			for _, width := range []int64{390, 1280} {
				system := scheme
				if scheme == "dark" && width == 1280 {
					system = "light"
					open(t, ctx, site, "index.html")
					eval[bool](t, ctx, `localStorage.setItem("docsgen-theme", "dark"), true`)
				}
				run(t, ctx, view(width, system))
				for _, page := range append(slices.Clone(pages), searchViews...) {
					open(t, ctx, site, page)
					if ready := searchReady[page]; ready != "" {
						waitFor(t, ctx, page+" highlighted", ready)
					}
					if got := eval[string](t, ctx, `getComputedStyle(document.documentElement).colorScheme`); got != scheme {
						t.Fatalf("%s at %dpx shows the %s scheme, want %s", page, width, got, scheme)
					}
					eval[bool](t, ctx, string(axe)+";true")
					js := `axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}, resultTypes: ["violations"]})
						.then(r => JSON.stringify(r.violations))`
					var violations []axeResult
					if err := json.Unmarshal([]byte(evalWithin[string](t, ctx, 3*time.Minute, js)), &violations); err != nil {
						t.Fatal(err)
					}
					for _, v := range violations {
						// The first few nodes say enough; the count says how many.
						var first []string
						for _, n := range v.Nodes[:min(3, len(v.Nodes))] {
							first = append(first, fmt.Sprintf("%v %s\n%s", n.Target, n.HTML, n.Why))
						}
						t.Errorf("%s at %dpx, %s: %s (%s) on %d elements:\n%s", page, width, scheme, v.ID, v.Help, len(v.Nodes), strings.Join(first, "\n"))
					}
					screenshot(t, ctx, filepath.Join(shots, fmt.Sprintf("%s-%d-%s.jpg", strings.NewReplacer("/", "_", ".html", "").Replace(page), width, scheme)))
				}
			}
		})
	}
	t.Logf("screenshots in %s", shots)
}

// TestThemeNoHorizontalOverflow: no shipped page scrolls sideways at a
// small phone's, a tablet's or a desktop's width; wide code and tables
// scroll inside themselves.
func TestThemeNoHorizontalOverflow(t *testing.T) {
	site, pages := shippedSite(t)
	ctx := tab(t)
	for _, width := range []int64{360, 768, 1280} {
		run(t, ctx, view(width, "light"))
		for _, page := range pages {
			open(t, ctx, site, page)
			got := eval[map[string]any](t, ctx, `(() => {
				const w = document.documentElement.clientWidth;
				const wide = [...document.querySelectorAll("body *")].filter(e => e.getBoundingClientRect().right > w + 1 && e.offsetParent !== null
					&& !e.closest("pre, table, .nav-backdrop"));
				return {scroll: document.documentElement.scrollWidth, client: w, wide: wide.slice(0, 3).map(e => e.outerHTML.slice(0, 120))};
			})()`)
			if got["scroll"].(float64) > got["client"].(float64) {
				t.Errorf("%s at %dpx: the page is %vpx wide; too wide: %v", page, width, got["scroll"], got["wide"])
			}
		}
	}
}

// TestThemeKeyboardMenu: at a phone's width, with the keyboard only, Tab
// reaches the menu button, Enter opens the drawer with focus inside it,
// Tab and Shift+Tab stay inside, Escape closes it, and a link in it is
// followed.
func TestThemeKeyboardMenu(t *testing.T) {
	site, _ := shippedSite(t)
	ctx := tab(t)
	run(t, ctx, view(390, "light"))
	open(t, ctx, site, "deployment.html")
	if vis := eval[bool](t, ctx, `document.getElementById("site-nav").offsetParent !== null`); vis {
		t.Fatal("the navigation shows at 390px before the menu is opened")
	}
	focused := func() string {
		return eval[string](t, ctx, `(e => e.className + "|" + (e.getAttribute("href") || e.textContent.trim()))(document.activeElement)`)
	}
	found := false
	for range 4 {
		run(t, ctx, chromedp.KeyEvent(kb.Tab))
		if strings.HasPrefix(focused(), "nav-button|") {
			found = true
			break
		}
	}
	if !found {
		t.Fatalf("Tab did not reach the menu button (focus on %q)", focused())
	}
	if got := eval[string](t, ctx, `document.activeElement.getAttribute("aria-expanded")`); got != "false" {
		t.Errorf("menu button aria-expanded = %q before opening", got)
	}
	run(t, ctx, chromedp.KeyEvent(kb.Enter))
	waitFor(t, ctx, "the drawer", `document.getElementById("site-nav").offsetParent !== null || getComputedStyle(document.getElementById("site-nav")).display === "block"`)
	if got := eval[string](t, ctx, `document.querySelector(".nav-button").getAttribute("aria-expanded")`); got != "true" {
		t.Errorf("menu button aria-expanded = %q with the drawer open", got)
	}
	inside := `document.getElementById("site-nav").contains(document.activeElement)`
	if !eval[bool](t, ctx, inside) {
		t.Fatalf("focus is not in the drawer after opening it (on %q)", focused())
	}
	screenshot(t, ctx, filepath.Join(artifactDir(t), "drawer-390-light.jpg"))
	n := eval[int](t, ctx, `[...document.querySelectorAll("#site-nav a[href], #site-nav button, #site-nav summary")].filter(e => e.checkVisibility()).length`)
	for i := range n + 2 {
		run(t, ctx, chromedp.KeyEvent(kb.Tab))
		if !eval[bool](t, ctx, inside) {
			t.Fatalf("Tab %d left the drawer (focus on %q)", i+1, focused())
		}
	}
	run(t, ctx, chromedp.KeyEvent(kb.Tab, chromedp.KeyModifiers(chromedp.ModifierShift)))
	if !eval[bool](t, ctx, inside) {
		t.Fatalf("Shift+Tab left the drawer (focus on %q)", focused())
	}
	// Escape closes it and gives focus back to the button.
	run(t, ctx, chromedp.KeyEvent(kb.Escape))
	waitFor(t, ctx, "the drawer to close", `getComputedStyle(document.getElementById("site-nav")).display === "none"`)
	if f := focused(); !strings.HasPrefix(f, "nav-button|") {
		t.Errorf("after Escape focus is on %q, want the menu button", f)
	}
	// Open it again and follow the link to the home page.
	run(t, ctx, chromedp.KeyEvent(kb.Enter))
	waitFor(t, ctx, "focus in the drawer", inside)
	for range n + 1 {
		if strings.HasSuffix(focused(), "|index.html") {
			break
		}
		run(t, ctx, chromedp.KeyEvent(kb.Tab))
	}
	if f := focused(); !strings.HasSuffix(f, "|index.html") {
		t.Fatalf("Tab did not reach the home page's link in the drawer (focus on %q)", f)
	}
	run(t, ctx, chromedp.KeyEvent(kb.Enter))
	waitFor(t, ctx, "the home page", `location.pathname.endsWith("/index.html") && document.readyState === "complete"`)
}

// TestThemeToggle: every click on the colour scheme button changes what
// the reader sees or says so, the button names the state, and a choice is
// remembered across pages.
func TestThemeToggle(t *testing.T) {
	site, _ := shippedSite(t)
	ctx := tab(t)
	for _, system := range []string{"light", "dark"} {
		run(t, ctx, view(1280, system))
		open(t, ctx, site, "index.html")
		eval[bool](t, ctx, `localStorage.removeItem("docsgen-theme"), true`)
		open(t, ctx, site, "index.html")
		bg := func() string { return eval[string](t, ctx, `getComputedStyle(document.body).backgroundColor`) }
		label := func() string {
			return eval[string](t, ctx, `document.querySelector(".theme-toggle .theme-toggle-label").textContent`)
		}
		if got, want := label(), "Colour scheme: automatic ("+system+")"; got != want {
			t.Errorf("system %s: label %q, want %q", system, got, want)
		}
		start := bg()
		run(t, ctx, chromedp.Click(chromedp.CSS(".theme-toggle")))
		if bg() == start {
			t.Errorf("system %s: the first click changed nothing visible", system)
		}
		other := map[string]string{"light": "dark", "dark": "light"}[system]
		if got := label(); got != "Colour scheme: "+other {
			t.Errorf("system %s: after one click the label is %q", system, got)
		}
		if got := eval[string](t, ctx, `document.getElementById("theme-status").textContent`); got != "Colour scheme: "+other {
			t.Errorf("system %s: the change was not announced (status %q)", system, got)
		}
		open(t, ctx, site, "deployment.html")
		if got := label(); got != "Colour scheme: "+other {
			t.Errorf("system %s: the choice did not carry to the next page (label %q)", system, got)
		}
		run(t, ctx, chromedp.Click(chromedp.CSS(".theme-toggle")))
		if got := label(); got != "Colour scheme: "+system || bg() != start {
			t.Errorf("system %s: second click: label %q", system, got)
		}
		run(t, ctx, chromedp.Click(chromedp.CSS(".theme-toggle")))
		if got := label(); got != "Colour scheme: automatic ("+system+")" {
			t.Errorf("system %s: third click: label %q, want automatic", system, got)
		}
		eval[bool](t, ctx, `localStorage.removeItem("docsgen-theme"), true`)
	}
}

// TestThemeCopyButton: the copy button copies a block's code without its
// line numbers and, as sphinx-copybutton does, without prompts.
func TestThemeCopyButton(t *testing.T) {
	site, _ := shippedSite(t)
	ctx := tab(t)
	run(t, ctx, view(1280, "light"))
	open(t, ctx, site, "deployment.html")
	// Capture what a click copies.
	eval[bool](t, ctx, `navigator.clipboard.writeText = text => { window.copied = text; return Promise.resolve(); }, true`)
	numbered := eval[int](t, ctx, `[...document.querySelectorAll(".highlight")].findIndex(h => h.querySelector(".ln"))`)
	if numbered < 0 {
		t.Fatal("the shipped deployment page has no code block with line numbers")
	}
	// Every label the button takes is recorded: it says "Copied" for two
	// seconds only, which a loaded machine can let pass before a check.
	eval[bool](t, ctx, fmt.Sprintf(`(() => { const b = document.querySelectorAll(".highlight")[%d].querySelector(".copy-button");
		window.labels = []; new MutationObserver(() => window.labels.push(b.getAttribute("aria-label"))).observe(b, {attributes: true, attributeFilter: ["aria-label"]});
		b.click(); return true; })()`, numbered))
	waitFor(t, ctx, "the copy", `window.copied !== undefined`)
	copied := eval[string](t, ctx, `window.copied`)
	first := eval[string](t, ctx, fmt.Sprintf(`document.querySelectorAll(".highlight")[%d].querySelector(".line .cl").textContent`, numbered))
	if !strings.HasPrefix(copied, strings.TrimRight(first, "\n")) {
		t.Errorf("copied text starts %q, want the first line %q without its number", firstLine(copied), first)
	}
	waitFor(t, ctx, "the button's label", `window.labels.length > 0`)
	if labels := eval[[]string](t, ctx, `window.labels`); labels[0] != "Copied" {
		t.Errorf("the button's labels after the click: %q, want \"Copied\" first", labels)
	}
	// The live preview replaces main and dispatches docsgen:updated: the
	// new blocks get their buttons.
	n := eval[int](t, ctx, `document.querySelectorAll(".copy-button").length`)
	eval[bool](t, ctx, `(() => { const m = document.querySelector("main"), fresh = m.cloneNode(true);
		fresh.querySelectorAll(".copy-button").forEach(b => b.remove()); m.replaceWith(fresh);
		document.dispatchEvent(new CustomEvent("docsgen:updated")); return true; })()`)
	if got := eval[int](t, ctx, `document.querySelectorAll(".copy-button").length`); got != n || n == 0 {
		t.Errorf("after a live update %d copy buttons, before %d", got, n)
	}
	for _, tc := range []struct{ code, want string }{
		{"$ pip install docsgen\nCollecting docsgen\n$ docsgen build\n", "pip install docsgen\ndocsgen build"},
		{">>> x = 1\n>>> for i in range(2):\n...     print(i)\n0\n1\n", "x = 1\nfor i in range(2):\n    print(i)"},
		{"docker compose up -d\n$HOME is not a prompt\n", "docker compose up -d\n$HOME is not a prompt"},
	} {
		js := fmt.Sprintf(`(() => { const pre = document.createElement("pre"); pre.textContent = %q; return docsgenCopyText(pre); })()`, tc.code)
		if got := eval[string](t, ctx, js); got != tc.want {
			t.Errorf("copy of %q = %q, want %q", tc.code, got, tc.want)
		}
	}
}

func firstLine(s string) string { return strings.SplitN(s, "\n", 2)[0] }

// TestThemeOnThisPage: on a wide screen the on-page contents mark the
// section scrolled to; on a narrow one they are an "On this page"
// disclosure in the page.
func TestThemeOnThisPage(t *testing.T) {
	site, _ := shippedSite(t)
	ctx := tab(t)
	run(t, ctx, view(1280, "light"))
	open(t, ctx, site, "deployment.html")
	if vis := eval[bool](t, ctx, `document.querySelector(".page-toc").offsetParent !== null`); !vis {
		t.Fatal("no on-page contents at 1280px")
	}
	target := eval[string](t, ctx, `(() => { const links = document.querySelectorAll(".page-toc a"); const a = links[Math.min(2, links.length - 1)];
		document.getElementById(decodeURIComponent(a.hash.slice(1))).scrollIntoView(); return a.hash; })()`)
	waitFor(t, ctx, "the section to be marked", fmt.Sprintf(`(a => a && a.hash === %q && a.getAttribute("aria-current") === "true")(document.querySelector(".page-toc a.active"))`, target))

	run(t, ctx, view(1024, "light"))
	open(t, ctx, site, "deployment.html")
	if got := eval[string](t, ctx, `(d => d && d.offsetParent !== null ? d.querySelector("summary").textContent : "")(document.querySelector(".toc-inline"))`); got != "On this page" {
		t.Errorf("at 1024px the page has no visible \"On this page\" disclosure (%q)", got)
	}
}

// TestThemeNotFoundAtAnyDepth: the 404 page, served for a missing URL at
// any depth, has the site's chrome with links and styles that work; from
// file:// too.
func TestThemeNotFoundAtAnyDepth(t *testing.T) {
	site, _ := shippedSite(t)
	ctx := tab(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if data, err := os.ReadFile(filepath.Join(site, filepath.FromSlash(strings.TrimPrefix(r.URL.Path, "/")))); err == nil && !strings.HasSuffix(r.URL.Path, "/") {
			http.ServeContent(w, r, r.URL.Path, time.Time{}, strings.NewReader(string(data)))
			return
		}
		data, _ := os.ReadFile(filepath.Join(site, "404.html"))
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusNotFound)
		w.Write(data)
	}))
	defer srv.Close()
	run(t, ctx, view(1280, "light"))
	for _, u := range []string{srv.URL + "/missing.html", srv.URL + "/a/b/c/missing", "file://" + filepath.ToSlash(filepath.Join(site, "404.html"))} {
		run(t, ctx, chromedp.Navigate(u))
		waitFor(t, ctx, "the 404 page's script", `document.querySelector("script[src$='_static/docsgen.js']") !== null && document.readyState === "complete"`)
		waitFor(t, ctx, "docsgen.js on the 404 page", `document.querySelector(".theme-toggle-label").textContent.startsWith("Colour scheme: automatic (")`)
		if !eval[bool](t, ctx, `document.querySelector(".sidebar").offsetParent !== null && getComputedStyle(document.querySelector(".site-header")).position === "sticky"`) {
			t.Errorf("%s: the 404 page has no styled header and sidebar", u)
		}
		home := eval[string](t, ctx, `document.querySelector(".site-title").href`)
		want := strings.TrimSuffix(u, u[strings.LastIndex(u, "/")+1:])
		if !strings.HasPrefix(u, "file:") {
			want = srv.URL + "/"
		}
		if home != want+"index.html" {
			t.Errorf("%s: the home link goes to %q, want %q", u, home, want+"index.html")
		}
		run(t, ctx, chromedp.Click(chromedp.CSS(".site-title")))
		waitFor(t, ctx, "the home page", `location.pathname.endsWith("/index.html") && document.readyState === "complete" && document.querySelector(".sidebar") !== null`)
	}
}

// TestThemeDefects: the defects readers met, each measured in the page.
func TestThemeDefects(t *testing.T) {
	site, _ := shippedSite(t)
	ctx := tab(t)
	check := func(what, js string) {
		t.Helper()
		if !eval[bool](t, ctx, js) {
			t.Errorf("%s: %s is false", what, js)
		}
	}
	run(t, ctx, view(390, "light"))
	open(t, ctx, site, "deployment.html")
	// The block with the long DATABASE_URL line scrolls; its line numbers
	// stay in one column and its highlighted lines' band spans the whole
	// scrolled width.
	pre := `[...document.querySelectorAll(".highlight pre")].find(p => p.textContent.includes("DATABASE_URL: postgres://"))`
	check("the long block scrolls", pre+`.scrollWidth > `+pre+`.clientWidth`)
	check("the long block is focusable", pre+`.tabIndex === 0`)
	check("line numbers in one column", `new Set([...`+pre+`.querySelectorAll(".ln")].map(e => Math.round(e.getBoundingClientRect().left) + "/" + Math.round(e.getBoundingClientRect().width))).size === 1`)
	check("the highlight band spans the scrolled width", `(p => [...p.querySelectorAll(".line.hl")].every(l => l.getBoundingClientRect().width >= p.scrollWidth - 1))(`+pre+`)`)
	// Permalinks can be reached by keyboard and are seen when focused.
	check("a focused permalink shows", `(a => (a.focus(), document.activeElement === a && getComputedStyle(a).opacity === "1"))(document.querySelector(".document h2 .headerlink"))`)
	// Where there is no hover (touch; headless Chromium reports none),
	// permalinks show without it.
	check("permalinks on touch", `matchMedia("(hover: none)").matches && getComputedStyle(document.querySelector(".document h3 .headerlink")).opacity === "1"`)
	// Links in the on-page contents are targets of at least 24px.
	check("on-page contents targets", `[...document.querySelectorAll(".toc-inline a")].every(a => (document.querySelector(".toc-inline").open = true, a.getBoundingClientRect().height >= 24))`)
	// Admonition titles carry an icon.
	check("admonition icon", `(s => (s.maskImage || s.webkitMaskImage).includes("data:image/svg+xml"))(getComputedStyle(document.querySelector(".admonition-title"), "::before"))`)
	// The home page is in the navigation; edit and canonical links.
	check("home in the sidebar", `!!document.querySelector('#site-nav a[href="index.html"]')`)
	check("edit link", `document.querySelector(".edit-page a").href === "https://github.com/docsgen/docsgen/edit/main/content/deployment.md"`)
	check("canonical link", `document.querySelector('link[rel="canonical"]').href === "https://docs.example.org/deployment.html" && document.querySelector('meta[property="og:url"]').content === "https://docs.example.org/deployment.html"`)
	check("a favicon", `!!document.querySelector('link[rel="icon"][href="_static/favicon.svg"]')`)
	if _, err := os.Stat(filepath.Join(site, "_static", "favicon.svg")); err != nil {
		t.Errorf("the favicon is not in the site: %v", err)
	}

	open(t, ctx, site, "portal-administration/configuration-checks.html")
	// Table cells start at the top; inline code breaks between words only.
	check("table cells at the top", `[...document.querySelectorAll(".document td")].every(td => getComputedStyle(td).verticalAlign === "top")`)
	check("an option in inline code", `[...document.querySelectorAll(".document :not(pre) > code")].some(c => c.textContent.includes("--"))`)
	check("no word of inline code split across lines", `[...document.querySelectorAll(".document :not(pre) > code .nowrap")].every(s => s.getClientRects().length === 1)`)

	// No gap between the header and the sidebar, dark or light.
	for _, scheme := range []string{"light", "dark"} {
		run(t, ctx, view(1280, scheme))
		open(t, ctx, site, "deployment.html")
		check(scheme+": sidebar starts at the header's bottom", `Math.abs(document.getElementById("site-nav").getBoundingClientRect().top - document.querySelector(".site-header").getBoundingClientRect().bottom) < 0.5`)
	}
	// Printing from a dark-mode system gives black text on white.
	run(t, ctx, media("print", "prefers-color-scheme", "dark"))
	check("print: black on white", `getComputedStyle(document.body).color === "rgb(0, 0, 0)" && getComputedStyle(document.body).backgroundColor === "rgb(255, 255, 255)"`)
	check("print: code in black", `[...document.querySelectorAll(".highlight pre span:not(.ln)")].every(s => getComputedStyle(s).color === "rgb(0, 0, 0)")`)
}

// TestThemeCollapsibleNav: in a small site the sidebar holds the whole
// tree; the current page's branch is open, another is closed, and the
// keyboard opens it without leaving the page.
func TestThemeCollapsibleNav(t *testing.T) {
	dir := sitetest.Write(t, map[string]string{
		"docsgen.yaml":       "title: Tree\n",
		"content/index.md":   "# Home\n\n```{toctree}\na/index\nb/index\n```\n",
		"content/a/index.md": "# Part A\n\n```{toctree}\none\n```\n",
		"content/a/one.md":   "# One\n",
		"content/b/index.md": "# Part B\n\n```{toctree}\nthree\n```\n",
		"content/b/three.md": "# Three\n",
	})
	cfg, err := config.Load(filepath.Join(dir, config.FileName))
	if err != nil {
		t.Fatal(err)
	}
	if res, err := build.Build(context.Background(), build.Options{Config: cfg, Mode: build.Write}); err != nil || res.Failed(diag.Warning) {
		t.Fatalf("build: %v %v", err, res.Diags)
	}
	ctx := tab(t)
	run(t, ctx, view(1280, "light"))
	open(t, ctx, filepath.Join(dir, "public"), "a/one.html")
	visible := func(href string) bool {
		// checkVisibility: a closed <details> hides its content with
		// content-visibility, which offsetParent does not see.
		return eval[bool](t, ctx, fmt.Sprintf(`(a => !!a && a.checkVisibility())(document.querySelector('#site-nav a[href=%q]'))`, href))
	}
	if !visible("one.html") || !visible("../b/index.html") {
		t.Fatal("the current branch or the other part is not shown")
	}
	if visible("../b/three.html") {
		t.Error("the other part's branch is open")
	}
	// Tab from Part B's link reaches its toggle; Enter opens it.
	eval[bool](t, ctx, `document.querySelector('#site-nav a[href="../b/index.html"]').focus(), true`)
	run(t, ctx, chromedp.KeyEvent(kb.Tab))
	if got := eval[string](t, ctx, `document.activeElement.tagName + " " + document.activeElement.textContent`); got != "SUMMARY Pages under Part B" {
		t.Fatalf("Tab from Part B's link went to %q, want its toggle", got)
	}
	run(t, ctx, chromedp.KeyEvent(kb.Enter))
	waitFor(t, ctx, "Part B's branch to open", `document.querySelector('#site-nav a[href="../b/three.html"]').checkVisibility()`)
	if !eval[bool](t, ctx, `location.pathname.endsWith("/a/one.html")`) {
		t.Error("opening a branch left the page")
	}
}
