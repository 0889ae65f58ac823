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
