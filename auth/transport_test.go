package auth

import (
	"io"
	"net/http"
	"strings"
	"testing"
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
