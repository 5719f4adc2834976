package checkref

import (
	"slices"
	"strings"
	"testing"
)

func TestParseBool(t *testing.T) {
	for v, want := range map[string]bool{
		// Python's int() first: any non-zero integer, spaces and underscores allowed.
		"1": true, "2": true, "-1": true, "+3": true, " 1 ": true, "\t7\n": true, "1_0": true, "٣": true, "０": false,
		"0": false, "-0": false, "00": false, " 0 ": false, "0_0": false,
		// Not an integer: exact words, any case, nothing stripped.
		"True": true, "TRUE": true, "yes": true, "on": true, "OK": true, "y": true,
		"True ": false, " true": false, "\ttrue": false, "false": false, "no": false, "off": false, "": false, "nope": false,
		// What int() refuses falls through to the words, and is false.
		"1__0": false, "_1": false, "1_": false, "1.0": false, "0x1": false, "+": false,
	} {
		if got := parseBool(v); got != want {
			t.Errorf("parseBool(%q) = %v, want %v", v, got, want)
		}
	}
}

func TestParseList(t *testing.T) {
	for v, want := range map[string][]string{
		"a.org, b.org,,c": {"a.org", " b.org", "c"},
		",":               nil,
		"":                nil,
		" ":               {" "},
	} {
		if got := parseList(v); !slices.Equal(got, want) {
			t.Errorf("parseList(%q) = %q, want %q", v, got, want)
		}
	}
}

func envOf(m map[string]string) lookup {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestProxy(t *testing.T) {
	for _, c := range []struct {
		name string
		env  map[string]string
		want func(s *Settings) bool
	}{
		{"a proxy to a set variable takes its value", map[string]string{"DJANGO_DEBUG": "$D", "D": "yes"}, func(s *Settings) bool { return s.Debug }},
		{"proxies chain", map[string]string{"DJANGO_DEBUG": "$A", "A": "$$B", "B": "1"}, func(s *Settings) bool { return s.Debug }},
		{"a proxy to an unset variable gives the default (True)", map[string]string{"DJANGO_SECURE_SSL_REDIRECT": "$NOPE"}, func(s *Settings) bool { return s.SSLRedirect }},
		{"a proxy to an empty variable is false", map[string]string{"DJANGO_SECURE_SSL_REDIRECT": "$E", "E": ""}, func(s *Settings) bool { return !s.SSLRedirect }},
		{"a key starting with $ becomes another variable's value", map[string]string{"DJANGO_SECRET_KEY": "$abc"}, func(s *Settings) bool { return s.SecretKey == "" }},
		{"a list through a set variable crashes", map[string]string{"DJANGO_ALLOWED_HOSTS": "$H", "H": "a.org"}, func(s *Settings) bool {
			return len(s.Crashes) == 1 && s.Crashes[0].Var == "DJANGO_ALLOWED_HOSTS"
		}},
		{"a list through an unset variable is the default", map[string]string{"DJANGO_ALLOWED_HOSTS": "$H"}, func(s *Settings) bool { return len(s.Crashes) == 0 && len(s.AllowedHosts) == 0 }},
		{"a loop crashes", map[string]string{"DJANGO_DEBUG": "$A", "A": "$DJANGO_DEBUG"}, func(s *Settings) bool { return len(s.Crashes) == 1 }},
		{"CONN_MAX_AGE that is no integer crashes", map[string]string{"CONN_MAX_AGE": "1m"}, func(s *Settings) bool { return len(s.Crashes) == 1 }},
	} {
		if s := EffectiveSettings(envOf(c.env)); !c.want(s) {
			t.Errorf("%s: %+v", c.name, s)
		}
	}
}

func TestDefaultsAndHardCoded(t *testing.T) {
	s := EffectiveSettings(envOf(map[string]string{
		"DJANGO_SECURE_HSTS_SECONDS": "0", "DJANGO_SESSION_COOKIE_SECURE": "False", "DJANGO_CSRF_COOKIE_SECURE": "False",
	}))
	if s.Debug || !s.SSLRedirect || !s.HSTSIncludeSubdomains || !s.HSTSPreload || !s.ContentTypeNosniff {
		t.Errorf("defaults: %+v", s)
	}
	if s.HSTSSeconds != 60 || !s.SessionCookieSecure || !s.CSRFCookieSecure {
		t.Errorf("hard-coded settings followed ignored variables: %+v", s)
	}
	if s.Profile != "production" || s.Development {
		t.Errorf("profile = %q", s.Profile)
	}
	if s.SecretKey != "" || len(s.AllowedHosts) != 0 || s.CacheLocation != redisPlaceholder || s.BrokerURL != "" {
		t.Errorf("empty defaults: %+v", s)
	}
	if s.Database["NAME"] != "" || s.Database["ENGINE"] != "django.db.backends.postgresql" || s.Database["USER"] != "postgres" || s.Database["HOST"] != "postgres" {
		t.Errorf("composed database: %v", s.Database)
	}
}

func TestAllowedHosts(t *testing.T) {
	s := EffectiveSettings(envOf(map[string]string{"DJANGO_SITE_DOMAIN": "x.org", "DJANGO_ALLOWED_HOSTS": "a.org, b.org,"}))
	if want := []string{"x.org", "a.org", " b.org"}; !slices.Equal(s.AllowedHosts, want) {
		t.Errorf("ALLOWED_HOSTS = %q, want %q", s.AllowedHosts, want)
	}
}

func TestDatabaseURL(t *testing.T) {
	for _, c := range []struct {
		env          map[string]string
		engine, name string
	}{
		{map[string]string{"DATABASE_URL": "postgres://u:p@db:5432/portal"}, "django.db.backends.postgresql", "portal"},
		{map[string]string{"DATABASE_URL": "postgis://u:p@db/geo?sslmode=require"}, "django.contrib.gis.db.backends.postgis", "geo"},
		{map[string]string{"DATABASE_URL": "sqlite:////app/db.sqlite3"}, "django.db.backends.sqlite3", "/app/db.sqlite3"},
		{map[string]string{"DATABASE_URL": "sqlite://"}, "django.db.backends.sqlite3", ":memory:"},
		{map[string]string{"DATABASE_URL": "postgresql://db:5432/"}, "django.db.backends.postgresql", ""},
		{map[string]string{"DATABASE_URL": "mysql://u:p@db/app"}, "django.db.backends.mysql", "app"},
		{map[string]string{"DATABASE_URL": "cockroach://db/app"}, "cockroach", "app"},
		{map[string]string{"DATABASE_URL": ""}, "", ""},
		{map[string]string{"DATABASE_URL": "not a url"}, "", ""},
		{map[string]string{"DATABASE_URL": "$NOPE", "POSTGRES_DB": "p"}, "django.db.backends.postgresql", "p"},
		{map[string]string{"POSTGRES_DB": "portal", "POSTGRES_PASSWORD": "a b@c"}, "django.db.backends.postgresql", "portal"},
	} {
		s := EffectiveSettings(envOf(c.env))
		if s.Database["ENGINE"] != c.engine || s.Database["NAME"] != c.name {
			t.Errorf("%v: database %v, want engine %q name %q", c.env, s.Database, c.engine, c.name)
		}
	}
}

func TestDevelopmentProfile(t *testing.T) {
	for _, c := range []struct {
		env string
		dev bool
	}{{"development", true}, {"Development", false}, {"dev", false}, {"", false}, {"production", false}, {" development", false}} {
		s := EffectiveSettings(envOf(map[string]string{"DJANGO_ENV": c.env, "DJANGO_DEBUG": "False", "DJANGO_SECURE_SSL_REDIRECT": "True", "DATABASE_URL": "postgres://db/x"}))
		if s.Development != c.dev {
			t.Errorf("DJANGO_ENV=%q: development = %v", c.env, s.Development)
			continue
		}
		if !c.dev {
			if s.Debug || s.HSTSSeconds != 60 {
				t.Errorf("DJANGO_ENV=%q: production settings expected: %+v", c.env, s)
			}
			continue
		}
		if !s.Debug || s.SSLRedirect || s.HSTSSeconds != 0 || s.SessionCookieSecure || s.CSRFCookieSecure ||
			s.SecretKey != devSecretKey || !slices.Contains(s.AllowedHosts, "localhost") || s.Database["ENGINE"] != "django.db.backends.sqlite3" {
			t.Errorf("development profile: %+v", s)
		}
	}
	if s := EffectiveSettings(envOf(map[string]string{"DJANGO_ENV": "development", "DJANGO_SECRET_KEY": "k"})); s.SecretKey != "k" {
		t.Errorf("development keeps a set key: %q", s.SecretKey)
	}
}

func TestAsyncUnsafe(t *testing.T) {
	for v, want := range map[string]bool{"1": true, "false": true, "0": true, "": false} {
		if got := EffectiveSettings(envOf(map[string]string{"DJANGO_ALLOW_ASYNC_UNSAFE": v})).AsyncUnsafe; got != want {
			t.Errorf("DJANGO_ALLOW_ASYNC_UNSAFE=%q: %v", v, got)
		}
	}
}

// FuzzSettings: any value of any variable gives settings without a panic,
// and the bool cast agrees with its two rules.
func FuzzSettings(f *testing.F) {
	for _, s := range []string{"", "True", " 1 ", "1_0", "$X", "$$", "$DJANGO_DEBUG", "a,,b", "postgres://u:p@h/d?x#y", "٣", "_", "+-1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		env := envOf(map[string]string{"DJANGO_DEBUG": v, "DJANGO_ALLOWED_HOSTS": v, "DATABASE_URL": v, "X": v, "CONN_MAX_AGE": v})
		s := EffectiveSettings(env)
		nonZero, isInt := pyInt(v)
		if isInt && s.Debug != nonZero && !strings.HasPrefix(v, "$") {
			t.Errorf("DJANGO_DEBUG=%q: debug %v, but int() gives non-zero %v", v, s.Debug, nonZero)
		}
	})
}
