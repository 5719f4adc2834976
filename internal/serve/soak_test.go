package serve

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/docsgen/docsgen/bench/corpus"
	"github.com/docsgen/docsgen/internal/build"
	"github.com/docsgen/docsgen/internal/config"
)

// TestSoak runs the live preview on a 1,000-page site under random edits,
// deletions, restorations of pages and whole folders, and checkout-like
// bursts, for two minutes in CI (DOCSGEN_SOAK sets another length), then
// waits for it to settle: every page it serves must equal a full build.
func TestSoak(t *testing.T) {
	length := 15 * time.Second
	if os.Getenv("CI") != "" {
		length = 2 * time.Minute
	}
	if d, err := time.ParseDuration(os.Getenv("DOCSGEN_SOAK")); err == nil {
		length = d
	}
	dir := t.TempDir()
	if err := corpus.Write(dir, 1000, "docsgen"); err != nil {
		t.Fatal(err)
	}
	root := filepath.Join(dir, "docsgen")
	t.Chdir(root)
	cfg, err := config.Load("")
	if err != nil {
		t.Fatal(err)
	}
	session, _, err := build.NewSession(context.Background(), cfg, build.SessionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	srv := NewServer(session, true)
	startLive(t, &Live{Session: session, Server: srv, Log: io.Discard, Delay: 20 * time.Millisecond})

	content := filepath.Join(root, "content")
	// The seed is logged; DOCSGEN_SOAK_SEED replays a run's choices (not
	// their timing).
	seed := uint64(time.Now().UnixNano())
	if s, err := strconv.ParseUint(os.Getenv("DOCSGEN_SOAK_SEED"), 10, 64); err == nil {
		seed = s
	}
	t.Logf("seed %d (DOCSGEN_SOAK_SEED)", seed)
	rng := rand.New(rand.NewPCG(seed, 0))
	attic := filepath.Join(dir, "attic") // where deleted pages and folders wait to come back
	os.MkdirAll(attic, 0o755)
	page := func() string {
		return filepath.Join(content, fmt.Sprintf("s%02d", rng.IntN(10)), fmt.Sprintf("p%04d.md", rng.IntN(1000)))
	}
	ops := 0
	for deadline := time.Now().Add(length); time.Now().Before(deadline); ops++ {
		switch rng.IntN(10) {
		case 0, 1, 2, 3: // edit a page
			p := page()
			if data, err := os.ReadFile(p); err == nil {
				os.WriteFile(p, append(data, fmt.Sprintf("\nEdit %d.\n", ops)...), 0o644)
			}
		case 4: // delete a page
			p := page()
			os.Rename(p, filepath.Join(attic, strings.ReplaceAll(strings.TrimPrefix(p, content), "/", "_")))
		case 5: // restore every deleted page
			entries, _ := os.ReadDir(attic)
			for _, e := range entries {
				if !e.IsDir() {
					os.Rename(filepath.Join(attic, e.Name()), filepath.Join(content, strings.ReplaceAll(e.Name(), "_", "/")))
				}
			}
		case 6: // a folder leaves and comes back
			sec := fmt.Sprintf("s%02d", rng.IntN(10))
			away := filepath.Join(attic, "folder-"+sec)
			if os.Rename(filepath.Join(content, sec), away) == nil {
				time.Sleep(time.Duration(rng.IntN(200)) * time.Millisecond)
				os.Rename(away, filepath.Join(content, sec))
			}
		case 7: // a checkout: a hundred files rewritten at once
			for range 100 {
				p := page()
				if data, err := os.ReadFile(p); err == nil {
					os.WriteFile(p, append(data, fmt.Sprintf("\nCheckout %d.\n", ops)...), 0o644)
				}
			}
		case 8: // a new page
			os.WriteFile(filepath.Join(content, fmt.Sprintf("s%02d", rng.IntN(10)), fmt.Sprintf("new%d.md", ops)), []byte(fmt.Sprintf("# New %d\n", ops)), 0o644)
		case 9: // a pause, as a writer reads
			time.Sleep(time.Duration(rng.IntN(300)) * time.Millisecond)
		}
		time.Sleep(time.Duration(rng.IntN(30)) * time.Millisecond)
	}
	// Bring everything back, then let the preview settle.
	entries, _ := os.ReadDir(attic)
	for _, e := range entries {
		if !e.IsDir() {
			os.Rename(filepath.Join(attic, e.Name()), filepath.Join(content, strings.ReplaceAll(e.Name(), "_", "/")))
		}
	}
	full, err := build.Build(context.Background(), build.Options{Config: cfg, Mode: build.DryRun})
	if err != nil {
		t.Fatalf("full build: %v", err)
	}
	var stale []string
	settled := time.Now()
	for settle := time.Now().Add(2 * time.Minute); time.Now().Before(settle); time.Sleep(500 * time.Millisecond) {
		got := session.Outputs()
		stale = stale[:0]
		for name, want := range full.Files {
			if string(got[name]) != string(want) {
				stale = append(stale, name)
			}
		}
		for name := range got {
			if _, ok := full.Files[name]; !ok {
				stale = append(stale, name+" (gone)")
			}
		}
		if len(stale) == 0 {
			t.Logf("%d operations in %s; every page current %s after the last", ops, length, time.Since(settled).Round(time.Second))
			return
		}
	}
	t.Errorf("after %d operations, %d outputs never caught up, e.g. %v", ops, len(stale), stale[:min(5, len(stale))])
}
