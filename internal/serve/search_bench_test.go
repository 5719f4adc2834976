package serve

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"context"
	"flag"
	"fmt"
	"io/fs"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/css"
	"github.com/chromedp/cdproto/dom"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/profiler"
	"github.com/chromedp/cdproto/tracing"
	"github.com/chromedp/chromedp"
	"github.com/docsgen/docsgen/bench/corpus"
	"github.com/docsgen/docsgen/internal/build"
	"github.com/docsgen/docsgen/internal/config"
	"github.com/docsgen/docsgen/internal/render"
	"github.com/docsgen/docsgen/internal/search"
)

// BenchmarkSearch measures search on the bench corpus at 1,000 and 10,000
// pages, against the budgets (at 10,000 pages: first query under
// 300 KB, each keystroke under 50 ms in Chromium, the index under 30 % of
// the gzipped HTML, the build at most 10 % slower):
//
//   - index-%gz: the index files gzipped, as a share of the pages gzipped;
//   - first-KB, first-KBgz: what the first query, typed key by key into the
//     header box, loads of the index (raw, and as a gzipping server sends it);
//   - first-p50-ms, first-max-ms: from a keystroke to its results in the
//     list, for the keys of that first query, typed as soon as the box has
//     focus (so its first key waits for the entry file too);
//   - key-p50-ms, key-p95-ms, key-max-ms: the same for the keys of a second
//     query, each key waiting for the one before (typing faster loads less);
//   - paced-p50-ms, paced-max-ms: a third query on a fresh page, typed at
//     ten keys a second (or slower, when a key's results take longer): from
//     a keystroke to the frame that shows its results, as a reader typing
//     meets it (a key typed at once after the last one's results are in the
//     list, as above, also waits for their layout and paint);
//   - warm-p50-ms, warm-p95-ms, warm-max-ms: the same keys again, all their
//     files loaded: a keystroke's own work (tokenize, stem, typo variants,
//     rank, render);
//   - typo-KB, typo-KBgz: what a first query whose word has a typo in its
//     first letter loads, on a fresh page (the words list, and the shards
//     of the word meant).
//
// The queries are typed in -search-bench-rounds rounds (3), each on fresh
// pages; a figure is the median of the rounds', and key-worst-ms and
// paced-worst-ms are the slowest key of all rounds. The machine's speed
// moves from one round to the next by more than most changes to the page.
//
// It logs each key with the index files it loaded (when each started, how
// long it took, of which queued in Chromium and waiting for the server),
// and how busy the machine was while the second query was typed, by
// process. -search-bench-jsprofile adds the page's JavaScript profile,
// -search-bench-trace a Chromium trace (Perfetto reads it).
//
// The build's slowdown is BenchmarkBuildSearchCost in internal/build.
//
// go test ./internal/serve -run XXX -bench Search -benchtime 1x [-search-bench-sizes 10000]
func BenchmarkSearch(b *testing.B) {
	for _, n := range benchSearchSizes() {
		b.Run(fmt.Sprintf("pages=%d", n), func(b *testing.B) {
			for b.Loop() {
				benchSearch(b, n)
			}
		})
	}
}

var (
	searchBenchSizes  = flag.String("search-bench-sizes", "1000,10000", "the corpus sizes BenchmarkSearch builds, comma-separated")
	searchBenchJS     = flag.Bool("search-bench-jsprofile", false, "BenchmarkSearch logs where the page's JavaScript spent its time while each query was typed")
	searchBenchRounds = flag.Int("search-bench-rounds", 3, "how many times BenchmarkSearch types its queries, each on fresh pages (figures are the rounds' median)")
)

// unobserved turns off the DevTools domains chromedp enables on a tab and
// the typing does not use, so the page runs as in a reader's browser: with
// Network on, every index file fetched also sent its request, response and
// data events to the test, and CSS and DOM kept their own books of each
// change to the result list, all on the two cores the page has.
// The function it returns turns them on again (chromedp follows a
// navigation through them).
func unobserved(b *testing.B, ctx context.Context) (observed func()) {
	for _, cmd := range []cdp.Command[cdp.Empty, cdp.Empty]{network.Disable, css.Disable, dom.Disable, cdplog.Disable} {
		if err := call(ctx, cmd, cdp.Empty{}); err != nil {
			b.Fatal(err)
		}
	}
	return func() {
		for _, err := range []error{
			call(ctx, cdplog.Enable, cdp.Empty{}),
			call(ctx, network.Enable, network.EnableParams{}),
			call(ctx, dom.Enable, dom.EnableParams{}),
			call(ctx, css.Enable, cdp.Empty{}),
		} {
			if err != nil {
				b.Fatal(err)
			}
		}
	}
}

// call runs a protocol command whose result is not needed.
func call[P, R any](ctx context.Context, cmd cdp.Command[P, R], params P) error {
	_, err := chromedp.Call(ctx, cmd, params)
	return err
}

// profileJS starts Chromium's JavaScript profiler when -search-bench-jsprofile
// is given; the function it returns stops it and logs the functions that
// took the most time themselves.
func profileJS(b *testing.B, ctx context.Context, what string) (stop func()) {
	if !*searchBenchJS {
		return func() {}
	}
	for _, err := range []error{
		call(ctx, profiler.Enable, cdp.Empty{}),
		call(ctx, profiler.SetSamplingInterval, profiler.SetSamplingIntervalParams{Interval: 100}),
		call(ctx, profiler.Start, cdp.Empty{}),
	} {
		if err != nil {
			b.Fatal(err)
		}
	}
	return func() {
		res, err := chromedp.Call(ctx, profiler.Stop, cdp.Empty{})
		if err != nil {
			b.Fatal(err)
		}
		prof := res.Profile
		name := map[int64]string{}
		for _, n := range prof.Nodes {
			f := n.CallFrame
			name[n.ID] = fmt.Sprintf("%s %s:%d", cmp.Or(f.FunctionName, "(anonymous)"), path.Base(f.URL), f.LineNumber+1)
		}
		self := map[string]int64{}
		var total int64
		for i, id := range prof.Samples {
			self[name[id]] += prof.TimeDeltas[i]
			total += prof.TimeDeltas[i]
		}
		names := slices.SortedFunc(maps.Keys(self), func(a, b string) int { return cmp.Compare(self[b], self[a]) })
		var top []string
		for _, n := range names[:min(20, len(names))] {
			top = append(top, fmt.Sprintf("%.1f ms %s", float64(self[n])/1000, n))
		}
		b.Logf("JavaScript, %s, %.0f ms sampled; most self time: %s", what, float64(total)/1000, strings.Join(top, "; "))
	}
}

func benchSearchSizes() []int {
	var sizes []int
	for _, f := range strings.Split(*searchBenchSizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n <= 0 {
			panic("-search-bench-sizes: not a page count: " + f)
		}
		sizes = append(sizes, n)
	}
	return sizes
}

func benchSearch(b *testing.B, n int) {
	dir := b.TempDir()
	if err := corpus.Write(dir, n, "docsgen"); err != nil {
		b.Fatal(err)
	}
	b.Chdir(filepath.Join(dir, "docsgen"))
	cfg, err := config.Load("")
	if err != nil {
		b.Fatal(err)
	}
	res, err := build.Build(context.Background(), build.Options{Config: cfg, Mode: build.DryRun})
	if err != nil {
		b.Fatal(err)
	}

	gz := func(data []byte) int {
		var buf bytes.Buffer
		w, _ := gzip.NewWriterLevel(&buf, gzip.DefaultCompression)
		w.Write(data)
		w.Close()
		return buf.Len()
	}
	var htmlGz, indexGz, indexRaw int
	for name, data := range res.Files {
		switch {
		case strings.HasPrefix(name, search.Dir+"/"):
			indexGz += gz(data)
			indexRaw += len(data)
		case strings.HasSuffix(name, ".html"):
			htmlGz += gz(data)
		}
	}

	// The site, served with the theme's static files, under a sub-path.
	th, err := render.LoadTheme("")
	if err != nil {
		b.Fatal(err)
	}
	theme := map[string][]byte{}
	fs.WalkDir(th.Static, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			theme["_static/"+p], _ = fs.ReadFile(th.Static, p)
		}
		return nil
	})
	srv := httptest.NewServer(http.StripPrefix("/docs/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")
		data, ok := res.Files[name]
		if !ok {
			data, ok = theme[name]
		}
		if !ok {
			http.NotFound(w, r)
			return
		}
		if strings.HasSuffix(name, ".js") {
			w.Header().Set("Content-Type", "text/javascript")
		}
		w.Write(data)
	})))
	defer srv.Close()
	// The build's garbage is collected before typing starts, not by the
	// server while Chromium types (the process serves the index too).
	runtime.GC()
	debug.FreeOSMemory()
	ctx := browser(b)
	open := func() {
		if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/docs/s03/p0342.html")); err != nil {
			b.Fatal(err)
		}
		waitFor(b, ctx, "the page", `document.readyState === "complete" && window.docsgenSearch !== undefined`)
	}
	// typeAll types q a key at a time and returns each key's time, sorted.
	// With pace 0 a key is typed as soon as the last key's results are in
	// the list, and its time runs to its own results in the list (so it
	// also holds the last key's layout and paint). With a pace, a key is
	// typed that many ms after the last one (or once its results are on
	// screen, if later), and its time runs to the frame that shows its
	// results.
	typeAll := func(q string, pace int, logKeys bool) []float64 {
		type keys struct {
			Times []float64 `json:"times"`
			Trace []string  `json:"trace"`
		}
		got, err := chromedp.Run(ctx, chromedp.Evaluate[keys](`(async () => {
			const input = document.getElementById("search-input"), list = document.getElementById("search-results");
			input.focus();
			input.value = "";
			const times = [], trace = [];
			let seen = performance.getEntriesByType("resource").filter(e => e.name.includes("/_search/")).length;
			for (let i = 1; i <= `+jsString(q)+`.length; i++) {
				const v = `+jsString(q)+`.slice(0, i);
				const shown = new Promise(res => {
					const obs = new MutationObserver(() => { if (list.dataset.query === v) { obs.disconnect(); res(); } });
					obs.observe(list, {attributes: true, attributeFilter: ["data-query"]});
				});
				const t0 = performance.now();
				performance.mark("key " + v); // in a trace, where each key starts
				input.value = v;
				input.dispatchEvent(new Event("input"));
				if (v.trim()) await shown;
				// After the next frame's requestAnimationFrame callbacks, a
				// task runs once that frame is produced.
				if (`+strconv.Itoa(pace)+`) await new Promise(res => requestAnimationFrame(() => setTimeout(res, 0)));
				times.push(performance.now() - t0);
				const now = performance.getEntriesByType("resource").filter(e => e.name.includes("/_search/")).map(e => e.name.replace(/.*\//, "") + "@" + Math.round(e.startTime - t0) + "+" + Math.round(e.responseEnd - e.startTime) + "(q" + Math.round(e.requestStart - e.startTime) + " s" + Math.round(e.responseStart - e.requestStart) + ")");
				trace.push(JSON.stringify(v) + " " + Math.round(times[times.length - 1]) + "ms " + now.slice(seen).join(" "));
				seen = now.length;
				const wait = t0 + `+strconv.Itoa(pace)+` - performance.now();
				if (wait > 0) await new Promise(res => setTimeout(res, wait));
			}
			return {times, trace}; })()`, chromedp.EvalAwaitPromise))
		if err != nil {
			b.Fatal(err)
		}
		// Each key in typing order: its time, and the index files it
		// loaded, each as name@start+fetch (ms from the key, ms to fetch).
		if logKeys {
			b.Logf("%q: %s", q, strings.Join(got.Trace, "; "))
		}
		ms := got.Times
		slices.Sort(ms)
		return ms
	}
	type loaded struct {
		Name string  `json:"name"`
		Size float64 `json:"size"`
	}
	// transfer is what the page has loaded of the index so far.
	transfer := func(what string) (raw, gzipped int) {
		files, err := chromedp.Run(ctx, chromedp.Evaluate[[]loaded](`performance.getEntriesByType("resource").filter(e => e.name.includes("/_search/")).map(e => ({name: e.name, size: e.decodedBodySize}))`))
		if err != nil {
			b.Fatal(err)
		}
		var names []string
		for _, f := range files {
			name := f.Name[strings.Index(f.Name, search.Dir+"/"):]
			raw += len(res.Files[name])
			gzipped += gz(res.Files[name])
			names = append(names, fmt.Sprintf("%s %d", path.Base(name), len(res.Files[name])))
		}
		b.Logf("%s loaded (file, bytes): %s", what, strings.Join(names, ", "))
		return raw, gzipped
	}
	// Each round types the queries on fresh pages; the figures are each
	// round's, and their median is reported (this machine's speed moves
	// between runs: one round's slowest key is as much the machine's as the
	// page's), with the slowest key of all rounds beside it.
	var rounds []searchRound
	for r := range *searchBenchRounds {
		open()
		observed := unobserved(b, ctx)
		var rd searchRound
		stop0 := func() {}
		if r == 0 {
			stop0 = profileJS(b, ctx, "first query")
		}
		rd.first = typeAll("postgres backup restore", 0, r == 0)
		stop0()
		if r == 0 {
			rd.firstRaw, rd.firstGz = transfer("first query")
		}
		stop, stopTrace := func() {}, func() {}
		if r == 0 {
			stop, stopTrace = profileJS(b, ctx, "second query"), traceChromium(b, ctx)
		}
		cpu := cpuDuring(func() { rd.keys = typeAll("celery worker retry", 0, r == 0) })
		if r == 0 {
			b.Logf("CPU while the second query was typed: %s", cpu)
		}
		stopTrace()
		stop()
		// The same keys again, everything loaded: the work of a keystroke alone.
		rd.warm = typeAll("celery worker retry", 0, false)
		observed()
		open()
		unobserved(b, ctx)
		typeAll("ostgres", 0, r == 0)
		if r == 0 {
			rd.typoRaw, rd.typoGz = transfer("typo query")
			if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#search-results [role=option][href*='highlight']").length`)); err != nil || n == 0 {
				b.Errorf("the typo query found nothing (%v)", err)
			}
		}
		// A third query on a fresh page, typed at ten keys a second (a fast
		// typist's 120 words a minute): each key's time to its results on screen.
		observed()
		open()
		unobserved(b, ctx)
		rd.paced = typeAll("minio bucket upload", 100, r == 0)
		observed()
		b.Logf("round %d, each key (ms, sorted): first query %.0f; second %.0f; paced %.0f", r+1, rd.first, rd.keys, rd.paced)
		rounds = append(rounds, rd)
	}
	p := func(ms []float64, q float64) float64 { return ms[min(len(ms)-1, int(q*float64(len(ms))))] }
	// median of a figure of each round; worst, the highest of all rounds.
	median := func(of func(searchRound) float64) float64 {
		var v []float64
		for _, rd := range rounds {
			v = append(v, of(rd))
		}
		slices.Sort(v)
		return v[len(v)/2]
	}
	worst := func(of func(searchRound) float64) float64 {
		w := 0.0
		for _, rd := range rounds {
			w = max(w, of(rd))
		}
		return w
	}
	last := func(ms []float64) float64 { return ms[len(ms)-1] }

	b.ReportMetric(float64(indexRaw)/1024, "index-KB")
	b.ReportMetric(100*float64(indexGz)/float64(htmlGz), "index-%gz")
	b.ReportMetric(float64(rounds[0].firstRaw)/1024, "first-KB")
	b.ReportMetric(float64(rounds[0].firstGz)/1024, "first-KBgz")
	b.ReportMetric(median(func(rd searchRound) float64 { return p(rd.first, 0.5) }), "first-p50-ms")
	b.ReportMetric(median(func(rd searchRound) float64 { return last(rd.first) }), "first-max-ms")
	b.ReportMetric(median(func(rd searchRound) float64 { return p(rd.keys, 0.5) }), "key-p50-ms")
	b.ReportMetric(median(func(rd searchRound) float64 { return p(rd.keys, 0.95) }), "key-p95-ms")
	b.ReportMetric(median(func(rd searchRound) float64 { return last(rd.keys) }), "key-max-ms")
	b.ReportMetric(worst(func(rd searchRound) float64 { return last(rd.keys) }), "key-worst-ms")
	b.ReportMetric(median(func(rd searchRound) float64 { return p(rd.paced, 0.5) }), "paced-p50-ms")
	b.ReportMetric(median(func(rd searchRound) float64 { return last(rd.paced) }), "paced-max-ms")
	b.ReportMetric(worst(func(rd searchRound) float64 { return last(rd.paced) }), "paced-worst-ms")
	b.ReportMetric(median(func(rd searchRound) float64 { return p(rd.warm, 0.5) }), "warm-p50-ms")
	b.ReportMetric(median(func(rd searchRound) float64 { return p(rd.warm, 0.95) }), "warm-p95-ms")
	b.ReportMetric(median(func(rd searchRound) float64 { return last(rd.warm) }), "warm-max-ms")
	b.ReportMetric(float64(rounds[0].typoRaw)/1024, "typo-KB")
	b.ReportMetric(float64(rounds[0].typoGz)/1024, "typo-KBgz")
}

// searchRound is one round of BenchmarkSearch's typing: each query's key
// times (sorted), and what the first round's first and typo queries loaded.
type searchRound struct {
	first, keys, warm, paced []float64
	firstRaw, firstGz        int
	typoRaw, typoGz          int
}

var searchBenchTrace = flag.String("search-bench-trace", "", "BenchmarkSearch writes a Chromium trace of the second query to this file (chrome://tracing, Perfetto)")

// traceChromium starts a Chromium trace when -search-bench-trace is given;
// the function it returns stops it and writes it to that file.
func traceChromium(b *testing.B, ctx context.Context) (stop func()) {
	if *searchBenchTrace == "" {
		return func() {}
	}
	var mu sync.Mutex
	var events [][]byte
	done := make(chan struct{})
	chromedp.Listen(ctx, func(ev any) {
		switch ev := ev.(type) {
		case *tracing.EventDataCollected:
			mu.Lock()
			for _, v := range ev.Value {
				events = append(events, []byte(v))
			}
			mu.Unlock()
		case *tracing.EventTracingComplete:
			close(done)
		}
	})
	if err := call(ctx, tracing.Start, tracing.StartParams{TraceConfig: &tracing.TraceConfig{IncludedCategories: []string{"devtools.timeline", "disabled-by-default-devtools.timeline", "v8.execute", "blink", "loading", "toplevel", "netlog", "v8", "blink.user_timing"}}}); err != nil {
		b.Fatal(err)
	}
	return func() {
		if err := call(ctx, tracing.End, cdp.Empty{}); err != nil {
			b.Fatal(err)
		}
		<-done
		mu.Lock()
		defer mu.Unlock()
		var buf bytes.Buffer
		buf.WriteString("[")
		for i, e := range events {
			if i > 0 {
				buf.WriteString(",\n")
			}
			buf.Write(e)
		}
		buf.WriteString("]")
		if err := os.WriteFile(*searchBenchTrace, buf.Bytes(), 0o644); err != nil {
			b.Fatal(err)
		}
	}
}

// cpuTicks reads the machine's busy and total CPU time, and each
// process's, by name (clock ticks, from /proc; empty elsewhere).
func cpuTicks() (busy, total float64, byName map[string]float64) {
	byName = map[string]float64{}
	if st, err := os.ReadFile("/proc/stat"); err == nil {
		for i, field := range strings.Fields(strings.SplitN(string(st), "\n", 2)[0])[1:] {
			v, _ := strconv.ParseFloat(field, 64)
			total += v
			if i != 3 && i != 4 { // idle, iowait
				busy += v
			}
		}
	}
	procs, _ := os.ReadDir("/proc")
	for _, p := range procs {
		st, err := os.ReadFile("/proc/" + p.Name() + "/stat")
		if err != nil || !strings.Contains(string(st), ") ") {
			continue
		}
		s := string(st)
		name, rest := s[strings.Index(s, "(")+1:strings.LastIndex(s, ")")], strings.Fields(s[strings.LastIndex(s, ")")+2:])
		if len(rest) < 13 {
			continue
		}
		user, _ := strconv.ParseFloat(rest[11], 64)
		system, _ := strconv.ParseFloat(rest[12], 64)
		if strings.HasPrefix(name, "kworker") {
			name = "kworker"
		}
		byName[name] += user + system
	}
	return busy, total, byName
}

// cpuDuring says how busy the machine was while fn ran, and which
// processes were: typing in Chromium on two cores keeps both busy, mostly
// in Chromium's own processes.
func cpuDuring(fn func()) string {
	busy0, total0, by0 := cpuTicks()
	fn()
	busy1, total1, by1 := cpuTicks()
	if total1 == total0 {
		return "not measured"
	}
	out := fmt.Sprintf("%.0f %% busy (%d CPUs);", 100*(busy1-busy0)/(total1-total0), runtime.NumCPU())
	for _, name := range slices.Sorted(maps.Keys(by1)) {
		if d := by1[name] - by0[name]; d > 0 {
			out += fmt.Sprintf(" %s %.0f %%", name, 100*d/(total1-total0)*float64(runtime.NumCPU()))
		}
	}
	return out
}
