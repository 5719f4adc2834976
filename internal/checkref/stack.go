package checkref

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/docsgen/docsgen/examples"
	"github.com/docsgen/docsgen/internal/deployenv"
	"github.com/docsgen/docsgen/internal/diag"
)

// --- reading the stack: services by role, Traefik labels, commands ---

func (in *Input) byRole(match func(s *deployenv.Service) bool) []*deployenv.Service {
	var out []*deployenv.Service
	for _, s := range in.services() {
		if match(s) {
			out = append(out, s)
		}
	}
	return out
}

func isTraefik(s *deployenv.Service) bool {
	return s.Name == "traefik" || strings.Contains(s.Config.Image, "traefik")
}

func isMinio(s *deployenv.Service) bool {
	return s.Name == "minio" || strings.Contains(s.Config.Image, "minio/minio")
}

func isFlower(s *deployenv.Service) bool {
	return strings.Contains(s.Name, "flower") || strings.Contains(command(s), "flower")
}

func command(s *deployenv.Service) string { return strings.Join(s.Config.Command, " ") }

var routerRuleRe = regexp.MustCompile(`^traefik\.http\.routers\.([^.]+)\.rule$`)

// routers returns the names of the Traefik routers a service's labels define.
func routers(s *deployenv.Service) []string {
	var out []string
	for k := range s.Config.Labels {
		if m := routerRuleRe.FindStringSubmatch(k); m != nil {
			out = append(out, m[1])
		}
	}
	slices.Sort(out)
	return out
}

func label(s *deployenv.Service, key string) (string, bool) {
	v, ok := s.Config.Labels[key]
	return v, ok
}

// flagValue reports whether a command has --name or --name=value (any of
// names), and the value.
func flagValue(args []string, names ...string) (string, bool) {
	for _, a := range args {
		for _, n := range names {
			if a == n {
				return "true", true
			}
			if v, ok := strings.CutPrefix(a, n+"="); ok {
				return v, true
			}
		}
	}
	return "", false
}

var weakPasswords = []string{"admin", "password", "debug", "flower", "minioadmin", "changeme", "secret", "123456"}

// --- the stack checks ---

var proxyE001 = &Check{
	ID: "proxy.E001", Title: "A routed service has no TLS certificate", Severity: diag.Error,
	Tags: []string{"proxy", "security", "deploy"},
	Doc:  "A Traefik router (a `traefik.http.routers.NAME.rule` label) has no `tls.certresolver`. With only `tls=true`, Traefik serves its self-signed default certificate; with neither, the route is plain HTTP.",
	Why:  "Visitors get certificate errors or an unencrypted site; credentials and session cookies travel in clear text.",
	Fix:  "Add traefik.http.routers.NAME.tls.certresolver=letsencrypt (the resolver the traefik service defines) and the websecure entrypoint.",
	Examples: []Example{
		{Title: "Django routed without a resolver", Fails: true, Compose: []Edit{{Old: "      - traefik.http.routers.django.tls.certresolver=letsencrypt\n", New: ""}}},
		{Title: "every router with Let's Encrypt", Fails: false},
	},
	Run: func(in *Input) []Finding {
		var out []Finding
		for _, s := range in.services() {
			for _, r := range routers(s) {
				prefix := "traefik.http.routers." + r + "."
				if _, ok := label(s, prefix+"tls.certresolver"); ok {
					continue
				}
				msg := fmt.Sprintf("router %s of %s has no TLS: its route is plain HTTP", r, s.Name)
				if v, ok := label(s, prefix+"tls"); ok && strings.EqualFold(v, "true") {
					msg = fmt.Sprintf("router %s of %s has TLS but no certificate resolver, so Traefik serves its self-signed certificate", r, s.Name)
				}
				out = append(out, Finding{Service: s.Name, Message: msg, File: deployenv.ComposeFile, Line: in.serviceLine(s, prefix+"rule")})
			}
		}
		return out
	},
}

var proxyE002 = &Check{
	ID: "proxy.E002", Title: "Nothing redirects HTTP to HTTPS", Severity: diag.Error,
	Tags: []string{"proxy", "security", "deploy"},
	Doc:  "No layer sends HTTP visitors to HTTPS: Traefik's static configuration (its command line, or a `traefik.yml`/`.toml` mounted or copied into its image from this folder) has no entrypoint redirection, no service has a `redirectscheme` middleware, **and** Django's `SECURE_SSL_REDIRECT` is off. When Traefik's static configuration is not in the folder, proxy.I004 says so instead.",
	Why:  "Visitors who type the bare domain stay on plain HTTP, where logins and cookies can be intercepted.",
	Fix:  "Add --entrypoints.web.http.redirections.entrypoint.to=websecure and --entrypoints.web.http.redirections.entrypoint.scheme=https to traefik's command.",
	Examples: []Example{
		{Title: "no redirect anywhere", Fails: true, Env: map[string]string{"DJANGO_SECURE_SSL_REDIRECT": "False"},
			Compose: []Edit{{Old: "      - --entrypoints.web.http.redirections.entrypoint.to=websecure\n      - --entrypoints.web.http.redirections.entrypoint.scheme=https\n", New: ""}}},
		{Title: "Traefik redirects", Fails: false, Env: map[string]string{"DJANGO_SECURE_SSL_REDIRECT": "False"}},
		{Title: "the redirect in a mounted traefik.yml", Fails: false, Env: map[string]string{"DJANGO_SECURE_SSL_REDIRECT": "False"},
			Compose: []Edit{{Old: traefikCommand, New: "    command:\n      - --configfile=/etc/traefik/traefik.yml\n"},
				{Old: "      - production_traefik:/etc/traefik/acme\n", New: "      - production_traefik:/etc/traefik/acme\n      - ./deploy/traefik.yml:/etc/traefik/traefik.yml:ro\n"}},
			Files: map[string]string{"deploy/traefik.yml": "entryPoints:\n  web:\n    address: ':80'\n    http:\n      redirections:\n        entryPoint:\n          to: websecure\n"}},
		{Title: "no redirect in the mounted traefik.yml", Fails: true, Env: map[string]string{"DJANGO_SECURE_SSL_REDIRECT": "False"},
			Compose: []Edit{{Old: traefikCommand, New: "    command:\n      - --configfile=/etc/traefik/traefik.yml\n"},
				{Old: "      - production_traefik:/etc/traefik/acme\n", New: "      - production_traefik:/etc/traefik/acme\n      - ./deploy/traefik.yml:/etc/traefik/traefik.yml:ro\n"}},
			Files: map[string]string{"deploy/traefik.yml": "entryPoints:\n  web:\n    address: ':80'\n"}},
	},
	Run: func(in *Input) []Finding {
		if in.S.SSLRedirect {
			return nil // Django redirects (security.W008 covers turning that off)
		}
		traefiks := in.byRole(isTraefik)
		if len(traefiks) == 0 {
			return nil
		}
		for _, t := range traefiks {
			st := in.staticConfig(t)
			if !st.Known || st.redirectsToHTTPS() {
				return nil // proxy.I004 says when it cannot be known
			}
		}
		for _, s := range in.services() {
			for k := range s.Config.Labels {
				if strings.Contains(strings.ToLower(k), ".redirectscheme.") {
					return nil
				}
			}
		}
		t := traefiks[0]
		return []Finding{{Service: t.Name, File: deployenv.ComposeFile, Line: in.serviceLine(t, "command:"),
			Message: "neither Traefik nor Django (SECURE_SSL_REDIRECT is off) redirects HTTP to HTTPS"}}
	},
}

// traefikCommand is the example deployment's Traefik command line.
const traefikCommand = "    command:\n      - --providers.docker=true\n      - --providers.docker.exposedbydefault=false\n      - --entrypoints.web.address=:80\n      - --entrypoints.web.http.redirections.entrypoint.to=websecure\n      - --entrypoints.web.http.redirections.entrypoint.scheme=https\n      - --entrypoints.websecure.address=:443\n      - --certificatesresolvers.letsencrypt.acme.email=${TRAEFIK_ACME_EMAIL}\n      - --certificatesresolvers.letsencrypt.acme.storage=/etc/traefik/acme/acme.json\n      - --certificatesresolvers.letsencrypt.acme.httpchallenge.entrypoint=web\n"

var proxyI004 = &Check{
	ID: "proxy.I004", Title: "Traefik's static configuration is not in the folder", Severity: diag.Info,
	Tags: []string{"proxy", "deploy"},
	Doc:  "A Traefik service has no command-line configuration, and no `traefik.yml`/`.toml` from the folder is mounted or copied into its image, so its entrypoints, redirects and certificate resolvers cannot be checked.",
	Why:  "proxy.E002 and proxy.E003 cannot see what that configuration does; it needs a human look.",
	Fix:  "Keep traefik.yml in the deployment folder and mount it (or COPY it in the Dockerfile), or configure Traefik on its command line.",
	Examples: []Example{
		{Title: "an image with its own configuration", Fails: true,
			Compose: []Edit{{Old: traefikCommand, New: ""}}},
		{Title: "configured on the command line", Fails: false},
	},
	Run: func(in *Input) []Finding {
		var out []Finding
		for _, t := range in.byRole(isTraefik) {
			if !in.staticConfig(t).Known {
				out = append(out, Finding{Service: t.Name, File: deployenv.ComposeFile, Line: t.Line,
					Message: t.Name + "'s static configuration is neither on its command line nor in a file of this folder, so its redirects and entrypoints cannot be checked"})
			}
		}
		return out
	},
}

var proxyE003 = &Check{
	ID: "proxy.E003", Title: "The Traefik dashboard is open", Severity: diag.Error,
	Tags: []string{"proxy", "security", "deploy"},
	Doc:  "Traefik runs with `--api.insecure=true`, or its static configuration file sets `insecure: true` under `api` (the dashboard on port 8080 without authentication), or a router sends traffic to `api@internal` without a middleware.",
	Why:  "The dashboard shows every route, backend and certificate of the server to anyone who finds it.",
	Fix:  "Remove --api.insecure; route the dashboard through a router with a basicauth middleware, or leave it off.",
	Examples: []Example{
		{Title: "insecure API", Fails: true, Compose: []Edit{{Old: "      - --providers.docker=true\n", New: "      - --providers.docker=true\n      - --api.insecure=true\n"}}},
		{Title: "insecure API in a mounted traefik.yml", Fails: true,
			Compose: []Edit{{Old: traefikCommand, New: "    command:\n      - --configfile=/etc/traefik/traefik.yml\n"},
				{Old: "      - production_traefik:/etc/traefik/acme\n", New: "      - production_traefik:/etc/traefik/acme\n      - ./deploy/traefik.yml:/etc/traefik/traefik.yml:ro\n"}},
			Files: map[string]string{"deploy/traefik.yml": "api:\n  dashboard: true\n  insecure: true\n"}},
		{Title: "no dashboard", Fails: false},
	},
	Run: func(in *Input) []Finding {
		var out []Finding
		for _, t := range in.byRole(isTraefik) {
			if v, ok := flagValue(t.Config.Command, "--api.insecure"); ok && !strings.EqualFold(v, "false") {
				out = append(out, Finding{Service: t.Name, File: deployenv.ComposeFile, Line: in.serviceLine(t, "api.insecure"),
					Message: "traefik runs with --api.insecure: the dashboard has no authentication"})
			}
			if st := in.staticConfig(t); st.File != "" {
				if line := insecureAPILine(st.Text); line > 0 {
					out = append(out, Finding{Service: t.Name, File: st.File, Line: line,
						Message: st.File + " sets api.insecure: the dashboard has no authentication"})
				}
			}
		}
		for _, s := range in.services() {
			for _, r := range routers(s) {
				prefix := "traefik.http.routers." + r + "."
				if v, _ := label(s, prefix+"service"); v == "api@internal" {
					if _, ok := label(s, prefix+"middlewares"); !ok {
						out = append(out, Finding{Service: s.Name, File: deployenv.ComposeFile, Line: in.serviceLine(s, prefix+"service"),
							Message: "router " + r + " exposes the Traefik dashboard without a middleware"})
					}
				}
			}
		}
		return out
	},
}

var tasksE001 = &Check{
	ID: "tasks.E001", Title: "Flower is reachable without a strong password", Severity: diag.Error,
	Tags: []string{"celery", "security", "deploy"},
	Doc:  "Flower is reachable, routed by Traefik (at tasks.${DJANGO_DOMAIN}) or on a published port, and none of these protects it: a basicauth middleware with users on its router, `FLOWER_BASIC_AUTH` or `FLOWER_AUTH` in its environment, `CELERY_FLOWER_USER` with `CELERY_FLOWER_PASSWORD`, or `--basic-auth` in its command. Also fires when the password is a well-known default (`debug`, `admin`, …), equals the user name, or is shorter than 8 characters.",
	Why:  "Flower shows task arguments (often personal data) and can revoke tasks or shut workers down.",
	Fix:  "Attach a basicauth middleware to the flower router (users from htpasswd), or set FLOWER_BASIC_AUTH=user:long-random-password; do not publish its port.",
	Examples: []Example{
		{Title: "no authentication", Fails: true, Unset: []string{"FLOWER_BASIC_AUTH"},
			Compose: []Edit{{Old: "      - traefik.http.routers.flower.middlewares=flower-auth\n", New: ""}}},
		{Title: "a default password", Fails: true, Env: map[string]string{"FLOWER_BASIC_AUTH": "admin:admin"},
			Compose: []Edit{{Old: "      - traefik.http.routers.flower.middlewares=flower-auth\n", New: ""}}},
		{Title: "debug:debug on a published port", Fails: true,
			Compose: []Edit{{Old: "    command: /start-flower\n", New: "    command: celery flower --basic_auth=debug:debug\n    ports:\n      - \"5555:5555\"\n"}}},
		{Title: "a basicauth middleware", Fails: false},
	},
	Run: func(in *Input) []Finding {
		var out []Finding
		for _, f := range in.byRole(isFlower) {
			rs := routers(f)
			published := slices.ContainsFunc(f.Config.Ports, func(p types.ServicePortConfig) bool { return p.Published != "" })
			if len(rs) == 0 && !published {
				continue
			}
			protected := false
			for _, r := range rs {
				mws, _ := label(f, "traefik.http.routers."+r+".middlewares")
				for _, mw := range strings.Split(mws, ",") {
					mw = strings.TrimSuffix(strings.TrimSpace(mw), "@docker")
					for _, s := range in.services() {
						if users, ok := label(s, "traefik.http.middlewares."+mw+".basicauth.users"); ok && users != "" {
							protected = true
						}
					}
				}
			}
			if published {
				protected = false // the published port bypasses Traefik's middleware
			}
			creds := ""
			for _, k := range []string{"FLOWER_BASIC_AUTH", "FLOWER_AUTH"} {
				if v, ok := f.Get(k); ok && v != "" {
					creds = v
				}
			}
			if u, p := getOr(f, "CELERY_FLOWER_USER"), getOr(f, "CELERY_FLOWER_PASSWORD"); u != "" && p != "" {
				creds = u + ":" + p
			}
			if v, ok := flagValue(f.Config.Command, "--basic-auth", "--basic_auth"); ok && v != "" {
				creds = v
			}
			line := f.Line
			if len(rs) > 0 {
				line = in.serviceLine(f, "routers."+rs[0]+".rule")
			}
			where := "routed by Traefik"
			if published {
				where = "on a published port"
			}
			switch {
			case protected:
			case creds != "":
				user, pw, _ := strings.Cut(strings.Split(creds, ",")[0], ":")
				if slices.Contains(weakPasswords, strings.ToLower(pw)) || pw == user || len(pw) < 8 {
					out = append(out, Finding{Service: f.Name, File: deployenv.ComposeFile, Line: line,
						Message: "Flower is " + where + " and its password is a default, its user name, or shorter than 8 characters"})
				}
			default:
				out = append(out, Finding{Service: f.Name, File: deployenv.ComposeFile, Line: line, Message: "Flower is " + where + " without authentication"})
			}
		}
		return out
	},
}

var storageE001 = &Check{
	ID: "storage.E001", Title: "Minio uses default or missing credentials", Severity: diag.Error,
	Tags: []string{"storage", "security", "deploy"},
	Doc:  "The minio service has no `MINIO_ROOT_USER` or `MINIO_ROOT_PASSWORD` (Minio then uses `minioadmin`), one of them is `minioadmin`, the password equals the user, the password is shorter than 8 characters, or it still uses the legacy `MINIO_ACCESS_KEY`/`MINIO_SECRET_KEY`.",
	Why:  "Minio's console is public at minio.${DJANGO_DOMAIN}; default credentials give anyone every uploaded file.",
	Fix:  "Set MINIO_ROOT_USER and a long random MINIO_ROOT_PASSWORD in stack.env.",
	Examples: []Example{
		{Title: "no credentials", Fails: true, Unset: []string{"MINIO_ROOT_USER", "MINIO_ROOT_PASSWORD"}},
		{Title: "the default password", Fails: true, Env: map[string]string{"MINIO_ROOT_PASSWORD": "minioadmin"}},
		{Title: "the password is the user name", Fails: true, Env: map[string]string{"MINIO_ROOT_PASSWORD": "portal-storage"}},
		{Title: "own credentials", Fails: false},
	},
	Run: func(in *Input) []Finding {
		var out []Finding
		for _, m := range in.byRole(isMinio) {
			user, uok := m.Get("MINIO_ROOT_USER")
			pw, pok := m.Get("MINIO_ROOT_PASSWORD")
			pos := func(name string) (string, int) {
				if v, ok := m.Vars[name]; ok && v.Origin.File != "" {
					return v.Origin.File, v.Origin.Line
				}
				return deployenv.ComposeFile, m.Line
			}
			add := func(name, msg string) {
				file, line := pos(name)
				out = append(out, Finding{Service: m.Name, File: file, Line: line, Message: msg})
			}
			_, legacy := m.Get("MINIO_ACCESS_KEY")
			switch {
			case legacy:
				add("MINIO_ACCESS_KEY", "minio uses the legacy MINIO_ACCESS_KEY/MINIO_SECRET_KEY; set MINIO_ROOT_USER/MINIO_ROOT_PASSWORD")
			case !uok || user == "" || !pok || pw == "":
				add("MINIO_ROOT_PASSWORD", "minio has no MINIO_ROOT_USER or MINIO_ROOT_PASSWORD, so it falls back to its well-known default credentials")
			case user == "minioadmin" || pw == "minioadmin":
				add("MINIO_ROOT_PASSWORD", "minio uses its well-known default credentials")
			case pw == user:
				add("MINIO_ROOT_PASSWORD", "MINIO_ROOT_PASSWORD equals MINIO_ROOT_USER")
			case len(pw) < 8:
				add("MINIO_ROOT_PASSWORD", "MINIO_ROOT_PASSWORD is shorter than 8 characters")
			}
		}
		return out
	},
}

// literalSecret reports whether a raw production.yml value holds secret
// text itself rather than a ${VAR} reference.
func literalSecret(raw string) bool {
	rest := refText.ReplaceAllString(raw, "")
	return strings.TrimSpace(rest) != ""
}

var refText = regexp.MustCompile(`\$\{[^}]*\}|\$[_a-zA-Z][_a-zA-Z0-9]*`)

var secretsE001 = &Check{
	ID: "secrets.E001", Title: "A secret is written in production.yml", Severity: diag.Error,
	Tags: []string{"secrets", "security", "deploy"},
	Doc:  "An `environment:` entry whose name marks a secret (containing SECRET, PASSWORD, TOKEN, KEY, DSN or CREDENTIAL, or ending in PASS, PWD or PRIVATE) has a literal value instead of a `${VAR}` reference, or a URL in production.yml carries a literal password.",
	Why:  "production.yml is committed to version control: the secret is shared with everyone who can read the repository, forever.",
	Fix:  "Move the value to stack.env and write ${NAME} in production.yml.",
	Examples: []Example{
		{Title: "a literal key", Fails: true, Compose: []Edit{{Old: "    DJANGO_SETTINGS_MODULE: config.settings.production\n", New: "    DJANGO_SETTINGS_MODULE: config.settings.production\n    DJANGO_SECRET_KEY: Zq8vN3xK7pL2mR9tW4yB6cF1hJ5dG0sA8eU3iO7nV2bX6kM9qT4wY1zC5rE0uH3j\n"}}},
		{Title: "a literal database password", Fails: true, Compose: []Edit{{Old: ":${POSTGRES_PASSWORD}@postgres", New: ":hunter2hunter2@postgres"}}},
		{Title: "references only", Fails: false},
	},
	Run: func(in *Input) []Finding {
		var out []Finding
		seen := map[int]bool{}
		for _, s := range in.services() {
			for _, name := range s.Names() {
				v := s.Vars[name]
				if v.Origin.Layer != deployenv.LayerCompose || v.Raw == "" || seen[v.Origin.Line] {
					continue
				}
				msg := ""
				switch {
				case deployenv.IsSecret(name) && literalSecret(v.Raw):
					msg = name + " is written in production.yml"
				case strings.Contains(v.Raw, "://") && strings.Contains(v.Raw, "@"):
					userinfo := v.Raw[strings.Index(v.Raw, "://")+3 : strings.LastIndex(v.Raw, "@")]
					if _, pw, ok := strings.Cut(userinfo, ":"); ok && literalSecret(pw) {
						msg = name + " in production.yml carries a literal password"
					}
				}
				if msg != "" {
					seen[v.Origin.Line] = true
					out = append(out, Finding{Service: s.Name, File: deployenv.ComposeFile, Line: v.Origin.Line, Message: msg})
				}
			}
		}
		return out
	},
}

var placeholderRe = regexp.MustCompile(`(?i)!!!set|change[-_ ]?me|change[-_ ]?this|your[-_ ]secret[-_ ]key|<generate|replace[-_ ]?me`)

var secretsE002 = &Check{
	ID: "secrets.E002", Title: "A template placeholder is still in place", Severity: diag.Error,
	Tags: []string{"secrets", "security", "deploy"},
	Doc:  "A value still holds a template placeholder: `!!!SET …!!!`, `changeme`, `change-this`, `your-secret-key`, `<generate…>` or `replace-me`.",
	Why:  "Placeholders pass most other checks (they are long enough) but are public knowledge.",
	Fix:  "Replace the placeholder with a real value in the file the finding names.",
	Examples: []Example{
		{Title: "a cookiecutter placeholder", Fails: true, Env: map[string]string{"POSTGRES_PASSWORD": "!!!SET POSTGRES_PASSWORD!!!"}},
		{Title: "real values", Fails: false},
	},
	Run: func(in *Input) []Finding {
		var out []Finding
		seen := map[string]bool{}
		// The Django service first: that is where a finding is most useful.
		services := append([]*deployenv.Service{in.Main}, in.services()...)
		for _, s := range services {
			for _, name := range s.Names() {
				v := s.Vars[name]
				if seen[name] || !placeholderRe.MatchString(v.Value) {
					continue
				}
				// A production.yml value that got the placeholder through ${VAR}
				// is not the place to fix it; the variable's own file is.
				if v.Origin.Layer == deployenv.LayerCompose && !placeholderRe.MatchString(v.Raw) {
					continue
				}
				seen[name] = true
				out = append(out, Finding{Service: s.Name, File: v.Origin.File, Line: v.Origin.Line, Message: name + " still holds a template placeholder"})
			}
		}
		return out
	},
}

var secretsW003 = &Check{
	ID: "secrets.W003", Title: "The secret key starts with $", Severity: diag.Warning,
	Tags: []string{"secrets", "deploy"},
	Doc:  "`DJANGO_SECRET_KEY` starts with `$`. The application (django-environ) reads such a value as the name of another variable, so the key it uses is that variable's value, usually empty.",
	Why:  "fairdm.E001 then reports the key as unset although it is visibly set, a baffling failure; or worse, another variable's value becomes the key.",
	Fix:  "Generate a new key that does not start with $.",
	Examples: []Example{
		{Title: "a key starting with $", Fails: true, Env: map[string]string{"DJANGO_SECRET_KEY": "'$Zq8vN3xK7pL2mR9tW4yB6cF1hJ5dG0sA8eU3iO7nV2bX6kM9qT4wY1zC5rE0uH3j'"}},
		{Title: "an ordinary key", Fails: false},
	},
	Run: func(in *Input) []Finding {
		if v, ok := in.Main.Get("DJANGO_SECRET_KEY"); ok && strings.HasPrefix(v, "$") {
			return []Finding{in.at("DJANGO_SECRET_KEY", "DJANGO_SECRET_KEY starts with $, so the application reads it as the name of another variable")}
		}
		return nil
	},
}

var netE001 = &Check{
	ID: "net.E001", Title: "The debugger port is open", Severity: diag.Error,
	Tags: []string{"network", "security", "deploy"},
	Doc:  "A service publishes port 5678 (debugpy), or its command starts debugpy.",
	Why:  "A reachable debugger runs any code an attacker sends, inside the container.",
	Fix:  "Remove the 5678 port mapping and the debugpy command from production.yml; they belong in the local development file.",
	Examples: []Example{
		{Title: "debug port published", Fails: true, Compose: []Edit{{Old: "    command: /start\n", New: "    command: /start\n    ports:\n      - \"5678:5678\"\n"}}},
		{Title: "no debugger", Fails: false},
	},
	Run: func(in *Input) []Finding {
		var out []Finding
		for _, s := range in.services() {
			for _, p := range s.Config.Ports {
				if p.Target == 5678 || p.Published == "5678" {
					out = append(out, Finding{Service: s.Name, File: deployenv.ComposeFile, Line: in.serviceLine(s, "5678"), Message: s.Name + " publishes the debugger port 5678"})
				}
			}
			if c := command(s); strings.Contains(c, "debugpy") || strings.Contains(c, "--wait-for-client") {
				out = append(out, Finding{Service: s.Name, File: deployenv.ComposeFile, Line: in.serviceLine(s, "debugpy"), Message: s.Name + " starts the debugpy debugger"})
			}
		}
		return out
	},
}

var dataPorts = map[uint32]string{5432: "PostgreSQL", 3306: "MySQL", 6379: "Redis", 11211: "Memcached", 27017: "MongoDB"}

var netW002 = &Check{
	ID: "net.W002", Title: "A database or cache port is published", Severity: diag.Warning,
	Tags: []string{"network", "security", "deploy"},
	Doc:  "A service publishes a database or cache port (5432, 3306, 6379, 11211, 27017) on the host.",
	Why:  "Published ports bypass Traefik, and Docker's firewall rules bypass ufw: the database answers the internet.",
	Fix:  "Remove the ports: mapping; the services reach each other over the Compose network. Use an SSH tunnel for maintenance.",
	Examples: []Example{
		{Title: "PostgreSQL published", Fails: true, Compose: []Edit{{Old: "    image: portal_production_postgres\n", New: "    image: portal_production_postgres\n    ports:\n      - \"5432:5432\"\n"}}},
		{Title: "nothing published but Traefik", Fails: false},
	},
	Run: func(in *Input) []Finding {
		var out []Finding
		for _, s := range in.services() {
			for _, p := range s.Config.Ports {
				if what, ok := dataPorts[p.Target]; ok && p.Published != "" {
					out = append(out, Finding{Service: s.Name, File: deployenv.ComposeFile, Line: in.serviceLine(s, fmt.Sprint(p.Target)),
						Message: fmt.Sprintf("%s publishes the %s port %d on the host", s.Name, what, p.Target)})
				}
			}
		}
		return out
	},
}

// appPorts are ports that belong behind the proxy, never on the host.
var appPorts = map[uint32]string{8000: "the application server", 5000: "the application server", 5555: "Flower", 9000: "Minio", 9001: "Minio's console"}

var netW003 = &Check{
	ID: "net.W003", Title: "An application port is published", Severity: diag.Warning,
	Tags: []string{"network", "security", "deploy"},
	Doc:  "A service other than Traefik publishes an application port on the host: 8000 or 5000 (the Django server), 5555 (Flower), 9000 or 9001 (Minio).",
	Why:  "The port bypasses Traefik and its TLS, authentication and redirects; Docker's firewall rules bypass ufw.",
	Fix:  "Remove the ports: mapping and route the service through Traefik.",
	Examples: []Example{
		{Title: "Django's port published", Fails: true, Compose: []Edit{{Old: "    command: /start\n", New: "    command: /start\n    ports:\n      - \"8000:8000\"\n"}}},
		{Title: "only Traefik publishes", Fails: false},
	},
	Run: func(in *Input) []Finding {
		var out []Finding
		for _, s := range in.services() {
			if isTraefik(s) {
				continue
			}
			for _, p := range s.Config.Ports {
				if what, ok := appPorts[p.Target]; ok && p.Published != "" {
					out = append(out, Finding{Service: s.Name, File: deployenv.ComposeFile, Line: in.serviceLine(s, fmt.Sprint(p.Target)),
						Message: fmt.Sprintf("%s publishes port %d (%s) on the host, past Traefik", s.Name, p.Target, what)})
				}
			}
		}
		return out
	},
}

var secretsE003 = &Check{
	ID: "secrets.E003", Title: "A secret is one published in the docs", Severity: diag.Error,
	Tags: []string{"secrets", "security", "deploy"},
	Doc:  "A secret (a variable whose name marks one) has a value that the documentation publishes: one from the example deployments the guide includes, or from a failing example on this page. The example's own key is marked as an example, and this check makes a copied example fail.",
	Why:  "Everyone who has read the docs knows the value.",
	Fix:  "Generate new values for every secret the finding names.",
	Examples: []Example{
		{Title: "the example deployment as published", Fails: true},
		{Title: "own secrets", Fails: false, Env: ownSecrets},
	},
	Run: func(in *Input) []Finding {
		published := in.Published
		var out []Finding
		seen := map[string]bool{}
		for _, s := range append([]*deployenv.Service{in.Main}, in.services()...) {
			for _, name := range s.Names() {
				v := s.Vars[name]
				if seen[name] || !deployenv.IsSecret(name) || v.Value == "" || !published[v.Value] {
					continue
				}
				seen[name] = true
				out = append(out, Finding{Service: s.Name, File: v.Origin.File, Line: v.Origin.Line,
					Message: name + " has a value the documentation publishes"})
			}
		}
		return out
	},
}

var composeSecretLine = regexp.MustCompile(`(?m)^\s*-?\s*([A-Za-z_][A-Za-z0-9_]*)\s*[:=]\s*(.+)$`)

// minPublished is the shortest value secrets.E003 compares: shorter
// published ones ("postgres", "admin") are the weak defaults other checks
// name more precisely.
const minPublished = 12

// publishedSecrets are the secret values the docs show: those of the
// example deployments, and those of the catalog's failing examples. A
// passing example's secrets are not printed (see Example.Changes).
func publishedSecrets(checks []*Check) map[string]bool {
	out := examples.PublishedSecrets()
	for _, c := range checks {
		for _, e := range c.Examples {
			if !e.Fails {
				continue
			}
			for k, v := range e.Env {
				if deployenv.IsSecret(k) && len(v) >= minPublished {
					out[strings.Trim(v, `'"`)] = true
				}
			}
			for _, ed := range e.Compose {
				for _, m := range composeSecretLine.FindAllStringSubmatch(ed.New, -1) {
					if v := strings.Trim(strings.TrimSpace(m[2]), `'"`); deployenv.IsSecret(m[1]) && len(v) >= minPublished && !strings.Contains(v, "${") {
						out[v] = true
					}
				}
			}
		}
	}
	return out
}

// ownSecrets replace every secret of the example deployment, for examples
// that must not trip secrets.E003.
var ownSecrets = map[string]string{
	"DJANGO_SECRET_KEY":   "h7Kq2WmX9pLr4Tz8VbN3cJ6fYd1Gs5Ae0Uo7Ii2Mk9Qw4Er8Ty3Hu6Jn1Bv5Cx0Zl",
	"POSTGRES_PASSWORD":   "Wm4Tq8Zr2Lx6Vn9Pb3Kd",
	"MINIO_ROOT_PASSWORD": "Rt6Yp2Hs9Nq4Xw7Gk3Mb",
	"FLOWER_BASIC_AUTH":   "ops:$$apr1$$q9w8e7$$Lm3NbVcXz1Qa2Ws4Ed5Rf/",
}

var secretsW004 = &Check{
	ID: "secrets.W004", Title: "A secret's value is reused", Severity: diag.Warning,
	Tags: []string{"secrets", "security", "deploy"},
	Doc:  "A variable has the same value as a secret of another name, such as `POSTGRES_DB` equal to `POSTGRES_PASSWORD`, or the Minio password equal to the Django key. `docsgen env` masks such a value and marks it \"(same value as NAME)\".",
	Why:  "One leak then discloses the other; a non-secret variable holding it is shown in logs and dashboards.",
	Fix:  "Give each secret its own random value.",
	Examples: []Example{
		{Title: "the database name is the password", Fails: true, Env: map[string]string{"POSTGRES_DB": "V7r2Lq9XkM4pT8wN3bZ6"}},
		{Title: "distinct values", Fails: false},
	},
	Run: func(in *Input) []Finding {
		secrets := map[string]string{} // value → the first secret's name
		services := in.services()
		for _, s := range services {
			for _, name := range s.Names() {
				if v := s.Vars[name].Value; deployenv.IsSecret(name) && len(v) >= 4 {
					if _, ok := secrets[v]; !ok {
						secrets[v] = name
					}
				}
			}
		}
		var out []Finding
		seen := map[string]bool{}
		for _, s := range services {
			for _, name := range s.Names() {
				v := s.Vars[name]
				secret, ok := secrets[v.Value]
				if !ok || secret == name || seen[name+"="+secret] || seen[secret+"="+name] {
					continue
				}
				seen[name+"="+secret] = true
				out = append(out, Finding{Service: s.Name, File: v.Origin.File, Line: v.Origin.Line,
					Message: fmt.Sprintf("%s has the same value as %s", name, secret)})
			}
		}
		return out
	},
}
