package checkref

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/docsgen/docsgen/examples"
	"github.com/docsgen/docsgen/internal/deployenv"
)

// The Django comparison: for every case of a matrix of environments, the
// settings model computes the application's settings, Django's own system
// checks run on them (Debian's python3-django, one process for the whole
// matrix), and the Django check IDs docsgen reports must be exactly the ones
// Django reports. So the conditions are Django's, not a copy's.

// layer is where a case sets its variables.
type layer string

const (
	inStackEnv    layer = "stack.env"
	inEnvFile     layer = "deploy/config/django.env"
	inEnvironment layer = "environment:"
	inInterp      layer = "${VAR}"
)

var layers = []layer{inStackEnv, inEnvFile, inEnvironment, inInterp}

type matrixCase struct {
	name  string
	layer layer
	set   map[string]string
	unset []string
	// wantApp are the application's own error IDs (fairdm.*, env.E*) the
	// case must give, exactly.
	wantApp []string
	// wantDjango, when not nil, are the IDs Django must report: the
	// issue's reading of django-environ, independent of the model.
	wantDjango []string
}

// djangoMatrix is the 70-case matrix of the issue: every security variable
// true/false/invalid/empty/missing/padded/proxied, DEBUG, keys, hosts,
// databases, Redis, DJANGO_ENV and the async switch, set through each layer.
func djangoMatrix() []matrixCase {
	var cases []matrixCase
	at := func(i int) layer { return layers[i%len(layers)] }
	n := 0
	add := func(name string, set map[string]string, unset []string, wantApp ...string) {
		cases = append(cases, matrixCase{name: fmt.Sprintf("%02d %s", n, name), layer: at(n), set: set, unset: unset, wantApp: wantApp})
		n++
	}
	values := []struct{ what, value string }{
		{"true", "True"}, {"false", "False"}, {"invalid", "maybe"}, {"empty", ""},
		{"padded", " true"}, {"proxied false", "$PROXY_FALSE"}, {"proxied unset", "$PROXY_UNSET"},
	}
	securityIDs := map[string]string{"DJANGO_SECURE_SSL_REDIRECT": "security.W008", "DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS": "security.W005",
		"DJANGO_SECURE_HSTS_PRELOAD": "security.W021", "DJANGO_SECURE_CONTENT_TYPE_NOSNIFF": "security.W006"}
	for _, v := range sortedKeys(securityIDs) {
		for _, val := range values {
			add(v+" "+val.what, map[string]string{v: val.value, "PROXY_FALSE": "0"}, nil)
			// Only True and a proxy to an unset variable (the default) keep it on.
			cases[len(cases)-1].wantDjango = []string{securityIDs[v]}
			if val.what == "true" || val.what == "proxied unset" {
				cases[len(cases)-1].wantDjango = []string{}
			}
		}
		add(v+" missing", nil, []string{v})
		cases[len(cases)-1].wantDjango = []string{}
	}
	for _, d := range []struct{ what, value string }{{"True", "True"}, {"int with underscore", "1_0"}, {"padded int", " 1 "},
		{"padded word", "yes "}, {"zero", "0"}, {"proxied", "$PROXY_TRUE"}} {
		var want []string
		if parseBool(strings.TrimPrefix(d.value, "$PROXY_TRUE")) || d.value == "$PROXY_TRUE" {
			want = []string{"fairdm.E005"}
		}
		add("DJANGO_DEBUG "+d.what, map[string]string{"DJANGO_DEBUG": d.value, "PROXY_TRUE": "on"}, nil, want...)
	}
	add("DJANGO_DEBUG missing", nil, []string{"DJANGO_DEBUG"})
	for _, k := range []struct{ what, value string }{
		{"short", "abcdefghij"}, {"insecure prefix", insecureKey}, {"four distinct characters", strings.Repeat("abcd", 15)},
		{"49 characters in more than 50 bytes", strings.Repeat("é", 49)}, {"50 multibyte characters", strings.Repeat("éa1Zx", 10)},
		{"starts with $ naming an unset variable", "$q8vN3xK7pL2mR9tW4yB6cF1hJ5dG0sA8eU3iO7nV2bX6kM9qT4wY1zC5rE0uH3j"},
	} {
		var want []string
		if k.what != "50 multibyte characters" && k.what != "four distinct characters" {
			want = []string{"fairdm.E001"}
		}
		add("DJANGO_SECRET_KEY "+k.what, map[string]string{"DJANGO_SECRET_KEY": k.value}, nil, want...)
	}
	add("DJANGO_SECRET_KEY missing", nil, []string{"DJANGO_SECRET_KEY"}, "fairdm.E001")
	add("hosts missing", nil, []string{"DJANGO_SITE_DOMAIN", "DJANGO_ALLOWED_HOSTS"}, "fairdm.E003")
	add("hosts empty", map[string]string{"DJANGO_SITE_DOMAIN": "", "DJANGO_ALLOWED_HOSTS": ","}, nil, "fairdm.E003")
	add("hosts wildcard", map[string]string{"DJANGO_ALLOWED_HOSTS": "*"}, nil, "fairdm.E004")
	add("hosts padded wildcard", map[string]string{"DJANGO_ALLOWED_HOSTS": "a.org, *"}, nil)
	add("hosts proxied to an unset variable", map[string]string{"DJANGO_SITE_DOMAIN": "", "DJANGO_ALLOWED_HOSTS": "$NO_HOSTS"}, nil, "fairdm.E003")
	add("hosts proxied to a set variable", map[string]string{"DJANGO_ALLOWED_HOSTS": "$DJANGO_DOMAIN"}, nil, "env.E002")
	add("DATABASE_URL empty", map[string]string{"DATABASE_URL": ""}, nil, "fairdm.E102")
	add("DATABASE_URL sqlite", map[string]string{"DATABASE_URL": "sqlite:////app/db.sqlite3"}, nil, "fairdm.E101")
	add("DATABASE_URL without a name", map[string]string{"DATABASE_URL": "postgres://u:p@postgres:5432/"}, nil, "fairdm.E102")
	add("DATABASE_URL mysql", map[string]string{"DATABASE_URL": "mysql://u:p@db/app"}, nil)
	add("database settings missing", nil, []string{"DATABASE_URL", "POSTGRES_DB"}, "fairdm.E102")
	add("database composed from POSTGRES_*", nil, []string{"DATABASE_URL"})
	add("REDIS_URL empty", map[string]string{"REDIS_URL": ""}, nil, "fairdm.E200", "fairdm.E300")
	add("REDIS_URL missing", nil, []string{"REDIS_URL"}, "fairdm.E200", "fairdm.E300")
	add("REDIS_URL proxied to an unset variable", map[string]string{"REDIS_URL": "$NO_REDIS"}, nil, "fairdm.E200", "fairdm.E300")
	for _, e := range []string{"development", "Development", "production", "", "prod"} {
		var want []string
		if e == "development" {
			want = []string{"env.E001", "fairdm.E005", "fairdm.E101"}
		}
		add(fmt.Sprintf("DJANGO_ENV %q", e), map[string]string{"DJANGO_ENV": e}, nil, want...)
	}
	add("DJANGO_ENV development without a key", map[string]string{"DJANGO_ENV": "development"}, []string{"DJANGO_SECRET_KEY"},
		"env.E001", "fairdm.E001", "fairdm.E005", "fairdm.E101")
	for _, a := range []string{"1", "false", ""} {
		add(fmt.Sprintf("DJANGO_ALLOW_ASYNC_UNSAFE %q", a), map[string]string{"DJANGO_ALLOW_ASYNC_UNSAFE": a}, nil)
	}
	return cases
}

// example turns a case into changes of the example deployment.
func (c matrixCase) example(t *testing.T) Example {
	t.Helper()
	compose := readExample(t, "production.yml")
	djangoEnv := readExample(t, "deploy/config/django.env")
	e := Example{Title: c.name, Env: map[string]string{}, Files: map[string]string{}}
	dropEnvFileKey := func(k string) {
		djangoEnv = regexp.MustCompile(`(?m)^`+k+`=.*\n`).ReplaceAllString(djangoEnv, "")
		e.Files["deploy/config/django.env"] = djangoEnv
	}
	composeLine := func(k string) string {
		return regexp.MustCompile(`(?m)^    ` + k + `: .*\n`).FindString(compose)
	}
	for _, k := range c.unset {
		e.Unset = append(e.Unset, k)
		dropEnvFileKey(k)
		if l := composeLine(k); l != "" {
			e.Compose = append(e.Compose, Edit{Old: l, New: ""})
		}
	}
	var envLines []string
	for _, k := range sortedKeys(c.set) {
		v := c.set[k]
		if strings.HasPrefix(k, "PROXY_") { // a proxy's target lives in stack.env
			e.Env[k] = dotenvQuote(v)
			continue
		}
		layer := c.layer
		dropEnvFileKey(k)
		// production.yml's environment: beats every env file, so a value
		// set in a file replaces the entry there.
		if old := composeLine(k); old != "" && (layer == inStackEnv || layer == inEnvFile) {
			e.Compose = append(e.Compose, Edit{Old: old, New: ""})
		}
		var yamlValue string
		switch layer {
		case inStackEnv:
			e.Env[k] = dotenvQuote(v)
		case inEnvFile:
			// stack.env comes after django.env in env_file:, so it must not set k.
			e.Unset = append(e.Unset, k)
			djangoEnv += k + "=" + dotenvQuote(v) + "\n"
			e.Files["deploy/config/django.env"] = djangoEnv
		case inEnvironment:
			yamlValue = strings.ReplaceAll(v, "$", "$$")
		case inInterp:
			e.Env["CASE_"+k] = dotenvQuote(v)
			yamlValue = "${CASE_" + k + "}"
		}
		if layer == inEnvironment || layer == inInterp {
			line := fmt.Sprintf("    %s: %q\n", k, yamlValue)
			if old := composeLine(k); old != "" {
				e.Compose = append(e.Compose, Edit{Old: old, New: line})
			} else {
				envLines = append(envLines, line)
			}
		}
	}
	if len(envLines) > 0 {
		anchor := "    DJANGO_SETTINGS_MODULE: config.settings.production\n"
		e.Compose = append(e.Compose, Edit{Old: anchor, New: anchor + strings.Join(envLines, "")})
	}
	return e
}

// dotenvQuote writes a value so that Compose's env-file parser reads it back
// unchanged: single quotes are literal.
func dotenvQuote(v string) string {
	if v == "" || strings.TrimSpace(v) == v && !strings.ContainsAny(v, "$#'\"\\") {
		return v
	}
	return "'" + v + "'"
}

func readExample(t *testing.T, name string) string {
	t.Helper()
	data, err := fs.ReadFile(examples.Production(), name)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// djangoSettings are the settings a case hands to Django.
func djangoSettings(s *Settings) map[string]any {
	hosts := s.AllowedHosts
	if hosts == nil {
		hosts = []string{}
	}
	return map[string]any{
		"DEBUG": s.Debug, "SECRET_KEY": s.SecretKey, "ALLOWED_HOSTS": hosts,
		"SECURE_SSL_REDIRECT": s.SSLRedirect, "SECURE_HSTS_SECONDS": s.HSTSSeconds,
		"SECURE_HSTS_INCLUDE_SUBDOMAINS": s.HSTSIncludeSubdomains, "SECURE_HSTS_PRELOAD": s.HSTSPreload,
		"SECURE_CONTENT_TYPE_NOSNIFF": s.ContentTypeNosniff,
		"SESSION_COOKIE_SECURE":       s.SessionCookieSecure, "CSRF_COOKIE_SECURE": s.CSRFCookieSecure,
	}
}

// djangoPython returns a Python with Django: Debian's python3-django at
// /usr/bin/python3 (.ci/run installs it). Under CI its absence fails the test.
func djangoPython(t *testing.T) string {
	t.Helper()
	const python = "/usr/bin/python3"
	out, err := exec.Command(python, "-c", "import django; print(django.get_version())").CombinedOutput()
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("Django is needed for this test (apt-get install python3-django): %v\n%s", err, out)
		}
		t.Skipf("no Django at %s (apt-get install python3-django); CI runs this test", python)
	}
	return python
}

func TestAgreesWithDjango(t *testing.T) {
	python := djangoPython(t)
	type pyCase struct {
		Name     string            `json:"name"`
		Settings map[string]any    `json:"settings"`
		Environ  map[string]string `json:"environ"`
	}
	type result struct {
		c      matrixCase
		docsgn []string
		app    []string
		crash  bool
	}
	cases := djangoMatrix()
	if len(cases) < 70 {
		t.Fatalf("the matrix has %d cases, want at least 70", len(cases))
	}
	var input struct {
		Cases []pyCase `json:"cases"`
		Ints  []string `json:"ints"`
	}
	var results []result
	intTexts := map[string]bool{}
	for _, c := range cases {
		e := c.example(t)
		dir := t.TempDir()
		if err := writeExample(e, dir); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		d, err := deployenv.Load(context.Background(), deployenv.Options{Dir: dir})
		if err != nil {
			t.Fatalf("%s: the case's deployment does not load: %v", c.name, err)
		}
		in := NewInput(d)
		// The case must reach the Django container as meant, or it tests nothing.
		for k, want := range c.set {
			if got, ok := in.Main.Get(k); !ok || got != want {
				t.Errorf("%s: %s is %q (set %v) in the container, want %q", c.name, k, got, ok, want)
			}
		}
		for _, k := range c.unset {
			if _, ok := in.Main.Get(k); ok {
				t.Errorf("%s: %s is still set in the container", c.name, k)
			}
		}
		r := result{c: c, crash: len(in.S.Crashes) > 0}
		for _, f := range Run(in, Selected(Options{Deploy: true})) {
			switch {
			case isDjangoID(f.ID):
				r.docsgn = append(r.docsgn, f.ID)
			case strings.HasPrefix(f.ID, "fairdm.") || strings.HasPrefix(f.ID, "env.E"):
				r.app = append(r.app, f.ID)
			}
		}
		results = append(results, r)
		environ := map[string]string{}
		if v, ok := in.Main.Get("DJANGO_ALLOW_ASYNC_UNSAFE"); ok {
			environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = v
		}
		input.Cases = append(input.Cases, pyCase{Name: c.name, Settings: djangoSettings(in.S), Environ: environ})
		for _, k := range []string{"DJANGO_DEBUG", "DJANGO_SECURE_SSL_REDIRECT", "DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", "DJANGO_SECURE_HSTS_PRELOAD", "DJANGO_SECURE_CONTENT_TYPE_NOSNIFF"} {
			if v, ok := in.Main.Get(k); ok && !intTexts[v] {
				intTexts[v] = true
				input.Ints = append(input.Ints, v)
			}
		}
	}
	for _, v := range []string{"١", "1_0", "1__0", "\u00a01\u2003", "+0", "-_1", "0b1", "٠٠"} {
		if !intTexts[v] {
			input.Ints = append(input.Ints, v)
		}
	}
	casesFile := filepath.Join(t.TempDir(), "cases.json")
	data, err := json.Marshal(input)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(casesFile, data, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(python, "testdata/django_checks.py", casesFile)
	cmd.Env = append(os.Environ(), "PYTHONDONTWRITEBYTECODE=1")
	cmd.Env = slices.DeleteFunc(cmd.Env, func(kv string) bool { return strings.HasPrefix(kv, "DJANGO_") })
	out, err := cmd.Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("Django's checks did not run: %v\n%s", err, stderr)
	}
	var got struct {
		IDs  map[string][]string `json:"ids"`
		Ints map[string][2]bool  `json:"ints"`
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("driver output: %v\n%s", err, out)
	}

	compared := 0
	for _, r := range results {
		t.Run(r.c.name, func(t *testing.T) {
			slices.Sort(r.app)
			r.app = slices.Compact(r.app)
			want := slices.Clone(r.c.wantApp)
			slices.Sort(want)
			if !slices.Equal(r.app, want) {
				t.Errorf("set in %s: the application's IDs are %v, want %v", r.c.layer, r.app, want)
			}
			if r.crash {
				return // the application stops at start; Django never runs its checks
			}
			compared++
			slices.Sort(r.docsgn)
			r.docsgn = slices.Compact(r.docsgn)
			django := got.IDs[r.c.name]
			if django == nil {
				django = []string{}
			}
			if r.docsgn == nil {
				r.docsgn = []string{}
			}
			if !slices.Equal(r.docsgn, django) {
				t.Errorf("set in %s: docsgen reports %v, Django %v", r.c.layer, r.docsgn, django)
			}
			if r.c.wantDjango != nil && !slices.Equal(django, r.c.wantDjango) {
				t.Errorf("set in %s: Django reports %v, want %v", r.c.layer, django, r.c.wantDjango)
			}
		})
	}
	if compared < 65 {
		t.Errorf("only %d cases reached Django", compared)
	}
	for text, py := range got.Ints {
		nonZero, ok := pyInt(text)
		if ok != py[0] || nonZero != py[1] {
			t.Errorf("int(%q): docsgen (accepted %v, non-zero %v), Python (accepted %v, non-zero %v)", text, ok, nonZero, py[0], py[1])
		}
	}
}
