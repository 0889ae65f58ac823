package server

import (
	"bufio"
	"encoding/json"
	"io"
	"log/slog"
	"sync"
	"time"

	gojson "github.com/goccy/go-json"
)

// drainTimeout bounds how long the end of input is held back for calls
// still running (Jira calls time out after 60 s anyway).
const drainTimeout = 60 * time.Second

// pending holds the requests read and not yet answered, by id: a count per
// id, so that two requests sharing an id (a client bug) each need their
// answer. Ids are keyed by their JSON as mcp-go writes it back (see
// idKey), so 1 and "1" are different ids.
type pending struct {
	mu   sync.Mutex
	ids  map[string]int
	n    int
	idle chan struct{} // closed while n == 0
}

func newPending() *pending {
	p := &pending{ids: map[string]int{}, idle: make(chan struct{})}
	close(p.idle)
	return p
}

func (p *pending) add(id string) {
	p.mu.Lock()
	if p.n == 0 {
		p.idle = make(chan struct{})
	}
	p.n++
	p.ids[id]++
	p.mu.Unlock()
}

// done marks one request with this id answered. An answer to an id that
// is not pending (a parse error's, say) changes nothing.
func (p *pending) done(id string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	c := p.ids[id]
	if c == 0 {
		return
	}
	if c == 1 {
		delete(p.ids, id)
	} else {
		p.ids[id] = c - 1
	}
	if p.n--; p.n == 0 {
		close(p.idle)
	}
}

// wait returns when every request read has been answered, or after d.
func (p *pending) wait(d time.Duration) {
	p.mu.Lock()
	idle := p.idle
	p.mu.Unlock()
	select {
	case <-idle:
	case <-time.After(d):
	}
}

// present reports whether a member was given with a value other than null.
func present(raw json.RawMessage) bool { return len(raw) > 0 && string(raw) != "null" }

// idKey returns the key of a JSON-RPC id: the id as mcp-go writes it in
// its answer. mcp-go decodes the id into an interface value with
// encoding/json (a number becomes a float64) and marshals that back, so 1.0
// is answered as 1; doing the same here makes the keys of a request and of
// its answer equal, while 1 and "1" stay apart. ok is false for a missing
// or null id.
func idKey(raw json.RawMessage) (key string, ok bool) {
	if !present(raw) {
		return "", false
	}
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return "", false
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "", false
	}
	return string(b), true
}

// inbound is what the drain reads of each message from the client.
type inbound struct {
	ID     json.RawMessage `json:"id"`
	Method string          `json:"method"`
	Result json.RawMessage `json:"result"`
	Error  json.RawMessage `json:"error"`
}

// classify says what mcp-go v1.2.1 will do with a line: answer it under
// the id key (a request, or an object with an id that is no response),
// or not answer it (a notification, a response, a line that is no JSON
// object: a batch, a parse error answered with a null id). response is
// true for a client's answer to a request: an object with an id and a
// result or error but no method. It is decoded with encoding/json, as
// mcp-go decodes it, so that both agree on every line.
func classify(line []byte) (key string, answered, response bool) {
	var m inbound
	if json.Unmarshal(line, &m) != nil {
		return "", false, false
	}
	key, ok := idKey(m.ID)
	if !ok {
		return "", false, false
	}
	if m.Method == "" && (present(m.Result) || present(m.Error)) {
		return key, false, true
	}
	// mcp-go ignores anything with a result, method or not.
	return key, !present(m.Result), false
}

// drainReader passes input through line by line, keeping track of the
// requests it will see answered, and holds back the end of input until
// they are: mcp-go cancels the calls still running when input ends, so a
// client that writes its requests and closes stdin would get only
// cancellations, and a write on its way to Jira would be cut off with its
// outcome unknown.
//
// It drops the client's responses (result or error, no method): jira-mcp
// sends the client no requests, so they answer nothing, and mcp-go would
// answer an error object with an error of its own, under an id the client
// may be using for one of its own requests. (If the server ever sends
// requests to the client, sampling say, their answers must pass.)
type drainReader struct {
	r       *bufio.Reader
	pending []byte
	err     error
	calls   *pending
	timeout time.Duration
	drained bool // the end of input waited for the requests pending
	logger  *slog.Logger
}

func (d *drainReader) Read(p []byte) (int, error) {
	for len(d.pending) == 0 {
		if d.err != nil {
			// Every line has been handed over, and so dispatched by
			// mcp-go, which reads the next line only after dispatching.
			if d.err == io.EOF && !d.drained {
				d.calls.wait(d.timeout)
				d.drained = true
			}
			return 0, d.err
		}
		line, err := d.r.ReadBytes('\n')
		if err != nil && len(line) > 0 {
			// mcp-go drops a last line that lacks its newline.
			line = append(line, '\n')
		}
		if len(line) > 0 {
			switch key, answered, response := classify(line); {
			case response:
				d.logger.Debug("dropped a response from the client: the server sent no request", "id", key)
				line = nil
			case answered:
				d.calls.add(key)
			}
			d.pending = line
		}
		d.err = err
	}
	n := copy(p, d.pending)
	d.pending = d.pending[n:]
	return n, nil
}

// outbound is what the drain reads of each message the server writes.
type outbound struct {
	ID     gojson.RawMessage `json:"id"`
	Method string            `json:"method"`
}

// countingWriter marks a request answered when its answer (result or
// error: any message with an id and no method) is written. mcp-go writes
// each message whole, in one call, under its own lock. It decodes with
// go-json: an answer can be large, and only its id is needed.
type countingWriter struct {
	w     io.Writer
	calls *pending
}

func (c countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	var m outbound
	if gojson.Unmarshal(p, &m) == nil && m.Method == "" {
		if key, ok := idKey(json.RawMessage(m.ID)); ok {
			c.calls.done(key)
		}
	}
	return n, err
}
