package markdown

import (
	"strings"
	"testing"
	"time"

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
