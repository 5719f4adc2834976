package cli

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe to read while Main writes to it; it
// closes seen once its text contains want.
type syncBuffer struct {
	mu   sync.Mutex
	b    bytes.Buffer
	want string
	seen chan struct{}
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n, err := s.b.Write(p)
	if s.seen != nil && strings.Contains(s.b.String(), s.want) {
		close(s.seen)
		s.seen = nil
	}
	return n, err
}

func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

func serveSite(t *testing.T) {
	t.Helper()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "content"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "content", "index.md"), []byte("# Home\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
}

func TestServeBusyExplicitPort(t *testing.T) {
	serveSite(t)
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	port := busy.Addr().(*net.TCPAddr).Port
	var stdout, stderr syncBuffer
	code := Main(context.Background(), []string{"serve", "--port", fmt.Sprint(port)}, &stdout, &stderr)
	if code != ExitFailed || !strings.Contains(stderr.String(), "choose another with --port") {
		t.Errorf("exit %d, stderr %q; want 1 and a clear message", code, stderr.String())
	}
}

// TestServeStopsCleanly: a cancelled context (Ctrl-C) stops the server and
// exits 0; binding every interface prints a warning.
func TestServeStopsCleanly(t *testing.T) {
	serveSite(t)
	ctx, cancel := context.WithCancel(context.Background())
	started := make(chan struct{})
	stdout := syncBuffer{want: "serving http://", seen: started}
	var stderr syncBuffer
	done := make(chan int)
	go func() { done <- Main(ctx, []string{"serve", "--bind", "0.0.0.0", "--port", "0"}, &stdout, &stderr) }()
	select {
	case <-started:
	case code := <-done:
		t.Fatalf("exited %d before serving: %q", code, stderr.String())
	case <-time.After(10 * time.Second):
		t.Fatalf("never started: %q", stderr.String())
	}
	cancel()
	select {
	case code := <-done:
		if code != ExitOK || !strings.Contains(stderr.String(), "stopped") {
			t.Errorf("exit %d, stderr %q", code, stderr.String())
		}
	case <-time.After(5 * time.Second):
		t.Fatal("serve did not stop after the context ended")
	}
	if !strings.Contains(stderr.String(), "warning: serving on every network interface") {
		t.Errorf("no warning for --bind 0.0.0.0: %q", stderr.String())
	}
}
