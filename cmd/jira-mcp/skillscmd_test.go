package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/jira-mcp/jira-mcp/skills"
)

// runCobra runs cmd with args and returns what it printed.
func runCobra(t *testing.T, cmd *cobra.Command, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	cmd.SetArgs(args)
	cmd.SetIn(strings.NewReader(""))
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	err = cmd.ExecuteContext(t.Context())
	return out.String(), errOut.String(), err
}

func TestSkillsList(t *testing.T) {
	out, _, err := runCobra(t, newSkillsCmd(), "list")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	list := skills.List()
	if len(lines) != len(list) {
		t.Fatalf("%d lines, %d skills:\n%s", len(lines), len(list), out)
	}
	for i, s := range list {
		if !strings.HasPrefix(lines[i], s.Name+" ") || !strings.HasSuffix(lines[i], firstSentence(s.Description)) {
			t.Errorf("line %d = %q, want %s and its first sentence", i, lines[i], s.Name)
		}
	}
}

func TestSkillsShow(t *testing.T) {
	for _, s := range skills.List() {
		out, _, err := runCobra(t, newSkillsCmd(), "show", s.Name)
		if err != nil {
			t.Fatalf("show %s: %v", s.Name, err)
		}
		if out != string(s.Content) {
			t.Errorf("show %s printed something other than its SKILL.md", s.Name)
		}
	}
	_, _, err := runCobra(t, newSkillsCmd(), "show", "nope")
	var ee *exitError
	if !errors.As(err, &ee) || ee.code != 2 || !strings.Contains(err.Error(), "jira-jql-search") {
		t.Errorf("show nope: err = %v, want usage error listing the skills", err)
	}
	if _, _, err := runCobra(t, newSkillsCmd(), "show"); err == nil {
		t.Error("show without a name succeeded")
	}
}

func TestSkillsInstall(t *testing.T) {
	n := len(skills.List())
	victim := skills.List()[0]
	tests := []struct {
		name  string
		args  []string
		edit  bool // change victim's installed file before running
		want  []string
		state string // victim's expected content: "bundled" or "edited"
	}{
		{name: "first", args: nil, want: []string{"written  ", "(new)", summaryLine(n, 0, 0)}, state: "bundled"},
		{name: "again", args: nil, want: []string{"unchanged", summaryLine(0, n, 0)}, state: "bundled"},
		{name: "edited kept", args: nil, edit: true, want: []string{"skipped", "changed locally", summaryLine(0, n-1, 1), "add --force"}, state: "edited"},
		{name: "force", args: []string{"--force"}, want: []string{"replaced local changes", summaryLine(1, n-1, 0)}, state: "bundled"},
	}
	dir := t.TempDir()
	victimPath := filepath.Join(dir, victim.Name, skills.FileName)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.edit {
				if err := os.WriteFile(victimPath, []byte("mine\n"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			out, _, err := runCobra(t, newSkillsCmd(), append([]string{"install", "--dir", dir}, tt.args...)...)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			if !strings.Contains(out, victimPath) {
				t.Errorf("output does not name %s:\n%s", victimPath, out)
			}
			got, _ := os.ReadFile(victimPath)
			if (tt.state == "bundled") != bytes.Equal(got, victim.Content) {
				t.Errorf("installed file is not %s", tt.state)
			}
		})
	}
}

func summaryLine(written, unchanged, skipped int) string {
	return fmt.Sprintf("%d written, %d unchanged, %d skipped", written, unchanged, skipped)
}

func TestSkillsInstallTargets(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	work := t.TempDir()
	t.Chdir(work)

	out, _, err := runCobra(t, newSkillsCmd(), "install")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "in ~/.claude/skills\n") {
		t.Errorf("default install does not report ~/.claude/skills:\n%s", out)
	}
	out, _, err = runCobra(t, newSkillsCmd(), "install", "--project")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "in .claude/skills\n") {
		t.Errorf("--project install does not report .claude/skills:\n%s", out)
	}
	for _, root := range []string{filepath.Join(home, ".claude", "skills"), filepath.Join(work, ".claude", "skills")} {
		for _, s := range skills.List() {
			if _, err := os.Stat(filepath.Join(root, s.Name, skills.FileName)); err != nil {
				t.Errorf("not installed: %v", err)
			}
		}
	}
	_, _, err = runCobra(t, newSkillsCmd(), "install", "--project", "--dir", work)
	var ee *exitError
	if !errors.As(err, &ee) || ee.code != 2 {
		t.Errorf("--project with --dir: err = %v, want a usage error", err)
	}
}
