package main

import (
	"encoding/json"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/jira-mcp/jira-mcp/server"
)

// newAuditCmd is `jira-mcp audit`: what the agents' servers wrote to Jira,
// for a person ("what did my agent change today?").
func newAuditCmd() *cobra.Command {
	var (
		since  time.Duration
		asJSON bool
		file   string
	)
	cmd := &cobra.Command{
		Use:   "audit",
		Short: "Show the recent writes jira-mcp made for agents (comments, transitions, ...)",
		Long: `Audit shows the writes that jira-mcp's servers made or tried for agents:
when, which tool, which issue, the outcome and how long it took. The log
holds no comment text and no secret. It lives in the user's state folder
(--file shows it) and keeps the newest few megabytes.`,
		Example: `  jira-mcp audit               # the last 24 hours
  jira-mcp audit --since 168h  # the last week
  jira-mcp audit --json        # one JSON object a line, for scripts`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if file == "" {
				var err error
				if file, err = server.DefaultAuditPath(); err != nil {
					return err
				}
			}
			recs, err := server.ReadAudit(file)
			if err != nil {
				return err
			}
			from := time.Now().Add(-since)
			out := cmd.OutOrStdout()
			if asJSON {
				enc := json.NewEncoder(out)
				for _, r := range recs {
					if r.Time.After(from) {
						if err := enc.Encode(r); err != nil {
							return err
						}
					}
				}
				return nil
			}
			tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
			n := 0
			for _, r := range recs {
				if !r.Time.After(from) {
					continue
				}
				if n++; n == 1 {
					fmt.Fprintln(tw, "TIME\tTOOL\tISSUE\tOUTCOME\tDURATION")
				}
				outcome := r.Outcome
				if r.Kind != "" {
					outcome += " (" + r.Kind + ")"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d ms\n", r.Time.Local().Format("2006-01-02 15:04:05"), r.Tool, terminalSafe(r.Issue), outcome, r.DurationMS)
			}
			if n == 0 {
				fmt.Fprintf(tw, "No writes by jira-mcp since %s (log: %s).\n", from.Local().Format("2006-01-02 15:04"), file)
			}
			return tw.Flush()
		},
	}
	cmd.Flags().DurationVar(&since, "since", 24*time.Hour, "how far back to show")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON record a line")
	cmd.Flags().StringVar(&file, "file", "", "the audit log (default: the user's state folder, jira-mcp/audit.jsonl)")
	return cmd
}
