package tools

import (
	"context"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/jira-mcp/jira-mcp/tools/jira"
	"github.com/jira-mcp/jira-mcp/tools/jira/emulator"
)

var (
	readOp   = op{what: "read WEB-1", key: "WEB-1"}
	searchOp = op{what: "search"}
	writeOp  = op{what: "comment on WEB-1", key: "WEB-1", write: true}
)

func TestAPIMessage(t *testing.T) {
	cases := []struct {
		name string
		o    op
		err  *jira.APIError
		kind string
		want []string
		lack []string
	}{
		{"400 JQL", searchOp, &jira.APIError{Status: 400, Messages: []string{"Field 'foo' does not exist or you do not have permission to view it."}},
			KindBadRequest, []string{"Jira rejected the JQL: Field 'foo' does not exist", "Fix the query and search again."}, nil},
		{"400 write", writeOp, &jira.APIError{Status: 400, Errors: map[string]string{"comment": "Comment body can not be empty!"}},
			KindBadRequest, []string{"Jira rejected the request to comment on WEB-1: comment: Comment body can not be empty!"}, []string{"may or may not"}},
		{"401", readOp, &jira.APIError{Status: 401, Messages: []string{"You are not authenticated."}},
			KindLoginRequired, []string{"Jira did not accept the login (401)", "jira-mcp auth login", "do not try to obtain or handle tokens"}, nil},
		{"403", writeOp, &jira.APIError{Status: 403, Messages: []string{"You do not have the permission to comment."}},
			KindForbidden, []string{"Permission denied: Jira refused to comment on WEB-1 (403): You do not have the permission to comment.", "do not retry, tell the user"}, nil},
		{"403 no detail", readOp, &jira.APIError{Status: 403},
			KindForbidden, []string{"refused to read WEB-1 (403). The user lacks"}, nil},
		{"404 issue", readOp, &jira.APIError{Status: 404, Messages: []string{"Issue Does Not Exist"}},
			KindNotFound, []string{"Issue WEB-1 does not exist or you do not have permission to see it.", "jira_search"}, nil},
		{"404 other", searchOp, &jira.APIError{Status: 404, Body: "no such endpoint"},
			KindNotFound, []string{"Jira answered 404 to search: no such endpoint."}, nil},
		{"429 with Retry-After", searchOp, &jira.APIError{Status: 429, RetryAfter: 7 * time.Second},
			KindRateLimited, []string{"Jira is rate limiting requests (429): wait 7 seconds before the next call."}, []string{"Nothing was changed"}},
		{"429 after retries", searchOp, &jira.APIError{Status: 429, RetryAfter: 30 * time.Second, Retries: 2},
			KindRateLimited, []string{"(429, after 2 retries): wait 30 seconds"}, nil},
		{"503 after a retry", readOp, &jira.APIError{Status: 503, Retries: 1},
			KindJira, []string{"Jira failed with 503, after 1 retry while trying to read WEB-1."}, nil},
		{"429 rounds", searchOp, &jira.APIError{Status: 429, RetryAfter: 1500 * time.Millisecond},
			KindRateLimited, []string{"wait 2 seconds"}, nil},
		{"429 without Retry-After", writeOp, &jira.APIError{Status: 429},
			KindRateLimited, []string{"wait a minute", "Nothing was changed."}, nil},
		{"500 deep paging", searchOp, &jira.APIError{Status: 500, Messages: []string{"The requested result window is too large."}},
			KindJira, []string{"Jira failed (500) paging this deep", "Narrow the JQL"}, nil},
		{"500 read", readOp, &jira.APIError{Status: 500, Messages: []string{"NullPointerException"}},
			KindJira, []string{"Jira failed with 500 while trying to read WEB-1: NullPointerException.", "Try again shortly."}, []string{"may or may not"}},
		{"500 write", writeOp, &jira.APIError{Status: 500},
			KindJira, []string{"Jira failed with 500 while trying to comment on WEB-1.", "may or may not have been made: check with jira_get_issue before retrying."}, nil},
		{"503 with Retry-After", writeOp, &jira.APIError{Status: 503, RetryAfter: 30 * time.Second},
			KindJira, []string{"Jira failed with 503", "It asks to wait 30 seconds.", "may or may not have been made"}, nil},
		{"409", readOp, &jira.APIError{Status: 409, Messages: []string{"conflict"}},
			KindJira, []string{"Jira answered 409 to read WEB-1: conflict."}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// Through the client's error chain, as the handlers see it.
			res, err := failure(c.o, fmt.Errorf("wrapped: %w", c.err))
			if err != nil || res == nil || !res.IsError {
				t.Fatalf("failure = %v, %v; want an error result", res, err)
			}
			if k := ErrorKind(res); k != c.kind {
				t.Errorf("kind %q, want %q", k, c.kind)
			}
			msg := Text(res)
			for _, w := range c.want {
				if !strings.Contains(msg, w) {
					t.Errorf("%q lacks %q", msg, w)
				}
			}
			for _, l := range c.lack {
				if strings.Contains(msg, l) {
					t.Errorf("%q has %q", msg, l)
				}
			}
		})
	}
}

type loginErr struct{}

func (loginErr) Error() string       { return "not logged in" }
func (loginErr) LoginRequired() bool { return true }

// advisingErr is a login error whose text names the fix, as auth's are.
type advisingErr struct{}

func (advisingErr) Error() string {
	return "login no longer valid (refresh token refused): run `jira-mcp auth login`"
}
func (advisingErr) LoginRequired() bool { return true }
func (advisingErr) AsksToLogIn() bool   { return true }

// namingErr names the command in its text but does not say it asks to log in.
type namingErr struct{}

func (namingErr) Error() string       { return "custom wording: jira-mcp auth login" }
func (namingErr) LoginRequired() bool { return true }

type timeoutErr struct{}

func (timeoutErr) Error() string   { return "i/o timeout" }
func (timeoutErr) Timeout() bool   { return true }
func (timeoutErr) Temporary() bool { return true }

func TestFailure(t *testing.T) {
	search := "https://jira.example.com/rest/api/2/search?jql=project+%3D+SECRETPROJECT"
	cases := []struct {
		name string
		o    op
		err  error
		kind string // "" for a Go error
		want []string
		lack []string
	}{
		{"input", op{}, &jira.InputError{Msg: `"x" is not an issue key`}, KindInvalidInput, []string{`"x" is not an issue key`}, nil},
		{"login through url.Error", searchOp, &url.Error{Op: "Post", URL: search, Err: fmt.Errorf("refresh: %w", loginErr{})},
			KindLoginRequired, []string{"Not logged in to Jira", "jira-mcp auth login"}, []string{"SECRETPROJECT"}},
		{"login advice kept", searchOp, &url.Error{Op: "Post", URL: search, Err: advisingErr{}},
			KindLoginRequired, []string{"Login no longer valid (refresh token refused): run `jira-mcp auth login`. Do not try to obtain"}, []string{"SECRETPROJECT", "Not logged in to Jira"}},
		// The text is never parsed: naming the command is not enough to be shown.
		{"login text not parsed", searchOp, fmt.Errorf("x: %w", namingErr{}),
			KindLoginRequired, []string{"Not logged in to Jira: ask the user to run `jira-mcp auth login`"}, []string{"custom wording"}},
		{"cancelled read", readOp, fmt.Errorf("x: %w", context.Canceled), KindUnreachable, []string{"Cancelled before Jira answered. Try again shortly."}, nil},
		{"cancelled write", writeOp, &url.Error{Op: "Post", URL: search, Err: context.Canceled}, KindUnreachable,
			[]string{"Cancelled before Jira answered.", "may or may not have been made"}, nil},
		{"deadline", readOp, &url.Error{Op: "Get", URL: search, Err: context.DeadlineExceeded}, KindUnreachable,
			[]string{"Could not reach Jira to read WEB-1: timed out. Try again shortly."}, []string{"SECRETPROJECT"}},
		{"refused", searchOp, &url.Error{Op: "Post", URL: search, Err: &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connect: connection refused")}}, KindUnreachable,
			[]string{"Could not reach Jira to search: dial tcp: connect: connection refused."}, []string{"SECRETPROJECT", "jira.example.com"}},
		{"net error", writeOp, timeoutErr{}, KindUnreachable, []string{"Could not reach Jira to comment on WEB-1: i/o timeout.", "may or may not have been made"}, nil},
		{"write served anonymously", writeOp, &jira.AnswerError{Method: "POST", Status: 201, ContentType: "application/json", Anonymous: "AUTHENTICATED_FAILED"}, KindJira,
			[]string{"answered as an anonymous user (HTTP 201", "the change may have been made", "Check with jira_get_issue before retrying."}, []string{"could not be read", "jira-mcp auth login"}},
		{"bug", searchOp, errors.New("decode POST rest/api/2/search: unexpected end of JSON input"), "", []string{"search: decode POST"}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := failure(c.o, c.err)
			var msg string
			if c.kind == "" {
				if res != nil || err == nil {
					t.Fatalf("failure = %v, %v; want a Go error", res, err)
				}
				if !errors.Is(err, c.err) {
					t.Errorf("Go error %v does not wrap %v", err, c.err)
				}
				msg = err.Error()
			} else {
				if err != nil || res == nil || !res.IsError {
					t.Fatalf("failure = %v, %v; want an error result", res, err)
				}
				if k := ErrorKind(res); k != c.kind {
					t.Errorf("kind %q, want %q", k, c.kind)
				}
				msg = Text(res)
			}
			for _, w := range c.want {
				if !strings.Contains(msg, w) {
					t.Errorf("%q lacks %q", msg, w)
				}
			}
			for _, l := range c.lack {
				if strings.Contains(msg, l) {
					t.Errorf("%q has %q", msg, l)
				}
			}
		})
	}
}

// Whatever an error says, what reaches the agent (a result's text, or a Go
// error, which becomes a JSON-RPC error and a log line) never carries a
// credential: not even when a transport, a proxy's page or a bug puts one
// in the error's text.
func TestFailureNeverLeaksCredentials(t *testing.T) {
	const canary = "jmcpCANARY0123456789abcdefXYZ"
	basic := base64.StdEncoding.EncodeToString([]byte("alice:" + canary))
	jwt := "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSIsIng" + canary + "In0.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg"
	texts := []string{
		"proxy refused: Authorization: Bearer " + canary,
		"authorization: bearer " + canary,
		"request header Authorization=Basic " + basic,
		"Proxy-Authorization: Basic " + basic,
		`{"Authorization":"Bearer ` + canary + `"}`,
		"refresh failed: access_token=" + canary + "&token_type=bearer",
		`token answer {"access_token":"` + canary + `","refresh_token":"` + canary + `"}`,
		"refresh_token: " + canary,
		"client_secret=" + canary,
		"Bearer " + canary,
		"token " + jwt + " expired",
	}
	for i, text := range texts {
		errs := map[string]struct {
			o   op
			err error
		}{
			"transport": {searchOp, &url.Error{Op: "Post", URL: "https://jira.example.com/rest/api/2/search", Err: errors.New(text)}},
			"net":       {writeOp, &net.OpError{Op: "read", Net: "tcp", Err: errors.New(text)}},
			"bug":       {searchOp, fmt.Errorf("decode: %s", text)},
		}
		check := func(t *testing.T, got string) {
			t.Helper()
			if got == "" {
				t.Fatal("no message at all")
			}
			for _, secret := range []string{canary, basic, jwt} {
				if strings.Contains(got, secret) {
					t.Errorf("credential leaked: %q", got)
				}
			}
		}
		for name, c := range errs {
			t.Run(fmt.Sprintf("%d/%s", i, name), func(t *testing.T) {
				res, err := failure(c.o, c.err)
				var got string
				if err != nil {
					got = err.Error()
				}
				if res != nil {
					got += Text(res)
				}
				check(t, got)
			})
		}
		// A proxy's plain-text error page that echoes the request.
		t.Run(fmt.Sprintf("%d/proxy page", i), func(t *testing.T) {
			ts, e := newToolset(t)
			e.Fail("", "/rest/api/2/", http.StatusBadGateway, http.Header{"Content-Type": {"text/plain"}}, "Bad gateway. Request was: "+text, -1)
			for _, call := range []struct {
				tool string
				args map[string]any
			}{
				{Search, map[string]any{"jql": "project = WEB"}},
				{GetIssue, map[string]any{"issue_key": "WEB-1"}},
				{AddComment, map[string]any{"issue_key": "WEB-1", "body": "Deployed."}},
			} {
				res, err := ts.Call(context.Background(), call.tool, call.args)
				if err != nil {
					t.Fatal(err)
				}
				if !res.IsError || !strings.Contains(Text(res), "Bad gateway. Request was:") {
					t.Errorf("%s: %s", call.tool, Text(res))
				}
				check(t, Text(res))
			}
		})
	}
}

func TestErrorKind(t *testing.T) {
	noMeta := mcp.NewToolResultError("x")
	cases := []struct {
		name string
		r    *mcp.CallToolResult
		want string
	}{
		{"nil", nil, ""},
		{"success", mcp.NewToolResultText("ok"), ""},
		{"error without kind", noMeta, KindJira},
		{"error with kind", errorResult(KindNotFound, "x"), KindNotFound},
	}
	for _, c := range cases {
		if got := ErrorKind(c.r); got != c.want {
			t.Errorf("%s: ErrorKind = %q, want %q", c.name, got, c.want)
		}
	}
}

// The kinds of what the emulator answers, end to end through the client.
func TestFailureFromJira(t *testing.T) {
	cases := []struct {
		status int
		header http.Header
		kind   string
	}{
		{400, nil, KindBadRequest},
		{401, http.Header{"WWW-Authenticate": {"OAuth realm=\"jira\""}}, KindLoginRequired},
		{403, nil, KindForbidden},
		{404, nil, KindNotFound},
		{429, http.Header{"Retry-After": {"3"}}, KindRateLimited},
		{500, nil, KindJira},
		{503, nil, KindJira},
	}
	for _, c := range cases {
		t.Run(http.StatusText(c.status), func(t *testing.T) {
			ts, e := newToolset(t)
			e.Fail("GET", "/rest/api/2/issue/WEB-1", c.status, c.header, "", 1)
			res, err := ts.Call(context.Background(), GetIssue, map[string]any{"issue_key": "WEB-1", "comment_limit": 0})
			if err != nil || !res.IsError {
				t.Fatalf("%v %v", res, err)
			}
			if k := ErrorKind(res); k != c.kind {
				t.Errorf("kind %q, want %q: %s", k, c.kind, Text(res))
			}
			if n := requests(e, "GET", "/rest/api/2/issue/WEB-1"); n != 1 {
				t.Errorf("%d reads, want 1 (no retry)", n)
			}
		})
	}
}

// Stand-ins for auth's errors, known here by their methods only.
type (
	// passingErr is auth's *TemporaryError.
	passingErr struct{}
	// unexpectedErr is auth's *UnexpectedAnswerError.
	unexpectedErr struct{}
	// keyringErr is auth's *CredentialsError.
	keyringErr struct{}
	// refusedErr is auth's *RefusedError: Jira refused the token, the
	// refresh failed with err.
	refusedErr struct{ err error }
	// notSentErr is auth's *NotSentError.
	notSentErr struct{ err error }
)

func (passingErr) Error() string {
	return "Jira's token endpoint is not answering (HTTP 503); try again shortly"
}
func (passingErr) NotSent() bool   { return true }
func (passingErr) Temporary() bool { return true }
func (unexpectedErr) Error() string {
	return "Jira's token endpoint did not answer as Jira does (HTTP 200, text/html): a proxy or single sign-on page may stand in front of Jira. Try again; if it keeps happening, ask the user to check the Jira URL"
}
func (unexpectedErr) NotSent() bool             { return true }
func (keyringErr) Error() string                { return "could not get a Jira access token: keyring is locked" }
func (keyringErr) NotSent() bool                { return true }
func (keyringErr) CredentialsUnavailable() bool { return true }
func (e refusedErr) Error() string {
	return "Jira refused the access token and no new one could be had: " + e.err.Error()
}
func (refusedErr) NotSent() bool      { return false }
func (refusedErr) TokenRefused() bool { return true }
func (e refusedErr) Unwrap() error    { return e.err }
func (e notSentErr) Error() string    { return "request not sent to Jira: " + e.err.Error() }
func (notSentErr) NotSent() bool      { return true }
func (e notSentErr) Unwrap() error    { return e.err }

// Each message names the real cause and the step that fixes it: never
// "nothing was sent" for a request Jira got, never "log in again" for a
// proxy's page, never "try again shortly" for what will not heal.
func TestFailureAdvice(t *testing.T) {
	get := func(err error) error {
		return &url.Error{Op: "Get", URL: "https://jira.example.com/rest/api/2/myself", Err: err}
	}
	// What the client makes of a 401 whose refresh failed.
	refused := func(err error) error {
		return &jira.APIError{Method: "POST", Path: "rest/api/2/issue/WEB-1/comment", Status: 401, Cause: get(refusedErr{err})}
	}
	unknownCA := &x509.UnknownAuthorityError{}
	cases := []struct {
		name string
		o    op
		err  error
		kind string
		want []string
		lack []string
	}{
		{"token endpoint down", writeOp, get(passingErr{}), KindUnreachable,
			[]string{"not answering (HTTP 503); try again shortly.", "Nothing was sent to Jira"}, []string{"auth login", "may or may not"}},
		{"token endpoint not Jira", readOp, get(unexpectedErr{}), KindUnreachable,
			[]string{"proxy or single sign-on", "check the Jira URL", "Nothing was sent to Jira"}, []string{"auth login", "shortly"}},
		{"refused, then token endpoint down", writeOp, refused(passingErr{}), KindUnreachable,
			[]string{"Jira refused the access token", "try again shortly", "Nothing was changed"}, []string{"Nothing was sent", "auth login", "may or may not"}},
		{"refused, then not Jira", writeOp, refused(unexpectedErr{}), KindUnreachable,
			[]string{"proxy or single sign-on", "check the Jira URL", "Nothing was changed"}, []string{"Nothing was sent", "auth login", "shortly"}},
		{"refused, then keyring", writeOp, refused(keyringErr{}), KindCredentials,
			[]string{"keyring is locked", "Nothing was changed", "retrying will not help"}, []string{"Nothing was sent"}},
		{"refused, then cancelled", writeOp, refused(context.Canceled), KindUnreachable,
			[]string{"Cancelled", "Nothing was changed"}, []string{"Nothing was sent", "may or may not"}},
		{"unknown CA", readOp, get(&tlsVerifyErr{unknownCA}), KindUnreachable,
			[]string{"not trust", "SSL_CERT_FILE", "retrying will not help"}, []string{"shortly"}},
		{"unknown CA at the token endpoint", writeOp, get(notSentErr{&tlsVerifyErr{unknownCA}}), KindUnreachable,
			[]string{"SSL_CERT_FILE", "Nothing was sent to Jira"}, []string{"shortly", "may or may not"}},
		{"certificate for another host", readOp, get(&tlsVerifyErr{x509.HostnameError{Certificate: &x509.Certificate{}, Host: "jira.example.com"}}), KindUnreachable,
			[]string{"not valid for", "check the Jira URL"}, []string{"shortly", "SSL_CERT_FILE"}},
		{"redirect off the site", readOp, &url.Error{Op: "Get", URL: "https://sso.example.com/login?access_token=SECRETVALUE", Err: &jira.RedirectError{To: "https://sso.example.com", Site: "https://jira.example.com"}}, KindUnreachable,
			[]string{"https://sso.example.com", "Jira URL", "proxy", "retrying will not help"}, []string{"shortly", "SECRETVALUE"}},
		{"no such host", readOp, get(&net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Err: "no such host", Name: "jira.example.com", IsNotFound: true}}), KindUnreachable,
			[]string{"jira.example.com", "does not resolve", "Jira URL"}, []string{"shortly"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := failure(c.o, c.err)
			if err != nil || res == nil || !res.IsError {
				t.Fatalf("failure = %v, %v; want an error result", res, err)
			}
			if k := ErrorKind(res); k != c.kind {
				t.Errorf("kind %q, want %q", k, c.kind)
			}
			msg := Text(res)
			for _, w := range c.want {
				if !strings.Contains(msg, w) {
					t.Errorf("%q lacks %q", msg, w)
				}
			}
			for _, l := range c.lack {
				if strings.Contains(msg, l) {
					t.Errorf("%q has %q", msg, l)
				}
			}
		})
	}
}

// tlsVerifyErr stands for *tls.CertificateVerificationError, whose Err is
// what errors.As finds.
type tlsVerifyErr struct{ err error }

func (e *tlsVerifyErr) Error() string { return "tls: failed to verify certificate: " + e.err.Error() }
func (e *tlsVerifyErr) Unwrap() error { return e.err }

// End to end: a Jira whose certificate this machine does not trust.
func TestFailureUnknownCA(t *testing.T) {
	srv := emulator.NewTLSServer()
	t.Cleanup(srv.Close)
	c, err := jira.New(srv.URL, &http.Client{Transport: emulator.Bearer{Token: emulator.DefaultToken}})
	if err != nil {
		t.Fatal(err)
	}
	res, err := New(c).Call(context.Background(), GetIssue, map[string]any{"issue_key": "WEB-1"})
	if err != nil || !res.IsError || !strings.Contains(Text(res), "SSL_CERT_FILE") || strings.Contains(Text(res), "shortly") {
		t.Errorf("result %v %v", Text(res), err)
	}
}
