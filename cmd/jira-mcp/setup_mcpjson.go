package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/jira-mcp/jira-mcp/skills"
)

// setup vscode and setup cursor: clients configured by an mcp.json.

// mcpJSONSetup adds the server to a client's mcp.json: VS Code's or Cursor's.
type mcpJSONSetup struct {
	title, path, serversKey string
	project, demo, force    bool
	prog                    program
}

func (s mcpJSONSetup) plan() (*setupPlan, error) {
	p := &setupPlan{title: s.title}
	command, note := s.prog.command(s.project)
	want := serverEntry(command, s.demo)
	f, err := mergePlanFile(s.path, func(f *jsonFile) ([]string, error) {
		lines, conflicts, err := mergeServerEntry(f, s.serversKey, serverName(s.demo), want, s.force)
		p.conflicts = append(p.conflicts, conflicts...)
		return lines, err
	})
	if err != nil {
		return nil, err
	}
	p.files = append(p.files, f)
	if note != "" && f.data != nil {
		p.notes = append(p.notes, note)
	}
	return p, nil
}

func (s mcpJSONSetup) run(cmd *cobra.Command, write bool, extra func(io.Writer, serverConfig)) error {
	plan, err := s.plan()
	if err != nil {
		return err
	}
	out := cmd.OutOrStdout()
	if write {
		if err := plan.apply(cmd); err != nil {
			return err
		}
	} else {
		plan.show(out, false)
		if extra != nil {
			command, _ := s.prog.command(false)
			extra(out, serverEntry(command, s.demo))
		}
	}
	printOtherAgentNote(out)
	if s.demo {
		fmt.Fprintln(out, "\nThe demo needs no login.")
	} else {
		printLoginHint(out, s.prog.exe)
	}
	return nil
}

func newSetupVSCodeCmd(env setupEnv) *cobra.Command {
	var write bool
	s := mcpJSONSetup{title: "VS Code, this folder", path: filepath.Join(".vscode", "mcp.json"), serversKey: "servers", project: true}
	cmd := &cobra.Command{
		Use:   "vscode",
		Short: "Add jira-mcp to VS Code (.vscode/mcp.json in this folder)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			prog, err := env.program(cmd, write)
			if err != nil {
				return err
			}
			s.prog = prog
			return s.run(cmd, write, func(out io.Writer, entry serverConfig) {
				entry.Name = serverName(s.demo)
				raw, err := encodeCompact(entry)
				if err == nil {
					fmt.Fprintf(out, "\nOr, for every workspace:\n   code --add-mcp %s\n", shellQuote(string(raw)))
				}
			})
		},
	}
	cmd.Flags().BoolVar(&write, "write", false, "merge the server into .vscode/mcp.json")
	cmd.Flags().BoolVar(&s.demo, "demo", false, "add the demo server (built-in emulator, no Jira account) as "+demoServerName)
	cmd.Flags().BoolVar(&s.force, "force", false, "replace a server of that name that is not jira-mcp's, or reset jira-mcp's entry")
	return cmd
}

func newSetupCursorCmd(env setupEnv) *cobra.Command {
	var (
		write bool
		scope string
	)
	s := mcpJSONSetup{serversKey: "mcpServers"}
	cmd := &cobra.Command{
		Use:   "cursor",
		Short: "Add jira-mcp to Cursor (.cursor/mcp.json, or ~/.cursor/mcp.json with --scope user)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := setupScope(scope, "project", "user"); err != nil {
				return err
			}
			prog, err := env.program(cmd, write)
			if err != nil {
				return err
			}
			s.prog, s.project = prog, scope == "project"
			s.title, s.path = "Cursor, this folder", filepath.Join(".cursor", "mcp.json")
			if !s.project {
				home, err := os.UserHomeDir()
				if err != nil {
					return fmt.Errorf("find home folder: %w (use --scope project)", err)
				}
				s.title, s.path = "Cursor, user scope", filepath.Join(home, ".cursor", "mcp.json")
			}
			return s.run(cmd, write, nil)
		},
	}
	cmd.Flags().BoolVar(&write, "write", false, "merge the server into mcp.json")
	cmd.Flags().StringVar(&scope, "scope", "project", "project (.cursor/mcp.json here) or user (~/.cursor/mcp.json)")
	cmd.Flags().BoolVar(&s.demo, "demo", false, "add the demo server (built-in emulator, no Jira account) as "+demoServerName)
	cmd.Flags().BoolVar(&s.force, "force", false, "replace a server of that name that is not jira-mcp's, or reset jira-mcp's entry")
	return cmd
}

func printOtherAgentNote(w io.Writer) {
	fmt.Fprintf(w, "\nThe skills (%s) come with the server as MCP prompts.\n", strings.Join(skills.Names(), ", "))
	fmt.Fprintln(w, "This client runs the agent's commands without Claude Code's sandbox: any command it runs\nas you can ask the keyring for the refresh token. Keep secret-tool, keyctl, dbus-send,\npython and `jira-mcp auth` off any auto-approve list; `jira-mcp setup claude` explains why.")
}
