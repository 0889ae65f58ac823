package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/jira-mcp/jira-mcp/auth"
)

// setupWhy is the paragraph setup claude prints: what the sandbox and the
// deny rules protect, and what they do not.
const setupWhy = `Why a sandbox: your refresh token and client secret are in the OS keyring,
and only jira-mcp serve, which Claude Code starts outside its sandbox, reads
them. The agent's shell runs as you: unsandboxed, any command it runs can ask
the keyring as well (secret-tool, a D-Bus GetSecrets call from python, keyctl),
read the server's memory through /proc, or run jira-mcp through a proxy and a
CA of its own; no list of commands can name every way (dbus-send, gdbus,
busctl and python3 -c are examples, not the list). These settings run every
Bash command in Claude Code's sandbox with no way out (allowUnsandboxedCommands
false; failIfUnavailable true, so no silent fallback): no Unix sockets, so no
D-Bus and no Secret Service; jira-mcp's keyring, config and lock folders
neither readable nor writable; the server's process out of sight. They do not
cover commands you list in sandbox.excludedCommands, other MCP servers, what
you run yourself, or macOS's Keychain (not tested here); Claude Code's own
Read and Edit tools are kept out of those folders by the permission rules,
which stay as a second layer. The CLI twin (jira-mcp search ...) cannot log
in from inside the sandbox: the agent uses the MCP tools.`

// secretPaths are where jira-mcp keeps what an agent must neither read nor
// change: the config (URL, client ID, keyring backend: changed, it would
// send the login elsewhere), the file keyring and the per-login lock files.
// They follow auth's defaults and the environment setup runs in.
func secretPaths(getenv func(string) string) ([]string, error) {
	configDir, err := os.UserConfigDir()
	if err != nil {
		return nil, fmt.Errorf("find config dir: %w", err)
	}
	cacheDir, err := os.UserCacheDir()
	if err != nil {
		return nil, fmt.Errorf("find cache dir: %w", err)
	}
	ours := filepath.Join(configDir, "jira-mcp") // config.json and keyring/
	paths := []string{ours}
	if c := getenv(auth.EnvConfig); c != "" {
		// A config file elsewhere is denied by itself, not its whole folder.
		paths = append(paths, c)
	}
	if d := getenv(auth.EnvKeyringDir); d != "" {
		paths = append(paths, d)
	}
	paths = append(paths, filepath.Join(cacheDir, "jira-mcp"))
	var out []string
	for _, p := range paths {
		p, err := filepath.Abs(p)
		if err != nil {
			return nil, err
		}
		if !coveredBy(p, out) {
			out = append(out, p)
		}
	}
	return out, nil
}

// coveredBy reports whether p is one of dirs or inside one.
func coveredBy(p string, dirs []string) bool {
	for _, d := range dirs {
		if p == d || strings.HasPrefix(p, d+string(filepath.Separator)) {
			return true
		}
	}
	return false
}

// claudePath writes p the way Claude Code's settings name a path: ~/ for
// the home folder, // for an absolute path (a single / would be relative
// to the settings file's folder in some versions).
func claudePath(p string) string {
	if home, err := os.UserHomeDir(); err == nil && home != "" {
		if rel, err := filepath.Rel(home, p); err == nil && rel != "." && !strings.HasPrefix(rel, "..") {
			return "~/" + filepath.ToSlash(rel)
		}
	}
	return "/" + filepath.ToSlash(p)
}

// settingsRule is one value setup claude wants at a path of Claude Code's
// settings: a scalar it sets, or rules it adds to a list.
type settingsRule struct {
	path   []string
	scalar any      // set unless the user chose otherwise (--force overrides)
	list   []string // added where missing; the user's entries stay
}

// claudeSettings are the settings setup claude merges: the sandbox
// (see setupWhy) and the permission rules that remain as a second layer.
func claudeSettings(paths []string, exe string, onPath bool) []settingsRule {
	var fsPaths, readRules, editRules []string
	for _, p := range paths {
		cp := claudePath(p)
		fsPaths = append(fsPaths, cp)
		readRules = append(readRules, "Read("+cp+"/**)")
		editRules = append(editRules, "Edit("+cp+"/**)")
	}
	deny := append(denyRules(exe, onPath), readRules...)
	deny = append(deny, editRules...)
	return []settingsRule{
		{path: []string{"sandbox", "enabled"}, scalar: true},
		{path: []string{"sandbox", "failIfUnavailable"}, scalar: true},
		{path: []string{"sandbox", "allowUnsandboxedCommands"}, scalar: false},
		{path: []string{"sandbox", "network", "allowAllUnixSockets"}, scalar: false},
		{path: []string{"sandbox", "filesystem", "denyRead"}, list: fsPaths},
		{path: []string{"sandbox", "filesystem", "denyWrite"}, list: fsPaths},
		{path: []string{"permissions", "deny"}, list: deny},
	}
}

// denyRules are the Claude Code permission rules that keep an agent from
// reading the keyring or logging in by itself. They name commands, so they
// cannot be complete (python3 -c, a script, a copy of a binary under another
// name): the sandbox is the boundary, these are a second layer. With onPath,
// the rule for this program's full path is left out, so that a project's
// settings carry no one's home folder.
func denyRules(exe string, onPath bool) []string {
	rules := []string{
		"Bash(secret-tool *)",                     // Secret Service (GNOME Keyring, KWallet) on Linux
		"Bash(dbus-send *)",                       // D-Bus, which the Secret Service speaks
		"Bash(gdbus *)",                           // D-Bus
		"Bash(busctl *)",                          // D-Bus
		"Bash(security find-generic-password *)",  // macOS Keychain
		"Bash(security find-internet-password *)", // macOS Keychain
		"Bash(security dump-keychain *)",          // macOS Keychain
		"Bash(keyctl *)",                          // Linux kernel keyring
		"Bash(kwallet-query *)",                   // KWallet
		"Bash(pass *)",                            // pass, the password store
		"Bash(jira-mcp auth *)",                   // login, status, logout are for the user
	}
	if !onPath {
		rules = append(rules, "Bash("+shellQuote(exe)+" auth *)") // the same, by full path
	}
	return rules
}

// sandboxWeakeners are sandbox settings of the user's that setup keeps but
// that open a way around the boundary; setup names them.
var sandboxWeakeners = []struct {
	path []string
	why  string
}{
	{[]string{"sandbox", "excludedCommands"}, "these commands run outside the sandbox and can read the keyring"},
	{[]string{"sandbox", "network", "allowUnixSockets"}, "on macOS these sockets stay reachable (Linux ignores the list)"},
	{[]string{"sandbox", "enableWeakerNestedSandbox"}, "weakens the Linux sandbox"},
	{[]string{"sandbox", "allowNestedUserNamespaces"}, "lets a command undo the write denies"},
	{[]string{"sandbox", "filesystem", "allowRead"}, "re-allows reading what it names"},
}

// mergeClaudeSettings merges rules into a Claude Code settings file. It
// returns the diff-like lines, the user's values it would override (an
// error for the caller unless force), and warnings about settings kept.
func mergeClaudeSettings(f *jsonFile, rules []settingsRule, force bool) (changes, conflicts, warnings []string, err error) {
	for _, r := range rules {
		key := strings.Join(r.path, ".")
		if r.list != nil {
			var have []any
			ok, err := f.get(r.path, &have)
			if err != nil {
				return nil, nil, nil, fmt.Errorf("%s is not a list: %w", key, err)
			}
			var add []any
			for _, s := range r.list {
				if !containsJSON(have, s) && !containsJSON(add, s) {
					add = append(add, s)
					changes = append(changes, fmt.Sprintf("+ %s: %s", key, quoteJSON(s)))
				}
			}
			switch {
			case len(add) == 0:
				changes = append(changes, fmt.Sprintf("= %s: %d already there", key, len(r.list)))
			case !ok:
				err = f.set(r.path, add)
			default:
				err = f.appendElements(r.path, add...)
			}
			if err != nil {
				return nil, nil, nil, fmt.Errorf("%s: %w", key, err)
			}
			continue
		}
		var have any
		ok, err := f.get(r.path, &have)
		if err != nil {
			return nil, nil, nil, err
		}
		switch {
		case !ok:
			changes = append(changes, fmt.Sprintf("+ %s: %s", key, quoteJSON(r.scalar)))
		case sameJSON(have, r.scalar):
			changes = append(changes, fmt.Sprintf("= %s: %s", key, quoteJSON(r.scalar)))
			continue
		case force:
			changes = append(changes, fmt.Sprintf("~ %s: %s -> %s (--force)", key, quoteJSON(have), quoteJSON(r.scalar)))
		default:
			conflicts = append(conflicts, fmt.Sprintf("! %s: yours is %s, the boundary needs %s", key, quoteJSON(have), quoteJSON(r.scalar)))
			continue
		}
		if err := f.set(r.path, r.scalar); err != nil {
			return nil, nil, nil, fmt.Errorf("%s: %w", key, err)
		}
	}
	for _, w := range sandboxWeakeners {
		var v any
		if ok, _ := f.get(w.path, &v); ok && v != nil && v != false && !sameJSON(v, []any{}) {
			warnings = append(warnings, fmt.Sprintf("note: kept your %s %s: %s", strings.Join(w.path, "."), quoteJSON(v), w.why))
		}
	}
	return changes, conflicts, warnings, nil
}

func containsJSON(list []any, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func quoteJSON(v any) string {
	b, err := encodeCompact(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
