package main

import (
	"errors"
	"log/slog"

	"github.com/spf13/cobra"

	"github.com/jira-mcp/jira-mcp/auth"
	"github.com/jira-mcp/jira-mcp/server"
	"github.com/jira-mcp/jira-mcp/tools"
	"github.com/jira-mcp/jira-mcp/tools/jira"
)

// connFlags choose the Jira instance and the login (serve and the CLI
// twin): --url, --client-id, --redirect-url, --scope, --config and
// --keyring-backend, each also from its environment variable or the config
// file saved at login.
type connFlags struct {
	auth auth.Flags
}

func (f *connFlags) register(cmd *cobra.Command) {
	f.auth.Register(cmd.Flags())
}

// toolset opens the login and returns tools bound to it. Nothing is read
// from the keyring yet: with no login, every tool answers that the user
// must log in, so that serve still starts and the agent can say so.
func (f *connFlags) toolset(cmd *cobra.Command, logger *slog.Logger) (*tools.Toolset, error) {
	s, err := resolve(f.auth)
	if err != nil {
		return nil, err
	}
	sess, err := auth.Open(cmd.Context(), s, auth.WithLogger(logger))
	if err != nil {
		return nil, err
	}
	if sess.BaseURL() == "" {
		logger.Warn("no Jira URL or client ID configured: every tool will ask for jira-mcp auth login")
		return tools.Unconfigured(errors.New("no login yet")), nil
	}
	logger.Debug("using login", "jira", sess.BaseURL(), "keyring", s.KeyringBackend)
	// Reads are retried on 429, 502-504 and broken connections; writes only
	// when they certainly did not reach Jira.
	c, err := jira.New(sess.BaseURL(), sess.HTTPClient(), jira.WithRetry(jira.DefaultRetryBudget))
	if err != nil {
		return nil, err
	}
	return tools.New(c), nil
}

func newServeCmd() *cobra.Command {
	var (
		f    serverFlags
		conn connFlags
	)
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve MCP over stdio against the configured Jira Data Center",
		Long: `serve is what an MCP client (Claude Code, an IDE agent) runs. It talks to
the Jira DC instance chosen at "jira-mcp auth login", with short-lived
OAuth 2.0 tokens refreshed from the OS keyring. With no login it still
starts, and every tool tells the agent to ask the user to log in.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			logger, closeLog, err := f.logger(cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			defer closeLog()
			ts, err := conn.toolset(cmd, logger)
			if err != nil {
				return err
			}
			opts, err := f.options(ts, logger, true)
			if err != nil {
				return err
			}
			s := server.New(opts)
			logger.Info("serving MCP over stdio", "version", buildVersion(), "tools", len(opts.ServerTools), "projects", f.projects)
			return server.ServeStdio(cmd.Context(), s, cmd.InOrStdin(), cmd.OutOrStdout(), logger)
		},
	}
	f.register(cmd)
	conn.register(cmd)
	return cmd
}
