// Command jira-mcp is an MCP server that lets AI coding agents work with
// Jira Data Center: search issues, move them through their workflow, read
// and write comments. It authenticates with Jira DC's OAuth 2.0 provider
// through tokens kept in the OS keyring, so the agent never sees a secret.
//
//	jira-mcp auth login --url https://jira.example.com --client-id ID
//	jira-mcp serve            # stdio MCP server (what the agent runs)
//	jira-mcp demo             # the same server against a built-in emulator
//
// This file holds the root command and the flags shared by serve and demo.
// stdout belongs to JSON-RPC while serving: everything else goes to stderr.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"

	"github.com/spf13/cobra"
)

// version is set at build time with -ldflags "-X main.version=v1.2.3".
var version = ""

func buildVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

// exitError carries a process exit code through cobra.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run executes the command line and returns the exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	root := newRootCmd()
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return 0
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil && ee.err.Error() != "" {
			fmt.Fprintln(stderr, "jira-mcp:", ee.err)
		}
		return ee.code
	}
	fmt.Fprintln(stderr, "jira-mcp:", err)
	if isUsage(err) {
		return 2
	}
	return 1
}

func isUsage(err error) bool {
	s := err.Error()
	for _, p := range []string{"unknown command", "unknown flag", "unknown shorthand", "accepts ", "requires at least", "requires exactly", "invalid argument", "flag needs an argument", "required flag"} {
		if strings.Contains(s, p) {
			return true
		}
	}
	return false
}

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:           "jira-mcp",
		Short:         "MCP server for Jira Data Center, with OAuth 2.0 tokens kept in the OS keyring",
		Version:       buildVersion(),
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(newServeCmd(), newDemoCmd())
	root.AddCommand(twinCommands()...)
	for _, c := range extraCommands {
		root.AddCommand(c())
	}
	return root
}

// extraCommands are added by the other command files (auth, skills, setup,
// the CLI twin), so that each stays in its own file.
var extraCommands []func() *cobra.Command

// serverFlags are the flags common to serve and demo.
type serverFlags struct {
	readOnly bool
	logLevel string
	logFile  string
}

func (f *serverFlags) register(cmd *cobra.Command) {
	cmd.Flags().BoolVar(&f.readOnly, "read-only", false, "register only the tools that read (no transitions, no comments)")
	cmd.Flags().StringVar(&f.logLevel, "log-level", "info", "log level: debug, info, warn or error")
	cmd.Flags().StringVar(&f.logFile, "log-file", "", "append logs to this file instead of stderr")
}

// logger opens the log destination. The returned close func is never nil.
func (f *serverFlags) logger(stderr io.Writer) (*slog.Logger, func(), error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(f.logLevel)); err != nil {
		return nil, nil, &exitError{2, fmt.Errorf("--log-level %q: use debug, info, warn or error", f.logLevel)}
	}
	w, closeFn := stderr, func() {}
	if f.logFile != "" {
		file, err := os.OpenFile(f.logFile, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
		if err != nil {
			return nil, nil, fmt.Errorf("open log file: %w", err)
		}
		w, closeFn = file, func() { file.Close() }
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level})), closeFn, nil
}
