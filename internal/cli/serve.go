package cli

import (
	"fmt"
	"io"
	"net"
	"os/exec"

	"github.com/docsgen/docsgen/internal/build"
	"github.com/docsgen/docsgen/internal/diag"
	"github.com/docsgen/docsgen/internal/report"
	"github.com/docsgen/docsgen/internal/serve"
	"github.com/spf13/cobra"
)

type serveOptions struct {
	source, config, bind  string
	port                  int
	open, follow, noCache bool
}

func newServeCmd(g *globals, stdout, stderr io.Writer) *cobra.Command {
	var o serveOptions
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Preview the site while you write: rebuild on save, update the open page in place",
		Long: `Build the site in memory, serve it, and watch the sources, the theme, the
config and every file a page includes. A change rebuilds only what it
affects, and open tabs update in place, keeping their place; build errors
show over the last good page, with the file, line and source lines.

Binds 127.0.0.1 by default. With the default port busy, the next free one is
used; a busy --port is an error.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := loadConfig(g, stderr, o.config, o.source, "", cmd)
			if err != nil {
				return reportSetup(stderr, err)
			}
			session, u, err := build.NewSession(cmd.Context(), cfg, build.SessionOptions{NoCache: o.noCache})
			if err != nil {
				return reportSetup(stderr, err)
			}
			defer session.Close()
			errs, warns := diag.Count(u.Diags)
			pages := report.Count(u.Rendered+u.Reused, "page")
			if u.Reused > 0 {
				pages += fmt.Sprintf(" (%d unchanged since the last build)", u.Reused)
			}
			summary := fmt.Sprintf("built %s in memory: %s, %s", pages, report.Count(errs, "error"), report.Count(warns, "warning"))
			if err := report.WriteWith(stderr, "text", &report.Report{Tool: "serve", Findings: report.Diagnostics(u.Diags), Summary: summary}, g.reportOptions(stderr)); err != nil {
				return err
			}
			l, err := serve.Listen(o.bind, o.port, cmd.Flags().Changed("port"))
			if err != nil {
				fmt.Fprintf(stderr, "docsgen: %v\n", err)
				return exitError{ExitFailed}
			}
			ip := net.ParseIP(o.bind)
			loopback := o.bind == "localhost" || ip != nil && ip.IsLoopback()
			if ip != nil && ip.IsUnspecified() {
				fmt.Fprintf(stderr, "docsgen: warning: serving on every network interface (%s): anyone who can reach this machine can read the preview\n", o.bind)
			}
			server := serve.NewServer(session, loopback)
			server.SetBind(o.bind)
			server.Publish(u, "")
			url := "http://" + l.Addr().String() + "/"
			fmt.Fprintf(stdout, "serving %s (Ctrl-C to stop)\n", url)
			if o.open {
				_ = exec.Command("xdg-open", url).Start()
			}
			live := &serve.Live{Session: session, Server: server, Follow: o.follow, Log: stderr}
			go live.Run(cmd.Context())
			if err := server.Serve(cmd.Context(), l); err != nil {
				return reportSetup(stderr, err)
			}
			fmt.Fprintln(stderr, "stopped")
			return nil
		},
	}
	f := cmd.Flags()
	addProjectFlags(cmd, &o.source, &o.config)
	f.StringVar(&o.bind, "bind", "127.0.0.1", "address to listen on")
	f.IntVar(&o.port, "port", 8000, "port to listen on")
	f.BoolVar(&o.open, "open", false, "open the site in a browser")
	f.BoolVar(&o.noCache, "no-cache", false, "neither read nor write the caches of highlighted code and parsed pages (.docsgen/cache/)")
	f.BoolVar(&o.follow, "follow", false, "show the page of the file just edited")
	return cmd
}
