package auth

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

func statusJSON(t *testing.T, st *Status) string {
	b, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// loginRequired is how tools/jira, which cannot import auth, detects it
// and learns that its text names the fix.
type loginRequired interface {
	LoginRequired() bool
	AsksToLogIn() bool
}

func assertLoginRequired(t *testing.T, err error) {
	t.Helper()
	var ue *url.Error
	var lr loginRequired
	if !errors.As(err, &ue) || !errors.As(err, &lr) || !lr.LoginRequired() || !lr.AsksToLogIn() || !errors.Is(err, ErrLoginRequired) {
		t.Fatalf("err = %v (%T), want a *url.Error wrapping a login-required error", err, err)
	}
	if !strings.Contains(err.Error(), "jira-mcp auth login") {
		t.Fatalf("error does not say what to do: %v", err)
	}
}

func TestNoLogin(t *testing.T) {
	e := newEnv(t, "file")
	for name, s := range map[string]Settings{"empty keyring": e.settings, "not configured": {}} {
		t.Run(name, func(t *testing.T) {
			sess, err := Open(context.Background(), s, e.opts...)
			if err != nil {
				t.Fatal(err)
			}
			_, err = sess.HTTPClient().Get(e.srv.URL + "/rest/api/2/myself")
			assertLoginRequired(t, err)
			if _, err := token(sess); !errors.Is(err, ErrLoginRequired) {
				t.Fatalf("Token: %v", err)
			}
		})
	}
	for _, r := range e.srv.Requests() {
		t.Errorf("Jira got a request without a login: %s %s", r.Method, r.Path)
	}
}

func TestRefreshOnExpiry(t *testing.T) {
	e := newEnv(t, "file")
	e.login(t, nil)
	before := e.stored(t)
	s := e.open(t)
	if status, err := get(t, s, "/rest/api/2/myself"); status != 200 {
		t.Fatalf("%d %v", status, err)
	}
	// 59 minutes on, the token has less than the minute margin left.
	e.clock.Advance(59*time.Minute + 30*time.Second)
	const n = 8
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for range n {
		wg.Go(func() {
			if status, err := get(t, s, "/rest/api/2/myself"); err != nil || status != 200 {
				errs <- errors.Join(err, errors.New(http.StatusText(status)))
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if got := e.provider.Refreshes(); got != 1 {
		t.Fatalf("refreshes = %d, want 1", got)
	}
	after := e.stored(t)
	if after.RefreshToken == before.RefreshToken || after.AccessToken == before.AccessToken {
		t.Fatal("rotated tokens not saved to the keyring")
	}
	f := url.Values(e.tokenRequests(t, "refresh_token")[0])
	if f.Get("refresh_token") != before.RefreshToken || f.Get("client_id") != testClientID ||
		f.Get("client_secret") != canarySecret || f.Get("redirect_uri") != e.settings.RedirectURL {
		t.Errorf("refresh form keys %v lack what Jira DC checks", keys(f))
	}
	assertNoCanary(t, "logs", e.logs.String())
}

// TestUnauthorizedRetry: Jira refuses a token the refresher believes valid;
// the transport refreshes once and replays the request with its body.
func TestUnauthorizedRetry(t *testing.T) {
	e := newEnv(t, "file")
	e.login(t, nil)
	s := e.open(t)
	if _, err := token(s); err != nil {
		t.Fatal(err)
	}
	e.provider.ExpireAccessTokens()
	e.srv.ResetRequests()
	body := `{"jql":"project = WEB","maxResults":1}`
	resp, err := s.HTTPClient().Post(s.BaseURL()+"/rest/api/2/search", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("status %d after retry", resp.StatusCode)
	}
	var searches []int
	for _, r := range e.srv.Requests() {
		if r.Path == "/rest/api/2/search" {
			if string(r.Body) != body {
				t.Errorf("body not replayed: %q", r.Body)
			}
			searches = append(searches, r.Status)
		}
	}
	if len(searches) != 2 || searches[0] != 401 || searches[1] != 200 {
		t.Fatalf("Jira answered %v, want [401 200]", searches)
	}
	if e.provider.Refreshes() != 1 {
		t.Fatalf("refreshes = %d", e.provider.Refreshes())
	}
}

// TestUnauthorizedNoReplay: a body that cannot be replayed is not retried.
func TestUnauthorizedNoReplay(t *testing.T) {
	e := newEnv(t, "file")
	e.login(t, nil)
	s := e.open(t)
	e.provider.ExpireAccessTokens()
	req, _ := http.NewRequest(http.MethodPost, s.BaseURL()+"/rest/api/2/search", struct{ *bytes.Reader }{bytes.NewReader([]byte(`{}`))})
	resp, err := s.HTTPClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 || e.provider.Refreshes() != 0 {
		t.Fatalf("status %d refreshes %d, want 401 and no refresh", resp.StatusCode, e.provider.Refreshes())
	}
}

func TestRevokedLogin(t *testing.T) {
	e := newEnv(t, "file")
	e.login(t, nil)
	s := e.open(t)
	e.provider.RevokeAll()
	e.clock.Advance(2 * time.Hour)
	_, err := s.HTTPClient().Get(s.BaseURL() + "/rest/api/2/myself")
	assertLoginRequired(t, err)
	var te *TokenError
	if !errors.As(err, &te) || te.Code != "invalid_grant" {
		t.Fatalf("err = %v, want to carry invalid_grant", err)
	}
	assertNoCanary(t, "error", err.Error())
	assertNoCanary(t, "logs", e.logs.String())
}

func TestHostRefused(t *testing.T) {
	e := newEnv(t, "file")
	e.login(t, nil)
	s := e.open(t)
	other := newEnv(t, "file")
	base, _ := url.Parse(e.srv.URL)
	for _, u := range []string{
		other.srv.URL + "/rest/api/2/myself",                // another port
		"https://" + base.Host + "/rest/api/2/myself",       // another scheme
		"http://localhost:" + base.Port() + "/rest/api/2/x", // another host name
	} {
		_, err := s.HTTPClient().Get(u)
		if !errors.Is(err, ErrHostNotAllowed) {
			t.Errorf("GET %s: %v, want ErrHostNotAllowed", u, err)
		}
	}
	for _, r := range other.srv.Requests() {
		t.Errorf("other server got %s %s with Authorization %v", r.Method, r.Path, r.Header.Get("Authorization") != "")
	}
	if _, err := Open(context.Background(), Settings{URL: "http://jira.example.com", ClientID: "c"}); err == nil {
		t.Error("Open accepted plain http to a remote host")
	}
}

func TestContextPathOrigin(t *testing.T) {
	base, _ := url.Parse("https://example.com/jira")
	for u, ok := range map[string]bool{
		"https://example.com/jira/rest/api/2/myself": true,
		"https://example.com/jira":                   true,
		"https://example.com/jiraX/rest":             false,
		"https://example.com/rest/api/2/myself":      false,
	} {
		p, _ := url.Parse(u)
		if got := checkOrigin(base, p) == nil; got != ok {
			t.Errorf("%s allowed = %v, want %v", u, got, ok)
		}
	}
}

func TestStatusAndLogout(t *testing.T) {
	e := newEnv(t, "file")
	e.login(t, nil)
	st, err := ReadStatus(context.Background(), e.settings, e.opts...)
	if err != nil || !st.LoggedIn || st.User != "alice" || st.Expiry.IsZero() {
		t.Fatalf("status = %+v, %v", st, err)
	}
	assertNoCanary(t, "status", statusJSON(t, st))
	existed, err := Logout(context.Background(), e.settings, e.opts...)
	if err != nil || !existed {
		t.Fatalf("logout: %v %v", existed, err)
	}
	st, err = ReadStatus(context.Background(), e.settings, e.opts...)
	if err != nil || st.LoggedIn {
		t.Fatalf("status after logout = %+v, %v", st, err)
	}
	if existed, err := Logout(context.Background(), e.settings, e.opts...); err != nil || existed {
		t.Fatalf("second logout: %v %v", existed, err)
	}
}

func BenchmarkTokenCachedSerial(b *testing.B) {
	r := &refresher{now: time.Now}
	rec := &record{AccessToken: "x", Expiry: time.Now().Add(time.Hour)}
	r.cached.Store(&cachedToken{rec: rec, tok: rec.token()})
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.token(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkTokenCached(b *testing.B) {
	r := &refresher{now: time.Now}
	rec := &record{AccessToken: "x", Expiry: time.Now().Add(time.Hour)}
	r.cached.Store(&cachedToken{rec: rec, tok: rec.token()})
	ctx := context.Background()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := r.token(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
}
