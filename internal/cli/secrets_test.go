package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/docsgen/docsgen/internal/deployenv"
)

// secretValues collects every secret value a deployment holds: values of
// secret-named variables in every service, and passwords inside URLs.
func secretValues(t *testing.T, dir string) []string {
	t.Helper()
	d, err := deployenv.Load(context.Background(), deployenv.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	var out []string
	add := func(v string) {
		// Very short values ("1", "True") would match anywhere; no fixture
		// secret is that short.
		if len(v) >= 6 && !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	for _, s := range d.Services {
		for name, v := range s.Vars {
			if deployenv.IsSecret(name) {
				add(v.Value)
			}
			if i := strings.Index(v.Value, "://"); i >= 0 {
				if at := strings.LastIndex(v.Value, "@"); at > i {
					if _, pw, ok := strings.Cut(v.Value[i+3:at], ":"); ok {
						add(pw)
					}
				}
			}
		}
	}
	if len(out) == 0 {
		t.Fatalf("%s: no secrets found; the test would prove nothing", dir)
	}
	return out
}

// TestNoSecretsInOutput runs every output format of check and env over the
// fixtures and greps the output for their secret values.
func TestNoSecretsInOutput(t *testing.T) {
	for _, fixture := range []string{"production", "insecure"} {
		dir := filepath.Join("..", "..", "examples", fixture)
		secrets := secretValues(t, dir)
		runs := [][]string{
			{"check", "--deploy", "--dir", dir, "--format", "text"},
			{"check", "--deploy", "--dir", dir, "--format", "json"},
			{"check", "--deploy", "--dir", dir, "--format", "github"},
			{"check", "--dir", dir},
			{"env", "--dir", dir},
			{"env", "--dir", dir, "--format", "json"},
		}
		for _, svc := range []string{"celeryworker", "flower", "minio", "postgres"} {
			runs = append(runs, []string{"env", "--dir", dir, "--service", svc}, []string{"env", "--dir", dir, "--service", svc, "--format", "json"})
		}
		for _, args := range runs {
			var stdout, stderr bytes.Buffer
			Main(context.Background(), args, &stdout, &stderr)
			out := stdout.String() + stderr.String()
			if len(out) < 20 {
				t.Errorf("%v printed almost nothing: %q", args, out)
			}
			for _, s := range secrets {
				if strings.Contains(out, s) {
					t.Errorf("docsgen %s prints a secret value (%d characters, starting %q)", strings.Join(args, " "), len(s), s[:2])
				}
			}
		}
	}
	// --show-secrets does print them: the grep above can see a leak.
	var stdout bytes.Buffer
	Main(context.Background(), []string{"env", "--dir", filepath.Join("..", "..", "examples", "production"), "--show-secrets"}, &stdout, os.Stderr)
	if !strings.Contains(stdout.String(), "V7r2Lq9XkM4pT8wN3bZ6") {
		t.Error("--show-secrets did not show the database password; the leak check may be blind")
	}
}
