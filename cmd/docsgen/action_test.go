package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// compositeAction is the part of action.yml a runner reads.
type compositeAction struct {
	Inputs map[string]struct {
		Default string `yaml:"default"`
	} `yaml:"inputs"`
	Runs struct {
		Using string       `yaml:"using"`
		Steps []actionStep `yaml:"steps"`
	} `yaml:"runs"`
}

type actionStep struct {
	Name             string            `yaml:"name"`
	If               string            `yaml:"if"`
	Uses             string            `yaml:"uses"`
	Shell            string            `yaml:"shell"`
	WorkingDirectory string            `yaml:"working-directory"`
	Env              map[string]string `yaml:"env"`
	Run              string            `yaml:"run"`
}

// TestAction runs action.yml's steps the way a runner does (bash -eo
// pipefail, inputs through env, a step after a failed one only when its
// if: says !cancelled()), setup-go aside: the Go running this test stands
// in for it. A site with problems gets every step run, annotations and a
// failure; a clean site passes all three.
func TestAction(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Fatalf("the action's steps need bash: %v", err)
	}
	repo, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(repo, "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var a compositeAction
	if err := yaml.Unmarshal(data, &a); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	if a.Runs.Using != "composite" {
		t.Fatalf("runs.using = %q", a.Runs.Using)
	}
	runner := &actionRunner{t: t, repo: repo, action: a, temp: t.TempDir()}
	runner.pathFile = filepath.Join(runner.temp, "github_path")

	broken := t.TempDir()
	writeFiles(t, broken, map[string]string{"content/index.md": "# Home\n\n[gone](missing.md)\n"})
	results := runner.run(map[string]string{"working-directory": broken, "deploy-dir": filepath.Join(repo, "examples", "insecure")})
	want := map[string]bool{"Install docsgen": true, "docsgen build": false, "docsgen linkcheck": false, "docsgen check --deploy": false}
	for name, ok := range want {
		r, ran := results[name]
		if !ran || r.ok != ok {
			t.Errorf("broken site: step %q ran=%v ok=%v, want it run with ok=%v\n%s", name, ran, r.ok, ok, r.out)
		}
	}
	for name, s := range map[string]string{
		"docsgen build":          "::warning file=content/index.md,line=3",
		"docsgen linkcheck":      "::error file=content/index.md,line=3",
		"docsgen check --deploy": "title=fairdm.E001::",
	} {
		if !strings.Contains(results[name].out, s) {
			t.Errorf("%s: no %q in\n%s", name, s, results[name].out)
		}
	}
	if !regexp.MustCompile(`(?m)^docsgen v1\.2\.3-action `).MatchString(results["docsgen build"].out) {
		t.Errorf("the installed docsgen does not carry the action's ref as its version:\n%s", results["docsgen build"].out)
	}

	clean := t.TempDir()
	writeFiles(t, clean, map[string]string{"content/index.md": "# Home\n\nSee [the guide](guide.md).\n\n```{toctree}\nguide\n```\n", "content/guide.md": "# Guide\n"})
	results = runner.run(map[string]string{"working-directory": clean, "deploy-dir": ownSecretsDeployment(t, filepath.Join(repo, "examples", "production"))})
	for name := range want {
		if r := results[name]; !r.ok {
			t.Errorf("clean site: step %q failed\n%s", name, r.out)
		}
	}
	if _, err := os.Stat(filepath.Join(clean, "public", "guide.html")); err != nil {
		t.Errorf("clean site: not built: %v", err)
	}
}

// TestWorkflowExample: the example workflow uses this action with inputs
// it declares, and uploads the folder docsgen builds into.
func TestWorkflowExample(t *testing.T) {
	var a compositeAction
	var wf struct {
		Jobs map[string]struct {
			Steps []struct {
				Uses string            `yaml:"uses"`
				With map[string]any    `yaml:"with"`
				Env  map[string]string `yaml:"env"`
			} `yaml:"steps"`
		} `yaml:"jobs"`
	}
	for file, v := range map[string]any{"action.yml": &a, ".github/workflows/docs.yml.example": &wf} {
		data, err := os.ReadFile(filepath.Join("..", "..", filepath.FromSlash(file)))
		if err != nil {
			t.Fatal(err)
		}
		if err := yaml.Unmarshal(data, v); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
	}
	uses, uploads := 0, 0
	for _, job := range wf.Jobs {
		for _, s := range job.Steps {
			switch {
			case strings.HasPrefix(s.Uses, "docsgen/docsgen@"):
				uses++
				for k := range s.With {
					if _, ok := a.Inputs[k]; !ok {
						t.Errorf("the example passes %s, which action.yml does not declare", k)
					}
				}
			case strings.HasPrefix(s.Uses, "actions/upload-pages-artifact@"):
				uploads++
				if s.With["path"] != "public" {
					t.Errorf("the example uploads %v, not public (docsgen's default output)", s.With["path"])
				}
			}
		}
	}
	if uses != 1 || uploads != 1 {
		t.Errorf("the example uses the action %d times and uploads %d times; want 1 and 1", uses, uploads)
	}
}

type stepResult struct {
	ok  bool
	out string
}

type actionRunner struct {
	t              *testing.T
	repo           string
	action         compositeAction
	temp, pathFile string
	installed      bool
}

var (
	exprRe = regexp.MustCompile(`\$\{\{\s*([^}]*?)\s*\}\}`)
	ifRe   = regexp.MustCompile(`^\$\{\{ !cancelled\(\) && inputs\.([\w-]+) (==|!=) '([^']*)' \}\}$`)
)

// run runs the steps with inputs (the rest at their defaults); the
// install step only the first time.
func (r *actionRunner) run(inputs map[string]string) map[string]stepResult {
	t := r.t
	input := func(name string) string {
		in, ok := r.action.Inputs[name]
		if !ok {
			t.Fatalf("action.yml uses an undeclared input %q", name)
		}
		if v, ok := inputs[name]; ok {
			return v
		}
		return in.Default
	}
	expand := func(s string) string {
		return exprRe.ReplaceAllStringFunc(s, func(m string) string {
			expr := exprRe.FindStringSubmatch(m)[1]
			switch {
			case strings.HasPrefix(expr, "inputs."):
				return input(strings.TrimPrefix(expr, "inputs."))
			case expr == "github.action_path":
				return r.repo
			case expr == "github.action_ref":
				return "v1.2.3-action"
			}
			t.Fatalf("action.yml: an expression this test does not know: %s", m)
			return ""
		})
	}
	results := map[string]stepResult{}
	failed := false
	for _, s := range r.action.Runs.Steps {
		if s.Uses != "" {
			continue // setup-go: this test runs under a Go toolchain already
		}
		if s.Shell != "bash" {
			t.Fatalf("step %q: shell %q; composite steps need shell: bash", s.Name, s.Shell)
		}
		if s.Name == "Install docsgen" && r.installed {
			results[s.Name] = stepResult{ok: true}
			continue
		}
		switch {
		case s.If == "":
			if failed {
				continue
			}
		default:
			m := ifRe.FindStringSubmatch(s.If)
			if m == nil {
				t.Fatalf("step %q: an if: this test does not know: %s", s.Name, s.If)
			}
			if (input(m[1]) == m[3]) != (m[2] == "==") {
				continue
			}
		}
		script := filepath.Join(r.temp, "step.sh")
		if err := os.WriteFile(script, []byte(s.Run), 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", script)
		cmd.Dir = expand(s.WorkingDirectory)
		cmd.Env = append(os.Environ(), "RUNNER_TEMP="+r.temp, "GITHUB_PATH="+r.pathFile, "GITHUB_ACTIONS=true", "PATH="+r.path())
		for k, v := range s.Env {
			cmd.Env = append(cmd.Env, k+"="+expand(v))
		}
		out, err := cmd.CombinedOutput()
		results[s.Name] = stepResult{ok: err == nil, out: string(out)}
		if err != nil {
			failed = true
		}
		if s.Name == "Install docsgen" {
			if err != nil {
				t.Fatalf("install: %v\n%s", err, out)
			}
			r.installed = true
		}
	}
	return results
}

// path is PATH with what steps added to GITHUB_PATH first, as a runner
// does for the steps that follow.
func (r *actionRunner) path() string {
	data, _ := os.ReadFile(r.pathFile)
	var dirs []string
	for _, l := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		if l != "" {
			dirs = append([]string{l}, dirs...)
		}
	}
	return strings.Join(append(dirs, os.Getenv("PATH")), string(os.PathListSeparator))
}

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(fmt.Errorf("%s: %w", name, err))
		}
	}
}

// ownSecretsDeployment copies the example deployment with secrets of its
// own: the example's are published in the docs, which secrets.E003 refuses.
func ownSecretsDeployment(t *testing.T, example string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(example)); err != nil {
		t.Fatal(err)
	}
	stack := filepath.Join(dir, "stack.env")
	text, err := os.ReadFile(stack)
	if err != nil {
		t.Fatal(err)
	}
	fresh := map[string]string{
		"DJANGO_SECRET_KEY":   "kT3vQ9mB7xR2pL8wZ5nC1hF6jD4sG0aY9eU2iO5uV8bN3qW7rE",
		"POSTGRES_PASSWORD":   "Jm5Xq2Rv8Lp4Tz7Wn3Kb",
		"MINIO_ROOT_PASSWORD": "Pw7Zr3Nq9Vx2Lm6Tb4Kj",
		"FLOWER_BASIC_AUTH":   "ops:$$apr1$$q7w8e9$$Lm2Nb3Vc4Xz5As6Df7Gh8J",
	}
	lines := strings.Split(string(text), "\n")
	for i, line := range lines {
		name, _, ok := strings.Cut(line, "=")
		if v, own := fresh[name]; ok && own {
			lines[i] = name + "=" + v
			delete(fresh, name)
		}
	}
	if len(fresh) > 0 {
		t.Fatalf("the example's stack.env no longer sets %v", fresh)
	}
	if err := os.WriteFile(stack, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}
