//go:build unix

package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/docsgen/docsgen/internal/sitetest"
)

// TestPipeEnvFileExitsQuickly: an env file that is a named pipe (nobody
// writes to it, so a read would block forever) is refused with exit 2.
func TestPipeEnvFileExitsQuickly(t *testing.T) {
	for _, file := range []string{"deploy/config/django.env", "stack.env", "production.yml"} {
		t.Run(file, func(t *testing.T) {
			dir := sitetest.Write(t, map[string]string{
				"production.yml": "services:\n  django:\n    image: x\n    env_file:\n      - ./deploy/config/django.env\n      - ./stack.env\n",
				"stack.env":      "A=1\n",
				// replaced by the pipe below
				"deploy/config/django.env": "B=2\n",
			})
			p := filepath.Join(dir, filepath.FromSlash(file))
			if err := os.Remove(p); err != nil {
				t.Fatal(err)
			}
			if err := syscall.Mkfifo(p, 0o644); err != nil {
				t.Fatalf("mkfifo: %v", err)
			}
			for _, args := range [][]string{{"env", "--dir", dir}, {"check", "--deploy", "--dir", dir}} {
				var stdout, stderr bytes.Buffer
				done := make(chan int, 1)
				go func() { done <- Main(context.Background(), args, &stdout, &stderr) }()
				select {
				case code := <-done:
					if code != ExitCantRun || !strings.Contains(stderr.String(), "it is a named pipe, not a regular file") {
						t.Errorf("docsgen %s: exit %d, stderr %q; want 2 and a named pipe refused", strings.Join(args, " "), code, stderr.String())
					}
				case <-time.After(5 * time.Second):
					t.Fatalf("docsgen %s blocked on a named pipe", strings.Join(args, " "))
				}
			}
		})
	}
}
