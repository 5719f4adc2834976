package markdown

import (
	"bytes"
	"fmt"
	"hash/maphash"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/alecthomas/chroma/v2"
	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/alecthomas/chroma/v2/styles"
	"github.com/dlclark/regexp2/v2"

	"github.com/docsgen/docsgen/internal/fastlex"
	"github.com/docsgen/docsgen/internal/hlcache"
)

// noFastLexersEnv, set to anything, makes highlighting use chroma's own
// lexers only: for debugging, and for the test that the two give the same
// HTML.
const noFastLexersEnv = "DOCSGEN_NO_FAST_LEXERS"

// fastLexers are built once per process: compiling the rule tables of the
// fast languages takes milliseconds, and the Set never changes afterwards.
var fastLexers = sync.OnceValues(fastlex.Default)

// languageAliases maps names authors use that chroma spells differently.
var languageAliases = map[string]string{
	"dotenv": "bash", "env": "bash", "shell": "bash", "sh": "bash", "console": "console",
	"shell-session": "console", "yml": "yaml", "py": "python", "py3": "python", "python3": "python",
	"docker": "docker", "dockerfile": "docker", "udiff": "diff", "text": "plaintext", "none": "plaintext",
	"default": "plaintext", "md": "markdown", "myst": "markdown", "golang": "go", "cfg": "ini", "conf": "ini",
}

// Highlighter turns code into HTML with CSS classes. It is safe for
// concurrent use; lexers are built once.
type Highlighter struct {
	style *chroma.Style
	mu    sync.Mutex
	lexer map[string]chroma.Lexer
	// Lexing is most of a build's cost, and the same block (a literalinclude
	// shared by many pages) is often highlighted again: keep the HTML of
	// the blocks met twice. Most blocks are met once: of those only the key
	// is kept, not their HTML for the rest of the build.
	cache   map[blockKey]highlighted
	seen    map[blockKey]struct{}
	cacheMu sync.Mutex
	// disk keeps the HTML between builds; nil for none.
	disk *hlcache.Cache
	// fast stands in for chroma's lexers of the common languages, giving
	// the same tokens faster; nil for chroma's own. fallback is the lexer
	// for plain text and unknown languages.
	// Both are set once, by useFastLexers, before Lexer returns, and every
	// use of them follows a call of Lexer.
	fast     *fastlex.Set
	fallback chroma.Lexer
	fastOnce sync.Once
}

// relaxTimeouts changes regexp2's clock once, before any lexing starts.
var relaxTimeouts sync.Once

// maxCached bounds the highlight cache, maxSeen the keys of the blocks met
// once; past them each starts afresh.
const (
	maxCached = 20000
	maxSeen   = 1 << 20
)

// blockKey identifies a block and its options: two independent 64-bit
// hashes of them (a collision would show one block's HTML for another).
type blockKey [2]uint64

var blockSeeds = [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}

func keyOf(lang, code string, linenos bool, start int, emphasize []int) blockKey {
	var k blockKey
	for i, seed := range blockSeeds {
		var h maphash.Hash
		h.SetSeed(seed)
		h.WriteString(lang)
		h.WriteByte(0)
		if linenos {
			h.WriteByte(1)
		} else {
			h.WriteByte(0)
		}
		h.WriteString(strconv.Itoa(start))
		for _, n := range emphasize {
			h.WriteByte(',')
			h.WriteString(strconv.Itoa(n))
		}
		h.WriteByte(0)
		h.WriteString(code)
		k[i] = h.Sum64()
	}
	return k
}

// NewHighlighter prepares highlighting with classes (colours come from CSS).
func NewHighlighter() *Highlighter { return newHighlighter(nil) }

// newHighlighter is NewHighlighter with a persistent cache (nil for none).
func newHighlighter(disk *hlcache.Cache) *Highlighter {
	relaxTimeouts.Do(func() {
		// chroma gives every rule a 250 ms wall-clock match timeout; a
		// timed-out rule silently yields an "err" token, so a loaded
		// machine (or -race) produced different HTML from run to run (and
		// the highlight cache would keep it). regexp2/v2, the one chroma
		// uses, checks deadlines against a clock that ticks once per
		// period and adds the period to each deadline: with a day-long
		// period no match of a build times out, and the output is a
		// function of the input alone.
		regexp2.SetTimeoutCheckPeriod(24 * time.Hour)
	})
	return &Highlighter{style: styles.Get("github"), lexer: map[string]chroma.Lexer{},
		cache: map[blockKey]highlighted{}, seen: map[blockKey]struct{}{}, disk: disk, fallback: lexers.Fallback}
}

// useFastLexers puts the fast lexers in place on first use, not when the
// highlighter is made: a link check highlights nothing, and building the
// set was 5 % of its time.
func (h *Highlighter) useFastLexers() {
	if os.Getenv(noFastLexersEnv) != "" {
		return
	}
	// A Set that fails to build (a chroma upgrade changed a lexer's
	// shape) leaves chroma's lexers in place: the output is the same.
	if set, err := fastLexers(); err == nil {
		h.fast = set
		if f := set.Get(lexers.Fallback); f != nil {
			h.fallback = f
		}
	}
}

// WarmUp builds the fast lexers in the background, for a caller about to
// highlight (a build reads its files meanwhile).
func WarmUp() { go fastLexers() }

// newFormatter makes the formatter for a block's options. Its HTML is kept
// between builds: change hlcache's formatVersion with anything here or in
// preWrapper.
func newFormatter(linenos bool, start int, hl [][2]int) *chromahtml.Formatter {
	opts := []chromahtml.Option{chromahtml.WithClasses(true), chromahtml.PreventSurroundingPre(false),
		chromahtml.WithPreWrapper(preWrapper{})}
	if linenos {
		opts = append(opts, chromahtml.WithLineNumbers(true), chromahtml.LineNumbersInTable(false), chromahtml.BaseLineNumber(start))
	} else if start != 1 {
		opts = append(opts, chromahtml.BaseLineNumber(start))
	}
	if len(hl) > 0 {
		opts = append(opts, chromahtml.HighlightLines(hl))
	}
	return chromahtml.New(opts...)
}

type preWrapper struct{}

func (preWrapper) Start(code bool, _ string) string {
	if code {
		return `<pre class="chroma"><code>`
	}
	return `<pre class="chroma">`
}

func (preWrapper) End(code bool) string {
	if code {
		return "</code></pre>"
	}
	return "</pre>"
}

// Lexer returns the lexer for a language name, or nil for plain text.
// "guess:FILE" picks by file name.
func (h *Highlighter) Lexer(lang string) chroma.Lexer {
	h.fastOnce.Do(h.useFastLexers)
	h.mu.Lock()
	defer h.mu.Unlock()
	if l, ok := h.lexer[lang]; ok {
		return l
	}
	var l chroma.Lexer
	switch name := strings.ToLower(lang); {
	case strings.HasPrefix(name, "guess:"):
		l = lexers.Match(name[len("guess:"):])
	case name == "" || name == "plaintext":
	default:
		if a, ok := languageAliases[name]; ok {
			name = a
		}
		l = lexers.Get(name)
	}
	if l != nil {
		if f := h.fast.Get(l); f != nil {
			l = f
		}
		l = chroma.Coalesce(l)
	}
	h.lexer[lang] = l
	return l
}

// LanguageName is the language class suffix for a block (highlight-LANG).
func LanguageName(lang string) string {
	if strings.HasPrefix(lang, "guess:") {
		if l := lexers.Match(lang[len("guess:"):]); l != nil {
			return strings.ToLower(strings.ReplaceAll(l.Config().Name, " ", ""))
		}
		return "default"
	}
	if lang == "" {
		return "default"
	}
	return lang
}

// highlighted is a block's HTML and its key in the persistent cache ("":
// none).
type highlighted struct{ html, key string }

// Highlight writes code as highlighted HTML. emphasize holds 1-based lines
// of code; start is the number of its first line. Written to a page's
// writer (see Pipeline.RenderKeys), the block's key in the persistent cache
// is noted there.
func (h *Highlighter) Highlight(w io.Writer, lang, code string, linenos bool, start int, emphasize []int) error {
	key := keyOf(lang, code, linenos, start, emphasize)
	h.cacheMu.Lock()
	out, ok := h.cache[key]
	h.cacheMu.Unlock()
	if !ok {
		buf := blockBuffers.Get().(*[]byte)
		defer func() {
			if cap(*buf) <= maxPooledBlock { // a huge block's buffer is not kept
				blockBuffers.Put(buf)
			}
		}()
		data, diskKey, err := h.highlightVia(buf, h.disk, lang, code, linenos, start, emphasize)
		if err != nil {
			return err
		}
		h.cacheMu.Lock()
		if _, again := h.seen[key]; again {
			if len(h.cache) >= maxCached {
				h.cache = map[blockKey]highlighted{}
			}
			h.cache[key] = highlighted{string(data), diskKey}
		} else {
			if len(h.seen) >= maxSeen {
				h.seen = map[blockKey]struct{}{}
			}
			h.seen[key] = struct{}{}
		}
		h.cacheMu.Unlock()
		// A block met once is written as made, not copied into a string.
		noteKey(w, diskKey)
		_, err = w.Write(data)
		return err
	}
	noteKey(w, out.key)
	_, err := io.WriteString(w, out.html)
	return err
}

// blockBuffers are the buffers blocks are highlighted in before they are
// written to their page: a fresh one for each block was a tenth of a large
// build's allocation.
var blockBuffers = sync.Pool{New: func() any { return new([]byte) }}

const maxPooledBlock = 256 << 10

// noteKey notes a block's key in the persistent cache on a page's writer.
func noteKey(w io.Writer, key string) {
	if kw, ok := w.(*keyWriter); ok && key != "" {
		kw.keys = append(kw.keys, key)
	}
}

// highlightVia is highlight through the persistent cache, if any: the HTML
// and its key there ("" without one). HTML it makes goes into *buf (grown
// as needed); HTML from the cache is the cache's.
func (h *Highlighter) highlightVia(buf *[]byte, disk *hlcache.Cache, lang, code string, linenos bool, start int, emphasize []int) ([]byte, string, error) {
	var key string
	if disk != nil {
		lexer := h.Lexer(lang)
		if lexer == nil {
			lexer = h.fallback
		}
		// A fast lexer gives chroma's tokens (TestDifferential proves it),
		// so the HTML and the key are those of chroma's lexer: its name.
		key = disk.Key(lexer.Config().Name, linenos, start, emphasize, code)
		if data, ok := disk.Get(key); ok {
			return data, key, nil
		}
	}
	// Highlighted HTML is several times its code (spans and classes): sized
	// for that, not grown by doubling.
	if want := 6*len(code) + 512; cap(*buf) < want {
		*buf = make([]byte, 0, want)
	}
	data, err := h.appendHighlight((*buf)[:0], lang, code, linenos, start, emphasize)
	if err != nil {
		return nil, "", err
	}
	*buf = data
	if disk != nil {
		disk.Put(key, data) // written before it returns
	}
	return data, key, nil
}

// appendHighlight appends code's highlighted HTML to dst.
func (h *Highlighter) appendHighlight(dst []byte, lang, code string, linenos bool, start int, emphasize []int) ([]byte, error) {
	lexer := h.Lexer(lang)
	if lexer == nil {
		lexer = h.fallback
	}
	it, err := lexer.Tokenise(nil, code)
	if err != nil {
		// A lexer failure must never fail a build: render plain.
		dst = append(dst, "<pre><code>"...)
		dst = appendEscaped(dst, code)
		return append(dst, "</code></pre>"...), nil
	}
	if !linenos && len(emphasize) == 0 && start == 1 {
		return appendPlain(dst, it), nil
	}
	b := bytes.NewBuffer(dst)
	err = newFormatter(linenos, start, ranges(emphasize, start)).Format(b, h.style, it)
	return b.Bytes(), err
}

// ranges turns emphasized block lines into chroma's absolute line ranges.
func ranges(lines []int, start int) [][2]int {
	if len(lines) == 0 {
		return nil
	}
	s := slices.Clone(lines)
	slices.Sort(s)
	s = slices.Compact(s)
	var out [][2]int
	for _, n := range s {
		abs := n + start - 1
		if len(out) > 0 && out[len(out)-1][1] == abs-1 {
			out[len(out)-1][1] = abs
			continue
		}
		out = append(out, [2]int{abs, abs})
	}
	return out
}

// StyleSheet returns the highlighting CSS. Light and dark rules are each
// scoped to their own mode (the system preference unless the page sets
// data-theme), so a token class only one style defines never leaks into the
// other mode.
func StyleSheet() []byte {
	f := chromahtml.New(chromahtml.WithClasses(true))
	var b bytes.Buffer
	for _, mode := range []struct{ style, name, other string }{{"github", "light", "dark"}, {"github-dark", "dark", "light"}} {
		var css bytes.Buffer
		_ = f.WriteCSS(&css, styles.Get(mode.style))
		fmt.Fprintf(&b, "@media (prefers-color-scheme: %s) {\n", mode.name)
		scope(&b, css.String(), ":root:not([data-theme="+mode.other+"]) ")
		b.WriteString("}\n")
		scope(&b, css.String(), ":root[data-theme="+mode.name+"] ")
	}
	return b.Bytes()
}

func scope(b *bytes.Buffer, css, prefix string) {
	for _, line := range strings.SplitAfter(css, "\n") {
		if strings.HasPrefix(line, ".") || strings.HasPrefix(line, "/*") {
			b.WriteString(prefix + line)
		}
	}
}
