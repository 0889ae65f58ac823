package emulator

import (
	"net/http"
	"strings"
)

// fault is one injected failure, see Fail.
type fault struct {
	method, prefix string
	status         int
	header         http.Header
	body           string
	left           int // < 0: for ever
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
