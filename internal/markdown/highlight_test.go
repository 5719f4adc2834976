package markdown

import (
	"strings"
	"testing"
	"time"

	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/dlclark/regexp2/v2"
)

// TestMatchTimeoutsRelaxed proves the highlighter relaxes the timeouts of
// the regexp2 that chroma's rules run on: a match that takes far longer than
// its MatchTimeout still completes, so a loaded machine cannot turn a slow
// rule into an "err" token.
func TestMatchTimeoutsRelaxed(t *testing.T) {
	NewHighlighter()
	re := regexp2.MustCompile(`\G(?:(a|aa)+b)`)
	re.MatchTimeout = time.Millisecond
	// Exponential backtracking: no match, after far more than 1 ms.
	input := []rune(strings.Repeat("a", 31) + "c")
	start := time.Now()
	m, err := re.FindRunesMatchStartingAt(input, 0)
	if err != nil {
		t.Fatalf("match timed out after %v: %v", time.Since(start), err)
	}
	if m != nil {
		t.Fatalf("unexpected match %q", m.String())
	}
	if took := time.Since(start); took < 300*time.Millisecond {
		t.Logf("the match took only %v; the test proves little on this machine", took)
	}
}

// TestFastLexersInUse: a highlighter made without DOCSGEN_NO_FAST_LEXERS
// lexes every fast language, and plain text, with a fast lexer (so the
// same-HTML test in internal/build compares two different paths), and one
// made with it uses chroma's.
func TestFastLexersInUse(t *testing.T) {
	t.Setenv(noFastLexersEnv, "")
	h := NewHighlighter()
	if h.fast != nil {
		t.Error("fast lexers built before anything was highlighted")
	}
	h.Lexer("bash")
	if h.fast == nil {
		_, err := fastLexers()
		t.Fatalf("no fast lexers: %v", err)
	}
	for _, lang := range []string{"bash", "console", "shell-session", "dotenv", "yaml", "python", "json", "toml", "ini", "docker", "go"} {
		if h.fast.Get(lexers.Get(languageAliasOr(lang))) == nil {
			t.Errorf("%s: no fast lexer", lang)
		}
	}
	if h.fallback == lexers.Fallback {
		t.Error("plain text is lexed by chroma's fallback, not its fast lexer")
	}
	t.Setenv(noFastLexersEnv, "1")
	h = NewHighlighter()
	h.Lexer("bash")
	if h.fast != nil || h.fallback != lexers.Fallback {
		t.Errorf("%s=1 still lexes with fast lexers", noFastLexersEnv)
	}
}

func languageAliasOr(lang string) string {
	if a, ok := languageAliases[lang]; ok {
		return a
	}
	return lang
}

// TestHighlightMemoKeepsRepeatedBlocks: a block's HTML is kept only once
// the block is met a second time (most are met once), the same bytes every
// time; its options are part of what identifies it.
func TestHighlightMemoKeepsRepeatedBlocks(t *testing.T) {
	h := NewHighlighter()
	run := func(code string, linenos bool, start int, emphasize []int) string {
		var b strings.Builder
		if err := h.Highlight(&b, "bash", code, linenos, start, emphasize); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	code := "echo hello\nls -l\n"
	first := run(code, false, 1, nil)
	if len(h.cache) != 0 || len(h.seen) != 1 {
		t.Fatalf("after one block: %d kept, %d seen; want 0 and 1", len(h.cache), len(h.seen))
	}
	if again := run(code, false, 1, nil); again != first || len(h.cache) != 1 {
		t.Fatalf("the second time: same HTML %v, %d kept; want true and 1", again == first, len(h.cache))
	}
	if third := run(code, false, 1, nil); third != first {
		t.Fatal("the kept HTML differs from the first")
	}
	// The same code with other options is another block.
	numbered := run(code, true, 1, nil)
	for i, v := range []string{numbered, run(code, false, 1, []int{2}), run(code, false, 1, []int{1, 2})} {
		if v == first {
			t.Errorf("variant %d has the plain block's HTML", i)
		}
	}
	if run(code, true, 12, nil) == numbered {
		t.Error("numbered from 12 has the HTML of numbered from 1")
	}
	if keyOf("bash", code, false, 1, []int{1, 2}) == keyOf("bash", code, false, 1, []int{12}) ||
		keyOf("bash", code, false, 12, nil) == keyOf("bash", code, false, 1, []int{2}) ||
		keyOf("ba", "sh"+code, false, 1, nil) == keyOf("bash", code, false, 1, nil) {
		t.Error("distinct blocks share a key")
	}
}
