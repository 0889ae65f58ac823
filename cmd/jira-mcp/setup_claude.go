package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/spf13/cobra"
)

// setup claude: Claude Code, with skills, sandbox settings and deny rules.

func newSetupClaudeCmd(env setupEnv) *cobra.Command {
	var c claudeSetup
	var write bool
	var scope string
	cmd := &cobra.Command{
		Use:   "claude",
		Short: "Add jira-mcp to Claude Code, with its skills, a sandbox for the agent's shell, and deny rules",
		Long: `Shows what adding jira-mcp to Claude Code changes; --write does it:

  1. register the server: user scope runs
     claude mcp add --scope user jira -- <this program> serve
     (or, if Claude Code has it already, keeps or updates it);
     project scope merges it into ./.mcp.json instead;
  2. install the skills (~/.claude/skills, or ./.claude/skills);
  3. merge into ~/.claude/settings.json (or ./.claude/settings.json) a
     sandbox for the agent's Bash commands that keeps jira-mcp's secrets out
     of their reach, and permission rules denying the commands that read
     the keyring or log in.

--demo registers the demo server (built-in emulator, no Jira account) as
jira-demo, beside a real jira server.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := setupScope(scope, "user", "project"); err != nil {
				return err
			}
			prog, err := env.program(cmd, write)
			if err != nil {
				return err
			}
			c.prog, c.project = prog, scope == "project"
			plan, err := c.plan(write)
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
			}
			if c.permissions {
				fmt.Fprintf(out, "\n%s\n", setupWhy)
			}
			c.loginHint(out)
			return nil
		},
	}
	cmd.Flags().BoolVar(&write, "write", false, "do it: register the server, install skills, merge the sandbox and deny rules")
	cmd.Flags().StringVar(&scope, "scope", "user", "user (all your projects) or project (files in the current folder)")
	cmd.Flags().BoolVar(&c.skills, "skills", true, "also install the skills")
	cmd.Flags().BoolVar(&c.permissions, "permissions", true, "also merge the sandbox settings and deny rules into settings.json")
	cmd.Flags().BoolVar(&c.demo, "demo", false, "register the demo server (built-in emulator, no Jira account) as "+demoServerName)
	cmd.Flags().BoolVar(&c.force, "force", false, "replace what you wrote where it conflicts (a server of that name, a sandbox setting)")
	return cmd
}

type claudeSetup struct {
	prog                                      program
	project, skills, permissions, demo, force bool
}

// loginHint tells how to log in, except for the demo, which needs none.
func (c claudeSetup) loginHint(w io.Writer) {
	if c.demo {
		fmt.Fprintln(w, "\nThe demo needs no login. Ask Claude Code, for example: \"what Jira issues are assigned to me?\"")
		return
	}
	printLoginHint(w, c.prog.exe)
}

func (c claudeSetup) settingsPath() (string, error) {
	if c.project {
		return filepath.Join(".claude", "settings.json"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("find home folder: %w (use --scope project)", err)
	}
	return filepath.Join(home, ".claude", "settings.json"), nil
}

// plan works out every change of setup claude.
func (c claudeSetup) plan(write bool) (*setupPlan, error) {
	p := &setupPlan{title: "Claude Code, user scope"}
	name := serverName(c.demo)
	if c.project {
		p.title = "Claude Code, project scope"
		command, note := c.prog.command(true)
		want := serverEntry(command, c.demo)
		f, err := mergePlanFile(".mcp.json", func(f *jsonFile) ([]string, error) {
			lines, conflicts, err := mergeServerEntry(f, "mcpServers", name, want, c.force)
			p.conflicts = append(p.conflicts, conflicts...)
			return lines, err
		})
		if err != nil {
			return nil, err
		}
		p.files = append(p.files, f)
		if f.data != nil {
			p.notes = append(p.notes, note)
		}
	} else {
		if err := c.planRegistration(p, name, write); err != nil {
			return nil, err
		}
	}
	if c.skills {
		dir, err := skillsDir(c.project, "")
		if err != nil {
			return nil, err
		}
		if err := checkSkillsDir(dir); err != nil {
			return nil, err
		}
		p.skills = dir
	}
	if c.permissions {
		settings, err := c.settingsPath()
		if err != nil {
			return nil, err
		}
		paths, err := secretPaths(os.Getenv)
		if err != nil {
			return nil, err
		}
		rules := claudeSettings(paths, c.prog.exe, c.project && c.prog.onPath)
		f, err := mergePlanFile(settings, func(f *jsonFile) ([]string, error) {
			lines, conflicts, warnings, err := mergeClaudeSettings(f, rules, c.force)
			p.conflicts = append(p.conflicts, conflicts...)
			p.notes = append(p.notes, warnings...)
			return lines, err
		})
		if err != nil {
			return nil, err
		}
		p.files = append(p.files, f)
	}
	return p, nil
}

// planRegistration decides how to register the server with Claude Code's
// CLI at user scope. Claude Code keeps those servers in ~/.claude.json,
// which setup reads (never writes) to find one registered before: the same
// one is kept; jira-mcp at another path is re-added with the user's
// arguments; anything else under the name, or an entry with settings the
// CLI cannot re-add (env), is refused unless --force.
func (c claudeSetup) planRegistration(p *setupPlan, name string, write bool) error {
	if write {
		if _, err := exec.LookPath("claude"); err != nil {
			return errors.New("claude not found on PATH: install Claude Code, or run `jira-mcp setup claude --scope project --write` to write .mcp.json here")
		}
	}
	want := serverEntry(c.prog.exe, c.demo)
	old, err := claudeUserServer(name)
	if err != nil {
		return err
	}
	add := func(args []string) claudeRun {
		return claudeRun{args: append([]string{"mcp", "add", "--scope", "user", name, "--", c.prog.exe}, args...)}
	}
	remove := claudeRun{args: []string{"mcp", "remove", "--scope", "user", name}}
	action := classifyServer(old, want)
	extra := false
	for k, v := range old {
		if k != "type" && k != "command" && k != "args" && !sameJSON(v, map[string]any{}) {
			extra = true
		}
	}
	switch {
	case action == serverAdd:
		p.runs = append(p.runs, add(want.Args))
	case action == serverSame:
		p.notes = append(p.notes, fmt.Sprintf("MCP server: %s is registered with Claude Code already (user scope), running %s; kept.", name, c.prog.exe))
	case c.force:
		p.runs = append(p.runs, remove, add(want.Args))
	case action == serverUpdate && !extra:
		var args []string
		for _, a := range anySlice(old["args"]) {
			if s, ok := a.(string); ok {
				args = append(args, s)
			}
		}
		p.runs = append(p.runs, remove, add(args))
	default:
		p.conflicts = append(p.conflicts, fmt.Sprintf("! Claude Code's %s (user scope) is %s; Claude Code's CLI can only replace it, which would drop what you set", name, quoteJSON(old)))
	}
	return nil
}

func anySlice(v any) []any {
	s, _ := v.([]any)
	return s
}

// claudeUserServer returns the user-scope server name from ~/.claude.json,
// or nil when there is none (or no file).
func claudeUserServer(name string) (map[string]any, error) {
	home, err := os.UserHomeDir()
	if err != nil {
		return nil, nil
	}
	data, err := os.ReadFile(filepath.Join(home, ".claude.json"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var cfg struct {
		MCPServers map[string]map[string]any `json:"mcpServers"`
	}
	if err := json.Unmarshal(data, &cfg); err != nil {
		return nil, fmt.Errorf("read ~/.claude.json for the servers Claude Code has: %w", err)
	}
	return cfg.MCPServers[name], nil
}

func printLoginHint(w io.Writer, exe string) {
	fmt.Fprintf(w, "\nThen log in once, in your own terminal (never through the agent):\n   %s auth login --url https://jira.example.com --client-id CLIENT_ID\n", shellQuote(exe))
}
