// Package emulator is an in-memory emulator of the Jira Data Center 10.3 REST
// API subset that jira-mcp uses, named and shaped like net/http/httptest.
//
// An Emulator is an http.Handler holding stateful, seeded Jira data. Server
// wraps it in an httptest.Server listening on loopback only, and
// Emulator.Client returns an *http.Client that serves requests in process
// (no socket at all), which is what `jira-mcp demo` uses.
//
// Every request is recorded (see Requests) so tests can assert on what Jira
// received, not only on what the client made of the answer. Fail injects
// faults (429 with Retry-After, 500, 503, ...); Issue snapshots an issue.
//
// # API
//
// Under /rest/api/2, every call needs "Authorization: Bearer <token>"
// (401 with a WWW-Authenticate challenge otherwise): POST and GET search
// (JQL subset with Jira's error messages, fields, expand, validateQuery,
// maxResults capped at 1000, 500 past a 10,000-result window), GET issue,
// GET and POST issue transitions, GET and POST issue comment, GET issue
// comment by id, field, myself, serverInfo (10.3.6, deploymentType Server),
// status, priority, resolution, project and project/{key}. Every response
// is validated against Atlassian's OpenAPI document in this package's tests.
//
// JQL dates follow Jira: relative dates take w, d, h and m in any case ("M"
// is minutes; no months or years; a bare quoted number is minutes, an
// unquoted one epoch milliseconds); startOfDay(-1) and its siblings take one
// increment (+/-)n with a case-sensitive unit y, M, w, d, h or m, defaulting
// to the function's own period.
//
// An issue the user may not browse answers 404 "Issue Does Not Exist", as
// Atlassian documents; WithForbiddenForHidden answers 403 instead.
// WithAnonymousFallback serves a failed bearer token as the anonymous user
// (200, "X-Seraph-LoginReason: AUTHENTICATED_FAILED") instead of 401.
//
// # Seed
//
// The seed is deterministic; its times are relative to the clock (WithClock)
// at New. Users (token from Token, name, groups):
//
//	alice  DefaultToken            Alice Anderson  jira-software-users, developers (DefaultUser)
//	bob    emulator-token-bob      Bob Brown       jira-software-users, developers
//	carol  emulator-token-carol    Carol Chen      jira-software-users, developers, ops-team
//	dave   emulator-token-dave     Dave Diaz       jira-software-users, security-team, jira-administrators
//	erin   emulator-token-erin     Erin Evans      jira-software-users, ops-team
//	frank  (none: inactive)        Frank Fischer   jira-software-users
//
// Projects: WEB "Web Storefront" (id 10000), API "Platform API" (10001) and
// MOB "Mobile App" (10002) are open to everyone (API to anonymous users
// too, which only WithAnonymousFallback lets happen); OPS "Operations" (10003)
// can be browsed by everyone but only ops-team may comment or transition
// (alice gets 400 "Alice Anderson, you do not have the permission to comment
// on this issue." and no transitions); SEC "Security Response" (10004) is
// visible to security-team only (404 and absent from search for the others).
// Project role Developers: WEB alice, bob, carol; API bob, carol; MOB carol,
// alice; OPS erin, carol; SEC dave. 239 issues in all (226 visible to alice).
//
// Components (ids from 10000 in this order): WEB Checkout, Payments, Search;
// API API Gateway, Authentication, Payments; MOB Android, iOS; OPS
// Infrastructure, Monitoring; SEC Triage. Versions (ids from 10000): WEB 2.3
// and 2.4 (released), 2.5 (unreleased); API 2.4 (released), 2.5; MOB 5.0
// (released), 5.1. Most generated issues have a component; some have a fix
// version (a released one when Done, an unreleased one otherwise).
//
// Notable issues:
//
//	WEB-1  Epic "Checkout redesign", In Progress
//	WEB-2  Story, To Do, alice, 5 story points, Epic Link WEB-1, open sprint
//	       "Storefront Sprint 13" (id 3); comments 20001 public (bob),
//	       20002 role Developers (carol), 20003 group security-team (dave),
//	       20004 public (alice); both Team fields set
//	WEB-3  Bug, In Progress, alice, Blocker, due in 3 days, one comment;
//	       components Checkout and Payments
//	WEB-4  Story, In Review, bob, Review Team Frontend
//	WEB-5  Bug, Done, resolution Fixed, fix version 2.4
//	WEB-6  Task, unassigned, parent of sub-task WEB-7; no component, no
//	       fix version (WEB-7 neither)
//	API-1  Epic; API-2 Story, alice, Critical, open sprint "Platform Sprint 8" (id 6)
//	MOB-1  Bug, To Do, alice, Critical, component Android, fix version 5.1
//	OPS-1  Task, To Do, erin: alice may read it only
//	SEC-1  Bug, dave: invisible to alice
//
// WEB-1 to WEB-4 are in component Checkout with fix version 2.5; API-2 in
// Authentication with 2.5.
//
// Workflow (all projects): To Do -> 11 Start Progress -> In Progress;
// In Progress -> 41 Stop Progress -> To Do; In Progress -> 21 Request Review
// -> In Review, whose screen requires customfield_10005 "Review Team" (select:
// Backend, Frontend, Mobile, Platform); In Review -> 51 Back to In Progress;
// To Do, In Progress, In Review -> 31 Done, whose screen requires resolution
// (Done, Fixed, Won't Fix, Duplicate, Cannot Reproduce); Done -> 61 Reopen
// (clears the resolution). A comment sent with a transition (update.comment)
// is validated always but stored only when the transition has a screen (21
// and 31): like Jira, the screenless ones (11, 41, 51, 61) answer 204 and
// drop it silently. The transitions' fields never list comment.
//
// Custom fields: customfield_10001 Sprint (sprints 1-4 "Storefront Sprint
// 11".."14", 5-6 "Platform Sprint 7".."8"; 3 and 6 are open, 4 is future),
// customfield_10002 Story Points, customfield_10003 Epic Link,
// customfield_10004 Epic Name, customfield_10005 Review Team,
// customfield_10006 Team (select: Checkout Squad, Platform Squad, Mobile
// Squad, SRE) and customfield_10007 Team (text): two fields with one name,
// so "Team" in JQL means both (only IS [NOT] EMPTY passes validation) and
// clients must resolve names to ids with care. System fields include
// components "Component/s" (JQL component) and fixVersions "Fix Version/s"
// (JQL fixVersion, with releasedVersions() and unreleasedVersions()).
package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"
)

// DefaultToken is the bearer token an emulator accepts unless configured
// otherwise. It authenticates as DefaultUser.
const (
	DefaultToken = "emulator-access-token"
	DefaultUser  = "alice"
)

// Errors a TokenValidator returns; both answer 401 as Jira does.
var (
	ErrTokenInvalid = errors.New("emulator: invalid token")
	ErrTokenExpired = errors.New("emulator: token expired")
)

// TokenValidator maps a bearer token to the user it authenticates.
type TokenValidator interface {
	ValidateToken(token string) (username string, err error)
}

// Request is one HTTP request the emulator received.
type Request struct {
	Method   string
	Path     string // unescaped path, as net/url gives it
	RawPath  string // escaped path as sent, when it differs
	RawQuery string
	Header   http.Header
	Body     []byte
	User     string // authenticated user, "" when authentication failed
	Status   int    // status code answered
}

// Option configures an Emulator.
type Option func(*Emulator)

// WithTokenValidator replaces the static token check.
func WithTokenValidator(v TokenValidator) Option {
	return func(e *Emulator) { e.validator = v }
}

// WithToken makes token authenticate as username (in addition to others
// added the same way). The first WithToken replaces the seed's tokens
// (DefaultToken and the others Token names).
func WithToken(token, username string) Option {
	return func(e *Emulator) {
		st, ok := e.validator.(staticTokens)
		if !ok || !e.tokensSet {
			st = staticTokens{}
			e.tokensSet = true
		}
		st[token] = username
		e.validator = st
	}
}

// WithHandler mounts h at pattern (http.ServeMux syntax) ahead of the REST
// API, without authentication; the OAuth provider is mounted this way.
func WithHandler(pattern string, h http.Handler) Option {
	return func(e *Emulator) { e.extra = append(e.extra, mount{pattern, h}) }
}

// WithClock sets the emulator's clock. The seed's timestamps are relative to
// the clock's time when New runs, and JQL's relative dates ("-7d", now())
// and new comments use it too.
func WithClock(now func() time.Time) Option {
	return func(e *Emulator) { e.clock = now }
}

// WithBaseURL sets the base URL used in "self" links and browse URLs.
// Server sets it to its own URL.
func WithBaseURL(u string) Option {
	return func(e *Emulator) { e.baseURL = strings.TrimRight(u, "/") }
}

// WithForbiddenForHidden makes issue resources answer 403 "You do not have
// the permission to see the specified issue." for an issue that exists but
// the user may not browse, instead of the default 404 "Issue Does Not
// Exist". Atlassian's OpenAPI document and most Jira DC answers give 404;
// some deployments' logs show 403, and clients must survive both.
func WithForbiddenForHidden() Option {
	return func(e *Emulator) { e.forbidHidden = true }
}

// WithAnonymousFallback makes an invalid or expired bearer token (or one of
// an inactive user) be served as the anonymous user instead of answered
// with 401, as Jira's Seraph filter can do: the status is 200, the answer
// holds only what anonymous users may see (projects whose Browse Projects
// permission is granted to Anyone), and the response carries
// "X-Seraph-LoginReason: AUTHENTICATED_FAILED". Requests without a bearer
// token still answer 401; resources that need a user (myself) answer 401
// with the same header.
func WithAnonymousFallback() Option {
	return func(e *Emulator) { e.anonFallback = true }
}

type mount struct {
	pattern string
	h       http.Handler
}

type staticTokens map[string]string

func (s staticTokens) ValidateToken(token string) (string, error) {
	if u, ok := s[token]; ok {
		return u, nil
	}
	return "", ErrTokenInvalid
}

// Emulator is a stateful Jira DC emulator. It is safe for concurrent use.
type Emulator struct {
	validator TokenValidator
	tokensSet bool // a WithToken replaced the seed tokens
	// forbidHidden answers 403 rather than 404 for hidden issues.
	forbidHidden bool
	// anonFallback serves failed bearer tokens as the anonymous user.
	anonFallback bool
	baseURL      string
	extra        []mount
	clock        func() time.Time

	faultMu sync.Mutex
	faults  []*fault

	mux *http.ServeMux // WithHandler's mounts, then the REST API
	api *http.ServeMux // the REST API's routes, see routes.go

	reqMu    sync.Mutex
	requests []Request

	mu       sync.Mutex // guards the Jira data below and in data.go
	db       *database
	rawCache map[string]json.RawMessage
}

// New returns a seeded emulator. Its base URL is http://jira.example.test
// until WithBaseURL or NewServer sets another.
func New(opts ...Option) *Emulator {
	e := &Emulator{
		validator: seedTokens(),
		baseURL:   "http://jira.example.test",
		mux:       http.NewServeMux(),
		clock:     time.Now,
	}
	for _, o := range opts {
		o(e)
	}
	for _, m := range e.extra {
		e.mux.Handle(m.pattern, m.h)
	}
	e.db = seed(e.clock)
	e.db.forbidHidden = e.forbidHidden
	e.routes()
	return e
}

// BaseURL is the URL the emulator uses in links it returns.
func (e *Emulator) BaseURL() string { return e.baseURL }

// Requests returns a copy of the requests received so far, oldest first.
func (e *Emulator) Requests() []Request {
	e.reqMu.Lock()
	defer e.reqMu.Unlock()
	return append([]Request(nil), e.requests...)
}

// ResetRequests forgets the requests received so far.
func (e *Emulator) ResetRequests() {
	e.reqMu.Lock()
	e.requests = nil
	e.reqMu.Unlock()
}

// ServeHTTP records the request and serves it.
func (e *Emulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var body []byte
	if r.Body != nil {
		body, _ = io.ReadAll(r.Body)
		r.Body.Close()
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	// The request is recorded when its status is written, before any of
	// the answer reaches the client: a test that reads Requests right
	// after its call returns must find it there.
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	rec.record = func() {
		e.reqMu.Lock()
		e.requests = append(e.requests, Request{
			Method:   r.Method,
			Path:     r.URL.Path,
			RawPath:  r.URL.RawPath,
			RawQuery: r.URL.RawQuery,
			Header:   r.Header.Clone(),
			Body:     body,
			User:     rec.user,
			Status:   rec.status,
		})
		e.reqMu.Unlock()
	}
	if !e.injectFault(rec, r) {
		e.mux.ServeHTTP(rec, r)
	}
	if !rec.wroteHeader { // nothing written: an empty 200
		rec.wroteHeader = true
		rec.record()
	}
}

// Client returns an HTTP client whose requests are served by the emulator
// in process, whatever host they name. Nothing touches the network.
func (e *Emulator) Client() *http.Client {
	return &http.Client{Transport: inProcess{e}}
}

// ClientAs is Client with every request authenticated by token (for
// example DefaultToken, or Token("bob")), as the auth package's transport
// would do against a real Jira.
func (e *Emulator) ClientAs(token string) *http.Client {
	return &http.Client{Transport: Bearer{Token: token, Next: inProcess{e}}}
}

// Bearer is a RoundTripper that sets "Authorization: Bearer Token" on a
// copy of each request. It is for emulator tokens, which are not secrets.
type Bearer struct {
	Token string
	Next  http.RoundTripper // nil: http.DefaultTransport
}

// RoundTrip implements http.RoundTripper.
func (b Bearer) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+b.Token)
	next := b.Next
	if next == nil {
		next = http.DefaultTransport
	}
	return next.RoundTrip(r)
}

type inProcess struct{ h http.Handler }

func (t inProcess) RoundTrip(r *http.Request) (*http.Response, error) {
	if err := r.Context().Err(); err != nil {
		return nil, err
	}
	rec := httptest.NewRecorder()
	// The handler must not see the caller's body reader after we return.
	if r.Body != nil {
		b, err := io.ReadAll(r.Body)
		r.Body.Close()
		if err != nil {
			return nil, err
		}
		r = r.Clone(r.Context())
		r.Body = io.NopCloser(bytes.NewReader(b))
	}
	if r.RequestURI == "" {
		r.RequestURI = r.URL.RequestURI()
	}
	t.h.ServeHTTP(rec, r)
	resp := rec.Result()
	resp.Request = r
	return resp, nil
}

// statusRecorder remembers the status and the authenticated user.
type statusRecorder struct {
	http.ResponseWriter
	status      int
	wroteHeader bool
	user        string
	record      func() // called once, when the status is known
}

func (s *statusRecorder) WriteHeader(code int) {
	if !s.wroteHeader {
		s.status = code
		s.wroteHeader = true
		s.record()
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if !s.wroteHeader { // an implicit 200
		s.wroteHeader = true
		s.record()
	}
	return s.ResponseWriter.Write(b)
}

// Server is an Emulator served over HTTP on a loopback port.
type Server struct {
	*Emulator
	URL string
	srv *httptest.Server
}

// NewServer starts an emulator on 127.0.0.1. Call Close when done.
func NewServer(opts ...Option) *Server {
	srv := httptest.NewUnstartedServer(nil)
	url := "http://" + srv.Listener.Addr().String()
	e := New(append([]Option{WithBaseURL(url)}, opts...)...)
	srv.Config.Handler = e
	srv.Start()
	return &Server{Emulator: e, URL: url, srv: srv}
}

// NewTLSServer is NewServer over HTTPS with a self-signed certificate;
// Client returns a client that trusts it.
func NewTLSServer(opts ...Option) *Server {
	srv := httptest.NewUnstartedServer(nil)
	url := "https://" + srv.Listener.Addr().String()
	e := New(append([]Option{WithBaseURL(url)}, opts...)...)
	srv.Config.Handler = e
	srv.StartTLS()
	return &Server{Emulator: e, URL: url, srv: srv}
}

// Client returns a client for the server's own URL (trusting its TLS
// certificate when there is one).
func (s *Server) Client() *http.Client { return s.srv.Client() }

// ClientAs is Client with every request authenticated by token.
func (s *Server) ClientAs(token string) *http.Client {
	c := s.srv.Client()
	c.Transport = Bearer{Token: token, Next: c.Transport}
	return c
}

// Close shuts the server down.
func (s *Server) Close() { s.srv.Close() }
