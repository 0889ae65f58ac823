package auth

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jira-mcp/jira-mcp/tools/jira/emulator"
)

// kinds is what tools/jira, which cannot import auth, learns of an error
// through its methods.
type kinds struct{ Login, Credentials, Temporary, NotSent bool }

func kindsOf(err error) kinds {
	var k kinds
	var lr interface{ LoginRequired() bool }
	var cu interface{ CredentialsUnavailable() bool }
	var tmp interface{ Temporary() bool }
	var ns interface{ NotSent() bool }
	k.Login = errors.As(err, &lr) && lr.LoginRequired()
	k.Credentials = errors.As(err, &cu) && cu.CredentialsUnavailable()
	k.Temporary = errors.As(err, &tmp) && tmp.Temporary()
	k.NotSent = errors.As(err, &ns) && ns.NotSent()
	return k
}

// assertKinds checks an error from Session.HTTPClient: a *url.Error whose
// methods say want.
func assertKinds(t *testing.T, err error, want kinds) {
	t.Helper()
	if _, ok := errors.AsType[*url.Error](err); !ok {
		t.Fatalf("err = %v (%T), want a *url.Error", err, err)
	}
	if got := kindsOf(err); got != want {
		t.Fatalf("err = %v: kinds %+v, want %+v", err, got, want)
	}
}

// apiRequests returns the paths of the requests Jira's REST API got.
func apiRequests(e *env) []string {
	var out []string
	for _, r := range e.srv.Requests() {
		if strings.HasPrefix(r.Path, "/rest/api/") {
			out = append(out, r.Path)
		}
	}
	return out
}

// TestTokenEndpointOutage: a token endpoint failing in passing is reported
// as temporary and not sent, never as a keyring or login problem, and the
// next call works with the login intact.
func TestTokenEndpointOutage(t *testing.T) {
	cases := []struct {
		name   string
		status int // injected with Fail
		header http.Header
		body   string
		mode   string // "cut": answer cut short; "refused": connection refused
		want   string
	}{
		{name: "503", status: 503, want: "(HTTP 503)"},
		{name: "502 page from a proxy", status: 502, header: http.Header{"Content-Type": {"text/html"}}, body: "<html>Bad Gateway</html>", want: "(HTTP 502)"},
		{name: "500 with an OAuth error", status: 500, body: `{"error":"server_error"}`, want: "(HTTP 500)"},
		{name: "429", status: 429, header: http.Header{"Retry-After": {"2"}}, want: "(HTTP 429)"},
		{name: "answer cut short", mode: "cut", want: "unexpected EOF"},
		{name: "connection refused", mode: "refused", want: "connection refused"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t, "file")
			var cut, refuse atomic.Bool
			e.front(t, func(next http.Handler) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if r.URL.Path == emulator.OAuthTokenPath && cut.CompareAndSwap(true, false) {
						w.Header().Set("Content-Type", "application/json")
						w.Header().Set("Content-Length", "400")
						w.WriteHeader(http.StatusOK)
						w.Write([]byte(`{"access_token":"`))
						w.(http.Flusher).Flush()
						panic(http.ErrAbortHandler)
					}
					next.ServeHTTP(w, r)
				})
			})
			// A token request sent to a closed loopback port meets a real
			// connection refusal.
			closed := "127.0.0.1:" + freePort(t)
			e.opts = append(e.opts, withHTTPClient(&http.Client{Timeout: 30 * time.Second, Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
				if r.URL.Path == emulator.OAuthTokenPath && refuse.CompareAndSwap(true, false) {
					r = r.Clone(r.Context())
					r.URL.Host = closed
				}
				return http.DefaultTransport.RoundTrip(r)
			})}))
			e.login(t, nil)
			s := e.open(t)
			e.clock.Advance(time.Hour)
			switch c.mode {
			case "cut":
				cut.Store(true)
			case "refused":
				refuse.Store(true)
			default:
				e.srv.Fail(http.MethodPost, emulator.OAuthTokenPath, c.status, c.header, c.body, 1)
			}
			e.srv.ResetRequests()

			_, err := s.HTTPClient().Get(s.BaseURL() + "/rest/api/2/myself")
			assertKinds(t, err, kinds{Temporary: true, NotSent: true})
			if _, ok := errors.AsType[*TemporaryError](err); !ok {
				t.Errorf("err = %T, want a *TemporaryError inside", err)
			}
			if msg := err.Error(); !strings.Contains(msg, c.want) || !strings.Contains(msg, "try again shortly") {
				t.Errorf("error %q does not say %q and to try again", msg, c.want)
			}
			if errors.Is(err, ErrLoginRequired) || errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("err = %v matches a login or caller deadline error", err)
			}
			if got := apiRequests(e); len(got) != 0 {
				t.Errorf("Jira's API got %v while no token could be had", got)
			}
			assertNoCanary(t, "error", err.Error())

			// The failure was passing: the next call refreshes and works.
			if status, err := get(t, s, "/rest/api/2/myself"); status != 200 {
				t.Fatalf("next call: %d %v", status, err)
			}
			if got := e.provider.Refreshes(); got != 1 {
				t.Errorf("refreshes = %d, want 1", got)
			}
			assertNoCanary(t, "logs", e.logs.String())
		})
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestTokenEndpointTimeout: a token endpoint that does not answer within
// the client's timeout is temporary, and does not read as the caller's
// context ending.
func TestTokenEndpointTimeout(t *testing.T) {
	e := newEnv(t, "file")
	var hang atomic.Bool
	release := make(chan struct{})
	e.front(t, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == emulator.OAuthTokenPath && hang.Load() {
				// Read the body, so that the server notices the client
				// leaving and ends r's context.
				io.Copy(io.Discard, r.Body)
				select {
				case <-release:
				case <-r.Context().Done():
				}
				return
			}
			next.ServeHTTP(w, r)
		})
	})
	t.Cleanup(func() { close(release) }) // before the front closes: cleanups run last first
	e.login(t, nil)
	e.opts = append(e.opts, withHTTPClient(&http.Client{Timeout: 300 * time.Millisecond}))
	s := e.open(t)
	e.clock.Advance(time.Hour)
	hang.Store(true)
	_, err := token(s)
	if got := kindsOf(err); got != (kinds{Temporary: true, NotSent: true}) {
		t.Fatalf("err = %v: kinds %+v, want temporary", err, got)
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		t.Errorf("err = %v reads as the caller's context ending", err)
	}
	if !strings.Contains(err.Error(), "timed out") {
		t.Errorf("err = %v does not say it timed out", err)
	}
}

// TestRefreshRefusedMeansLogin: any 400 or 401 from the token endpoint to a
// refresh means logging in again, whatever its error code or body, and the
// secrets the description may echo are scrubbed.
func TestRefreshRefusedMeansLogin(t *testing.T) {
	cases := []struct {
		name   string
		status int
		header http.Header
		body   string // %RT% and %SECRET% become the stored refresh token and the client secret
		reason string
	}{
		{name: "invalid_request echoing secrets", status: 400,
			body:   `{"error":"invalid_request","error_description":"refresh_token %RT% not valid with client_secret %SECRET%"}`,
			reason: "(HTTP 400 invalid_request)"},
		{name: "code echoing the refresh token", status: 400, body: `{"error":"%RT%"}`, reason: "(HTTP 400 [redacted])"},
		{name: "invalid_scope", status: 400, body: `{"error":"invalid_scope"}`, reason: "(HTTP 400 invalid_scope)"},
		{name: "401 as Jira's error collection", status: 401, reason: "(HTTP 401)"},
		{name: "invalid_client", status: 401, body: `{"error":"invalid_client","error_description":"client %SECRET% unknown"}`, reason: "client credentials (invalid_client)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t, "file")
			e.login(t, nil)
			s := e.open(t)
			e.clock.Advance(time.Hour)
			body := strings.NewReplacer("%RT%", e.stored(t).RefreshToken, "%SECRET%", canarySecret).Replace(c.body)
			e.srv.Fail(http.MethodPost, emulator.OAuthTokenPath, c.status, c.header, body, 1)
			e.srv.ResetRequests()

			_, err := s.HTTPClient().Get(s.BaseURL() + "/rest/api/2/myself")
			assertLoginRequired(t, err)
			assertKinds(t, err, kinds{Login: true})
			if !strings.Contains(err.Error(), c.reason) {
				t.Errorf("error %q does not name %q", err, c.reason)
			}
			te, ok := errors.AsType[*TokenError](err)
			if !ok || te.Status != c.status {
				t.Fatalf("err = %v, want to carry the token endpoint's HTTP %d", err, c.status)
			}
			assertNoCanary(t, "error", err.Error())
			assertNoCanary(t, "token error", te.Error())
			assertNoCanary(t, "logs", e.logs.String())
			if got := apiRequests(e); len(got) != 0 {
				t.Errorf("Jira's API got %v", got)
			}
			// Fail answered once and the refresh token is still good: the
			// answer alone made it a login error.
			if _, err := token(s); err != nil {
				t.Errorf("next Token: %v", err)
			}
		})
	}
}

// TestGiveUpWaitingForToken: a request whose context or the client's
// timeout ends while it waits for a refresh (held here behind another
// holder of the login's lock) comes back as not sent, wrapping the
// context's error, and the refresh carries on for the next call.
func TestGiveUpWaitingForToken(t *testing.T) {
	cases := []struct {
		name          string
		clientTimeout time.Duration
		ctx           func() (context.Context, context.CancelFunc)
		want          error
	}{
		{name: "cancelled", want: context.Canceled, ctx: func() (context.Context, context.CancelFunc) {
			ctx, cancel := context.WithCancel(context.Background())
			time.AfterFunc(100*time.Millisecond, cancel)
			return ctx, cancel
		}},
		{name: "context deadline", want: context.DeadlineExceeded, ctx: func() (context.Context, context.CancelFunc) {
			return context.WithTimeout(context.Background(), 200*time.Millisecond)
		}},
		// http.Client.Timeout would flatten the error into a string.
		{name: "client timeout", clientTimeout: time.Second, want: context.DeadlineExceeded, ctx: func() (context.Context, context.CancelFunc) {
			return context.Background(), func() {}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t, "file")
			e.login(t, nil)
			if c.clientTimeout > 0 {
				e.opts = append(e.opts, withHTTPClient(&http.Client{Timeout: c.clientTimeout}))
			}
			s := e.open(t)
			e.clock.Advance(time.Hour)
			unlock, err := lockLogin(context.Background(), s.src.lockPath)
			if err != nil {
				t.Fatal(err)
			}
			e.srv.ResetRequests()

			ctx, cancel := c.ctx()
			defer cancel()
			req, _ := http.NewRequestWithContext(ctx, http.MethodPost, s.BaseURL()+"/rest/api/2/issue/WEB-1/comment", strings.NewReader(`{"body":"x"}`))
			_, err = s.HTTPClient().Do(req)
			assertKinds(t, err, kinds{NotSent: true})
			if !errors.Is(err, c.want) {
				t.Errorf("err = %v, want to match %v", err, c.want)
			}
			if !strings.Contains(err.Error(), "not sent") {
				t.Errorf("error %q does not say the request was not sent", err)
			}
			if got := e.srv.Requests(); len(got) != 0 {
				t.Errorf("Jira got %d requests while the lock was held", len(got))
			}

			unlock()
			if status, err := get(t, s, "/rest/api/2/myself"); status != 200 {
				t.Fatalf("after the lock: %d %v", status, err)
			}
			if got := e.provider.Refreshes(); got != 1 {
				t.Errorf("refreshes = %d, want 1", got)
			}
			if got := apiRequests(e); len(got) != 1 || got[0] != "/rest/api/2/myself" {
				t.Errorf("Jira's API got %v, want only the last call", got)
			}
		})
	}
}

// TestCredentialsUnavailable: keyring and lock-file failures are
// credentials errors (retrying will not help), not sent, and nothing at
// all reaches Jira.
func TestCredentialsUnavailable(t *testing.T) {
	cases := []struct {
		name  string
		spoil func(t *testing.T, e *env)
	}{
		{"wrong keyring password", func(t *testing.T, e *env) {
			t.Setenv(EnvKeyringPassword, "not-the-keyring-password")
		}},
		{"lock folder unusable", func(t *testing.T, e *env) {
			f := filepath.Join(t.TempDir(), "file")
			if err := os.WriteFile(f, nil, 0o600); err != nil {
				t.Fatal(err)
			}
			e.settings.LockDir = filepath.Join(f, "locks")
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t, "file")
			e.login(t, nil)
			c.spoil(t, e)
			s := e.open(t)
			e.srv.ResetRequests()
			_, err := s.HTTPClient().Get(s.BaseURL() + "/rest/api/2/myself")
			assertKinds(t, err, kinds{Credentials: true, NotSent: true})
			if _, ok := errors.AsType[*CredentialsError](err); !ok {
				t.Errorf("err = %T, want a *CredentialsError inside", err)
			}
			if got := e.srv.Requests(); len(got) != 0 {
				t.Errorf("Jira got %d requests", len(got))
			}
			assertNoCanary(t, "error", err.Error())
		})
	}
}

// TestAnonymousAnswerRetried: Jira's login filter serving a stale token's
// request as anonymous (200 with X-Seraph-LoginReason) is treated as a 401:
// one forced refresh, one retry with the body replayed.
func TestAnonymousAnswerRetried(t *testing.T) {
	e := newEnvTLS(t, "file", "http", emulator.WithAnonymousFallback())
	e.login(t, nil)
	s := e.open(t)
	if _, err := token(s); err != nil {
		t.Fatal(err)
	}
	e.provider.ExpireAccessTokens() // the refresher still believes in its token
	e.srv.ResetRequests()
	body := `{"jql":"project = WEB","maxResults":1}`
	resp, err := s.HTTPClient().Post(s.BaseURL()+"/rest/api/2/search", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	drain(resp)
	if resp.StatusCode != 200 || resp.Header.Get("X-Seraph-LoginReason") != "" {
		t.Fatalf("agent got %d with login reason %q, want the retry's answer", resp.StatusCode, resp.Header.Get("X-Seraph-LoginReason"))
	}
	var users []string
	for _, r := range e.srv.Requests() {
		if r.Path == "/rest/api/2/search" {
			if string(r.Body) != body {
				t.Errorf("body not replayed: %q", r.Body)
			}
			users = append(users, r.User)
		}
	}
	if len(users) != 2 || users[0] != "" || users[1] != "alice" {
		t.Fatalf("Jira served the search as %q, want anonymous then alice", users)
	}
	if got := e.provider.Refreshes(); got != 1 {
		t.Fatalf("refreshes = %d, want 1", got)
	}
}

// TestAnonymousAnswerPersists: when the retry too is served as anonymous,
// the answer goes back as it is (tools/jira reports it like a 401), after
// one refresh and two requests.
func TestAnonymousAnswerPersists(t *testing.T) {
	for _, reason := range []string{"AUTHENTICATION_DENIED", "AUTHENTICATED_FAILED"} {
		t.Run(reason, func(t *testing.T) {
			e := newEnv(t, "file")
			e.front(t, func(next http.Handler) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if strings.HasPrefix(r.URL.Path, "/rest/api/") && r.URL.Query().Get("probe") != "" {
						w.Header().Set("X-Seraph-LoginReason", reason)
					}
					next.ServeHTTP(w, r)
				})
			})
			e.login(t, nil)
			s := e.open(t)
			e.srv.ResetRequests()
			resp, err := s.HTTPClient().Get(s.BaseURL() + "/rest/api/2/myself?probe=1")
			if err != nil {
				t.Fatal(err)
			}
			drain(resp)
			if got := resp.Header.Get("X-Seraph-LoginReason"); got != reason {
				t.Fatalf("login reason %q, want %q handed back", got, reason)
			}
			if got := apiRequests(e); len(got) != 2 {
				t.Fatalf("Jira's API got %v, want the request and one retry", got)
			}
			if got := e.provider.Refreshes(); got != 1 {
				t.Fatalf("refreshes = %d, want 1", got)
			}
		})
	}
}

// TestRefusedThenOutage: Jira refuses the token (a 401, or a read served
// as anonymous) and the refresh then fails in passing. Jira did nothing,
// and the agent learns of the outage; but the request was sent, so the
// error never says it was not (it did: a *RefusedError now wraps it).
func TestRefusedThenOutage(t *testing.T) {
	for _, anon := range []bool{false, true} {
		name := "401"
		var opts []emulator.Option
		if anon {
			name = "anonymous"
			opts = append(opts, emulator.WithAnonymousFallback())
		}
		t.Run(name, func(t *testing.T) {
			e := newEnvTLS(t, "file", "http", opts...)
			e.login(t, nil)
			s := e.open(t)
			if _, err := token(s); err != nil {
				t.Fatal(err)
			}
			e.provider.ExpireAccessTokens()
			e.srv.Fail(http.MethodPost, emulator.OAuthTokenPath, 503, nil, "", 1)
			e.srv.ResetRequests()
			_, err := s.HTTPClient().Post(s.BaseURL()+"/rest/api/2/search", "application/json", strings.NewReader(`{"jql":"project = WEB"}`))
			assertKinds(t, err, kinds{})
			var refused interface{ TokenRefused() bool }
			if !errors.As(err, &refused) || !refused.TokenRefused() {
				t.Errorf("err = %v, want TokenRefused", err)
			}
			if _, ok := errors.AsType[*TemporaryError](err); !ok || !strings.Contains(err.Error(), "try again shortly") {
				t.Errorf("err = %v, want the outage named inside", err)
			}
			if got := apiRequests(e); len(got) != 1 {
				t.Errorf("Jira's API got %v, want one request", got)
			}
		})
	}
}

func TestClassify(t *testing.T) {
	cases := []struct {
		te   TokenError
		want string // "login", "temporary", "unexpected"
	}{
		{TokenError{Status: 400, Code: "invalid_grant"}, "login"},
		{TokenError{Status: 400, Code: "invalid_request"}, "login"},
		{TokenError{Status: 400}, "login"},
		{TokenError{Status: 401}, "login"},
		{TokenError{Status: 200, Code: "unauthorized_client"}, "login"},
		{TokenError{Status: 429}, "temporary"},
		{TokenError{Status: 500, Code: "server_error"}, "temporary"},
		{TokenError{Status: 504}, "temporary"},
		{TokenError{Status: 403}, "unexpected"},
		{TokenError{Status: 404}, "unexpected"},
		{TokenError{Status: 200}, "unexpected"},
	}
	for _, c := range cases {
		t.Run(c.te.Error(), func(t *testing.T) {
			te := c.te
			err := classify(&te)
			got := "token"
			switch err.(type) {
			case *LoginError:
				got = "login"
			case *TemporaryError:
				got = "temporary"
			case *UnexpectedAnswerError:
				got = "unexpected"
			}
			if got != c.want {
				t.Errorf("classify = %T (%v), want %s", err, err, c.want)
			}
			if inner, ok := errors.AsType[*TokenError](err); !ok || inner != &te {
				t.Errorf("classify lost the *TokenError: %v", err)
			}
		})
	}
}

// TestOtherTokenFailureNotSent: a token endpoint answer that is neither
// passing nor a refusal still tells the agent nothing was sent.
func TestOtherTokenFailureNotSent(t *testing.T) {
	e := newEnv(t, "file")
	e.login(t, nil)
	s := e.open(t)
	e.clock.Advance(time.Hour)
	e.srv.Fail(http.MethodPost, emulator.OAuthTokenPath, 404, nil, "", 1)
	e.srv.ResetRequests()
	_, err := s.HTTPClient().Get(s.BaseURL() + "/rest/api/2/myself")
	assertKinds(t, err, kinds{NotSent: true})
	if te, ok := errors.AsType[*TokenError](err); !ok || te.Status != 404 {
		t.Errorf("err = %v, want to carry HTTP 404", err)
	}
	if got := apiRequests(e); len(got) != 0 {
		t.Errorf("Jira's API got %v", got)
	}
}
