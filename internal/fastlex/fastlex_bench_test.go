package fastlex

import (
	"strings"
	"testing"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
)

// benchSamples are the 8-line blocks of markdown's BenchmarkHighlight.
var benchSamples = map[string]string{
	"bash":   strings.Repeat("docker compose -f production.yml exec redis backup --timeout=42\n", 6) + "echo \"done: $?\"  # report\n",
	"yaml":   "services:\n  redis:\n    image: example/redis:4\n    environment:\n" + strings.Repeat("      CACHE_TOKEN: \"42\"\n", 5),
	"python": "def handle_x(event, retries=3):\n" + strings.Repeat("    cache = event.get(\"token\", 4)\n", 5) + "    return True\n",
	"toml":   "[redis]\n" + strings.Repeat("cache = 42\n", 6),
}

// BenchmarkTokenise is lexing alone (no HTML), fast and chroma's, in the
// same run.
func BenchmarkTokenise(b *testing.B) {
	set, err := Default()
	if err != nil {
		b.Fatal(err)
	}
	for _, lang := range []string{"bash", "yaml", "python", "toml"} {
		base := lexers.Get(lang)
		for _, way := range []struct {
			name  string
			lexer chroma.Lexer
		}{{"fast", set.Get(base)}, {"chroma", base}} {
			b.Run(lang+"/"+way.name, func(b *testing.B) {
				for b.Loop() {
					if _, err := chroma.Tokenise(way.lexer, nil, benchSamples[lang]); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkDefault is the one-off cost of compiling the fast lexers.
func BenchmarkDefault(b *testing.B) {
	for b.Loop() {
		if _, err := Default(); err != nil {
			b.Fatal(err)
		}
	}
}
