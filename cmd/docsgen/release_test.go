package main

import (
	"crypto/sha256"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

// TestReleaseScript builds one target, this machine's, with
// scripts/release.sh and checks what a user downloading it relies on: the
// binary says the stamped version and the commit it was built from, it is
// static, and SHA256SUMS holds its checksum in sha256sum's format.
func TestReleaseScript(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Fatalf("the release script needs go on PATH: %v", err)
	}
	dist := t.TempDir()
	target := runtime.GOOS + "/" + runtime.GOARCH
	cmd := exec.Command("sh", filepath.Join("..", "..", "scripts", "release.sh"), "v0.0.0-test.1", target)
	cmd.Env = append(os.Environ(), "DIST="+dist)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("release.sh: %v\n%s", err, out)
	}
	name := fmt.Sprintf("docsgen_0.0.0-test.1_%s_%s", runtime.GOOS, runtime.GOARCH)
	if runtime.GOOS == "windows" {
		name += ".exe"
	}
	bin := filepath.Join(dist, name)
	out, err := exec.Command(bin, "version").Output()
	if err != nil {
		t.Fatalf("%s version: %v", name, err)
	}
	// The commit is stamped when the repository is a git checkout.
	want := `^docsgen v0\.0\.0-test\.1( commit [0-9a-f]{12}(\+changes)? \S+)? go1\.\d+`
	if _, err := os.Stat(filepath.Join("..", "..", ".git")); err == nil {
		want = `^docsgen v0\.0\.0-test\.1 commit [0-9a-f]{12}(\+changes)? \d{4}-\d\d-\d\dT\S+ go1\.\d+`
	}
	if !regexp.MustCompile(want).Match(out) {
		t.Errorf("%s version = %q, want it to match %s", name, out, want)
	}
	data, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	sums, err := os.ReadFile(filepath.Join(dist, "SHA256SUMS"))
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("%x  %s\n", sha256.Sum256(data), name); string(sums) != want {
		t.Errorf("SHA256SUMS = %q, want %q", sums, want)
	}
	if runtime.GOOS == "linux" && strings.Contains(string(data), "/lib64/ld-linux") {
		t.Error("the binary asks for a dynamic loader: it is not static")
	}
	// A bad version or target is refused before anything is built.
	for _, args := range [][]string{{"1.0"}, {"v1.0.0", "linux"}} {
		cmd := exec.Command("sh", append([]string{filepath.Join("..", "..", "scripts", "release.sh")}, args...)...)
		cmd.Env = append(os.Environ(), "DIST="+t.TempDir())
		if out, err := cmd.CombinedOutput(); err == nil || cmd.ProcessState.ExitCode() != 2 {
			t.Errorf("release.sh %v: %v, want exit 2\n%s", args, err, out)
		}
	}
}
