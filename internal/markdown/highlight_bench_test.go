package markdown

import (
	"io"
	"strings"
	"testing"

	"github.com/alecthomas/chroma/v2"
	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/alecthomas/chroma/v2/styles"
)

var samples = map[string]string{
	"bash":   strings.Repeat("docker compose -f production.yml exec redis backup --timeout=42\n", 6) + "echo \"done: $?\"  # report\n",
	"yaml":   "services:\n  redis:\n    image: example/redis:4\n    environment:\n" + strings.Repeat("      CACHE_TOKEN: \"42\"\n", 5),
	"python": "def handle_x(event, retries=3):\n" + strings.Repeat("    cache = event.get(\"token\", 4)\n", 5) + "    return True\n",
	"toml":   "[redis]\n" + strings.Repeat("cache = 42\n", 6),
}

// BenchmarkHighlight measures one typical 8-line block per language, with
// the fast lexers and with chroma's own, in the same run.
func BenchmarkHighlight(b *testing.B) {
	for _, lang := range []string{"bash", "yaml", "python", "toml"} {
		for _, way := range []struct{ name, noFast string }{{"fast", ""}, {"chroma", "1"}} {
			b.Run(lang+"/"+way.name, func(b *testing.B) {
				b.Setenv(noFastLexersEnv, way.noFast)
				h := NewHighlighter()
				for b.Loop() {
					if _, err := h.appendHighlight(nil, lang, samples[lang], false, 1, nil); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

func BenchmarkRawChroma(b *testing.B) {
	for _, lang := range []string{"bash", "python"} {
		b.Run(lang, func(b *testing.B) {
			l := lexers.Get(lang)
			f := chromahtml.New(chromahtml.WithClasses(true))
			st := styles.Get("github")
			for b.Loop() {
				it, _ := l.Tokenise(nil, samples[lang])
				f.Format(io.Discard, st, it)
			}
		})
		b.Run(lang+"-coalesced", func(b *testing.B) {
			l := chroma.Coalesce(lexers.Get(lang))
			f := chromahtml.New(chromahtml.WithClasses(true))
			st := styles.Get("github")
			for b.Loop() {
				it, _ := l.Tokenise(nil, samples[lang])
				f.Format(io.Discard, st, it)
			}
		})
	}
}
