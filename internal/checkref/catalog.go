package checkref

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/docsgen/docsgen/internal/deployenv"
	"github.com/docsgen/docsgen/internal/diag"
)

// All returns the catalog, sorted by ID. It is one explicit list: adding a
// check means adding it here, with its documentation and examples.
func All() []*Check {
	return []*Check{
		asyncE001,
		cacheE001,
		compose002, composeW004,
		dbE002,
		envE001, envE002, envI006, envW004, envW005,
		fairdmE001, fairdmE003, fairdmE004, fairdmE005, fairdmE101, fairdmE102, fairdmE200, fairdmE300,
		netE001, netW002, netW003,
		proxyE001, proxyE002, proxyE003, proxyI004,
		secretsE001, secretsE002, secretsE003, secretsW003, secretsW004,
		securityW004, securityW005, securityW006, securityW008, securityW009, securityW012, securityW016, securityW018, securityW020, securityW021,
		storageE001,
		tasksE001,
	}
}

// Areas names the catalog's groups, in page order.
var Areas = []struct{ ID, Title, Summary string }{
	{"fairdm", "Application settings", "the portal's own production checks: secret key, hosts, debug mode, database, cache and Celery broker"},
	{"security", "HTTPS and cookies", "Django's own deploy checks, with Django's conditions, on the settings the portal computes"},
	{"async", "Async safety", "Django's check of its async-safety switch"},
	{"env", "Environment values", "values the application reads differently from how they look, or not at all"},
	{"db", "Database", "database credentials that anyone could guess"},
	{"cache", "Cache and broker", "a Redis location the containers cannot reach"},
	{"secrets", "Secrets", "secrets written into production.yml, placeholders and published keys left in, keys django-environ misreads"},
	{"compose", "Compose file", "unset `${VAR}` substitutions and workers whose environment drifted from Django's"},
	{"proxy", "Traefik", "TLS certificates, HTTP→HTTPS redirect and the dashboard"},
	{"tasks", "Flower", "authentication in front of the task monitor"},
	{"storage", "Minio", "object storage credentials"},
	{"net", "Published ports", "debug, database and application ports reachable from outside"},
}

// at positions a finding on the variable that decided a setting: the
// DJANGO_ENV line when the development profile forced it.
func (in *Input) atSetting(variable string, forced bool, msg string) Finding {
	if forced && in.S.Development {
		return in.at("DJANGO_ENV", msg+" (DJANGO_ENV=development)")
	}
	return in.at(variable, msg+in.proxyNote(variable))
}

// proxyNote explains a value that django-environ took from another variable.
func (in *Input) proxyNote(variable string) string {
	r, ok := in.S.Proxied[variable]
	if !ok {
		return ""
	}
	// The name read is the value's text: for a secret, that is the secret.
	if deployenv.IsSecret(variable) {
		if r.UseDefault {
			return fmt.Sprintf(" (%s starts with $, so it is read as the name of another variable, which is unset: the default applies)", variable)
		}
		return fmt.Sprintf(" (%s starts with $, so it is read as the name of another variable, whose value is used)", variable)
	}
	if r.UseDefault {
		return fmt.Sprintf(" (%s starts with $, so it names the variable %s, which is unset: the default applies)", variable, r.Via)
	}
	return fmt.Sprintf(" (%s starts with $, so its value is that of %s)", variable, r.Via)
}

var insecureKey = "django-insecure-0123456789abcdefghijklmnopqrstuvwxyz0123456789"

var fairdmE001 = &Check{
	ID: "fairdm.E001", Title: "SECRET_KEY is missing or weak", Severity: diag.Error,
	Tags: []string{"security", "deploy", "production_critical"},
	Doc:  "`SECRET_KEY` (from `DJANGO_SECRET_KEY`) is empty, starts with `django-insecure-` (a development key), or is shorter than 50 characters (characters, not bytes). Unlike Django's security.W009 it does not count distinct characters.",
	Why:  "Django signs sessions, password-reset links and CSRF tokens with the key; a known or short key lets anyone forge them.",
	Fix:  "Set DJANGO_SECRET_KEY in stack.env to at least 50 random characters, for example from `python -c \"import secrets; print(secrets.token_urlsafe(64))\"`.",
	Examples: []Example{
		{Title: "a development key", Fails: true, Env: map[string]string{"DJANGO_SECRET_KEY": insecureKey}},
		{Title: "a short key", Fails: true, Env: map[string]string{"DJANGO_SECRET_KEY": "tooshort"}},
		{Title: "no key", Fails: true, Unset: []string{"DJANGO_SECRET_KEY"}},
		{Title: "the development profile's key", Fails: true, Env: map[string]string{"DJANGO_ENV": "development"}, Unset: []string{"DJANGO_SECRET_KEY"}},
		{Title: "a long random key", Fails: false},
	},
	Run: func(in *Input) []Finding {
		v := in.S.SecretKey
		switch {
		case v == "" && !in.isSet("DJANGO_SECRET_KEY"):
			return []Finding{in.at("DJANGO_SECRET_KEY", "SECRET_KEY is empty: DJANGO_SECRET_KEY is not set")}
		case v == "":
			return []Finding{in.atSetting("DJANGO_SECRET_KEY", false, "SECRET_KEY is empty")}
		case strings.HasPrefix(v, "django-insecure-"):
			return []Finding{in.atSetting("DJANGO_SECRET_KEY", !in.isSet("DJANGO_SECRET_KEY"), "SECRET_KEY is a development key (it starts with django-insecure-)")}
		case utf8.RuneCountInString(v) < 50:
			return []Finding{in.atSetting("DJANGO_SECRET_KEY", false, fmt.Sprintf("SECRET_KEY has %d characters; it needs at least 50", utf8.RuneCountInString(v)))}
		}
		return nil
	},
}

// isSet reports whether the Django service's environment sets a variable.
func (in *Input) isSet(name string) bool { _, ok := in.Main.Get(name); return ok }

var fairdmE003 = &Check{
	ID: "fairdm.E003", Title: "ALLOWED_HOSTS is empty", Severity: diag.Error,
	Tags: []string{"security", "deploy", "production_critical"},
	Doc:  "`ALLOWED_HOSTS` is empty: neither `DJANGO_SITE_DOMAIN` nor `DJANGO_ALLOWED_HOSTS` (a comma-separated list, empty items dropped) names a host.",
	Why:  "With DEBUG off, Django answers every request with 400 Bad Request when ALLOWED_HOSTS is empty.",
	Fix:  "Set DJANGO_DOMAIN in stack.env; production.yml passes it on as DJANGO_SITE_DOMAIN and DJANGO_ALLOWED_HOSTS.",
	Examples: []Example{
		{Title: "hosts not passed to Django", Fails: true, Compose: []Edit{
			{Old: "    DJANGO_SITE_DOMAIN: ${DJANGO_DOMAIN}\n", New: ""},
			{Old: "    DJANGO_ALLOWED_HOSTS: ${DJANGO_DOMAIN}\n", New: ""}}},
		{Title: "the domain set", Fails: false},
	},
	Run: allowedHostsEmpty,
}

// allowedHostsEmpty is the condition of fairdm.E003 and of Django's twin,
// security.W020: one function, so the two cannot drift apart.
func allowedHostsEmpty(in *Input) []Finding {
	if len(in.S.AllowedHosts) == 0 {
		return []Finding{in.at("DJANGO_ALLOWED_HOSTS", "ALLOWED_HOSTS is empty: neither DJANGO_SITE_DOMAIN nor DJANGO_ALLOWED_HOSTS names a host")}
	}
	return nil
}

var fairdmE004 = &Check{
	ID: "fairdm.E004", Title: "ALLOWED_HOSTS accepts any host", Severity: diag.Error,
	Tags: []string{"security", "deploy", "production_critical"},
	Doc:  "`ALLOWED_HOSTS` contains the item `*` exactly (` *` with a space is no wildcard, to Django either).",
	Why:  "A wildcard host lets an attacker poison password-reset links and caches with a Host header of their choice.",
	Fix:  "List the real host names; `.example.org` allows a domain and its subdomains.",
	Examples: []Example{
		{Title: "a wildcard", Fails: true, Compose: []Edit{{Old: "DJANGO_ALLOWED_HOSTS: ${DJANGO_DOMAIN}", New: "DJANGO_ALLOWED_HOSTS: \"*\""}}},
		{Title: "the site's domain", Fails: false},
	},
	Run: func(in *Input) []Finding {
		if slices.Contains(in.S.AllowedHosts, "*") {
			return []Finding{in.atSetting("DJANGO_ALLOWED_HOSTS", false, "ALLOWED_HOSTS contains *")}
		}
		return nil
	},
}

var fairdmE005 = &Check{
	ID: "fairdm.E005", Title: "DEBUG is on", Severity: diag.Error,
	Tags: []string{"security", "deploy", "production_critical"},
	Doc:  "`DEBUG` is on: `DJANGO_DEBUG` is an integer other than 0 (Python's `int()`: `2`, ` 1 `, `1_0`), or exactly one of `true`, `on`, `ok`, `y`, `yes` in any case but with no surrounding spaces; or `DJANGO_ENV` is `development`.",
	Why:  "Debug pages show settings, source code and SQL to every visitor, and Django keeps every query in memory.",
	Fix:  "Set DJANGO_DEBUG=False, or leave it unset; leave DJANGO_ENV unset or production.",
	Examples: []Example{
		{Title: "debug on", Fails: true, Env: map[string]string{"DJANGO_DEBUG": "yes"}},
		{Title: "debug on as a number", Fails: true, Env: map[string]string{"DJANGO_DEBUG": "\" 2\""}},
		{Title: "debug off", Fails: false, Env: map[string]string{"DJANGO_DEBUG": "no"}},
		{Title: "a padded true, which the application reads as false", Fails: false, Env: map[string]string{"DJANGO_DEBUG": "\"True \""}},
	},
	Run: debugOn,
}

// debugOn is the condition of fairdm.E005 and of Django's twin,
// security.W018.
func debugOn(in *Input) []Finding {
	if in.S.Debug {
		return []Finding{in.atSetting("DJANGO_DEBUG", true, "DEBUG is on")}
	}
	return nil
}

var fairdmE101 = &Check{
	ID: "fairdm.E101", Title: "The database is SQLite", Severity: diag.Error,
	Tags: []string{"database", "deploy", "production_critical"},
	Doc:  "The database engine is SQLite: `DATABASE_URL` starts with `sqlite://`, or `DJANGO_ENV` is `development`. Other engines (MySQL, an unknown scheme) pass, as they do in the application.",
	Why:  "SQLite in a container loses its data on every redeploy and does not handle concurrent workers.",
	Fix:  "Point DATABASE_URL at the postgres service: postgres://user:password@postgres:5432/name.",
	Examples: []Example{
		{Title: "SQLite", Fails: true, Compose: []Edit{{Old: "DATABASE_URL: postgres://${POSTGRES_USER}:${POSTGRES_PASSWORD}@postgres:5432/${POSTGRES_DB}", New: "DATABASE_URL: sqlite:////app/db.sqlite3"}}},
		{Title: "PostgreSQL", Fails: false},
	},
	Run: func(in *Input) []Finding {
		if in.S.Database["ENGINE"] == "django.db.backends.sqlite3" {
			return []Finding{in.atSetting("DATABASE_URL", true, "the database is SQLite")}
		}
		return nil
	},
}

var fairdmE102 = &Check{
	ID: "fairdm.E102", Title: "The database has no name", Severity: diag.Error,
	Tags: []string{"database", "deploy", "production_critical"},
	Doc:  "The database configuration names no database: `DATABASE_URL` is set but empty or has no scheme (django-environ then gives an empty configuration), its path is empty (`postgres://db:5432/`), or `DATABASE_URL` is unset and `POSTGRES_DB` is unset or empty. The application has no separate \"no database\" error: both unset is this one.",
	Why:  "The application connects to no database and fails on its first query.",
	Fix:  "Write a complete URL, postgres://user:password@host:5432/name (percent-encode special characters in the password), or set POSTGRES_DB.",
	Examples: []Example{
		{Title: "no database name", Fails: true, Compose: []Edit{{Old: "@postgres:5432/${POSTGRES_DB}", New: "@postgres:5432/"}}},
		{Title: "an empty DATABASE_URL", Fails: true, Compose: []Edit{{Old: "DATABASE_URL: postgres://${POSTGRES_USER}:${POSTGRES_PASSWORD}@postgres:5432/${POSTGRES_DB}", New: "DATABASE_URL: \"\""}}},
		{Title: "no database settings", Fails: true, Unset: []string{"POSTGRES_DB"}, Compose: []Edit{{Old: "    DATABASE_URL: postgres://${POSTGRES_USER}:${POSTGRES_PASSWORD}@postgres:5432/${POSTGRES_DB}\n", New: ""}}},
		{Title: "a complete URL", Fails: false},
	},
	Run: func(in *Input) []Finding {
		if in.S.Database["NAME"] != "" {
			return nil
		}
		switch {
		case !in.isSet("DATABASE_URL"):
			return []Finding{in.at("DATABASE_URL", "no database name: DATABASE_URL is unset and POSTGRES_DB is unset or empty")}
		case len(in.S.Database) == 0:
			return []Finding{in.atSetting("DATABASE_URL", false, "DATABASE_URL gives no database configuration (it is empty or not a URL)")}
		}
		return []Finding{in.atSetting("DATABASE_URL", false, "DATABASE_URL names no database")}
	},
}

var fairdmE200 = &Check{
	ID: "fairdm.E200", Title: "No Redis cache", Severity: diag.Error,
	Tags: []string{"caches", "deploy", "production_critical"},
	Doc:  "`REDIS_URL` is unset or empty, so the caches point at the application's placeholder `" + redisPlaceholder + "`. The application checks nothing else about the URL (cache.E001 does).",
	Why:  "Every cache call fails; sessions and rate limits break.",
	Fix:  "Set REDIS_URL=redis://redis:6379/0 in production.yml's environment of the Django service.",
	Examples: []Example{
		{Title: "no REDIS_URL", Fails: true, Compose: []Edit{{Old: "    REDIS_URL: redis://redis:6379/0\n", New: ""}}},
		{Title: "the redis service", Fails: false},
	},
	Run: func(in *Input) []Finding {
		if in.S.CacheLocation == redisPlaceholder {
			return []Finding{in.atSetting("REDIS_URL", false, "REDIS_URL is not set, so there is no cache")}
		}
		return nil
	},
}

var fairdmE300 = &Check{
	ID: "fairdm.E300", Title: "No Celery broker", Severity: diag.Error,
	Tags: []string{"celery", "deploy"},
	Doc:  "The application takes Celery's broker (and result backend) from `REDIS_URL`, and it is unset or empty. `CELERY_BROKER_URL` is never read.",
	Why:  "Background tasks (emails, uploads) are never run, and requests that queue them fail.",
	Fix:  "Set REDIS_URL=redis://redis:6379/0; setting CELERY_BROKER_URL has no effect.",
	Examples: []Example{
		{Title: "a broker URL the application ignores", Fails: true,
			Compose: []Edit{{Old: "REDIS_URL: redis://redis:6379/0", New: "CELERY_BROKER_URL: redis://redis:6379/0"}}},
		{Title: "REDIS_URL set", Fails: false},
	},
	Run: func(in *Input) []Finding {
		if in.S.BrokerURL != "" {
			return nil
		}
		msg := "Celery has no broker: REDIS_URL is not set"
		if in.isSet("CELERY_BROKER_URL") {
			msg += " (CELERY_BROKER_URL is set but the application never reads it)"
		}
		return []Finding{in.atSetting("REDIS_URL", false, msg)}
	},
}

var compose002 = &Check{
	ID: "compose.E002", Title: "A ${VAR} in production.yml is unset", Severity: diag.Error,
	Tags: []string{"compose"},
	Doc:  "production.yml refers to `${VAR}` with no default (`${VAR:-default}`), and neither stack.env nor the system environment sets it, or sets it empty.",
	Why:  "Compose quietly substitutes an empty string: with `DJANGO_DOMAIN` unset, Traefik's rules read ``Host(`tasks.`)``, no certificate is issued and the site is unreachable.",
	Fix:  "Set the variable in stack.env (or in Portainer's stack variables).",
	Examples: []Example{
		{Title: "DJANGO_DOMAIN missing", Fails: true, Unset: []string{"DJANGO_DOMAIN"}},
		{Title: "every variable set", Fails: false},
	},
	Run: func(in *Input) []Finding {
		var out []Finding
		seen := map[string]bool{}
		for _, r := range in.D.References {
			if r.HasDefault || seen[r.Name] {
				continue
			}
			if v, ok := in.D.Interp[r.Name]; ok && v.Value != "" {
				continue
			}
			seen[r.Name] = true
			what := "unset"
			if _, ok := in.D.Interp[r.Name]; ok {
				what = "empty"
			}
			out = append(out, Finding{Message: fmt.Sprintf("${%s} is %s, so Compose substitutes an empty string", r.Name, what), File: deployenv.ComposeFile, Line: r.Line})
		}
		return out
	},
}

// workerKeys are the variables a worker must share with Django.
var workerKeys = []string{"DJANGO_SECRET_KEY", "DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ENV"}

var composeW004 = &Check{
	ID: "compose.W004", Title: "A worker's environment differs from Django's", Severity: diag.Warning,
	Tags: []string{"compose", "celery"},
	Doc:  "A service merged from the same `<<: *django` definition as Django (celeryworker, celerybeat, flower; also in a list, `<<: [*django, *worker]`) redefines `environment:` or `env_file:`, or ends up with a different `DJANGO_SECRET_KEY`, `DATABASE_URL`, `REDIS_URL`, `DJANGO_SETTINGS_MODULE` or `DJANGO_ENV`.",
	Why:  "YAML merges are shallow: a worker that writes its own `environment:` loses every entry of Django's, and runs without a broker, database or key.",
	Fix:  "Remove the worker's own environment:/env_file:, or repeat every entry of the Django service in it.",
	Examples: []Example{
		{Title: "a worker with its own environment", Fails: true, Compose: []Edit{{Old: "    command: /start-celeryworker\n", New: "    command: /start-celeryworker\n    environment:\n      C_FORCE_ROOT: \"false\"\n"}}},
		{Title: "a worker whose list merge drops the environment", Fails: true, Compose: []Edit{
			{Old: "  celeryworker:\n    <<: *django\n", New: "  celeryworker:\n    <<: [*worker, *django]\n"},
			{Old: "x-django: &django\n", New: "x-worker: &worker\n  environment:\n    DJANGO_SETTINGS_MODULE: config.settings.production\n\nx-django: &django\n"}}},
		{Title: "workers as merged", Fails: false},
	},
	Run: func(in *Input) []Finding {
		var out []Finding
		// Django's definition: the anchors it merges, or its own anchor
		// (django: &django, as cookiecutter-django writes it).
		shared := slices.Clone(in.Main.Merges)
		if in.Main.Anchor != "" {
			shared = append(shared, in.Main.Anchor)
		}
		for _, s := range in.services() {
			i := slices.IndexFunc(s.Merges, func(a string) bool { return slices.Contains(shared, a) })
			if s == in.Main || i < 0 {
				continue
			}
			anchor := s.Merges[i]
			for _, k := range []string{"environment", "env_file"} {
				if slices.Contains(s.OwnKeys, k) {
					out = append(out, Finding{Service: s.Name, File: deployenv.ComposeFile, Line: in.serviceLine(s, k+":"),
						Message: fmt.Sprintf("%s redefines %s:, replacing the one it merges from *%s", s.Name, k, anchor)})
				}
			}
			for _, k := range workerKeys {
				a, aok := in.Main.Get(k)
				b, bok := s.Get(k)
				if aok != bok || a != b {
					out = append(out, Finding{Service: s.Name, File: deployenv.ComposeFile, Line: s.Line,
						Message: fmt.Sprintf("%s's %s differs from %s's", s.Name, k, in.Main.Name)})
				}
			}
		}
		return out
	},
}
