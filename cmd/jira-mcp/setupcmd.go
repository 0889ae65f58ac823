package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"github.com/google/renameio/v2/maybe"
	"github.com/spf13/cobra"

	"github.com/jira-mcp/jira-mcp/skills"
)

// passwordVar is the file keyring's password variable: for headless CI
// only, never in a client's configuration.
const passwordVar = "JIRA_MCP_KEYRING_PASSWORD"

// setupServerName is the name agents list the server under.
const setupServerName = "jira"

// demoServerName is the name --demo registers, beside a real "jira"
// server rather than in its place.
const demoServerName = "jira-demo"

// setupEnv holds what setup takes from its surroundings, so tests can pin it.
type setupEnv struct {
	// executable returns the path of this program, as os.Executable does.
	executable func() (string, error)
}

// newSetupCmd is `jira-mcp setup claude | vscode | cursor`.
func newSetupCmd() *cobra.Command {
	return newSetupCmdWith(setupEnv{executable: os.Executable})
}

func newSetupCmdWith(env setupEnv) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "setup",
		Short: "Connect jira-mcp to an agent: claude, vscode or cursor",
		Long: `Setup shows what it would change to add jira-mcp to an agent, and with
--write does it. It works out every change first and writes nothing if one
of them cannot be made; it merges into existing configuration, keeping other
servers, comments and what you added to jira-mcp's own entry; run again, it
changes only what is missing or out of date.`,
		Args: cobra.NoArgs,
	}
	cmd.AddCommand(newSetupClaudeCmd(env), newSetupVSCodeCmd(env), newSetupCursorCmd(env))
	return cmd
}

// program is this program as agents will run it.
type program struct {
	exe    string // absolute path
	onPath bool   // `jira-mcp` on PATH is this very file
}

// program returns this program's absolute path, and whether PATH finds it
// as jira-mcp. A binary built by `go run` lives in a temporary folder
// deleted on exit: pointing an agent at it would break, so it is refused
// for --write.
func (e setupEnv) program(cmd *cobra.Command, write bool) (program, error) {
	p, err := e.executable()
	if err != nil {
		return program{}, fmt.Errorf("find this program's path: %w", err)
	}
	if p, err = filepath.Abs(p); err != nil {
		return program{}, fmt.Errorf("find this program's path: %w", err)
	}
	if strings.Contains(p, string(filepath.Separator)+"go-build") {
		msg := "this jira-mcp was built by `go run` into a temporary folder; build it (go build -o ~/bin/jira-mcp ./cmd/jira-mcp) and run setup with that binary"
		if write {
			return program{}, errors.New(msg)
		}
		fmt.Fprintln(cmd.ErrOrStderr(), "note:", msg)
	}
	prog := program{exe: p}
	if found, err := exec.LookPath("jira-mcp"); err == nil {
		a, errA := os.Stat(found)
		b, errB := os.Stat(p)
		prog.onPath = errA == nil && errB == nil && os.SameFile(a, b)
	}
	return prog, nil
}

// command is what a file meant to be committed with a project names: the
// bare command when PATH finds this program, so that the file holds no one's
// home folder; otherwise the full path, with a note saying so.
func (p program) command(project bool) (cmd, note string) {
	switch {
	case !project:
		return p.exe, ""
	case p.onPath:
		return "jira-mcp", "note: the project file names the command jira-mcp, found on PATH, not its full path: it can be committed, and each person needs jira-mcp on PATH"
	}
	return p.exe, "note: jira-mcp is not on PATH, so the project file names " + p.exe + "; put jira-mcp on PATH and run setup again before committing it"
}

// setupScope reads and checks --scope.
func setupScope(scope string, allowed ...string) error {
	for _, a := range allowed {
		if scope == a {
			return nil
		}
	}
	return usage(fmt.Errorf("--scope %q: use %s", scope, strings.Join(allowed, " or ")))
}

// serverConfig is how every client names the stdio command to run.
type serverConfig struct {
	Name    string   `json:"name,omitempty"` // only for code --add-mcp
	Type    string   `json:"type"`
	Command string   `json:"command"`
	Args    []string `json:"args"`
}

// serverEntry is the entry for command; demo runs the emulator instead.
func serverEntry(command string, demo bool) serverConfig {
	args := []string{"serve"}
	if demo {
		args = []string{"demo"}
	}
	return serverConfig{Type: "stdio", Command: command, Args: args}
}

func serverName(demo bool) string {
	if demo {
		return demoServerName
	}
	return setupServerName
}

// setupPlan is everything one setup run does, worked out before anything
// is written: a step that cannot be done stops the run with nothing changed.
type setupPlan struct {
	title     string      // "Claude Code, user scope"
	runs      []claudeRun // Claude Code CLI calls, first
	skills    string      // folder to install the skills into, or ""
	files     []*planFile // then these files
	notes     []string
	conflicts []string // the user's values a change would override
}

// claudeRun is one call of Claude Code's CLI, which owns its user config.
type claudeRun struct{ args []string }

// planFile is one configuration file and what setup changes in it.
type planFile struct {
	path  string
	data  []byte   // the new content; nil when nothing changes
	lines []string // what changes, one line each: + added, ~ changed, = kept
}

// mergePlanFile reads path (missing is empty) and applies merge to it.
func mergePlanFile(path string, merge func(*jsonFile) ([]string, error)) (*planFile, error) {
	old, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	f, err := parseJSONFile(old)
	if err != nil {
		return nil, fmt.Errorf("%s: %w; nothing was written, add the entry by hand", displayPath(path), err)
	}
	lines, err := merge(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w; nothing was written, add the entry by hand", displayPath(path), err)
	}
	pf := &planFile{path: path, lines: lines}
	if out := f.bytes(); !bytes.Equal(out, old) && slices.ContainsFunc(lines, changed) {
		pf.data = out
	}
	return pf, nil
}

func changed(line string) bool { return strings.HasPrefix(line, "+") || strings.HasPrefix(line, "~") }

// show prints the plan; done says whether it has been carried out.
func (p *setupPlan) show(w io.Writer, write bool) {
	if !write {
		fmt.Fprintf(w, "%s. With --write, setup makes these changes:\n", p.title)
		for _, r := range p.runs {
			fmt.Fprintf(w, "\nMCP server: %s\n", shellJoin(append([]string{"claude"}, r.args...)))
		}
		if p.skills != "" {
			fmt.Fprintf(w, "\nSkills: install %d into %s (jira-mcp skills install)\n", len(skills.Names()), displayPath(p.skills))
		}
	}
	for _, f := range p.files {
		fmt.Fprintf(w, "\n%s:\n", displayPath(f.path))
		for _, l := range f.lines {
			fmt.Fprintf(w, "  %s\n", l)
		}
	}
	for _, c := range p.conflicts {
		fmt.Fprintf(w, "  %s\n", c)
	}
	if len(p.conflicts) > 0 {
		fmt.Fprintln(w, "  (--write refuses these unless --force, which replaces your values)")
	}
	for _, n := range p.notes {
		fmt.Fprintf(w, "\n%s\n", n)
	}
}

// apply carries the plan out: Claude Code's CLI first (it may refuse),
// then the skills, then the files.
func (p *setupPlan) apply(cmd *cobra.Command) error {
	out := cmd.OutOrStdout()
	if len(p.conflicts) > 0 {
		return fmt.Errorf("these would replace what you wrote; nothing was written (--force replaces them):\n  %s", strings.Join(p.conflicts, "\n  "))
	}
	for i, r := range p.runs {
		claude, err := exec.LookPath("claude")
		if err != nil {
			return errors.New("claude not found on PATH: install Claude Code, or run `jira-mcp setup claude --scope project --write` to write .mcp.json here")
		}
		fmt.Fprintf(out, "MCP server: running %s\n", shellJoin(append([]string{"claude"}, r.args...)))
		run := exec.CommandContext(cmd.Context(), claude, r.args...)
		run.Stdout, run.Stderr = out, cmd.ErrOrStderr()
		if err := run.Run(); err != nil {
			if i > 0 { // the old registration is gone already
				return fmt.Errorf("claude %s: %w; the old registration was removed: run %s yourself; the skills and settings were not written", strings.Join(r.args[:2], " "), err, shellJoin(append([]string{"claude"}, r.args...)))
			}
			return fmt.Errorf("claude %s: %w; the skills and settings were not written", strings.Join(r.args[:2], " "), err)
		}
	}
	if p.skills != "" {
		results, err := skills.Install(p.skills, false)
		if err != nil {
			printInstall(out, results)
			return err
		}
		summary, skipped := installSummary(results)
		fmt.Fprintf(out, "Skills: %s in %s\n", summary, displayPath(p.skills))
		if skipped > 0 {
			fmt.Fprintln(out, "  Skill files you changed were kept; `jira-mcp skills install --force` replaces them.")
		}
	}
	for _, f := range p.files {
		if f.data == nil {
			continue
		}
		if err := os.MkdirAll(filepath.Dir(f.path), 0o755); err != nil {
			return err
		}
		// Atomic on Unix (renameio's maybe.WriteFile): a client reading its
		// configuration never sees half a file. The file keeps its mode.
		if err := maybe.WriteFile(f.path, f.data, 0o644); err != nil {
			return fmt.Errorf("write %s: %w", displayPath(f.path), err)
		}
	}
	p.show(out, true)
	return nil
}

// checkSkillsDir fails early when the skills cannot go into dir: a file
// stands where a folder must be.
func checkSkillsDir(dir string) error {
	for _, name := range append([]string{""}, skills.Names()...) {
		p := filepath.Join(dir, name)
		for q := p; ; q = filepath.Dir(q) {
			fi, err := os.Stat(q)
			if err == nil {
				if !fi.IsDir() {
					return fmt.Errorf("skills: %s is a file, not a folder; nothing was written", displayPath(q))
				}
				break
			}
			if !errors.Is(err, fs.ErrNotExist) || filepath.Dir(q) == q {
				if err != nil && !errors.Is(err, fs.ErrNotExist) {
					return fmt.Errorf("skills: %w", err)
				}
				break
			}
		}
	}
	return nil
}

// serverAction says what merging a server entry into existing configuration
// does.
type serverAction int

const (
	serverAdd     serverAction = iota // none there
	serverSame                        // ours, as it is
	serverUpdate                      // jira-mcp at another path: the command is updated, the rest kept
	serverForeign                     // another program under our name: --force replaces it
)

// classifyServer compares an existing entry with ours. A jira-mcp entry
// keeps the arguments, environment and type the user gave it (or left
// out); only its command (the path of the binary) is brought up to date.
func classifyServer(old map[string]any, want serverConfig) serverAction {
	if old == nil {
		return serverAdd
	}
	cmd, _ := old["command"].(string)
	if cmd == want.Command {
		return serverSame
	}
	if filepath.Base(cmd) == "jira-mcp" {
		return serverUpdate
	}
	return serverForeign
}

// mergeServerEntry puts the server into a client's mcp.json under
// serversKey, keeping every other server and what the user added to this
// one (args, env) unless force.
func mergeServerEntry(f *jsonFile, serversKey, name string, want serverConfig, force bool) (lines, conflicts []string, err error) {
	key := serversKey + "." + name
	var old map[string]any
	if _, err := f.get([]string{serversKey, name}, &old); err != nil {
		return nil, nil, fmt.Errorf("%s is not an object: %w", key, err)
	}
	action := classifyServer(old, want)
	if env, _ := old["env"].(map[string]any); env[passwordVar] != nil && !force {
		// Never write a keyring password back where any agent reads it
		// (the client's config, and /proc/<pid>/environ of the server).
		return nil, []string{fmt.Sprintf("! %s.env holds %s, which any agent can read there and in the server's environment: remove it, and on Linux run `jira-mcp auth unlock` in the terminal that starts the client (or use the secret-service backend); --force replaces the entry without it", key, passwordVar)}, nil
	}
	if force && action != serverAdd && action != serverSame {
		return []string{fmt.Sprintf("~ %s: %s -> %s (--force)", key, quoteJSON(old), quoteJSON(want))}, nil, f.set([]string{serversKey, name}, want)
	}
	switch action {
	case serverAdd:
		return []string{fmt.Sprintf("+ %s: %s", key, quoteJSON(want))}, nil, f.set([]string{serversKey, name}, want)
	case serverSame:
		return []string{fmt.Sprintf("= %s: runs %s", key, quoteJSON(old["command"]))}, nil, nil
	case serverUpdate:
		lines = []string{fmt.Sprintf("~ %s.command: %s -> %s", key, quoteJSON(old["command"]), quoteJSON(want.Command))}
		if err := f.set([]string{serversKey, name, "command"}, want.Command); err != nil {
			return nil, nil, err
		}
		if !sameJSON(old["args"], want.Args) || old["env"] != nil {
			lines = append(lines, fmt.Sprintf("= %s: kept your args %s and the rest of the entry", key, quoteJSON(old["args"])))
		}
		return lines, nil, nil
	}
	return nil, []string{fmt.Sprintf("! %s runs %s, not jira-mcp: yours is %s", key, quoteJSON(old["command"]), quoteJSON(old))}, nil
}

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

// encodeCompact writes v as one line of JSON without escaping <, > and &.
func encodeCompact(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSpace(b.Bytes()), nil
}

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=@%+,") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func shellJoin(args []string) string {
	quoted := make([]string, len(args))
	for i, a := range args {
		quoted[i] = shellQuote(a)
	}
	return strings.Join(quoted, " ")
}
