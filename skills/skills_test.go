package skills

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
)

// The workflows issue 4 asks for; more may be added, none removed silently.
var required = []string{
	"jira-commenting",
	"jira-daily-triage",
	"jira-jql-search",
	"jira-link-commits",
	"jira-workflow-transition",
}

// maxSkillBytes keeps each skill cheap to load into an agent's context.
const maxSkillBytes = 4096

func TestBundledSkills(t *testing.T) {
	list := List()
	if len(list) < len(required) {
		t.Fatalf("List() has %d skills, want at least %d", len(list), len(required))
	}
	for _, name := range required {
		if _, ok := Get(name); !ok {
			t.Errorf("skill %q is missing", name)
		}
	}
	quoted := regexp.MustCompile(`"[^"]+"`)
	for _, s := range list {
		t.Run(s.Name, func(t *testing.T) {
			// Parse again from the embedded bytes: what gets installed is what is checked.
			data, err := bundled.ReadFile(s.Name + "/" + FileName)
			if err != nil {
				t.Fatal(err)
			}
			parsed, err := Parse(data)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if parsed.Name != s.Name {
				t.Errorf("name %q, folder %q", parsed.Name, s.Name)
			}
			if !strings.Contains(s.Description, "Use when") {
				t.Errorf("description does not say when to use it: %q", s.Description)
			}
			if n := len(quoted.FindAllString(s.Description, -1)); n < 3 {
				t.Errorf("description has %d quoted trigger phrases, want at least 3", n)
			}
			if s.Title == "" {
				t.Error("body has no # title")
			}
			if len(s.Content) > maxSkillBytes {
				t.Errorf("SKILL.md is %d bytes, budget %d", len(s.Content), maxSkillBytes)
			}
			if !strings.Contains(s.Body, "## When a tool returns an error") {
				t.Error("no section on tool errors")
			}
			if !strings.Contains(s.Body, "`jira-mcp auth login`") {
				t.Error("does not tell the user to run `jira-mcp auth login` when not logged in")
			}
			if !strings.Contains(s.Body, "Never run auth commands") {
				t.Error("does not forbid the agent from obtaining tokens itself")
			}
			if !strings.Contains(s.Body, "jira_") {
				t.Error("names no tool")
			}
		})
	}
}

func TestListIsACopy(t *testing.T) {
	a := List()
	a[0].Name = "changed"
	if List()[0].Name == "changed" {
		t.Fatal("List returned the package's own slice")
	}
}

func TestGetUnknown(t *testing.T) {
	for _, name := range []string{"", "nope", "JIRA-JQL-SEARCH", "jira-jql-search/"} {
		if _, ok := Get(name); ok {
			t.Errorf("Get(%q) found a skill", name)
		}
	}
}

func TestNamesSorted(t *testing.T) {
	names := Names()
	for i := 1; i < len(names); i++ {
		if names[i-1] >= names[i] {
			t.Fatalf("names not sorted: %v", names)
		}
	}
}

func TestParse(t *testing.T) {
	long := strings.Repeat("a", 65)
	tests := []struct {
		name    string
		in      string
		wantErr string // "" means valid
		want    Skill
	}{
		{name: "minimal", in: "---\nname: a-b\ndescription: Does x. Use when y.\n---\n# T\nbody\n",
			want: Skill{Name: "a-b", Description: "Does x. Use when y.", Title: "T", Body: "# T\nbody\n"}},
		{name: "crlf", in: "---\r\nname: a\r\ndescription: d\r\n---\r\n# T\r\n",
			want: Skill{Name: "a", Description: "d", Title: "T", Body: "# T\n"}},
		{name: "double quoted", in: "---\nname: a\ndescription: \"When: \\\"x\\\" # y\"\n---\n",
			want: Skill{Name: "a", Description: `When: "x" # y`}},
		{name: "single quoted", in: "---\nname: a\ndescription: 'it''s: fine'\n---\n",
			want: Skill{Name: "a", Description: "it's: fine"}},
		{name: "optional keys", in: "---\nname: a\ndescription: d\nlicense: MIT\ncompatibility: Needs jira-mcp\nallowed-tools: Read\nmetadata:\n  author: x\n  version: \"1.0\"\n---\n",
			want: Skill{Name: "a", Description: "d"}},
		{name: "comments and blank lines", in: "---\n# c\nname: a\n\ndescription: d\n---\n",
			want: Skill{Name: "a", Description: "d"}},
		{name: "64 characters", in: "---\nname: " + long[:64] + "\ndescription: d\n---\n",
			want: Skill{Name: long[:64], Description: "d"}},

		{name: "no opening", in: "name: a\ndescription: d\n", wantErr: "must start"},
		{name: "no closing", in: "---\nname: a\ndescription: d\n", wantErr: "no closing"},
		{name: "unknown key", in: "---\nname: a\ndescription: d\nversion: 1\n---\n", wantErr: "unknown key"},
		{name: "duplicate", in: "---\nname: a\nname: b\ndescription: d\n---\n", wantErr: "duplicate"},
		{name: "missing name", in: "---\ndescription: d\n---\n", wantErr: "name is required"},
		{name: "uppercase", in: "---\nname: Jira\ndescription: d\n---\n", wantErr: "lowercase"},
		{name: "underscore", in: "---\nname: jira_x\ndescription: d\n---\n", wantErr: "lowercase"},
		{name: "leading hyphen", in: "---\nname: ab-\ndescription: d\n---\n", wantErr: "hyphen"},
		{name: "double hyphen", in: "---\nname: a--b\ndescription: d\n---\n", wantErr: "hyphen"},
		{name: "65 characters", in: "---\nname: " + long + "\ndescription: d\n---\n", wantErr: "longer than 64"},
		{name: "missing description", in: "---\nname: a\n---\n", wantErr: "description is required"},
		{name: "1025 characters", in: "---\nname: a\ndescription: " + strings.Repeat("d", 1025) + "\n---\n", wantErr: "at most 1024"},
		{name: "angle brackets", in: "---\nname: a\ndescription: use <b>\n---\n", wantErr: "< or >"},
		{name: "colon in plain", in: "---\nname: a\ndescription: Use when: x\n---\n", wantErr: "quote it"},
		{name: "comment in plain", in: "---\nname: a\ndescription: x #y\n---\n", wantErr: "comment"},
		{name: "indicator first", in: "---\nname: a\ndescription: *x\n---\n", wantErr: "cannot start"},
		{name: "block scalar", in: "---\nname: a\ndescription: >\n  x\n---\n", wantErr: "block scalars"},
		{name: "unterminated quote", in: "---\nname: a\ndescription: \"x\n---\n", wantErr: "unterminated"},
		{name: "stray indentation", in: "---\nname: a\n  description: d\n---\n", wantErr: "indentation"},
		{name: "tab", in: "---\nname: a\ndescription:\td\n---\n", wantErr: "tabs"},
		{name: "no space after colon", in: "---\nname:a\ndescription: d\n---\n", wantErr: "space after"},
		{name: "metadata inline", in: "---\nname: a\ndescription: d\nmetadata: x\n---\n", wantErr: "metadata must be a map"},
		{name: "compatibility too long", in: "---\nname: a\ndescription: d\ncompatibility: " + strings.Repeat("c", 501) + "\n---\n", wantErr: "compatibility"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse([]byte(tt.in))
			if tt.wantErr != "" {
				if err == nil {
					t.Fatalf("Parse succeeded, want error containing %q", tt.wantErr)
				}
				if !errors.Is(err, ErrFrontMatter) || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want ErrFrontMatter containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if got.Name != tt.want.Name || got.Description != tt.want.Description || got.Title != tt.want.Title {
				t.Errorf("got name %q description %q title %q, want %q %q %q",
					got.Name, got.Description, got.Title, tt.want.Name, tt.want.Description, tt.want.Title)
			}
			if tt.want.Body != "" && got.Body != tt.want.Body {
				t.Errorf("body %q, want %q", got.Body, tt.want.Body)
			}
			if string(got.Content) != tt.in {
				t.Error("Content is not the file as given")
			}
		})
	}
}

func TestLoadRejectsFolderMismatch(t *testing.T) {
	fsys := fstest.MapFS{"other/SKILL.md": {Data: []byte("---\nname: a\ndescription: d\n---\n")}}
	if _, err := load(fsys); err == nil || !strings.Contains(err.Error(), "does not match its folder") {
		t.Fatalf("load = %v, want folder mismatch", err)
	}
}

func TestInstall(t *testing.T) {
	dir := t.TempDir()
	list := List()
	victim := list[0]
	victimPath := filepath.Join(dir, victim.Name, FileName)

	check := func(t *testing.T, results []Result, want map[string]Status) {
		t.Helper()
		if len(results) != len(list) {
			t.Fatalf("%d results, want %d", len(results), len(list))
		}
		for i, r := range results {
			if r.Name != list[i].Name || r.Path != filepath.Join(dir, list[i].Name, FileName) {
				t.Errorf("result %d = %+v, want skill %s at its path", i, r, list[i].Name)
			}
			w, ok := want[r.Name]
			if !ok {
				w = want["*"]
			}
			if r.Status != w {
				t.Errorf("%s: status %s (%s), want %s", r.Name, r.Status, r.Reason, w)
			}
			if r.Reason == "" {
				t.Errorf("%s: no reason", r.Name)
			}
		}
	}
	install := func(t *testing.T, force bool) []Result {
		t.Helper()
		results, err := Install(dir, force)
		if err != nil {
			t.Fatalf("Install: %v", err)
		}
		return results
	}

	t.Run("first install writes all", func(t *testing.T) {
		check(t, install(t, false), map[string]Status{"*": Written})
		for _, s := range list {
			path := filepath.Join(dir, s.Name, FileName)
			got, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != string(s.Content) {
				t.Errorf("%s: installed content differs from the bundled skill", s.Name)
			}
			if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o644 {
				t.Errorf("%s: mode %v, want 0644", s.Name, fi.Mode().Perm())
			}
		}
	})
	t.Run("second install changes nothing", func(t *testing.T) {
		before, _ := os.Stat(victimPath)
		check(t, install(t, false), map[string]Status{"*": Unchanged})
		after, _ := os.Stat(victimPath)
		if !before.ModTime().Equal(after.ModTime()) {
			t.Error("unchanged file was rewritten")
		}
	})
	t.Run("user edit is kept without force", func(t *testing.T) {
		edited := append([]byte("my notes\n"), victim.Content...)
		if err := os.WriteFile(victimPath, edited, 0o644); err != nil {
			t.Fatal(err)
		}
		check(t, install(t, false), map[string]Status{victim.Name: Skipped, "*": Unchanged})
		if got, _ := os.ReadFile(victimPath); string(got) != string(edited) {
			t.Error("user-modified file was overwritten without --force")
		}
	})
	t.Run("force replaces the user edit", func(t *testing.T) {
		check(t, install(t, true), map[string]Status{victim.Name: Written, "*": Unchanged})
		if got, _ := os.ReadFile(victimPath); string(got) != string(victim.Content) {
			t.Error("--force did not restore the bundled skill")
		}
	})
	t.Run("digests are recorded outside the skill folders", func(t *testing.T) {
		data, err := os.ReadFile(filepath.Join(dir, recordName))
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range list {
			if line := digest(s.Content) + "  " + s.Name + "/" + FileName + "\n"; !strings.Contains(string(data), line) {
				t.Errorf("record lacks %q:\n%s", line, data)
			}
		}
	})
	t.Run("earlier bundled version is updated", func(t *testing.T) {
		// What an older jira-mcp would have left: its own content, and its
		// stamp inside the skill's folder rather than a line in the record.
		if err := os.Remove(filepath.Join(dir, recordName)); err != nil {
			t.Fatal(err)
		}
		old := []byte("---\nname: " + victim.Name + "\ndescription: old\n---\n")
		if err := os.WriteFile(victimPath, old, 0o644); err != nil {
			t.Fatal(err)
		}
		stamp := filepath.Join(dir, victim.Name, stampName)
		if err := os.WriteFile(stamp, []byte(digest(old)+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		results := install(t, false)
		check(t, results, map[string]Status{victim.Name: Written, "*": Unchanged})
		if results[0].Reason != "updated" {
			t.Errorf("reason %q, want updated", results[0].Reason)
		}
		if got, _ := os.ReadFile(victimPath); string(got) != string(victim.Content) {
			t.Error("earlier version was not updated")
		}
		if _, err := os.Stat(stamp); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("the old stamp is still in the skill's folder: %v", err)
		}
	})
	t.Run("unknown file without a record is kept", func(t *testing.T) {
		if err := os.Remove(filepath.Join(dir, recordName)); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(victimPath, []byte("hand written\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		check(t, install(t, false), map[string]Status{victim.Name: Skipped, "*": Unchanged})
	})
	t.Run("no temporary files left", func(t *testing.T) {
		entries, err := os.ReadDir(filepath.Join(dir, victim.Name))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if e.Name() != FileName {
				t.Errorf("stray file %s in a skill's folder", e.Name())
			}
		}
		entries, err = os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if !e.IsDir() && e.Name() != recordName {
				t.Errorf("stray file %s in the skills folder", e.Name())
			}
		}
	})
}

func TestInstallErrors(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Install(file, false); err == nil {
		t.Error("Install into a regular file succeeded")
	}
	if _, err := Install("", false); err == nil {
		t.Error("Install with no folder succeeded")
	}
}
