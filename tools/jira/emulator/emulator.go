package emulator

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"sync"
	"time"
)

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

// Emulator is a stateful Jira DC emulator. It is safe for concurrent use.
type Emulator struct {
	validator tokenValidator
	tokensSet bool // a withToken replaced the seed tokens
	// forbidHidden answers 403 rather than 404 for hidden issues.
	forbidHidden bool
	// anonFallback serves failed bearer tokens as the anonymous user.
	anonFallback bool
	baseURL      string
	contentBase  string // WithContentBaseURL; "" means baseURL
	extra        []mount
	clock        func() time.Time

	faultMu sync.Mutex
	faults  []*fault

	mux *http.ServeMux // withHandler's mounts, then the REST API
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
