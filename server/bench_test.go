package server_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/jira-mcp/jira-mcp/tools"
	"github.com/jira-mcp/jira-mcp/tools/jira"
	"github.com/jira-mcp/jira-mcp/tools/jira/jiratest"
)

// Benchmarks run against the emulator in process (no socket), so that
// what they measure is jira-mcp's own cost. The overhead a call adds is
// BenchmarkSearchMCP minus BenchmarkSearchDirect (the same search through
// the Jira client alone).

func benchEnv(b *testing.B) (*env, *jira.Client) {
	emu := jiratest.New()
	hc := emu.Client()
	hc.Transport = bearer{token: jiratest.DefaultToken, next: hc.Transport}
	jc, err := jira.New("https://jira.bench.invalid", hc)
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
			b.Fatal(textOf(res))
		}
		size = len(textOf(res))
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
	if len(lats) > 0 {
		slices.Sort(lats)
		b.ReportMetric(float64(lats[len(lats)*99/100].Microseconds())/1000, "p99-ms")
		b.ReportMetric(float64(lats[len(lats)/2].Microseconds())/1000, "p50-ms")
	}
}

func BenchmarkTransitionMCP(b *testing.B) {
	e, _ := benchEnv(b)
	moves := []string{"In Progress", "To Do"} // WEB-2 starts in To Do
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		res := e.call(tools.Transition, map[string]any{"issue_key": "WEB-2", "transition": moves[i%2]})
		if res.IsError {
			b.Fatal(textOf(res))
		}
		i++
	}
}
