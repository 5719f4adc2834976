package checkref

import (
	"context"
	"slices"
	"testing"

	"github.com/docsgen/docsgen/internal/deployenv"
)

// TestPublicDeployments runs every check on the three public deployment
// shapes the issue names (testdata/deployments/*/README.md says what each
// reproduces). Each must give exactly the findings listed: any other ID is a
// false positive, a missing one a problem the validator misses.
func TestPublicDeployments(t *testing.T) {
	for _, tc := range []struct {
		dir, service string
		want         []string
	}{
		// The only finding is Django's own W008: the template sets
		// DJANGO_SECURE_SSL_REDIRECT=False because Traefik's traefik.yml,
		// COPYed into its image, redirects (so no proxy.E002).
		{"cookiecutter-django", "django", []string{"security.W008"}},
		{"research-portal", "web", []string{"compose.W004", "db.E002", "env.W005", "net.W003", "secrets.W004", "storage.E001", "tasks.E001"}},
		{"traefik-tutorial", "app", []string{"security.W008"}},
	} {
		t.Run(tc.dir, func(t *testing.T) {
			d, err := deployenv.Load(context.Background(), deployenv.Options{Dir: "testdata/deployments/" + tc.dir})
			if err != nil {
				t.Fatal(err)
			}
			if d.Main != tc.service {
				t.Errorf("Django service = %q, want %q", d.Main, tc.service)
			}
			var ids []string
			findings := Run(NewInput(d), Selected(Options{Deploy: true}))
			for _, f := range findings {
				ids = append(ids, f.ID)
			}
			slices.Sort(ids)
			if ids = slices.Compact(ids); !slices.Equal(ids, tc.want) {
				t.Errorf("IDs = %v, want %v\nfindings: %+v", ids, tc.want, findings)
			}
		})
	}
}

func TestTraefikStaticFile(t *testing.T) {
	for text, want := range map[string]int{
		"log:\n  level: INFO\n\n# comment\napi:\n  dashboard: true\n  insecure: true\n": 7,
		"api:\n  insecure: false\n":                                 0,
		"api:\n  dashboard: true\nentryPoints:\n  insecure: true\n": 0,
		"[log]\n\n[api]\n  dashboard = true\n  insecure = true\n":   5,
	} {
		if got := insecureAPILine(text); got != want {
			t.Errorf("insecureAPILine(%q) = %d, want %d", text, got, want)
		}
	}
	for text, want := range map[string]bool{
		"entryPoints:\n  web:\n    http:\n      redirections:\n        entryPoint:\n          to: websecure\n":                         true,
		"[entryPoints.web.http.redirections.entryPoint]\n  to = \"websecure\"\n":                                                       true,
		"entryPoints:\n  web:\n    address: ':80'\n#    http:\n#      redirections:\n#        entryPoint:\n#          to: websecure\n": false,
	} {
		if got := (traefikStatic{Known: true, Text: text}).redirectsToHTTPS(); got != want {
			t.Errorf("redirectsToHTTPS(%q) = %v, want %v", text, got, want)
		}
	}
}
