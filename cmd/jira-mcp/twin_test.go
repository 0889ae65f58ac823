package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/jira-mcp/jira-mcp/tools"
	"github.com/jira-mcp/jira-mcp/tools/jira/emulator"
)

// twinEnv points --demo at one emulator (fixed clock) and returns a
// toolset on the same emulator, to compare the CLI with the MCP tools.
func twinEnv(t *testing.T) (*emulator.Emulator, *tools.Toolset) {
	t.Helper()
	now := time.Date(2026, 11, 27, 9, 30, 0, 0, time.UTC)
	emu := emulator.New(emulator.WithBaseURL(demoBaseURL), emulator.WithClock(func() time.Time { return now }))
	old := newDemoEmulator
	newDemoEmulator = func() *emulator.Emulator { return emu }
	t.Cleanup(func() { newDemoEmulator = old })
	c, err := demoClient(emu)
	if err != nil {
		t.Fatal(err)
	}
	return emu, tools.New(c)
}

func runCLI(stdin string, args ...string) (string, string, int) {
	var out, errb bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return out.String(), errb.String(), code
}

// The CLI twin prints what the tool returns, text or structured content.
func TestTwinMatchesTools(t *testing.T) {
	_, ts := twinEnv(t)
	cases := []struct {
		cli  []string
		tool string
		args map[string]any
	}{
		{[]string{"search", "project = WEB ORDER BY key ASC", "--limit", "5", "--fields", "Story Points"}, tools.Search,
			map[string]any{"jql": "project = WEB ORDER BY key ASC", "limit": 5, "start_at": 0, "fields": []string{"Story Points"}}},
		{[]string{"issue", "WEB-2", "--comment-limit", "2"}, tools.GetIssue, map[string]any{"issue_key": "WEB-2", "comment_limit": 2}},
		{[]string{"transitions", "WEB-3"}, tools.GetTransitions, map[string]any{"issue_key": "WEB-3"}},
		{[]string{"comments", "WEB-2", "--limit", "2"}, tools.GetComments, map[string]any{"issue_key": "WEB-2", "limit": 2, "start_at": 0}},
	}
	for _, c := range cases {
		t.Run(c.cli[0], func(t *testing.T) {
			res, err := ts.Call(context.Background(), c.tool, c.args)
			if err != nil || res.IsError {
				t.Fatalf("tool: %v %v", err, res)
			}
			out, errOut, code := runCLI("", append(c.cli, "--demo")...)
			if code != 0 || out != forPerson(tools.Text(res))+"\n" {
				t.Errorf("exit %d, stderr %q\nCLI:\n%s\ntool:\n%s", code, errOut, out, tools.Text(res))
			}
			out, _, code = runCLI("", append(c.cli, "--demo", "--json")...)
			want, _ := json.Marshal(res.StructuredContent)
			var got, wantV any
			json.Unmarshal([]byte(out), &got)
			json.Unmarshal(want, &wantV)
			gb, _ := json.Marshal(got)
			wb, _ := json.Marshal(wantV)
			if code != 0 || string(gb) != string(wb) {
				t.Errorf("--json exit %d:\n%s\nwant\n%s", code, gb, wb)
			}
		})
	}
}

func TestTwinWrites(t *testing.T) {
	emu, _ := twinEnv(t)
	out, errOut, code := runCLI("Shipped in 2.4.\n", "transition", "WEB-2", "done", "--resolution", "fixed", "--comment", "-", "--demo")
	if code != 0 || out != "WEB-2 is now Done (transition \"Done\"). Comment added.\n" {
		t.Fatalf("transition: %d %q %q", code, out, errOut)
	}
	if is, _ := emu.Issue("WEB-2"); is.Status != "Done" || is.Resolution != "Fixed" {
		t.Errorf("WEB-2 after transition: %+v", is)
	}
	out, errOut, code = runCLI("Fixed in {{abc123}}.\n", "comment", "WEB-3", "-", "--visibility", "role:Developers", "--format", "wiki", "--demo")
	if code != 0 || !strings.HasPrefix(out, "Added comment ") {
		t.Fatalf("comment: %d %q %q", code, out, errOut)
	}
	reqs := emu.Requests()
	last := reqs[len(reqs)-1]
	if last.Method != "POST" || string(last.Body) != `{"body":"Fixed in {{abc123}}.","visibility":{"type":"role","value":"Developers"}}`+"\n" {
		t.Errorf("Jira got %s %s %s", last.Method, last.Path, last.Body)
	}
	// Screen fields: a version-like value stays a string; arrays are JSON.
	_, errOut, code = runCLI("", "transition", "WEB-3", "In Review", "--field", "Review Team=backend", "--demo")
	if code != 0 {
		t.Fatalf("transition with --field: %d %q", code, errOut)
	}
	reqs = emu.Requests()
	for _, r := range reqs {
		if r.Method == "POST" && strings.HasSuffix(r.Path, "WEB-3/transitions") && !strings.Contains(string(r.Body), `"customfield_10005":{"value":"Backend"}`) {
			t.Errorf("Jira got %s", r.Body)
		}
	}
}

func TestTwinExitCodes(t *testing.T) {
	emu, _ := twinEnv(t)
	cases := []struct {
		name  string
		fault func()
		args  []string
		code  int
		want  string
	}{
		{"bad argument", nil, []string{"search", "project = WEB", "--limit", "500", "--demo"}, 2, "limit must be a whole number between 1 and 100, got 500"},
		{"bad key", nil, []string{"issue", "not a key", "--demo"}, 2, "is not an issue key"},
		{"missing argument", nil, []string{"comment", "WEB-1", "--demo"}, 2, "accepts 2 arg"},
		{"bad --field", nil, []string{"transition", "WEB-1", "Done", "--field", "novalue", "--demo"}, 2, "NAME=VALUE"},
		{"bad JQL", nil, []string{"search", "project = WEB AND", "--demo"}, 1, "Jira rejected the JQL"},
		{"not found", nil, []string{"issue", "SEC-1", "--demo"}, 1, "does not exist"},
		{"forbidden", func() { emu.Fail("GET", "/rest/api/2/issue/WEB-1", http.StatusForbidden, nil, "", 1) }, []string{"issue", "WEB-1", "--comment-limit", "0", "--demo"}, 3, "Permission denied"},
		{"rate limited", func() {
			emu.Fail("POST", "/rest/api/2/search", http.StatusTooManyRequests, http.Header{"Retry-After": {"30"}}, "", 1)
		}, []string{"search", "project = WEB", "--demo"}, 4, "wait 30 seconds"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.fault != nil {
				c.fault()
			}
			out, errOut, code := runCLI("", c.args...)
			if code != c.code || !strings.Contains(errOut, c.want) || out != "" {
				t.Errorf("exit %d (want %d), stdout %q, stderr %q (want %q)", code, c.code, out, errOut, c.want)
			}
		})
	}
}

func TestTwinNotLoggedIn(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("JIRA_URL", "")
	t.Setenv("JIRA_OAUTH_CLIENT_ID", "")
	t.Setenv("JIRA_MCP_CONFIG", dir+"/none.json")
	_, errOut, code := runCLI("", "search", "project = WEB")
	if code != 3 || !strings.Contains(errOut, "jira-mcp auth login") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}

// Text from Jira reaches a terminal. The tools already drop invisible and
// bidi characters and C0/C1 controls from it; the twin escapes what a
// terminal would act on as a second layer.
func TestTwinEscapesTerminalControls(t *testing.T) {
	evil := "title\x1b]0;pwned\x07 clear\x1b[2J c1\u009b31m rlo\u202etxt.exe\nline two\ttab"
	twinEnv(t)
	if _, _, code := runCLI(evil, "comment", "WEB-3", "-", "--format", "wiki", "--demo"); code != 0 {
		t.Fatalf("comment: exit %d", code)
	}
	out, _, _ := runCLI("", "comments", "WEB-3", "--limit", "1", "--format", "wiki", "--demo")
	for _, bad := range []string{"\x1b", "\x07", "\u009b", "\u202e"} {
		if strings.Contains(out, bad) {
			t.Errorf("the tool's output holds %q raw:\n%q", bad, out)
		}
	}
	for _, asJSON := range []bool{false, true} {
		var b bytes.Buffer
		res := mcp.NewToolResultStructured(map[string]any{"body": evil}, evil)
		if err := printResult(&b, res, asJSON); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		for _, bad := range []string{"\x1b", "\x07", "\u009b", "\u202e"} {
			if strings.Contains(out, bad) {
				t.Errorf("json=%v: output holds %q raw:\n%q", asJSON, bad, out)
			}
		}
		if asJSON {
			var v struct{ Body string }
			if err := json.Unmarshal([]byte(out), &v); err != nil || v.Body != evil {
				t.Errorf("--json output does not decode to the body: %v %q", err, v.Body)
			}
			continue
		}
		want := `title\x1b]0;pwned\x07 clear\x1b[2J c1\u009b31m rlo\u202etxt.exe`
		if !strings.Contains(out, want) || !strings.Contains(out, "line two\ttab") {
			t.Errorf("output lacks %q or its newline and tab:\n%s", want, out)
		}
	}
}

// The CLI is for people: a usage error shows the usage line, help has
// examples and exit codes, and there is a version command.
func TestCLIForPeople(t *testing.T) {
	_, errOut, code := runCLI("", "search")
	if code != 2 || !strings.Contains(errOut, "Usage: jira-mcp search JQL [flags]") || !strings.Contains(errOut, "jira-mcp search --help") {
		t.Errorf("usage error: %d %q", code, errOut)
	}
	out, _, code := runCLI("", "transition", "--help")
	if code != 0 || !strings.Contains(out, "Examples:\n  jira-mcp transition WEB-12 Done") || !strings.Contains(out, "Exit codes: 0 ok") {
		t.Errorf("help: %d\n%s", code, out)
	}
	out, _, code = runCLI("", "version")
	if code != 0 || !strings.HasPrefix(out, "jira-mcp ") {
		t.Errorf("version: %d %q", code, out)
	}
}

// At a terminal the tools' advice is said to the person, with the twin's
// commands and flags.
func TestForPerson(t *testing.T) {
	cases := []struct{ agent, person string }{
		{"Not logged in to Jira: ask the user to run `jira-mcp auth login` in a terminal. Do not try to obtain or handle tokens yourself.",
			"Not logged in to Jira: run `jira-mcp auth login`."},
		{"Permission denied: Jira refused to comment on OPS-1 (400). The user lacks the Jira permission; do not retry, tell the user.",
			"Permission denied: Jira refused to comment on OPS-1 (400). You lack the Jira permission."},
		{"Issue SEC-9 does not exist or you do not have permission to see it. Check the key, or find it with jira_search.",
			"Issue SEC-9 does not exist or you do not have permission to see it. Check the key, or find it with `jira-mcp search`."},
		{"Transition \"Done\" requires Resolution; pass resolution.", "Transition \"Done\" requires Resolution; pass --resolution."},
		{"Transition \"Review\" requires Review Team (customfield_10005); pass them in fields.", "Transition \"Review\" requires Review Team (customfield_10005); pass them with --field NAME=VALUE."},
		{"if a second copy is really wanted, pass allow_duplicate: true.", "if a second copy is really wanted, pass --allow-duplicate."},
		{"More with jira_get_comments start_at=5.", "More with `jira-mcp comments` --start-at 5."},
		{"Jira said: fields=bad, not_an_arg=1", "Jira said: fields=bad, not_an_arg=1"},
	}
	for _, c := range cases {
		if got := forPerson(c.agent); got != c.person {
			t.Errorf("forPerson(%q)\n = %q\nwant %q", c.agent, got, c.person)
		}
	}
}
