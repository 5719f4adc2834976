package checkref

import (
	"fmt"
	"slices"
	"strings"

	"github.com/docsgen/docsgen/internal/deployenv"
	"github.com/docsgen/docsgen/internal/diag"
)

var envE001 = &Check{
	ID: "env.E001", Title: "The development profile is on", Severity: diag.Error,
	Tags: []string{"security", "deploy"},
	Doc:  "`DJANGO_ENV` is exactly `development`. The application then runs its development settings: " + profileSummary() + "; and it skips its own start-up guard.",
	Why:  "Every production safeguard is off at once, and the application starts anyway.",
	Fix:  "Remove DJANGO_ENV, or set it to production.",
	Examples: []Example{
		{Title: "development", Fails: true, Env: map[string]string{"DJANGO_ENV": "development"}},
		{Title: "Development (any other spelling keeps production)", Fails: false, Env: map[string]string{"DJANGO_ENV": "Development"}},
	},
	Run: func(in *Input) []Finding {
		if in.S.Development {
			return []Finding{in.at("DJANGO_ENV", "DJANGO_ENV=development switches the application to its development settings")}
		}
		return nil
	},
}

// profileSummary lists what the development profile forces.
func profileSummary() string {
	var parts []string
	for _, f := range Development.Forced {
		parts = append(parts, fmt.Sprintf("`%s` %s", f.Setting, f.Value))
	}
	return strings.Join(parts, ", ")
}

var envE002 = &Check{
	ID: "env.E002", Title: "The application cannot read a variable", Severity: diag.Error,
	Tags: []string{"deploy"},
	Doc:  "A value stops the application at start: a list variable (`DJANGO_ALLOWED_HOSTS`) starting with `$` and naming a set variable (django-environ casts the list twice and fails), a chain of `$NAME` values that leads back to itself, or a `CONN_MAX_AGE` that is not an integer.",
	Why:  "The container restarts in a loop; the site is down.",
	Fix:  "Write the value itself instead of $NAME, or fix the integer.",
	Examples: []Example{
		{Title: "hosts through another variable", Fails: true, Compose: []Edit{{Old: "DJANGO_ALLOWED_HOSTS: ${DJANGO_DOMAIN}", New: "DJANGO_ALLOWED_HOSTS: $$DJANGO_SITE_DOMAIN"}}},
		{Title: "hosts written out", Fails: false},
	},
	Run: func(in *Input) []Finding {
		var out []Finding
		for _, c := range in.S.Crashes {
			out = append(out, in.at(c.Var, fmt.Sprintf("the application stops at start reading %s: %s", c.Var, c.Why)))
		}
		return out
	},
}

var envI006 = &Check{
	ID: "env.I006", Title: "A variable is set but has no effect", Severity: diag.Info,
	Tags: []string{"deploy"},
	Doc:  "The Django container sets a variable the application never reads (`DJANGO_SECURE_HSTS_SECONDS`, `DJANGO_SESSION_COOKIE_SECURE`, `CELERY_BROKER_URL`, … listed in the settings reference), or one the development profile overrides.",
	Why:  "It gives false confidence: the setting it seems to control is decided elsewhere.",
	Fix:  "Remove the variable; the finding says what decides the setting instead.",
	Examples: []Example{
		{Title: "HSTS seconds", Fails: true, Env: map[string]string{"DJANGO_SECURE_HSTS_SECONDS": "31536000"}},
		{Title: "debug off under the development profile", Fails: true, Env: map[string]string{"DJANGO_ENV": "development", "DJANGO_DEBUG": "False"}},
		{Title: "only variables the application reads", Fails: false},
	},
	Run: func(in *Input) []Finding {
		var out []Finding
		for _, v := range IgnoredVars {
			if in.isSet(v.Name) {
				out = append(out, in.at(v.Name, fmt.Sprintf("%s is set but the application never reads it: %s", v.Name, v.Instead)))
			}
		}
		if in.S.Development {
			for _, f := range Development.Forced {
				if f.Overrides != "" && in.isSet(f.Overrides) {
					out = append(out, in.at(f.Overrides, fmt.Sprintf("%s has no effect: DJANGO_ENV=development sets %s to %s", f.Overrides, f.Setting, f.Value)))
				}
			}
		}
		return out
	},
}

var envW004 = &Check{
	ID: "env.W004", Title: "An allowed host has stray spaces", Severity: diag.Warning,
	Tags: []string{"security", "deploy"},
	Doc:  "An item of `ALLOWED_HOSTS` starts or ends with whitespace, as in `DJANGO_ALLOWED_HOSTS=a.org, b.org`. The list is split on commas and nothing is trimmed.",
	Why:  "The host ` b.org` never matches a request, so that name gets 400 Bad Request.",
	Fix:  "Remove the spaces: DJANGO_ALLOWED_HOSTS=a.org,b.org.",
	Examples: []Example{
		{Title: "a space after the comma", Fails: true, Compose: []Edit{{Old: "DJANGO_ALLOWED_HOSTS: ${DJANGO_DOMAIN}", New: "DJANGO_ALLOWED_HOSTS: ${DJANGO_DOMAIN}, www.${DJANGO_DOMAIN}"}}},
		{Title: "no spaces", Fails: false, Compose: []Edit{{Old: "DJANGO_ALLOWED_HOSTS: ${DJANGO_DOMAIN}", New: "DJANGO_ALLOWED_HOSTS: ${DJANGO_DOMAIN},www.${DJANGO_DOMAIN}"}}},
	},
	Run: func(in *Input) []Finding {
		for _, h := range in.S.AllowedHosts {
			if strings.TrimSpace(h) != h {
				return []Finding{in.at("DJANGO_ALLOWED_HOSTS", fmt.Sprintf("ALLOWED_HOSTS has the item %q with spaces around it", h))}
			}
		}
		return nil
	},
}

var localHosts = []string{"localhost", "127.0.0.1", "[::1]", "0.0.0.0"}

var envW005 = &Check{
	ID: "env.W005", Title: "Production allows localhost", Severity: diag.Warning,
	Tags: []string{"security", "deploy"},
	Doc:  "In production (`DJANGO_ENV` not `development`), `ALLOWED_HOSTS` names `localhost`, `127.0.0.1`, `[::1]` or `0.0.0.0`.",
	Why:  "It is the mark of a development configuration copied into production; other development values usually came with it.",
	Fix:  "List only the public host names in DJANGO_ALLOWED_HOSTS.",
	Examples: []Example{
		{Title: "localhost kept", Fails: true, Compose: []Edit{{Old: "DJANGO_ALLOWED_HOSTS: ${DJANGO_DOMAIN}", New: "DJANGO_ALLOWED_HOSTS: ${DJANGO_DOMAIN},localhost"}}},
		{Title: "the public name only", Fails: false},
	},
	Run: func(in *Input) []Finding {
		if in.S.Development {
			return nil
		}
		for _, h := range in.S.AllowedHosts {
			if slices.Contains(localHosts, h) {
				return []Finding{in.at("DJANGO_ALLOWED_HOSTS", "ALLOWED_HOSTS names "+h+" in production")}
			}
		}
		return nil
	},
}

var cacheE001 = &Check{
	ID: "cache.E001", Title: "REDIS_URL cannot reach Redis", Severity: diag.Error,
	Tags: []string{"caches", "deploy"},
	Doc:  "`REDIS_URL` is set but its scheme is not `redis`, `rediss` or `unix`, or its host is `localhost` or `127.0.0.1` (inside a container that is the container itself).",
	Why:  "The application accepts any value, and every cache call and every queued task then fails at run time.",
	Fix:  "Set REDIS_URL=redis://redis:6379/0, naming the redis service.",
	Examples: []Example{
		{Title: "not a Redis URL", Fails: true, Compose: []Edit{{Old: "REDIS_URL: redis://redis:6379/0", New: "REDIS_URL: http://redis:6379/0"}}},
		{Title: "localhost", Fails: true, Compose: []Edit{{Old: "REDIS_URL: redis://redis:6379/0", New: "REDIS_URL: redis://localhost:6379/0"}}},
		{Title: "the redis service", Fails: false},
	},
	Run: func(in *Input) []Finding {
		v := in.S.BrokerURL
		if v == "" {
			return nil // fairdm.E200
		}
		u, ok := parseURL(v)
		switch {
		case !ok || !slices.Contains([]string{"redis", "rediss", "unix"}, strings.ToLower(u.Scheme)):
			return []Finding{in.at("REDIS_URL", "REDIS_URL is not a redis://, rediss:// or unix:// URL")}
		case slices.Contains(localHosts, u.Hostname()) || u.Hostname() == "::1":
			return []Finding{in.at("REDIS_URL", "REDIS_URL points at "+u.Hostname()+", which inside the container is the container itself")}
		}
		return nil
	},
}

// weakDBPasswords are passwords a database image or a tutorial ships.
var weakDBPasswords = []string{"postgres", "password", "admin", "debug", "secret", "changeme", "123456", "root"}

var dbE002 = &Check{
	ID: "db.E002", Title: "The database password is guessable", Severity: diag.Error,
	Tags: []string{"database", "security", "deploy"},
	Doc:  "A postgres service (by name or image) has an empty `POSTGRES_PASSWORD`, a well-known one (`postgres`, `password`, …), one equal to `POSTGRES_USER` or `POSTGRES_DB`, or `POSTGRES_HOST_AUTH_METHOD=trust`.",
	Why:  "Anyone who reaches the database port (a published port, another container) logs in.",
	Fix:  "Set POSTGRES_PASSWORD in stack.env to a long random value.",
	Examples: []Example{
		{Title: "the image's customary password", Fails: true, Env: map[string]string{"POSTGRES_PASSWORD": "postgres"}},
		{Title: "the password is the user name", Fails: true, Env: map[string]string{"POSTGRES_PASSWORD": "portal"}},
		{Title: "a random password", Fails: false},
	},
	Run: func(in *Input) []Finding {
		var out []Finding
		for _, s := range in.byRole(isPostgres) {
			pw, _ := s.Get("POSTGRES_PASSWORD")
			user := cmpOr(getOr(s, "POSTGRES_USER"), "postgres")
			db := cmpOr(getOr(s, "POSTGRES_DB"), user)
			var why string
			switch {
			case strings.EqualFold(getOr(s, "POSTGRES_HOST_AUTH_METHOD"), "trust"):
				why = "POSTGRES_HOST_AUTH_METHOD=trust lets anyone in without a password"
			case pw == "":
				why = "POSTGRES_PASSWORD is empty"
			case slices.Contains(weakDBPasswords, strings.ToLower(pw)):
				why = "POSTGRES_PASSWORD is a well-known default"
			case pw == user:
				why = "POSTGRES_PASSWORD equals POSTGRES_USER"
			case pw == db:
				why = "POSTGRES_PASSWORD equals POSTGRES_DB"
			default:
				continue
			}
			file, line := varPos(s, "POSTGRES_PASSWORD")
			out = append(out, Finding{Service: s.Name, File: file, Line: line, Message: s.Name + ": " + why})
		}
		return out
	},
}

func isPostgres(s *deployenv.Service) bool {
	return s.Name == "postgres" || strings.Contains(s.Config.Image, "postgres") || strings.Contains(s.Config.Image, "postgis")
}

func getOr(s *deployenv.Service, name string) string { v, _ := s.Get(name); return v }

// varPos is where a service's variable was set, else the service itself.
func varPos(s *deployenv.Service, name string) (string, int) {
	if v, ok := s.Vars[name]; ok && v.Origin.File != "" {
		return v.Origin.File, v.Origin.Line
	}
	return deployenv.ComposeFile, s.Line
}
