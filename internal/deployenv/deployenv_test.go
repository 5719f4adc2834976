package deployenv

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/docsgen/docsgen/internal/sitetest"
)

// deploy writes a deployment folder from name → content pairs.
func deploy(t *testing.T, files map[string]string) string {
	t.Helper()
	return sitetest.Write(t, files)
}

func load(t *testing.T, files map[string]string, environ ...string) *Deployment {
	t.Helper()
	d, err := Load(context.Background(), Options{Dir: deploy(t, files), Environ: environ})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return d
}

type want struct {
	value  string
	origin string // Origin.String() prefix
}

func TestComposeRules(t *testing.T) {
	for _, tc := range []struct {
		name    string
		files   map[string]string
		environ []string
		service string
		want    map[string]want
		unset   []string
		absent  []string
	}{
		{
			name: "environment beats env_file",
			files: map[string]string{
				"production.yml": "services:\n  django:\n    image: x\n    env_file: [stack.env]\n    environment:\n      A: from-yml\n",
				"stack.env":      "A=from-stack\nB=only-stack\n",
			},
			want: map[string]want{"A": {"from-yml", "production.yml:6"}, "B": {"only-stack", "stack.env:2"}},
		},
		{
			name: "a later env file beats an earlier one",
			files: map[string]string{
				"production.yml":           "services:\n  django:\n    image: x\n    env_file:\n      - deploy/config/django.env\n      - stack.env\n",
				"stack.env":                "A=stack\n",
				"deploy/config/django.env": "A=config\nB=config\n",
			},
			want: map[string]want{"A": {"stack", "stack.env:1"}, "B": {"config", "deploy/config/django.env:2"}},
		},
		{
			name: "merges are shallow: a worker's own environment replaces django's",
			files: map[string]string{
				"production.yml": "x-django: &django\n  image: x\n  environment:\n    A: a\n    B: b\nservices:\n  django:\n    <<: *django\n  worker:\n    <<: *django\n    environment:\n      C: c\n",
			},
			service: "worker",
			want:    map[string]want{"C": {"c", "production.yml:12"}},
			absent:  []string{"A", "B"},
		},
		{
			name: "merged entries point at the anchor's lines",
			files: map[string]string{
				"production.yml": "x-django: &django\n  image: x\n  environment:\n    A: a\nservices:\n  django:\n    <<: *django\n",
			},
			want: map[string]want{"A": {"a", "production.yml:4"}},
		},
		{
			name: "substitution forms",
			files: map[string]string{
				"production.yml": "services:\n  django:\n    image: x\n    environment:\n" +
					"      SET: ${V}\n      EMPTY_DEFAULT: ${E:-d}\n      UNSET_DEFAULT: ${U-d}\n      EMPTY_KEEP: ${E-d}\n      DOLLAR: a$$b\n      MISSING: ${NOPE}\n",
				"stack.env": "V=v\nE=\n",
			},
			want: map[string]want{
				"SET": {"v", "production.yml:5, ${V} from stack.env:1"}, "EMPTY_DEFAULT": {"d", "production.yml:6"},
				"UNSET_DEFAULT": {"d", "production.yml:7"}, "EMPTY_KEEP": {"", "production.yml:8"},
				"DOLLAR": {"a$b", "production.yml:9"}, "MISSING": {"", "production.yml:10, ${NOPE} is unset: empty"},
			},
		},
		{
			name: "a bare key inherits, or stays unset",
			files: map[string]string{
				"production.yml": "services:\n  django:\n    image: x\n    environment:\n      - FROM_STACK\n      - FROM_SYSTEM\n      - NOWHERE\n",
				"stack.env":      "FROM_STACK=s\n",
			},
			environ: []string{"FROM_SYSTEM=sys"},
			want:    map[string]want{"FROM_STACK": {"s", "production.yml:5, inherited from stack.env:1"}, "FROM_SYSTEM": {"sys", "production.yml:6, inherited from the system environment"}},
			unset:   []string{"NOWHERE"},
		},
		{
			name: "the system environment beats stack.env for ${VAR}",
			files: map[string]string{
				"production.yml": "services:\n  django:\n    image: x\n    env_file: [stack.env]\n    environment:\n      HOST: ${DOMAIN}\n",
				"stack.env":      "DOMAIN=stack.example\n",
			},
			environ: []string{"DOMAIN=system.example"},
			// The env file's own DOMAIN reaches the container unchanged.
			want: map[string]want{"HOST": {"system.example", "production.yml:6, ${DOMAIN} from the system environment"}, "DOMAIN": {"stack.example", "stack.env:1"}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := load(t, tc.files, tc.environ...)
			svc := d.Services[cmpOr(tc.service, d.Main)]
			for name, w := range tc.want {
				v, ok := svc.Vars[name]
				if !ok {
					t.Errorf("%s is not set", name)
					continue
				}
				if v.Value != w.value || !strings.HasPrefix(v.Origin.String(), w.origin) {
					t.Errorf("%s = %q from %q; want %q from %q", name, v.Value, v.Origin.String(), w.value, w.origin)
				}
			}
			for _, name := range tc.absent {
				if _, ok := svc.Vars[name]; ok {
					t.Errorf("%s is set; the shallow merge should have dropped it", name)
				}
			}
			if !slices.Equal(svc.Unset, tc.unset) && len(tc.unset)+len(svc.Unset) > 0 {
				t.Errorf("unset = %v, want %v", svc.Unset, tc.unset)
			}
		})
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func TestOverridesAndNotes(t *testing.T) {
	d := load(t, map[string]string{
		"production.yml":           "services:\n  django:\n    image: x\n    env_file:\n      - stack.env\n      - deploy/config/django.env\n    environment:\n      HOST: ${DOMAIN}\n      A: yml\n",
		"stack.env":                "DOMAIN=stack.example\nA=stack\nB=stack\n",
		"deploy/config/django.env": "A=config\nB=config\n",
		"deploy/config/unused.env": "C=c\n",
	}, "DOMAIN=system.example")
	a := d.Services["django"].Vars["A"]
	if a.Origin.String() != "production.yml:9" || len(a.Overrode) != 2 || a.Overrode[0].File != "deploy/config/django.env" || a.Overrode[1].File != "stack.env" {
		t.Errorf("A: origin %v overrode %v", a.Origin, a.Overrode)
	}
	notes := strings.Join(d.Notes, "\n")
	for _, want := range []string{"DOMAIN: the system environment beats stack.env", "deploy/config/unused.env is not listed", "lists deploy/config/django.env after stack.env"} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes lack %q:\n%s", want, notes)
		}
	}
}

func TestLoadErrors(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]string
		dir   string
		want  string
	}{
		{"malformed YAML", map[string]string{"production.yml": "services:\n  django:\n    image: x\n    command: a: b\n"}, "", "production.yml:4: production.yml is not valid YAML"},
		{"a bad env line", map[string]string{"production.yml": "services:\n  django:\n    image: x\n", "stack.env": "A=1\nBAD KEY=2\n"}, "", "stack.env:2: bad env file line"},
		{"a missing env_file", map[string]string{"production.yml": "services:\n  django:\n    image: x\n    env_file:\n      - ./deploy/config/missing.env\n"}, "", "production.yml:5: env_file missing.env not found"},
		{"a required variable", map[string]string{"production.yml": "services:\n  django:\n    image: x\n    environment:\n      A: ${NEED:?set it}\n"}, "", "production.yml:5: required variable NEED is not set"},
		{"no production.yml", map[string]string{"stack.env": "A=1\n"}, "", "production.yml: cannot read production.yml"},
		{"no folder", nil, "does-not-exist", "does-not-exist: deployment folder not found"},
		{"no django service", map[string]string{"production.yml": "services:\n  web:\n    image: x\n  db:\n    image: y\n"}, "", "cannot tell which service runs Django\n\thint: pass --service NAME with the service that runs Django (services: db, web)"},
		{"two Django servers", map[string]string{"production.yml": "services:\n  api:\n    image: x\n    command: gunicorn a.wsgi\n  admin:\n    image: x\n    command: python manage.py runserver 0.0.0.0:8000\n"}, "",
			"hint: pass --service NAME with one of admin, api, which all look like Django servers"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := deploy(t, tc.files)
			if tc.dir != "" {
				dir = filepath.Join(dir, tc.dir)
			}
			_, err := Load(context.Background(), Options{Dir: dir})
			var de *Error
			if !errors.As(err, &de) {
				t.Fatalf("error = %v, want a positioned *Error", err)
			}
			if got := strings.ReplaceAll(err.Error(), filepath.ToSlash(dir)+"/", ""); !strings.Contains(got, tc.want) {
				t.Errorf("error = %q, want it to contain %q", got, tc.want)
			}
		})
	}
}

// TestFindsDjangoByCommand: a stack that names its Django service otherwise
// is recognised by the command that serves it, or by its merged workers.
func TestFindsDjangoByCommand(t *testing.T) {
	for _, tc := range []struct{ name, compose, want string }{
		{"gunicorn", "services:\n  api:\n    image: x\n    command: gunicorn portal.wsgi --bind 0.0.0.0:5000\n  worker:\n    image: x\n    command: celery -A portal worker\n  flower:\n    image: x\n    command: celery -A portal flower\n", "api"},
		{"uvicorn in a list", "services:\n  web_portal:\n    image: x\n    command: [\"uvicorn\", \"portal.asgi:application\"]\n  db:\n    image: postgres\n", "web_portal"},
		{"runserver", "services:\n  app:\n    image: x\n    command: sh -c \"python manage.py migrate && python manage.py runserver 0.0.0.0:8000\"\n  redis:\n    image: redis\n", "app"},
		{"an image named for Django", "services:\n  site:\n    image: registry.example.org/portal-django:1.2\n  cache:\n    image: redis\n", "site"},
		{"the service the workers merge (its own anchor)", "services:\n  portal: &portal\n    image: x\n    environment:\n      DJANGO_SETTINGS_MODULE: a.b\n  worker:\n    <<: *portal\n    command: celery -A a worker\n", "portal"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := load(t, map[string]string{"production.yml": tc.compose}).Main; got != tc.want {
				t.Errorf("Django service = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestUnreadableFolder(t *testing.T) {
	if os.Geteuid() == 0 {
		// root reads any folder; an unreadable production.yml is the same path.
		dir := deploy(t, map[string]string{"production.yml/x": "a"}) // a folder where the file should be
		if _, err := Load(context.Background(), Options{Dir: dir}); err == nil || !strings.Contains(err.Error(), "cannot read production.yml") {
			t.Errorf("error = %v, want cannot read production.yml", err)
		}
		return
	}
	dir := deploy(t, map[string]string{"production.yml": "services: {}\n"})
	if err := os.Chmod(filepath.Join(dir, "production.yml"), 0); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(context.Background(), Options{Dir: dir}); err == nil || !strings.Contains(err.Error(), "cannot read production.yml") {
		t.Errorf("error = %v, want cannot read production.yml", err)
	}
}

func TestMask(t *testing.T) {
	for _, tc := range []struct{ name, value, want string }{
		{"DJANGO_SECRET_KEY", "abc", Masked},
		{"POSTGRES_PASSWORD", "pw", Masked},
		{"SENTRY_DSN", "https://k@sentry.io/1", Masked},
		{"API_TOKEN", "t", Masked},
		{"DATABASE_URL", "postgres://u:pw@db:5432/x", "postgres://u:" + Masked + "@db:5432/x"},
		{"REDIS_URL", "redis://redis:6379/0", "redis://redis:6379/0"},
		{"BROKER", "amqp://u:p%40ss@h/", "amqp://u:" + Masked + "@h/"},
		{"DJANGO_DEBUG", "False", "False"},
	} {
		if got := Mask(tc.name, tc.value); got != tc.want {
			t.Errorf("Mask(%s, %q) = %q, want %q", tc.name, tc.value, got, tc.want)
		}
	}
}

func TestMaskerHidesSharedValues(t *testing.T) {
	s := &Service{Vars: map[string]*Var{
		"MINIO_ROOT_PASSWORD": {Value: "minioadmin"},
		"MINIO_ROOT_USER":     {Value: "minioadmin"},
		"CONSOLE_URL":         {Value: "https://minioadmin.example.org"},
		"DJANGO_DEBUG":        {Value: "False"},
	}}
	m := NewMasker(s)
	for name, want := range map[string]string{"MINIO_ROOT_USER": Masked + " (same value as MINIO_ROOT_PASSWORD)", "CONSOLE_URL": "https://" + Masked + ".example.org", "DJANGO_DEBUG": "False"} {
		if got := m.Mask(name, s.Vars[name].Value); got != want {
			t.Errorf("Mask(%s) = %q, want %q", name, got, want)
		}
	}
}
