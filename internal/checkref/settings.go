package checkref

import (
	"net/url"
	"strings"
)

// The application's settings model, as data: which variables the portal
// reads and how, which settings it hard-codes, and what DJANGO_ENV switches.
// Checks read the Settings computed from it, never raw variables, and the
// settings reference page is rendered from the same tables, so the docs,
// the checks and the application agree on one definition.

// Cast is how django-environ turns a variable's text into a setting.
type Cast string

const (
	CastBool  Cast = "bool"
	CastInt   Cast = "int"
	CastStr   Cast = "str"
	CastList  Cast = "list"
	CastDBURL Cast = "db_url"
	// CastRaw is os.environ read directly: no proxy rule, no parsing.
	CastRaw Cast = "raw"
)

// EnvVar is one variable the application reads.
type EnvVar struct {
	Name    string
	Cast    Cast
	Default string // as the application writes it, for the docs
	Setting string // the Django setting it drives
	Doc     string
	// Checks are the check IDs that read the setting.
	Checks []string
}

// AppVars are the variables the application reads in production, in the
// order of the settings reference.
var AppVars = []EnvVar{
	{Name: "DJANGO_ENV", Cast: CastRaw, Default: "production", Setting: "(settings profile)",
		Doc: "Exactly `development` switches to the development profile (below); any other value, `Production` and `prod` included, keeps production.", Checks: []string{"env.E001"}},
	{Name: "DJANGO_DEBUG", Cast: CastBool, Default: "False", Setting: "DEBUG", Checks: []string{"fairdm.E005", "security.W018"}},
	{Name: "DJANGO_SECRET_KEY", Cast: CastStr, Default: `""`, Setting: "SECRET_KEY", Checks: []string{"fairdm.E001", "security.W009", "secrets.W003"}},
	{Name: "DJANGO_SITE_DOMAIN", Cast: CastStr, Default: `""`, Setting: "ALLOWED_HOSTS (first item)",
		Doc: "Added in front of `DJANGO_ALLOWED_HOSTS` when not empty.", Checks: []string{"fairdm.E003", "fairdm.E004", "security.W020"}},
	{Name: "DJANGO_ALLOWED_HOSTS", Cast: CastList, Default: "[]", Setting: "ALLOWED_HOSTS",
		Checks: []string{"fairdm.E003", "fairdm.E004", "security.W020", "env.W004", "env.W005"}},
	{Name: "DJANGO_SECURE_SSL_REDIRECT", Cast: CastBool, Default: "True", Setting: "SECURE_SSL_REDIRECT", Checks: []string{"security.W008", "proxy.E002"}},
	{Name: "DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", Cast: CastBool, Default: "True", Setting: "SECURE_HSTS_INCLUDE_SUBDOMAINS", Checks: []string{"security.W005"}},
	{Name: "DJANGO_SECURE_HSTS_PRELOAD", Cast: CastBool, Default: "True", Setting: "SECURE_HSTS_PRELOAD", Checks: []string{"security.W021"}},
	{Name: "DJANGO_SECURE_CONTENT_TYPE_NOSNIFF", Cast: CastBool, Default: "True", Setting: "SECURE_CONTENT_TYPE_NOSNIFF", Checks: []string{"security.W006"}},
	{Name: "DATABASE_URL", Cast: CastDBURL, Default: "composed from POSTGRES_*", Setting: "DATABASES['default']",
		Doc: "Set but empty gives an empty database configuration, not the composed one.", Checks: []string{"fairdm.E101", "fairdm.E102"}},
	{Name: "POSTGRES_USER", Cast: CastStr, Default: "postgres", Setting: "DATABASES['default'] USER, when DATABASE_URL is unset", Checks: []string{"fairdm.E102"}},
	{Name: "POSTGRES_PASSWORD", Cast: CastStr, Default: `""`, Setting: "DATABASES['default'] PASSWORD, when DATABASE_URL is unset", Checks: []string{"db.E002"}},
	{Name: "POSTGRES_HOST", Cast: CastStr, Default: "postgres", Setting: "DATABASES['default'] HOST, when DATABASE_URL is unset"},
	{Name: "POSTGRES_PORT", Cast: CastStr, Default: "5432", Setting: "DATABASES['default'] PORT, when DATABASE_URL is unset"},
	{Name: "POSTGRES_DB", Cast: CastStr, Default: `""`, Setting: "DATABASES['default'] NAME, when DATABASE_URL is unset", Checks: []string{"fairdm.E102"}},
	{Name: "CONN_MAX_AGE", Cast: CastInt, Default: "60", Setting: "DATABASES['default'] CONN_MAX_AGE"},
	{Name: "REDIS_URL", Cast: CastStr, Default: `""`, Setting: "CACHES, CELERY_BROKER_URL, CELERY_RESULT_BACKEND",
		Doc: "Unset or empty, the caches point at a placeholder and Celery has no broker.", Checks: []string{"fairdm.E200", "fairdm.E300", "cache.E001"}},
	{Name: "DJANGO_ALLOW_ASYNC_UNSAFE", Cast: CastRaw, Default: "unset", Setting: "(Django's async safety)",
		Doc: "Read by Django itself: any non-empty value turns its async-safety protection off.", Checks: []string{"async.E001"}},
}

// HardCoded is a setting the application writes in its code, whatever the
// environment says.
type HardCoded struct {
	Setting string
	Value   string // production
	Checks  []string
	// Ignored is the variable deployments set believing it drives the
	// setting; the application never reads it.
	Ignored string
}

// HardCodedSettings are the security settings the application fixes.
var HardCodedSettings = []HardCoded{
	{Setting: "SECURE_HSTS_SECONDS", Value: "60", Checks: []string{"security.W004"}, Ignored: "DJANGO_SECURE_HSTS_SECONDS"},
	{Setting: "SESSION_COOKIE_SECURE", Value: "True", Checks: []string{"security.W012"}, Ignored: "DJANGO_SESSION_COOKIE_SECURE"},
	{Setting: "CSRF_COOKIE_SECURE", Value: "True", Checks: []string{"security.W016"}, Ignored: "DJANGO_CSRF_COOKIE_SECURE"},
}

// IgnoredVar is a variable deployments set that the application never reads.
type IgnoredVar struct{ Name, Instead string }

// IgnoredVars are set in real deployments but read by nothing; each says
// what the application does instead.
var IgnoredVars = []IgnoredVar{
	{"CACHE_URL", "the caches take REDIS_URL"},
	{"CELERY_BROKER_URL", "Celery's broker is REDIS_URL"},
	{"CELERY_RESULT_BACKEND", "Celery's result backend is REDIS_URL"},
	{"DJANGO_CACHE", "the caches take REDIS_URL"},
	{"DJANGO_CSRF_COOKIE_SECURE", "CSRF_COOKIE_SECURE is hard-coded to True"},
	{"DJANGO_READ_DOT_ENV_FILE", "the application reads stack.env inside the container on its own"},
	{"DJANGO_SECURE", "each security setting has its own variable"},
	{"DJANGO_SECURE_HSTS_SECONDS", "SECURE_HSTS_SECONDS is hard-coded to 60"},
	{"DJANGO_SESSION_COOKIE_SECURE", "SESSION_COOKIE_SECURE is hard-coded to True"},
	{"USE_DOCKER", "nothing depends on it"},
}

// AppOnlyCheck is one of the application's own checks that no environment
// can make fire, so the catalog leaves it out.
type AppOnlyCheck struct{ ID, Why string }

// AppOnlyChecks are the application's checks docsgen does not run, and why.
var AppOnlyChecks = []AppOnlyCheck{
	{"fairdm.E006", "compares cookie names with their Secure flags, which the portal's code sets, not the environment"},
	{"fairdm.E100", "fires on an empty `DATABASES['default']`, which never happens: the portal always adds `ATOMIC_REQUESTS` and `CONN_MAX_AGE`, so an empty or missing database is fairdm.E102"},
	{"fairdm.E301", "reads `CELERY_TASK_ALWAYS_EAGER`, which the portal hard-codes to False"},
	{"fairdm.E400", "compares `LANGUAGES` with `PARLER_LANGUAGES`, both set in code"},
}

// Profile is what DJANGO_ENV=name changes.
type Profile struct {
	Name string
	// Forced are settings the profile sets whatever the environment says,
	// with the variable it overrides ("" if none).
	Forced []ForcedSetting
}

// ForcedSetting is one setting a profile fixes.
type ForcedSetting struct{ Setting, Value, Overrides string }

// Development is the profile DJANGO_ENV=development selects.
var Development = Profile{Name: "development", Forced: []ForcedSetting{
	{"DEBUG", "True", "DJANGO_DEBUG"},
	{"SECRET_KEY", "DJANGO_SECRET_KEY, else " + devSecretKey, ""},
	{"ALLOWED_HOSTS", "localhost, 127.0.0.1", "DJANGO_ALLOWED_HOSTS"},
	{"DATABASES", "SQLite", "DATABASE_URL"},
	{"SESSION_COOKIE_SECURE", "False", ""},
	{"CSRF_COOKIE_SECURE", "False", ""},
	{"SECURE_SSL_REDIRECT", "False", "DJANGO_SECURE_SSL_REDIRECT"},
	{"SECURE_HSTS_SECONDS", "0", ""},
}}

// devSecretKey is the development profile's fallback key.
const devSecretKey = "django-insecure-dev-key-CHANGE-THIS-IN-PRODUCTION"

// redisPlaceholder is where the caches point when REDIS_URL is empty.
const redisPlaceholder = "redis://unconfigured.invalid:6379/0"

// Settings are the application's effective settings for one environment.
type Settings struct {
	// Profile is DJANGO_ENV, "production" when unset.
	Profile     string
	Development bool

	Debug                 bool
	SecretKey             string
	AllowedHosts          []string
	SSLRedirect           bool
	HSTSSeconds           int
	HSTSIncludeSubdomains bool
	HSTSPreload           bool
	ContentTypeNosniff    bool
	SessionCookieSecure   bool
	CSRFCookieSecure      bool
	// Database is DATABASES['default'] without the keys the application
	// always adds; empty when the URL gave nothing.
	Database map[string]string
	// CacheLocation is the caches' LOCATION and BrokerURL Celery's broker.
	CacheLocation string
	BrokerURL     string
	// AsyncUnsafe is DJANGO_ALLOW_ASYNC_UNSAFE set non-empty.
	AsyncUnsafe bool

	// Crashes are the variables that stop the application at start.
	Crashes []Crash
	// Proxied are variables whose value named another variable.
	Proxied map[string]resolved
}

// Crash is a variable whose value the application cannot read.
type Crash struct{ Var, Why string }

// EffectiveSettings computes the settings the application runs with in env.
func EffectiveSettings(env lookup) *Settings {
	s := &Settings{Proxied: map[string]resolved{}}
	s.Profile = "production"
	if v, ok := env("DJANGO_ENV"); ok {
		s.Profile = v
	}
	s.Development = s.Profile == "development"
	if v, _ := env("DJANGO_ALLOW_ASYNC_UNSAFE"); v != "" {
		s.AsyncUnsafe = true
	}

	get := func(name string) resolved {
		r := resolve(env, name)
		if r.Proxied {
			s.Proxied[name] = r
		}
		if r.Loop {
			s.Crashes = append(s.Crashes, Crash{name, "its $ value names a chain of variables that leads back to itself"})
			r.UseDefault = true
		}
		return r
	}
	boolVar := func(name string, def bool) bool {
		if r := get(name); !r.UseDefault {
			return parseBool(r.Value)
		}
		return def
	}
	strVar := func(name, def string) string {
		if r := get(name); !r.UseDefault {
			return r.Value
		}
		return def
	}
	listVar := func(name string) []string {
		r := get(name)
		if r.UseDefault {
			return nil
		}
		if r.Proxied {
			// get_value returns the target already cast to a list, and
			// casting that again calls .split on a list.
			s.Crashes = append(s.Crashes, Crash{name, "its value starts with $, and a list read through another variable fails"})
			return nil
		}
		return parseList(r.Value)
	}

	s.Debug = boolVar("DJANGO_DEBUG", false)
	s.SecretKey = strVar("DJANGO_SECRET_KEY", "")
	if domain := strVar("DJANGO_SITE_DOMAIN", ""); domain != "" {
		s.AllowedHosts = append(s.AllowedHosts, domain)
	}
	s.AllowedHosts = append(s.AllowedHosts, listVar("DJANGO_ALLOWED_HOSTS")...)
	s.SSLRedirect = boolVar("DJANGO_SECURE_SSL_REDIRECT", true)
	s.HSTSSeconds = 60
	s.HSTSIncludeSubdomains = boolVar("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", true)
	s.HSTSPreload = boolVar("DJANGO_SECURE_HSTS_PRELOAD", true)
	s.ContentTypeNosniff = boolVar("DJANGO_SECURE_CONTENT_TYPE_NOSNIFF", true)
	s.SessionCookieSecure, s.CSRFCookieSecure = true, true

	if r := get("CONN_MAX_AGE"); !r.UseDefault {
		if _, ok := pyInt(r.Value); !ok {
			s.Crashes = append(s.Crashes, Crash{"CONN_MAX_AGE", "it is not an integer"})
		}
	}
	if r := get("DATABASE_URL"); !r.UseDefault {
		s.Database = dbURLConfig(r.Value)
	} else {
		user := strVar("POSTGRES_USER", "postgres")
		password := strVar("POSTGRES_PASSWORD", "")
		host := strVar("POSTGRES_HOST", "postgres")
		port := strVar("POSTGRES_PORT", "5432")
		name := strVar("POSTGRES_DB", "")
		s.Database = dbURLConfig("postgresql://" + url.QueryEscape(user) + ":" + url.QueryEscape(password) + "@" + host + ":" + port + "/" + name)
	}

	redis := strVar("REDIS_URL", "")
	s.BrokerURL = redis
	s.CacheLocation = cmpOr(redis, redisPlaceholder)

	if s.Development {
		s.Debug = true
		s.SecretKey = cmpOr(s.SecretKey, devSecretKey)
		s.AllowedHosts = []string{"localhost", "127.0.0.1"}
		s.Database = map[string]string{"ENGINE": "django.db.backends.sqlite3", "NAME": "db.sqlite3"}
		s.SessionCookieSecure, s.CSRFCookieSecure = false, false
		s.SSLRedirect = false
		s.HSTSSeconds = 0
	}
	return s
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// dbSchemes are django-environ's database schemes and the engine each selects.
var dbSchemes = map[string]string{
	"postgres": "django.db.backends.postgresql", "postgresql": "django.db.backends.postgresql",
	"pgsql": "django.db.backends.postgresql", "psql": "django.db.backends.postgresql",
	"postgis": "django.contrib.gis.db.backends.postgis",
	"mysql":   "django.db.backends.mysql", "mysql2": "django.db.backends.mysql",
	"mysqlgis": "django.contrib.gis.db.backends.mysql", "mysql-connector": "mysql.connector.django",
	"oracle": "django.db.backends.oracle", "spatialite": "django.contrib.gis.db.backends.spatialite",
	"sqlite": "django.db.backends.sqlite3", "ldap": "ldapdb.backends.ldap",
}

// dbURLConfig is django-environ's db_url_config, reduced to the keys the
// checks read (ENGINE, NAME, USER, PASSWORD, HOST): a URL without a scheme
// gives an empty configuration; an unknown scheme is taken as the engine.
func dbURLConfig(raw string) map[string]string {
	if raw == "sqlite://:memory:" {
		return map[string]string{"ENGINE": dbSchemes["sqlite"], "NAME": ":memory:"}
	}
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok || scheme == "" || !validScheme(scheme) {
		return map[string]string{}
	}
	scheme = strings.ToLower(scheme)
	netloc, path := rest, ""
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		netloc = rest[:i]
		if rest[i] == '/' {
			path = rest[i:]
		}
	}
	path, _, _ = strings.Cut(path, "#")
	name := strings.TrimPrefix(path, "/")
	name, _, _ = strings.Cut(name, "?")
	if n, err := url.QueryUnescape(name); err == nil {
		name = n
	}
	if scheme == "sqlite" && name == "" {
		name = ":memory:"
	}
	cfg := map[string]string{"ENGINE": scheme, "NAME": name}
	if e, ok := dbSchemes[scheme]; ok {
		cfg["ENGINE"] = e
	}
	userinfo, host, hasUser := strings.Cut(netloc, "@")
	if !hasUser {
		host, userinfo = netloc, ""
	}
	user, password, _ := strings.Cut(userinfo, ":")
	cfg["USER"], _ = url.PathUnescape(user)
	cfg["PASSWORD"], _ = url.PathUnescape(password)
	if h, _, ok := strings.Cut(host, ":"); ok {
		host = h
	}
	cfg["HOST"] = host
	return cfg
}

// validScheme is urllib's rule for a URL scheme: a letter, then letters,
// digits, "+", "-" or ".".
func validScheme(s string) bool {
	for i, r := range s {
		isLetter := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
		if i == 0 && !isLetter || !isLetter && !(r >= '0' && r <= '9') && !strings.ContainsRune("+-.", r) {
			return false
		}
	}
	return true
}
