package auth

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"
)

func parseForm(t *testing.T, body string) map[string][]string {
	t.Helper()
	v, err := url.ParseQuery(body)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestLoginFlow(t *testing.T) {
	for _, scheme := range []string{"http", "https"} {
		t.Run(scheme+" callback", func(t *testing.T) {
			e := newEnvTLS(t, "file", scheme)
			out := &syncBuffer{}
			st := e.login(t, out)

			if !st.LoggedIn || st.User != "alice" || st.Scope != "WRITE" || st.URL != e.srv.URL || st.KeyringBackend != "file" {
				t.Errorf("status = %+v", st)
			}
			if got := e.provider.CodesExchanged(); got != 1 {
				t.Errorf("codes exchanged = %d, want 1", got)
			}
			// What Jira received: PKCE, the secret, the exact redirect URI.
			var authz url.Values
			for _, r := range e.srv.Requests() {
				if r.Path == "/rest/oauth2/latest/authorize" {
					authz, _ = url.ParseQuery(r.RawQuery)
				}
			}
			if authz.Get("code_challenge_method") != "S256" || len(authz.Get("state")) < 32 || authz.Get("scope") != "WRITE" {
				t.Errorf("authorize query = %v", authz)
			}
			ex := e.tokenRequests(t, "authorization_code")
			if len(ex) != 1 {
				t.Fatalf("%d code exchanges", len(ex))
			}
			f := url.Values(ex[0])
			if oauth2.S256ChallengeFromVerifier(f.Get("code_verifier")) != authz.Get("code_challenge") ||
				f.Get("client_secret") != canarySecret || f.Get("redirect_uri") != e.settings.RedirectURL {
				t.Errorf("exchange form lacks verifier, secret or redirect_uri: keys %v", keys(f))
			}
			// The URL is printed on a line of its own.
			found := false
			for _, line := range strings.Split(out.String(), "\n") {
				if strings.HasPrefix(line, e.srv.URL+"/rest/oauth2/latest/authorize?") {
					found = true
				}
			}
			if !found {
				t.Errorf("authorize URL not printed on its own line:\n%s", out)
			}

			rec := e.stored(t)
			if !strings.HasPrefix(rec.AccessToken, canaryTokenPrefix) || !strings.HasPrefix(rec.RefreshToken, canaryTokenPrefix) || rec.ClientSecret != canarySecret {
				t.Errorf("keyring record lacks the tokens or the secret")
			}
			cfg, err := os.ReadFile(e.settings.ConfigPath)
			if err != nil {
				t.Fatal(err)
			}
			fi, _ := os.Stat(e.settings.ConfigPath)
			if fi.Mode().Perm() != 0o600 {
				t.Errorf("config mode %v, want 0600", fi.Mode().Perm())
			}
			loaded, err := LoadConfig(e.settings.ConfigPath)
			if err != nil || loaded.URL != e.srv.URL || loaded.ClientID != testClientID || loaded.RedirectURL != e.settings.RedirectURL {
				t.Errorf("config = %+v, %v", loaded, err)
			}

			// The session works with what login stored.
			s := e.open(t)
			if status, err := get(t, s, "/rest/api/2/myself"); err != nil || status != 200 {
				t.Fatalf("myself through session: %d %v", status, err)
			}
			last := e.srv.Requests()[len(e.srv.Requests())-1]
			if last.User != "alice" || last.Header.Get("Authorization") != "Bearer "+rec.AccessToken {
				t.Errorf("Jira saw user %q", last.User)
			}

			assertNoCanary(t, "login output", out.String())
			assertNoCanary(t, "config file", string(cfg))
			assertNoCanary(t, "logs", e.logs.String())
			assertNoCanary(t, "status", statusJSON(t, st))
		})
	}
}

func keys(v url.Values) []string {
	var k []string
	for key := range v {
		k = append(k, key)
	}
	return k
}

func TestLoginRejectsWrongState(t *testing.T) {
	e := newEnv(t, "file")
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	visited := make(chan error, 1)
	open := func(authURL string) error {
		go func() {
			resp, err := noFollow.Get(authURL)
			if err != nil {
				visited <- err
				return
			}
			resp.Body.Close()
			real := resp.Header.Get("Location")
			u, _ := url.Parse(real)
			q := u.Query()
			q.Set("state", "forged")
			u.RawQuery = q.Encode()
			// A forged callback is refused and does not end the login...
			resp, err = noFollow.Get(u.String())
			if err != nil {
				visited <- err
				return
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusBadRequest {
				visited <- fmt.Errorf("forged callback answered %d, want 400", resp.StatusCode)
				return
			}
			if n := e.provider.CodesExchanged(); n != 0 {
				visited <- fmt.Errorf("a code with a forged state was exchanged")
				return
			}
			// ...which the real one then completes.
			resp, err = noFollow.Get(real)
			if err == nil {
				resp.Body.Close()
			}
			visited <- err
		}()
		return nil
	}
	st, err := Login(context.Background(), e.settings, LoginOptions{ClientSecret: canarySecret, OpenBrowser: open, Timeout: time.Minute}, e.opts...)
	if err != nil {
		t.Fatalf("login after a forged callback: %v", err)
	}
	if err := <-visited; err != nil {
		t.Fatal(err)
	}
	if !st.LoggedIn || e.provider.CodesExchanged() != 1 {
		t.Errorf("logged in %v, codes exchanged %d", st.LoggedIn, e.provider.CodesExchanged())
	}
}

// TestLoginPaste is the SSH case: the browser runs elsewhere and the user
// pastes the URL it was redirected to; nothing reaches the callback.
func TestLoginPaste(t *testing.T) {
	e := newEnv(t, "file")
	pr, pw := io.Pipe()
	defer pw.Close()
	opened := make(chan string, 1)
	go func() {
		u := <-opened
		c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp, err := c.Get(u)
		if err != nil {
			pw.CloseWithError(err)
			return
		}
		resp.Body.Close()
		io.WriteString(pw, "not a url\n\n"+resp.Header.Get("Location")+"\n")
	}()
	st, err := Login(context.Background(), e.settings, LoginOptions{
		ClientSecret: canarySecret, Paste: pr, Timeout: time.Minute,
		OpenBrowser: func(u string) error { opened <- u; return nil },
	}, e.opts...)
	if err != nil || !st.LoggedIn {
		t.Fatalf("login by paste: %v", err)
	}
}

func TestLoginWrongClientSecret(t *testing.T) {
	e := newEnv(t, "file")
	b := newBrowser()
	_, err := Login(context.Background(), e.settings, LoginOptions{ClientSecret: "CANARYSECRET-wrong", OpenBrowser: b.Open, Timeout: time.Minute}, e.opts...)
	var te *TokenError
	if !errors.As(err, &te) || te.Code != "invalid_client" {
		t.Fatalf("err = %v, want invalid_client", err)
	}
	assertNoCanary(t, "error", err.Error())
	if strings.Contains(err.Error(), "CANARYSECRET-wrong") {
		t.Errorf("error text holds the secret: %v", err)
	}
}

func TestSettingsValidate(t *testing.T) {
	ok := Settings{URL: "https://jira.example.com/", ClientID: "c"}
	tests := []struct {
		name   string
		change func(*Settings)
		want   string // substring of the error; "" = valid
	}{
		{"defaults", func(*Settings) {}, ""},
		{"context path", func(s *Settings) { s.URL = "https://example.com/jira" }, ""},
		{"loopback http", func(s *Settings) { s.URL = "http://127.0.0.1:8080" }, ""},
		{"remote http", func(s *Settings) { s.URL = "http://jira.example.com" }, "plain http"},
		{"no url", func(s *Settings) { s.URL = "" }, "--url"},
		{"no client", func(s *Settings) { s.ClientID = "" }, "--client-id"},
		{"remote redirect", func(s *Settings) { s.RedirectURL = "https://jira-mcp.example.com/callback" }, "not loopback"},
		{"https loopback redirect", func(s *Settings) { s.RedirectURL = "https://localhost:8443/cb" }, ""},
		{"scope", func(s *Settings) { s.Scope = "write:jira-work" }, "unknown scope"},
		{"backend", func(s *Settings) { s.KeyringBackend = "plaintext" }, "unknown keyring backend"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := ok
			tt.change(&s)
			err := s.Validate()
			if (err == nil) != (tt.want == "") || (err != nil && !strings.Contains(err.Error(), tt.want)) {
				t.Fatalf("Validate = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestResolvePrecedence(t *testing.T) {
	path := t.TempDir() + "/c.json"
	if err := SaveConfig(Settings{ConfigPath: path, URL: "https://file.example", ClientID: "file-id", Scope: "READ", KeyringBackend: "keyctl"}); err != nil {
		t.Fatal(err)
	}
	envs := map[string]string{EnvConfig: path, EnvClientID: "env-id", EnvScope: "WRITE", EnvKeyringDir: "/kr"}
	s, err := Resolve(Flags{ClientID: "flag-id"}, func(k string) string { return envs[k] })
	if err != nil {
		t.Fatal(err)
	}
	want := Settings{URL: "https://file.example", ClientID: "flag-id", RedirectURL: DefaultRedirectURL, Scope: "WRITE",
		KeyringBackend: "keyctl", ConfigPath: path, KeyringDir: "/kr"}
	if s != want {
		t.Fatalf("Resolve = %+v\nwant %+v", s, want)
	}
	// No file at all is fine.
	s, err = Resolve(Flags{Config: t.TempDir() + "/none.json"}, func(string) string { return "" })
	if err != nil || s.KeyringBackend != "auto" || s.Scope != DefaultScope {
		t.Fatalf("Resolve without file = %+v, %v", s, err)
	}
}
