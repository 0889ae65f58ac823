package main

import (
	"bytes"
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

// setupSandbox gives a test its own HOME, working folder and PATH. With
// fakeClaude, PATH holds a `claude` script that records its arguments, so
// the real exec path is taken; otherwise PATH holds no claude at all.
type setupSandbox struct {
	home, work, claudeArgs string
}

func newSetupSandbox(t *testing.T, fakeClaude bool) setupSandbox {
	t.Helper()
	root := t.TempDir()
	sb := setupSandbox{
		home:       filepath.Join(root, "home"),
		work:       filepath.Join(root, "work"),
		claudeArgs: filepath.Join(root, "claude-args"),
	}
	bin := filepath.Join(root, "bin")
	for _, d := range []string{sb.home, sb.work, bin} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if fakeClaude {
		script := "#!/bin/sh\nprintf '%s\\n' \"$@\" > '" + sb.claudeArgs + "'\necho \"Added stdio MCP server $5 to user config\"\n"
		if err := os.WriteFile(filepath.Join(bin, "claude"), []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("HOME", sb.home)
	t.Setenv("PATH", bin)
	t.Chdir(sb.work)
	return sb
}

// path resolves a golden-file path: ~/x is under HOME, others under work.
func (sb setupSandbox) path(p string) string {
	if rest, ok := strings.CutPrefix(p, "~/"); ok {
		return filepath.Join(sb.home, rest)
	}
	return filepath.Join(sb.work, p)
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
		{
			name: "vscode-write", args: []string{"vscode", "--write"},
			before: map[string]string{".vscode/mcp.json": `{
  "inputs": [{"type": "promptString", "id": "token", "description": "Token", "password": true}],
  "servers": {"other": {"type": "http", "url": "https://example.com/mcp"}}
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
			for p, content := range tt.before {
				if err := os.MkdirAll(filepath.Dir(sb.path(p)), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(sb.path(p), []byte(content), 0o600); err != nil {
					t.Fatal(err)
				}
			}
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
				data, err := os.ReadFile(sb.path(p))
				if err != nil {
					t.Fatal(err)
				}
				got.WriteString("\n--- " + p + " ---\n" + string(data))
			}
			if tt.fakeClaude {
				data, err := os.ReadFile(sb.claudeArgs)
				if err != nil {
					t.Fatalf("claude was not run: %v", err)
				}
				got.WriteString("\n--- claude arguments, one a line ---\n" + string(data))
			}
			checkGolden(t, filepath.Join(goldenDir, tt.name+".golden"), got.String())

			for p := range tt.before {
				if fi, err := os.Stat(sb.path(p)); err == nil && fi.Mode().Perm() != 0o600 {
					t.Errorf("%s: mode %v, want the original 0600", p, fi.Mode().Perm())
				}
			}
			if !slices.Contains(tt.args, "--write") {
				return
			}
			// A second run changes nothing and says so.
			snapshot := readFiles(t, sb, tt.show)
			out2, _, err := runCobra(t, newSetupCmdWith(testSetupEnv(testExe)), tt.args...)
			if err != nil {
				t.Fatalf("second run: %v", err)
			}
			if !slices.Equal(snapshot, readFiles(t, sb, tt.show)) {
				t.Error("second run changed the files")
			}
			if strings.Contains(out2, "added") || strings.Contains(out2, "updated") || strings.Contains(out2, " written,") && !strings.Contains(out2, "0 written,") {
				t.Errorf("second run reports changes:\n%s", out2)
			}
		})
	}
}

func readFiles(t *testing.T, sb setupSandbox, paths []string) []string {
	t.Helper()
	var out []string
	for _, p := range paths {
		data, err := os.ReadFile(sb.path(p))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, string(data))
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

func TestSetupDenyRules(t *testing.T) {
	rules := denyRules("/usr/local/bin/jira-mcp")
	for _, want := range []string{"secret-tool", "security find-generic-password", "keyctl", "jira-mcp auth", "/usr/local/bin/jira-mcp auth"} {
		if !slices.Contains(rules, "Bash("+want+" *)") {
			t.Errorf("no rule denying %q in %v", want, rules)
		}
	}
	if got := denyRules("/my tools/jira-mcp"); !slices.Contains(got, "Bash('/my tools/jira-mcp' auth *)") {
		t.Errorf("path with a space not quoted: %v", got)
	}
}

func TestSetupErrors(t *testing.T) {
	tests := []struct {
		name       string
		exe        string
		args       []string
		before     map[string]string
		wantErr    string
		wantCode   int // exitError code, 0 for a plain error
		untouched  string
		fakeClaude bool
	}{
		{name: "no claude on PATH", args: []string{"claude", "--write"}, wantErr: "claude not found on PATH"},
		{name: "bad scope", args: []string{"claude", "--scope", "global"}, wantErr: `--scope "global"`, wantCode: 2},
		{name: "cursor bad scope", args: []string{"cursor", "--scope", "team"}, wantErr: `--scope "team"`, wantCode: 2},
		{name: "go run binary refused", exe: "/tmp/go-build123/b001/exe/jira-mcp", args: []string{"vscode", "--write"}, wantErr: "go run"},
		{
			name: "jsonc not clobbered", args: []string{"vscode", "--write"},
			before:  map[string]string{".vscode/mcp.json": "{\n  // mine\n  \"servers\": {}\n}\n"},
			wantErr: "comments", untouched: ".vscode/mcp.json",
		},
		{
			name: "servers not an object", args: []string{"cursor", "--write"},
			before:  map[string]string{".cursor/mcp.json": `{"mcpServers": []}`},
			wantErr: "not a JSON object", untouched: ".cursor/mcp.json",
		},
		{
			name: "deny not a list", args: []string{"claude", "--scope", "project", "--write", "--skills=false"},
			before:  map[string]string{".claude/settings.json": `{"permissions": {"deny": "Bash"}}`},
			wantErr: "not a list", untouched: ".claude/settings.json",
		},
		{
			name: "claude fails", args: []string{"claude", "--write"}, fakeClaude: true,
			wantErr: "claude mcp remove --scope user jira",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sb := newSetupSandbox(t, false)
			if tt.fakeClaude {
				script := "#!/bin/sh\necho 'MCP server jira already exists in user config' >&2\nexit 1\n"
				if err := os.WriteFile(filepath.Join(filepath.Dir(sb.claudeArgs), "bin", "claude"), []byte(script), 0o755); err != nil {
					t.Fatal(err)
				}
			}
			for p, content := range tt.before {
				if err := os.MkdirAll(filepath.Dir(sb.path(p)), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(sb.path(p), []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
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
			if tt.untouched != "" {
				if got, _ := os.ReadFile(sb.path(tt.untouched)); string(got) != tt.before[tt.untouched] {
					t.Errorf("%s was changed to %q", tt.untouched, got)
				}
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
	old := `{"mcpServers": {"jira": {"command": "/old/jira-mcp", "args": ["serve"]}, "z": {"command": "z"}}}`
	if err := os.MkdirAll(filepath.Join(sb.work, ".cursor"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(sb.work, ".cursor", "mcp.json"), []byte(old), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _, err := runCobra(t, newSetupCmdWith(testSetupEnv(testExe)), "cursor", "--write")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "updated server jira") {
		t.Errorf("output does not report the update:\n%s", out)
	}
	got, _ := os.ReadFile(filepath.Join(sb.work, ".cursor", "mcp.json"))
	if !strings.Contains(string(got), testExe) || strings.Contains(string(got), "/old/") {
		t.Errorf("entry not replaced:\n%s", got)
	}
	if strings.Index(string(got), `"jira"`) > strings.Index(string(got), `"z"`) {
		t.Errorf("key order not kept:\n%s", got)
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
