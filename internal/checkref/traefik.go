package checkref

import (
	"io/fs"
	"path"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/docsgen/docsgen/internal/deployenv"
	"github.com/docsgen/docsgen/internal/safefile"
)

// traefikStatic is what is known of a Traefik service's static
// configuration: from its command line, or from a traefik.yml/.toml in the
// deployment folder that is mounted or copied into its image.
type traefikStatic struct {
	// Known is false when the configuration lives where the folder does not
	// show it (an image built elsewhere, a file outside the folder).
	Known bool
	// File is the static configuration file read, relative to the
	// deployment ("" for the command line).
	File string
	Text string
}

var staticConfigName = regexp.MustCompile(`(?i)^traefik\.(ya?ml|toml)$`)

// staticConfig finds a Traefik service's static configuration. Traefik
// takes it from one source: command-line flags (other than --configfile)
// win over a file.
func (in *Input) staticConfig(t *deployenv.Service) traefikStatic {
	var file string
	for _, a := range t.Config.Command {
		if v, ok := strings.CutPrefix(a, "--configfile="); ok {
			file = v
			continue
		}
		if strings.HasPrefix(a, "--") {
			return traefikStatic{Known: true, Text: command(t)}
		}
	}
	// A file mounted where Traefik looks, or at --configfile.
	for _, v := range t.Config.Volumes {
		if v.Type != "bind" {
			continue
		}
		target := v.Target
		if file == "" && staticConfigName.MatchString(path.Base(target)) && strings.HasPrefix(target, "/etc/traefik") || target == file {
			return in.readStatic(v.Source)
		}
		if target == "/etc/traefik" {
			for _, name := range []string{"traefik.yml", "traefik.yaml", "traefik.toml"} {
				if st := in.readStatic(filepath.Join(v.Source, name)); st.Known {
					return st
				}
			}
		}
	}
	// A file the image's Dockerfile copies in from the build context.
	if b := t.Config.Build; b != nil && b.Context != "" {
		dockerfile := b.Dockerfile
		if dockerfile == "" {
			dockerfile = "Dockerfile"
		}
		if !filepath.IsAbs(dockerfile) {
			dockerfile = filepath.Join(b.Context, dockerfile)
		}
		text, ok := in.readInDir(dockerfile)
		if ok {
			for _, line := range strings.Split(text, "\n") {
				fields := strings.Fields(line)
				if len(fields) < 3 || !strings.EqualFold(fields[0], "COPY") && !strings.EqualFold(fields[0], "ADD") {
					continue
				}
				for _, src := range fields[1 : len(fields)-1] {
					if staticConfigName.MatchString(path.Base(src)) {
						return in.readStatic(filepath.Join(b.Context, src))
					}
				}
			}
		}
	}
	return traefikStatic{}
}

func (in *Input) readStatic(p string) traefikStatic {
	text, ok := in.readInDir(p)
	if !ok {
		return traefikStatic{}
	}
	rel, _ := filepath.Rel(in.D.Dir, p)
	return traefikStatic{Known: true, File: filepath.ToSlash(rel), Text: text}
}

// readInDir reads a file of the deployment folder, refusing any path that
// resolves outside it and anything but a regular file.
func (in *Input) readInDir(p string) (string, bool) {
	dir, err := filepath.Abs(in.D.Dir)
	if err != nil {
		return "", false
	}
	if !filepath.IsAbs(p) {
		p = filepath.Join(dir, p)
	}
	rel, err := filepath.Rel(dir, p)
	if err != nil || !filepath.IsLocal(rel) {
		return "", false
	}
	data, err := fs.ReadFile(safefile.DirFS(dir), filepath.ToSlash(rel))
	if err != nil || len(data) > 1<<20 {
		return "", false
	}
	return string(data), true
}

var (
	commentLine = regexp.MustCompile(`(?m)^[ \t]*#.*$`)
	redirectTo  = regexp.MustCompile(`\bto\s*[:=]`)
)

// redirectsToHTTPS reports whether a static configuration redirects an
// entrypoint to another (Traefik's HTTP→HTTPS redirect), or defines a
// redirectScheme middleware.
func (st traefikStatic) redirectsToHTTPS() bool {
	text := strings.ToLower(commentLine.ReplaceAllString(st.Text, ""))
	return strings.Contains(text, "redirections.entrypoint.to") || strings.Contains(text, "redirectscheme") ||
		strings.Contains(text, "redirections") && strings.Contains(text, "entrypoint") && redirectTo.MatchString(text)
}

var (
	yamlInsecureAPI = regexp.MustCompile(`(?m)^api:\s*\n(?:[ \t]+.*\n|\s*\n)*?[ \t]+insecure:\s*["']?true`)
	tomlInsecureAPI = regexp.MustCompile(`(?m)^\[api\]\s*\n(?:[^\[].*\n|\s*\n)*?\s*insecure\s*=\s*true`)
)

// insecureAPILine returns the line of a static configuration that turns on
// the unauthenticated API (api.insecure), or 0.
func insecureAPILine(text string) int {
	text = commentLine.ReplaceAllString(text, "")
	for _, re := range []*regexp.Regexp{yamlInsecureAPI, tomlInsecureAPI} {
		if loc := re.FindStringIndex(text + "\n"); loc != nil {
			return strings.Count(text[:loc[1]], "\n") + 1
		}
	}
	return 0
}
