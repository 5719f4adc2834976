package markdown

import (
	"testing"

	"github.com/yuin/goldmark/ast"
)

func TestByKind(t *testing.T) {
	var b byKind[string]
	if got := b.get(ast.KindParagraph); got != "" {
		t.Errorf("empty: got %q", got)
	}
	b.set(ast.KindHeading, "heading")
	b.set(ast.KindText, "text")
	for k, want := range map[ast.NodeKind]string{ast.KindHeading: "heading", ast.KindText: "text", ast.KindParagraph: "", -1: "", ast.NodeKind(1 << 20): ""} {
		if got := b.get(k); got != want {
			t.Errorf("get(%v) = %q, want %q", k, got, want)
		}
	}
}
