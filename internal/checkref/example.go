package checkref

import (
	"fmt"
	"slices"
	"strings"

	"github.com/docsgen/docsgen/internal/deployenv"
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
		v := e.Env[k]
		// A good secret shown in the docs would be a published one
		// (secrets.E003); a bad one is the point of its example.
		if !e.Fails && deployenv.IsSecret(k) && v != "" {
			v = "<your own value>"
		}
		out = append(out, fmt.Sprintf("in stack.env: `%s=%s`", k, v))
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
