package serve

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/docsgen/docsgen/bench/corpus"
	"github.com/docsgen/docsgen/internal/build"
	"github.com/docsgen/docsgen/internal/config"
)

// BenchmarkSaveToDOM measures the time from writing a one-paragraph edit of
// a page to the edit showing in an open Chromium tab, on a 1,000-page site,
// and reports the median and 95th percentile.
func BenchmarkSaveToDOM(b *testing.B) {
	dir := b.TempDir()
	if err := corpus.Write(dir, 1000, "docsgen"); err != nil {
		b.Fatal(err)
	}
	b.Chdir(filepath.Join(dir, "docsgen"))
	cfg, err := config.Load("")
	if err != nil {
		b.Fatal(err)
	}
	session, u, err := build.NewSession(context.Background(), cfg, build.SessionOptions{})
	if err != nil || u.Failed {
		b.Fatal(err, u)
	}
	url := live(b, session)
	ctx := browser(b)
	if err := chromedp.Do(ctx, chromedp.Navigate(url+"s03/p0342.html")); err != nil {
		b.Fatal(err)
	}
	waitFor(b, ctx, "the live connection", `document.documentElement.dataset.docsgenBuild !== undefined`)
	page := filepath.Join(cfg.SourceDir(), "s03", "p0342.md")
	orig, err := os.ReadFile(page)
	if err != nil {
		b.Fatal(err)
	}
	var lat []time.Duration
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		marker := fmt.Sprintf("MARKER%d", i)
		text := strings.Replace(string(orig), "\n\n", "\n\nA new paragraph "+marker+".\n\n", 1)
		start := time.Now()
		if err := os.WriteFile(page, []byte(text), 0o644); err != nil {
			b.Fatal(err)
		}
		waitFor(b, ctx, marker, fmt.Sprintf(`document.querySelector("main").innerText.includes(%q)`, marker))
		lat = append(lat, time.Since(start))
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*95/100].Microseconds())/1000, "p95-ms")
}
