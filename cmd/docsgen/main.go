// Command docsgen builds, previews and checks a MyST Markdown docs site.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/docsgen/docsgen/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop() // a second Ctrl-C kills at once
	}()
	code := cli.Main(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
