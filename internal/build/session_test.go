package build

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/docsgen/docsgen/bench/corpus"
	"github.com/docsgen/docsgen/internal/config"
	"github.com/docsgen/docsgen/internal/diag"
	"github.com/google/go-cmp/cmp"
)

// TestSessionMatchesFullBuild is the differential test of incremental
// builds: after every step of a long random sequence of edits, creates,
// renames and deletes, the session's outputs must equal a fresh full build,
// byte for byte.
func TestSessionMatchesFullBuild(t *testing.T) {
	// Both ways of holding trees: kept for a few changed pages (the
	// usual edit), and none kept (a first build or a checkout of many).
	for _, keep := range []int{defaultKeepTrees, 0} {
		t.Run(fmt.Sprintf("keep%d", keep), func(t *testing.T) { sessionMatchesFullBuild(t, keep) })
	}
}

func sessionMatchesFullBuild(t *testing.T, keepTrees int) {
	dir := t.TempDir()
	if err := corpus.Write(dir, 24, "docsgen"); err != nil {
		t.Fatal(err)
	}
	root := filepath.Join(dir, "docsgen")
	t.Chdir(root)
	cfg, err := config.Load("")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	s, u, err := newSession(ctx, cfg, keepTrees, SessionOptions{})
	if err != nil || u.Failed {
		t.Fatalf("first build: %v %+v", err, u)
	}
	rng := rand.New(rand.NewPCG(7, 11))
	edits := &corpusEdits{t: t, src: cfg.SourceDir()}
	for step := range 80 {
		what, changed := edits.random(rng, step)
		u, err := s.Apply(ctx, changed)
		if err != nil {
			t.Fatalf("step %d (%s): %v", step, what, err)
		}
		if u.Failed {
			t.Fatalf("step %d (%s): the build failed: %v", step, what, u.Diags)
		}
		full, err := Build(ctx, Options{Config: cfg, Mode: DryRun})
		if err != nil {
			t.Fatal(err)
		}
		got := s.Outputs()
		if !maps.EqualFunc(got, full.Files, func(a, b []byte) bool { return string(a) == string(b) }) {
			for k, v := range full.Files {
				if string(got[k]) != string(v) {
					t.Fatalf("step %d (%s, rendered %d pages): %s differs from a full build: %s", step, what, u.Rendered, k, firstDifference(got[k], v))
				}
			}
			for k := range got {
				if _, ok := full.Files[k]; !ok {
					t.Fatalf("step %d (%s): %s is served but not in a full build", step, what, k)
				}
			}
		}
		wantAssets := map[string]string{}
		for abs, out := range full.Site.Assets {
			wantAssets[out] = abs
		}
		if got := s.snap().assets; !maps.Equal(got, wantAssets) {
			t.Fatalf("step %d (%s): assets %v, want %v", step, what, got, wantAssets)
		}
		if step > 0 && u.Rendered == len(full.Site.Pages) && (what[:4] == "edit" && !strings.Contains(what, "example")) {
			t.Logf("step %d (%s) rendered every page", step, what)
		}
	}
}

// TestSessionRendersOnlyWhatChanged: a paragraph edit renders one page.
func TestSessionRendersOnlyWhatChanged(t *testing.T) {
	dir := t.TempDir()
	if err := corpus.Write(dir, 40, "docsgen"); err != nil {
		t.Fatal(err)
	}
	t.Chdir(filepath.Join(dir, "docsgen"))
	cfg, err := config.Load("")
	if err != nil {
		t.Fatal(err)
	}
	s, _, err := NewSession(context.Background(), cfg, SessionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(cfg.SourceDir(), "s00", "p0005.md")
	text, _ := os.ReadFile(p)
	os.WriteFile(p, append(text, "\nOne more sentence.\n"...), 0o644)
	u, err := s.Apply(context.Background(), []string{p})
	if err != nil || u.Failed {
		t.Fatal(err, u)
	}
	// Only p0005: the pages linking to it see nothing new (its title and
	// anchors did not change).
	if u.Rendered != 1 || !slices.Equal(u.Changed, []string{"s00/p0005.html"}) {
		t.Errorf("a paragraph edit rendered %d pages and changed %v", u.Rendered, u.Changed)
	}
}

// TestSessionReloadsOnConfigChange: a docsgen.yaml edit rebuilds everything
// with the new configuration.
func TestSessionReloadsOnConfigChange(t *testing.T) {
	cfg := project(t, map[string]string{
		"docsgen.yaml":     "title: First title\n",
		"content/index.md": "# Home\n\n```{toctree}\nother\n```\n",
		"content/other.md": "# Other\n",
	})
	s, _, err := NewSession(context.Background(), cfg, SessionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("docsgen.yaml", []byte("title: Second title\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	abs, _ := filepath.Abs("docsgen.yaml")
	u, err := s.Apply(context.Background(), []string{abs})
	if err != nil || u.Failed {
		t.Fatal(err, u)
	}
	page, _ := s.Output("other.html")
	if !strings.Contains(string(page), "Second title") || !slices.Contains(u.Changed, "other.html") || !slices.Contains(u.Changed, "index.html") {
		t.Errorf("after a config edit: changed %v; other.html has the new title: %v", u.Changed, strings.Contains(string(page), "Second title"))
	}
	if u.Build <= 1 {
		t.Errorf("build number %d did not advance", u.Build)
	}
}

// TestSessionFirstBuildWithErrors: a site broken from the start is served
// with its error markers; fixing it clears the failure.
func TestSessionFirstBuildWithErrors(t *testing.T) {
	cfg := project(t, map[string]string{
		"content/index.md": "# Home\n\n```{literalinclude} missing.txt\n```\n",
	})
	s, u, err := NewSession(context.Background(), cfg, SessionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	page, ok := s.Output("index.html")
	if !u.Failed || !ok || !strings.Contains(string(page), "docsgen-error") {
		t.Fatalf("first build: failed %v, page served %v with an error marker %v", u.Failed, ok, strings.Contains(string(page), "docsgen-error"))
	}
	p := filepath.Join(cfg.SourceDir(), "index.md")
	os.WriteFile(p, []byte("# Home\n\nFixed.\n"), 0o644)
	u, err = s.Apply(context.Background(), []string{p})
	if err != nil || u.Failed || !slices.Contains(u.Changed, "index.html") {
		t.Fatalf("after the fix: %v %+v", err, u)
	}
}

// TestSessionToctreeWarnings: a toctree's problems are the session's
// diagnostics whether it keeps the changed pages' trees or prerenders them
// (keeping none), as they are a build's, on the first build and after an
// edit of the page.
func TestSessionToctreeWarnings(t *testing.T) {
	for _, keep := range []int{defaultKeepTrees, 0} {
		t.Run(fmt.Sprintf("keep%d", keep), func(t *testing.T) {
			cfg := project(t, map[string]string{
				"content/index.md": "# Home\n\n```{toctree}\nmissing\nother\n```\n",
				"content/other.md": "# Other\n",
			})
			want := `toctree contains a reference to the missing document "missing"`
			// Exactly once: a page's indexed data gathers a toctree's
			// problems at every render.
			has := func(diags []diag.Diagnostic) bool {
				n := 0
				for _, d := range diags {
					if strings.Contains(d.Message, want) {
						n++
					}
				}
				return n == 1
			}
			if full, _ := Build(context.Background(), Options{Config: cfg, Mode: DryRun}); full == nil || !has(full.Diags) {
				t.Fatalf("a build does not report %s", want)
			}
			s, u, err := newSession(context.Background(), cfg, keep, SessionOptions{NoCache: true})
			if err != nil {
				t.Fatal(err)
			}
			if !has(u.Diags) || !has(s.Diagnostics()) {
				t.Errorf("first build: diagnostics %v, want %s", u.Diags, want)
			}
			p := filepath.Join(cfg.SourceDir(), "index.md")
			for edit := range 3 {
				os.WriteFile(p, []byte(fmt.Sprintf("# Home\n\nEdit %d.\n\n```{toctree}\nmissing\nother\n```\n", edit)), 0o644)
				if u, err = s.Apply(context.Background(), []string{p}); err != nil || !has(u.Diags) {
					t.Errorf("after edit %d: %v, diagnostics %v, want %s once", edit, err, u.Diags, want)
				}
			}
			// Retitling a page the toctree lists renders the home page
			// again; what was indexed of it (parsing found no problem)
			// must not gather the toctree's problems at each render.
			other := filepath.Join(cfg.SourceDir(), "other.md")
			for edit := range 3 {
				os.WriteFile(other, []byte(fmt.Sprintf("# Other %d\n", edit)), 0o644)
				if u, err = s.Apply(context.Background(), []string{other}); err != nil || !has(u.Diags) || u.Rendered < 2 {
					t.Errorf("after retitling %d: %v, %d rendered, diagnostics %v, want %s once", edit, err, u.Rendered, u.Diags, want)
				}
				for _, pg := range s.site.Pages {
					if n := pg.Doc.Diags.Len(); n != 0 {
						t.Errorf("after retitling %d: %s's indexed data holds %d diagnostics, parsing found none", edit, pg.Name, n)
					}
				}
			}
		})
	}
}

// TestSessionReadersDuringRebuilds: readers on other goroutines (the
// preview's HTTP handlers) see whole snapshots while Apply rebuilds, creates
// and deletes folders and reloads after config edits. Run under -race.
func TestSessionReadersDuringRebuilds(t *testing.T) {
	cfg := project(t, map[string]string{
		"docsgen.yaml":     "title: One\n",
		"content/index.md": "# Home\n\n```{toctree}\n:glob:\n*/*\n```\n\n![logo](logo.png)\n",
		"content/logo.png": "png",
	})
	ctx := context.Background()
	s, _, err := NewSession(ctx, cfg, SessionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case <-stop:
				return
			default:
			}
			if b, ok := s.Output("index.html"); !ok || len(b) == 0 {
				t.Error("index.html missing from a committed snapshot")
				return
			}
			s.Asset("logo.png")
			s.Diagnostics()
			_ = s.Theme().Static
			_ = s.Config().Title
			s.PageOut("content/index.md")
		}
	}()
	src := cfg.SourceDir()
	for i := range 20 {
		dir := filepath.Join(src, fmt.Sprintf("d%d", i))
		page := filepath.Join(dir, "page.md")
		os.MkdirAll(dir, 0o755)
		os.WriteFile(page, []byte(fmt.Sprintf("# Page %d\n", i)), 0o644)
		changed := []string{page}
		if i%4 == 0 {
			os.WriteFile("docsgen.yaml", []byte(fmt.Sprintf("title: Title %d\n", i)), 0o644)
			changed = append(changed, filepath.Join(cfg.Dir, "docsgen.yaml"))
		}
		if _, err := s.Apply(ctx, changed); err != nil {
			t.Fatal(err)
		}
		if i%2 == 1 {
			os.RemoveAll(dir)
			if _, err := s.Apply(ctx, []string{page}); err != nil {
				t.Fatal(err)
			}
		}
	}
	close(stop)
	<-done
	if got := s.Config().Title; got != "Title 16" {
		t.Errorf("title after the last config edit: %q", got)
	}
	if b, _ := s.Output("index.html"); !strings.Contains(string(b), "Page 18") || strings.Contains(string(b), "Page 19") {
		t.Error("the navigation does not show the pages as they now stand")
	}
}

// TestSessionRootDeleted: deleting the root page while serving is an error
// the preview shows (and the last good build stays), as in a build.
func TestSessionRootDeleted(t *testing.T) {
	cfg := project(t, map[string]string{
		"content/index.md": "# Home\n\n```{toctree}\nother\n```\n",
		"content/other.md": "# Other\n",
	})
	s, _, err := NewSession(context.Background(), cfg, SessionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	index := filepath.Join(cfg.SourceDir(), "index.md")
	os.Remove(index)
	u, err := s.Apply(context.Background(), []string{index})
	if err != nil {
		t.Fatal(err)
	}
	if !u.Failed || !slices.ContainsFunc(u.Diags, func(d diag.Diagnostic) bool { return d.Code == "site.root" }) {
		t.Errorf("after deleting the root page: failed=%v %v", u.Failed, u.Diags)
	}
	if _, ok := s.Output("index.html"); !ok {
		t.Error("the last good build is no longer served")
	}
}

// TestErrorBoxesOnlyInPreview: a failed directive is a box where it stands
// in the live preview, and nothing at all in a build (readers never see
// it; the diagnostic reports it).
func TestErrorBoxesOnlyInPreview(t *testing.T) {
	cfg := project(t, map[string]string{"content/index.md": "# Home\n\n```{nosuchdirective}\nx\n```\n"})
	s, _, err := NewSession(context.Background(), cfg, SessionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if page, _ := s.Output("index.html"); !strings.Contains(string(page), `class="docsgen-error"`) {
		t.Error("the preview does not show the failed directive")
	}
	res, err := Build(context.Background(), Options{Config: cfg, Mode: DryRun})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(res.Files["index.html"]), "docsgen-error") {
		t.Error("a build shows readers an error box")
	}
	if len(res.Diags) == 0 {
		t.Error("the failed directive is not reported")
	}
}

// TestPageErrorStillRenders: a page whose directive keeps failing is still
// rendered on every edit (the writer's other changes show, the failure is
// marked in place), and the update reports the error.
func TestPageErrorStillRenders(t *testing.T) {
	cfg := project(t, map[string]string{"content/index.md": "# Home\n\nfirst\n"})
	s, _, err := NewSession(context.Background(), cfg, SessionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	page := filepath.Join(cfg.SourceDir(), "index.md")
	for i, text := range []string{"second", "third"} {
		os.WriteFile(page, []byte("# Home\n\n"+text+"\n\n```{literalinclude} missing.txt\n```\n"), 0o644)
		u, err := s.Apply(context.Background(), []string{page})
		if err != nil {
			t.Fatal(err)
		}
		out, _ := s.Output("index.html")
		if !u.Failed || !strings.Contains(string(out), text) || !strings.Contains(string(out), "docsgen-error") {
			t.Errorf("edit %d: failed=%v, page shows the edit: %v, marks the error: %v", i, u.Failed,
				strings.Contains(string(out), text), strings.Contains(string(out), "docsgen-error"))
		}
	}
}

// TestSessionNavCaptionChange: a toctree's caption and numbering show in
// every page's sidebar, so changing them re-renders every page (the
// preview equals a full build).
func TestSessionNavCaptionChange(t *testing.T) {
	cfg := project(t, map[string]string{
		"content/index.md": "# Home\n\n```{toctree}\n:caption: Old\n:numbered:\na\nb\n```\n",
		"content/a.md":     "# A\n",
		"content/b.md":     "# B\n",
	})
	s, _, err := NewSession(context.Background(), cfg, SessionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	index := filepath.Join(cfg.SourceDir(), "index.md")
	os.WriteFile(index, []byte("# Home\n\n```{toctree}\n:caption: New\na\nb\n```\n"), 0o644)
	if _, err := s.Apply(context.Background(), []string{index}); err != nil {
		t.Fatal(err)
	}
	full, err := Build(context.Background(), Options{Config: cfg, Mode: DryRun})
	if err != nil {
		t.Fatal(err)
	}
	for _, page := range []string{"index.html", "a.html", "b.html"} {
		if got, _ := s.Output(page); string(got) != string(full.Files[page]) {
			t.Errorf("%s differs from a full build after the caption changed", page)
		}
	}
}

// firstDifference shows where two outputs part, with a little context.
// sameServed fails the test unless got serves what want serves: the same
// diagnostics and outputs (pages, search index), byte for byte.
func sameServed(t *testing.T, what string, want, got *Session) {
	t.Helper()
	if diff := cmp.Diff(want.Diagnostics(), got.Diagnostics()); diff != "" {
		t.Errorf("%s: diagnostics differ (-want +got):\n%s", what, diff)
	}
	w, g := want.Outputs(), got.Outputs()
	if len(w) != len(g) {
		t.Errorf("%s: %d outputs, want %d", what, len(g), len(w))
	}
	for name, data := range w {
		if string(g[name]) != string(data) {
			t.Errorf("%s: %s differs: %s", what, name, firstDifference(g[name], data))
		}
	}
}

func firstDifference(got, want []byte) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	from := max(0, i-80)
	return fmt.Sprintf("at byte %d\n  session: %q\n  full:    %q", i, got[from:min(len(got), i+80)], want[from:min(len(want), i+80)])
}

// corpusEdits makes random edits of a bench corpus's pages, the kinds a
// writer makes: paragraphs, titles, headings, new, deleted and renamed
// pages, the included example and labels.
type corpusEdits struct {
	t       *testing.T
	src     string // the source folder
	created int
}

func (e *corpusEdits) read(rel string) string {
	b, err := os.ReadFile(filepath.Join(e.src, rel))
	if err != nil {
		e.t.Fatal(err)
	}
	return string(b)
}

func (e *corpusEdits) write(rel, text string) string {
	p := filepath.Join(e.src, rel)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		e.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		e.t.Fatal(err)
	}
	return p
}

func (e *corpusEdits) pages() []string {
	var out []string
	filepath.WalkDir(e.src, func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".md") && !strings.HasSuffix(p, "index.md") {
			rel, _ := filepath.Rel(e.src, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	slices.Sort(out)
	return out
}

// editToctree adds or removes a name in the section index's toctree.
func (e *corpusEdits) editToctree(section, name string, add bool) string {
	rel := section + "/index.md"
	text := e.read(rel)
	if add {
		text = strings.Replace(text, "\n```\n", "\n"+name+"\n```\n", 1)
	} else {
		text = strings.Replace(text, "\n"+name+"\n", "\n", 1)
	}
	return e.write(rel, text)
}

// random makes one random edit and says what it did and which files it
// changed (absolute paths).
func (e *corpusEdits) random(rng *rand.Rand, step int) (what string, changed []string) {
	pages := e.pages()
	victim := pages[rng.IntN(len(pages))]
	section, file := filepath.Split(victim)
	section = strings.TrimSuffix(section, "/")
	name := strings.TrimSuffix(file, ".md")
	switch op := rng.IntN(9); op {
	case 0, 1:
		what = "edit a paragraph of " + victim
		changed = append(changed, e.write(victim, e.read(victim)+fmt.Sprintf("\nA new paragraph %d.\n", step)))
	case 2:
		what = "retitle " + victim
		text := e.read(victim)
		first, rest, _ := strings.Cut(text, "\n")
		changed = append(changed, e.write(victim, first+fmt.Sprintf(" (rev %d)", step)+"\n"+rest))
	case 3:
		what = "rename a heading of " + victim
		changed = append(changed, e.write(victim, strings.Replace(e.read(victim), "## Troubleshooting", fmt.Sprintf("## Troubleshooting %d", step), 1)))
	case 4:
		e.created++
		newName := fmt.Sprintf("new%03d", e.created)
		what = "create " + section + "/" + newName
		changed = append(changed,
			e.write(section+"/"+newName+".md", fmt.Sprintf("# New page %d\n\nSee [the victim](%s.md#overview) and {ref}`label-%d`.\n", e.created, name, e.created)),
			e.editToctree(section, newName, true))
	case 5:
		what = "delete " + victim
		p := filepath.Join(e.src, victim)
		if err := os.Remove(p); err != nil {
			e.t.Fatal(err)
		}
		changed = append(changed, p, e.editToctree(section, name, false))
	case 6:
		what = "rename " + victim
		p := filepath.Join(e.src, victim)
		text := e.read(victim)
		if err := os.Remove(p); err != nil {
			e.t.Fatal(err)
		}
		changed = append(changed, p, e.write(section+"/"+name+"-moved.md", text))
		tt := e.read(section + "/index.md")
		changed = append(changed, e.write(section+"/index.md", strings.Replace(tt, "\n"+name+"\n", "\n"+name+"-moved\n", 1)))
	case 7:
		what = "edit the included example"
		changed = append(changed, e.write("_code/example.py", e.read("_code/example.py")+fmt.Sprintf("# step %d\n", step)))
	case 8:
		what = "add a label to " + victim
		changed = append(changed, e.write(victim, fmt.Sprintf("(label-%d)=\n", e.created)+e.read(victim)))
	}
	return what, changed
}
