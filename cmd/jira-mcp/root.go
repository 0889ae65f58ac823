package main

import (
	"errors"
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"

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

// newRootCmd builds the whole command tree: every command jira-mcp has is
// added here, in one list.
func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:           "jira-mcp",
		Short:         "MCP server for Jira Data Center, with OAuth 2.0 tokens kept in the OS keyring",
		Version:       buildVersion(),
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(
		newServeCmd(),
		newDemoCmd(),
		newAuthCmd(),
		newSkillsCmd(),
		newSetupCmd(),
		newAuditCmd(),
		newVersionCmd(),
	)
	root.AddCommand(twinCommands()...) // one per tool: search, issue, transition, ...
	// Cobra adds its completion command when the root runs; add it now so
	// that it gets the same usage rules.
	root.InitDefaultCompletionCmd()
	reportUsageErrors(root)
	return root
}

// exitCodesHelp is said in the help of every command that calls Jira.
const exitCodesHelp = "Exit codes: 0 ok, 1 error, 2 usage, 3 not logged in or forbidden, 4 rate limited."

// newVersionCmd is `jira-mcp version`.
func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print jira-mcp's version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprintf(cmd.OutOrStdout(), "jira-mcp %s (%s, %s/%s)\n", buildVersion(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
			return err
		},
	}
}

// Exit codes, the CLI's contract: what scripts branch on. The CLI twin maps
// a tool's error kind to them (printResult); everything else goes through
// exitCode.
const (
	exitOK          = 0
	exitFailure     = 1 // any other error
	exitUsage       = 2 // a bad flag, argument, subcommand or setting
	exitLogin       = 3 // not logged in, or forbidden
	exitRateLimited = 4
)

// exitError carries a process exit code through cobra. A nil err exits
// with code and prints nothing (the command already said why).
type exitError struct {
	code      int
	err       error
	usageLine bool // a command-line mistake: show the command's usage line
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit code %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// usage marks err as the user's mistake on the command line: exit code 2.
func usage(err error) error { return &exitError{code: exitUsage, err: err, usageLine: true} }

// showsUsage reports whether err is a command-line mistake, after which
// the command's usage line helps.
func showsUsage(err error) bool {
	ee, ok := errors.AsType[*exitError](err)
	return ok && ee.usageLine
}

// exitCode maps the error a command returned to the process exit code: the
// one place that does. Errors are told apart by type, never by text.
func exitCode(err error) int {
	if err == nil {
		return exitOK
	}
	if ee, ok := errors.AsType[*exitError](err); ok {
		return ee.code
	}
	return exitFailure
}

// errorMessage is what to print for err on stderr; nil when nothing.
func errorMessage(err error) error {
	if ee, ok := errors.AsType[*exitError](err); ok {
		return ee.err
	}
	return err
}

// reportUsageErrors makes every usage mistake exit 2 through cobra's own
// hooks, never by reading its messages:
//   - a bad flag (unknown, missing its value, not parsing), through the
//     root's flag error func, which every command inherits;
//   - a wrong number of arguments, by wrapping each command's Args;
//   - an unknown subcommand, by an Args on each parent command. Cobra
//     checks Args only for a command that runs, so a parent without one
//     gets a RunE that prints its help: `jira-mcp auth` still shows help
//     and exits 0, `jira-mcp auth bogus` is a usage error.
//
// No command marks a flag required; cobra reports a missing one with no
// hook to type it, so one that does must check the flag itself.
func reportUsageErrors(root *cobra.Command) {
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usage(err) })
	var walk func(*cobra.Command)
	walk = func(c *cobra.Command) {
		switch {
		case c.HasSubCommands() && !c.Runnable():
			c.Args = noSubcommand
			c.RunE = func(cmd *cobra.Command, _ []string) error { return cmd.Help() }
		case c.Args != nil:
			check := c.Args
			c.Args = func(cmd *cobra.Command, args []string) error {
				if err := check(cmd, args); err != nil {
					return usage(err)
				}
				return nil
			}
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

// noSubcommand refuses any argument to a parent command: it can only be
// an unknown subcommand.
func noSubcommand(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	msg := fmt.Sprintf("unknown command %q for %q", args[0], cmd.CommandPath())
	if cmd.SuggestionsMinimumDistance <= 0 {
		cmd.SuggestionsMinimumDistance = 2 // cobra's default, set where it suggests
	}
	if s := cmd.SuggestionsFor(args[0]); len(s) > 0 && !cmd.DisableSuggestions {
		msg += "\n\nDid you mean this?\n\t" + strings.Join(s, "\n\t")
	}
	return usage(errors.New(msg))
}
