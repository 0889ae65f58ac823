package auth

import (
	"io"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/jira-mcp/jira-mcp/tools/jira/emulator"
)

// echoSecrets stands in front of Jira as a proxy that quotes what it got:
// for the paths it knows it answers an error whose body and headers carry
// the request's bearer token bare (no label a pattern could find), and
// the login's refresh token and client secret.
func echoSecrets(t *testing.T, e *env, status int, contentType string) func(next http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !strings.HasPrefix(r.URL.Path, "/rest/api/2/issue/") {
				next.ServeHTTP(w, r)
				return
			}
			tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
			rec := e.stored(t)
			w.Header().Set("WWW-Authenticate", `Bearer realm="jira", token="`+tok+`"`)
			w.Header().Set("Location", "https://sso.example.com/login?t="+tok)
			w.Header().Set("Content-Type", contentType)
			w.WriteHeader(status)
			io.WriteString(w, `{"errorMessages":["token `+tok+` refused; refresh `+rec.RefreshToken+`; client `+canarySecret+`"]}`)
		})
	}
}

// TestErrorAnswersScrubbed: the transport, which holds the token, takes
// the exact token, refresh token and client secret out of any error answer
// it hands on, body and headers alike, whatever their wording.
func TestErrorAnswersScrubbed(t *testing.T) {
	for _, c := range []struct {
		status int
		ct     string
	}{{403, "application/json"}, {500, "text/html"}, {302, "text/html"}, {400, "application/json"}} {
		t.Run(http.StatusText(c.status), func(t *testing.T) {
			e := newEnv(t, "file")
			e.front(t, echoSecrets(t, e, c.status, c.ct))
			e.login(t, nil)
			s := e.open(t)
			req, _ := http.NewRequest("GET", s.BaseURL()+"/rest/api/2/issue/WEB-1", nil)
			resp, err := s.HTTPClient().Transport.RoundTrip(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != c.status {
				t.Fatalf("status %d", resp.StatusCode)
			}
			assertNoCanary(t, "body", string(body))
			for k, vs := range resp.Header {
				assertNoCanary(t, k, strings.Join(vs, " "))
			}
			if !strings.Contains(string(body), "[redacted]") {
				t.Errorf("body %q, want the secrets replaced", body)
			}
			if resp.ContentLength != int64(len(body)) {
				t.Errorf("Content-Length %d for %d bytes", resp.ContentLength, len(body))
			}
		})
	}
}

// anonymousOnce answers the first POST to path as Jira's login filter does
// for a refused token on a resource anonymous users may change: 201, with
// X-Seraph-LoginReason AUTHENTICATED_FAILED, as if the comment was made.
// Later requests pass to Jira. posts counts the POSTs that reached it.
func anonymousOnce(path string, posts *atomic.Int32) func(next http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method != "POST" || r.URL.Path != path {
				next.ServeHTTP(w, r)
				return
			}
			if posts.Add(1) == 1 {
				w.Header().Set("X-Seraph-LoginReason", "AUTHENTICATED_FAILED")
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusCreated)
				io.WriteString(w, `{"id":"99999","body":"Deployed."}`)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// TestWriteNeverReplayedAfterSuccess: a write answered 2xx, even as an
// anonymous user, may have been made: the transport hands the answer on
// and never sends the write again (it did, and two comments were made).
func TestWriteNeverReplayedAfterSuccess(t *testing.T) {
	const path = "/rest/api/2/issue/WEB-3/comment"
	var posts atomic.Int32
	e := newEnv(t, "file")
	e.front(t, anonymousOnce(path, &posts))
	e.login(t, nil)
	s := e.open(t)
	resp, err := s.HTTPClient().Post(s.BaseURL()+path, "application/json", strings.NewReader(`{"body":"Deployed."}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated || resp.Header.Get("X-Seraph-LoginReason") == "" {
		t.Errorf("answer %d %v, want the anonymous 201 handed on", resp.StatusCode, resp.Header)
	}
	if n := posts.Load(); n != 1 {
		t.Errorf("the write was sent %d times, want once", n)
	}
}

// TestWriteReplayedAfter401: a 401 means Jira did nothing, so a write is
// refreshed and sent again, once.
func TestWriteReplayedAfter401(t *testing.T) {
	const path = "/rest/api/2/issue/WEB-3/comment"
	e := newEnv(t, "file")
	e.login(t, nil)
	s := e.open(t)
	if _, err := token(s); err != nil {
		t.Fatal(err)
	}
	e.provider.ExpireAccessTokens()
	e.srv.ResetRequests()
	resp, err := s.HTTPClient().Post(s.BaseURL()+path, "application/json", strings.NewReader(`{"body":"Deployed."}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var got []int
	for _, r := range e.srv.Requests() {
		if r.Path == path {
			got = append(got, r.Status)
		}
	}
	if resp.StatusCode != http.StatusCreated || !slices.Equal(got, []int{401, 201}) {
		t.Errorf("answer %d, Jira answered %v; want [401 201]", resp.StatusCode, got)
	}
}

// A read served as anonymous is refreshed and read again: reading twice
// changes nothing.
func TestReadReplayedAfterAnonymousAnswer(t *testing.T) {
	e := newEnvTLS(t, "file", "http", emulator.WithAnonymousFallback())
	e.login(t, nil)
	s := e.open(t)
	if _, err := token(s); err != nil {
		t.Fatal(err)
	}
	e.provider.ExpireAccessTokens()
	resp, err := s.HTTPClient().Post(s.BaseURL()+"/rest/api/2/search", "application/json", strings.NewReader(`{"jql":"project = WEB","maxResults":1}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("X-Seraph-LoginReason") != "" || e.provider.Refreshes() != 1 {
		t.Errorf("answer %d %v after %d refreshes, want the user's own answer after 1", resp.StatusCode, resp.Header, e.provider.Refreshes())
	}
}
