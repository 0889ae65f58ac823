package jira

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/jira-mcp/jira-mcp/tools/jira/emulator"
)

// newTestClient returns a client of an emulator served in process: no
// socket at all, and a loopback base URL so that plain http is allowed.
func newTestClient(t *testing.T, opts ...emulator.Option) (*Client, *emulator.Emulator) {
	t.Helper()
	e := emulator.New(append([]emulator.Option{emulator.WithBaseURL("http://127.0.0.1")}, opts...)...)
	hc := e.Client()
	hc.Transport = emulator.Bearer{Token: emulator.DefaultToken, Next: hc.Transport}
	c, err := New(e.BaseURL(), hc)
	if err != nil {
		t.Fatal(err)
	}
	return c, e
}

func TestNewKeepsContextPath(t *testing.T) {
	var (
		mu    sync.Mutex
		paths []string
	)
	e := emulator.New()
	mux := http.NewServeMux()
	mux.Handle("/jira/", http.StripPrefix("/jira", e))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		paths = append(paths, r.URL.Path)
		mu.Unlock()
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	hc := srv.Client()
	hc.Transport = emulator.Bearer{Token: emulator.DefaultToken, Next: hc.Transport}
	c, err := New(srv.URL+"/jira/", hc)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.BaseURL(), srv.URL+"/jira"; got != want {
		t.Errorf("BaseURL %q, want %q", got, want)
	}
	if got, want := c.BrowseURL("WEB-2"), srv.URL+"/jira/browse/WEB-2"; got != want {
		t.Errorf("BrowseURL %q, want %q", got, want)
	}
	me, err := myself(c)
	if err != nil {
		t.Fatal(err)
	}
	if me.Name != "alice" {
		t.Errorf("myself %+v", me)
	}
	mu.Lock()
	defer mu.Unlock()
	if !slices.Equal(paths, []string{"/jira/rest/api/2/myself"}) {
		t.Errorf("server saw %q, want [/jira/rest/api/2/myself]", paths)
	}
}

func TestKeys(t *testing.T) {
	cases := []struct {
		in, want string // want "" when refused
	}{
		{"WEB-1", "WEB-1"},
		{"web-12", "WEB-12"},
		{" Web-7\t", "WEB-7"},
		{"A_B2-3", "A_B2-3"},
		{"10042", "10042"}, // numeric issue id
		{"PROJ-1234567", "PROJ-1234567"},

		{"../x", ""},
		{"../myself", ""},
		{"PROJ-1/../", ""},
		{"PROJ-1/comment", ""},
		{"PROJ-1?fields=*all", ""},
		{"PROJ-1#x", ""},
		{"PROJ-1%2F..", ""},
		{"A-0", ""},
		{"PROJ-01", ""},
		{"PROJ-", ""},
		{"-1", ""},
		{"1PROJ-1", ""},
		{"_A-1", ""},
		{"PROJ 1", ""},
		{"PROJ-1 ", "PROJ-1"}, // NormalizeKey trims; validKey alone refuses, checked below
		{"PROJ-1\nX", ""},
		{"+1", ""},
		{"-5", ""},
		{"1234567890123456789", ""}, // 19 digits: not an id
		{"ПРОЕКТ-1", ""},
		// Unicode case mapping folds these into ASCII: hoſd-1 would become
		// HOSD-1 and ı would become I. Keys are ASCII only.
		{"hoſd-1", ""},
		{"ıssue-1", ""},
		{"PROJ-１", ""},    // a full-width digit
		{"K\u212a-1", ""}, // KELVIN SIGN lowers to k
		{strings.Repeat("A", 253) + "-1", strings.Repeat("A", 253) + "-1"}, // 255 bytes
		{strings.Repeat("A", 254) + "-1", ""},                              // 256 bytes
	}
	for _, empty := range []string{"", "  \t"} {
		if _, err := NormalizeKey(empty); err == nil || !strings.Contains(err.Error(), "issue_key is required") {
			t.Errorf("NormalizeKey(%q): %v, want issue_key is required", empty, err)
		}
	}
	for _, c := range cases {
		t.Run(c.in[:min(len(c.in), 20)], func(t *testing.T) {
			got, err := NormalizeKey(c.in)
			if c.want == "" {
				if err == nil {
					t.Fatalf("NormalizeKey(%q) = %q, want an error", c.in, got)
				}
				var ie *InputError
				if !errors.As(err, &ie) || !strings.Contains(ie.Msg, "is not an issue key") {
					t.Errorf("error %v (%T), want an *InputError naming the key format", err, err)
				}
				if validKey(c.in) || validKey(asciiUpper(c.in)) {
					t.Errorf("validKey(%q) = true", c.in)
				}
				return
			}
			if err != nil || got != c.want {
				t.Fatalf("NormalizeKey(%q) = %q, %v; want %q", c.in, got, err, c.want)
			}
			if !validKey(got) {
				t.Errorf("validKey(%q) = false", got)
			}
			if c.in != c.want && validKey(c.in) {
				t.Errorf("validKey(%q) = true for an unnormalized key", c.in)
			}
		})
	}
}

// A key far too long is refused before any request, and the error quotes
// only its start: the agent must not get a megabyte back.
func TestKeyTooLongQuotedShort(t *testing.T) {
	huge := "WEB-" + strings.Repeat("9", 1<<20)
	_, err := NormalizeKey(huge)
	var ie *InputError
	if !errors.As(err, &ie) {
		t.Fatalf("error %v, want an *InputError", err)
	}
	if len(ie.Msg) > 300 || !strings.Contains(ie.Msg, "255") {
		t.Errorf("message of %d bytes, want a short one naming the 255 limit: %.200q", len(ie.Msg), ie.Msg)
	}
	// A short wrong key is quoted whole, non-ASCII escaped as Go does.
	if _, err := NormalizeKey("hoſd-1"); err == nil || !strings.Contains(err.Error(), `"hoſd-1"`) {
		t.Errorf("error %v, want it to quote the key", err)
	}
}

// apiErrorFrom makes Jira (the emulator) answer one GET myself with the
// given status, headers and body, and returns the client's error.
func apiErrorFrom(t *testing.T, status int, header http.Header, body string) *APIError {
	t.Helper()
	c, e := newTestClient(t)
	e.Fail("GET", "/rest/api/2/myself", status, header, body, 1)
	_, err := myself(c)
	var ae *APIError
	if !errors.As(err, &ae) {
		t.Fatalf("error %v (%T), want *APIError", err, err)
	}
	return ae
}

func TestAPIError(t *testing.T) {
	// Cut at 200 bytes, in the middle of the first "é".
	long := strings.Repeat("x", 199) + "ééé and more"
	cases := []struct {
		name     string
		status   int
		header   http.Header
		body     string
		messages []string
		errs     map[string]string
		excerpt  string
		detail   string
		text     string
	}{
		{
			name: "Jira's error collection", status: 400,
			body:     `{"errorMessages":["Field 'foo' does not exist or you do not have permission to view it.","second"],"errors":{"summary":"You must specify a summary of the issue.","assignee":"User 'zed' does not exist."}}`,
			messages: []string{"Field 'foo' does not exist or you do not have permission to view it.", "second"},
			errs:     map[string]string{"summary": "You must specify a summary of the issue.", "assignee": "User 'zed' does not exist."},
			detail:   "Field 'foo' does not exist or you do not have permission to view it.; second; assignee: User 'zed' does not exist.; summary: You must specify a summary of the issue.",
			text:     "jira GET rest/api/2/myself: 400 Bad Request: Field 'foo' does not exist",
		},
		{
			name: "field errors only", status: 400,
			body:   `{"errorMessages":[],"errors":{"resolution":"Resolution is required."}}`,
			errs:   map[string]string{"resolution": "Resolution is required."},
			detail: "resolution: Resolution is required.",
		},
		{
			name: "message form", status: 500,
			body:     `{"message":"Internal server error","status-code":500}`,
			messages: []string{"Internal server error"},
			detail:   "Internal server error",
			text:     "jira GET rest/api/2/myself: 500 Internal Server Error: Internal server error",
		},
		{
			name: "emulator default body", status: 503, body: "",
			messages: []string{"Service Unavailable"},
			detail:   "Service Unavailable",
		},
		{
			name: "plain text", status: 502, header: http.Header{"Content-Type": {"text/plain"}},
			body:    "upstream connect error\n  or disconnect/reset before headers",
			excerpt: "upstream connect error or disconnect/reset before headers",
			detail:  "upstream connect error or disconnect/reset before headers",
		},
		{
			name: "HTML page", status: 502, header: http.Header{"Content-Type": {"text/html"}},
			body: "\n  <html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>",
			text: "jira GET rest/api/2/myself: 502 Bad Gateway",
		},
		{
			name: "long text", status: 500, header: http.Header{"Content-Type": {"text/plain"}},
			body:    long,
			excerpt: strings.Repeat("x", 199) + "…",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ae := apiErrorFrom(t, c.status, c.header, c.body)
			if ae.Status != c.status || ae.Method != "GET" || ae.Path != "rest/api/2/myself" {
				t.Errorf("status %d method %s path %s", ae.Status, ae.Method, ae.Path)
			}
			if !slices.Equal(ae.Messages, c.messages) {
				t.Errorf("messages %q, want %q", ae.Messages, c.messages)
			}
			if len(ae.Errors) != len(c.errs) {
				t.Errorf("errors %q, want %q", ae.Errors, c.errs)
			}
			for k, v := range c.errs {
				if ae.Errors[k] != v {
					t.Errorf("errors[%s] = %q, want %q", k, ae.Errors[k], v)
				}
			}
			if ae.Body != c.excerpt {
				t.Errorf("body excerpt %q, want %q", ae.Body, c.excerpt)
			}
			if !utf8.ValidString(ae.Body) {
				t.Errorf("body excerpt is not valid UTF-8: %q", ae.Body)
			}
			if c.detail != "" && ae.Detail() != c.detail {
				t.Errorf("detail %q, want %q", ae.Detail(), c.detail)
			}
			if c.text != "" && !strings.HasPrefix(ae.Error(), c.text) {
				t.Errorf("Error() %q, want prefix %q", ae.Error(), c.text)
			}
			if c.text != "" && c.detail == "" && c.excerpt == "" && ae.Error() != c.text {
				t.Errorf("Error() %q, want exactly %q", ae.Error(), c.text)
			}
		})
	}
}

// Jira's error texts may echo the request: a proxy or a plugin quoting its
// Authorization header, a filter quoting a token in a query. None of it
// reaches APIError's text, whatever field it came in.
func TestAPIErrorRedactsJirasTexts(t *testing.T) {
	const tok = "s3cr3t-T0KEN-0123456789"
	for name, c := range map[string]struct {
		status int
		body   string
	}{
		"message":       {403, `{"message":"Denied: Authorization: Bearer ` + tok + `"}`},
		"errorMessages": {400, `{"errorMessages":["bad request with access_token=` + tok + `"]}`},
		"errors":        {500, `{"errorMessages":[],"errors":{"Authorization":"Bearer ` + tok + `","refresh_token":"refresh_token=` + tok + `"}}`},
		"401":           {401, `{"errorMessages":["token rejected: Bearer ` + tok + `"]}`},
	} {
		t.Run(name, func(t *testing.T) {
			ae := apiErrorFrom(t, c.status, nil, c.body)
			all := ae.Error() + ae.Detail() + strings.Join(ae.Messages, " ") + fmt.Sprint(ae.Errors)
			if strings.Contains(all, tok) {
				t.Errorf("the token reached the error: %s", all)
			}
			if !strings.Contains(ae.Detail(), "[redacted]") {
				t.Errorf("detail %q, want the credential marked redacted", ae.Detail())
			}
		})
	}
}

// A real Jira answer, not an injected one: the emulator's 404.
func TestAPIErrorFromJira(t *testing.T) {
	c, _ := newTestClient(t)
	_, err := c.GetIssue(context.Background(), "SEC-1", nil, nil)
	var ae *APIError
	if !errors.As(err, &ae) {
		t.Fatalf("error %v, want *APIError", err)
	}
	if ae.Status != 404 || !slices.Equal(ae.Messages, []string{"Issue Does Not Exist"}) || ae.Body != "" {
		t.Errorf("%+v", ae)
	}
	if ae.Error() != "jira GET rest/api/2/issue/SEC-1: 404 Not Found: Issue Does Not Exist" {
		t.Errorf("Error() %q", ae.Error())
	}
}

func TestRetryAfter(t *testing.T) {
	date := func(d time.Duration) string { return time.Now().Add(d).UTC().Format(http.TimeFormat) }
	cases := []struct {
		name     string
		status   int
		value    string
		min, max time.Duration
	}{
		{"seconds", 429, "7", 7 * time.Second, 7 * time.Second},
		{"seconds with spaces", 429, " 30 ", 30 * time.Second, 30 * time.Second},
		{"zero", 429, "0", 0, 0},
		{"HTTP date", 503, date(90 * time.Second), 88 * time.Second, 90 * time.Second},
		{"HTTP date in the past", 429, date(-time.Hour), 0, 0},
		{"negative", 429, "-5", 0, 0},
		{"garbage", 429, "soon", 0, 0},
		{"absent", 429, "", 0, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var h http.Header
			if c.value != "" {
				h = http.Header{"Retry-After": {c.value}}
			}
			ae := apiErrorFrom(t, c.status, h, "")
			if ae.RetryAfter < c.min || ae.RetryAfter > c.max {
				t.Errorf("RetryAfter %v, want between %v and %v", ae.RetryAfter, c.min, c.max)
			}
			if ae.RetryAfter%time.Second != 0 {
				t.Errorf("RetryAfter %v is not whole seconds", ae.RetryAfter)
			}
		})
	}
}

type loginErr struct{ required bool }

func (e loginErr) Error() string       { return fmt.Sprintf("login required=%v", e.required) }
func (e loginErr) LoginRequired() bool { return e.required }

// adviceErr is a login error whose text may or may not name the fix.
type adviceErr struct{ asks bool }

func (e adviceErr) Error() string       { return "relog: Authorization: Bearer SECRETTOKEN" }
func (e adviceErr) LoginRequired() bool { return true }
func (e adviceErr) AsksToLogIn() bool   { return e.asks }

func TestLoginAdvice(t *testing.T) {
	cases := []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"login required only", loginErr{true}, false},
		{"asks", adviceErr{true}, true},
		{"says no", adviceErr{false}, false},
		{"through url.Error", &url.Error{Op: "Post", URL: "https://jira.example.com/rest/api/2/search?jql=SECRET", Err: fmt.Errorf("token: %w", adviceErr{true})}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			advice, ok := LoginAdvice(c.err)
			if ok != c.want {
				t.Fatalf("LoginAdvice(%v) = %q, %v; want %v", c.err, advice, ok, c.want)
			}
			if !ok {
				return
			}
			// The advising error's own text, redacted, without its wrappers.
			if advice != "relog: Authorization: [redacted]" {
				t.Errorf("advice %q", advice)
			}
		})
	}
}

// The two places that read Jira's words to classify an answer.
func TestAPIErrorClassifiedByJirasWords(t *testing.T) {
	cases := []struct {
		err              *APIError
		permission, deep bool
	}{
		{&APIError{Status: 403}, true, false},
		{&APIError{Status: 400, Messages: []string{"You do not have the permission to comment on this issue."}}, true, false},
		{&APIError{Status: 400, Messages: []string{"Field 'x' does not exist or you do not have permission to view it."}}, false, false},
		{&APIError{Status: 400, Errors: map[string]string{"comment": "Comment body can not be empty!"}}, false, false},
		{&APIError{Status: 500, Messages: []string{"The requested result window is too large."}}, false, true},
		{&APIError{Status: 500, Messages: []string{"NullPointerException"}}, false, false},
		{&APIError{Status: 400, Messages: []string{"Result window too large"}}, false, false},
	}
	for _, c := range cases {
		if got := c.err.PermissionRefused(); got != c.permission {
			t.Errorf("%v: PermissionRefused = %v", c.err, got)
		}
		if got := c.err.PagedTooDeep(); got != c.deep {
			t.Errorf("%v: PagedTooDeep = %v", c.err, got)
		}
	}
}

type failingTransport struct{ err error }

func (f failingTransport) RoundTrip(*http.Request) (*http.Response, error) { return nil, f.err }

func TestLoginRequired(t *testing.T) {
	cases := []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"plain", errors.New("connection refused"), false},
		{"direct", loginErr{true}, true},
		{"says no", loginErr{false}, false},
		{"wrapped", fmt.Errorf("refresh: %w", loginErr{true}), true},
		{"through url.Error", &url.Error{Op: "Post", URL: "https://jira.example.com/rest/api/2/search", Err: fmt.Errorf("token: %w", loginErr{true})}, true},
		{"url.Error saying no", &url.Error{Op: "Get", URL: "https://jira.example.com", Err: loginErr{false}}, false},
		{"joined", errors.Join(errors.New("other"), loginErr{true}), true},
		{"APIError 401", &APIError{Status: 401}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := LoginRequired(c.err); got != c.want {
				t.Errorf("LoginRequired(%v) = %v, want %v", c.err, got, c.want)
			}
		})
	}

	// And through the client, as the auth transport fails with no login.
	c, err := New("https://jira.example.com", &http.Client{Transport: failingTransport{loginErr{true}}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Search(context.Background(), SearchRequest{JQL: "project = WEB", MaxResults: 1})
	var ue *url.Error
	if !errors.As(err, &ue) || !LoginRequired(err) {
		t.Errorf("search error %v (%T): want a *url.Error for which LoginRequired holds", err, err)
	}
}

func TestRedirects(t *testing.T) {
	// other is a second Jira on another loopback port: never to be reached.
	other := emulator.NewServer()
	t.Cleanup(other.Close)

	e := emulator.New()
	var hits atomic.Int32
	mux := http.NewServeMux()
	mux.Handle("/moved/", http.StripPrefix("/moved", e))
	mux.HandleFunc("/rest/api/2/myself", func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.Redirect(w, r, other.URL+r.URL.Path, http.StatusFound)
	})
	mux.HandleFunc("/rest/api/2/serverInfo", func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.Redirect(w, r, "/moved"+r.URL.Path, http.StatusMovedPermanently)
	})
	mux.HandleFunc("/rest/api/2/search", func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.Redirect(w, r, "/moved"+r.URL.Path, http.StatusTemporaryRedirect)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	var followed []string
	hc := srv.Client()
	hc.Transport = emulator.Bearer{Token: emulator.DefaultToken, Next: hc.Transport}
	hc.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		followed = append(followed, req.URL.Path)
		return nil
	}
	c, err := New(srv.URL, hc)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	t.Run("another host", func(t *testing.T) {
		_, err := myself(c)
		if err == nil || !strings.Contains(err.Error(), "refusing redirect to "+other.URL) {
			t.Fatalf("error %v, want a refused redirect", err)
		}
		if n := len(other.Requests()); n != 0 {
			t.Errorf("the other host got %d requests", n)
		}
		if hits.Load() != 1 {
			t.Errorf("%d requests to the base URL, want 1", hits.Load())
		}
	})
	t.Run("same host", func(t *testing.T) {
		var si struct{ Version, DeploymentType string }
		err := c.do(ctx, "GET", "rest/api/2/serverInfo", nil, nil, &si)
		if err != nil {
			t.Fatal(err)
		}
		if si.Version == "" || si.DeploymentType != "Server" {
			t.Errorf("server info %+v", si)
		}
	})
	t.Run("same host POST keeps its body", func(t *testing.T) {
		e.ResetRequests()
		res, err := c.Search(ctx, SearchRequest{JQL: "key = WEB-2", MaxResults: 1, Fields: []string{"summary"}})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Issues) != 1 || res.Issues[0].Key != "WEB-2" {
			t.Errorf("issues %+v", res.Issues)
		}
		if rs := e.Requests(); len(rs) != 1 || rs[0].Method != "POST" || !strings.Contains(string(rs[0].Body), `"key = WEB-2"`) {
			t.Errorf("Jira received %+v", rs)
		}
	})
	// The client's own CheckRedirect still runs for allowed redirects.
	if !slices.Equal(followed, []string{"/moved/rest/api/2/serverInfo", "/moved/rest/api/2/search"}) {
		t.Errorf("client's CheckRedirect saw %q", followed)
	}
}

// A redirect from https to http on the same host and port is a downgrade:
// refused too.
func TestRedirectDowngradeRefused(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.Redirect(w, r, "http://"+r.Host+r.URL.Path, http.StatusFound)
	}))
	t.Cleanup(srv.Close)
	c, err := New(srv.URL, srv.Client())
	if err != nil {
		t.Fatal(err)
	}
	_, err = myself(c)
	if err == nil || !strings.Contains(err.Error(), "refusing redirect to http://") {
		t.Errorf("error %v, want a refused redirect", err)
	}
	if n := hits.Load(); n != 1 {
		t.Errorf("the server got %d requests, want 1 (the redirect was followed)", n)
	}
}

func TestRequestHeaders(t *testing.T) {
	c, e := newTestClient(t)
	ctx := context.Background()
	if _, err := myself(c); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Comments(ctx, "WEB-2", 0, 2, true); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Search(ctx, SearchRequest{JQL: "project = WEB", MaxResults: 1}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.AddComment(ctx, "WEB-3", CommentInput{Body: "Deployed."}); err != nil {
		t.Fatal(err)
	}
	rs := e.Requests()
	if len(rs) != 4 {
		t.Fatalf("%d requests, want 4", len(rs))
	}
	for _, r := range rs {
		if got := r.Header.Get("Accept"); got != "application/json" {
			t.Errorf("%s %s: Accept %q", r.Method, r.Path, got)
		}
		switch r.Method {
		case "GET":
			if ct := r.Header.Values("Content-Type"); len(ct) != 0 {
				t.Errorf("GET %s carries Content-Type %q", r.Path, ct)
			}
			if len(r.Body) != 0 {
				t.Errorf("GET %s carries a body %q", r.Path, r.Body)
			}
		case "POST":
			if ct := r.Header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("POST %s: Content-Type %q", r.Path, ct)
			}
			if !json.Valid(r.Body) {
				t.Errorf("POST %s: body %q", r.Path, r.Body)
			}
		}
	}
	if rs[1].Path != "/rest/api/2/issue/WEB-2/comment" || rs[1].RawQuery != "expand=renderedBody&maxResults=2&orderBy=-created&startAt=0" {
		t.Errorf("comments request %s?%s", rs[1].Path, rs[1].RawQuery)
	}
}

func TestDoTransitionBody(t *testing.T) {
	cases := []struct {
		name string
		key  string
		req  TransitionRequest
		want string
	}{
		{"id only", "WEB-2", TransitionRequest{ID: "11"}, `{"transition":{"id":"11"}}`},
		{"empty fields map", "WEB-2", TransitionRequest{ID: "11", Fields: map[string]any{}}, `{"transition":{"id":"11"}}`},
		{"comment only", "WEB-2", TransitionRequest{ID: "11", Comment: &CommentInput{Body: "Starting."}},
			`{"transition":{"id":"11"},"update":{"comment":[{"add":{"body":"Starting."}}]}}`},
		{"fields only", "WEB-3", TransitionRequest{ID: "31", Fields: map[string]any{"resolution": map[string]any{"name": "Fixed"}}},
			`{"transition":{"id":"31"},"fields":{"resolution":{"name":"Fixed"}}}`},
		{"fields and restricted comment", "WEB-3", TransitionRequest{ID: "21",
			Fields:  map[string]any{"customfield_10005": map[string]any{"value": "Backend"}},
			Comment: &CommentInput{Body: "Ready.", Visibility: &Visibility{Type: "role", Value: "Developers"}}},
			`{"transition":{"id":"21"},"fields":{"customfield_10005":{"value":"Backend"}},"update":{"comment":[{"add":{"body":"Ready.","visibility":{"type":"role","value":"Developers"}}}]}}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cl, e := newTestClient(t)
			if err := cl.DoTransition(context.Background(), c.key, c.req); err != nil {
				t.Fatalf("Jira refused: %v", err)
			}
			rs := e.Requests()
			if len(rs) != 1 || rs[0].Method != "POST" || rs[0].Path != "/rest/api/2/issue/"+c.key+"/transitions" || rs[0].Status != 204 {
				t.Fatalf("requests %+v", rs)
			}
			var got, want any
			if err := json.Unmarshal(rs[0].Body, &got); err != nil {
				t.Fatal(err)
			}
			json.Unmarshal([]byte(c.want), &want)
			gb, _ := json.Marshal(got)
			wb, _ := json.Marshal(want)
			if !bytes.Equal(gb, wb) {
				t.Errorf("Jira received %s\nwant %s", gb, wb)
			}
			for _, empty := range []string{"{}", "[]", "null"} {
				if bytes.Contains(rs[0].Body, []byte(empty)) {
					t.Errorf("body carries %s: %s", empty, rs[0].Body)
				}
			}
		})
	}
}

// drainPool takes every buffer the pool holds that was used before.
func drainPool() []*bytes.Buffer {
	var out []*bytes.Buffer
	for range 256 {
		b := bufPool.Get().(*bytes.Buffer)
		if b.Cap() == 0 { // new: the pool was empty
			bufPool.Put(b)
			break
		}
		out = append(out, b)
	}
	return out
}

// scribblePool overwrites all of every pooled buffer, as the next answers
// read into them would, and returns how many there were.
func scribblePool() int {
	bufs := drainPool()
	for _, b := range bufs {
		all := b.AvailableBuffer()
		all = all[:cap(all)]
		for i := range all {
			all[i] = '#'
		}
		bufPool.Put(b)
	}
	return len(bufs)
}

func snapshot(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Answers are read into pooled buffers. A decoded value that pointed into
// one (a string or raw field made without a copy, as goccy/go-json does
// under DecodeNoCopyString) would change when the buffer is reused. Keep
// the first results, reuse the buffers with other answers, overwrite every
// pooled buffer outright, and check nothing moved.
func TestDecodedValuesOutliveReadBuffer(t *testing.T) {
	c, _ := newTestClient(t)
	ctx := context.Background()
	fields := []string{"summary", "status", "assignee", "priority", "labels", "description", "customfield_10001", "customfield_10002", "customfield_10003", "customfield_10005"}
	extra := []string{"customfield_10001", "customfield_10002", "customfield_10003", "customfield_10005"}

	type kept struct {
		name      string
		v         any
		extra     []map[string]json.RawMessage
		snap      string
		extraSnap string
	}
	effective := 0
	for round := range 8 {
		// Start from an empty pool: the calls below then share the
		// buffer(s) they put back, and nothing else is pooled.
		drainPool()
		// Each result is snapshot as soon as it is decoded, before the next
		// call reuses the buffer.
		var ks []kept
		keep := func(name string, v any, extra ...map[string]json.RawMessage) {
			ks = append(ks, kept{name: name, v: v, extra: extra, snap: snapshot(t, v), extraSnap: snapshot(t, extra)})
		}
		sr, err := c.Search(ctx, SearchRequest{JQL: "key in (WEB-2, WEB-4) ORDER BY key ASC", MaxResults: 2, Fields: fields}, extra...)
		if err != nil {
			t.Fatal(err)
		}
		if len(sr.Issues) != 2 || sr.Issues[0].Key != "WEB-2" || string(sr.Issues[0].Raw("customfield_10002")) != "5" ||
			!strings.Contains(string(sr.Issues[0].Raw("customfield_10001")), "name=Storefront Sprint 13") ||
			!strings.Contains(string(sr.Issues[1].Raw("customfield_10005")), `"Frontend"`) {
			t.Fatalf("unexpected search answer %+v", sr.Issues)
		}
		keep("search", sr, sr.Issues[0].Extra, sr.Issues[1].Extra)
		is, err := c.GetIssue(ctx, "WEB-2", fields, nil, extra...)
		if err != nil {
			t.Fatal(err)
		}
		keep("issue", is, is.Extra)
		trs, err := c.Transitions(ctx, "WEB-3")
		if err != nil {
			t.Fatal(err)
		}
		keep("transitions", trs)
		cp, err := c.Comments(ctx, "WEB-2", 0, 4, true)
		if err != nil {
			t.Fatal(err)
		}
		keep("comments", cp)

		// Other answers into the same buffers.
		for _, jql := range []string{"project = API ORDER BY key DESC", "project = MOB ORDER BY key ASC"} {
			if _, err := c.Search(ctx, SearchRequest{JQL: jql, MaxResults: 2, Fields: fields}, extra...); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := c.GetIssue(ctx, "API-2", fields, nil, extra...); err != nil {
			t.Fatal(err)
		}
		if _, err := c.Comments(ctx, "WEB-3", 0, 4, false); err != nil {
			t.Fatal(err)
		}
		if scribblePool() > 0 {
			effective++
		}
		for _, k := range ks {
			if got := snapshot(t, k.v); got != k.snap {
				t.Errorf("round %d: %s changed after its buffer was reused:\nwas %s\nnow %s", round, k.name, k.snap, got)
			}
			if got := snapshot(t, k.extra); got != k.extraSnap {
				t.Errorf("round %d: %s raw fields changed after their buffer was reused:\nwas %s\nnow %s", round, k.name, k.extraSnap, got)
			}
		}
	}
	// sync.Pool may drop buffers (always a few under -race); the check
	// only counts when some were still pooled.
	if effective == 0 {
		t.Fatal("no buffer was ever pooled: the test checked nothing")
	}
	t.Logf("%d of 8 rounds overwrote pooled buffers", effective)
}

func TestParseTime(t *testing.T) {
	cases := []struct {
		in   string
		want string // RFC 3339 with the offset kept; "" when refused
	}{
		{"2026-11-25T14:02:11.000+0000", "2026-11-25T14:02:11Z"},
		{"2026-11-25T14:02:11.123-0500", "2026-11-25T14:02:11.123-05:00"},
		{"2026-11-25T14:02:11.000+0530", "2026-11-25T14:02:11+05:30"},
		{"2026-11-25T14:02:11.000Z", "2026-11-25T14:02:11Z"},
		{"2026-11-25T14:02:11.000+01:00", "2026-11-25T14:02:11+01:00"},
		{"2026-11-25T14:02:11Z", "2026-11-25T14:02:11Z"},
		{"2026-11-25T14:02:11.123456789+02:00", "2026-11-25T14:02:11.123456789+02:00"},
		{"2026-11-25", "2026-11-25T00:00:00Z"},
		{"", ""},
		{"25/Nov/26 2:02 PM", ""},
		{"2026-11-25 14:02", ""},
		{"2026-13-01", ""},
		{"2026-11-25T14:02:11.000", ""},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			got, err := ParseTime(c.in)
			if c.want == "" {
				if err == nil {
					t.Errorf("ParseTime(%q) = %v, want an error", c.in, got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if s := got.Format(time.RFC3339Nano); s != c.want {
				t.Errorf("ParseTime(%q) = %s, want %s", c.in, s, c.want)
			}
		})
	}
}

func TestTimeJSON(t *testing.T) {
	var v struct {
		A, B, C, D Time
	}
	if err := json.Unmarshal([]byte(`{"A":"2026-11-25T14:02:11.000+0000","B":null,"C":"","D":"2026-11-25"}`), &v); err != nil {
		t.Fatal(err)
	}
	if !v.A.Equal(time.Date(2026, 11, 25, 14, 2, 11, 0, time.UTC)) || !v.B.IsZero() || !v.C.IsZero() || v.D.Format("2006-01-02") != "2026-11-25" {
		t.Errorf("decoded %+v", v)
	}
	for _, bad := range []string{`{"A":12}`, `{"A":"yesterday"}`, `{"A":{}}`} {
		if err := json.Unmarshal([]byte(bad), &v); err == nil {
			t.Errorf("%s decoded without error", bad)
		}
	}
	b, err := json.Marshal(struct{ A, Z Time }{A: Time{time.Date(2026, 11, 25, 14, 2, 11, 0, time.FixedZone("", 2*3600))}})
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != `{"A":"2026-11-25T14:02:11.000+0200","Z":null}` {
		t.Errorf("encoded %s", b)
	}
	// Round trip through Jira's own format, with the comments the
	// emulator dates that way.
	c, _ := newTestClient(t)
	cp, err := c.Comments(context.Background(), "WEB-2", 0, 10, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, cm := range cp.Comments {
		if cm.Created.IsZero() || cm.Created.After(time.Now()) || cm.Updated.Before(cm.Created.Time) {
			t.Errorf("comment %s created %v updated %v", cm.ID, cm.Created, cm.Updated)
		}
	}
}

func TestExcerpt(t *testing.T) {
	cases := []struct{ in, want string }{
		{"", ""},
		{"  \n ", ""},
		{"Service down\r\n\tretry later", "Service down retry later"},
		{"<!DOCTYPE html><html>...</html>", ""},
		{"  <html>", ""},
		{"bad \xff\xfe bytes", "bad bytes"},
		{strings.Repeat("a", 200), strings.Repeat("a", 200)},
		{strings.Repeat("a", 201), strings.Repeat("a", 200) + "…"},
		{strings.Repeat("a", 199) + "ü" + "tail", strings.Repeat("a", 199) + "…"},
	}
	for _, c := range cases {
		if got := excerpt([]byte(c.in)); got != c.want {
			t.Errorf("excerpt(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestRedact(t *testing.T) {
	cases := []struct{ in, want string }{
		{"Authorization: Bearer abc.def-ghi_jkl", "Authorization: [redacted]"},
		{"authorization=basic dXNlcjpwYXNzd29yZA==, next", "authorization=[redacted], next"},
		{`{"access_token":"t0k3n","expires_in":3600}`, `{"access_token":"[redacted]","expires_in":3600}`},
		{"grant_type=refresh_token&refresh_token=r3fr3sh&client_secret=s3cr3t", "grant_type=refresh_token&refresh_token=[redacted]&client_secret=[redacted]"},
		{"sent Bearer 0123456789abcdef to Jira", "sent Bearer [redacted] to Jira"},
		{"jwt eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLW9m", "jwt [redacted]"},
		// Ordinary error texts pass unchanged.
		{"dial tcp 127.0.0.1:443: connect: connection refused", ""},
		{"x509: certificate signed by unknown authority", ""},
		{"net/http: TLS handshake timeout", ""},
		{"Basic auth is disabled; use OAuth 2.0", ""},
		{"Bearer token rotation", ""},
		{"password authentication failed", ""},
	}
	for _, c := range cases {
		want := c.want
		if want == "" {
			want = c.in
		}
		if got := Redact(c.in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", c.in, got, want)
		}
	}
}

// A proxy's text page may echo the request's headers: the excerpt kept in
// APIError never repeats a credential.
func TestAPIErrorExcerptRedacted(t *testing.T) {
	ae := apiErrorFrom(t, 502, http.Header{"Content-Type": {"text/plain"}}, "Bad gateway\nGET /rest/api/2/myself\nAuthorization: Bearer "+emulator.DefaultToken+"\n")
	if strings.Contains(ae.Error(), emulator.DefaultToken) || !strings.Contains(ae.Body, "Authorization: [redacted]") {
		t.Errorf("excerpt %q", ae.Body)
	}
}

// Concurrent first uses read /field once; a caller whose context ends
// while another reads it gives up at once instead of queueing.
func TestFieldsReadOnceAndWaitsWithContext(t *testing.T) {
	emu := emulator.New()
	release := make(chan struct{})
	slow := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if strings.HasSuffix(r.URL.Path, "/field") {
			<-release
		}
		return emu.ClientAs(emulator.DefaultToken).Transport.RoundTrip(r)
	})
	c, err := New("https://jira.test.invalid", &http.Client{Transport: slow})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := 0; i < 5; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if f, err := c.Fields(context.Background(), false); err != nil || len(f) == 0 {
				t.Errorf("fields: %v", err)
			}
		}()
	}
	time.Sleep(20 * time.Millisecond) // let them queue behind the first read
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.Fields(ctx, false); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled caller: %v", err)
	}
	close(release)
	wg.Wait()
	n := 0
	for _, r := range emu.Requests() {
		if strings.HasSuffix(r.Path, "/field") {
			n++
		}
	}
	if n != 1 {
		t.Errorf("/field read %d times, want 1", n)
	}
}

// myself reads /myself, the simplest request, for tests about the
// transport rather than an endpoint.
func myself(c *Client) (*User, error) {
	var out User
	if err := c.do(context.Background(), "GET", "rest/api/2/myself", nil, nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// Over HTTPS (the emulator's self-signed TLS server, trusted by its own
// client) the client works as over loopback http.
func TestClientOverTLS(t *testing.T) {
	srv := emulator.NewTLSServer()
	t.Cleanup(srv.Close)
	if !strings.HasPrefix(srv.URL, "https://") {
		t.Fatalf("URL %s", srv.URL)
	}
	c, err := New(srv.URL, srv.ClientAs(emulator.DefaultToken))
	if err != nil {
		t.Fatal(err)
	}
	me, err := myself(c)
	if err != nil || me.Name != emulator.DefaultUser {
		t.Fatalf("myself: %+v %v", me, err)
	}
	// Without trusting the certificate, the request fails: TLS is real.
	plain, _ := New(srv.URL, &http.Client{Transport: emulator.Bearer{Token: emulator.DefaultToken}})
	if _, err := myself(plain); err == nil {
		t.Error("a self-signed certificate was accepted without being trusted")
	}
}

// New applies the site's base URL rule (tools/jira/site) and keeps
// redirects on the site, context path included.
func TestNewAppliesTheSiteRule(t *testing.T) {
	if _, err := New("http://jira.example.com", nil); err == nil || !strings.Contains(err.Error(), "must use https") {
		t.Errorf("plain http to a remote host: %v", err)
	}
	var asked []string
	hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		asked = append(asked, r.URL.Path)
		return &http.Response{StatusCode: http.StatusFound, Header: http.Header{"Location": {"/login.jsp"}},
			Body: http.NoBody, Request: r}, nil
	})}
	c, err := New("http://LocalHost/jira/", hc)
	if err != nil {
		t.Fatal(err)
	}
	if c.BaseURL() != "http://localhost/jira" {
		t.Errorf("base URL %q", c.BaseURL())
	}
	_, err = myself(c)
	if err == nil || !strings.Contains(err.Error(), "refusing redirect to http://localhost") {
		t.Errorf("redirect out of the context path: %v", err)
	}
	if !slices.Equal(asked, []string{"/jira/rest/api/2/myself"}) {
		t.Errorf("asked %q", asked)
	}
}

// seraphAnonymous marks Jira's answers to requests matching method and
// path suffix as served to an anonymous user, as Jira's login filter does
// for a refused token.
func seraphAnonymous(next http.RoundTripper, method, suffix string) http.RoundTripper {
	return roundTripFunc(func(r *http.Request) (*http.Response, error) {
		resp, err := next.RoundTrip(r)
		if err == nil && r.Method == method && strings.HasSuffix(r.URL.Path, suffix) {
			resp.Header.Set("X-Seraph-LoginReason", "AUTHENTICATED_FAILED")
		}
		return resp, err
	})
}

// A write answered 2xx as an anonymous user may have been made: its
// outcome is unknown (an *AnswerError, which tools confirm by reading
// back), never a refusal. A read so answered is a refused login.
func TestAnonymousAnswers(t *testing.T) {
	_, e := newTestClient(t)
	over := func(method, suffix string) *Client {
		c, err := New(e.BaseURL(), &http.Client{Transport: seraphAnonymous(e.ClientAs(emulator.DefaultToken).Transport, method, suffix)})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	_, err := over("POST", "/comment").AddComment(context.Background(), "WEB-3", CommentInput{Body: "Deployed."})
	var ans *AnswerError
	if !errors.As(err, &ans) || ans.Anonymous == "" || ans.Status != 201 {
		t.Fatalf("error %v (%T), want an *AnswerError saying it was served anonymously", err, err)
	}
	if errors.As(err, new(*APIError)) {
		t.Errorf("error %v is also an *APIError: tools would take it for a refusal", err)
	}

	_, err = myself(over("GET", "/myself"))
	var ae *APIError
	if !errors.As(err, &ae) || ae.Status != 401 {
		t.Errorf("read: error %v, want an *APIError 401", err)
	}
}

// An unknown field name asks for a fresh /field (an admin may just have
// added it), but a reload is forced at most once a minute: an agent
// repeating a wrong name must not have the whole list read on every call.
func TestFieldsReloadBounded(t *testing.T) {
	c, e := newTestClient(t)
	now := time.Now()
	c.now = func() time.Time { return now }
	ctx := context.Background()
	reads := func() int {
		n := 0
		for _, r := range e.Requests() {
			if strings.HasSuffix(r.Path, "/field") {
				n++
			}
		}
		return n
	}
	if _, err := c.Fields(ctx, false); err != nil {
		t.Fatal(err)
	}
	for range 5 {
		if _, err := c.Fields(ctx, true); err != nil {
			t.Fatal(err)
		}
	}
	if n := reads(); n != 2 {
		t.Errorf("/field read %d times within a minute, want 2 (then once reloaded)", n)
	}
	now = now.Add(61 * time.Second)
	if _, err := c.Fields(ctx, true); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Fields(ctx, true); err != nil {
		t.Fatal(err)
	}
	if n := reads(); n != 3 {
		t.Errorf("/field read %d times, want 3 (one more reload after a minute)", n)
	}
}
