package emulator

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"time"
)

// fault is one injected failure, see Fail and Inject.
type fault struct {
	method, prefix string
	status         int
	header         http.Header
	body           string
	left           int // < 0: for ever
	after          bool
	reset          bool
	delay          time.Duration
}

// Fault is a failure for Inject: which requests it strikes, when, and
// what the client gets.
type Fault struct {
	Method string // "" for any
	Path   string // a prefix of the request's path
	Times  int    // how many requests it strikes; < 0 for good
	// After serves the request first (Jira makes the change), then answers
	// with the fault instead of Jira's answer: a lost answer.
	After bool
	// Reset closes the connection without an answer: the client gets a
	// reset (over the in-process client, a connection-reset error).
	Reset bool
	// Delay waits before answering; the request's own deadline ends it.
	Delay time.Duration
	// The answer, when not Reset: status, header and body as for Fail.
	Status int
	Header http.Header
	Body   string
}

// Inject adds a fault. Fail is Inject with an answer, before serving.
func (e *Emulator) Inject(f Fault) {
	if f.Times == 0 {
		return
	}
	e.faultMu.Lock()
	e.faults = append(e.faults, &fault{method: strings.ToUpper(f.Method), prefix: f.Path, status: f.Status, header: f.Header.Clone(),
		body: f.Body, left: f.Times, after: f.After, reset: f.Reset, delay: f.Delay})
	e.faultMu.Unlock()
}

// Fail makes the next times requests whose method is method ("" for any)
// and whose path starts with pathPrefix answer status with header and body
// instead of being served, before authentication (as a proxy or Jira's rate
// limiter would). times < 0 keeps failing for good. An empty body
// becomes Jira's error collection naming the status, e.g.
//
//	e.Fail("POST", "/rest/api/2/search", 429, http.Header{"Retry-After": {"2"}}, "", 1)
//
// Faults are matched in the order they were added.
func (e *Emulator) Fail(method, pathPrefix string, status int, header http.Header, body string, times int) {
	if times == 0 {
		return
	}
	e.faultMu.Lock()
	e.faults = append(e.faults, &fault{method: strings.ToUpper(method), prefix: pathPrefix, status: status, header: header.Clone(), body: body, left: times})
	e.faultMu.Unlock()
}

// clearFaults removes every fault added with Fail.
func (e *Emulator) clearFaults() {
	e.faultMu.Lock()
	e.faults = nil
	e.faultMu.Unlock()
}

// injectFault answers the request with a pending fault, if one matches.
func (e *Emulator) injectFault(w http.ResponseWriter, r *http.Request) bool {
	e.faultMu.Lock()
	var f *fault
	for i, x := range e.faults {
		if (x.method == "" || x.method == r.Method) && strings.HasPrefix(r.URL.Path, x.prefix) {
			f = x
			if f.left > 0 {
				f.left--
				if f.left == 0 {
					e.faults = append(e.faults[:i:i], e.faults[i+1:]...)
				}
			}
			break
		}
	}
	e.faultMu.Unlock()
	if f == nil {
		return false
	}
	if f.delay > 0 {
		t := time.NewTimer(f.delay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-r.Context().Done():
			return true
		}
	}
	if f.after {
		// Served to a recorder that is thrown away: the change is made,
		// the answer lost. The user it was served as is still recorded.
		inner := &statusRecorder{ResponseWriter: httptest.NewRecorder(), record: func() {}}
		e.mux.ServeHTTP(inner, r)
		if rec, ok := w.(*statusRecorder); ok {
			rec.user = inner.user
		}
	}
	if f.reset {
		if rec, ok := w.(*statusRecorder); ok && !rec.wroteHeader {
			rec.status, rec.wroteHeader = 0, true // recorded with no answer
			rec.record()
		}
		panic(http.ErrAbortHandler) // net/http closes the connection; inProcess turns it into a reset
	}
	for k, vs := range f.header {
		w.Header()[k] = append([]string(nil), vs...)
	}
	if f.body == "" {
		jiraError(w, f.status, []string{http.StatusText(f.status)}, nil)
		return true
	}
	if w.Header().Get("Content-Type") == "" {
		w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	}
	w.WriteHeader(f.status)
	w.Write([]byte(f.body))
	return true
}
