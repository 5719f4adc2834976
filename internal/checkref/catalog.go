package checkref

import (
	"fmt"
	"slices"
	"strings"

	"github.com/docsgen/docsgen/internal/deployenv"
	"github.com/docsgen/docsgen/internal/diag"
)

// All returns the catalog, sorted by ID. It is one explicit list: adding a
// check means adding it here, with its documentation and examples.
func All() []*Check {
	return []*Check{
		compose002, composeW004,
		envW004,
		fairdmE001, fairdmE003, fairdmE004, fairdmE005, fairdmE100, fairdmE101, fairdmE102, fairdmE200, fairdmE300,
		netE001, netW002,
		proxyE001, proxyE002, proxyE003,
		secretsE001, secretsE002, secretsW003,
		securityW004, securityW005, securityW008, securityW012, securityW016, securityW021,
		storageE001,
		tasksE001,
	}
}

// Areas names the catalog's groups, in page order.
var Areas = []struct{ ID, Title, Summary string }{
	{"fairdm", "Application settings", "the portal's own production checks: secret key, hosts, debug mode, database, cache and Celery broker"},
	{"security", "HTTPS and cookies", "Django's deploy checks for SSL redirect, HSTS and secure cookies"},
	{"secrets", "Secrets", "secrets written into production.yml, placeholders left in, keys django-environ misreads"},
	{"compose", "Compose file", "unset `${VAR}` substitutions and workers whose environment drifted from Django's"},
	{"proxy", "Traefik", "TLS certificates, HTTP→HTTPS redirect and the dashboard"},
	{"tasks", "Flower", "authentication in front of the task monitor"},
	{"storage", "Minio", "object storage credentials"},
	{"net", "Published ports", "debug and database ports reachable from outside"},
	{"env", "Environment values", "values the application reads differently from how they look"},
}

var insecureKey = "django-insecure-0123456789abcdefghijklmnopqrstuvwxyz0123456789"

var fairdmE001 = &Check{
	ID: "fairdm.E001", Title: "SECRET_KEY is missing or weak", Severity: diag.Error,
	Tags: []string{"security", "deploy", "production_critical"},
	Doc:  "`DJANGO_SECRET_KEY` is empty or unset, starts with `django-insecure-` (a development key), or is shorter than 50 characters.",
	Why:  "Django signs sessions, password-reset links and CSRF tokens with the key; a known or short key lets anyone forge them.",
	Fix:  "Set DJANGO_SECRET_KEY in stack.env to at least 50 random characters, for example from `python -c \"import secrets; print(secrets.token_urlsafe(64))\"`.",
	Examples: []Example{
		{Title: "a development key", Fails: true, Env: map[string]string{"DJANGO_SECRET_KEY": insecureKey}},
		{Title: "a short key", Fails: true, Env: map[string]string{"DJANGO_SECRET_KEY": "tooshort"}},
		{Title: "no key", Fails: true, Unset: []string{"DJANGO_SECRET_KEY"}},
		{Title: "a long random key", Fails: false},
	},
	Run: func(in *Input) []Finding {
		v, _ := in.value("DJANGO_SECRET_KEY")
		switch {
		case v == "":
			return []Finding{in.at("DJANGO_SECRET_KEY", "DJANGO_SECRET_KEY is not set")}
		case strings.HasPrefix(v, "django-insecure-"):
			return []Finding{in.at("DJANGO_SECRET_KEY", "DJANGO_SECRET_KEY is a development key (it starts with django-insecure-)")}
		case len(v) < 50:
			return []Finding{in.at("DJANGO_SECRET_KEY", fmt.Sprintf("DJANGO_SECRET_KEY has %d characters; it needs at least 50", len(v)))}
		}
		return nil
	},
}

var fairdmE003 = &Check{
	ID: "fairdm.E003", Title: "ALLOWED_HOSTS is empty", Severity: diag.Error,
	Tags: []string{"security", "deploy", "production_critical"},
	Doc:  "Neither `DJANGO_ALLOWED_HOSTS` (a comma-separated list) nor `DJANGO_SITE_DOMAIN` names a host.",
	Why:  "With DEBUG off, Django answers every request with 400 Bad Request when ALLOWED_HOSTS is empty.",
	Fix:  "Set DJANGO_DOMAIN in stack.env; production.yml passes it on as DJANGO_SITE_DOMAIN and DJANGO_ALLOWED_HOSTS.",
	Examples: []Example{
		{Title: "hosts not passed to Django", Fails: true, Compose: []Edit{
			{Old: "    DJANGO_SITE_DOMAIN: ${DJANGO_DOMAIN}\n", New: ""},
			{Old: "    DJANGO_ALLOWED_HOSTS: ${DJANGO_DOMAIN}\n", New: ""}}},
		{Title: "the domain set", Fails: false},
	},
	Run: func(in *Input) []Finding {
		if len(in.allowedHosts()) == 0 {
			return []Finding{in.at("DJANGO_ALLOWED_HOSTS", "ALLOWED_HOSTS is empty: neither DJANGO_ALLOWED_HOSTS nor DJANGO_SITE_DOMAIN names a host")}
		}
		return nil
	},
}

var fairdmE004 = &Check{
	ID: "fairdm.E004", Title: "ALLOWED_HOSTS accepts any host", Severity: diag.Error,
	Tags: []string{"security", "deploy", "production_critical"},
	Doc:  "`DJANGO_ALLOWED_HOSTS` contains the item `*`.",
	Why:  "A wildcard host lets an attacker poison password-reset links and caches with a Host header of their choice.",
	Fix:  "List the real host names; `.example.org` allows a domain and its subdomains.",
	Examples: []Example{
		{Title: "a wildcard", Fails: true, Compose: []Edit{{Old: "DJANGO_ALLOWED_HOSTS: ${DJANGO_DOMAIN}", New: "DJANGO_ALLOWED_HOSTS: \"*\""}}},
		{Title: "the site's domain", Fails: false},
	},
	Run: func(in *Input) []Finding {
		if slices.Contains(in.allowedHosts(), "*") {
			return []Finding{in.at("DJANGO_ALLOWED_HOSTS", "DJANGO_ALLOWED_HOSTS contains *")}
		}
		return nil
	},
}

var fairdmE005 = &Check{
	ID: "fairdm.E005", Title: "DEBUG is on", Severity: diag.Error,
	Tags: []string{"security", "deploy", "production_critical"},
	Doc:  "`DJANGO_DEBUG` is true: `true`, `on`, `ok`, `y`, `yes` (any case) or a non-zero integer.",
	Why:  "Debug pages show settings, source code and SQL to every visitor, and Django keeps every query in memory.",
	Fix:  "Set DJANGO_DEBUG=False, or leave it unset.",
	Examples: []Example{
		{Title: "debug on", Fails: true, Env: map[string]string{"DJANGO_DEBUG": "yes"}},
		{Title: "debug off", Fails: false, Env: map[string]string{"DJANGO_DEBUG": "no"}},
	},
	Run: func(in *Input) []Finding {
		if v, ok := in.value("DJANGO_DEBUG"); ok && envBool(v) {
			return []Finding{in.at("DJANGO_DEBUG", "DJANGO_DEBUG is true")}
		}
		return nil
	},
}

var postgresSchemes = []string{"postgres", "postgresql", "psql", "pgsql", "postgis"}

var fairdmE100 = &Check{
	ID: "fairdm.E100", Title: "No database configured", Severity: diag.Error,
	Tags: []string{"database", "deploy", "production_critical"},
	Doc:  "`DATABASE_URL` is unset or empty, and `POSTGRES_DB` (from which the application would compose one) is too.",
	Why:  "The portal cannot start without a database.",
	Fix:  "Set DATABASE_URL (postgres://user:password@postgres:5432/name), or the POSTGRES_USER, POSTGRES_PASSWORD and POSTGRES_DB variables.",
	Examples: []Example{
		{Title: "no database settings", Fails: true, Unset: []string{"POSTGRES_DB"}, Compose: []Edit{{Old: "    DATABASE_URL: postgres://${POSTGRES_USER}:${POSTGRES_PASSWORD}@postgres:5432/${POSTGRES_DB}\n", New: ""}}},
		{Title: "a PostgreSQL URL", Fails: false},
	},
	Run: func(in *Input) []Finding {
		url, _ := in.value("DATABASE_URL")
		db, _ := in.value("POSTGRES_DB")
		if url == "" && db == "" {
			return []Finding{in.at("DATABASE_URL", "no database: DATABASE_URL and POSTGRES_DB are both unset or empty")}
		}
		return nil
	},
}

var fairdmE101 = &Check{
	ID: "fairdm.E101", Title: "The database is not PostgreSQL", Severity: diag.Error,
	Tags: []string{"database", "deploy", "production_critical"},
	Doc:  "The scheme of `DATABASE_URL` is not one of `postgres`, `postgresql`, `psql`, `pgsql` or `postgis`.",
	Why:  "The portal requires PostgreSQL; SQLite in a container loses its data on every redeploy and does not handle concurrent workers.",
	Fix:  "Point DATABASE_URL at the postgres service: postgres://user:password@postgres:5432/name.",
	Examples: []Example{
		{Title: "SQLite", Fails: true, Compose: []Edit{{Old: "DATABASE_URL: postgres://${POSTGRES_USER}:${POSTGRES_PASSWORD}@postgres:5432/${POSTGRES_DB}", New: "DATABASE_URL: sqlite:////app/db.sqlite3"}}},
		{Title: "PostgreSQL", Fails: false},
	},
	Run: func(in *Input) []Finding {
		v, _ := in.value("DATABASE_URL")
		if v == "" {
			return nil
		}
		if u, ok := parseURL(v); ok && !slices.Contains(postgresSchemes, strings.ToLower(u.Scheme)) {
			return []Finding{in.at("DATABASE_URL", "DATABASE_URL uses "+u.Scheme+"://, not PostgreSQL")}
		}
		return nil
	},
}

var fairdmE102 = &Check{
	ID: "fairdm.E102", Title: "The database URL is malformed", Severity: diag.Error,
	Tags: []string{"database", "deploy", "production_critical"},
	Doc:  "`DATABASE_URL` is set but is not a URL, or names no host or no database.",
	Why:  "The application reads an empty database name and fails on its first query.",
	Fix:  "Write a complete URL: postgres://user:password@host:5432/name (percent-encode special characters in the password).",
	Examples: []Example{
		{Title: "no database name", Fails: true, Compose: []Edit{{Old: "@postgres:5432/${POSTGRES_DB}", New: "@postgres:5432/"}}},
		{Title: "a complete URL", Fails: false},
	},
	Run: func(in *Input) []Finding {
		v, ok := in.value("DATABASE_URL")
		if !ok || v == "" {
			if db, _ := in.value("POSTGRES_DB"); ok && db == "" {
				return []Finding{in.at("DATABASE_URL", "DATABASE_URL is set but empty")}
			}
			return nil
		}
		u, isURL := parseURL(v)
		switch {
		case !isURL:
			return []Finding{in.at("DATABASE_URL", "DATABASE_URL is not a URL")}
		case !slices.Contains(postgresSchemes, strings.ToLower(u.Scheme)):
			return nil // fairdm.E101's case
		case u.Hostname() == "":
			return []Finding{in.at("DATABASE_URL", "DATABASE_URL names no host")}
		case strings.Trim(u.Path, "/") == "":
			return []Finding{in.at("DATABASE_URL", "DATABASE_URL names no database")}
		}
		return nil
	},
}

var cacheSchemes = []string{"redis", "rediss", "unix", "memcache", "pymemcache", "pylibmc"}

var fairdmE200 = &Check{
	ID: "fairdm.E200", Title: "No Redis or Memcached cache", Severity: diag.Error,
	Tags: []string{"caches", "deploy", "production_critical"},
	Doc:  "`REDIS_URL` is unset or empty, or its scheme is not a Redis (`redis`, `rediss`, `unix`) or Memcached location.",
	Why:  "Without it the application falls back to a placeholder cache location and every cache call fails; sessions and rate limits break.",
	Fix:  "Set REDIS_URL=redis://redis:6379/0 in production.yml's environment of the Django service.",
	Examples: []Example{
		{Title: "no REDIS_URL", Fails: true, Compose: []Edit{{Old: "    REDIS_URL: redis://redis:6379/0\n", New: ""}}},
		{Title: "not a cache URL", Fails: true, Compose: []Edit{{Old: "REDIS_URL: redis://redis:6379/0", New: "REDIS_URL: http://redis:6379/0"}}},
		{Title: "the redis service", Fails: false},
	},
	Run: func(in *Input) []Finding {
		v, _ := in.value("REDIS_URL")
		if v == "" {
			return []Finding{in.at("REDIS_URL", "REDIS_URL is not set, so there is no cache")}
		}
		if u, ok := parseURL(v); !ok || !slices.Contains(cacheSchemes, strings.ToLower(u.Scheme)) {
			return []Finding{in.at("REDIS_URL", "REDIS_URL is not a Redis or Memcached location")}
		}
		return nil
	},
}

var fairdmE300 = &Check{
	ID: "fairdm.E300", Title: "No Celery broker", Severity: diag.Error,
	Tags: []string{"celery", "deploy"},
	Doc:  "The application takes Celery's broker (and result backend) from `REDIS_URL`; it is unset, empty or not a Redis URL. `CELERY_BROKER_URL` is never read.",
	Why:  "Background tasks (emails, uploads) are never run, and requests that queue them fail.",
	Fix:  "Set REDIS_URL=redis://redis:6379/0; setting CELERY_BROKER_URL has no effect.",
	Examples: []Example{
		{Title: "a broker URL the application ignores", Fails: true,
			Compose: []Edit{{Old: "REDIS_URL: redis://redis:6379/0", New: "CELERY_BROKER_URL: redis://redis:6379/0"}}},
		{Title: "REDIS_URL set", Fails: false},
	},
	Run: func(in *Input) []Finding {
		v, _ := in.value("REDIS_URL")
		u, ok := parseURL(v)
		if v != "" && ok && (u.Scheme == "redis" || u.Scheme == "rediss") {
			return nil
		}
		msg := "Celery has no broker: REDIS_URL is not a Redis URL"
		if v == "" {
			msg = "Celery has no broker: REDIS_URL is not set"
		}
		if _, set := in.Main.Get("CELERY_BROKER_URL"); set {
			msg += " (CELERY_BROKER_URL is set but the application never reads it)"
		}
		return []Finding{in.at("REDIS_URL", msg)}
	},
}

// djangoFlag builds a check for a Django security setting that a deployment
// turns off through an environment variable.
func djangoFlag(id, title, variable, setting, doc, why string) *Check {
	return &Check{
		ID: id, Title: title, Severity: diag.Warning, Tags: []string{"security", "deploy"},
		Doc: fmt.Sprintf("`%s` (Django's `%s`) is set and false. Unset, the setting keeps its secure default. %s", variable, setting, doc),
		Why: why,
		Fix: fmt.Sprintf("Set %s=True, or remove it.", variable),
		Examples: []Example{
			{Title: "turned off", Fails: true, Env: map[string]string{variable: "False"}},
			{Title: "on", Fails: false, Env: map[string]string{variable: "True"}},
		},
		Run: func(in *Input) []Finding {
			if v, ok := in.value(variable); ok && !envBool(v) {
				return []Finding{in.at(variable, fmt.Sprintf("%s is false, so Django's %s is off", variable, setting))}
			}
			return nil
		},
	}
}

var securityW004 = &Check{
	ID: "security.W004", Title: "HSTS is off", Severity: diag.Warning, Tags: []string{"security", "deploy"},
	Doc: "`DJANGO_SECURE_HSTS_SECONDS` (Django's `SECURE_HSTS_SECONDS`) is set to 0 or to something that is not a number.",
	Why: "Without HSTS a browser may still reach the site over plain HTTP, where the first request can be intercepted.",
	Fix: "Set DJANGO_SECURE_HSTS_SECONDS=31536000 (one year) once HTTPS works everywhere, or remove it to keep the default.",
	Examples: []Example{
		{Title: "HSTS turned off", Fails: true, Env: map[string]string{"DJANGO_SECURE_HSTS_SECONDS": "0"}},
		{Title: "one year", Fails: false, Env: map[string]string{"DJANGO_SECURE_HSTS_SECONDS": "31536000"}},
	},
	Run: func(in *Input) []Finding {
		v, ok := in.value("DJANGO_SECURE_HSTS_SECONDS")
		if !ok {
			return nil
		}
		var n int
		if _, err := fmt.Sscan(v, &n); err != nil || n <= 0 {
			return []Finding{in.at("DJANGO_SECURE_HSTS_SECONDS", "DJANGO_SECURE_HSTS_SECONDS is not a positive number of seconds, so HSTS is off")}
		}
		return nil
	},
}

var securityW005 = djangoFlag("security.W005", "HSTS does not cover subdomains", "DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
	"", "Subdomains such as tasks., media. and minio. stay reachable over plain HTTP.")
var securityW008 = djangoFlag("security.W008", "Django does not redirect HTTP to HTTPS", "DJANGO_SECURE_SSL_REDIRECT", "SECURE_SSL_REDIRECT",
	"", "Requests that reach Django over HTTP are served unencrypted instead of redirected (Traefik's redirect covers only what passes through its web entrypoint).")
var securityW012 = djangoFlag("security.W012", "Session cookies may travel over HTTP", "DJANGO_SESSION_COOKIE_SECURE", "SESSION_COOKIE_SECURE",
	"", "A session cookie sent over plain HTTP can be stolen and replayed to take over an account.")
var securityW016 = djangoFlag("security.W016", "CSRF cookies may travel over HTTP", "DJANGO_CSRF_COOKIE_SECURE", "CSRF_COOKIE_SECURE",
	"", "A CSRF cookie sent over plain HTTP can be read and used to forge requests.")
var securityW021 = djangoFlag("security.W021", "The site is not HSTS-preloadable", "DJANGO_SECURE_HSTS_PRELOAD", "SECURE_HSTS_PRELOAD",
	"", "Browsers only trust HTTPS for the site after a first visit, instead of from the start.")

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
	Doc:  "A service merged from the same `<<: *django` definition (celeryworker, celerybeat, flower) redefines `environment:` or `env_file:`, or ends up with a different `DJANGO_SECRET_KEY`, `DATABASE_URL`, `REDIS_URL`, `DJANGO_SETTINGS_MODULE` or `DJANGO_ENV`.",
	Why:  "YAML merges are shallow: a worker that writes its own `environment:` loses every entry of Django's, and runs without a broker, database or key.",
	Fix:  "Remove the worker's own environment:/env_file:, or repeat every entry of the Django service in it.",
	Examples: []Example{
		{Title: "a worker with its own environment", Fails: true, Compose: []Edit{{Old: "    command: /start-celeryworker\n", New: "    command: /start-celeryworker\n    environment:\n      C_FORCE_ROOT: \"false\"\n"}}},
		{Title: "workers as merged", Fails: false},
	},
	Run: func(in *Input) []Finding {
		var out []Finding
		anchor := in.Main.MergedFrom
		for _, s := range in.services() {
			if s == in.Main || anchor == "" || s.MergedFrom != anchor {
				continue
			}
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

var envW004 = &Check{
	ID: "env.W004", Title: "An allowed host has stray spaces", Severity: diag.Warning,
	Tags: []string{"security", "deploy"},
	Doc:  "An item of `DJANGO_ALLOWED_HOSTS` starts or ends with whitespace, as in `a.org, b.org`. The list is split on commas and nothing is trimmed.",
	Why:  "The host ` b.org` never matches a request, so that name gets 400 Bad Request.",
	Fix:  "Remove the spaces: DJANGO_ALLOWED_HOSTS=a.org,b.org.",
	Examples: []Example{
		{Title: "a space after the comma", Fails: true, Compose: []Edit{{Old: "DJANGO_ALLOWED_HOSTS: ${DJANGO_DOMAIN}", New: "DJANGO_ALLOWED_HOSTS: ${DJANGO_DOMAIN}, www.${DJANGO_DOMAIN}"}}},
		{Title: "no spaces", Fails: false, Compose: []Edit{{Old: "DJANGO_ALLOWED_HOSTS: ${DJANGO_DOMAIN}", New: "DJANGO_ALLOWED_HOSTS: ${DJANGO_DOMAIN},www.${DJANGO_DOMAIN}"}}},
	},
	Run: func(in *Input) []Finding {
		v, _ := in.value("DJANGO_ALLOWED_HOSTS")
		for _, h := range envList(v) {
			if strings.TrimSpace(h) != h {
				return []Finding{in.at("DJANGO_ALLOWED_HOSTS", fmt.Sprintf("DJANGO_ALLOWED_HOSTS has the item %q with spaces around it", h))}
			}
		}
		return nil
	},
}
