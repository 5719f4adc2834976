package deployenv

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
)

// allocated returns the bytes fn allocates (runtime.MemStats.TotalAlloc).
func allocated(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

const djangoWithStack = "services:\n  django:\n    image: x\n    env_file: [stack.env]\n"

// loadErr loads a deployment that must fail, within maxAlloc bytes, and
// returns its *Error, checked for the planted secret.
func loadErr(t *testing.T, files map[string]string, opts Options, maxAlloc uint64) *Error {
	t.Helper()
	opts.Dir = deploy(t, files)
	var err error
	if n := allocated(func() { _, err = Load(context.Background(), opts) }); n > maxAlloc {
		t.Errorf("Load allocated %d MB, budget %d MB", n>>20, maxAlloc>>20)
	}
	var de *Error
	if !errors.As(err, &de) {
		t.Fatalf("error = %v, want a positioned *Error", err)
	}
	if strings.Contains(err.Error(), planted) {
		t.Errorf("the error shows a value: %s", err)
	}
	return de
}

func wantErr(t *testing.T, de *Error, file string, line int, msg ...string) {
	t.Helper()
	if !strings.HasSuffix(de.Pos.File, file) || de.Pos.Line != line {
		t.Errorf("error at %s, want %s:%d (%v)", de.Pos, file, line, de)
	}
	for _, m := range msg {
		if !strings.Contains(de.Msg, m) {
			t.Errorf("message %q, want %q", de.Msg, m)
		}
	}
	if de.Hint == "" {
		t.Errorf("%v: no hint saying what to do", de)
	}
}

// TestDoublingBomb: 20 lines of X=${X}${X} used to build a value of
// 16 × 2²⁰ bytes (seconds, gigabytes); the value is capped at 1 MiB, and
// the error names the variable and the line where it broke the cap.
func TestDoublingBomb(t *testing.T) {
	bomb := "X=" + planted + "abc\n" + strings.Repeat("X=${X}${X}\n", 20) // 16 bytes doubled
	for _, tc := range []struct {
		name  string
		files map[string]string
		file  string
	}{
		{"stack.env", map[string]string{"production.yml": djangoWithStack, "stack.env": bomb}, "stack.env"},
		{"env_file", map[string]string{"production.yml": "services:\n  django:\n    image: x\n    env_file: [deploy/config/django.env]\n", "deploy/config/django.env": bomb}, "deploy/config/django.env"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			de := loadErr(t, tc.files, Options{}, 16<<20)
			// 16·2¹⁶ = 1 MiB still fits; line 18 doubles it past the cap.
			wantErr(t, de, tc.file, 18, "X: the value is larger than 1 MiB")
		})
	}
	t.Run("production.yml", func(t *testing.T) {
		// Each value under the cap, the compose value over it.
		x := planted + strings.Repeat("a", 400<<10)
		de := loadErr(t, map[string]string{
			"production.yml": "services:\n  django:\n    image: x\n    environment:\n      A: ${X}${X}${X}\n",
			"stack.env":      "X=" + x + "\n",
		}, Options{}, 32<<20)
		wantErr(t, de, "production.yml", 5, "services.django.environment.A", "larger than 1 MiB")
	})
}

// TestInterpolationTotal: values under the cap that add up, line after
// line, are bounded too.
func TestInterpolationTotal(t *testing.T) {
	var s strings.Builder
	s.WriteString("X=" + planted + strings.Repeat("b", 1000<<10) + "\n")
	for i := range 80 {
		fmt.Fprintf(&s, "Y%d=${X}\n", i)
	}
	de := loadErr(t, map[string]string{"production.yml": djangoWithStack, "stack.env": s.String()}, Options{}, 160<<20)
	wantErr(t, de, "stack.env", 2+maxInterpolated/(1000<<10+len(planted)), "Y", "has produced more than 64 MiB")
}

// TestManyDefaultsLinear: compose-go took 9 s for a 28 KB line of ${U:-x}
// (each default re-scanned the rest of the line); 700 KB now takes
// milliseconds, and memory is a small multiple of the line.
func TestManyDefaultsLinear(t *testing.T) {
	const n = 100_000
	text := "A=" + strings.Repeat("${U:-x}", n) + "\nB=\"" + strings.Repeat("${U:-{y}} ", n) + "\"\n"
	vars := map[string]string{}
	var err error
	if a := allocated(func() { err = parseEnv("f.env", []byte(text), "", vars, nil, newBudget(0)) }); a > 10*uint64(len(text)) {
		t.Errorf("allocated %d bytes for %d of text", a, len(text))
	}
	if err != nil {
		t.Fatal(err)
	}
	if vars["A"] != strings.Repeat("x", n) || vars["B"] != strings.Repeat("{y} ", n) {
		t.Errorf("A is %d bytes, B %d", len(vars["A"]), len(vars["B"]))
	}
}

func TestNestingBudget(t *testing.T) {
	deep := "A=" + strings.Repeat("${U:-", 40) + "x" + strings.Repeat("}", 40) + "\n"
	err := parseEnv("f.env", []byte("B=1\n"+deep), "", map[string]string{}, nil, newBudget(0))
	var de *Error
	if !errors.As(err, &de) || de.Pos.Line != 2 || !strings.Contains(de.Msg, "A: ${...} defaults are nested more than 32 deep") {
		t.Errorf("error = %v", err)
	}
	ok := "A=" + strings.Repeat("${U:-", 30) + "x" + strings.Repeat("}", 30) + "\n"
	vars := map[string]string{}
	if err := parseEnv("f.env", []byte(ok), "", vars, nil, newBudget(0)); err != nil || vars["A"] != "x" {
		t.Errorf("30 levels: %v, %q", err, vars["A"])
	}
}

// TestCommentFlood: compose-go skips each comment line with a recursive
// call, so 50 MB of comments overflowed the 1 GB goroutine stack and
// killed the process. Here the stack is held to 16 MB.
func TestCommentFlood(t *testing.T) {
	defer debug.SetMaxStack(debug.SetMaxStack(16 << 20))
	text := []byte(strings.Repeat("#\n", 8<<20) + "A=1\n")
	vars := map[string]string{}
	if a := allocated(func() {
		if err := parseEnv("f.env", text, "", vars, nil, newBudget(0)); err != nil {
			t.Fatal(err)
		}
	}); a > uint64(len(text))*2 {
		t.Errorf("allocated %d bytes for %d of text", a, len(text))
	}
	if vars["A"] != "1" {
		t.Errorf("A = %q", vars["A"])
	}
}

// TestErrorLineLinear: the failing line is found in one pass (it was found
// by re-parsing longer and longer prefixes of the file).
func TestErrorLineLinear(t *testing.T) {
	const n = 1 << 20
	text := []byte(strings.Repeat("# a comment\n", n) + "A=1\nDB_PASSWORD=\"" + planted + "\n")
	var err error
	if a := allocated(func() { err = parseEnv("f.env", text, "", map[string]string{}, nil, newBudget(0)) }); a > uint64(len(text))*2 {
		t.Errorf("allocated %d bytes for %d of text", a, len(text))
	}
	var de *Error
	if !errors.As(err, &de) || de.Pos.Line != n+2 || !strings.Contains(de.Msg, `(DB_PASSWORD="`+Masked+")") || strings.Contains(de.Msg, planted) {
		t.Errorf("error = %v", err)
	}
}

func TestVariableBudget(t *testing.T) {
	var s strings.Builder
	for i := range maxVariables + 10 {
		fmt.Fprintf(&s, "V%d=%d\n", i, i)
	}
	de := loadErr(t, map[string]string{"production.yml": djangoWithStack, "stack.env": s.String()}, Options{}, 64<<20)
	wantErr(t, de, "stack.env", maxVariables+1, "more than 100000 variables")
}

// TestParseRounds: a file listed by many services is parsed for each, up
// to a multiple of the size limit in all.
func TestParseRounds(t *testing.T) {
	compose := "x-d: &d\n  image: x\n  env_file: [deploy/config/big.env]\nservices:\n"
	for i := range 6 {
		compose += fmt.Sprintf("  s%d: *d\n", i)
	}
	compose += "  django:\n    <<: *d\n"
	env := "# " + strings.Repeat("c", 900) + "\nDJANGO_SETTINGS_MODULE=x\n"
	de := loadErr(t, map[string]string{"production.yml": compose, "deploy/config/big.env": env}, Options{MaxFileSize: 1000}, 8<<20)
	wantErr(t, de, "deploy/config/big.env", 0, "more than 4000 bytes read")
	// Under a larger limit, the same deployment loads.
	if _, err := Load(context.Background(), Options{Dir: deploy(t, map[string]string{"production.yml": compose, "deploy/config/big.env": env})}); err != nil {
		t.Fatal(err)
	}
}

// TestFileSizeLimit: a file over the limit is refused before it is read
// (a sparse 1 GiB file costs nothing), at every place a file is read.
func TestFileSizeLimit(t *testing.T) {
	big := func(dir, name string, size int64) {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.Truncate(size); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	for _, tc := range []struct {
		name, file, compose string
		limit               int64
	}{
		{"production.yml, default limit", "production.yml", "", 0},
		{"stack.env", "stack.env", djangoWithStack, 0},
		{"env_file", "deploy/config/django.env", "services:\n  django:\n    image: x\n    env_file: [deploy/config/django.env]\n", 0},
		{"extends", "base.yml", "services:\n  django:\n    extends:\n      file: base.yml\n      service: b\n", 0},
		{"a set limit", "stack.env", djangoWithStack, 4096},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files := map[string]string{}
			if tc.compose != "" {
				files["production.yml"] = tc.compose
			}
			dir := deploy(t, files)
			size := int64(1 << 30)
			if tc.limit > 0 {
				size = tc.limit + 1
			}
			big(dir, tc.file, size)
			var err error
			if a := allocated(func() { _, err = Load(context.Background(), Options{Dir: dir, MaxFileSize: tc.limit}) }); a > 4<<20 {
				t.Errorf("Load allocated %d bytes", a)
			}
			limit := "64 MiB"
			if tc.limit > 0 {
				limit = "4096 bytes"
			}
			var de *Error
			if !errors.As(err, &de) || !strings.Contains(err.Error(), "over the "+limit+" limit") || !strings.Contains(err.Error(), "--max-file-size") {
				t.Errorf("error = %v", err)
			}
		})
	}
	// At the limit is fine.
	dir := deploy(t, map[string]string{"production.yml": djangoWithStack, "stack.env": "DJANGO_SETTINGS_MODULE=x\n"})
	if _, err := Load(context.Background(), Options{Dir: dir, MaxFileSize: int64(len(djangoWithStack))}); err != nil {
		t.Errorf("a file at the limit: %v", err)
	}
}

func envShape(shape string, size int) []byte {
	var s strings.Builder
	s.Grow(size + 1<<20)
	switch shape {
	case "values": // 85k variables of ~600 bytes, some quoted, some with ${...}
		for i := 0; s.Len() < size; i++ {
			switch i % 4 {
			case 0:
				fmt.Fprintf(&s, "VAR_%d=%s\n", i, strings.Repeat("v", 590))
			case 1:
				fmt.Fprintf(&s, "VAR_%d=\"%s\\n${VAR_%d}\"\n", i, strings.Repeat("q", 580), i-1)
			case 2:
				fmt.Fprintf(&s, "# %s\nexport VAR_%d='%s'\n", strings.Repeat("c", 200), i, strings.Repeat("s", 380))
			default:
				fmt.Fprintf(&s, "VAR_%d=${UNSET:-%s}\n", i, strings.Repeat("d", 580))
			}
		}
	case "values-1k": // 42k variables of 1.2 KB
		for i := 0; s.Len() < size; i++ {
			fmt.Fprintf(&s, "VAR_%d=%s\n", i, strings.Repeat("v", 1200))
		}
	case "comments":
		for s.Len() < size {
			s.WriteString("#\n")
		}
	case "big-values": // values of 1 MiB less a little
		for i := 0; s.Len() < size; i++ {
			fmt.Fprintf(&s, "BIG_%d=%s\n", i, strings.Repeat("x", 1<<20-64))
		}
	case "defaults": // one line of ${U:-x} per 700 KB
		for s.Len() < size {
			s.WriteString("A=" + strings.Repeat("${U:-x}", 100_000) + "\n")
		}
	}
	return []byte(s.String())
}

// BenchmarkEnvFile50MB parses 50 MB env files of several shapes.
func BenchmarkEnvFile50MB(b *testing.B) {
	for _, shape := range []string{"values", "comments", "big-values", "defaults"} {
		data := envShape(shape, 50<<20)
		b.Run(shape, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				// Its own budget each time, as in a Load.
				if err := parseEnv("f.env", data, "", map[string]string{}, nil, newBudget(0)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkLoad50MB loads a deployment whose stack.env is 50 MB, read as
// the interpolation environment and as django's env_file (its variables
// count twice against the budget of 100000).
func BenchmarkLoad50MB(b *testing.B) {
	for _, shape := range []string{"values-1k", "comments"} {
		dir := b.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "production.yml"), []byte(djangoWithStack+"    environment:\n      DJANGO_SETTINGS_MODULE: x\n"), 0o644); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "stack.env"), envShape(shape, 50<<20), 0o644); err != nil {
			b.Fatal(err)
		}
		b.Run(shape, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Load(context.Background(), Options{Dir: dir}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
