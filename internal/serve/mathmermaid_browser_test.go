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
)

var mathMermaidShots = flag.String("mathmermaid-screenshots", "", "folder to write light and dark screenshots of the math and mermaid test site to")

// mathMermaidSite uses every form of diagram and math the build knows
// without configuration; plain.md uses neither.
var mathMermaidSite = map[string]string{
	"content/index.md": "# Diagrams and math\n\n```{toctree}\nplain\n```\n\n" +
		"```{mermaid}\n:caption: The request path\n:align: center\n:name: request-path\n" +
		"flowchart LR\n  client[Browser] --> traefik[Traefik] --> django[Django]\n  django --> db[(PostgreSQL)]\n  django --> redis[(Redis)]\n```\n\n" +
		"```mermaid\nsequenceDiagram\n  Web->>Celery: task\n  Celery-->>Web: result\n```\n\n" +
		"```{mermaid}\n:zoom:\n:alt: A broken diagram\nthis is not mermaid -->\n```\n\n" +
		"Inline {math}`e^{i\\pi} + 1 = 0` in a sentence.\n\n" +
		"```{math}\n:label: gauss\n\\int_{-\\infty}^{\\infty} e^{-x^2} \\, dx = \\sqrt{\\pi}\n```\n\n" +
		"```{math}\nf(x) &= (x + 1)^2 \\\\\n     &= x^2 + 2x + 1\n\na &= b\n```\n\n" +
		"```{math}\n:nowrap:\n\\begin{gather*}\nx = y \\\\ y = z\n\\end{gather*}\n```\n\n" +
		"See {ref}`equation-gauss`.\n",
	"content/plain.md": "# Plain\n\nNo diagrams, no math: $5 is just text.\n",
}

// TestBrowserMathMermaid opens the built site from file:// (no server, no
// network) in light and dark: diagrams become SVGs drawn in the page's
// scheme and redrawn when it switches, a bad diagram keeps its source with
// the error, KaTeX typesets every formula, and only local files load.
func TestBrowserMathMermaid(t *testing.T) {
	ctx := browser(t)
	out := buildSite(t, mathMermaidSite)

	// Only the page that uses them loads the assets.
	plain, err := os.ReadFile(filepath.Join(out, "plain.html"))
	if err != nil {
		t.Fatal(err)
	}
	if s := string(plain); strings.Contains(s, "mermaid") || strings.Contains(s, "katex") {
		t.Error("plain.html loads mermaid or KaTeX")
	}
	for _, f := range []string{"vendor/mermaid/mermaid.min.js", "vendor/katex/katex.min.js", "vendor/katex/katex.min.css",
		"vendor/katex/fonts/KaTeX_Main-Regular.woff2", "mermaid.js", "math.js"} {
		if _, err := os.Stat(filepath.Join(out, "_static", filepath.FromSlash(f))); err != nil {
			t.Errorf("_static/%s not in the output: %v", f, err)
		}
	}

	index := "file://" + filepath.ToSlash(filepath.Join(out, "index.html"))
	for _, scheme := range []string{"light", "dark"} {
		t.Run(scheme, func(t *testing.T) {
			tctx, cancel := context.WithTimeout(ctx, 30*time.Second)
			defer cancel()
			// The theme applies the saved scheme before the first paint.
			if err := chromedp.Do(tctx, chromedp.Navigate(index)); err != nil {
				t.Fatal(err)
			}
			eval[bool](t, ctx, `localStorage.setItem("docsgen-theme", "`+scheme+`"), true`)
			if err := chromedp.Do(tctx, chromedp.Navigate(index)); err != nil {
				t.Fatal(err)
			}
			theme := map[string]string{"light": "default", "dark": "dark"}[scheme]
			waitFor(t, ctx, "the diagrams", `document.querySelectorAll("pre.mermaid[data-mermaid-theme=`+theme+`] svg").length === 2 && !!document.querySelector("pre.mermaid.mermaid-error")`)
			waitFor(t, ctx, "the math", `document.querySelectorAll("[data-katex]").length === 4 && document.fonts.status === "loaded"`)

			if n := eval[int](t, ctx, `document.querySelectorAll(".math .katex").length`); n != 4 {
				t.Errorf("%d KaTeX formulas, want 4", n)
			}
			if n := eval[int](t, ctx, `document.querySelectorAll(".katex-error, .katex .mathcolor-error").length`); n != 0 {
				t.Errorf("%d formulas with KaTeX errors", n)
			}
			if n := eval[int](t, ctx, `document.querySelectorAll(".katex .tag").length`); n != 0 {
				t.Errorf("KaTeX numbered %d equations itself; only labelled ones have a number, in .eqno", n)
			}
			if !eval[bool](t, ctx, `[...document.fonts].some(f => f.family.includes("KaTeX_Main") && f.status === "loaded")`) {
				t.Error("KaTeX's fonts did not load from file://")
			}
			// The equation number stays, beside the typeset formula.
			if got := eval[string](t, ctx, `document.querySelector("#equation-gauss .eqno").textContent`); !strings.HasPrefix(got, "(1)") {
				t.Errorf("equation number = %q", got)
			}
			// A diagram has a size; the bad one shows its source and the error.
			if w := eval[float64](t, ctx, `document.querySelector("#request-path svg").getBoundingClientRect().width`); w < 100 {
				t.Errorf("diagram width = %v", w)
			}
			bad := eval[string](t, ctx, `document.querySelector("pre.mermaid.mermaid-error").textContent`)
			if !strings.Contains(bad, "this is not mermaid -->") || !strings.Contains(bad, "Diagram error") {
				t.Errorf("bad diagram shows %q", bad)
			}
			if n := eval[int](t, ctx, `document.querySelectorAll("body > [id^=ddocsgen-mermaid]").length`); n != 0 {
				t.Errorf("%d stray mermaid error drawings", n)
			}
			// Offline: every resource came from the output folder.
			if far := eval[[]string](t, ctx, `performance.getEntriesByType("resource").map(e => e.name).filter(u => !u.startsWith("file://"))`); len(far) > 0 {
				t.Errorf("requests outside the site: %v", far)
			}
			shootMathMermaid(t, ctx, "index-"+scheme)

			// Switching the scheme redraws the diagrams in the other colours.
			other := map[string]string{"light": "dark", "dark": "default"}[scheme]
			eval[bool](t, ctx, `document.documentElement.dataset.theme = "`+map[string]string{"light": "dark", "dark": "light"}[scheme]+`", true`)
			waitFor(t, ctx, "the redrawn diagrams", `document.querySelectorAll("pre.mermaid[data-mermaid-theme=`+other+`] svg").length === 2`)
		})
	}
}

// shootMathMermaid writes a full-page screenshot to -mathmermaid-screenshots, if set.
func shootMathMermaid(t *testing.T, ctx context.Context, name string) {
	if *mathMermaidShots == "" {
		return
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(*mathMermaidShots, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}
