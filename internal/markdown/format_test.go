package markdown

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/alecthomas/chroma/v2/styles"
)

// samePlain formats tokens with appendPlain (after bytes already there) and with chroma's formatter as
// the highlighter configures it, and fails on any difference.
func samePlain(t testing.TB, name string, tokens []chroma.Token) {
	t.Helper()
	var want bytes.Buffer
	if err := newFormatter(false, 1, nil).Format(&want, styles.Get("github"), chroma.Literator(tokens...)); err != nil {
		t.Fatal(err)
	}
	got := appendPlain([]byte("before"), chroma.Literator(tokens...))
	if !bytes.Equal(got[:6], []byte("before")) || !bytes.Equal(got[6:], want.Bytes()) {
		w, g := want.String(), string(got[6:])
		i := 0
		for i < len(w) && i < len(g) && w[i] == g[i] {
			i++
		}
		t.Errorf("%s: appendPlain differs from chroma's formatter at byte %d:\nchroma: %q\nours:   %q", name, i, w[max(0, i-40):min(len(w), i+60)], g[max(0, i-40):min(len(g), i+60)])
	}
}

// TestPlainAsChroma formats real code, lexed by chroma's lexers of
// several languages (a Go file lexed as YAML gives error tokens and odd
// splits too), and edge cases of lines and escaping, both ways.
func TestPlainAsChroma(t *testing.T) {
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Fatalf("go env GOROOT: %v", err)
	}
	goroot := strings.TrimSpace(string(out))
	// Each file in its own language and one that splits it oddly.
	var inputs []struct{ name, text, lang string }
	for _, g := range []struct{ pattern, lang, odd string }{
		{filepath.Join(goroot, "src", "strings", "*.go"), "go", "yaml"},
		{filepath.Join(goroot, "src", "encoding", "json", "*.go"), "go", "python"},
		{"/usr/lib/python3*/json/*.py", "python", "bash"},
		{"/usr/share/debconf/*.sh", "bash", "toml"},
	} {
		files, _ := filepath.Glob(g.pattern)
		for _, f := range files[:min(len(files), 4)] {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			text := string(data[:min(len(data), 3<<10)]) // chroma's lexers are slow, under -race slower
			inputs = append(inputs, struct{ name, text, lang string }{f, text, g.lang}, struct{ name, text, lang string }{f, text, g.odd})
		}
	}
	if len(inputs) < 16 {
		t.Fatalf("only %d inputs: Go's own source should be there", len(inputs))
	}
	for name, text := range map[string]string{
		"empty": "", "newline": "\n", "newlines": "\n\n\n", "no final newline": "a = 1\nb = 2",
		"crlf": "x: 1\r\ny: 2\r\n", "escapes": "echo \"<a href='x'>&amp;</a>\" > out\n", "tabs": "\tif x {\n\t\treturn\n\t}\n",
		"trailing spaces": "key: value   \n   \n",
	} {
		for _, lang := range []string{"go", "python", "bash", "yaml", "json", "toml", "ini", "docker", "console", "html", "diff", "sql", "rust"} {
			inputs = append(inputs, struct{ name, text, lang string }{name, text, lang})
		}
	}
	for _, in := range inputs {
		l := lexers.Get(in.lang)
		if l == nil {
			t.Fatalf("chroma has no %s lexer", in.lang)
		}
		it, err := chroma.Coalesce(l).Tokenise(nil, in.text)
		if err != nil {
			t.Fatal(err)
		}
		samePlain(t, in.name+" as "+in.lang, it.Tokens())
	}
}

// TestPlainLines covers chroma's line rules one by one: a token cut
// at its newlines, an empty token that opens the last line (dropped) or
// another line (kept), empty tokens inside a line.
func TestPlainLines(t *testing.T) {
	tok := func(tt chroma.TokenType, v string) chroma.Token { return chroma.Token{Type: tt, Value: v} }
	for name, tokens := range map[string][]chroma.Token{
		"empty last line":        {tok(chroma.Keyword, "a\n"), tok(chroma.Text, "")},
		"empty then text":        {tok(chroma.Keyword, "a\n"), tok(chroma.Text, ""), tok(chroma.Name, "b")},
		"two empty last":         {tok(chroma.Keyword, "a\n"), tok(chroma.Text, ""), tok(chroma.Comment, "")},
		"empty then newline":     {tok(chroma.Text, ""), tok(chroma.Name, "x\n")},
		"only empty":             {tok(chroma.Text, "")},
		"cut token":              {tok(chroma.LiteralString, "\"a\nb\n\nc\""), tok(chroma.Punctuation, ";\n")},
		"newline only tokens":    {tok(chroma.Text, "\n"), tok(chroma.Text, "\n"), tok(chroma.Keyword, "x")},
		"empty inside line":      {tok(chroma.Keyword, "if"), tok(chroma.Text, ""), tok(chroma.Name, "x\n")},
		"classless type":         {tok(chroma.TokenType(987654), "odd & <odd>\n")},
		"subcategory of a class": {tok(chroma.NameBuiltinPseudo, "self"), tok(chroma.LiteralStringAffix, "b'x'")},
	} {
		samePlain(t, name, tokens)
	}
}

// FuzzPlain builds token streams from the input (a token per
// 0x00-separated piece, its type chosen by the piece's first byte among
// chroma's types) and formats them both ways.
func FuzzPlain(f *testing.F) {
	for _, seed := range []string{"", "a\n\x00\x01", "\x02x\ny\x00\x03\x00", "\x05<&>'\"\n\n", "\x00\x00\n\x00"} {
		f.Add([]byte(seed))
	}
	types := make([]chroma.TokenType, 0, len(chroma.StandardTypes)+1)
	for tt := range chroma.StandardTypes {
		types = append(types, tt)
	}
	slices.Sort(types)                              // the same input, the same stream, run after run
	types = append(types, chroma.TokenType(123456)) // no class of its own or its parents'
	f.Fuzz(func(t *testing.T, data []byte) {
		var tokens []chroma.Token
		for _, piece := range strings.Split(string(data), "\x00") {
			tt := chroma.Text
			if piece != "" {
				tt = types[int(piece[0])%len(types)]
				piece = piece[1:]
			}
			tokens = append(tokens, chroma.Token{Type: tt, Value: piece})
		}
		samePlain(t, "fuzz", tokens)
	})
}
