package main

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// Usage mistakes exit 2 through cobra's hooks, whatever cobra's wording.
func TestUsageErrorsExit2(t *testing.T) {
	cases := []struct {
		args []string
		want string // on stderr
	}{
		{[]string{"--bogus"}, "unknown flag: --bogus"},
		{[]string{"serve", "--bogus"}, "unknown flag: --bogus"},
		{[]string{"auth", "login", "-z"}, "unknown shorthand flag"},
		{[]string{"serve", "--log-level"}, "flag needs an argument"},
		{[]string{"issue", "WEB-1", "--comment-limit", "many", "--demo"}, "invalid argument"},
		{[]string{"search"}, "accepts 1 arg"},
		{[]string{"comment", "WEB-1", "--demo"}, "accepts 2 arg"},
		{[]string{"serve", "extra"}, `unknown command "extra" for "jira-mcp serve"`},
		{[]string{"auth", "status", "extra"}, `unknown command "extra"`},
		{[]string{"bogus"}, `unknown command "bogus" for "jira-mcp"`},
		{[]string{"serach"}, "Did you mean this?\n\tsearch"},
		{[]string{"auth", "bogus"}, `unknown command "bogus" for "jira-mcp auth"`},
		{[]string{"auth", "--url", "https://jira.example.com", "bogus"}, `unknown command "bogus"`},
		{[]string{"skills", "bogus"}, `unknown command "bogus" for "jira-mcp skills"`},
		{[]string{"setup", "bogus"}, `unknown command "bogus" for "jira-mcp setup"`},
		{[]string{"completion", "bogus"}, `unknown command "bogus" for "jira-mcp completion"`},
		{[]string{"completion", "bash", "extra"}, `unknown command "extra"`},
		{[]string{"skills", "show"}, "accepts 1 arg"},
		{[]string{"serve", "--log-level", "loud"}, "--log-level"},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			out, errOut, code := runCLI("", c.args...)
			if code != exitUsage || !strings.Contains(errOut, c.want) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, errOut, exitUsage, c.want)
			}
			if out != "" {
				t.Errorf("stdout %q", out)
			}
		})
	}
}

// A parent command alone, or the root alone, prints its help and exits 0.
func TestHelpExits0(t *testing.T) {
	for _, args := range [][]string{{}, {"auth"}, {"skills"}, {"setup"}, {"completion"}, {"auth", "--help"}, {"help", "auth"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			out, errOut, code := runCLI("", args...)
			if code != exitOK || !strings.Contains(out, "Usage:") || errOut != "" {
				t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
			}
		})
	}
	if out, _, code := runCLI("", "--version"); code != exitOK || !strings.Contains(out, "jira-mcp version") {
		t.Errorf("--version: exit %d, %q", code, out)
	}
}

func TestExitCode(t *testing.T) {
	cases := []struct {
		err  error
		code int
		msg  string // printed on stderr; "" for nothing
	}{
		{nil, exitOK, ""},
		{errors.New("boom"), exitFailure, "boom"},
		{usage(errors.New("bad flag")), exitUsage, "bad flag"},
		{fmt.Errorf("wrapped: %w", &exitError{code: exitRateLimited, err: errors.New("slow down")}), exitRateLimited, "slow down"},
		{&exitError{code: exitLogin}, exitLogin, ""},
	}
	for _, c := range cases {
		if got := exitCode(c.err); got != c.code {
			t.Errorf("exitCode(%v) = %d, want %d", c.err, got, c.code)
		}
		msg := errorMessage(c.err)
		if (msg == nil) != (c.msg == "") || msg != nil && msg.Error() != c.msg {
			t.Errorf("errorMessage(%v) = %v, want %q", c.err, msg, c.msg)
		}
	}
}

// Every command is in the one tree newRootCmd builds.
func TestRootHasEveryCommand(t *testing.T) {
	root := newRootCmd()
	for _, name := range []string{"serve", "demo", "auth", "skills", "setup", "search", "issue", "transitions", "transition", "comments", "comment"} {
		if findSubcommand(root, name) == nil {
			t.Errorf("no command %s", name)
		}
	}
}
