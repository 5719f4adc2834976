package checkref

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/docsgen/docsgen/internal/diag"
)

// Django's own deploy checks (django/core/checks/security/base.py,
// sessions.py, csrf.py and async_checks.py), with Django's IDs and
// conditions, evaluated on the settings the application computes. The
// application's MIDDLEWARE holds SecurityMiddleware, SessionMiddleware and
// CsrfViewMiddleware and it installs django.contrib.sessions, so the
// conditions on those are always met. TestAgreesWithDjango runs Django's
// checks on the same settings and compares.

// djangoCheck builds a Django security warning on a boolean setting the
// application reads from variable (default True) or the development
// profile forces.
func djangoCheck(id, title, setting, variable, doc, why string, fails func(s *Settings) bool, examples []Example) *Check {
	return &Check{
		ID: id, Title: title, Severity: diag.Warning, Tags: []string{"security", "deploy"},
		Doc: doc, Why: why,
		Fix:      fmt.Sprintf("Set %s=True, or remove it to keep the secure default.", variable),
		Examples: examples,
		Run: func(in *Input) []Finding {
			if !fails(in.S) {
				return nil
			}
			if in.S.Development && !in.isSet(variable) {
				return []Finding{in.at("DJANGO_ENV", fmt.Sprintf("%s is off (DJANGO_ENV=development)", setting))}
			}
			msg := fmt.Sprintf("%s is off: %s is false to the application", setting, variable)
			if v, _ := in.Main.Get(variable); v != "" && strings.TrimSpace(v) != v {
				msg += " (django-environ does not strip the spaces around it)"
			}
			return []Finding{in.at(variable, msg+in.proxyNote(variable))}
		},
	}
}

// boolDoc describes how a boolean variable is read, for the catalog.
const boolDoc = "False means any value that is not an integer other than 0 and not exactly one of `true`, `on`, `ok`, `y`, `yes` (any case, **no spaces**): `False`, `\"True \"`, an empty value and a `$NAME` naming a false variable all turn it off. Unset (or a `$NAME` naming an unset variable) keeps the default, True."

var securityW004 = &Check{
	ID: "security.W004", Title: "HSTS is off", Severity: diag.Warning, Tags: []string{"security", "deploy"},
	Doc: "`SECURE_HSTS_SECONDS` is 0. The application hard-codes it to 60 in production, so only `DJANGO_ENV=development` (which sets 0) turns it off; `DJANGO_SECURE_HSTS_SECONDS` is never read (env.I006).",
	Why: "Without HSTS a browser may still reach the site over plain HTTP, where the first request can be intercepted.",
	Fix: "Leave DJANGO_ENV unset or production.",
	Examples: []Example{
		{Title: "the development profile", Fails: true, Env: map[string]string{"DJANGO_ENV": "development"}},
		{Title: "HSTS_SECONDS set to 0, which the application ignores", Fails: false, Env: map[string]string{"DJANGO_SECURE_HSTS_SECONDS": "0"}},
	},
	Run: func(in *Input) []Finding {
		if in.S.HSTSSeconds == 0 {
			return []Finding{in.at("DJANGO_ENV", "SECURE_HSTS_SECONDS is 0 (DJANGO_ENV=development)")}
		}
		return nil
	},
}

var securityW005 = djangoCheck("security.W005", "HSTS does not cover subdomains", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS",
	"HSTS is on and `SECURE_HSTS_INCLUDE_SUBDOMAINS` (from `DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS`) is false. "+boolDoc,
	"Subdomains such as tasks., media. and minio. stay reachable over plain HTTP.",
	func(s *Settings) bool { return s.HSTSSeconds > 0 && !s.HSTSIncludeSubdomains },
	boolExamples("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS"))

var securityW006 = djangoCheck("security.W006", "Browsers may sniff content types", "SECURE_CONTENT_TYPE_NOSNIFF", "DJANGO_SECURE_CONTENT_TYPE_NOSNIFF",
	"`SECURE_CONTENT_TYPE_NOSNIFF` (from `DJANGO_SECURE_CONTENT_TYPE_NOSNIFF`) is false. "+boolDoc,
	"Without `X-Content-Type-Options: nosniff` a browser may run an uploaded file as a script or a page.",
	func(s *Settings) bool { return !s.ContentTypeNosniff },
	boolExamples("DJANGO_SECURE_CONTENT_TYPE_NOSNIFF"))

var securityW008 = djangoCheck("security.W008", "Django does not redirect HTTP to HTTPS", "SECURE_SSL_REDIRECT", "DJANGO_SECURE_SSL_REDIRECT",
	"`SECURE_SSL_REDIRECT` (from `DJANGO_SECURE_SSL_REDIRECT`) is false, or `DJANGO_ENV` is `development`. "+boolDoc,
	"Requests that reach Django over HTTP are served unencrypted instead of redirected (Traefik's redirect covers only what passes through its web entrypoint).",
	func(s *Settings) bool { return !s.SSLRedirect },
	boolExamples("DJANGO_SECURE_SSL_REDIRECT"))

var securityW021 = djangoCheck("security.W021", "The site is not HSTS-preloadable", "SECURE_HSTS_PRELOAD", "DJANGO_SECURE_HSTS_PRELOAD",
	"HSTS is on and `SECURE_HSTS_PRELOAD` (from `DJANGO_SECURE_HSTS_PRELOAD`) is false. "+boolDoc,
	"Browsers only trust HTTPS for the site after a first visit, instead of from the start.",
	func(s *Settings) bool { return s.HSTSSeconds > 0 && !s.HSTSPreload },
	boolExamples("DJANGO_SECURE_HSTS_PRELOAD"))

func boolExamples(variable string) []Example {
	return []Example{
		{Title: "turned off", Fails: true, Env: map[string]string{variable: "False"}},
		{Title: "empty", Fails: true, Env: map[string]string{variable: ""}},
		{Title: "a padded true, which reads as false", Fails: true, Env: map[string]string{variable: "' true'"}},
		{Title: "on", Fails: false, Env: map[string]string{variable: "True"}},
		{Title: "a $NAME naming an unset variable, which keeps the default", Fails: false, Env: map[string]string{variable: "'$NOT_SET_ANYWHERE'"}},
	}
}

// cookieCheck is W012 and W016: a cookie flag the application hard-codes
// to True in production and the development profile turns off.
func cookieCheck(id, title, setting, why string, off func(s *Settings) bool) *Check {
	return &Check{
		ID: id, Title: title, Severity: diag.Warning, Tags: []string{"security", "deploy"},
		Doc: fmt.Sprintf("`%s` is false. The application hard-codes it to True in production; only `DJANGO_ENV=development` turns it off, and `DJANGO_%s` is never read (env.I006).", setting, setting),
		Why: why,
		Fix: "Leave DJANGO_ENV unset or production.",
		Examples: []Example{
			{Title: "the development profile", Fails: true, Env: map[string]string{"DJANGO_ENV": "development"}},
			{Title: "the variable set to False, which the application ignores", Fails: false, Env: map[string]string{"DJANGO_" + setting: "False"}},
		},
		Run: func(in *Input) []Finding {
			if off(in.S) {
				return []Finding{in.at("DJANGO_ENV", setting+" is False (DJANGO_ENV=development)")}
			}
			return nil
		},
	}
}

var securityW012 = cookieCheck("security.W012", "Session cookies may travel over HTTP", "SESSION_COOKIE_SECURE",
	"A session cookie sent over plain HTTP can be stolen and replayed to take over an account.",
	func(s *Settings) bool { return !s.SessionCookieSecure })

var securityW016 = cookieCheck("security.W016", "CSRF cookies may travel over HTTP", "CSRF_COOKIE_SECURE",
	"A CSRF cookie sent over plain HTTP can be read and used to forge requests.",
	func(s *Settings) bool { return !s.CSRFCookieSecure })

// insecureKeyPrefix marks the keys startproject generates.
const insecureKeyPrefix = "django-insecure-"

var securityW009 = &Check{
	ID: "security.W009", Title: "SECRET_KEY is weak (Django's rule)", Severity: diag.Warning, Tags: []string{"security", "deploy"},
	Doc: "`SECRET_KEY` is empty, shorter than 50 characters, has fewer than 5 distinct characters, or starts with `django-insecure-`. fairdm.E001 is the application's error for most of these; the distinct-characters rule is only Django's.",
	Why: "A key with few distinct characters is guessable however long it is.",
	Fix: "Set DJANGO_SECRET_KEY to at least 50 random characters.",
	Examples: []Example{
		{Title: "a long key of two characters", Fails: true, Env: map[string]string{"DJANGO_SECRET_KEY": strings.Repeat("ab", 30)}},
		{Title: "a long random key", Fails: false},
	},
	Run: func(in *Input) []Finding {
		k := in.S.SecretKey
		distinct := map[rune]bool{}
		for _, r := range k {
			distinct[r] = true
		}
		var why string
		switch {
		case k == "":
			why = "it is empty"
		case utf8.RuneCountInString(k) < 50:
			why = "it is shorter than 50 characters"
		case len(distinct) < 5:
			why = "it has fewer than 5 distinct characters"
		case strings.HasPrefix(k, insecureKeyPrefix):
			why = "it starts with " + insecureKeyPrefix
		default:
			return nil
		}
		return []Finding{in.atSetting("DJANGO_SECRET_KEY", !in.isSet("DJANGO_SECRET_KEY"), "SECRET_KEY is weak: "+why)}
	},
}

var securityW018 = &Check{
	ID: "security.W018", Title: "DEBUG is on (Django's rule)", Severity: diag.Warning, Tags: []string{"security", "deploy"},
	Doc: "`DEBUG` is on; Django's twin of fairdm.E005, same condition.",
	Why: "Debug pages show settings, source code and SQL to every visitor.",
	Fix: "Set DJANGO_DEBUG=False, or leave it unset; leave DJANGO_ENV unset or production.",
	Examples: []Example{
		{Title: "debug on", Fails: true, Env: map[string]string{"DJANGO_DEBUG": "1_0"}},
		{Title: "debug off", Fails: false, Env: map[string]string{"DJANGO_DEBUG": "0"}},
	},
	Run: debugOn,
}

var securityW020 = &Check{
	ID: "security.W020", Title: "ALLOWED_HOSTS is empty (Django's rule)", Severity: diag.Warning, Tags: []string{"security", "deploy"},
	Doc: "`ALLOWED_HOSTS` is empty; Django's twin of fairdm.E003, same condition.",
	Why: "With DEBUG off, Django answers every request with 400 Bad Request.",
	Fix: "Set DJANGO_DOMAIN in stack.env; production.yml passes it on as DJANGO_SITE_DOMAIN and DJANGO_ALLOWED_HOSTS.",
	Examples: []Example{
		{Title: "hosts not passed to Django", Fails: true, Compose: []Edit{
			{Old: "    DJANGO_SITE_DOMAIN: ${DJANGO_DOMAIN}\n", New: ""},
			{Old: "    DJANGO_ALLOWED_HOSTS: ${DJANGO_DOMAIN}\n", New: ""}}},
		{Title: "the domain set", Fails: false},
	},
	Run: allowedHostsEmpty,
}

var asyncE001 = &Check{
	ID: "async.E001", Title: "Async safety is turned off", Severity: diag.Error, Tags: []string{"security", "deploy"},
	Doc: "`DJANGO_ALLOW_ASYNC_UNSAFE` is set to a non-empty value in the Django container; Django reads it itself.",
	Why: "Django then lets synchronous database code run inside the event loop, which corrupts connections under load.",
	Fix: "Remove DJANGO_ALLOW_ASYNC_UNSAFE; it is for notebooks and shells, not deployments.",
	Examples: []Example{
		{Title: "set", Fails: true, Env: map[string]string{"DJANGO_ALLOW_ASYNC_UNSAFE": "false"}},
		{Title: "set but empty", Fails: false, Env: map[string]string{"DJANGO_ALLOW_ASYNC_UNSAFE": ""}},
	},
	Run: func(in *Input) []Finding {
		if in.S.AsyncUnsafe {
			return []Finding{in.at("DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_ALLOW_ASYNC_UNSAFE is set, which turns Django's async safety off (any non-empty value does, false included)")}
		}
		return nil
	},
}

// djangoIDs are the IDs of the checks above that Django itself defines.
var djangoIDs = []string{"async.E001", "security.W004", "security.W005", "security.W006", "security.W008", "security.W009",
	"security.W012", "security.W016", "security.W018", "security.W020", "security.W021"}

// isDjangoID reports whether Django itself defines the check id.
func isDjangoID(id string) bool { return slices.Contains(djangoIDs, id) }
