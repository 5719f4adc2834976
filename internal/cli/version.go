package cli

import (
	"cmp"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
)

// Release stamping: scripts/release.sh (and so the Dockerfile) sets these
// with -ldflags -X, the only way to put a version into a binary at link
// time, so they are package variables; nothing writes them at run time.
// Each one set wins over what the build info says.
var (
	stampVersion string // v1.2.3
	stampCommit  string // the full commit hash
	stampDate    string // the commit's date, RFC 3339
)

// version says which docsgen this is, from what the Go toolchain stamped
// into the binary: the module version (a tagged `go install` gives
// v1.2.3; a build from a clone gives (devel)), the commit and its date
// when built in a git checkout, and the Go version; a release build's
// stamps replace the first three.
func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		bi = &debug.BuildInfo{}
	}
	v := bi.Main.Version
	if v == "" {
		v = "(devel)"
	}
	if !ok && stampVersion == "" {
		return "docsgen (unknown version)"
	}
	var rev, at, dirty string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value[:min(12, len(s.Value))]
		case "vcs.time":
			at = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "+changes"
			}
		}
	}
	if stampVersion != "" {
		v = stampVersion
	}
	if stampCommit != "" {
		hash, changes := strings.CutSuffix(stampCommit, "+changes")
		rev, dirty = hash[:min(12, len(hash))], ""
		if changes {
			dirty = "+changes"
		}
	}
	if stampDate != "" {
		at = stampDate
	}
	out := "docsgen " + v
	if rev != "" {
		out += " commit " + rev + dirty
	}
	if at != "" {
		out += " " + at
	}
	return strings.TrimSpace(out + " " + cmp.Or(bi.GoVersion, runtime.Version()))
}

func newVersionCmd(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print docsgen's version, commit and Go version",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			_, err := fmt.Fprintln(stdout, version())
			return err
		},
	}
}
