package main

import (
	"github.com/spf13/cobra"

	"github.com/jira-mcp/jira-mcp/server"
	"github.com/jira-mcp/jira-mcp/tools"
	"github.com/jira-mcp/jira-mcp/tools/jira"
	"github.com/jira-mcp/jira-mcp/tools/jira/emulator"
)

// demoBaseURL names the emulated Jira. Requests never leave the process;
// .invalid can never resolve, so no link in a result can reach a real host.
const demoBaseURL = "https://jira.demo.invalid"

func newDemoCmd() *cobra.Command {
	var f serverFlags
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Serve MCP over stdio against the built-in Jira DC emulator (no account, no network)",
		Long: `demo runs the same MCP server as serve, against an in-process emulator of
Jira Data Center seeded with projects, issues, workflows and comments.
Nothing is sent over the network and no keyring is used; changes last
until the process ends.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			logger, closeLog, err := f.logger(cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			defer closeLog()
			client, err := demoClient(emulator.New(emulator.WithBaseURL(demoBaseURL)))
			if err != nil {
				return err
			}
			opts, err := f.options(tools.New(client), logger, false)
			if err != nil {
				return err
			}
			logger.Info("serving the demo emulator over stdio", "jira", demoBaseURL, "tools", len(opts.ServerTools))
			s := server.New(opts)
			return server.ServeStdio(cmd.Context(), s, cmd.InOrStdin(), cmd.OutOrStdout(), logger)
		},
	}
	f.register(cmd)
	return cmd
}

// demoClient returns a Jira client served by the emulator in process, as
// the emulator's default user.
func demoClient(e *emulator.Emulator) (*jira.Client, error) {
	return jira.New(e.BaseURL(), e.ClientAs(emulator.DefaultToken))
}
