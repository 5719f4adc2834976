package build

import (
	"os"
	"runtime"
	"slices"
	"sync/atomic"

	"github.com/docsgen/docsgen/internal/markdown"
)

// bodySpill holds the prerendered page bodies between the index pass and
// the render pass in a temporary file instead of the heap: 10,000 pages'
// bodies are ~140 MB, which held in memory made the collector run a fifth
// more often under the build's memory limit. The file is removed as soon
// as it is made (on Unix; at close elsewhere), so nothing is left behind
// however the build ends. Bodies the file cannot take (no temporary
// folder, a full one) stay in memory up to maxHeldInMemory; past it a page
// is not held at all, and is parsed again to render, as before
// prerendering: memory stays bounded however large the site.
type bodySpill struct {
	f        *os.File // nil: no file
	end      atomic.Int64
	inMemory atomic.Int64 // bytes of bodies held in memory
	memLimit int64        // maxHeldInMemory (less in tests)
}

// maxHeldInMemory bounds the bodies held in memory when the file cannot
// take them: about 5,000 pages.
const maxHeldInMemory = 64 << 20

// bodySpan is where a body is in the spill file.
type bodySpan struct {
	off int64
	n   int
}

func newBodySpill() *bodySpill {
	f, err := os.CreateTemp("", "docsgen-bodies-")
	if err != nil {
		return &bodySpill{memLimit: maxHeldInMemory}
	}
	if runtime.GOOS != "windows" {
		_ = os.Remove(f.Name()) // the open file stays readable
	}
	return &bodySpill{f: f, memLimit: maxHeldInMemory}
}

// put stores body; false means it could not, and the caller keeps it.
// Safe for concurrent use.
func (s *bodySpill) put(body []byte) (bodySpan, bool) {
	if s == nil || s.f == nil {
		return bodySpan{}, false
	}
	off := s.end.Add(int64(len(body))) - int64(len(body))
	if _, err := s.f.WriteAt(body, off); err != nil {
		return bodySpan{}, false
	}
	return bodySpan{off: off, n: len(body)}, true
}

// get reads a body back, into dst's array when it fits; false means it
// could not.
func (s *bodySpill) get(sp bodySpan, dst []byte) ([]byte, bool) {
	b := slices.Grow(dst[:0], sp.n)[:sp.n]
	if _, err := s.f.ReadAt(b, sp.off); err != nil {
		return nil, false
	}
	return b, true
}

func (s *bodySpill) close() {
	if s == nil || s.f == nil {
		return
	}
	name := s.f.Name()
	s.f.Close()
	if runtime.GOOS == "windows" {
		_ = os.Remove(name)
	}
}

// heldBody is a prerendered page waiting for the render pass, its body in
// the spill file, or in pre.Body when it could not go there.
type heldBody struct {
	pre  *markdown.Prerendered
	span bodySpan
}

// hold moves pre's body into the spill file, or keeps it in memory while
// that stays under maxHeldInMemory; else it holds nothing (the page is
// parsed again to render).
func (s *bodySpill) hold(pre *markdown.Prerendered) heldBody {
	if sp, ok := s.put(pre.Body); ok {
		pre.Body = nil
		return heldBody{pre: pre, span: sp}
	}
	if s.inMemory.Add(int64(len(pre.Body))) > s.memLimit {
		return heldBody{}
	}
	return heldBody{pre: pre}
}

// take returns the held page with its body (a copy of h.pre: whoever holds
// h does not keep the body too), or nil when the body cannot be read back.
// A body read back from the file is read into *buf (grown when too small;
// nil: a new one), which is left holding it.
func (s *bodySpill) take(h heldBody, buf *[]byte) *markdown.Prerendered {
	if h.pre == nil {
		return nil
	}
	pre := *h.pre
	if pre.Body == nil {
		var dst []byte
		if buf != nil {
			dst = *buf
		}
		body, ok := s.get(h.span, dst)
		if !ok {
			return nil
		}
		if buf != nil {
			*buf = body
		}
		pre.Body = body
	}
	return &pre
}
