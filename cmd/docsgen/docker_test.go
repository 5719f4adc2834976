package main

import (
	"context"
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestDockerImage checks the image in two layers. Always (CI has no
// container engine): the Dockerfile's final stage is what the README
// promises (a static base, the binary as entrypoint, /docs as working
// folder, build by default), and the binary its build stage makes with
// release.sh is static and builds a site mounted as /docs would be, run
// as the image runs it. With an engine that answers, the real image is
// built and run too; every failure then fails (building pulls the base
// images, so it needs the registry).
func TestDockerImage(t *testing.T) {
	checkImageContract(t)
	engine := ""
	for _, name := range []string{"docker", "podman"} {
		if _, err := exec.LookPath(name); err == nil {
			engine = name
			break
		}
	}
	if engine == "" {
		t.Log("no container engine (docker or podman) on PATH: the image itself is not built")
		return
	}
	if out, err := exec.Command(engine, "info").CombinedOutput(); err != nil {
		t.Logf("%s is installed but does not answer (%s info: %v): the image itself is not built\n%s", engine, engine, err, lastLine(out))
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
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

// checkImageContract reads the Dockerfile and runs, without a container,
// what its stages do.
func checkImageContract(t *testing.T) {
	text, err := os.ReadFile(filepath.Join("..", "..", "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	stages := strings.Split(string(text), "\nFROM ")[1:] // [0] is the header comment
	if len(stages) != 2 {
		t.Fatalf("Dockerfile: want two stages (build, then the static image), got %d", len(stages))
	}
	build, final := "FROM "+stages[0], "FROM "+stages[1]
	for _, want := range []string{"FROM golang:", "scripts/release.sh", "cp /out/docsgen_"} {
		if !strings.Contains(build, want) {
			t.Errorf("Dockerfile build stage: no %q", want)
		}
	}
	for _, want := range []string{"FROM gcr.io/distroless/static", "COPY --from=build /docsgen /usr/local/bin/docsgen",
		"WORKDIR /docs", `ENTRYPOINT ["/usr/local/bin/docsgen"]`, `CMD ["build"]`} {
		if !strings.Contains(final, want) {
			t.Errorf("Dockerfile final stage: no %q", want)
		}
	}

	// The build stage's binary, for this machine's architecture: it must
	// be static, since the distroless base has no C library.
	dist := t.TempDir()
	cmd := exec.Command("sh", filepath.Join("..", "..", "scripts", "release.sh"), "v0.0.0-image", "linux/"+runtime.GOARCH)
	cmd.Env = append(os.Environ(), "DIST="+dist)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("release.sh as the Dockerfile runs it: %v\n%s", err, out)
	}
	bin := filepath.Join(dist, "docsgen_0.0.0-image_linux_"+runtime.GOARCH)
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Errorf("%s asks for a dynamic loader: it would not start on a static base image", bin)
		}
	}
	if runtime.GOOS != "linux" {
		return
	}
	// Run as the image does: the mounted project is the working folder and
	// the arguments are CMD's.
	site := t.TempDir()
	os.MkdirAll(filepath.Join(site, "content"), 0o755)
	os.WriteFile(filepath.Join(site, "content", "index.md"), []byte("# From the image's binary\n"), 0o644)
	run := exec.Command(bin, "build")
	run.Dir = site
	if out, err := run.CombinedOutput(); err != nil {
		t.Fatalf("docsgen build in the mounted folder: %v\n%s", err, out)
	}
	if b, err := os.ReadFile(filepath.Join(site, "public", "index.html")); err != nil || !strings.Contains(string(b), "From the image") {
		t.Errorf("the image's default command wrote no page: %v", err)
	}
}
