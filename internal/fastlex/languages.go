package fastlex

import (
	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
)

// languages are the chroma lexers the differential test proves fast lexing
// identical for, on real code of each (see diff_test.go): the languages
// docs use most. Other lexers may work too, but are not proven.
var languages = []string{"bash", "console", "yaml", "python", "json", "toml", "ini", "docker", "go", "plaintext"}

// Default makes the Set of chroma's registered lexers for the proven
// languages, and for chroma's fallback lexer (plain text).
func Default() (*Set, error) {
	bases := []chroma.Lexer{lexers.Fallback}
	for _, name := range languages {
		bases = append(bases, lexers.GlobalLexerRegistry.Get(name))
	}
	return NewSet(lexers.GlobalLexerRegistry, bases...)
}
