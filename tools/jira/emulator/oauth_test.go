package emulator

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"
)

const (
	testClientID = "client-1"
	testSecret   = "s3cret"
	testRedirect = "http://127.0.0.1:8765/callback"
)

type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// oauthServer serves only the provider, so these tests stand without the
// REST API.
func oauthServer(t *testing.T, cfg OAuthConfig) (*OAuthProvider, *httptest.Server, *fakeClock) {
	t.Helper()
	clk := &fakeClock{t: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)}
	if cfg.ClientID == "" {
		cfg.ClientID = testClientID
	}
	if cfg.RedirectURIs == nil {
		cfg.RedirectURIs = []string{testRedirect}
	}
	cfg.Clock = clk.Now
	p := NewOAuthProvider(cfg)
	mux := http.NewServeMux()
	mux.HandleFunc(OAuthAuthorizePath, p.serveAuthorize)
	mux.HandleFunc(OAuthTokenPath, p.serveToken)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return p, srv, clk
}

func noRedirect(srv *httptest.Server) *http.Client {
	c := srv.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return c
}

// authorize asks for a code and returns the redirect's query (nil when the
// provider did not redirect) and the status.
func authorize(t *testing.T, srv *httptest.Server, q url.Values) (url.Values, int) {
	t.Helper()
	resp, err := noRedirect(srv).Get(srv.URL + OAuthAuthorizePath + "?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		return nil, resp.StatusCode
	}
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	if got := loc.Scheme + "://" + loc.Host + loc.Path; got != q.Get("redirect_uri") {
		t.Fatalf("redirected to %s, want %s", got, q.Get("redirect_uri"))
	}
	return loc.Query(), resp.StatusCode
}

func authQuery(verifier string) url.Values {
	return url.Values{
		"client_id":             {testClientID},
		"redirect_uri":          {testRedirect},
		"response_type":         {"code"},
		"scope":                 {"WRITE"},
		"state":                 {"st4te"},
		"code_challenge":        {oauth2.S256ChallengeFromVerifier(verifier)},
		"code_challenge_method": {"S256"},
	}
}

func TestOAuthAuthorize(t *testing.T) {
	_, srv, _ := oauthServer(t, OAuthConfig{ClientSecret: testSecret})
	tests := []struct {
		name    string
		change  func(url.Values)
		status  int    // when not redirected
		errCode string // in the redirect
	}{
		{"approved", func(url.Values) {}, 0, ""},
		{"unknown client", func(q url.Values) { q.Set("client_id", "other") }, 400, ""},
		{"redirect not registered", func(q url.Values) { q.Set("redirect_uri", "http://127.0.0.1:9999/callback") }, 400, ""},
		{"redirect prefix only", func(q url.Values) { q.Set("redirect_uri", testRedirect+"/x") }, 400, ""},
		{"implicit grant", func(q url.Values) { q.Set("response_type", "token") }, 0, "unsupported_response_type"},
		{"unknown scope", func(q url.Values) { q.Set("scope", "read:jira-work") }, 0, "invalid_scope"},
		{"no scope", func(q url.Values) { q.Del("scope") }, 0, "invalid_scope"},
		{"bad challenge method", func(q url.Values) { q.Set("code_challenge_method", "S512") }, 0, "invalid_request"},
		{"method without challenge", func(q url.Values) { q.Del("code_challenge") }, 0, "invalid_request"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := authQuery(oauth2.GenerateVerifier())
			tt.change(q)
			got, status := authorize(t, srv, q)
			if tt.status != 0 {
				if got != nil || status != tt.status {
					t.Fatalf("got redirect %v status %d, want no redirect and %d", got, status, tt.status)
				}
				return
			}
			if got == nil {
				t.Fatalf("no redirect (status %d)", status)
			}
			if got.Get("state") != "st4te" {
				t.Errorf("state = %q, want st4te", got.Get("state"))
			}
			if got.Get("error") != tt.errCode {
				t.Errorf("error = %q, want %q", got.Get("error"), tt.errCode)
			}
			if (tt.errCode == "") != (got.Get("code") != "") {
				t.Errorf("code = %q with error %q", got.Get("code"), tt.errCode)
			}
		})
	}
}

// tokenPost posts form to the token endpoint and decodes the answer.
func tokenPost(t *testing.T, srv *httptest.Server, form url.Values) (int, map[string]any) {
	t.Helper()
	resp, err := srv.Client().PostForm(srv.URL+OAuthTokenPath, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var v map[string]any
	b, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("token answer %d is not JSON: %q", resp.StatusCode, b)
	}
	if resp.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("Cache-Control = %q, want no-store", resp.Header.Get("Cache-Control"))
	}
	return resp.StatusCode, v
}

func codeFor(t *testing.T, srv *httptest.Server, verifier string) string {
	t.Helper()
	q, _ := authorize(t, srv, authQuery(verifier))
	if q.Get("code") == "" {
		t.Fatalf("no code: %v", q)
	}
	return q.Get("code")
}

func exchangeForm(code, verifier string) url.Values {
	return url.Values{
		"grant_type":    {"authorization_code"},
		"code":          {code},
		"client_id":     {testClientID},
		"client_secret": {testSecret},
		"redirect_uri":  {testRedirect},
		"code_verifier": {verifier},
	}
}

func TestOAuthExchangeRejects(t *testing.T) {
	tests := []struct {
		name   string
		change func(f url.Values, clk *fakeClock)
		status int
		code   string
	}{
		{"wrong verifier", func(f url.Values, _ *fakeClock) { f.Set("code_verifier", oauth2.GenerateVerifier()) }, 400, "invalid_grant"},
		{"no verifier", func(f url.Values, _ *fakeClock) { f.Del("code_verifier") }, 400, "invalid_grant"},
		{"wrong secret", func(f url.Values, _ *fakeClock) { f.Set("client_secret", "nope") }, 401, "invalid_client"},
		{"no secret", func(f url.Values, _ *fakeClock) { f.Del("client_secret") }, 401, "invalid_client"},
		{"wrong client", func(f url.Values, _ *fakeClock) { f.Set("client_id", "other") }, 401, "invalid_client"},
		{"wrong redirect", func(f url.Values, _ *fakeClock) { f.Set("redirect_uri", "http://127.0.0.1:1/cb") }, 400, "invalid_grant"},
		{"unknown code", func(f url.Values, _ *fakeClock) { f.Set("code", "made-up") }, 400, "invalid_grant"},
		{"expired code", func(_ url.Values, clk *fakeClock) { clk.Advance(11 * time.Second) }, 400, "invalid_grant"},
		{"no grant type", func(f url.Values, _ *fakeClock) { f.Del("grant_type") }, 400, "invalid_request"},
		{"password grant", func(f url.Values, _ *fakeClock) { f.Set("grant_type", "password") }, 400, "unsupported_grant_type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, srv, clk := oauthServer(t, OAuthConfig{ClientSecret: testSecret})
			v := oauth2.GenerateVerifier()
			f := exchangeForm(codeFor(t, srv, v), v)
			tt.change(f, clk)
			status, body := tokenPost(t, srv, f)
			if status != tt.status || body["error"] != tt.code {
				t.Fatalf("got %d %v, want %d %s", status, body, tt.status, tt.code)
			}
			if body["access_token"] != nil {
				t.Fatalf("error answer carries a token: %v", body)
			}
			if p.CodesExchanged() != 0 || p.Rejected(tt.code) != 1 {
				t.Fatalf("exchanged %d, rejected %d; want 0 and 1", p.CodesExchanged(), p.Rejected(tt.code))
			}
		})
	}
}

// TestOAuthLifecycle drives a real oauth2 client through code exchange,
// rotation, replay and expiry.
func TestOAuthLifecycle(t *testing.T) {
	p, srv, clk := oauthServer(t, OAuthConfig{ClientSecret: testSecret, AccessTTL: 5 * time.Minute, TokenPrefix: "canary-"})
	conf := &oauth2.Config{
		ClientID: testClientID, ClientSecret: testSecret, RedirectURL: testRedirect, Scopes: []string{"WRITE"},
		Endpoint: oauth2.Endpoint{AuthURL: srv.URL + OAuthAuthorizePath, TokenURL: srv.URL + OAuthTokenPath, AuthStyle: oauth2.AuthStyleInParams},
	}
	v := oauth2.GenerateVerifier()
	ctx := context.WithValue(context.Background(), oauth2.HTTPClient, srv.Client())
	code := codeFor(t, srv, v)
	tok, err := conf.Exchange(ctx, code, oauth2.VerifierOption(v))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(tok.AccessToken, "canary-at-") || !strings.HasPrefix(tok.RefreshToken, "canary-rt-") || tok.ExpiresIn != 300 || tok.TokenType != "bearer" {
		t.Fatalf("token = %+v", tok)
	}
	if u, err := p.ValidateToken(tok.AccessToken); err != nil || u != DefaultUser {
		t.Fatalf("ValidateToken = %q, %v", u, err)
	}

	// A code works once; reusing it revokes what it gave.
	if _, err := conf.Exchange(ctx, code, oauth2.VerifierOption(v)); !isOAuthError(err, "invalid_grant") {
		t.Fatalf("reused code: %v, want invalid_grant", err)
	}
	if _, err := p.ValidateToken(tok.AccessToken); !errors.Is(err, errTokenInvalid) {
		t.Fatalf("token from a replayed code still valid: %v", err)
	}

	tok, err = conf.Exchange(ctx, codeFor(t, srv, v), oauth2.VerifierOption(v))
	if err != nil {
		t.Fatal(err)
	}
	refresh := func(rt, redirect string) (int, map[string]any) {
		return tokenPost(t, srv, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt},
			"client_id": {testClientID}, "client_secret": {testSecret}, "redirect_uri": {redirect}})
	}
	if status, body := refresh(tok.RefreshToken, "http://127.0.0.1:1/other"); status != 400 || body["error"] != "invalid_grant" {
		t.Fatalf("refresh with another redirect_uri: %d %v", status, body)
	}
	status, body := refresh(tok.RefreshToken, testRedirect)
	if status != 200 || body["refresh_token"] == tok.RefreshToken || body["access_token"] == tok.AccessToken {
		t.Fatalf("refresh: %d %v", status, body)
	}
	if p.Refreshes() != 1 {
		t.Fatalf("Refreshes = %d, want 1", p.Refreshes())
	}
	// Rotation: the old pair is dead.
	if _, err := p.ValidateToken(tok.AccessToken); !errors.Is(err, errTokenInvalid) {
		t.Fatalf("old access token after refresh: %v, want errTokenInvalid", err)
	}
	if status, body := refresh(tok.RefreshToken, testRedirect); status != 400 || body["error"] != "invalid_grant" {
		t.Fatalf("reused refresh token: %d %v", status, body)
	}
	newAccess := body["access_token"].(string)
	if _, err := p.ValidateToken(newAccess); err != nil {
		t.Fatal(err)
	}
	clk.Advance(5 * time.Minute)
	if _, err := p.ValidateToken(newAccess); !errors.Is(err, errTokenExpired) {
		t.Fatalf("after AccessTTL: %v, want errTokenExpired", err)
	}
	if status, _ := refresh(body["refresh_token"].(string), testRedirect); status != 200 {
		t.Fatalf("refresh after access expiry: %d", status)
	}
	p.RevokeAll()
	if p.Refreshes() != 2 || p.Rejected("invalid_grant") != 3 {
		t.Fatalf("Refreshes %d, invalid_grant %d; want 2, 3", p.Refreshes(), p.Rejected("invalid_grant"))
	}
}

func TestOAuthPublicClient(t *testing.T) {
	// With secret validation disabled, a client without a secret works; and
	// without PKCE as well, as Jira allows.
	_, srv, _ := oauthServer(t, OAuthConfig{})
	q := authQuery("")
	q.Del("code_challenge")
	q.Del("code_challenge_method")
	got, _ := authorize(t, srv, q)
	f := exchangeForm(got.Get("code"), "")
	f.Del("client_secret")
	f.Del("code_verifier")
	if status, body := tokenPost(t, srv, f); status != 200 || body["access_token"] == nil {
		t.Fatalf("public client: %d %v", status, body)
	}
}

func TestOAuthPlainChallenge(t *testing.T) {
	_, srv, _ := oauthServer(t, OAuthConfig{ClientSecret: testSecret})
	q := authQuery("")
	q.Set("code_challenge", "plain-verifier-0123456789012345678901234567890123")
	q.Set("code_challenge_method", "plain")
	got, _ := authorize(t, srv, q)
	for _, tt := range []struct {
		verifier string
		status   int
	}{{"other", 400}, {"plain-verifier-0123456789012345678901234567890123", 200}} {
		if status, body := tokenPost(t, srv, exchangeForm(got.Get("code"), tt.verifier)); status != tt.status {
			t.Fatalf("verifier %q: %d %v", tt.verifier, status, body)
		}
	}
}

func TestOAuthTokenMethod(t *testing.T) {
	_, srv, _ := oauthServer(t, OAuthConfig{})
	resp, err := srv.Client().Get(srv.URL + OAuthTokenPath + "?grant_type=refresh_token")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Fatalf("GET token: %d", resp.StatusCode)
	}
}

func isOAuthError(err error, code string) bool {
	var re *oauth2.RetrieveError
	return errors.As(err, &re) && re.ErrorCode == code
}
