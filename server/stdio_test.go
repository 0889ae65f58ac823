package server

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	mcpserver "github.com/mark3labs/mcp-go/server"
)

// These tests drive ServeStdio over pipes, as a client does over the
// process's stdin and stdout. mcp-go keeps the stdio session in a package
// variable, so none of them may run in parallel.

// patience bounds every wait for something that must happen; it is a
// failure bound, never a measure: on a correct server the awaited message
// comes at once.
const patience = 20 * time.Second

// gated is a tool whose calls block until the test opens their gate (the
// "gate" argument; no gate: answer at once), or until their context is
// cancelled. It answers "done" or "cancelled", so the client sees which.
type gated struct {
	mu      sync.Mutex
	gates   map[string]chan struct{}
	started chan string // each call's gate, as it starts
}

func newGated() *gated {
	return &gated{gates: map[string]chan struct{}{}, started: make(chan string, 10000)}
}

func (g *gated) gate(name string) chan struct{} {
	g.mu.Lock()
	defer g.mu.Unlock()
	c, ok := g.gates[name]
	if !ok {
		c = make(chan struct{})
		g.gates[name] = c
	}
	return c
}

func (g *gated) open(name string) { close(g.gate(name)) }

func (g *gated) tool() mcpserver.ServerTool {
	def := mcp.NewTool("gated", mcp.WithString("gate"),
		mcp.WithToolAnnotation(mcp.ToolAnnotation{ReadOnlyHint: mcp.ToBoolPtr(true)}))
	return mcpserver.ServerTool{Tool: def, Handler: func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		name := req.GetString("gate", "")
		g.started <- name
		if name == "" {
			return mcp.NewToolResultText("done"), nil
		}
		select {
		case <-g.gate(name):
			return mcp.NewToolResultText("done"), nil
		case <-ctx.Done():
			return mcp.NewToolResultText("cancelled"), nil
		}
	}}
}

// waitStarted waits for n calls to have started.
func (g *gated) waitStarted(t *testing.T, n int) {
	t.Helper()
	deadline := time.After(patience)
	for range n {
		select {
		case <-g.started:
		case <-deadline:
			t.Fatalf("calls did not start")
		}
	}
}

// stdioClient is the client end of ServeStdio.
type stdioClient struct {
	t      *testing.T
	in     chan string // written to stdin in order, without blocking the test
	closed bool
	out    chan map[string]any // every message written to stdout
	served chan error          // ServeStdio's return
}

func serveGated(t *testing.T, g *gated) *stdioClient {
	t.Helper()
	s := New(Options{ServerTools: []mcpserver.ServerTool{g.tool()}})
	return serve(t, s)
}

func serve(t *testing.T, s *mcpserver.MCPServer) *stdioClient {
	t.Helper()
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	c := &stdioClient{t: t, in: make(chan string, 100000), out: make(chan map[string]any, 100000), served: make(chan error, 1)}
	go func() {
		defer inW.Close()
		for s := range c.in {
			if _, err := io.WriteString(inW, s); err != nil {
				return
			}
		}
	}()
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		c.served <- ServeStdio(ctx, s, inR, outW, nil)
		outW.Close()
	}()
	go func() {
		defer close(c.out)
		sc := bufio.NewScanner(outR)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			var m map[string]any
			if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
				t.Errorf("stdout line is not JSON: %q", sc.Bytes())
				continue
			}
			c.out <- m
		}
	}()
	t.Cleanup(func() {
		cancel()
		c.closeIn()
		inR.Close()
		outR.Close()
	})
	c.send(`{"jsonrpc":"2.0","id":"init","method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"test","version":"1"}}}`,
		`{"jsonrpc":"2.0","method":"notifications/initialized"}`)
	c.await(`"init"`)
	return c
}

func (c *stdioClient) send(lines ...string) {
	for _, l := range lines {
		c.in <- l + "\n"
	}
}

// closeIn closes stdin once the lines sent are written.
func (c *stdioClient) closeIn() {
	if !c.closed {
		c.closed = true
		close(c.in)
	}
}

func (c *stdioClient) call(id, gate string) {
	c.t.Helper()
	c.send(fmt.Sprintf(`{"jsonrpc":"2.0","id":%s,"method":"tools/call","params":{"name":"gated","arguments":{"gate":%q}}}`, id, gate))
}

// idOf returns a message's id as JSON (`1`, `"1"`), "" when it has none.
func idOf(m map[string]any) string {
	id, ok := m["id"]
	if !ok {
		return ""
	}
	b, _ := json.Marshal(id)
	return string(b)
}

// await reads messages until one has each of the ids (as JSON), and
// returns them by id; it also returns every other message it read.
func (c *stdioClient) await(ids ...string) (map[string]map[string]any, []map[string]any) {
	c.t.Helper()
	want := map[string]bool{}
	for _, id := range ids {
		want[id] = true
	}
	got := map[string]map[string]any{}
	var others []map[string]any
	deadline := time.After(patience)
	for len(got) < len(want) {
		select {
		case m, ok := <-c.out:
			if !ok {
				c.t.Fatalf("stdout closed; still waiting for %v", missing(want, got))
			}
			if id := idOf(m); want[id] && got[id] == nil {
				got[id] = m
			} else {
				others = append(others, m)
			}
		case <-deadline:
			c.t.Fatalf("no answer to %v", missing(want, got))
		}
	}
	return got, others
}

func missing(want map[string]bool, got map[string]map[string]any) []string {
	var out []string
	for id := range want {
		if got[id] == nil {
			out = append(out, id)
		}
	}
	return out
}

// rest closes stdin, waits for ServeStdio to return and returns what it
// wrote meanwhile.
func (c *stdioClient) rest() []map[string]any {
	c.t.Helper()
	var msgs []map[string]any
	deadline := time.After(patience)
	for {
		select {
		case m, ok := <-c.out:
			if !ok {
				select {
				case err := <-c.served:
					if err != nil {
						c.t.Errorf("ServeStdio: %v", err)
					}
				case <-deadline:
					c.t.Fatal("ServeStdio did not return")
				}
				return msgs
			}
			msgs = append(msgs, m)
		case <-deadline:
			c.t.Fatal("ServeStdio did not end after stdin closed")
		}
	}
}

// stillServing checks that ServeStdio has not returned: it gives a broken
// server a moment to end (a correct one never does, so this cannot fail
// spuriously).
func (c *stdioClient) stillServing(why string) {
	c.t.Helper()
	select {
	case <-c.served:
		c.t.Fatalf("ServeStdio returned %s", why)
	case <-time.After(300 * time.Millisecond):
	}
}

func resultText(m map[string]any) string {
	b, _ := json.Marshal(m["result"])
	return string(b)
}

// A client's error object (an answer to a request the server never sent)
// must not count as the answer to one of the client's calls: the call
// still running when stdin closes must finish, not be cancelled.
func TestStdinCloseWaitsDespiteClientErrorObject(t *testing.T) {
	g := newGated()
	c := serveGated(t, g)
	c.call("1", "a")
	g.waitStarted(t, 1)
	c.send(`{"jsonrpc":"2.0","id":99,"error":{"code":-32000,"message":"no such request"}}`)
	c.closeIn()
	c.stillServing("before answering call 1")
	g.open("a")
	msgs := c.rest()
	var answered bool
	for _, m := range msgs {
		switch idOf(m) {
		case "1":
			answered = true
			if txt := resultText(m); !strings.Contains(txt, `"done"`) {
				t.Errorf("call 1 answered %s, want done", txt)
			}
		case "99":
			t.Errorf("the server answered the client's error object: %v", m)
		}
	}
	if !answered {
		t.Errorf("call 1 not answered: %v", msgs)
	}
}

// A client's response or error object is not answered: a JSON-RPC
// response is never replied to (the reply would carry an id the client
// may be using for a request of its own).
func TestClientResponsesAreNotAnswered(t *testing.T) {
	c := serveGated(t, newGated())
	c.send(`{"jsonrpc":"2.0","id":5,"error":{"code":-32000,"message":"x"}}`,
		`{"jsonrpc":"2.0","id":6,"result":{}}`,
		`{"jsonrpc":"2.0","id":7,"method":"ping"}`)
	_, seen := c.await("7")
	c.closeIn()
	for _, m := range append(seen, c.rest()...) {
		if id := idOf(m); id == "5" || id == "6" {
			t.Errorf("answered the client's response %s: %v", id, m)
		}
	}
}

// A message the server does not answer (mcp-go ignores a message that
// carries a result, even with a method) must not hold back the end of
// input.
func TestStdinCloseDoesNotWaitForUnansweredMessages(t *testing.T) {
	c := serveGated(t, newGated())
	c.send(`{"jsonrpc":"2.0","id":8,"method":"ping","result":{}}`)
	c.closeIn()
	done := make(chan []map[string]any)
	go func() { done <- c.rest() }()
	select {
	case <-done:
	case <-time.After(patience / 2):
		t.Fatal("ServeStdio waits for an answer it will never write")
	}
}

// Two calls with one id are two calls: the end of input waits for both.
func TestStdinCloseWaitsForEachCallOfADuplicateID(t *testing.T) {
	g := newGated()
	c := serveGated(t, g)
	c.call("1", "a")
	c.call("1", "b")
	g.waitStarted(t, 2)
	c.closeIn()
	g.open("a")
	c.await("1")
	c.stillServing("with a call still running")
	g.open("b")
	msgs := c.rest()
	if len(msgs) != 1 || idOf(msgs[0]) != "1" || !strings.Contains(resultText(msgs[0]), `"done"`) {
		t.Errorf("after the second call's gate opened: %v", msgs)
	}
}

// 1 and "1" are different ids: answering one does not answer the other.
func TestStdinCloseTellsNumberFromStringIDs(t *testing.T) {
	g := newGated()
	c := serveGated(t, g)
	c.call(`"1"`, "a")
	g.waitStarted(t, 1)
	c.call("1", "")
	c.await("1")
	c.closeIn()
	c.stillServing(`with call "1" still running`)
	g.open("a")
	msgs := c.rest()
	if len(msgs) != 1 || idOf(msgs[0]) != `"1"` || !strings.Contains(resultText(msgs[0]), `"done"`) {
		t.Errorf(`after call "1"'s gate opened: %v`, msgs)
	}
}

// mcp-go v1.2.1 does not take batches: a batch line gets one parse error
// with a null id, and does not hold back the end of input.
func TestBatchIsRefusedAndNotAwaited(t *testing.T) {
	c := serveGated(t, newGated())
	c.send(`[{"jsonrpc":"2.0","id":9,"method":"ping"},{"jsonrpc":"2.0","id":10,"method":"ping"}]`)
	c.closeIn()
	msgs := c.rest()
	if len(msgs) != 1 || msgs[0]["error"] == nil || msgs[0]["id"] != nil {
		t.Errorf("batch answered %v, want one error with a null id", msgs)
	}
}

// A last request without its newline is still a request: it is answered,
// and the end of input is not held back waiting for it.
func TestLastLineWithoutNewlineIsAnswered(t *testing.T) {
	c := serveGated(t, newGated())
	c.in <- `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"gated","arguments":{}}}`
	c.closeIn()
	msgs := c.rest()
	if len(msgs) != 1 || idOf(msgs[0]) != "1" || !strings.Contains(resultText(msgs[0]), `"done"`) {
		t.Errorf("answers %v, want call 1 done", msgs)
	}
}
