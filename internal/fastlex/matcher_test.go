package fastlex

import (
	"slices"
	"testing"

	"github.com/dlclark/regexp2/v2"
)

// matcherPatterns exercise each construct the matcher takes, and their
// interplay with backtracking: loop kinds and bounds, alternation order,
// captures given back, atomic groups, lookarounds, anchors, \b.
var matcherPatterns = []string{
	`a*`, `a+?b`, `a{2,3}`, `a{1,2}?a`, `[ab]+b`, `[^b]*b`, `(a|ab)(c|bcd)?`, `(a*)(a)`, `(a*?)(a+)`,
	`(?:ab|a)*b`, `(?:a|b)+?b`, `(?>a*)a`, `(?>a|ab)b`, `a(?=b)`, `a(?!b)`, `(?<!a)b`, `(?<=ab)c`,
	`^a`, `a$`, `\ba\w*\b`, `\Ba`, `(\b\w+)(\s*)(\+?=)`, `((?:(?!//)[^"\n{#])*?)(:)( )`, `"(?:\\.|[^"])*"`,
	`(?:ab)+?(ab)*`, `(?:ab|a)*?b`, `(?:a(b))+?(b)?`, `(?:a[ =]){1,2}?a`,
	`(a)|b`, `(a)*`, `(ab)+`, `(?:(a)|(b))+`, `\s+`, `[^\S\n]+`, `.*`, `(?s).*`, `a\z`, `a\Z`, `\Aa`,
	`(?:a|b|)+`, `(a*)*`, `(?i)ab`,
}

// TestMatcherAgainstRegexp2 runs every pattern at every position of every
// short text over a small alphabet, with the matcher (where it takes the
// pattern) and with regexp2, and requires the same groups.
func TestMatcherAgainstRegexp2(t *testing.T) {
	alphabet := []rune("ab =:\n/\"")
	var texts [][]rune
	var grow func(prefix []rune)
	grow = func(prefix []rune) {
		texts = append(texts, prefix)
		if len(prefix) == 4 {
			return
		}
		for _, r := range alphabet {
			grow(append(slices.Clone(prefix), r))
		}
	}
	grow(nil)
	taken := 0
	for _, p := range matcherPatterns {
		pattern := `\G(?m)(?:` + p + `)`
		re := regexp2.MustCompile(pattern)
		m := newMatcher(pattern, re)
		if m == nil {
			continue
		}
		taken++
		for _, text := range texts {
			for pos := 0; pos < len(text); pos++ {
				var want []string
				if match, err := re.FindRunesMatchStartingAt(text, pos); err == nil && match != nil && match.RuneIndex == pos {
					for _, g := range match.Groups() {
						want = append(want, g.String())
					}
				}
				if got := m.match(new(state), text, pos); !slices.Equal(got, want) {
					t.Fatalf("%s on %q at %d: matcher %q, regexp2 %q", p, string(text), pos, got, want)
				}
			}
		}
	}
	// The last three are beyond the matcher (a loop that can match empty,
	// case-insensitive nodes may be folded into classes by the parser);
	// most must be taken or the test proves little.
	if taken < len(matcherPatterns)-3 {
		t.Errorf("the matcher takes only %d of %d patterns", taken, len(matcherPatterns))
	}
}
