package fastlex

import (
	"reflect"
	"strings"
	"testing"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
)

var qsamples = map[string]string{
	"bash":    strings.Repeat("docker compose -f production.yml exec redis backup --timeout=42\n", 6) + "echo \"done: $?\"  # report\n",
	"yaml":    "services:\n  redis:\n    image: example/redis:4\n    environment:\n" + strings.Repeat("      CACHE_TOKEN: \"42\"\n", 5),
	"python":  "def handle_x(event, retries=3):\n" + strings.Repeat("    cache = event.get(\"token\", 4)\n", 5) + "    return True\n",
	"toml":    "[redis]\n" + strings.Repeat("cache = 42\n", 6),
	"console": "$ ls -la\ntotal 0\n$ echo hi # x\nhi",
	"docker":  "FROM debian:12\nRUN apt-get update && apt-get install -y x\nCMD [\"a\"]\n",
}

func TestQuick(t *testing.T) {
	s, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for lang, src := range qsamples {
		base := lexers.Get(lang)
		want, _ := chroma.Tokenise(base, nil, src)
		got, _ := chroma.Tokenise(s.Get(base), nil, src)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: differ\n%v\n%v", lang, got, want)
		}
	}
}

func BenchmarkQuick(b *testing.B) {
	s, _ := Default()
	for _, lang := range []string{"bash", "yaml", "python", "toml"} {
		base := lexers.Get(lang)
		b.Run(lang+"/chroma", func(b *testing.B) {
			for b.Loop() {
				chroma.Tokenise(base, nil, qsamples[lang])
			}
		})
		b.Run(lang+"/fast", func(b *testing.B) {
			f := s.Get(base)
			for b.Loop() {
				chroma.Tokenise(f, nil, qsamples[lang])
			}
		})
	}
}
