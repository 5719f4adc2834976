package fastlex

import (
	"bufio"
	"bytes"
	"fmt"
	"hash/fnv"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/dlclark/regexp2/v2"

	"github.com/docsgen/docsgen/bench/corpus"
)

// corpusEnv set to "all" makes TestDifferential compare every file of the
// corpus, not a sample: DOCSGEN_FASTLEX_CORPUS=all go test -timeout 0
// -run TestDifferential ./internal/fastlex
const corpusEnv = "DOCSGEN_FASTLEX_CORPUS"

func TestMain(m *testing.M) {
	// As the highlighter does: chroma's 250 ms match timeout would make a
	// slow match (a loaded machine, -race) a no-match in one run and not in
	// the other, and the streams would differ for no fault of either.
	regexp2.SetTimeoutCheckPeriod(24 * time.Hour)
	os.Exit(m.Run())
}

// input is one text to lex, with the chroma lexer to lex it with.
type input struct {
	name  string // file, or file#block
	lexer chroma.Lexer
	text  string
}

// sampleLimits bound the normal run (it runs under -race in CI): per
// language, files of at most maxFile bytes, up to perLanguage bytes.
const (
	maxFile     = 6 << 10
	perLanguage = 24 << 10
	// fullMaxFile skips the few huge generated files in the full run (tables
	// of Unicode data, test vectors); they are counted as skipped.
	fullMaxFile = 1 << 20
)

// TestDifferential lexes real code with chroma and with the fast lexers
// and requires the same token stream, token for token. Any difference fails:
// there is no fallback to hide one.
func TestDifferential(t *testing.T) {
	full := os.Getenv(corpusEnv) == "all"
	set, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	inputs := corpusInputs(t, full)
	type tally struct{ files, bytes, tokens int }
	var (
		mu       sync.Mutex
		byLexer  = map[string]*tally{}
		failures []string
	)
	work := make(chan input)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for in := range work {
				n, diff := compareStreams(set, in)
				mu.Lock()
				tl := byLexer[in.lexer.Config().Name]
				if tl == nil {
					tl = &tally{}
					byLexer[in.lexer.Config().Name] = tl
				}
				tl.files++
				tl.bytes += len(in.text)
				tl.tokens += n
				if diff != "" {
					failures = append(failures, in.name+": "+diff)
				}
				mu.Unlock()
			}
		})
	}
	for _, in := range inputs {
		work <- in
	}
	close(work)
	wg.Wait()

	var total tally
	for _, name := range slices.Sorted(maps.Keys(byLexer)) {
		tl := byLexer[name]
		t.Logf("%-14s %6d inputs %10d bytes %10d tokens", name, tl.files, tl.bytes, tl.tokens)
		total.files += tl.files
		total.bytes += tl.bytes
		total.tokens += tl.tokens
	}
	t.Logf("%-14s %6d inputs %10d bytes %10d tokens, %d differ", "all", total.files, total.bytes, total.tokens, len(failures))
	for _, lang := range append(slices.Clone(languages), "fallback") {
		if byLexer[lexerNamed(lang).Config().Name] == nil {
			t.Errorf("no input for %s: the corpus must cover every fast language", lang)
		}
	}
	slices.Sort(failures)
	for i, f := range failures {
		if i == 20 {
			t.Errorf("… and %d more", len(failures)-i)
			break
		}
		t.Error(f)
	}
}

// lexerNamed is the registry's lexer, or chroma's fallback lexer.
func lexerNamed(name string) chroma.Lexer {
	if name == "fallback" {
		return lexers.Fallback
	}
	return lexers.Get(name)
}

// compareStreams lexes in with chroma and with its fast lexer, and returns
// the number of tokens and a description of the first difference ("" if
// none). Both panicking (chroma does on some broken states) is agreement.
func compareStreams(set *Set, in input) (int, string) {
	fast := set.Get(in.lexer)
	if fast == nil {
		return 0, "no fast lexer for " + in.lexer.Config().Name
	}
	want, wantPanic := tokensOf(in.lexer, in.text)
	got, gotPanic := tokensOf(fast, in.text)
	if (wantPanic != nil) != (gotPanic != nil) {
		return len(want), fmt.Sprintf("chroma panicked: %v; fast lexer panicked: %v", wantPanic, gotPanic)
	}
	if slices.Equal(got, want) {
		return len(want), ""
	}
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	line := 1
	for _, tok := range want[:i] {
		line += strings.Count(tok.Value, "\n")
	}
	return len(want), fmt.Sprintf("%s, line %d: token %d is %s, chroma's is %s (%d and %d tokens)",
		in.lexer.Config().Name, line, i, tokenAt(got, i), tokenAt(want, i), len(got), len(want))
}

func tokenAt(toks []chroma.Token, i int) string {
	if i >= len(toks) {
		return "missing"
	}
	return fmt.Sprintf("%s %q", toks[i].Type, toks[i].Value)
}

func tokensOf(l chroma.Lexer, text string) (toks []chroma.Token, panicked any) {
	defer func() { panicked = recover() }()
	toks, err := chroma.Tokenise(l, nil, text)
	if err != nil {
		panic(err)
	}
	return toks, nil
}

// corpusInputs gathers the corpus: the Python standard library, Go's
// source, the shell scripts and config files Debian installs, and every
// code block of the shipped site, its examples and a bench corpus. The
// normal run takes a deterministic sample of the system files.
func corpusInputs(t *testing.T, full bool) []input {
	t.Helper()
	// The seeds make sure every language is covered whatever the machine
	// has installed; the Python and Go trees must be there.
	inputs := seeds(t)
	inputs = append(inputs, projectInputs(t)...)

	var files []input
	for _, root := range pythonRoots(t) {
		files = append(files, walkFiles(t, root, full, classifyPython)...)
	}
	files = append(files, walkFiles(t, goRoot(t), full, classifyGo)...)
	for _, root := range []string{"/usr/share", "/usr/lib", "/etc"} {
		files = append(files, walkFiles(t, root, full, classifySystem)...)
	}
	// A shell session made of each shell script: commands after a prompt,
	// comments as output. It exercises Bash Session's prompt rules and its
	// nesting of Bash.
	for _, f := range slices.Clone(files) {
		if f.lexer == lexers.Get("bash") {
			files = append(files, input{name: f.name + "(session)", lexer: lexers.Get("console"), text: sessionOf(f.text)})
		}
		// A spread of texts of every kind as plain text, through chroma's
		// plaintext lexer and its fallback (the same rules, two lexers).
		switch len(f.text) % 7 {
		case 0:
			files = append(files, input{name: f.name + "(plain)", lexer: lexers.Get("plaintext"), text: f.text})
		case 1:
			files = append(files, input{name: f.name + "(fallback)", lexer: lexers.Fallback, text: f.text})
		}
	}
	if !full {
		files = sample(files)
	}
	return append(inputs, files...)
}

// sample picks, per lexer, files by a hash of their names (stable across
// machines with the same files) until the language's budget is spent.
func sample(files []input) []input {
	slices.SortFunc(files, func(a, b input) int {
		ha, hb := nameHash(a.name), nameHash(b.name)
		if ha != hb {
			if ha < hb {
				return -1
			}
			return 1
		}
		return strings.Compare(a.name, b.name)
	})
	spent := map[chroma.Lexer]int{}
	var out []input
	for _, f := range files {
		if len(f.text) > maxFile || spent[f.lexer]+len(f.text) > perLanguage {
			continue
		}
		spent[f.lexer] += len(f.text)
		out = append(out, f)
	}
	return out
}

func nameHash(name string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(name))
	return h.Sum64()
}

// projectInputs are the code blocks of the shipped site and of a bench
// corpus, and the example deployment's files.
func projectInputs(t *testing.T) []input {
	t.Helper()
	repo := filepath.Join("..", "..")
	var inputs []input
	benchDir := t.TempDir()
	if err := corpus.Write(benchDir, 300, "docsgen"); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{filepath.Join(repo, "content"), benchDir} {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || !d.Type().IsRegular() {
				return err
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			switch {
			case strings.HasSuffix(path, ".md"):
				for _, b := range codeBlocks(string(data)) {
					if l := blockLexer(b.lang); l != nil {
						inputs = append(inputs, input{name: fmt.Sprintf("%s:%d", path, b.line), lexer: l, text: b.code})
					}
				}
			case strings.HasSuffix(path, ".py"):
				inputs = append(inputs, input{name: path, lexer: lexers.Get("python"), text: string(data)})
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	dockerfile, err := os.ReadFile(filepath.Join(repo, "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	inputs = append(inputs, input{name: "Dockerfile", lexer: lexers.Get("docker"), text: string(dockerfile)})
	err = filepath.WalkDir(filepath.Join(repo, "examples"), func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		var l chroma.Lexer
		switch filepath.Ext(path) {
		case ".yml", ".yaml":
			l = lexers.Get("yaml")
		case ".env":
			l = lexers.Get("bash") // what ```dotenv blocks are lexed with
		default:
			return nil
		}
		data, err := os.ReadFile(path)
		if err == nil {
			inputs = append(inputs, input{name: path, lexer: l, text: string(data)})
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(inputs) < 20 {
		t.Fatalf("only %d code blocks and example files found", len(inputs))
	}
	return inputs
}

type codeBlock struct {
	line       int
	lang, code string
}

// codeBlocks finds the fenced code blocks of a MyST page: ```lang and
// ```{code-block} lang, without the block's option lines.
func codeBlocks(page string) []codeBlock {
	var out []codeBlock
	lines := strings.SplitAfter(page, "\n")
	for i := 0; i < len(lines); i++ {
		trimmed := strings.TrimLeft(lines[i], " ")
		if !strings.HasPrefix(trimmed, "```") {
			continue
		}
		fence := trimmed[:len(trimmed)-len(strings.TrimLeft(trimmed, "`"))]
		info := strings.Fields(strings.TrimSpace(trimmed[len(fence):]))
		start := i
		var body strings.Builder
		for i++; i < len(lines); i++ {
			if strings.HasPrefix(strings.TrimSpace(lines[i]), fence) && strings.Trim(strings.TrimSpace(lines[i]), "`") == "" {
				break
			}
			body.WriteString(lines[i])
		}
		if len(info) == 0 {
			continue
		}
		lang := info[0]
		code := body.String()
		if lang == "{code-block}" || lang == "{code}" || lang == "{sourcecode}" {
			if len(info) < 2 {
				continue
			}
			lang = info[1]
			for strings.HasPrefix(code, ":") {
				_, code, _ = strings.Cut(code, "\n")
			}
		}
		if strings.HasPrefix(lang, "{") {
			continue
		}
		out = append(out, codeBlock{line: start + 1, lang: lang, code: code})
	}
	return out
}

// blockLexer is the chroma lexer a block's language names, if it is one
// of the fast languages (the names authors use for them included).
func blockLexer(lang string) chroma.Lexer {
	switch strings.ToLower(lang) {
	case "dotenv", "env", "shell", "sh":
		lang = "bash"
	case "shell-session":
		lang = "console"
	case "text", "none", "default":
		lang = "plaintext"
	}
	l := lexers.Get(lang)
	for _, name := range languages {
		if l != nil && l == lexers.Get(name) {
			return l
		}
	}
	return nil
}

func pythonRoots(t *testing.T) []string {
	t.Helper()
	roots, _ := filepath.Glob("/usr/lib/python3*")
	var out []string
	for _, r := range roots {
		if fi, err := os.Stat(r); err == nil && fi.IsDir() {
			out = append(out, r)
		}
	}
	if len(out) == 0 {
		t.Fatal("no Python standard library under /usr/lib/python3*: install python3 (.ci/run does)")
	}
	return out
}

func goRoot(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Fatalf("go env GOROOT: %v", err)
	}
	return filepath.Join(strings.TrimSpace(string(out)), "src")
}

func classifyPython(path string, _ []byte) chroma.Lexer {
	if strings.HasSuffix(path, ".py") {
		return lexers.Get("python")
	}
	return nil
}

func classifyGo(path string, _ []byte) chroma.Lexer {
	if strings.HasSuffix(path, ".go") {
		return lexers.Get("go")
	}
	return nil
}

// classifySystem picks the lexer for a file Debian installed, by its name
// or, for scripts without an extension, its #! line.
func classifySystem(path string, head []byte) chroma.Lexer {
	base := filepath.Base(path)
	switch {
	case strings.HasPrefix(base, "Dockerfile") || strings.HasSuffix(base, ".dockerfile"):
		return lexers.Get("docker")
	}
	switch filepath.Ext(base) {
	case ".sh", ".bash":
		return lexers.Get("bash")
	case ".yaml", ".yml":
		return lexers.Get("yaml")
	case ".toml":
		return lexers.Get("toml")
	case ".json":
		return lexers.Get("json")
	case ".ini", ".cfg", ".conf":
		return lexers.Get("ini")
	case "":
		line, _, _ := bytes.Cut(head, []byte("\n"))
		if bytes.HasPrefix(line, []byte("#!")) && (bytes.HasSuffix(line, []byte("/sh")) || bytes.HasSuffix(line, []byte("bash")) || bytes.HasSuffix(line, []byte("/sh -e"))) {
			return lexers.Get("bash")
		}
	}
	return nil
}

// walkFiles reads the regular files under root a classifier gives a lexer
// to. Symbolic links, pipes and devices are never opened; unreadable
// folders are passed over (this is a system's tree, not ours).
func walkFiles(t *testing.T, root string, full bool, classify func(string, []byte) chroma.Lexer) []input {
	t.Helper()
	limit := int64(maxFile)
	if full {
		limit = fullMaxFile
	}
	var out []input
	skipped := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if d != nil && d.IsDir() && path != root {
				return fs.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		info, err := d.Info()
		if err != nil || info.Size() == 0 {
			return nil
		}
		head := make([]byte, 64)
		if filepath.Ext(path) == "" {
			f, err := os.Open(path)
			if err != nil {
				return nil
			}
			n, _ := bufio.NewReader(f).Read(head)
			f.Close()
			head = head[:n]
		}
		l := classify(path, head)
		if l == nil {
			return nil
		}
		if info.Size() > limit {
			skipped++
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return nil
		}
		out = append(out, input{name: path, lexer: l, text: string(data)})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if full && skipped > 0 {
		t.Logf("%s: %d files over %d bytes skipped", root, skipped, limit)
	}
	return out
}

// sessionOf turns a script into a shell session: each command after a
// "$ " prompt, comments and blank lines as output.
func sessionOf(script string) string {
	var b strings.Builder
	for line := range strings.Lines(script) {
		if s := strings.TrimSpace(line); s == "" || strings.HasPrefix(s, "#") {
			b.WriteString(line)
			continue
		}
		b.WriteString("$ " + line)
	}
	return b.String()
}

// TestSeeds runs the checked-in seeds (also the fuzz target's): edge cases
// of each language that real files rarely show.
func TestSeeds(t *testing.T) {
	set, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range seeds(t) {
		if _, diff := compareStreams(set, s); diff != "" {
			t.Errorf("%s: %s", s.name, diff)
		}
	}
}

// FuzzTokens compares chroma's and the fast lexers' streams on any text
// in any fast language.
func FuzzTokens(f *testing.F) {
	set, err := Default()
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range seeds(f) {
		f.Add(uint8(slices.Index(languages, s.name[:strings.IndexByte(s.name, '/')])), s.text)
	}
	f.Fuzz(func(t *testing.T, lang uint8, text string) {
		l := lexers.Get(languages[int(lang)%len(languages)])
		if _, diff := compareStreams(set, input{name: "fuzz", lexer: l, text: text}); diff != "" {
			t.Error(diff)
		}
	})
}

// seeds are testdata/seeds/LANG/* files, named LANG/FILE.
func seeds(t testing.TB) []input {
	t.Helper()
	var out []input
	for _, lang := range languages {
		files, err := filepath.Glob(filepath.Join("testdata", "seeds", lang, "*"))
		if err != nil {
			t.Fatal(err)
		}
		if len(files) == 0 {
			t.Fatalf("no seeds for %s in testdata/seeds/%s", lang, lang)
		}
		for _, path := range files {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, input{name: lang + "/" + filepath.Base(path), lexer: lexers.Get(lang), text: string(data)})
		}
	}
	return out
}

// TestIteratorsReuseSlices: a block's tokens are lexed into a slice that the
// next block reuses once its iterator was read to the end. Iterators read
// in turn, and blocks lexed after, give chroma's tokens, and what was read
// stays as it was; an iterator read past its end keeps giving EOF.
func TestIteratorsReuseSlices(t *testing.T) {
	set, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	texts := []string{"x = [1, 2]  # one\nprint(x)\n", "def f(a):\n    return a * 2\n", "import os\n"}
	chromaLexer := lexers.Get("python")
	fast := set.Get(chromaLexer)
	want := make([][]chroma.Token, len(texts))
	for i, text := range texts {
		want[i], _ = tokensOf(chromaLexer, text)
	}
	for round := range 3 {
		its := make([]chroma.Iterator, len(texts))
		got := make([][]chroma.Token, len(texts))
		for i, text := range texts {
			if its[i], err = fast.Tokenise(nil, text); err != nil {
				t.Fatal(err)
			}
		}
		// In turn, a token of each at a time.
		for done := 0; done < len(texts); {
			done = 0
			for i, it := range its {
				if tok := it(); tok != chroma.EOF {
					got[i] = append(got[i], tok)
				} else {
					done++
				}
			}
		}
		for i := range texts {
			if its[i]() != chroma.EOF {
				t.Errorf("round %d, block %d: a token after EOF", round, i)
			}
			if !slices.Equal(got[i], want[i]) {
				t.Errorf("round %d, block %d: %v, want %v", round, i, got[i], want[i])
			}
		}
	}
}
