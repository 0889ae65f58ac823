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
	"reflect"
	"strings"

	"github.com/google/renameio/v2/maybe"
	"github.com/spf13/cobra"

	"github.com/jira-mcp/jira-mcp/skills"
)

// setupServerName is the name agents list the server under.
const setupServerName = "jira"

// setupWhy is the paragraph explaining the deny rules.
const setupWhy = `Why deny these commands: jira-mcp keeps your Jira refresh token in the OS
keyring so that the agent never sees it; only the server uses it, to get
short-lived access tokens. But the agent runs shell commands as you, and any
program running as you can ask the keyring for that secret (secret-tool,
security, keyctl, kwallet-query, pass) or run jira-mcp auth login to get a
fresh grant in your name. These rules stop Claude Code from running those
commands, so the secret stays out of the conversation and logging in stays
something only you do, in your own terminal. They are a guard rail, not a
sandbox: keep the agent's other permissions narrow too.`

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
		Long: `Setup prints how to add jira-mcp to an agent, and with --write does it,
merging into existing configuration without touching other servers.`,
		Args: cobra.NoArgs,
	}
	cmd.AddCommand(newSetupClaudeCmd(env), newSetupVSCodeCmd(env), newSetupCursorCmd(env))
	return cmd
}

// program returns this program's absolute path, which agents will run. A
// binary built by `go run` lives in a temporary folder deleted on exit:
// pointing an agent at it would break, so it is refused for --write.
func (e setupEnv) program(cmd *cobra.Command, write bool) (string, error) {
	p, err := e.executable()
	if err != nil {
		return "", fmt.Errorf("find this program's path: %w", err)
	}
	if p, err = filepath.Abs(p); err != nil {
		return "", fmt.Errorf("find this program's path: %w", err)
	}
	if strings.Contains(p, string(filepath.Separator)+"go-build") {
		msg := "this jira-mcp was built by `go run` into a temporary folder; build it (go build -o ~/bin/jira-mcp ./cmd/jira-mcp) and run setup with that binary"
		if write {
			return "", errors.New(msg)
		}
		fmt.Fprintln(cmd.ErrOrStderr(), "note:", msg)
	}
	return p, nil
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

func newSetupClaudeCmd(env setupEnv) *cobra.Command {
	var (
		write, withSkills, withPermissions, demo bool
		scope                                    string
	)
	cmd := &cobra.Command{
		Use:   "claude",
		Short: "Add jira-mcp to Claude Code, with its skills and permission rules",
		Long: `Prints the steps that add jira-mcp to Claude Code; --write does them:

  1. register the server: user scope runs
     claude mcp add --scope user jira -- <this program> serve
     project scope writes ./.mcp.json instead;
  2. install the skills (~/.claude/skills, or ./.claude/skills for project scope);
  3. add permission rules (permissions.deny in ~/.claude/settings.json, or
     ./.claude/settings.json) denying the commands an agent could use to read
     the keyring or log in by itself.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := setupScope(scope, "user", "project"); err != nil {
				return err
			}
			exe, err := env.program(cmd, write)
			if err != nil {
				return err
			}
			c := claudeSetup{exe: exe, project: scope == "project", skills: withSkills, permissions: withPermissions, demo: demo}
			if write {
				return c.write(cmd)
			}
			return c.print(cmd.OutOrStdout())
		},
	}
	cmd.Flags().BoolVar(&write, "write", false, "do it: register the server, install skills, add permission rules")
	cmd.Flags().StringVar(&scope, "scope", "user", "user (all your projects) or project (files in the current folder)")
	cmd.Flags().BoolVar(&withSkills, "skills", true, "with --write, also install the skills")
	cmd.Flags().BoolVar(&withPermissions, "permissions", true, "with --write, also add the deny rules to settings.json")
	cmd.Flags().BoolVar(&demo, "demo", false, "register the demo server (built-in emulator, no Jira account) as "+demoServerName)
	return cmd
}

// demoServerName is the name setup claude --demo registers, beside a
// real "jira" server rather than in its place.
const demoServerName = "jira-demo"

type claudeSetup struct {
	exe                                string
	project, skills, permissions, demo bool
}

// name and entry are the server's name and configuration.
func (c claudeSetup) name() string {
	if c.demo {
		return demoServerName
	}
	return setupServerName
}

func (c claudeSetup) entry() serverConfig {
	e := serverEntry(c.exe)
	if c.demo {
		e.Args = []string{"demo"}
	}
	return e
}

// claudeArgs are the arguments of `claude mcp add` for user scope.
func (c claudeSetup) claudeArgs() []string {
	return append([]string{"mcp", "add", "--scope", "user", c.name(), "--", c.exe}, c.entry().Args...)
}

// loginHint tells how to log in, except for the demo, which needs none.
func (c claudeSetup) loginHint(w io.Writer) {
	if c.demo {
		fmt.Fprintln(w, "\nThe demo needs no login. Ask Claude Code, for example: \"what Jira issues are assigned to me?\"")
		return
	}
	printLoginHint(w, c.exe)
}

func (c claudeSetup) skillsDir() (string, error) { return skillsDir(c.project, "") }

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

func (c claudeSetup) print(w io.Writer) error {
	skillsDir, err := c.skillsDir()
	if err != nil {
		return err
	}
	settings, err := c.settingsPath()
	if err != nil {
		return err
	}
	scope := "user scope"
	if c.project {
		scope = "project scope"
	}
	flags := "--write"
	if c.demo {
		flags = "--demo --write"
	}
	fmt.Fprintf(w, "Claude Code, %s. `jira-mcp setup claude %s` does these steps:\n\n", scope, flags)
	if c.project {
		fmt.Fprintln(w, "1. Register the MCP server in .mcp.json:")
		if err := writeIndented(w, map[string]any{"mcpServers": map[string]any{c.name(): c.entry()}}); err != nil {
			return err
		}
	} else {
		fmt.Fprintln(w, "1. Register the MCP server:")
		fmt.Fprintf(w, "   %s\n", shellJoin(append([]string{"claude"}, c.claudeArgs()...)))
	}
	fmt.Fprintf(w, "\n2. Install the skills into %s:\n", displayPath(skillsDir))
	install := []string{c.exe, "skills", "install"}
	if c.project {
		install = append(install, "--project")
	}
	fmt.Fprintf(w, "   %s\n", shellJoin(install))
	fmt.Fprintf(w, "\n3. Deny the commands that read the keyring or log in, in %s:\n", displayPath(settings))
	if err := writeIndented(w, map[string]any{"permissions": map[string]any{"deny": denyRules(c.exe)}}); err != nil {
		return err
	}
	fmt.Fprintf(w, "\n%s\n", setupWhy)
	c.loginHint(w)
	return nil
}

func (c claudeSetup) write(cmd *cobra.Command) error {
	out := cmd.OutOrStdout()
	if c.project {
		status, err := mergeFile(".mcp.json", func(data []byte) ([]byte, string, error) {
			return mergeServerNamed(data, "mcpServers", c.name(), c.entry())
		})
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "MCP server: %s in .mcp.json\n", status)
	} else {
		if err := c.runClaude(cmd); err != nil {
			return err
		}
	}
	if c.skills {
		dir, err := c.skillsDir()
		if err != nil {
			return err
		}
		results, err := skills.Install(dir, false)
		if err != nil {
			printInstall(out, results)
			return err
		}
		summary, skipped := installSummary(results)
		fmt.Fprintf(out, "Skills: %s in %s\n", summary, displayPath(dir))
		if skipped > 0 {
			fmt.Fprintln(out, "  Skill files you changed were kept; `jira-mcp skills install --force` replaces them.")
		}
	}
	if c.permissions {
		settings, err := c.settingsPath()
		if err != nil {
			return err
		}
		status, err := mergeFile(settings, func(data []byte) ([]byte, string, error) {
			return mergeDeny(data, denyRules(c.exe))
		})
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "Deny rules: %s in %s\n", status, displayPath(settings))
		fmt.Fprintf(out, "\n%s\n", setupWhy)
	}
	c.loginHint(out)
	return nil
}

// runClaude registers the server with Claude Code's own CLI, which owns
// its user configuration file.
func (c claudeSetup) runClaude(cmd *cobra.Command) error {
	claude, err := exec.LookPath("claude")
	if err != nil {
		return errors.New("claude not found on PATH: install Claude Code, or run `jira-mcp setup claude --scope project --write` to write .mcp.json here")
	}
	args := c.claudeArgs()
	fmt.Fprintf(cmd.OutOrStdout(), "MCP server: running %s\n", shellJoin(append([]string{"claude"}, args...)))
	run := exec.CommandContext(cmd.Context(), claude, args...)
	run.Stdout, run.Stderr = cmd.OutOrStdout(), cmd.ErrOrStderr()
	if err := run.Run(); err != nil {
		return fmt.Errorf("claude mcp add: %w (if Claude Code already has a server named %s, remove it with `claude mcp remove --scope user %s` and run setup again)", err, c.name(), c.name())
	}
	return nil
}

func printLoginHint(w io.Writer, exe string) {
	fmt.Fprintf(w, "\nThen log in once, in your own terminal (never through the agent):\n   %s auth login --url https://jira.example.com --client-id CLIENT_ID\n", shellQuote(exe))
}

func newSetupVSCodeCmd(env setupEnv) *cobra.Command {
	var write bool
	cmd := &cobra.Command{
		Use:   "vscode",
		Short: "Add jira-mcp to VS Code (.vscode/mcp.json in this folder)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			exe, err := env.program(cmd, write)
			if err != nil {
				return err
			}
			path := filepath.Join(".vscode", "mcp.json")
			out := cmd.OutOrStdout()
			if !write {
				fmt.Fprintf(out, "VS Code. `jira-mcp setup vscode --write` merges this into %s:\n", path)
				if err := writeIndented(out, map[string]any{"servers": map[string]any{setupServerName: serverEntry(exe)}}); err != nil {
					return err
				}
				entry := serverEntry(exe)
				entry.Name = setupServerName
				raw, err := json.Marshal(entry)
				if err != nil {
					return err
				}
				fmt.Fprintf(out, "\nOr, for every workspace:\n   code --add-mcp %s\n", shellQuote(string(raw)))
				printOtherAgentNote(out)
				printLoginHint(out, exe)
				return nil
			}
			status, err := mergeFile(path, func(data []byte) ([]byte, string, error) {
				return mergeServer(data, "servers", serverEntry(exe))
			})
			if err != nil {
				return err
			}
			fmt.Fprintf(out, "MCP server: %s in %s\n", status, path)
			printOtherAgentNote(out)
			printLoginHint(out, exe)
			return nil
		},
	}
	cmd.Flags().BoolVar(&write, "write", false, "merge the server into .vscode/mcp.json")
	return cmd
}

func newSetupCursorCmd(env setupEnv) *cobra.Command {
	var (
		write bool
		scope string
	)
	cmd := &cobra.Command{
		Use:   "cursor",
		Short: "Add jira-mcp to Cursor (.cursor/mcp.json, or ~/.cursor/mcp.json with --scope user)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := setupScope(scope, "project", "user"); err != nil {
				return err
			}
			exe, err := env.program(cmd, write)
			if err != nil {
				return err
			}
			path := filepath.Join(".cursor", "mcp.json")
			if scope == "user" {
				home, err := os.UserHomeDir()
				if err != nil {
					return fmt.Errorf("find home folder: %w (use --scope project)", err)
				}
				path = filepath.Join(home, ".cursor", "mcp.json")
			}
			out := cmd.OutOrStdout()
			if !write {
				fmt.Fprintf(out, "Cursor. `jira-mcp setup cursor --write` merges this into %s:\n", displayPath(path))
				if err := writeIndented(out, map[string]any{"mcpServers": map[string]any{setupServerName: serverEntry(exe)}}); err != nil {
					return err
				}
				printOtherAgentNote(out)
				printLoginHint(out, exe)
				return nil
			}
			status, err := mergeFile(path, func(data []byte) ([]byte, string, error) {
				return mergeServer(data, "mcpServers", serverEntry(exe))
			})
			if err != nil {
				return err
			}
			fmt.Fprintf(out, "MCP server: %s in %s\n", status, displayPath(path))
			printOtherAgentNote(out)
			printLoginHint(out, exe)
			return nil
		},
	}
	cmd.Flags().BoolVar(&write, "write", false, "merge the server into mcp.json")
	cmd.Flags().StringVar(&scope, "scope", "project", "project (.cursor/mcp.json here) or user (~/.cursor/mcp.json)")
	return cmd
}

func printOtherAgentNote(w io.Writer) {
	fmt.Fprintf(w, "\nThe skills (%s) come with the server as MCP prompts.\n", strings.Join(skills.Names(), ", "))
	fmt.Fprintln(w, "Keep secret-tool, security, keyctl, pass and `jira-mcp auth` off any auto-approve list:\n`jira-mcp setup claude` explains why.")
}

// serverConfig is how every client names the stdio command to run.
type serverConfig struct {
	Name    string   `json:"name,omitempty"` // only for code --add-mcp
	Type    string   `json:"type"`
	Command string   `json:"command"`
	Args    []string `json:"args"`
}

func serverEntry(exe string) serverConfig {
	return serverConfig{Type: "stdio", Command: exe, Args: []string{"serve"}}
}

// denyRules are the Claude Code permission rules that keep an agent from
// reading the keyring or logging in by itself.
func denyRules(exe string) []string {
	rules := []string{
		"Bash(secret-tool *)",                     // Secret Service (GNOME Keyring, KWallet) on Linux
		"Bash(security find-generic-password *)",  // macOS Keychain
		"Bash(security find-internet-password *)", // macOS Keychain
		"Bash(security dump-keychain *)",          // macOS Keychain
		"Bash(keyctl *)",                          // Linux kernel keyring
		"Bash(kwallet-query *)",                   // KWallet
		"Bash(pass *)",                            // pass, the password store
		"Bash(jira-mcp auth *)",                   // login, status, logout are for the user
		"Bash(" + shellQuote(exe) + " auth *)",    // the same, by full path
	}
	return rules
}

// mergeFile reads path (missing is empty), applies merge, and writes the
// result if it changed, atomically on Unix (renameio's maybe.WriteFile, so
// a client reading its configuration never sees half a file) and keeping
// the file's mode (0644 less the umask for a new file). It returns merge's
// status.
func mergeFile(path string, merge func([]byte) ([]byte, string, error)) (string, error) {
	data, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return "", err
	}
	out, status, err := merge(data)
	if err != nil {
		return "", fmt.Errorf("%s: %w; nothing was written, add the entry by hand", displayPath(path), err)
	}
	if out == nil {
		return status, nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return "", err
	}
	if err := maybe.WriteFile(path, out, 0o644); err != nil {
		return "", fmt.Errorf("write %s: %w", displayPath(path), err)
	}
	return status, nil
}

// mergeServer sets servers[name] in a client's MCP configuration, keeping
// every other server and key in their order. It returns nil when nothing
// changes.
func mergeServer(data []byte, serversKey string, entry serverConfig) ([]byte, string, error) {
	return mergeServerNamed(data, serversKey, setupServerName, entry)
}

// mergeServerNamed is mergeServer for a server of another name.
func mergeServerNamed(data []byte, serversKey, name string, entry serverConfig) ([]byte, string, error) {
	top, err := parseObject(data)
	if err != nil {
		return nil, "", err
	}
	servers, err := parseObject(top.vals[serversKey])
	if err != nil {
		return nil, "", fmt.Errorf("%q: %w", serversKey, err)
	}
	status := "added server " + name
	if old, ok := servers.vals[name]; ok {
		var v any
		if json.Unmarshal(old, &v) == nil && sameJSON(v, entry) {
			return nil, "already has server " + name, nil
		}
		status = "updated server " + name
	}
	raw, err := json.Marshal(entry)
	if err != nil {
		return nil, "", err
	}
	servers.set(name, raw)
	if raw, err = servers.MarshalJSON(); err != nil {
		return nil, "", err
	}
	top.set(serversKey, raw)
	out, err := encodeIndented(top)
	return out, status, err
}

// mergeDeny adds the rules missing from permissions.deny in a Claude Code
// settings file, keeping everything else. It returns nil when nothing changes.
func mergeDeny(data []byte, rules []string) ([]byte, string, error) {
	top, err := parseObject(data)
	if err != nil {
		return nil, "", err
	}
	perms, err := parseObject(top.vals["permissions"])
	if err != nil {
		return nil, "", fmt.Errorf(`"permissions": %w`, err)
	}
	var deny []any
	if raw, ok := perms.vals["deny"]; ok {
		if err := json.Unmarshal(raw, &deny); err != nil {
			return nil, "", fmt.Errorf(`"permissions.deny" is not a list: %w`, err)
		}
	}
	added := 0
	for _, r := range rules {
		if !containsJSON(deny, r) {
			deny = append(deny, r)
			added++
		}
	}
	if added == 0 {
		return nil, "all present", nil
	}
	raw, err := json.Marshal(deny)
	if err != nil {
		return nil, "", err
	}
	perms.set("deny", raw)
	if raw, err = perms.MarshalJSON(); err != nil {
		return nil, "", err
	}
	top.set("permissions", raw)
	out, err := encodeIndented(top)
	return out, fmt.Sprintf("added %d", added), err
}

func containsJSON(list []any, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// sameJSON compares a decoded JSON value with one about to be encoded.
func sameJSON(decoded any, v any) bool {
	raw, err := json.Marshal(v)
	if err != nil {
		return false
	}
	var norm any
	if json.Unmarshal(raw, &norm) != nil {
		return false
	}
	return reflect.DeepEqual(decoded, norm)
}

// object is a JSON object that keeps its keys' order, so merging into a
// user's file changes only what it must.
type object struct {
	keys []string
	vals map[string]json.RawMessage
}

// parseObject parses a JSON object; empty input is an empty object.
func parseObject(data []byte) (*object, error) {
	o := &object{vals: map[string]json.RawMessage{}}
	if len(bytes.TrimSpace(data)) == 0 {
		return o, nil
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, errors.New("not a JSON object (comments and trailing commas are not supported)")
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("not valid JSON (comments and trailing commas are not supported): %w", err)
		}
		key, _ := tok.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, fmt.Errorf("not valid JSON (comments and trailing commas are not supported): %w", err)
		}
		o.set(key, v)
	}
	if _, err := dec.Token(); err != nil {
		return nil, fmt.Errorf("not valid JSON: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("not valid JSON: text after the closing brace")
	}
	return o, nil
}

func (o *object) set(key string, v json.RawMessage) {
	if _, ok := o.vals[key]; !ok {
		o.keys = append(o.keys, key)
	}
	o.vals[key] = v
}

// MarshalJSON writes the object with its keys in order.
func (o *object) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range o.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		kb, err := json.Marshal(k)
		if err != nil {
			return nil, err
		}
		b.Write(kb)
		b.WriteByte(':')
		b.Write(o.vals[k])
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// encodeIndented writes v as two-space indented JSON without escaping
// <, > and & in the user's strings.
func encodeIndented(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func writeIndented(w io.Writer, v any) error {
	out, err := encodeIndented(v)
	if err != nil {
		return err
	}
	_, err = w.Write(out)
	return err
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
