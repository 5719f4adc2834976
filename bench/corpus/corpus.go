// Package corpus writes a deterministic documentation corpus of N pages in
// three equivalent forms: MyST for docsgen, the same MyST plus conf.py for
// Sphinx + MyST-Parser, and Markdown with shortcodes for Hugo. The benchmarks
// and bench/run.sh use it.
package corpus

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
)

var (
	words = strings.Fields(`deployment service container volume network proxy certificate worker queue
cache database migration backup restore secret variable environment domain router middleware entrypoint
scheduler task broker upload storage bucket endpoint request response timeout retry health status metric
log trace alert policy permission account session cookie token header redirect release version upgrade`)
	topics   = strings.Fields(`traefik postgres redis celery flower minio django nginx backups monitoring logging email storage search api`)
	sections = []string{"Overview", "Installation steps", "Configuration options", "Running in production", "Troubleshooting"}
)

const pagesPerSection = 100

type page struct {
	section, index int
	topic          string
}

func (p page) dir() string  { return fmt.Sprintf("s%02d", p.section) }
func (p page) name() string { return fmt.Sprintf("p%04d", p.index) }
func (p page) title() string {
	return fmt.Sprintf("%s %s guide %d", strings.ToUpper(p.topic[:1])+p.topic[1:], words[p.index%len(words)], p.index)
}

func slug(s string) string { return strings.ToLower(strings.ReplaceAll(s, " ", "-")) }

// Flavours are the forms Write can produce.
var Flavours = []string{"docsgen", "sphinx", "hugo"}

// Write writes an n-page corpus in each flavour to out/FLAVOUR.
func Write(out string, n int, flavours ...string) error {
	if len(flavours) == 0 {
		flavours = Flavours
	}
	pages := make([]page, n)
	for i := range pages {
		pages[i] = page{section: i / pagesPerSection, index: i, topic: topics[i%len(topics)]}
	}
	nsec := (n + pagesPerSection - 1) / pagesPerSection
	for _, flavour := range flavours {
		root := filepath.Join(out, flavour)
		if err := os.RemoveAll(root); err != nil {
			return err
		}
		w := writer{root: root, flavour: flavour}
		w.scaffold(nsec)
		for i, p := range pages {
			rng := rand.New(rand.NewPCG(uint64(i), 42))
			w.page(p, pages, rng)
		}
		if w.err != nil {
			return w.err
		}
	}
	return nil
}

type writer struct {
	root, flavour string
	err           error
}

func (w *writer) file(rel, content string) {
	if w.err != nil {
		return
	}
	p := filepath.Join(w.root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		w.err = err
		return
	}
	w.err = os.WriteFile(p, []byte(content), 0o644)
}

const exampleCode = `"""Example module included by every page."""
import os


def connect(url: str, retries: int = 3) -> bool:
    """Connect to the service at url."""
    for attempt in range(retries):
        if os.environ.get("DRY_RUN"):
            return True
        print(f"attempt {attempt} to {url}")
    return False


class Worker:
    def __init__(self, name):
        self.name = name

    def run(self, task):
        return task(self.name)
`

func (w *writer) contentDir() string {
	switch w.flavour {
	case "hugo":
		return "content/"
	case "docsgen":
		return "content/"
	}
	return ""
}

func (w *writer) scaffold(nsec int) {
	c := w.contentDir()
	var secs []string
	for s := range nsec {
		secs = append(secs, fmt.Sprintf("s%02d/index", s))
	}
	switch w.flavour {
	case "docsgen":
		w.file("docsgen.yaml", "title: Benchmark corpus\nbase_url: https://bench.example.org/\n")
		w.file("content/_code/example.py", exampleCode)
	case "sphinx":
		w.file("conf.py", `project = "Benchmark corpus"
extensions = ["myst_parser"]
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3
exclude_patterns = ["_build"]
html_theme = "alabaster"
suppress_warnings = ["myst.header"]
`)
		w.file("_code/example.py", exampleCode)
	case "hugo":
		w.file("config.toml", `baseURL = "https://bench.example.org/"
title = "Benchmark corpus"
disableKinds = ["taxonomy", "term", "RSS"]
[markup.highlight]
noClasses = false
[markup.goldmark.renderer]
unsafe = true
[markup.tableOfContents]
startLevel = 2
endLevel = 3
`)
		w.file("layouts/_default/baseof.html", `<!DOCTYPE html><html><head><title>{{ .Title }}</title><link rel="stylesheet" href="/style.css"></head>
<body><nav>{{ range .Site.Sections }}<a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ end }}</nav>
<main>{{ block "main" . }}{{ end }}</main></body></html>`)
		w.file("layouts/_default/single.html", `{{ define "main" }}<aside>{{ .TableOfContents }}</aside><article><h1>{{ .Title }}</h1>{{ .Content }}</article>
{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }} {{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}{{ end }}`)
		w.file("layouts/_default/list.html", `{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}`)
		w.file("layouts/shortcodes/admonition.html", `<div class="admonition {{ .Get 0 }}"><p class="admonition-title">{{ .Get 0 | title }}</p>{{ .Inner | markdownify }}</div>`)
		w.file("layouts/shortcodes/include.html", `{{ highlight (readFile (.Get 0)) (.Get 1) "linenos=table" }}`)
		w.file("_code/example.py", exampleCode)
	}
	var root strings.Builder
	root.WriteString("# Benchmark corpus\n\nA generated site for build benchmarks.\n\n")
	if w.flavour == "hugo" {
		w.file(c+"_index.md", "---\ntitle: Benchmark corpus\n---\nA generated site for build benchmarks.\n")
	} else {
		root.WriteString("```{toctree}\n:maxdepth: 1\n\n" + strings.Join(secs, "\n") + "\n```\n")
		w.file(c+"index.md", root.String())
	}
}

func (w *writer) page(p page, all []page, rng *rand.Rand) {
	c := w.contentDir()
	if p.index%pagesPerSection == 0 {
		secTitle := fmt.Sprintf("Section %d", p.section)
		if w.flavour == "hugo" {
			w.file(fmt.Sprintf("%s%s/_index.md", c, p.dir()), fmt.Sprintf("---\ntitle: %s\n---\n", secTitle))
		} else {
			var names []string
			for _, q := range all {
				if q.section == p.section {
					names = append(names, q.name())
				}
			}
			w.file(fmt.Sprintf("%s%s/index.md", c, p.dir()), fmt.Sprintf("# %s\n\n```{toctree}\n:maxdepth: 1\n\n%s\n```\n", secTitle, strings.Join(names, "\n")))
		}
	}
	var b strings.Builder
	hugo := w.flavour == "hugo"
	if hugo {
		fmt.Fprintf(&b, "---\ntitle: %q\nweight: %d\n---\n\n", p.title(), p.index)
	} else {
		fmt.Fprintf(&b, "# %s\n\n", p.title())
	}
	b.WriteString(paragraph(rng, 4) + "\n\n")
	codeBlocks := 2 + rng.IntN(3)
	langs := []string{"bash", "yaml", "python", "toml"}
	for si, sec := range sections {
		fmt.Fprintf(&b, "## %s\n\n%s\n\n", sec, paragraph(rng, 3+rng.IntN(3)))
		switch si {
		case 0:
			for range 5 {
				fmt.Fprintf(&b, "- %s\n", sentence(rng))
			}
			b.WriteString("\n")
			// Links to other pages, with anchors that exist there.
			for k := range 3 {
				q := all[(p.index*7+k*131+1)%len(all)]
				anchor := slug(sections[(p.index+k)%len(sections)])
				if hugo {
					fmt.Fprintf(&b, "See [%s]({{< relref \"/%s/%s.md#%s\" >}}).\n", q.title(), q.dir(), q.name(), anchor)
				} else {
					fmt.Fprintf(&b, "See [%s](../%s/%s.md#%s).\n", q.title(), q.dir(), q.name(), anchor)
				}
			}
			b.WriteString("\n")
		case 1:
			b.WriteString("| Setting | Default | Meaning |\n|---|---|---|\n")
			for range 4 {
				fmt.Fprintf(&b, "| `%s_%s` | `%d` | %s |\n", strings.ToUpper(p.topic), strings.ToUpper(word(rng)), rng.IntN(1000), sentence(rng))
			}
			b.WriteString("\n")
		case 2:
			kind := []string{"note", "warning", "tip"}[p.index%3]
			if hugo {
				fmt.Fprintf(&b, "{{< admonition %s >}}\n%s\n{{< /admonition >}}\n\n", kind, paragraph(rng, 2))
			} else {
				fmt.Fprintf(&b, "```{%s}\n%s\n```\n\n", kind, paragraph(rng, 2))
			}
			if hugo {
				b.WriteString("{{< include \"_code/example.py\" \"python\" >}}\n\n")
			} else {
				fmt.Fprintf(&b, "```{literalinclude} ../_code/example.py\n:language: python\n:lines: 5-12\n:linenos:\n```\n\n")
			}
		}
		if si < codeBlocks {
			lang := langs[(p.index+si)%len(langs)]
			fmt.Fprintf(&b, "```%s\n%s```\n\n", lang, code(lang, rng, p))
		}
		fmt.Fprintf(&b, "### Details of %s\n\n%s\n\n", strings.ToLower(sec), paragraph(rng, 2))
	}
	w.file(fmt.Sprintf("%s%s/%s.md", c, p.dir(), p.name()), b.String())
}

func word(rng *rand.Rand) string { return words[rng.IntN(len(words))] }

func sentence(rng *rand.Rand) string {
	n := 6 + rng.IntN(10)
	ws := make([]string, n)
	for i := range ws {
		ws[i] = word(rng)
	}
	ws[0] = strings.ToUpper(ws[0][:1]) + ws[0][1:]
	if rng.IntN(4) == 0 {
		ws[2] = "`" + ws[2] + "`"
	}
	if rng.IntN(5) == 0 {
		ws[4] = "**" + ws[4] + "**"
	}
	return strings.Join(ws, " ") + "."
}

func paragraph(rng *rand.Rand, sentences int) string {
	var lines []string
	for range sentences {
		lines = append(lines, sentence(rng))
	}
	return strings.Join(lines, "\n")
}

func code(lang string, rng *rand.Rand, p page) string {
	var b strings.Builder
	switch lang {
	case "bash":
		for range 6 {
			fmt.Fprintf(&b, "docker compose -f production.yml exec %s %s --%s=%d\n", p.topic, word(rng), word(rng), rng.IntN(100))
		}
		b.WriteString("echo \"done: $?\"  # report\n")
	case "yaml":
		fmt.Fprintf(&b, "services:\n  %s:\n    image: example/%s:%d\n    environment:\n", p.topic, p.topic, rng.IntN(20))
		for range 5 {
			fmt.Fprintf(&b, "      %s_%s: \"%d\"\n", strings.ToUpper(word(rng)), strings.ToUpper(word(rng)), rng.IntN(1000))
		}
	case "python":
		fmt.Fprintf(&b, "def handle_%s(event, retries=%d):\n", word(rng), rng.IntN(5))
		for range 5 {
			fmt.Fprintf(&b, "    %s = event.get(%q, %d)\n", word(rng), word(rng), rng.IntN(100))
		}
		b.WriteString("    return True\n")
	case "toml":
		fmt.Fprintf(&b, "[%s]\n", p.topic)
		for range 6 {
			fmt.Fprintf(&b, "%s = %d\n", word(rng), rng.IntN(1000))
		}
	}
	return b.String()
}
