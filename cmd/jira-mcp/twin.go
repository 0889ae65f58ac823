package main

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/spf13/cobra"

	"github.com/jira-mcp/jira-mcp/tools"
	"github.com/jira-mcp/jira-mcp/tools/jira/emulator"
)

// The CLI twin: one command per tool, calling the very handler the MCP
// server calls (tools.Toolset.Call), printing the same text, or the
// structured content with --json. Exit codes: 0 ok, 1 error, 2 usage,
// 3 not logged in or forbidden, 4 rate limited.

func twinCommands() []*cobra.Command {
	return []*cobra.Command{newSearchCmd(), newIssueCmd(), newTransitionsCmd(), newTransitionCmd(), newCommentsCmd(), newCommentCmd()}
}

// twinFlags are shared by every twin command.
type twinFlags struct {
	json bool
	demo bool
	conn connFlags
}

func (f *twinFlags) register(cmd *cobra.Command) {
	cmd.Flags().BoolVar(&f.json, "json", false, "print the structured result as JSON")
	cmd.Flags().BoolVar(&f.demo, "demo", false, "run against a fresh built-in emulator instead of Jira (changes last for this command only)")
	f.conn.register(cmd)
}

// call runs tool with args and prints its result.
func (f *twinFlags) call(cmd *cobra.Command, tool string, args map[string]any) error {
	var ts *tools.Toolset
	if f.demo {
		c, err := demoClient(newDemoEmulator())
		if err != nil {
			return err
		}
		ts = tools.New(c)
	} else {
		var err error
		logger := slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), &slog.HandlerOptions{Level: slog.LevelWarn}))
		if ts, err = f.conn.toolset(cmd, logger); err != nil {
			return err
		}
	}
	res, err := ts.Call(cmd.Context(), tool, args)
	if err != nil {
		return err
	}
	return printResult(cmd.OutOrStdout(), res, f.json)
}

// newDemoEmulator makes the emulator --demo runs against: a fresh one each
// time, so changes made with --demo last for one command only. Tests point
// it at one shared emulator.
var newDemoEmulator = func() *emulator.Emulator {
	return emulator.New(emulator.WithBaseURL(demoBaseURL))
}

// printResult writes a result and maps an error result to an exit code.
func printResult(out io.Writer, res *mcp.CallToolResult, asJSON bool) error {
	text := tools.Text(res)
	if res.IsError {
		code := 1
		switch tools.ErrorKind(res) {
		case tools.KindInvalidInput:
			code = 2
		case tools.KindLoginRequired, tools.KindCredentials, tools.KindForbidden:
			code = 3
		case tools.KindRateLimited:
			code = 4
		}
		return &exitError{code, fmt.Errorf("%s", text)}
	}
	if asJSON {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		return enc.Encode(res.StructuredContent)
	}
	_, err := fmt.Fprintln(out, text)
	return err
}

func newSearchCmd() *cobra.Command {
	var (
		f       twinFlags
		fields  []string
		limit   int
		startAt int
	)
	cmd := &cobra.Command{
		Use:   "search JQL",
		Short: "Search issues with JQL (the jira_search tool)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, a []string) error {
			args := map[string]any{"jql": a[0], "limit": limit, "start_at": startAt}
			if len(fields) > 0 {
				args["fields"] = fields
			}
			return f.call(cmd, tools.Search, args)
		},
	}
	cmd.Flags().StringSliceVar(&fields, "fields", nil, "extra fields, by id or name (comma-separated)")
	cmd.Flags().IntVar(&limit, "limit", 20, "issues per page (1-100)")
	cmd.Flags().IntVar(&startAt, "start-at", 0, "offset, for paging")
	f.register(cmd)
	return cmd
}

func newIssueCmd() *cobra.Command {
	var (
		f            twinFlags
		fields       []string
		commentLimit int
	)
	cmd := &cobra.Command{
		Use:   "issue KEY",
		Short: "Show one issue with its newest comments (the jira_get_issue tool)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, a []string) error {
			args := map[string]any{"issue_key": a[0], "comment_limit": commentLimit}
			if len(fields) > 0 {
				args["fields"] = fields
			}
			return f.call(cmd, tools.GetIssue, args)
		},
	}
	cmd.Flags().StringSliceVar(&fields, "fields", nil, "extra fields, by id or name (comma-separated)")
	cmd.Flags().IntVar(&commentLimit, "comment-limit", 5, "newest comments to show (0-100)")
	f.register(cmd)
	return cmd
}

func newTransitionsCmd() *cobra.Command {
	var f twinFlags
	cmd := &cobra.Command{
		Use:   "transitions KEY",
		Short: "List the transitions available on an issue (the jira_get_transitions tool)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, a []string) error {
			return f.call(cmd, tools.GetTransitions, map[string]any{"issue_key": a[0]})
		},
	}
	f.register(cmd)
	return cmd
}

func newTransitionCmd() *cobra.Command {
	var (
		f          twinFlags
		comment    string
		resolution string
		fieldArgs  []string
	)
	cmd := &cobra.Command{
		Use:   "transition KEY TO",
		Short: "Move an issue through its workflow (the jira_transition_issue tool)",
		Long: `TO is a transition id or name, or the target status name.
Screen fields are given as --field NAME=VALUE (repeatable); a VALUE that
parses as JSON (a number, an array, an object) is sent as such.`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, a []string) error {
			args := map[string]any{"issue_key": a[0], "transition": a[1]}
			if comment != "" {
				body, err := readBody(cmd, comment)
				if err != nil {
					return err
				}
				args["comment"] = body
			}
			if resolution != "" {
				args["resolution"] = resolution
			}
			if len(fieldArgs) > 0 {
				fields := map[string]any{}
				for _, kv := range fieldArgs {
					k, v, ok := strings.Cut(kv, "=")
					if !ok || strings.TrimSpace(k) == "" {
						return &exitError{2, fmt.Errorf("--field %q: use NAME=VALUE", kv)}
					}
					// Only arrays and objects are read as JSON: "1.10" is a
					// version name, not a number (the tool converts strings
					// for number fields itself).
					var j any
					if t := strings.TrimSpace(v); (strings.HasPrefix(t, "[") || strings.HasPrefix(t, "{")) && json.Unmarshal([]byte(t), &j) == nil {
						fields[k] = j
					} else {
						fields[k] = v
					}
				}
				args["fields"] = fields
			}
			return f.call(cmd, tools.Transition, args)
		},
	}
	cmd.Flags().StringVar(&comment, "comment", "", "comment added with the transition (- reads stdin)")
	cmd.Flags().StringVar(&resolution, "resolution", "", "resolution name, when the transition asks for one")
	cmd.Flags().StringArrayVar(&fieldArgs, "field", nil, "screen field NAME=VALUE (repeatable)")
	f.register(cmd)
	return cmd
}

func newCommentsCmd() *cobra.Command {
	var (
		f       twinFlags
		limit   int
		startAt int
	)
	cmd := &cobra.Command{
		Use:   "comments KEY",
		Short: "Read an issue's comments, newest first (the jira_get_comments tool)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, a []string) error {
			return f.call(cmd, tools.GetComments, map[string]any{"issue_key": a[0], "limit": limit, "start_at": startAt})
		},
	}
	cmd.Flags().IntVar(&limit, "limit", 10, "comments per page (1-100)")
	cmd.Flags().IntVar(&startAt, "start-at", 0, "offset, for paging")
	f.register(cmd)
	return cmd
}

func newCommentCmd() *cobra.Command {
	var (
		f          twinFlags
		visibility string
	)
	cmd := &cobra.Command{
		Use:   "comment KEY BODY",
		Short: "Comment on an issue (the jira_add_comment tool); BODY - reads stdin",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, a []string) error {
			body, err := readBody(cmd, a[1])
			if err != nil {
				return err
			}
			args := map[string]any{"issue_key": a[0], "body": body}
			if visibility != "" {
				typ, val, ok := strings.Cut(visibility, ":")
				if !ok {
					return &exitError{2, fmt.Errorf("--visibility %q: use group:NAME or role:NAME", visibility)}
				}
				args["visibility"] = map[string]any{"type": typ, "value": val}
			}
			return f.call(cmd, tools.AddComment, args)
		},
	}
	cmd.Flags().StringVar(&visibility, "visibility", "", "restrict to group:NAME or role:NAME")
	f.register(cmd)
	return cmd
}

// readBody returns s, or standard input when s is "-".
func readBody(cmd *cobra.Command, s string) (string, error) {
	if s != "-" {
		return s, nil
	}
	const limit = 1 << 20
	b, err := io.ReadAll(io.LimitReader(cmd.InOrStdin(), limit+1))
	if err != nil {
		return "", fmt.Errorf("read stdin: %w", err)
	}
	if len(b) > limit {
		return "", &exitError{2, fmt.Errorf("stdin holds more than %d bytes: too long for a comment", limit)}
	}
	return strings.TrimRight(string(b), "\n"), nil
}
