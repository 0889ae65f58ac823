package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jira-mcp/jira-mcp/tools/jira/emulator"
)

const (
	authCanaryTokens = "CANARYTOK-"
	authCanarySecret = "CANARYSECRET-cmd-51ab"
)

// authEnv starts an emulator with its OAuth provider and points the auth
// settings at it through the environment, with a file keyring, config and
// lock files in temporary folders.
func authEnv(t testing.TB) (*emulator.Server, *emulator.OAuthProvider, string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	redirect := "http://" + ln.Addr().String() + "/callback"
	ln.Close()
	p := emulator.NewOAuthProvider(emulator.OAuthConfig{
		ClientID: "cmd-client", ClientSecret: authCanarySecret, RedirectURIs: []string{redirect}, TokenPrefix: authCanaryTokens,
	})
	srv := emulator.NewServer(emulator.WithOAuth(p))
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	config := filepath.Join(dir, "cfg", "config.json")
	for k, v := range map[string]string{
		"JIRA_URL":                  "http://127.0.0.1:1", // overridden by --url below
		"JIRA_OAUTH_CLIENT_ID":      "cmd-client",
		"JIRA_OAUTH_REDIRECT_URL":   redirect,
		"JIRA_OAUTH_SCOPE":          "",
		"JIRA_MCP_CONFIG":           config,
		"JIRA_MCP_KEYRING_BACKEND":  "file",
		"JIRA_MCP_KEYRING_DIR":      filepath.Join(dir, "keyring"),
		"JIRA_MCP_KEYRING_PASSWORD": "pw",
		"XDG_CACHE_HOME":            filepath.Join(dir, "cache"), // lock files
	} {
		t.Setenv(k, v)
	}
	// A headless browser: follow the authorize redirect to the callback.
	old := openInBrowser
	t.Cleanup(func() { openInBrowser = old })
	openInBrowser = func(u string, stderr io.Writer) error {
		go func() {
			if resp, err := http.Get(u); err == nil {
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		}()
		return nil
	}
	return srv, p, config
}

func runAuth(t testing.TB, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := newAuthCmd()
	var out, errb bytes.Buffer
	cmd.SetArgs(args)
	cmd.SetIn(strings.NewReader(stdin))
	cmd.SetOut(&out)
	cmd.SetErr(&errb)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	err := cmd.ExecuteContext(context.Background())
	var ee *exitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		code = ee.code
		errb.WriteString(ee.Error())
	default:
		code = 1
		errb.WriteString(err.Error())
	}
	return out.String(), errb.String(), code
}

func TestAuthLoginStatusLogout(t *testing.T) {
	srv, p, config := authEnv(t)
	var all strings.Builder
	check := func(what, s string) {
		t.Helper()
		all.WriteString(s)
		for _, c := range []string{authCanaryTokens, authCanarySecret} {
			if strings.Contains(s, c) {
				t.Errorf("%s leaks a secret: %q", what, s)
			}
		}
	}

	out, errOut, code := runAuth(t, authCanarySecret+"\n", "login", "--url", srv.URL, "--client-secret-stdin")
	check("login stdout", out)
	check("login stderr", errOut)
	if code != 0 || out != "" || !strings.Contains(errOut, "Logged in to "+srv.URL+" as ") {
		t.Fatalf("login: code %d\nstdout %q\nstderr %s", code, out, errOut)
	}
	if p.CodesExchanged() != 1 {
		t.Fatalf("codes exchanged %d", p.CodesExchanged())
	}
	cfg, err := os.ReadFile(config)
	if err != nil {
		t.Fatal(err)
	}
	check("config", string(cfg))
	if !strings.Contains(string(cfg), srv.URL) {
		t.Errorf("config lacks the URL: %s", cfg)
	}

	// From now on the URL comes from the config file login wrote (the
	// environment would beat it, so clear that).
	t.Setenv("JIRA_URL", "")
	out, errOut, code = runAuth(t, "", "status")
	check("status stdout", out)
	check("status stderr", errOut)
	if code != 0 || !strings.Contains(out, "Logged in to "+srv.URL) || !strings.Contains(out, "keyring:      file") {
		t.Fatalf("status: %d %q %q", code, out, errOut)
	}
	out, _, code = runAuth(t, "", "status", "--json")
	check("status --json", out)
	var st struct {
		LoggedIn bool   `json:"logged_in"`
		User     string `json:"user"`
		Expiry   string `json:"access_token_expiry"`
	}
	if err := json.Unmarshal([]byte(out), &st); err != nil || code != 0 || !st.LoggedIn || st.User != "alice" || st.Expiry == "" {
		t.Fatalf("status --json: %d %q %v", code, out, err)
	}

	out, errOut, code = runAuth(t, "", "logout")
	check("logout", out+errOut)
	if code != 0 || !strings.Contains(errOut, "Logged out") {
		t.Fatalf("logout: %d %q %q", code, out, errOut)
	}
	if _, err := os.Stat(config); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("config still there after logout")
	}
	// Without the config the client ID still comes from the environment.
	t.Setenv("JIRA_URL", srv.URL)
	out, errOut, code = runAuth(t, "", "status")
	if code != 3 || !strings.Contains(out, "Not logged in") {
		t.Fatalf("status after logout: %d %q %q", code, out, errOut)
	}
	// Nothing secret was ever on a command line: the tests pass none, and
	// the secret flag does not exist.
	if _, _, code := runAuth(t, "", "login", "--client-secret", "x"); code == 0 {
		t.Error("--client-secret accepted as a flag")
	}
}

func TestAuthLoginBadSettings(t *testing.T) {
	authEnv(t)
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"login", "--url", "http://jira.example.com"}, "plain http"},
		{[]string{"login", "--url", "https://jira.example.com", "--redirect-url", "https://example.com/cb"}, "not loopback"},
		{[]string{"login", "--url", "https://jira.example.com", "--keyring-backend", "plaintext"}, "unknown keyring backend"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			_, errOut, code := runAuth(t, "", tt.args...)
			if code != 2 || !strings.Contains(errOut, tt.want) {
				t.Fatalf("code %d, stderr %q; want 2 and %q", code, errOut, tt.want)
			}
		})
	}
}

// Every auth command checks --keyring-backend; logout with nothing to
// remove is not an error.
func TestAuthCommandsSettings(t *testing.T) {
	authEnv(t)
	for _, sub := range []string{"status", "logout", "unlock"} {
		if _, errOut, code := runAuth(t, "", sub, "--keyring-backend", "plaintext"); code != 2 || !strings.Contains(errOut, "unknown keyring backend") {
			t.Errorf("%s: code %d %q", sub, code, errOut)
		}
	}
	if _, errOut, code := runAuth(t, "", "login", "--url", "https://jira.example.com", "--scope", "ADMIN"); code != 2 || !strings.Contains(errOut, "READ or WRITE") {
		t.Errorf("--scope ADMIN: code %d %q", code, errOut)
	}
	t.Setenv("JIRA_OAUTH_CLIENT_ID", "")
	if _, errOut, code := runAuth(t, "", "logout"); code != 0 {
		t.Errorf("logout with nothing: code %d %q", code, errOut)
	}
}
