package directives

import (
	"slices"
	"testing"
)

// lineStarts is every offset a line starts at: 0, and after each LF that
// is not the text's last byte.
func TestLineStarts(t *testing.T) {
	for in, want := range map[string][]int{
		"": {0}, "a": {0}, "\n": {0}, "a\n": {0}, "a\nb": {0, 2}, "\n\n": {0, 1},
		"a\n\nb\n": {0, 2, 3}, "ab\ncd\nef": {0, 3, 6},
	} {
		if got := lineStarts([]byte(in)); !slices.Equal(got, want) {
			t.Errorf("lineStarts(%q) = %v, want %v", in, got, want)
		}
	}
}
