package main

import (
	"errors"

	"github.com/spf13/cobra"

	"github.com/jira-mcp/jira-mcp/server"
	"github.com/jira-mcp/jira-mcp/tools"
)

// connFlags choose the Jira instance and the login (serve and the CLI twin).
type connFlags struct {
	url            string
	config         string
	keyringBackend string
}

func (f *connFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.url, "url", "", "Jira base URL (env JIRA_URL; default: the one saved at login)")
	cmd.Flags().StringVar(&f.config, "config", "", "config file (env JIRA_MCP_CONFIG)")
	cmd.Flags().StringVar(&f.keyringBackend, "keyring-backend", "", "keyring backend (env JIRA_MCP_KEYRING_BACKEND)")
}

// toolset opens the login and returns tools bound to it. With no login it
// returns an unconfigured toolset, so that serve still starts.
func (f *connFlags) toolset(cmd *cobra.Command) (*tools.Toolset, error) {
	return tools.Unconfigured(errors.New("login support is not wired yet")), nil
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
			ts, err := conn.toolset(cmd)
			if err != nil {
				return err
			}
			s := server.New(server.Options{Tools: ts, ReadOnly: f.readOnly, Version: buildVersion(), Logger: logger})
			return server.ServeStdio(cmd.Context(), s, cmd.InOrStdin(), cmd.OutOrStdout(), logger)
		},
	}
	f.register(cmd)
	conn.register(cmd)
	return cmd
}
