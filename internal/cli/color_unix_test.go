//go:build unix

package cli

import (
	"os"
	"testing"
)

// TestColorAuto: --color auto colours a character device (what a terminal
// is; /dev/null stands in for one) unless NO_COLOR is set and not empty or
// TERM is dumb; never a file or a pipe; always and never are absolute.
func TestColorAuto(t *testing.T) {
	dev, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer dev.Close()
	file, err := os.Create(t.TempDir() + "/out")
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	for _, tc := range []struct {
		color, noColor, term string
		w                    *os.File
		want                 bool
	}{
		{"auto", "", "xterm", dev, true},
		{"auto", "1", "xterm", dev, false},
		{"auto", "", "dumb", dev, false},
		{"auto", "", "xterm", file, false},
		{"always", "1", "dumb", file, true},
		{"never", "", "xterm", dev, false},
	} {
		t.Setenv("NO_COLOR", tc.noColor)
		t.Setenv("TERM", tc.term)
		g := &globals{color: tc.color}
		if got := g.colorOn(tc.w); got != tc.want {
			t.Errorf("--color %s, NO_COLOR=%q, TERM=%s, %s: colour %v, want %v", tc.color, tc.noColor, tc.term, tc.w.Name(), got, tc.want)
		}
	}
}
