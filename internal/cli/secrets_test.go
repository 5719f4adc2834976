package cli

import (
	"bytes"
	"context"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/docsgen/docsgen/internal/deployenv"
	"github.com/docsgen/docsgen/internal/sitetest"
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

// planted is a secret value the tests below hide in a deployment.
const planted = "PLANTED-7f3a9"

// leakCases are deployments that hide planted somewhere: in malformed env
// lines and bad templates (the command exits 2 and its message must not
// quote the value), and in connection-string shapes (the command runs and
// must mask the value, which --show-secrets then prints).
var leakCases = []struct {
	name    string
	files   map[string]string // added to the base deployment, replacing its files
	environ []string          // system variables
	exit    int               // 2 for the malformed ones
}{
	// Malformed env lines, in stack.env and in a deploy/config env_file.
	{name: "unterminated quote in stack.env", files: map[string]string{"stack.env": "DB_PASSWORD=\"" + planted + "\nA=1\n"}, exit: 2},
	{name: "unterminated quote in deploy/config", files: map[string]string{"deploy/config/django.env": "DB_PASSWORD=\"" + planted + "\n"}, exit: 2},
	{name: "unterminated quote in a plain name", files: map[string]string{"deploy/config/django.env": "GREETING='" + planted + "\n"}, exit: 2},
	{name: "space in a name", files: map[string]string{"stack.env": "BAD KEY=" + planted + "\n"}, exit: 2},
	{name: "bad character in a name", files: map[string]string{"deploy/config/django.env": "DB-PASS!=" + planted + "\n"}, exit: 2},
	{name: "a pasted key", files: map[string]string{"stack.env": "A=1\n" + planted + "+AbC/dEf==\n"}, exit: 2},
	{name: "bad template in stack.env", files: map[string]string{"stack.env": "BROKER=amqp://app:" + planted + "@rabbit/${oops\n"}, exit: 2},
	{name: "bad template in deploy/config", files: map[string]string{"deploy/config/django.env": "BROKER=\"amqp://app:" + planted + "@rabbit/${oops\"\n"}, exit: 2},
	{name: "required variable in an env file", files: map[string]string{"deploy/config/django.env": "URL=${NOPE:?" + planted + "}\n"}, exit: 2},
	// Bad templates and values in production.yml, reported by compose-go.
	{name: "bad template in production.yml", files: map[string]string{"production.yml": composeWith("      BROKER_URL: amqp://app:" + planted + "@rabbit/${oops\n")}, exit: 2},
	{name: "bad template in a list", files: map[string]string{"production.yml": strings.Replace(baseCompose, "    environment:\n", "    environment:\n      - BROKER_URL=amqp://app:"+planted+"@rabbit/${oops\n", 1)}, exit: 2},
	{name: "required variable's message", files: map[string]string{"production.yml": composeWith("      A: ${NOPE:?" + planted + "}\n")}, exit: 2},
	{name: "port from stack.env", files: map[string]string{"production.yml": strings.Replace(baseCompose, "    env_file:", "    ports:\n      - \"${PORT}\"\n    env_file:", 1), "stack.env": "PORT=" + planted + ":80:zz\n"}, exit: 2},
	{name: "duration from the system", files: map[string]string{"production.yml": strings.Replace(baseCompose, "    env_file:", "    healthcheck:\n      interval: ${CHECK_EVERY}\n    env_file:", 1)},
		environ: []string{"CHECK_EVERY=" + planted}, exit: 2},
	{name: "unknown env_file format", files: map[string]string{"production.yml": strings.Replace(baseCompose, "      - ./deploy/config/django.env\n", "      - path: ./deploy/config/django.env\n        format: "+planted+"\n", 1)}, exit: 2},
	// Valid connection-string shapes: masked in the listing.
	{name: "jdbc password parameter", files: map[string]string{"deploy/config/django.env": "JDBC_URL=jdbc:postgresql://db/app?user=a&password=" + planted + "\n"}},
	{name: "libpq password", files: map[string]string{"deploy/config/django.env": "PG_CONN=\"host=db user=app password=" + planted + " sslmode=require\"\n"}},
	{name: "semicolon list", files: map[string]string{"deploy/config/django.env": "MSSQL=\"Server=db;User Id=app;Password=" + planted + ";\"\n"}},
	{name: "user:pw@host without a scheme", files: map[string]string{"deploy/config/django.env": "NOSCHEME_URL=app:" + planted + "@db:5432/app\n"}},
	{name: "token in a query", files: map[string]string{"deploy/config/django.env": "HOOK=https://hooks.example.org/x?token=" + planted + "&v=1\n"}},
	{name: "names ending in PASS", files: map[string]string{"deploy/config/django.env": "DB_PASS=" + planted + "\n"}},
	{name: "names ending in PWD", files: map[string]string{"deploy/config/django.env": "SMTP_PWD=" + planted + "\n"}},
	{name: "names ending in CREDENTIALS", files: map[string]string{"deploy/config/django.env": "GCP_CREDENTIALS=" + planted + "\n"}},
	{name: "names ending in PRIVATE", files: map[string]string{"deploy/config/django.env": "SSH_PRIVATE=" + planted + "\n"}},
	{name: "a password substituted into a URL", files: map[string]string{
		"production.yml": composeWith("      BROKER_URL: amqp://app:${BROKER_PASS}@rabbit/\n"), "stack.env": "BROKER_PASS=" + planted + "\n"}},
	{name: "a secret reused under a plain name", files: map[string]string{"deploy/config/django.env": "DB_PASS=" + planted + "\nGREETING=" + planted + "\n"}},
	{name: "a secret in a worker only", files: map[string]string{"deploy/config/worker.env": "FLOWER_PASS=" + planted + "\nGREETING=" + planted + "\n"}},
}

const baseCompose = `services:
  django:
    image: x
    environment:
      DJANGO_SETTINGS_MODULE: config.settings.production
    env_file:
      - ./deploy/config/django.env
      - ./stack.env
  worker:
    image: w
    env_file:
      - ./deploy/config/worker.env
`

// composeWith adds environment: entries to the base deployment's django.
func composeWith(entries string) string {
	return strings.Replace(baseCompose, "    environment:\n", "    environment:\n"+entries, 1)
}

// TestPlantedSecretsNeverPrinted runs every command and format over each
// leak case and greps stdout and stderr for the planted value.
func TestPlantedSecretsNeverPrinted(t *testing.T) {
	runs := [][]string{
		{"check", "--format", "text"}, {"check", "--format", "json"}, {"check", "--format", "github"},
		{"check", "--deploy", "--format", "text"}, {"check", "--deploy", "--format", "json"}, {"check", "--deploy", "--format", "github"},
		{"env"}, {"env", "--format", "json"}, {"env", "--service", "worker"}, {"env", "--service", "worker", "--format", "json"},
	}
	for _, tc := range leakCases {
		t.Run(tc.name, func(t *testing.T) {
			files := map[string]string{
				"production.yml":           baseCompose,
				"stack.env":                "DJANGO_DOMAIN=portal.example.org\n",
				"deploy/config/django.env": "DJANGO_DEBUG=False\n",
				"deploy/config/worker.env": "C_FORCE_ROOT=false\n",
			}
			maps.Copy(files, tc.files)
			dir := sitetest.Write(t, files)
			for _, e := range tc.environ {
				k, v, _ := strings.Cut(e, "=")
				t.Setenv(k, v)
			}
			for _, args := range runs {
				args = append(slices.Clone(args), "--dir", dir)
				var stdout, stderr bytes.Buffer
				code := Main(context.Background(), args, &stdout, &stderr)
				out := stdout.String() + stderr.String()
				if strings.Contains(out, planted) || strings.Contains(out, "7f3a9") {
					t.Errorf("docsgen %s prints the planted value:\n%s", strings.Join(args, " "), out)
				}
				if (tc.exit == 2) != (code == 2) {
					t.Errorf("docsgen %s exits %d:\n%s", strings.Join(args, " "), code, out)
				}
				if code == 2 && !strings.Contains(stderr.String(), "error: ") {
					t.Errorf("docsgen %s exits 2 without saying why: %q", strings.Join(args, " "), out)
				}
			}
			// --show-secrets shows values in the listing (so the grep above
			// could see them) but never in an error.
			svc := "django"
			if strings.Contains(tc.name, "worker") {
				svc = "worker"
			}
			var stdout, stderr bytes.Buffer
			Main(context.Background(), []string{"env", "--dir", dir, "--service", svc, "--show-secrets"}, &stdout, &stderr)
			if shown := strings.Contains(stdout.String(), planted); shown != (tc.exit == 0) {
				t.Errorf("env --show-secrets: planted value shown = %v, want %v:\n%s", shown, tc.exit == 0, stdout.String())
			}
			if strings.Contains(stderr.String(), planted) {
				t.Errorf("env --show-secrets prints the value in an error: %s", stderr.String())
			}
		})
	}
}
