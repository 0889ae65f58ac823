package auth

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jira-mcp/jira-mcp/tools/jira/emulator"
)

// TestTokenEndpointNotJira: an answer to a refresh that is not Jira's
// OAuth answer (a page from a proxy or single sign-on service) says so
// and names the step, whatever its status: it is not a refused login (the
// next call worked, after the agent had been told to ask for one).
func TestTokenEndpointNotJira(t *testing.T) {
	cases := []struct {
		name   string
		status int
		ct     string
		body   string
	}{
		{"200 HTML", 200, "text/html", "<html><body>Sign in to Example SSO %RT%</body></html>"},
		{"400 HTML", 400, "text/html", "<html>%RT%</html>"},
		{"401 HTML", 401, "text/html", "<html>Authentication required</html>"},
		{"200 JSON without a token", 200, "application/json", `{"status":"ok"}`},
	}
	for _, c := range cases {
		for _, when := range []string{"expired", "refused"} {
			t.Run(c.name+"/"+when, func(t *testing.T) {
				e := newEnv(t, "file")
				e.login(t, nil)
				s := e.open(t)
				if _, err := token(s); err != nil {
					t.Fatal(err)
				}
				if when == "expired" {
					e.clock.Advance(time.Hour) // refreshed before sending
				} else {
					e.provider.ExpireAccessTokens() // sent, refused with 401, then refreshed
				}
				body := strings.ReplaceAll(c.body, "%RT%", e.stored(t).RefreshToken)
				e.srv.Fail(http.MethodPost, emulator.OAuthTokenPath, c.status, http.Header{"Content-Type": {c.ct}}, body, 1)

				_, err := s.HTTPClient().Get(s.BaseURL() + "/rest/api/2/myself")
				if err == nil {
					t.Fatal("no error")
				}
				got := kindsOf(err)
				if got.Login || got.Credentials || got.NotSent != (when == "expired") {
					t.Errorf("err = %v: kinds %+v", err, got)
				}
				if _, ok := errors.AsType[*UnexpectedAnswerError](err); !ok {
					t.Errorf("err = %v (%T), want an *UnexpectedAnswerError inside", err, err)
				}
				msg := err.Error()
				for _, w := range []string{"proxy or single sign-on", "check the Jira URL"} {
					if !strings.Contains(msg, w) {
						t.Errorf("error %q lacks %q", msg, w)
					}
				}
				if strings.Contains(msg, "auth login") {
					t.Errorf("error %q asks for a new login", msg)
				}
				assertNoCanary(t, "error", msg)
				if status, err := get(t, s, "/rest/api/2/myself"); status != 200 {
					t.Fatalf("next call: %d %v", status, err)
				}
			})
		}
	}
}
