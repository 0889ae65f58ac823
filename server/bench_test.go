package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	mcpserver "github.com/mark3labs/mcp-go/server"

	"github.com/jira-mcp/jira-mcp/server"

	"github.com/jira-mcp/jira-mcp/tools"
	"github.com/jira-mcp/jira-mcp/tools/jira"
	"github.com/jira-mcp/jira-mcp/tools/jira/emulator"
)

// Benchmarks run against the emulator in process (no socket). The
// *Overhead benchmarks replace Jira by a replay of the emulator's recorded
// answer, so that they measure only what jira-mcp adds to a call: reading
// the JSON-RPC request, the handler, decoding Jira's JSON, formatting, and
// writing the JSON-RPC response, as the stdio server does.

func benchEnv(b *testing.B) (*env, *jira.Client) {
	emu := emulator.New()
	jc, err := jira.New("https://jira.bench.invalid", emu.ClientAs(emulator.DefaultToken))
	if err != nil {
		b.Fatal(err)
	}
	return connect(b, nil, tools.New(jc), envOptions{}), jc
}

var benchJQL = "project = WEB ORDER BY updated DESC"

func BenchmarkSearchDirect(b *testing.B) {
	_, jc := benchEnv(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := jc.Search(ctx, jira.SearchRequest{JQL: benchJQL, MaxResults: 20, Fields: []string{"summary", "status", "assignee", "priority", "updated"}}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSearchMCP(b *testing.B) {
	e, _ := benchEnv(b)
	args := map[string]any{"jql": benchJQL}
	var size int
	b.ReportAllocs()
	for b.Loop() {
		res := e.call(tools.Search, args)
		if res.IsError {
			b.Fatal(tools.Text(res))
		}
		size = len(tools.Text(res))
	}
	b.ReportMetric(float64(size), "text-bytes")
	b.ReportMetric(float64(size)/20, "bytes/issue")
}

// BenchmarkSearchMCPParallel keeps 50 calls in flight and reports the 99th
// percentile latency.
func BenchmarkSearchMCPParallel(b *testing.B) {
	e, _ := benchEnv(b)
	args := map[string]any{"jql": benchJQL}
	var (
		mu   sync.Mutex
		lats []time.Duration
	)
	b.SetParallelism(max(1, 50/procs()))
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		var local []time.Duration
		for pb.Next() {
			start := time.Now()
			req := mcp.CallToolRequest{}
			req.Params.Name = tools.Search
			req.Params.Arguments = args
			res, err := e.c.CallTool(context.Background(), req)
			if err != nil || res.IsError {
				b.Error(err)
				return
			}
			local = append(local, time.Since(start))
		}
		mu.Lock()
		lats = append(lats, local...)
		mu.Unlock()
	})
	b.StopTimer()
	reportLatencies(b, lats)
}

func BenchmarkTransitionMCP(b *testing.B) {
	e, _ := benchEnv(b)
	moves := []string{"In Progress", "To Do"} // WEB-2 starts in To Do
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		res := e.call(tools.Transition, map[string]any{"issue_key": "WEB-2", "transition": moves[i%2]})
		if res.IsError {
			b.Fatal(tools.Text(res))
		}
		i++
	}
}

// replay answers every request with one recorded response.
type replay struct {
	status int
	header http.Header
	body   []byte
	delay  time.Duration // Jira's own time, spent waiting as on a network
}

// waited accumulates, per call, the time spent inside the replayed Jira,
// so that benchmarks can subtract it exactly (a VM's sleeps overshoot).
type waitedKey struct{}

func (r replay) RoundTrip(req *http.Request) (*http.Response, error) {
	if r.delay > 0 {
		start := time.Now()
		time.Sleep(r.delay)
		if w, ok := req.Context().Value(waitedKey{}).(*time.Duration); ok {
			*w += time.Since(start)
		}
	}
	if req.Body != nil {
		io.Copy(io.Discard, req.Body)
		req.Body.Close()
	}
	return &http.Response{StatusCode: r.status, Header: r.header, Body: io.NopCloser(bytes.NewReader(r.body)), Request: req}, nil
}

// record captures the emulator's answer to one tool call's Jira request.
func record(b *testing.B, tool string, args map[string]any) replay {
	emu := emulator.New()
	jc, _ := jira.New("https://jira.bench.invalid", emu.ClientAs(emulator.DefaultToken))
	if res, err := tools.New(jc).Call(context.Background(), tool, args); err != nil || res.IsError {
		b.Fatalf("record %s: %v %v", tool, err, res)
	}
	reqs := emu.Requests()
	last := reqs[len(reqs)-1]
	// Serve the same request again to capture its body.
	req, _ := http.NewRequest(last.Method, "https://jira.bench.invalid"+last.Path+"?"+last.RawQuery, bytes.NewReader(last.Body))
	req.Header = last.Header
	rec := httptest.NewRecorder()
	emu.ServeHTTP(rec, req)
	return replay{status: rec.Code, header: rec.Header(), body: rec.Body.Bytes()}
}

// overheadServer returns an MCP server whose Jira is a replay.
func overheadServer(b *testing.B, rp replay) *mcpserver.MCPServer {
	jc, err := jira.New("https://jira.bench.invalid", &http.Client{Transport: rp})
	if err != nil {
		b.Fatal(err)
	}
	return server.New(server.Options{Tools: tools.New(jc)})
}

func callMessage(tool string, args map[string]any) []byte {
	msg, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": 7, "method": "tools/call", "params": map[string]any{"name": tool, "arguments": args}})
	return msg
}

// BenchmarkSearchOverhead is the cost jira-mcp adds to a default search of
// 20 issues: JSON-RPC in, handler, Jira JSON decoded, text and structured
// content built, JSON-RPC out.
func BenchmarkSearchOverhead(b *testing.B) {
	args := map[string]any{"jql": benchJQL}
	s := overheadServer(b, record(b, tools.Search, args))
	msg := callMessage(tools.Search, args)
	ctx := context.Background()
	initServer(b, s)
	var n int
	b.ReportAllocs()
	for b.Loop() {
		out, err := json.Marshal(s.HandleMessage(ctx, msg))
		if err != nil {
			b.Fatal(err)
		}
		n = len(out)
	}
	b.ReportMetric(float64(n), "response-bytes")
}

// jiraLatency is how long the replayed Jira takes to answer in the
// parallel benchmark: a fast Jira DC search.
const jiraLatency = 20 * time.Millisecond

// BenchmarkSearchOverheadParallel keeps 50 calls in flight against a Jira
// that answers in 20 ms, and reports the latency jira-mcp adds to it
// (each call's time minus the time spent in Jira), at the median and the
// 99th percentile.
func BenchmarkSearchOverheadParallel(b *testing.B) {
	args := map[string]any{"jql": benchJQL}
	rp := record(b, tools.Search, args)
	rp.delay = jiraLatency
	s := overheadServer(b, rp)
	msg := callMessage(tools.Search, args)
	initServer(b, s)
	b.SetParallelism(max(1, 50/procs()))
	var (
		mu   sync.Mutex
		lats []time.Duration
	)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		var local []time.Duration
		for pb.Next() {
			var waited time.Duration
			ctx := context.WithValue(context.Background(), waitedKey{}, &waited)
			start := time.Now()
			if _, err := json.Marshal(s.HandleMessage(ctx, msg)); err != nil {
				b.Error(err)
				return
			}
			local = append(local, time.Since(start)-waited)
		}
		mu.Lock()
		lats = append(lats, local...)
		mu.Unlock()
	})
	reportLatencies(b, lats)
}

func initServer(b *testing.B, s *mcpserver.MCPServer) {
	init := []byte(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"bench","version":"1"}}}`)
	s.HandleMessage(context.Background(), init)
}

func reportLatencies(b *testing.B, lats []time.Duration) {
	if len(lats) == 0 {
		return
	}
	slices.Sort(lats)
	b.ReportMetric(float64(lats[len(lats)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(lats[len(lats)/2].Microseconds())/1000, "p50-ms")
}
