package serve

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/docsgen/docsgen/internal/build"
	"github.com/docsgen/docsgen/internal/config"
	"github.com/docsgen/docsgen/internal/diag"
	"github.com/docsgen/docsgen/internal/sitetest"
)

var designShots = flag.String("design-screenshots", "", "folder to write screenshots of the sphinx-design demo site to")

// designSite is a small docs tree using sphinx-design's components; two
// pages share a synced tab group.
var designSite = map[string]string{
	"content/index.md": "# Design\n\n```{toctree}\nsecond\n```\n\n" +
		"::::{grid} 1 2 2 2\n:gutter: 3\n\n" +
		":::{grid-item-card} Second page\n:link: second\n:link-type: doc\n\nGo to the {octicon}`rocket` second page.\n:::\n\n" +
		":::{grid-item-card} External\n:link: https://example.org/\n\nLeaves the site.\n:::\n::::\n\n" +
		"::::{tab-set}\n:::{tab-item} Pip\n:sync: pip\nUse pip.\n:::\n:::{tab-item} Conda\n:sync: conda\nUse conda.\n:::\n::::\n\n" +
		"```{dropdown} More\nHidden text.\n```\n",
	"content/second.md": "# Second\n\n" +
		"::::{tab-set}\n:::{tab-item} Pip\n:sync: pip\npip on page two\n:::\n:::{tab-item} Conda\n:sync: conda\nconda on page two\n:::\n::::\n",
}

// buildSite writes files into a temporary project and builds it into
// public/ (the browser tests open it from file://), returning the output
// folder; any warning fails the test.
func buildSite(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := sitetest.Write(t, files)
	t.Chdir(dir)
	cfg, err := config.Load("")
	if err != nil {
		t.Fatal(err)
	}
	res, err := build.Build(context.Background(), build.Options{Config: cfg, Mode: build.Write})
	if err != nil || res.Failed(diag.Warning) {
		t.Fatalf("build: %v %v", err, res.Diags)
	}
	return filepath.Join(dir, "public")
}

func TestBrowserDesign(t *testing.T) {
	ctx := browser(t)
	out := buildSite(t, designSite)
	index := "file://" + filepath.ToSlash(filepath.Join(out, "index.html"))
	run := func(actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		tctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		defer cancel()
		if err := chromedp.Do(tctx, actions...); err != nil {
			t.Fatal(err)
		}
	}
	run(chromedp.Navigate(index))
	waitFor(t, ctx, "the page", `document.querySelector(".sd-card") !== null`)

	// An octicon is an svg with a size.
	if w := eval[float64](t, ctx, `document.querySelector("svg.sd-octicon-rocket").getBoundingClientRect().width`); w <= 0 {
		t.Errorf("octicon width = %v", w)
	}
	// design.css is loaded: the tabs' radio inputs are hidden.
	if op := eval[string](t, ctx, `getComputedStyle(document.querySelector(".sd-tab-set > input")).opacity`); op != "0" {
		t.Errorf("tab input opacity = %q; design.css not applied?", op)
	}

	// A card is one link: Tab reaches it, and clicking off the text, in a
	// corner of the card, follows it.
	if n := eval[int](t, ctx, `document.querySelector(".sd-card").querySelectorAll("a").length`); n != 1 {
		t.Errorf("first card has %d links, want 1", n)
	}
	eval[bool](t, ctx, `document.activeElement && document.activeElement.blur(), true`)
	focused := ""
	for range 10 {
		run(chromedp.KeyEvent(kb.Tab))
		focused = eval[string](t, ctx, `document.activeElement.closest(".sd-card") ? document.activeElement.getAttribute("href") : ""`)
		if focused != "" {
			break
		}
	}
	if focused != "second.html" {
		t.Errorf("Tab did not reach the card link (focused %q)", focused)
	}
	// Choose Conda before leaving, so the choice should carry over.
	run(chromedp.Click(chromedp.CSS(`label[data-sync-id="conda"]`)))
	waitFor(t, ctx, "the Conda tab", `document.querySelector("#"+document.querySelector('label[data-sync-id="conda"]').htmlFor).checked`)
	if vis := eval[bool](t, ctx, `document.querySelector('label[data-sync-id="conda"] + .sd-tab-content').offsetParent !== null && document.querySelector('label[data-sync-id="pip"] + .sd-tab-content').offsetParent === null`); !vis {
		t.Error("clicking the Conda label did not switch the panel")
	}
	// Click near the card's bottom-right corner, away from its text.
	box := eval[map[string]float64](t, ctx, `(() => { const r = document.querySelector(".sd-card").getBoundingClientRect(); return {x: r.right - 6, y: r.bottom - 6}; })()`)
	run(chromedp.MouseClickXY(box["x"], box["y"]))
	waitAcrossNavigation(t, ctx, "the second page", `location.pathname.endsWith("/second.html") && document.readyState === "complete"`)

	// The synced choice made on the first page holds here.
	waitFor(t, ctx, "the synced tab", `document.querySelector("#"+document.querySelector('label[data-sync-id="conda"]').htmlFor).checked`)
	if text := eval[string](t, ctx, `[...document.querySelectorAll(".sd-tab-content")].filter(e => e.offsetParent !== null).map(e => e.innerText.trim()).join("|")`); text != "conda on page two" {
		t.Errorf("visible panel on page two = %q", text)
	}

	// Tabs switch without design.js too.
	eval[bool](t, ctx, `document.querySelectorAll("script[src$='design.js']").forEach(s => s.remove()), true`)
	run(chromedp.Click(chromedp.CSS(`label[data-sync-id="pip"]`)))
	waitFor(t, ctx, "the Pip tab", `document.querySelector('label[data-sync-id="pip"] + .sd-tab-content').offsetParent !== null`)

	if *designShots != "" {
		shootDesignDemo(t, ctx)
	}
}

// waitAcrossNavigation is waitFor for a condition that holds after a
// navigation: a poll that loses its page to the navigation starts again.
func waitAcrossNavigation(t *testing.T, ctx context.Context, what, js string) {
	t.Helper()
	wctx, cancel := context.WithTimeout(ctx, 15*time.Second)
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

// shootDesignDemo screenshots the demo tree in DESIGN_DEMO (a project
// folder), light and dark, into -design-screenshots, for a person to look at:
// go test ./internal/serve -run TestBrowserDesign -design-screenshots /tmp/shots
func shootDesignDemo(t *testing.T, ctx context.Context) {
	demo := os.Getenv("DESIGN_DEMO")
	if demo == "" {
		t.Log("DESIGN_DEMO not set: no demo screenshots")
		return
	}
	t.Chdir(demo)
	cfg, err := config.Load("")
	if err != nil {
		t.Fatal(err)
	}
	res, err := build.Build(context.Background(), build.Options{Config: cfg, Mode: build.Write})
	if err != nil || res.Failed(diag.Warning) {
		t.Fatalf("demo build: %v %v", err, res.Diags)
	}
	pages, _ := filepath.Glob(filepath.Join(cfg.OutDir(), "*.html"))
	for _, scheme := range []string{"light", "dark"} {
		for _, page := range pages {
			// The theme applies a saved scheme before the first paint.
			eval[bool](t, ctx, `localStorage.setItem("docsgen-theme", "`+scheme+`"), true`)
			if err := chromedp.Do(ctx, chromedp.Navigate("file://"+filepath.ToSlash(page))); err != nil {
				t.Fatal(err)
			}
			waitFor(t, ctx, "the page to settle", `document.readyState === "complete" && document.fonts.status === "loaded" && document.getAnimations().every(a => a.playState === "finished")`)
			png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
			if err != nil {
				t.Fatal(err)
			}
			name := strings.TrimSuffix(filepath.Base(page), ".html") + "-" + scheme + ".png"
			if err := os.WriteFile(filepath.Join(*designShots, name), png, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}
