// Command jira-mcp is an MCP server that lets AI coding agents work with
// Jira Data Center: search issues, move them through their workflow, read
// and write comments. It authenticates with Jira DC's OAuth 2.0 provider
// through tokens kept in the OS keyring, so the agent never sees a secret.
//
//	jira-mcp auth login --url https://jira.example.com --client-id ID
//	jira-mcp serve            # stdio MCP server (what the agent runs)
//	jira-mcp demo             # the same server against a built-in emulator
//
// root.go builds the command tree and maps errors to exit codes; each
// command lives in its own file. stdout belongs to JSON-RPC while serving:
// everything else goes to stderr.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run executes the command line, reports its error on stderr and returns
// the exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	root := newRootCmd()
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	cmd, err := root.ExecuteContextC(ctx)
	if msg := errorMessage(err); msg != nil {
		fmt.Fprintln(stderr, "jira-mcp:", msg)
	}
	code := exitCode(err)
	if showsUsage(err) && cmd != nil {
		fmt.Fprintf(stderr, "Usage: %s\nRun '%s --help' for more.\n", cmd.UseLine(), cmd.CommandPath())
	}
	return code
}
