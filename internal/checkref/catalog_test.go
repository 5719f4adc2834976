package checkref

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/docsgen/docsgen/examples"
	"github.com/docsgen/docsgen/internal/deployenv"
	"github.com/docsgen/docsgen/internal/diag"
)

var idRe = regexp.MustCompile(`^[a-z]+\.[EWI]\d{3}$`)

func TestCatalogShape(t *testing.T) {
	all := All()
	ids := make([]string, len(all))
	for i, c := range all {
		ids[i] = c.ID
		if !idRe.MatchString(c.ID) {
			t.Errorf("%s: ID does not look like area.E001", c.ID)
		}
		if want := map[diag.Severity]byte{diag.Error: 'E', diag.Warning: 'W', diag.Info: 'I'}[c.Severity]; c.ID[strings.Index(c.ID, ".")+1] != want {
			t.Errorf("%s: severity %s does not match the ID's letter", c.ID, c.Severity)
		}
		if c.Title == "" || c.Doc == "" || c.Why == "" || c.Fix == "" || c.Run == nil || len(c.Tags) == 0 {
			t.Errorf("%s: title, doc, why, fix, tags and run are all required", c.ID)
		}
		var fails, passes int
		for _, e := range c.Examples {
			if e.Fails {
				fails++
			} else {
				passes++
			}
		}
		if fails == 0 || passes == 0 {
			t.Errorf("%s: needs a failing and a passing example (has %d and %d)", c.ID, fails, passes)
		}
		if !slices.ContainsFunc(Areas, func(a struct{ ID, Title, Summary string }) bool { return a.ID == c.Area() }) {
			t.Errorf("%s: area %q is not in Areas", c.ID, c.Area())
		}
	}
	if !slices.IsSorted(ids) {
		t.Errorf("All() is not sorted by ID: %v", ids)
	}
	if len(slices.Compact(slices.Clone(ids))) != len(ids) {
		t.Errorf("duplicate IDs in %v", ids)
	}
}

func runExample(t *testing.T, e Example) []Finding {
	t.Helper()
	dir := t.TempDir()
	if err := writeExample(e, dir); err != nil {
		t.Fatal(err)
	}
	d, err := deployenv.Load(context.Background(), deployenv.Options{Dir: dir})
	if err != nil {
		t.Fatalf("example deployment does not load: %v", err)
	}
	return Run(NewInput(d), Selected(Options{Deploy: true}))
}

// TestExamplesExecute runs every documented example: a failing example must
// fail with its check's ID, a passing one must not. The catalog page shows
// these same examples, so the documentation cannot claim what the validator
// does not do.
func TestExamplesExecute(t *testing.T) {
	for _, c := range All() {
		for _, e := range c.Examples {
			t.Run(c.ID+"/"+e.Title, func(t *testing.T) {
				findings := runExample(t, e)
				got := slices.ContainsFunc(findings, func(f Finding) bool { return f.ID == c.ID })
				if got != e.Fails {
					t.Errorf("fails = %v, want %v; findings: %+v", got, e.Fails, findings)
				}
			})
		}
	}
}

// TestProductionExamplePasses: the example deployment the guide includes
// passes every check, with and without a system environment, but
// secrets.E003: its secrets are published, so a copy of it must fail.
func TestProductionExamplePasses(t *testing.T) {
	for _, environ := range [][]string{nil, {"PATH=/usr/bin", "DJANGO_DOMAIN=portal.example.org"}} {
		d, err := deployenv.Load(context.Background(), deployenv.Options{Dir: "../../examples/production", Environ: environ})
		if err != nil {
			t.Fatal(err)
		}
		f := Run(NewInput(d), Selected(Options{Deploy: true}))
		published := slices.DeleteFunc(slices.Clone(f), func(f Finding) bool { return f.ID != "secrets.E003" })
		if len(f) != len(published) || len(published) == 0 {
			t.Errorf("examples/production: want only secrets.E003 findings, got %+v", f)
		}
	}
}

func TestMain(m *testing.M) {
	os.Exit(m.Run())
}

// writeExample writes the example deployment e into dir.
func writeExample(e Example, dir string) error {
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

// TestSettingsModelNamesRealChecks: every check ID the settings model
// lists exists, so the reference's links land.
func TestSettingsModelNamesRealChecks(t *testing.T) {
	var ids []string
	for _, v := range AppVars {
		ids = append(ids, v.Checks...)
	}
	for _, h := range HardCodedSettings {
		ids = append(ids, h.Checks...)
		if !slices.ContainsFunc(IgnoredVars, func(v IgnoredVar) bool { return v.Name == h.Ignored }) {
			t.Errorf("%s: the variable %s that has no effect is not in IgnoredVars", h.Setting, h.Ignored)
		}
	}
	for _, id := range ids {
		if _, ok := Lookup(id); !ok {
			t.Errorf("the settings model names check %s, which does not exist", id)
		}
	}
	for _, id := range djangoIDs {
		if _, ok := Lookup(id); !ok {
			t.Errorf("djangoIDs names %s, which is not in the catalog", id)
		}
	}
}

// TestAppOnlyChecksAreNotRun: a check the catalog runs is not also listed as
// one the validator leaves out.
func TestAppOnlyChecksAreNotRun(t *testing.T) {
	for _, c := range AppOnlyChecks {
		if _, ok := Lookup(c.ID); ok {
			t.Errorf("%s is in the catalog and in AppOnlyChecks", c.ID)
		}
	}
}

// TestPublishedSecrets: the example deployment's secrets and the failing
// examples' secrets count as published; a passing example's own secrets are
// not shown on the page, so they do not.
func TestPublishedSecrets(t *testing.T) {
	published := publishedSecrets(All())
	for _, v := range []string{
		"EXAMPLE-ONLY-published-key-Zq8vN3xK7pL2mR9tW4yB6cF1hJ5dG0sA8eU3iO7nV2b", // examples/production
		"Zq8vN3xK7pL2mR9tW4yB6cF1hJ5dG0sA8eU3iO7nV2bX6kM9qT4wY1zC5rE0uH3j",       // secrets.E001's failing example
		"django-insecure-dev-key-CHANGE-THIS-IN-PRODUCTION",                      // examples/insecure
	} {
		if !published[v] {
			t.Errorf("%s… is shown in the docs but not counted as published", v[:16])
		}
	}
	for k, v := range ownSecrets {
		if published[strings.Trim(v, "'")] {
			t.Errorf("the own %s of secrets.E003's passing example counts as published", k)
		}
		for _, c := range (Example{Env: ownSecrets}).Changes() {
			if strings.Contains(c, v) {
				t.Errorf("a passing example shows the secret %s: %s", k, c)
			}
		}
	}
}

// TestProxiedSecretNotShown: a secret starting with $ is read as a variable
// name; the findings explain that without printing the name, which is the
// secret's own text.
func TestProxiedSecretNotShown(t *testing.T) {
	const key = "q8vN3xK7pL2mR9tW4yB6cF1hJ5dG0sA8eU3iO7nV2bX6kM9qT4wY1zC5rE0uH3j"
	for _, f := range runExample(t, Example{Env: map[string]string{"DJANGO_SECRET_KEY": "'$" + key + "'"}}) {
		if strings.Contains(f.Message, key[:12]) {
			t.Errorf("%s shows the secret: %s", f.ID, f.Message)
		}
	}
}
