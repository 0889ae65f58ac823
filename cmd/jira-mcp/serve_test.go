package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/jira-mcp/jira-mcp/server"
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

// serve chooses tools and projects from its flags, refuses names it does
// not know, and audits writes in the user's state folder.
func TestServeSelectionProjectsAudit(t *testing.T) {
	j, _ := login(t)
	for _, bad := range [][]string{{"--toolsets", "bogus"}, {"--tools", "jira_nope"}, {"--projects", "not a key"}} {
		_, errOut, code := runCLI("", append([]string{"serve"}, bad...)...)
		if code != 2 || !strings.Contains(errOut, bad[1]) {
			t.Errorf("%v: exit %d, %q", bad, code, errOut)
		}
	}
	state := t.TempDir()
	p := startMCP(t, []string{"XDG_STATE_HOME=" + state}, "serve", "--tools", "jira_add_comment,jira_get_issue", "--projects", "web")
	if r, isErr := p.call("jira_add_comment", map[string]any{"issue_key": "OPS-1", "body": "Deployed."}); !isErr || !strings.Contains(r, "outside the projects") {
		t.Errorf("outside the list: %s", r)
	}
	if res := p.request("tools/call", map[string]any{"name": "jira_search", "arguments": map[string]any{"jql": "project = WEB"}}); res["error"] == nil {
		t.Errorf("a tool not chosen was run: %v", res)
	}
	if r, isErr := p.call("jira_add_comment", map[string]any{"issue_key": "WEB-3", "body": "Deployed."}); isErr {
		t.Errorf("in the list: %s", r)
	}
	p.close()
	recs, err := server.ReadAudit(filepath.Join(state, "jira-mcp", "audit.jsonl"))
	if err != nil || len(recs) != 2 || recs[0].Kind != "forbidden" || recs[1].Issue != "WEB-3" || recs[1].Outcome != "ok" {
		t.Errorf("audit %+v %v", recs, err)
	}
	if n := len(j.srv.Requests()); n == 0 {
		t.Error("the allowed comment never reached Jira")
	}
}

// echoFront stands in front of Jira as a proxy or plugin that quotes the
// request in its error answers. It passes everything to Jira, noting the
// refresh tokens Jira's token endpoint hands out, except the one request
// armed with arm, which it answers itself with the secrets of the moment
// (the request's bearer token, bare, the refresh token, the client
// secret) put wherever fault says.
type echoFront struct {
	mu      sync.Mutex
	refresh string
	method  string
	path    string
	fault   func(w http.ResponseWriter, secrets *strings.Replacer)
}

func (f *echoFront) arm(method, path string, fault func(http.ResponseWriter, *strings.Replacer)) {
	f.mu.Lock()
	f.method, f.path, f.fault = method, path, fault
	f.mu.Unlock()
}

func (f *echoFront) handler(jira *url.URL) http.Handler {
	proxy := httputil.NewSingleHostReverseProxy(jira)
	proxy.ModifyResponse = func(resp *http.Response) error {
		if resp.Request.URL.Path != emulator.OAuthTokenPath {
			return nil
		}
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			return err
		}
		resp.Body = io.NopCloser(bytes.NewReader(body))
		var tok struct {
			RefreshToken string `json:"refresh_token"`
		}
		if json.Unmarshal(body, &tok) == nil && tok.RefreshToken != "" {
			f.mu.Lock()
			f.refresh = tok.RefreshToken
			f.mu.Unlock()
		}
		return nil
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		fault, rt := f.fault, f.refresh
		if fault == nil || r.Method != f.method || r.URL.Path != f.path {
			fault = nil
		}
		f.mu.Unlock()
		if fault == nil {
			proxy.ServeHTTP(w, r)
			return
		}
		tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !strings.HasPrefix(tok, authCanaryTokens) || !strings.HasPrefix(rt, authCanaryTokens) {
			panic("front: no canary to echo") // the test would prove nothing
		}
		fault(w, strings.NewReplacer("TOK", tok, "RT", rt, "CS", authCanarySecret))
	})
}

// jsonFault answers status with body, its TOK, RT and CS replaced by the
// secrets.
func jsonFault(status int, contentType string, header map[string]string, body string) func(http.ResponseWriter, *strings.Replacer) {
	return func(w http.ResponseWriter, s *strings.Replacer) {
		for k, v := range header {
			w.Header().Set(k, s.Replace(v))
		}
		w.Header().Set("Content-Type", contentType)
		w.WriteHeader(status)
		io.WriteString(w, s.Replace(body))
	}
}

// TestServeCanariesInJiraErrors: Jira, or a proxy in front of it, echoes
// the access token, the refresh token and the client secret in every
// field of its error answers: message, errorMessages, errors (names and
// values), an HTML page, a text page, a WWW-Authenticate header, a
// redirect's Location, and a write answered as an anonymous user. Through
// the real server over stdio, none of them reaches a tool result, a
// JSON-RPC error, stderr or the log file.
func TestServeCanariesInJiraErrors(t *testing.T) {
	srv, _, _ := authEnv(t)
	base, _ := url.Parse(srv.URL)
	front := &echoFront{}
	fs := httptest.NewServer(front.handler(base))
	t.Cleanup(fs.Close)
	if _, errOut, code := runAuth(t, authCanarySecret+"\n", "login", "--url", fs.URL, "--client-secret-stdin"); code != 0 {
		t.Fatalf("login: %s", errOut)
	}
	t.Setenv("JIRA_URL", "")
	logFile := filepath.Join(t.TempDir(), "serve.log")
	p := startMCP(t, nil, "serve", "--log-level", "debug", "--log-file", logFile)

	const (
		issue   = "/rest/api/2/issue/WEB-3"
		search  = "/rest/api/2/search"
		comment = "/rest/api/2/issue/WEB-3/comment"
		words   = "Authorization: Bearer TOK; token TOK; refresh_token=RT; RT; client_secret: CS; CS"
	)
	getIssue := map[string]any{"issue_key": "WEB-3"}
	doSearch := map[string]any{"jql": "project = WEB"}
	addComment := map[string]any{"issue_key": "WEB-3", "body": "Deployed."}
	cases := []struct {
		name, tool   string
		args         map[string]any
		method, path string
		fault        func(http.ResponseWriter, *strings.Replacer)
		redacted     bool // the result shows "[redacted]" where a secret was
	}{
		{"message", "jira_get_issue", getIssue, "GET", issue,
			jsonFault(403, "application/json", nil, `{"message":"`+words+`"}`), true},
		{"errorMessages", "jira_search", doSearch, "POST", search,
			jsonFault(400, "application/json", nil, `{"errorMessages":["`+words+`","TOK","RT","CS"],"errors":{}}`), true},
		{"errors", "jira_add_comment", addComment, "POST", comment,
			jsonFault(400, "application/json", nil, `{"errorMessages":[],"errors":{"comment":"`+words+`","TOK":"RT","access_token":"TOK"}}`), true},
		{"HTML page", "jira_get_issue", getIssue, "GET", issue,
			jsonFault(500, "text/html", nil, `<html><body><h1>Error</h1><pre>`+words+`</pre></body></html>`), false},
		{"text page", "jira_search", doSearch, "POST", search,
			jsonFault(502, "text/plain", nil, "Bad gateway. "+words), true},
		{"WWW-Authenticate", "jira_get_issue", getIssue, "GET", issue,
			jsonFault(401, "application/json", map[string]string{"WWW-Authenticate": `Bearer realm="jira", error="invalid_token", token="TOK", refresh="RT"`}, `{"errorMessages":["`+words+`"]}`), false},
		{"redirect off the site", "jira_get_issue", getIssue, "GET", issue,
			jsonFault(302, "text/html", map[string]string{"Location": "https://sso.invalid/login?token=TOK&rt=RT&cs=CS"}, `<a href="https://sso.invalid/?TOK">`+words+`</a>`), false},
		{"anonymous write", "jira_add_comment", addComment, "POST", comment,
			jsonFault(201, "application/json", map[string]string{"X-Seraph-LoginReason": "AUTHENTICATED_FAILED TOK"}, `{"id":"1","body":"`+words+`"}`), false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			front.arm(c.method, c.path, c.fault)
			defer front.arm("", "", nil)
			res := p.request("tools/call", map[string]any{"name": c.tool, "arguments": c.args})
			out, _ := json.Marshal(res)
			assertNoCanaries(t, "result", string(out))
			if c.redacted && !strings.Contains(string(out), "[redacted]") {
				t.Errorf("result %s: want the echoed secrets shown redacted (else this case tests nothing)", out)
			}
		})
	}
	p.close()
	logs, _ := os.ReadFile(logFile)
	if !strings.Contains(string(logs), "tool=jira_get_issue") {
		t.Errorf("log file lacks the call lines:\n%s", logs)
	}
	for what, s := range map[string]string{"MCP messages": p.transcript.String(), "stderr": p.stderr.String(), "log file": string(logs)} {
		assertNoCanaries(t, what, s)
	}
}

func assertNoCanaries(t *testing.T, what, s string) {
	t.Helper()
	for _, c := range []string{authCanaryTokens, authCanarySecret, "Bearer CANARY"} {
		if strings.Contains(s, c) {
			t.Errorf("%s contains %q: %s", what, c, s)
		}
	}
}

// TestServeWriteAnsweredAnonymously: Jira makes a write, but its login
// filter marks the answer as served to an anonymous user (as it does for
// a token it refused). The write is never sent again (it was: two
// comments made, one reported; a transition's replay failed with 400 and
// was reported as a failure); the tools read back and confirm it.
func TestServeWriteAnsweredAnonymously(t *testing.T) {
	srv, _, _ := authEnv(t)
	base, _ := url.Parse(srv.URL)
	var mu sync.Mutex
	marked := map[string]bool{} // paths whose first POST was marked
	proxy := httputil.NewSingleHostReverseProxy(base)
	proxy.ModifyResponse = func(resp *http.Response) error {
		r := resp.Request
		mu.Lock()
		defer mu.Unlock()
		if r.Method == "POST" && (strings.HasSuffix(r.URL.Path, "/comment") || strings.HasSuffix(r.URL.Path, "/transitions")) && !marked[r.URL.Path] {
			marked[r.URL.Path] = true
			resp.Header.Set("X-Seraph-LoginReason", "AUTHENTICATED_FAILED")
		}
		return nil
	}
	fs := httptest.NewServer(proxy)
	t.Cleanup(fs.Close)
	if _, errOut, code := runAuth(t, authCanarySecret+"\n", "login", "--url", fs.URL, "--client-secret-stdin"); code != 0 {
		t.Fatalf("login: %s", errOut)
	}
	t.Setenv("JIRA_URL", "")
	p := startMCP(t, nil, "serve")
	srv.ResetRequests()
	r, isErr := p.call("jira_add_comment", map[string]any{"issue_key": "WEB-3", "body": "Deployed to staging."})
	if isErr || !strings.Contains(r, "confirmed by reading the comments back") {
		t.Errorf("comment: %s", r)
	}
	r, isErr = p.call("jira_transition_issue", map[string]any{"issue_key": "WEB-2", "transition": "Start Progress"})
	if isErr || !strings.Contains(r, "confirmed by reading it back") {
		t.Errorf("transition: %s", r)
	}
	p.close()
	posts := map[string]int{}
	for _, req := range srv.Requests() {
		if req.Method == "POST" && req.Path != emulator.OAuthTokenPath {
			posts[req.Path]++
		}
	}
	if posts["/rest/api/2/issue/WEB-3/comment"] != 1 || posts["/rest/api/2/issue/WEB-2/transitions"] != 1 {
		t.Errorf("Jira got the writes %v times, want each once", posts)
	}
}
