package server

import (
	"bufio"
	"encoding/json"
	"io"
	"sync"
	"time"

	gojson "github.com/goccy/go-json"
)

// drainTimeout bounds how long the end of input is held back for calls
// still running (Jira calls time out after 60 s anyway).
const drainTimeout = 60 * time.Second

// inflight counts the requests read but not yet answered.
type inflight struct {
	mu   sync.Mutex
	n    int
	idle chan struct{} // closed while n == 0
}

func newInflight() *inflight {
	f := &inflight{idle: make(chan struct{})}
	close(f.idle)
	return f
}

func (f *inflight) add() {
	f.mu.Lock()
	if f.n == 0 {
		f.idle = make(chan struct{})
	}
	f.n++
	f.mu.Unlock()
}

func (f *inflight) done() {
	f.mu.Lock()
	if f.n > 0 {
		if f.n--; f.n == 0 {
			close(f.idle)
		}
	}
	f.mu.Unlock()
}

// wait returns when every request read has been answered, or after d.
func (f *inflight) wait(d time.Duration) {
	f.mu.Lock()
	idle := f.idle
	f.mu.Unlock()
	select {
	case <-idle:
	case <-time.After(d):
	}
}

// envelope is what the drain reads of each message: enough to tell a
// request (method and id), a notification (method) and a response (id).
type envelope struct {
	ID     json.RawMessage `json:"id"`
	Method string          `json:"method"`
}

func parseEnvelope(line []byte) (envelope, bool) {
	var e envelope
	if gojson.Unmarshal(line, &e) != nil {
		return e, false
	}
	return e, true
}

func (e envelope) hasID() bool { return len(e.ID) > 0 && string(e.ID) != "null" }

// drainReader passes input through line by line, counting requests, and
// holds back the end of input until they are answered: mcp-go cancels the
// calls still running when input ends, so a client that writes its
// requests and closes stdin would get only cancellations, and a write on
// its way to Jira would be cut off with its outcome unknown.
type drainReader struct {
	r       *bufio.Reader
	pending []byte
	err     error
	calls   *inflight
	timeout time.Duration
}

func (d *drainReader) Read(p []byte) (int, error) {
	if len(d.pending) == 0 {
		if d.err != nil {
			return 0, d.err
		}
		line, err := d.r.ReadBytes('\n')
		if len(line) > 0 {
			if e, ok := parseEnvelope(line); ok && e.Method != "" && e.hasID() {
				d.calls.add()
			}
			d.pending = line
		}
		if err != nil {
			if err == io.EOF {
				d.calls.wait(d.timeout)
			}
			d.err = err
			if len(line) == 0 {
				return 0, err
			}
		}
	}
	n := copy(p, d.pending)
	d.pending = d.pending[n:]
	return n, nil
}

// countingWriter marks a request answered when its response is written.
// mcp-go writes each message whole, in one call, under its own lock.
type countingWriter struct {
	w     io.Writer
	calls *inflight
}

func (c countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	if e, ok := parseEnvelope(p); ok && e.Method == "" && e.hasID() {
		c.calls.done()
	}
	return n, err
}
