package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/jira-mcp/jira-mcp/skills"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden files under testdata/")

// goldenDir is resolved before any test changes the working folder.
var goldenDir = func() string {
	wd, err := os.Getwd()
	if err != nil {
		panic(err)
	}
	return filepath.Join(wd, "testdata", "setup")
}()

// testExe stands for this program's path, so golden files do not depend on
// where the test binary was built.
const testExe = "/opt/jira-mcp/bin/jira-mcp"

func testSetupEnv(exe string) setupEnv {
	return setupEnv{executable: func() (string, error) { return exe, nil }}
}

// fakeClaudeScript stands for Claude Code's CLI: it logs each call, one a
// line, and keeps one user-scope server in ~/.claude.json as `claude mcp
// add` and `claude mcp remove` would, refusing to add over an existing one.
// PATH holds nothing else, so it uses only builtins and /bin/rm.
const fakeClaudeScript = `#!/bin/sh
printf '%s\n' "$*" >> "$CLAUDE_LOG"
state="$HOME/.claude.json"
if [ "$1 $2" = "mcp add" ]; then
	name=$5; shift 6; cmd=$1; shift
	if [ -f "$state" ]; then echo "MCP server $name already exists in user config" >&2; exit 1; fi
	args=""; for a in "$@"; do args="$args${args:+, }\"$a\""; done
	printf '{"mcpServers": {"%s": {"type": "stdio", "command": "%s", "args": [%s], "env": {}}}}\n' "$name" "$cmd" "$args" > "$state"
	echo "Added stdio MCP server $name with command: $cmd to user config"
elif [ "$1 $2" = "mcp remove" ]; then
	/bin/rm -f "$state"; echo "Removed MCP server $5 from user config"
fi
`

// setupSandbox gives a test its own HOME, working folder and PATH, and
// clears the variables that move jira-mcp's folders. With fakeClaude, PATH
// holds fakeClaudeScript, so the real exec path is taken; otherwise PATH
// holds no claude at all.
type setupSandbox struct {
	home, work, bin, claudeLog string
}

func newSetupSandbox(t *testing.T, fakeClaude bool) setupSandbox {
	t.Helper()
	root := t.TempDir()
	sb := setupSandbox{
		home:      filepath.Join(root, "home"),
		work:      filepath.Join(root, "work"),
		bin:       filepath.Join(root, "bin"),
		claudeLog: filepath.Join(root, "claude-log"),
	}
	for _, d := range []string{sb.home, sb.work, sb.bin} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if fakeClaude {
		sb.writeClaude(t, fakeClaudeScript)
	}
	for k, v := range map[string]string{
		"HOME": sb.home, "PATH": sb.bin, "CLAUDE_LOG": sb.claudeLog,
		"XDG_CONFIG_HOME": "", "XDG_CACHE_HOME": "", "JIRA_MCP_CONFIG": "", "JIRA_MCP_KEYRING_DIR": "",
	} {
		t.Setenv(k, v)
	}
	t.Chdir(sb.work)
	return sb
}

func (sb setupSandbox) writeClaude(t *testing.T, script string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(sb.bin, "claude"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
}

// claudeCalls returns the calls of the fake claude, one a line.
func (sb setupSandbox) claudeCalls(t *testing.T) []string {
	t.Helper()
	data, err := os.ReadFile(sb.claudeLog)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
}

// path resolves a golden-file path: ~/x is under HOME, others under work.
func (sb setupSandbox) path(p string) string {
	if rest, ok := strings.CutPrefix(p, "~/"); ok {
		return filepath.Join(sb.home, rest)
	}
	return filepath.Join(sb.work, p)
}

func (sb setupSandbox) write(t *testing.T, files map[string]string, mode os.FileMode) {
	t.Helper()
	for p, content := range files {
		if err := os.MkdirAll(filepath.Dir(sb.path(p)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(sb.path(p), []byte(content), mode); err != nil {
			t.Fatal(err)
		}
	}
}

func (sb setupSandbox) read(t *testing.T, p string) string {
	t.Helper()
	data, err := os.ReadFile(sb.path(p))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// changeLines are the lines of setup's output that report a change.
func changeLines(out string) []string {
	var got []string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "  + ") || strings.HasPrefix(l, "  ~ ") || strings.HasPrefix(l, "MCP server: running") {
			got = append(got, l)
		}
	}
	return got
}

func TestSetupGolden(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		fakeClaude bool
		before     map[string]string // files present before the run
		show       []string          // files whose content goes into the golden file
	}{
		{name: "claude", args: []string{"claude"}},
		{name: "claude-project", args: []string{"claude", "--scope", "project"}},
		{name: "claude-demo", args: []string{"claude", "--demo"}},
		{
			name: "claude-demo-project-write", args: []string{"claude", "--demo", "--scope", "project", "--write", "--skills=false", "--permissions=false"},
			before: map[string]string{".mcp.json": `{"mcpServers": {"jira": {"type": "stdio", "command": "/usr/local/bin/jira-mcp", "args": ["serve"]}}}`},
			show:   []string{".mcp.json"},
		},
		{
			name: "claude-write", args: []string{"claude", "--write"}, fakeClaude: true,
			before: map[string]string{"~/.claude/settings.json": `{
  "model": "opus",
  "permissions": {"allow": ["Bash(go test *)"], "deny": ["Bash(keyctl *)", "Read(./.env)"]},
  "sandbox": {"enabled": true, "excludedCommands": ["docker"]},
  "env": {"A": "x<y&z"}
}
`},
			show: []string{"~/.claude/settings.json"},
		},
		{
			name: "claude-project-write", args: []string{"claude", "--scope", "project", "--write", "--skills=false"},
			before: map[string]string{".mcp.json": `{"mcpServers": {"github": {"command": "gh-mcp", "args": ["stdio"], "env": {"Q": "a&b"}}}}`},
			show:   []string{".mcp.json", ".claude/settings.json"},
		},
		{name: "vscode", args: []string{"vscode"}},
		{name: "vscode-demo", args: []string{"vscode", "--demo"}},
		{
			name: "vscode-write", args: []string{"vscode", "--write"},
			before: map[string]string{".vscode/mcp.json": `{
  // Servers for this repository.
  "inputs": [{"type": "promptString", "id": "token", "description": "Token", "password": true}],
  "servers": {
    "other": {"type": "http", "url": "https://example.com/mcp"}, // ours
  },
}
`},
			show: []string{".vscode/mcp.json"},
		},
		{
			name: "vscode-keeps-user-entry-write", args: []string{"vscode", "--write"},
			before: map[string]string{".vscode/mcp.json": `{
	"servers": {
		"jira": {
			"command": "/old/place/jira-mcp",
			"args": ["serve", "--read-only"],
			"env": {"JIRA_URL": "https://jira.example.com"} // staging
		}
	}
}
`},
			show: []string{".vscode/mcp.json"},
		},
		{name: "cursor", args: []string{"cursor"}},
		{name: "cursor-user-write", args: []string{"cursor", "--scope", "user", "--write"}, show: []string{"~/.cursor/mcp.json"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sb := newSetupSandbox(t, tt.fakeClaude)
			sb.write(t, tt.before, 0o600)
			out, stderr, err := runCobra(t, newSetupCmdWith(testSetupEnv(testExe)), tt.args...)
			if err != nil {
				t.Fatalf("setup %v: %v\nstderr: %s", tt.args, err, stderr)
			}
			if stderr != "" {
				t.Errorf("stderr: %s", stderr)
			}
			var got strings.Builder
			got.WriteString("$ jira-mcp setup " + strings.Join(tt.args, " ") + "\n" + out)
			for _, p := range tt.show {
				got.WriteString("\n--- " + p + " ---\n" + sb.read(t, p))
			}
			if tt.fakeClaude {
				got.WriteString("\n--- claude calls, one a line ---\n" + strings.Join(sb.claudeCalls(t), "\n") + "\n")
			}
			checkGolden(t, filepath.Join(goldenDir, tt.name+".golden"), got.String())

			for p := range tt.before {
				if fi, err := os.Stat(sb.path(p)); err == nil && fi.Mode().Perm() != 0o600 {
					t.Errorf("%s: mode %v, want the original 0600", p, fi.Mode().Perm())
				}
			}
			if !slices.Contains(tt.args, "--write") {
				if len(tt.before) == 0 {
					if entries, _ := os.ReadDir(sb.work); len(entries) != 0 {
						t.Errorf("without --write, setup wrote %v", entries)
					}
				}
				return
			}
			// A second run changes nothing, runs no claude, and says so.
			snapshot := readFiles(t, sb, tt.show)
			calls := sb.claudeCalls(t)
			out2, _, err := runCobra(t, newSetupCmdWith(testSetupEnv(testExe)), tt.args...)
			if err != nil {
				t.Fatalf("second run: %v", err)
			}
			if !slices.Equal(snapshot, readFiles(t, sb, tt.show)) {
				t.Error("second run changed the files")
			}
			if c := changeLines(out2); len(c) > 0 {
				t.Errorf("second run reports changes:\n%s", strings.Join(c, "\n"))
			}
			if got := sb.claudeCalls(t); len(got) != len(calls) {
				t.Errorf("second run called claude again: %v", got[len(calls):])
			}
		})
	}
}

func readFiles(t *testing.T, sb setupSandbox, paths []string) []string {
	t.Helper()
	var out []string
	for _, p := range paths {
		out = append(out, sb.read(t, p))
	}
	return out
}

func checkGolden(t *testing.T, path, got string) {
	t.Helper()
	if *updateGolden {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run %s -update to create it)", err, t.Name())
	}
	if got != string(want) {
		t.Errorf("output differs from %s (run go test -run %s -update after checking):\n--- got ---\n%s\n--- want ---\n%s", path, t.Name(), got, want)
	}
}

func TestSetupClaudeWriteInstallsSkills(t *testing.T) {
	sb := newSetupSandbox(t, true)
	if _, _, err := runCobra(t, newSetupCmdWith(testSetupEnv(testExe)), "claude", "--write"); err != nil {
		t.Fatal(err)
	}
	for _, s := range skills.List() {
		got, err := os.ReadFile(filepath.Join(sb.home, ".claude", "skills", s.Name, skills.FileName))
		if err != nil || !bytes.Equal(got, s.Content) {
			t.Errorf("skill %s not installed: %v", s.Name, err)
		}
	}
}

// The sandbox settings setup claude writes: the boundary itself. The
// containment test runs commands under exactly these; this one pins them.
func TestSetupClaudeSandboxSettings(t *testing.T) {
	sb := newSetupSandbox(t, true)
	t.Setenv("JIRA_MCP_KEYRING_DIR", "/srv/keyrings/jira")
	if _, _, err := runCobra(t, newSetupCmdWith(testSetupEnv(testExe)), "claude", "--write", "--skills=false"); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Sandbox struct {
			Enabled, FailIfUnavailable *bool
			AllowUnsandboxedCommands   *bool
			Network                    struct{ AllowAllUnixSockets *bool }
			Filesystem                 struct{ DenyRead, DenyWrite []string }
		}
		Permissions struct{ Deny []string }
	}
	if err := json.Unmarshal([]byte(sb.read(t, "~/.claude/settings.json")), &got); err != nil {
		t.Fatal(err)
	}
	s := got.Sandbox
	for name, b := range map[string]struct {
		p    *bool
		want bool
	}{
		"enabled": {s.Enabled, true}, "failIfUnavailable": {s.FailIfUnavailable, true},
		"allowUnsandboxedCommands": {s.AllowUnsandboxedCommands, false}, "network.allowAllUnixSockets": {s.Network.AllowAllUnixSockets, false},
	} {
		if b.p == nil || *b.p != b.want {
			t.Errorf("sandbox.%s = %v, want %v", name, b.p, b.want)
		}
	}
	wantPaths := []string{"~/.config/jira-mcp", "//srv/keyrings/jira", "~/.cache/jira-mcp"}
	if !slices.Equal(s.Filesystem.DenyRead, wantPaths) || !slices.Equal(s.Filesystem.DenyWrite, wantPaths) {
		t.Errorf("denyRead %v, denyWrite %v; want both %v", s.Filesystem.DenyRead, s.Filesystem.DenyWrite, wantPaths)
	}
	for _, r := range []string{"Bash(secret-tool *)", "Bash(dbus-send *)", "Read(~/.config/jira-mcp/**)", "Edit(//srv/keyrings/jira/**)", "Read(~/.cache/jira-mcp/**)"} {
		if !slices.Contains(got.Permissions.Deny, r) {
			t.Errorf("permissions.deny lacks %s: %v", r, got.Permissions.Deny)
		}
	}
}

func TestSetupDenyRules(t *testing.T) {
	rules := denyRules("/usr/local/bin/jira-mcp", false)
	for _, want := range []string{"secret-tool", "dbus-send", "gdbus", "busctl", "security find-generic-password", "keyctl", "jira-mcp auth", "/usr/local/bin/jira-mcp auth"} {
		if !slices.Contains(rules, "Bash("+want+" *)") {
			t.Errorf("no rule denying %q in %v", want, rules)
		}
	}
	if got := denyRules("/my tools/jira-mcp", false); !slices.Contains(got, "Bash('/my tools/jira-mcp' auth *)") {
		t.Errorf("path with a space not quoted: %v", got)
	}
	// On PATH, a project's settings name no one's home folder.
	for _, r := range denyRules("/home/me/bin/jira-mcp", true) {
		if strings.Contains(r, "/home/me") {
			t.Errorf("rule %q names the full path although jira-mcp is on PATH", r)
		}
	}
}

// A run that cannot do every step does none: no file written, no claude
// run, no skill installed.
func TestSetupErrors(t *testing.T) {
	userSettings := "~/.claude/settings.json"
	tests := []struct {
		name      string
		exe       string
		args      []string
		before    map[string]string
		claude    string // the fake claude's script; "" for none on PATH
		wantErr   string
		wantCode  int // exitError code, 0 for a plain error
		untouched []string
		noneOf    []string // files that must not exist afterwards
		wantCalls int      // claude calls expected
	}{
		{name: "no claude on PATH", args: []string{"claude", "--write"}, wantErr: "claude not found on PATH", noneOf: []string{userSettings, "~/.claude/skills"}},
		{name: "bad scope", args: []string{"claude", "--scope", "global"}, wantErr: `--scope "global"`, wantCode: 2},
		{name: "cursor bad scope", args: []string{"cursor", "--scope", "team"}, wantErr: `--scope "team"`, wantCode: 2},
		{name: "go run binary refused", exe: "/tmp/go-build123/b001/exe/jira-mcp", args: []string{"vscode", "--write"}, wantErr: "go run", noneOf: []string{".vscode"}},
		{
			name: "invalid JSON not clobbered", args: []string{"vscode", "--write"},
			before:  map[string]string{".vscode/mcp.json": "{\n  \"servers\": {\n}\n"},
			wantErr: "not valid JSON", untouched: []string{".vscode/mcp.json"},
		},
		{
			name: "servers not an object", args: []string{"cursor", "--write"},
			before:  map[string]string{".cursor/mcp.json": `{"mcpServers": []}`},
			wantErr: `"mcpServers" is not an object`, untouched: []string{".cursor/mcp.json"},
		},
		{
			name: "another program under our name", args: []string{"vscode", "--write"},
			before:  map[string]string{".vscode/mcp.json": `{"servers": {"jira": {"command": "docker", "args": ["run", "acme/jira"]}}}`},
			wantErr: "--force", untouched: []string{".vscode/mcp.json"},
		},
		{
			name: "deny not a list", args: []string{"claude", "--scope", "project", "--write"},
			before:  map[string]string{".claude/settings.json": `{"permissions": {"deny": "Bash"}}`},
			wantErr: "not a list", untouched: []string{".claude/settings.json"}, noneOf: []string{".mcp.json", ".claude/skills"},
		},
		{
			name: "sandbox setting of the user's", args: []string{"claude", "--write"}, claude: fakeClaudeScript,
			before:  map[string]string{userSettings: `{"sandbox": {"enabled": true, "allowUnsandboxedCommands": true}}`},
			wantErr: "allowUnsandboxedCommands", untouched: []string{userSettings}, noneOf: []string{"~/.claude/skills"},
		},
		{
			name: "skills folder is a file", args: []string{"claude", "--write"}, claude: fakeClaudeScript,
			before:  map[string]string{"~/.claude/skills": "not a folder"},
			wantErr: "is a file", untouched: []string{"~/.claude/skills"}, noneOf: []string{userSettings},
		},
		{
			name: "claude fails", args: []string{"claude", "--write"},
			claude:  "#!/bin/sh\nprintf '%s\\n' \"$*\" >> \"$CLAUDE_LOG\"\necho 'cannot write config' >&2\nexit 1\n",
			wantErr: "claude mcp add", noneOf: []string{userSettings, "~/.claude/skills"}, wantCalls: 1,
		},
		{
			name: "claude has a server of ours with env", args: []string{"claude", "--write"}, claude: fakeClaudeScript,
			before:  map[string]string{"~/.claude.json": `{"mcpServers": {"jira": {"type": "stdio", "command": "/old/jira-mcp", "args": ["serve"], "env": {"JIRA_URL": "https://jira.example.com"}}}}`},
			wantErr: "would drop what you set", untouched: []string{"~/.claude.json"}, noneOf: []string{userSettings, "~/.claude/skills"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sb := newSetupSandbox(t, false)
			if tt.claude != "" {
				sb.writeClaude(t, tt.claude)
			}
			sb.write(t, tt.before, 0o644)
			exe := tt.exe
			if exe == "" {
				exe = testExe
			}
			_, _, err := runCobra(t, newSetupCmdWith(testSetupEnv(exe)), tt.args...)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
			}
			var ee *exitError
			if code := 0; errors.As(err, &ee) {
				code = ee.code
				if code != tt.wantCode {
					t.Errorf("exit code %d, want %d", code, tt.wantCode)
				}
			} else if tt.wantCode != 0 {
				t.Errorf("plain error, want exit code %d", tt.wantCode)
			}
			for _, p := range tt.untouched {
				if got := sb.read(t, p); got != tt.before[p] {
					t.Errorf("%s was changed to %q", p, got)
				}
			}
			for _, p := range tt.noneOf {
				if _, err := os.Stat(sb.path(p)); !errors.Is(err, os.ErrNotExist) {
					t.Errorf("%s was written although the run failed", p)
				}
			}
			if calls := sb.claudeCalls(t); len(calls) != tt.wantCalls {
				t.Errorf("claude called %d times, want %d: %v", len(calls), tt.wantCalls, calls)
			}
		})
	}
}

func TestSetupGoRunWarning(t *testing.T) {
	newSetupSandbox(t, false)
	out, stderr, err := runCobra(t, newSetupCmdWith(testSetupEnv("/tmp/go-build99/b001/exe/jira-mcp")), "cursor")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stderr, "go run") || strings.Contains(out, "go run") {
		t.Errorf("want the go run note on stderr only; stdout %q, stderr %q", out, stderr)
	}
}

func TestSetupUpdatesStaleEntry(t *testing.T) {
	sb := newSetupSandbox(t, false)
	sb.write(t, map[string]string{".cursor/mcp.json": `{"mcpServers": {"jira": {"command": "/old/jira-mcp", "args": ["serve"]}, "z": {"command": "z"}}}`}, 0o644)
	out, _, err := runCobra(t, newSetupCmdWith(testSetupEnv(testExe)), "cursor", "--write")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, `~ mcpServers.jira.command: "/old/jira-mcp" -> "`+testExe+`"`) {
		t.Errorf("output does not report the update:\n%s", out)
	}
	got := sb.read(t, ".cursor/mcp.json")
	if !strings.Contains(got, testExe) || strings.Contains(got, "/old/") {
		t.Errorf("entry not replaced:\n%s", got)
	}
	if strings.Index(got, `"jira"`) > strings.Index(got, `"z"`) {
		t.Errorf("key order not kept:\n%s", got)
	}
}

// --force replaces what setup would otherwise refuse to touch, and says so.
func TestSetupForce(t *testing.T) {
	sb := newSetupSandbox(t, true)
	sb.write(t, map[string]string{
		"~/.claude/settings.json": `{"sandbox": {"allowUnsandboxedCommands": true}}`,
		".vscode/mcp.json":        `{"servers": {"jira": {"command": "docker", "args": ["run"], "env": {"A": "b"}}}}`,
	}, 0o644)
	out, _, err := runCobra(t, newSetupCmdWith(testSetupEnv(testExe)), "claude", "--write", "--force", "--skills=false")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "~ sandbox.allowUnsandboxedCommands: true -> false (--force)") {
		t.Errorf("output does not report the override:\n%s", out)
	}
	if got := sb.read(t, "~/.claude/settings.json"); !strings.Contains(got, `"allowUnsandboxedCommands": false`) {
		t.Errorf("not overridden:\n%s", got)
	}
	if _, _, err := runCobra(t, newSetupCmdWith(testSetupEnv(testExe)), "vscode", "--write", "--force"); err != nil {
		t.Fatal(err)
	}
	if got := sb.read(t, ".vscode/mcp.json"); strings.Contains(got, "docker") || !strings.Contains(got, testExe) {
		t.Errorf("not replaced:\n%s", got)
	}
}

// Rerun after the binary moved: Claude Code's registration follows it (the
// CLI can only remove and add), keeping the user's arguments, and the deny
// rule for the new path is added.
func TestSetupClaudeRerunAfterMove(t *testing.T) {
	sb := newSetupSandbox(t, true)
	sb.write(t, map[string]string{"~/.claude.json": `{"mcpServers": {"jira": {"type": "stdio", "command": "/old/jira-mcp", "args": ["serve", "--read-only"], "env": {}}}}`}, 0o644)
	out, _, err := runCobra(t, newSetupCmdWith(testSetupEnv(testExe)), "claude", "--write", "--skills=false")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"mcp remove --scope user jira", "mcp add --scope user jira -- " + testExe + " serve --read-only"}
	if got := sb.claudeCalls(t); !slices.Equal(got, want) {
		t.Errorf("claude calls %q, want %q", got, want)
	}
	if !strings.Contains(out, "+ permissions.deny: \"Bash("+testExe+" auth *)\"") {
		t.Errorf("no deny rule for the new path:\n%s", out)
	}
}

// A project file names the command, not the user's path, when PATH finds
// this program; otherwise it names the path and says so.
func TestSetupProjectCommandName(t *testing.T) {
	sb := newSetupSandbox(t, false)
	onPath := filepath.Join(sb.bin, "jira-mcp")
	if err := os.WriteFile(onPath, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	out, _, err := runCobra(t, newSetupCmdWith(testSetupEnv(onPath)), "claude", "--scope", "project", "--write", "--skills=false")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{".mcp.json", ".claude/settings.json"} {
		if got := sb.read(t, p); strings.Contains(got, sb.bin) {
			t.Errorf("%s names the full path:\n%s", p, got)
		}
	}
	if got := sb.read(t, ".mcp.json"); !strings.Contains(got, `"command": "jira-mcp"`) {
		t.Errorf(".mcp.json does not name jira-mcp:\n%s", got)
	}
	if !strings.Contains(out, "found on PATH") {
		t.Errorf("output does not say why:\n%s", out)
	}
	out, _, err = runCobra(t, newSetupCmdWith(testSetupEnv(testExe)), "cursor", "--write")
	if err != nil {
		t.Fatal(err)
	}
	if got := sb.read(t, ".cursor/mcp.json"); !strings.Contains(got, testExe) || !strings.Contains(out, "not on PATH") {
		t.Errorf("off PATH: file\n%s\noutput\n%s", got, out)
	}
}

func TestShellQuote(t *testing.T) {
	for in, want := range map[string]string{
		"/usr/bin/jira-mcp": "/usr/bin/jira-mcp",
		"/my tools/x":       "'/my tools/x'",
		"it's":              `'it'\''s'`,
		"":                  "''",
		`{"a":1}`:           `'{"a":1}'`,
	} {
		if got := shellQuote(in); got != want {
			t.Errorf("shellQuote(%q) = %s, want %s", in, got, want)
		}
	}
}

// A keyring password in a client's entry is never written back where any
// agent can read it: setup refuses, and --force replaces the entry.
func TestSetupRefusesKeyringPassword(t *testing.T) {
	f, err := parseJSONFile([]byte(`{"servers": {"jira": {"command": "/old/jira-mcp", "args": ["serve"], "env": {"JIRA_MCP_KEYRING_PASSWORD": "hunter2"}}}}`))
	if err != nil {
		t.Fatal(err)
	}
	want := serverConfig{Command: "/opt/jira-mcp", Args: []string{"serve"}}
	_, conflicts, err := mergeServerEntry(f, "servers", "jira", want, false)
	if err != nil || len(conflicts) != 1 || !strings.Contains(conflicts[0], "JIRA_MCP_KEYRING_PASSWORD") || !strings.Contains(conflicts[0], "jira-mcp auth unlock") {
		t.Errorf("conflicts %v, %v", conflicts, err)
	}
	if _, _, err := mergeServerEntry(f, "servers", "jira", want, true); err != nil || strings.Contains(string(f.bytes()), "hunter2") {
		t.Errorf("--force kept the password: %s %v", f.bytes(), err)
	}
}
