package checkref

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/docsgen/docsgen/examples"
)

// Example is a documented case of a check: the example production
// deployment (examples/production, which passes every check) with a few
// changes. The tests run every example; the catalog page shows them.
type Example struct {
	Title string
	// Fails says the check must report a finding on this example.
	Fails bool
	// Env sets variables in stack.env ("" sets an empty value).
	Env map[string]string
	// Unset removes variables from stack.env.
	Unset []string
	// Compose edits production.yml: each Old text is replaced by New.
	Compose []Edit
	// Files adds or replaces files of the deployment.
	Files map[string]string
}

// Edit replaces the first occurrence of Old with New.
type Edit struct{ Old, New string }

// Changes describes the example's changes as Markdown list items.
func (e Example) Changes() []string {
	var out []string
	for _, k := range sortedKeys(e.Env) {
		out = append(out, fmt.Sprintf("in stack.env: `%s=%s`", k, e.Env[k]))
	}
	for _, k := range e.Unset {
		out = append(out, fmt.Sprintf("remove `%s` from stack.env", k))
	}
	for _, ed := range e.Compose {
		if strings.TrimSpace(ed.New) == "" {
			out = append(out, fmt.Sprintf("in production.yml, delete `%s`", strings.TrimSpace(ed.Old)))
			continue
		}
		out = append(out, fmt.Sprintf("in production.yml, replace `%s` with `%s`", strings.TrimSpace(ed.Old), strings.TrimSpace(ed.New)))
	}
	for _, k := range sortedKeys(e.Files) {
		out = append(out, fmt.Sprintf("add %s: `%s`", k, strings.TrimSpace(e.Files[k])))
	}
	if len(out) == 0 {
		out = append(out, "the example deployment as it is")
	}
	return out
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Apply writes the example deployment into dir.
func (e Example) Apply(dir string) error {
	if err := os.CopyFS(dir, examples.Production()); err != nil {
		return err
	}
	stackPath := filepath.Join(dir, "stack.env")
	stack, err := os.ReadFile(stackPath)
	if err != nil {
		return err
	}
	lines := strings.Split(strings.TrimRight(string(stack), "\n"), "\n")
	set := func(key, line string) {
		for i, l := range lines {
			if strings.HasPrefix(l, key+"=") {
				if line == "" {
					lines = append(lines[:i], lines[i+1:]...)
				} else {
					lines[i] = line
				}
				return
			}
		}
		if line != "" {
			lines = append(lines, line)
		}
	}
	for _, k := range sortedKeys(e.Env) {
		set(k, k+"="+e.Env[k])
	}
	for _, k := range e.Unset {
		set(k, "")
	}
	if err := os.WriteFile(stackPath, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		return err
	}
	composePath := filepath.Join(dir, "production.yml")
	compose, err := os.ReadFile(composePath)
	if err != nil {
		return err
	}
	text := string(compose)
	for _, ed := range e.Compose {
		if !strings.Contains(text, ed.Old) {
			return fmt.Errorf("example %q: production.yml has no %q", e.Title, ed.Old)
		}
		text = strings.Replace(text, ed.Old, ed.New, 1)
	}
	if err := os.WriteFile(composePath, []byte(text), 0o644); err != nil {
		return err
	}
	for name, content := range e.Files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			return err
		}
	}
	return nil
}
