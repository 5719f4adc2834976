package serve

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/docsgen/docsgen/internal/build"
	"github.com/docsgen/docsgen/internal/config"
	"github.com/docsgen/docsgen/internal/diag"
	"github.com/docsgen/docsgen/internal/search"
)

// searchBox drives the header search box of the page open in ctx.
type searchBox struct {
	t   *testing.T
	ctx context.Context
}

func (b searchBox) run(actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	tctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(tctx, actions...); err != nil {
		b.t.Fatal(err)
	}
}

// typeQuery replaces the box's text with q, key by key, and waits for the
// results of exactly q.
func (b searchBox) typeQuery(q string) {
	b.t.Helper()
	eval[bool](b.t, b.ctx, `(() => { const i = document.getElementById("search-input"); i.value = ""; i.focus(); return true; })()`)
	b.run(chromedp.SendKeys("#search-input", q))
	waitFor(b.t, b.ctx, "results for "+q, `document.getElementById("search-input").value === `+jsString(q)+
		` && document.getElementById("search-results").dataset.query === `+jsString(q))
	if status := eval[string](b.t, b.ctx, `document.getElementById("search-status").textContent`); !strings.HasSuffix(status, "result") && !strings.HasSuffix(status, "results") {
		b.t.Fatalf("%s: %s", q, status)
	}
}

// first is the href of the first result, relative to the site root.
func (b searchBox) first() string {
	b.t.Helper()
	return eval[string](b.t, b.ctx, `(() => { const o = document.querySelector("#search-results [role=option]"); return o ? o.getAttribute("href") : ""; })()`)
}

func jsString(s string) string { b, _ := json.Marshal(s); return string(b) }

// page strips the site root and the highlight query from a result link:
// "deployment.html#anchor".
func page(href, root string) string {
	href = strings.TrimPrefix(href, root)
	if q := strings.Index(href, "?"); q >= 0 {
		frag := ""
		if h := strings.Index(href, "#"); h >= 0 {
			frag = href[h:]
		}
		href = href[:q] + frag
	}
	return href
}

// buildShipped builds the repository's content/ into a temporary folder.
func buildShipped(t *testing.T) string {
	t.Helper()
	out := t.TempDir()
	t.Chdir(filepath.Join("..", ".."))
	cfg, err := config.Load("")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Out = out
	res, err := build.Build(context.Background(), build.Options{Config: cfg, Mode: build.Write})
	if err != nil || res.Failed(diag.Warning) {
		t.Fatalf("build: %v %v", err, res.Diags)
	}
	return out
}

// TestBrowserSearch searches the shipped site in Chromium: served under a
// sub-path and opened from file://, through the header box (keyboard only)
// and search.html?q=.
func TestBrowserSearch(t *testing.T) {
	ctx := browser(t)
	out := buildShipped(t)
	srv := httptest.NewServer(http.StripPrefix("/docs/", http.FileServer(http.Dir(out))))
	defer srv.Close()
	root := srv.URL + "/docs/"
	box := searchBox{t, ctx}

	box.run(chromedp.Navigate(root + "deployment.html"))
	waitFor(t, ctx, "the page", `document.readyState === "complete" && window.docsgenSearch !== undefined`)
	// Nothing of the index loads before the box is used.
	if n := eval[int](t, ctx, `performance.getEntriesByType("resource").filter(e => e.name.includes("/_search/")).length`); n != 0 {
		t.Errorf("%d index files loaded before the search box was used", n)
	}
	// "/" focuses the box.
	box.run(chromedp.KeyEvent("/"))
	if id := eval[string](t, ctx, `document.activeElement.id`); id != "search-input" {
		t.Fatalf("after /, focus is on %q, want the search box", id)
	}

	// A query with matches does not load the words list; a word with a typo
	// in its first letter, which puts it in another shard than the word
	// meant ("onfiguration": shard o, "configuration": shard c), does, and
	// finds the page.
	wordsLoaded := func() bool {
		return eval[bool](t, ctx, `performance.getEntriesByType("resource").some(e => e.name.endsWith("/_search/words.js"))`)
	}
	box.typeQuery("fairdm.E001")
	if wordsLoaded() {
		t.Error("the words list loaded for a query with matches")
	}
	box.typeQuery("onfiguration")
	if got := page(box.first(), root); !strings.HasPrefix(got, "portal-administration/configuration-checks.html#") {
		t.Errorf("%q: first result %q, want the configuration checks page", "onfiguration", got)
	}
	if !wordsLoaded() {
		t.Error("the words list did not load for a word without matches")
	}
	// Over http the index files are fetched, not run as scripts.
	if how := eval[[]string](t, ctx, `[...new Set(performance.getEntriesByType("resource").filter(e => e.name.includes("/_search/")).map(e => e.initiatorType))]`); !slices.Equal(how, []string{"fetch"}) {
		t.Errorf("over http the index files loaded by %v, want fetch", how)
	}

	for _, c := range []struct{ query, want string }{
		{"fairdm.E001", "portal-administration/configuration-checks.html#fairdme001-secret_key-is-missing-or-weak"},
		{"--fail-level", "portal-administration/configuration-checks.html#"},
		{"deploymnt", "deployment.html#"}, // one letter missing
	} {
		box.typeQuery(c.query)
		if got := page(box.first(), root); !strings.HasPrefix(got, c.want) {
			t.Errorf("%q: first result %q, want %s…", c.query, got, c.want)
		}
	}

	// The combobox pattern: expanded, options, a live count.
	box.typeQuery("fairdm.E001")
	aria := eval[map[string]string](t, ctx, `(() => { const i = document.getElementById("search-input"); return {
		role: i.getAttribute("role"), expanded: i.getAttribute("aria-expanded"), controls: i.getAttribute("aria-controls"),
		listbox: document.getElementById(i.getAttribute("aria-controls")).getAttribute("role"),
		status: document.getElementById("search-status").textContent,
		children: [...document.getElementById("search-results").children].every(c => ["group", "option"].includes(c.getAttribute("role"))) + "" }; })()`)
	if aria["role"] != "combobox" || aria["expanded"] != "true" || aria["listbox"] != "listbox" || aria["children"] != "true" || !strings.HasSuffix(aria["status"], "result") && !strings.HasSuffix(aria["status"], "results") {
		t.Errorf("combobox state %v", aria)
	}
	// Arrow keys move the active option; Escape closes the list.
	box.run(chromedp.KeyEvent(kb.ArrowDown))
	active := eval[string](t, ctx, `document.getElementById("search-input").getAttribute("aria-activedescendant") || ""`)
	if active == "" || eval[string](t, ctx, `document.getElementById(`+jsString(active)+`).getAttribute("aria-selected")`) != "true" {
		t.Errorf("ArrowDown did not select an option (active %q)", active)
	}
	box.run(chromedp.KeyEvent(kb.Escape))
	if expanded := eval[string](t, ctx, `document.getElementById("search-input").getAttribute("aria-expanded")`); expanded != "false" {
		t.Errorf("after Escape aria-expanded = %s", expanded)
	}

	// Enter opens the first result at its heading, with the identifier
	// highlighted in that section.
	box.typeQuery("DJANGO_SECRET_KEY")
	box.run(chromedp.KeyEvent(kb.Enter))
	waitAcrossNavigation(t, ctx, "the result page", `location.hash !== "" && document.readyState === "complete" && document.querySelector("mark.search-highlight") !== null`)
	// The section the link leads to (its heading up to the next one) shows
	// the identifier highlighted.
	landed := eval[map[string]string](t, ctx, `(() => {
		const id = decodeURIComponent(location.hash.slice(1)), target = document.getElementById(id);
		const heads = [...document.querySelectorAll("article h1, article h2, article h3, article h4, article h5, article h6")];
		const head = target && target.closest("h1, h2, h3, h4, h5, h6");
		const next = heads[heads.indexOf(head) + 1];
		const inside = [...document.querySelectorAll("mark.search-highlight")].filter(m =>
			(head.compareDocumentPosition(m) & Node.DOCUMENT_POSITION_FOLLOWING) && (!next || (m.compareDocumentPosition(next) & Node.DOCUMENT_POSITION_FOLLOWING)));
		return {id, heading: head ? head.id : "", marks: inside.map(m => m.textContent).join(" ")}; })()`)
	if landed["heading"] == "" || !strings.Contains(" "+landed["marks"]+" ", " DJANGO_SECRET_KEY ") {
		t.Errorf("Enter landed on #%s (heading #%s); highlighted there: %q", landed["id"], landed["heading"], landed["marks"])
	}

	// A site whose policy refuses fetch (connect-src) loads the index as
	// scripts instead.
	strict := httptest.NewServer(http.StripPrefix("/docs/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", "connect-src 'none'")
		http.FileServer(http.Dir(out)).ServeHTTP(w, r)
	})))
	defer strict.Close()
	box.run(chromedp.Navigate(strict.URL + "/docs/deployment.html"))
	waitFor(t, ctx, "the page under a policy refusing fetch", `document.readyState === "complete" && window.docsgenSearch !== undefined`)
	box.run(chromedp.KeyEvent("/"))
	box.typeQuery("fairdm.E001")
	if got := page(box.first(), strict.URL+"/docs/"); !strings.HasPrefix(got, "portal-administration/configuration-checks.html#fairdme001") {
		t.Errorf("under a policy refusing fetch, first result %q", got)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll("script[src*='_search/']").length`); n < 2 {
		t.Errorf("under a policy refusing fetch, %d index files loaded as scripts", n)
	}

	// From file://, Ctrl+K focuses the box, and the index loads as scripts.
	file := "file://" + filepath.ToSlash(out) + "/"
	box.run(chromedp.Navigate(file + "deployment.html"))
	waitFor(t, ctx, "the page from file://", `document.readyState === "complete" && window.docsgenSearch !== undefined`)
	box.run(chromedp.KeyEvent("k", chromedp.KeyModifiers(chromedp.ModifierCtrl)))
	if id := eval[string](t, ctx, `document.activeElement.id`); id != "search-input" {
		t.Fatalf("after Ctrl+K, focus is on %q, want the search box", id)
	}
	box.typeQuery("fairdm.E001")
	if n := eval[int](t, ctx, `document.querySelectorAll("script[src*='_search/']").length`); n < 2 {
		t.Errorf("from file://, %d index files loaded as scripts, want the entry file and a shard at least", n)
	}
	box.run(chromedp.KeyEvent(kb.ArrowDown), chromedp.KeyEvent(kb.Enter))
	waitAcrossNavigation(t, ctx, "the result page from file://", `location.pathname.endsWith("/configuration-checks.html") && document.readyState === "complete"`)
	if hash := eval[string](t, ctx, `location.hash + "|" + (document.getElementById(location.hash.slice(1)) !== null)`); hash != "#fairdme001-secret_key-is-missing-or-weak|true" {
		t.Errorf("from file://, landed on %s", hash)
	}

	// search.html?q= renders the results, from file:// too.
	box.run(chromedp.Navigate(file + "search.html?q=" + "--fail-level"))
	waitFor(t, ctx, "search.html results", `document.querySelectorAll("#search-page-results > li").length > 0`)
	if got := page(eval[string](t, ctx, `document.querySelector("#search-page-results .search-section").getAttribute("href")`), root); !strings.Contains(got, "configuration-checks.html") {
		t.Errorf("search.html?q=--fail-level: first result %q", got)
	}
	if v := eval[string](t, ctx, `document.getElementById("search-page-input").value`); v != "--fail-level" {
		t.Errorf("search.html's box shows %q", v)
	}

	// The browser tokenizes and stems exactly as the index does: every word
	// of the shipped content and a list of hard cases.
	var text strings.Builder
	filepath.WalkDir("content", func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".md") {
			data, _ := os.ReadFile(p)
			text.Write(data)
		}
		return nil
	})
	text.WriteString(" generously generate communication arsenal skies dying succeeded operator’s 'quoted cries ties hopping hoping" +
		" knackeries conspiracy consolatory installations configured fluently hopefulness effective adjustable formalize" +
		" traditional sensibility analogies sizzling tanned filing controlling zealously Ubuntu-20.04 --no-cache")
	goTokens := search.Tokenize(text.String())
	var words []string
	for _, tok := range goTokens {
		words = append(words, tok.Parts...)
	}
	slices.Sort(words)
	words = slices.Compact(words)
	jsStems := eval[[]string](t, ctx, `(`+mustJSON(t, words)+`).map(w => docsgenSearch.stem(w))`)
	for i, w := range words {
		if want := search.Stem(w); i >= len(jsStems) || jsStems[i] != want {
			got := ""
			if i < len(jsStems) {
				got = jsStems[i]
			}
			t.Errorf("stem(%q): browser %q, Go %q", w, got, want)
		}
	}
	type jsToken struct {
		Whole string   `json:"whole"`
		Parts []string `json:"parts"`
	}
	jsTokens := eval[[]jsToken](t, ctx, `docsgenSearch.tokenize(`+jsString(text.String())+`).map(t => ({whole: t.whole, parts: t.parts}))`)
	if len(jsTokens) != len(goTokens) {
		t.Errorf("browser found %d tokens, Go %d", len(jsTokens), len(goTokens))
	}
	for i := range min(len(jsTokens), len(goTokens)) {
		if jsTokens[i].Whole != goTokens[i].Whole || !slices.Equal(jsTokens[i].Parts, goTokens[i].Parts) {
			t.Errorf("token %d: browser %+v, Go %+v", i, jsTokens[i], goTokens[i])
			break
		}
	}
	t.Logf("Go and the browser agree on %d words and %d tokens", len(words), len(goTokens))
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestBrowserSearchRanking: on a small site, the page or section that
// should come first does.
func TestBrowserSearchRanking(t *testing.T) {
	ctx := browser(t)
	out := buildSite(t, map[string]string{
		"content/index.md": "# Home\n\n```{toctree}\ninstall\nusage\nglossary\n```\n\nWelcome. See the usage notes.\n",
		"content/install.md": "# Installation\n\nHow to set the product up.\n\n## Installing on Ubuntu\n\nRun the package manager.\n\n" +
			"## Upgrading\n\nSet `APP_SECRET_KEY` before you upgrade.\n",
		"content/usage.md": "# Usage\n\nOnce you are done installing, read on. Usage notes follow about the daily work.\n\n" +
			"## Daily work\n\nThe app.E001 check fails when the secret is missing; the secret and key words appear here, as does ubuntu.\n\n" +
			"## Flags\n\nPass `--fail-level warning` to fail on warnings.\n",
		"content/glossary.md": "# Glossary\n\n```{glossary}\nBroker\n  The queue between the web app and the workers.\n```\n",
	})
	box := searchBox{t, ctx}
	box.run(chromedp.Navigate("file://" + filepath.ToSlash(out) + "/index.html"))
	waitFor(t, ctx, "the page", `document.readyState === "complete" && window.docsgenSearch !== undefined`)
	root := "file://" + filepath.ToSlash(out) + "/"
	for _, c := range []struct{ query, want string }{
		{"installing", "install.html#installation"},                  // stemmed; the title outweighs a mention
		{"installation ubuntu", "install.html#installing-on-ubuntu"}, // the heading outweighs the text
		{"APP_SECRET_KEY", "install.html#upgrading"},                 // the identifier, not its words
		{"app.E001", "usage.html#daily-work"},
		{"--fail-level", "usage.html#flags"},
		{"upgrad", "install.html#upgrading"},         // as you type
		{"broker", "glossary.html#term-Broker"},      // a glossary term is a section
		{"instalation", "install.html#installation"}, // one edit
		{"usage notes", "usage.html#usage"},
	} {
		box.typeQuery(c.query)
		if got := page(box.first(), root); got != c.want {
			t.Errorf("%q: first result %q, want %q", c.query, got, c.want)
		}
	}
	// The snippet under a result shows the words found.
	box.typeQuery("--fail-level")
	if marks := eval[string](t, ctx, `[...document.querySelectorAll("#search-results [role=option]")[0].querySelectorAll(".search-snippet mark")].map(m => m.textContent).join(" ")`); marks != "--fail-level" {
		t.Errorf("snippet highlights %q, want --fail-level", marks)
	}
	// The results follow the theme's colours: dark when the page is dark.
	bg := func() string {
		return eval[string](t, ctx, `getComputedStyle(document.getElementById("search-results")).backgroundColor`)
	}
	light := bg()
	eval[bool](t, ctx, `document.documentElement.dataset.theme = "dark", true`)
	if dark := bg(); dark == light || dark == "rgb(255, 255, 255)" {
		t.Errorf("results background light %s, dark %s", light, dark)
	}
}

// TestBrowserSearchPrefixOverEmptyKeys: words sharing a long prefix and
// found in many sections make a chain of prefix keys that hold no terms of
// their own ("dj", "dja", … "django"); typing such a prefix still finds the
// words (such a key names the shard holding most of its words, where an
// empty shard used to be, whose number made the prefix's shards look too
// many to load).
func TestBrowserSearchPrefixOverEmptyKeys(t *testing.T) {
	ctx := browser(t)
	out, keys := partsSite(t, "One djangoalpha two djangobeta three djangogamma four djangodelta five djangoepsilon")
	// "dja" holds no terms of its own (they all have longer keys): it names
	// a shard of its words, not an empty one.
	shard, err := os.ReadFile(filepath.Join(out, search.Dir, fmt.Sprintf("t%d.js", keys["dja"])))
	if err != nil || !strings.Contains(string(shard), `"djangoalpha"`) && !strings.Contains(string(shard), `"djangobeta"`) {
		t.Fatalf(`key "dja" names shard %d, which holds none of its words: %.200s`, keys["dja"], shard)
	}
	if _, ok := keys["djang"]; !ok {
		t.Fatal(`no key "djang": the corpus no longer makes a chain of keys without terms of their own`)
	}
	box := searchBox{t, ctx}
	box.run(chromedp.Navigate("file://" + filepath.ToSlash(out) + "/index.html"))
	waitFor(t, ctx, "the page", `document.readyState === "complete" && window.docsgenSearch !== undefined`)
	root := "file://" + filepath.ToSlash(out) + "/"
	for _, q := range []string{"dja", "djang", "djangog"} {
		box.typeQuery(q)
		if got := page(box.first(), root); !strings.HasPrefix(got, "p") {
			t.Errorf("%q: first result %q, want a page's part", q, got)
		}
	}
}

// TestBrowserSearchPrefetchesNextLetter: once a two-letter word's results
// are in the box, the shards its third letter can need load (when they are
// at most three files not loaded), so typing that letter fetches no shard;
// a prefix with more below it prefetches nothing.
func TestBrowserSearchPrefetchesNextLetter(t *testing.T) {
	ctx := browser(t)
	// Each word is in every section of 40 pages: two words' postings fill
	// most of a shard, so the words starting "mi" take three shards (one
	// per third letter) and those starting "ra" five.
	var words []string
	for _, prefix := range []string{"mid", "mig", "min", "raa", "rab", "rac", "rad", "rae"} {
		words = append(words, prefix+"alpha", prefix+"beta")
	}
	out, keys := partsSite(t, strings.Join(words, " "))
	below := func(prefix string) map[int]bool {
		s := map[int]bool{}
		for k, n := range keys {
			if len(k) > len(prefix) && strings.HasPrefix(k, prefix) {
				s[n] = true
			}
		}
		return s
	}
	if n := len(below("mi")); n < 2 || n > 3 {
		t.Fatalf(`the words under "mi" take %d shards, want 2 or 3 (keys %v)`, n, keys)
	}
	if n := len(below("ra")); n <= 4 {
		t.Fatalf(`the words under "ra" take %d shards, want more than 4 (keys %v)`, n, keys)
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(out)))
	defer srv.Close()
	box := searchBox{t, ctx}
	box.run(chromedp.Navigate(srv.URL + "/index.html"))
	waitFor(t, ctx, "the page", `document.readyState === "complete" && window.docsgenSearch !== undefined`)
	shardsLoaded := func() []string {
		return eval[[]string](t, ctx, `performance.getEntriesByType("resource").map(e => e.name.replace(/.*\//, "")).filter(n => /^t\d+\.js$/.test(n))`)
	}
	// want are the shards a word starting with prefix can be in.
	want := func(prefix string) []string {
		names := []string{fmt.Sprintf("t%d.js", search.ShardOf(keys, prefix))}
		for n := range below(prefix) {
			names = append(names, fmt.Sprintf("t%d.js", n))
		}
		return names
	}

	box.typeQuery("mi")
	for _, name := range want("min") {
		waitFor(t, ctx, name+` prefetched after "mi"`, `performance.getEntriesByType("resource").some(e => e.name.endsWith("/_search/`+name+`"))`)
	}
	before := shardsLoaded()
	box.run(chromedp.SendKeys("#search-input", "n"))
	waitFor(t, ctx, `results for "min"`, `document.getElementById("search-results").dataset.query === "min"`)
	if got := shardsLoaded(); len(got) != len(before) {
		t.Errorf(`typing "min" after "mi" fetched shards %v; all were loaded before (%v)`, got[len(before):], before)
	}
	if first := box.first(); !strings.Contains(first, "p") {
		t.Errorf(`"min": first result %q, want a page`, first)
	}

	before = shardsLoaded()
	box.typeQuery("ra")
	time.Sleep(300 * time.Millisecond) // a prefetch would have started by now
	var extra []string
	for _, name := range shardsLoaded()[len(before):] {
		if name != fmt.Sprintf("t%d.js", keys["ra"]) {
			extra = append(extra, name)
		}
	}
	if len(extra) > 0 {
		t.Errorf(`"ra", with %d shards below it, prefetched %v`, len(below("ra")), extra)
	}
}

// partsSite builds a site of 40 pages of 30 parts each, every part the
// same words (and a number of its own), and returns its output folder and
// its index's shard keys.
func partsSite(t *testing.T, words string) (out string, keys map[string]int) {
	t.Helper()
	files := map[string]string{}
	var toc strings.Builder
	for p := range 40 {
		name := fmt.Sprintf("p%02d", p)
		toc.WriteString(name + "\n")
		var b strings.Builder
		fmt.Fprintf(&b, "# Page %d\n\n", p)
		for s := range 30 {
			fmt.Fprintf(&b, "## Part %d\n\n%s %d.\n\n", s, words, p*100+s)
		}
		files["content/"+name+".md"] = b.String()
	}
	files["content/index.md"] = "# Home\n\n```{toctree}\n" + toc.String() + "```\n"
	out = buildSite(t, files)
	entry, err := os.ReadFile(filepath.Join(out, search.Dir, "index.js"))
	if err != nil {
		t.Fatal(err)
	}
	if keys, err = search.Keys(entry); err != nil {
		t.Fatal(err)
	}
	return out, keys
}

// TestBrowserSearchPageExcerpts: on search.html over http, a result whose
// snippet (the start of its section) lacks the words searched for shows
// the part of the section around them instead, read from the page; a
// snippet that has them stays; from file:// snippets stay as the index
// has them.
func TestBrowserSearchPageExcerpts(t *testing.T) {
	ctx := browser(t)
	out := buildShipped(t)
	srv := httptest.NewServer(http.StripPrefix("/docs/", http.FileServer(http.Dir(out))))
	defer srv.Close()
	box := searchBox{t, ctx}
	snippets := func() []string {
		return eval[[]string](t, ctx, `Array.from(document.querySelectorAll("#search-page-results .search-snippet")).map(p => p.innerHTML)`)
	}

	// "--fail-level" is in the middle of the guide's introduction to the checks.
	box.run(chromedp.Navigate(srv.URL + "/docs/search.html?q=--fail-level"))
	waitFor(t, ctx, "an excerpt with --fail-level", `Array.from(document.querySelectorAll("#search-page-results .search-snippet mark")).some(m => m.textContent === "--fail-level")`)
	got := snippets()
	if len(got) == 0 || !strings.HasPrefix(got[0], "…") || !strings.Contains(got[0], "<mark>--fail-level</mark>") {
		t.Errorf("search.html?q=--fail-level: first snippet %q, want an excerpt from inside the section around the flag", got)
	}

	// A mark ends with its word, not the punctuation after it ("Traefik:").
	box.run(chromedp.Navigate(srv.URL + "/docs/search.html?q=traefik+certificate"))
	waitFor(t, ctx, `an excerpt with "Traefik:"`, `Array.from(document.querySelectorAll("#search-page-results .search-snippet")).some(p => p.textContent.includes("Traefik:"))`)
	if marks := eval[[]string](t, ctx, `Array.from(document.querySelectorAll("#search-page-results mark")).map(m => m.textContent).filter(t => /[_.:-]$/.test(t))`); len(marks) > 0 {
		t.Errorf("search.html?q=traefik+certificate: marks ending with punctuation: %q", marks)
	}

	// A snippet that already shows the word is the index's, unchanged.
	box.run(chromedp.Navigate(srv.URL + "/docs/search.html?q=SECRET_KEY"))
	waitFor(t, ctx, "search.html results", `document.querySelectorAll("#search-page-results .search-snippet").length > 0`)
	time.Sleep(300 * time.Millisecond) // an excerpt would have replaced it by now
	if got := snippets(); strings.HasPrefix(got[0], "…") || !strings.Contains(got[0], "<mark>SECRET_KEY</mark>") {
		t.Errorf("search.html?q=SECRET_KEY: first snippet %q, want the section's start, the word marked", got[0])
	}

	// From file:// pages cannot be fetched: the start of the section stays.
	box.run(chromedp.Navigate("file://" + filepath.ToSlash(out) + "/search.html?q=--fail-level"))
	waitFor(t, ctx, "search.html results from file://", `document.querySelectorAll("#search-page-results .search-snippet").length > 0`)
	time.Sleep(300 * time.Millisecond)
	if got := snippets(); strings.HasPrefix(got[0], "…") {
		t.Errorf("from file://, first snippet %q, want the start of the section", got[0])
	}
	if status := eval[string](t, ctx, `document.getElementById("search-page-status").textContent`); !strings.HasPrefix(status, "1 result") {
		t.Errorf("from file://, status %q", status)
	}
}
