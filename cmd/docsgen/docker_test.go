package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestDockerImage builds the Dockerfile's image and builds a site with it,
// mounted as the README says. It needs a container engine that answers:
// without docker or podman on PATH, or with one whose daemon is not
// running, it skips and says which (CI has none). With an engine that
// answers, every failure fails: a broken Dockerfile cannot hide.
// Building pulls the base images, so it needs the registry.
func TestDockerImage(t *testing.T) {
	engine := ""
	for _, name := range []string{"docker", "podman"} {
		if _, err := exec.LookPath(name); err == nil {
			engine = name
			break
		}
	}
	if engine == "" {
		t.Skip("no container engine (docker or podman) on PATH: the image is not built")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	if out, err := exec.CommandContext(ctx, engine, "info").CombinedOutput(); err != nil {
		t.Skipf("%s is installed but does not answer (%s info: %v): the image is not built\n%s", engine, engine, err, lastLine(out))
	}
	run := func(args ...string) string {
		t.Helper()
		out, err := exec.CommandContext(ctx, engine, args...).CombinedOutput()
		if err != nil {
			t.Fatalf("%s %s: %v\n%s", engine, strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	tag := "docsgen-test:" + strings.ToLower(strings.ReplaceAll(t.Name(), "/", "-"))
	run("build", "--build-arg", "VERSION=v0.0.0-image", "-t", tag, filepath.Join("..", ".."))
	defer exec.Command(engine, "rmi", "-f", tag).Run()
	if v := run("run", "--rm", tag, "version"); !strings.HasPrefix(v, "docsgen v0.0.0-image") {
		t.Errorf("version in the image: %q", v)
	}
	site := t.TempDir()
	os.MkdirAll(filepath.Join(site, "content"), 0o755)
	os.WriteFile(filepath.Join(site, "content", "index.md"), []byte("# From a container\n"), 0o644)
	args := []string{"run", "--rm", "-v", site + ":/docs"}
	if os.Getuid() >= 0 { // as the README says: the files stay the user's
		args = append(args, "-u", strconv.Itoa(os.Getuid())+":"+strconv.Itoa(os.Getgid()))
	}
	run(append(args, tag, "build", "--strict")...)
	if b, err := os.ReadFile(filepath.Join(site, "public", "index.html")); err != nil || !strings.Contains(string(b), "From a container") {
		t.Errorf("the container's build wrote no page: %v", err)
	}
}

func lastLine(b []byte) string {
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	return lines[len(lines)-1]
}
