package build

import (
	"os"
	"runtime"
	"testing"

	"github.com/docsgen/docsgen/internal/markdown"
)

// TestBodySpill: a body goes into the temporary file (already removed from
// its folder) and comes back as it was, the held page keeping no copy;
// without a file, bodies stay in memory up to the limit, and past it a
// page is not held (it is parsed again to render).
func TestBodySpill(t *testing.T) {
	s := newBodySpill()
	defer s.close()
	if s.f == nil {
		t.Fatal("no temporary file")
	}
	if runtime.GOOS != "windows" {
		if _, err := os.Stat(s.f.Name()); !os.IsNotExist(err) {
			t.Errorf("the temporary file is still in its folder (%v)", err)
		}
	}
	bodies := []string{"<p>one</p>\n", "", "<h1>three</h1>\n"}
	held := make([]heldBody, len(bodies))
	for i, b := range bodies {
		held[i] = s.hold(&markdown.Prerendered{Body: []byte(b)})
		if held[i].pre == nil || held[i].pre.Body != nil {
			t.Fatalf("body %d not moved to the file", i)
		}
	}
	for i, b := range bodies {
		pre := s.take(held[i], nil)
		if pre == nil || string(pre.Body) != b || held[i].pre.Body != nil {
			t.Errorf("body %d came back as %v", i, pre)
		}
	}
	// Read back into one buffer, as the render pass does: longest first,
	// then shorter and longer ones into the same array.
	buf := make([]byte, 0, 64)
	for _, i := range []int{2, 1, 0, 2} {
		pre := s.take(held[i], &buf)
		if pre == nil || string(pre.Body) != bodies[i] || string(buf) != bodies[i] || cap(buf) != 64 {
			t.Errorf("body %d read into a buffer came back as %v (buffer %q, cap %d)", i, pre, buf, cap(buf))
		}
	}

	mem := &bodySpill{memLimit: 20}
	first := mem.hold(&markdown.Prerendered{Body: []byte("0123456789")})
	second := mem.hold(&markdown.Prerendered{Body: []byte("0123456789")})
	third := mem.hold(&markdown.Prerendered{Body: []byte("0123456789")})
	if first.pre == nil || second.pre == nil || third.pre != nil {
		t.Errorf("without a file: held %v %v %v, want the first two only", first.pre != nil, second.pre != nil, third.pre != nil)
	}
	// A body held in memory is not the buffer's to write into.
	var buf2 []byte
	if pre := mem.take(first, &buf2); pre == nil || string(pre.Body) != "0123456789" || buf2 != nil {
		t.Errorf("a body held in memory came back as %v (buffer %q)", pre, buf2)
	}
	if mem.take(third, nil) != nil {
		t.Error("a page not held came back")
	}
	mem.close()
}
