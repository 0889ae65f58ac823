package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jira-mcp/jira-mcp/tools/jira/emulator"
)

// login logs in against the emulator's OAuth provider (canary tokens and
// client secret) with a file keyring, and leaves the URL to the config
// file, as a user's later runs would find it.
func login(t testing.TB) (*emulatorServer, string) {
	t.Helper()
	srv, p, config := authEnv(t)
	if _, errOut, code := runAuth(t, authCanarySecret+"\n", "login", "--url", srv.URL, "--client-secret-stdin"); code != 0 {
		t.Fatalf("login: %s", errOut)
	}
	t.Setenv("JIRA_URL", "")
	return &emulatorServer{srv, p}, config
}

// TestServeNeverLeaksSecrets runs `jira-mcp serve` after a login whose
// tokens and client secret are canaries, and works through a token expiry.
// Every tool answers, exactly one refresh happens, and no canary reaches
// stdout (the MCP messages), stderr, the log file, the config file or the
// process's arguments and environment.
func TestServeNeverLeaksSecrets(t *testing.T) {
	j, config := login(t)
	logFile := filepath.Join(t.TempDir(), "serve.log")
	p := startMCP(t, nil, "serve", "--log-level", "debug", "--log-file", logFile)
	p.request("tools/list", nil)
	calls := []struct {
		tool string
		args map[string]any
	}{
		{"jira_search", map[string]any{"jql": "assignee = currentUser() ORDER BY key ASC", "limit": 3}},
		{"jira_add_comment", map[string]any{"issue_key": "WEB-3", "body": "Reproduced on staging."}},
		{"", nil}, // access tokens expire here: the next call meets a 401, refreshes once, retries
		{"jira_get_issue", map[string]any{"issue_key": "WEB-3"}},
		{"jira_transition_issue", map[string]any{"issue_key": "WEB-2", "transition": "Start Progress", "comment": "Picking this up."}},
		{"jira_get_comments", map[string]any{"issue_key": "WEB-2"}},
	}
	for _, c := range calls {
		if c.tool == "" {
			j.provider.ExpireAccessTokens()
			continue
		}
		if r, isErr := p.call(c.tool, c.args); isErr || !strings.Contains(r, `"text"`) {
			t.Errorf("%s: %s", c.tool, r)
		}
	}
	if n := j.provider.Refreshes(); n != 1 {
		t.Errorf("%d refreshes, want exactly 1", n)
	}
	procArgs, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", p.cmd.Process.Pid))
	procEnv, _ := os.ReadFile(fmt.Sprintf("/proc/%d/environ", p.cmd.Process.Pid))
	p.close()

	logs, _ := os.ReadFile(logFile)
	cfg, _ := os.ReadFile(config)
	if !strings.Contains(string(logs), "tool=jira_transition_issue") {
		t.Errorf("log file lacks the call lines:\n%s", logs)
	}
	for what, s := range map[string]string{
		"MCP messages": p.transcript.String(), "stderr": p.stderr.String(), "log file": string(logs),
		"config file": string(cfg), "process arguments": string(procArgs), "process environment": string(procEnv),
	} {
		for _, c := range []string{authCanaryTokens, authCanarySecret, "Bearer "} {
			if strings.Contains(s, c) {
				t.Errorf("%s contains %q", what, c)
			}
		}
	}
}

// TestServeWithoutLogin starts with nothing configured: the server runs,
// and every tool tells the agent to ask the user to log in.
func TestServeWithoutLogin(t *testing.T) {
	dir := t.TempDir()
	p := startMCP(t, []string{"JIRA_URL=", "JIRA_OAUTH_CLIENT_ID=", "JIRA_MCP_CONFIG=" + filepath.Join(dir, "none.json"), "XDG_CONFIG_HOME=" + dir}, "serve")
	r, isErr := p.call("jira_search", map[string]any{"jql": "project = WEB"})
	if !isErr || !strings.Contains(r, "jira-mcp auth login") || !strings.Contains(r, `"login_required"`) {
		t.Errorf("result %s", r)
	}
	p.close()
}

// TestServeKeyringUnreadable: the keyring cannot be opened (here the file
// keyring's password is wrong). The agent is told that nothing was sent,
// that retrying will not help, and what to ask the user; no request
// reaches Jira.
func TestServeKeyringUnreadable(t *testing.T) {
	j, _ := login(t)
	j.srv.ResetRequests()
	p := startMCP(t, []string{"JIRA_MCP_KEYRING_PASSWORD=wrong"}, "serve")
	r, isErr := p.call("jira_add_comment", map[string]any{"issue_key": "WEB-3", "body": "Deployed."})
	if !isErr || !strings.Contains(r, "Nothing was sent to Jira") || !strings.Contains(r, "keyring") || !strings.Contains(r, `"credentials_unavailable"`) {
		t.Errorf("result %s", r)
	}
	if strings.Contains(r, "may or may not") {
		t.Errorf("a write that was never sent is reported as uncertain: %s", r)
	}
	p.close()
	if n := len(j.srv.Requests()); n != 0 {
		t.Errorf("Jira got %d requests", n)
	}
}

type emulatorServer struct {
	srv      *emulator.Server
	provider *emulator.OAuthProvider
}

// Jira's token endpoint failing for a moment is neither a login problem
// nor a keyring one: the agent is told Jira refused the token (it had
// expired), so nothing was changed, and to try again; the next call works.
// (It was told nothing was sent, although the request had been: Jira
// answered it 401.)
func TestServeTokenEndpointOutage(t *testing.T) {
	j, _ := login(t)
	p := startMCP(t, nil, "serve")
	j.provider.ExpireAccessTokens()
	j.srv.Fail("POST", "/rest/oauth2/latest/token", 503, nil, "", 1)
	r, isErr := p.call("jira_add_comment", map[string]any{"issue_key": "WEB-3", "body": "Deployed."})
	if !isErr || !strings.Contains(r, "try again shortly. Nothing was changed.") || strings.Contains(r, "Nothing was sent") || !strings.Contains(r, `"unreachable"`) {
		t.Errorf("during the outage: %s", r)
	}
	if r, isErr := p.call("jira_add_comment", map[string]any{"issue_key": "WEB-3", "body": "Deployed."}); isErr {
		t.Errorf("after the outage: %s", r)
	}
	p.close()
	var comments int
	for _, req := range j.srv.Requests() {
		if req.Method == "POST" && strings.HasSuffix(req.Path, "/WEB-3/comment") && req.Status == 201 {
			comments++ // 401s, refused before the refresh, did nothing
		}
	}
	if comments != 1 {
		t.Errorf("Jira stored %d comments, want exactly 1", comments)
	}
}

// A login Jira no longer honours (refresh token revoked) tells the agent
// why and what the user must do.
func TestServeRevokedLogin(t *testing.T) {
	j, _ := login(t)
	p := startMCP(t, nil, "serve")
	j.provider.RevokeAll()
	r, isErr := p.call("jira_search", map[string]any{"jql": "project = WEB"})
	if !isErr || !strings.Contains(r, "Login no longer valid") || !strings.Contains(r, "jira-mcp auth login") || !strings.Contains(r, `"login_required"`) {
		t.Errorf("result %s", r)
	}
	p.close()
	for _, s := range []string{p.transcript.String(), p.stderr.String()} {
		if strings.Contains(s, authCanaryTokens) || strings.Contains(s, authCanarySecret) {
			t.Errorf("a secret leaked: %s", s)
		}
	}
}
