package tools_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"
	mcpserver "github.com/mark3labs/mcp-go/server"

	"github.com/jira-mcp/jira-mcp/tools"
	"github.com/jira-mcp/jira-mcp/tools/jira"
	"github.com/jira-mcp/jira-mcp/tools/jira/emulator"
)

// Protocol versions every tool is tested on: what Claude Code speaks, and
// what mcp-go's client speaks by default.
var versions = []string{mcp.ProtocolVersion20251125, mcp.ProtocolVersion20260728}

// env is an MCP client connected in process to an MCP server holding the
// tools, whose Jira is an emulator listening on loopback. The server
// validates every result's structured content against the tool's declared
// output schema, so a result that drifts from it fails the test.
type env struct {
	t    testing.TB
	jira *emulator.Server
	c    *client.Client
}

type envOptions struct {
	readOnly bool
	version  string
	jira     []emulator.Option
	token    string
	projects []string // the allow-list
	retry    bool     // retry reads as serve does, without sleeping
}

func newEnv(t testing.TB, o envOptions) *env {
	t.Helper()
	srv := emulator.NewServer(o.jira...)
	t.Cleanup(srv.Close)
	token := o.token
	if token == "" {
		token = emulator.DefaultToken
	}
	var opts []jira.Option
	if o.retry {
		opts = append(opts, jira.WithRetry(jira.DefaultRetryBudget), jira.WithSleep(func(ctx context.Context, _ time.Duration) error { return ctx.Err() }))
	}
	jc, err := jira.New(srv.URL, srv.ClientAs(token), opts...)
	if err != nil {
		t.Fatal(err)
	}
	return connect(t, srv, tools.New(jc).WithProjects(o.projects), o)
}

func connect(t testing.TB, srv *emulator.Server, ts *tools.Toolset, o envOptions) *env {
	t.Helper()
	s := newMCPServer()
	list, err := tools.Select(tools.Selection{ReadOnly: o.readOnly})
	if err != nil {
		t.Fatal(err)
	}
	s.AddTools(ts.ServerTools(list)...)
	return start(t, s, srv, o)
}

// newMCPServer returns an MCP server that checks every result against its
// tool's output schema.
func newMCPServer() *mcpserver.MCPServer {
	return mcpserver.NewMCPServer("jira-mcp", "test",
		mcpserver.WithToolCapabilities(false), mcpserver.WithOutputSchemaValidation())
}

// start connects a client to s on the protocol version o asks for.
func start(t testing.TB, s *mcpserver.MCPServer, srv *emulator.Server, o envOptions) *env {
	t.Helper()
	version := o.version
	if version == "" {
		version = mcp.ProtocolVersion20251125
	}
	c, err := client.NewInProcessClientWithOptions(s, client.WithProtocolVersion(version))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	init := mcp.InitializeRequest{}
	init.Params.ProtocolVersion = version
	init.Params.ClientInfo = mcp.Implementation{Name: "jira-mcp-test", Version: "1"}
	res, err := c.Initialize(ctx, init)
	if err != nil {
		t.Fatalf("initialize (%s): %v", version, err)
	}
	if res.ProtocolVersion != version {
		t.Fatalf("negotiated %s, want %s", res.ProtocolVersion, version)
	}
	if srv != nil {
		srv.ResetRequests()
	}
	return &env{t: t, jira: srv, c: c}
}

// call runs a tool and returns its result; a protocol error fails the test.
func (e *env) call(name string, args map[string]any) *mcp.CallToolResult {
	e.t.Helper()
	req := mcp.CallToolRequest{}
	req.Params.Name = name
	req.Params.Arguments = args
	res, err := e.c.CallTool(context.Background(), req)
	if err != nil {
		e.t.Fatalf("%s: %v", name, err)
	}
	return res
}

// ok runs a tool that must succeed and returns its text.
func (e *env) ok(name string, args map[string]any) (string, *mcp.CallToolResult) {
	e.t.Helper()
	res := e.call(name, args)
	if res.IsError {
		e.t.Fatalf("%s(%v) failed: %s", name, args, tools.Text(res))
	}
	return tools.Text(res), res
}

// fail runs a tool that must answer isError and returns its text.
func (e *env) fail(name string, args map[string]any) string {
	e.t.Helper()
	res := e.call(name, args)
	if !res.IsError {
		e.t.Fatalf("%s(%v) succeeded, want an error result: %s", name, args, tools.Text(res))
	}
	return tools.Text(res)
}

// requests returns what Jira received, optionally only for one method and
// path prefix.
func (e *env) requests(method, prefix string) []emulator.Request {
	var out []emulator.Request
	for _, r := range e.jira.Requests() {
		if (method == "" || r.Method == method) && strings.HasPrefix(r.Path, prefix) {
			out = append(out, r)
		}
	}
	return out
}

// structured decodes a result's structured content into v.
func structured(t testing.TB, r *mcp.CallToolResult, v any) {
	t.Helper()
	var raw []byte
	if len(r.RawStructuredContent) > 0 {
		raw = r.RawStructuredContent
	} else {
		var err error
		if raw, err = json.Marshal(r.StructuredContent); err != nil {
			t.Fatal(err)
		}
	}
	if err := json.Unmarshal(raw, v); err != nil {
		t.Fatalf("structured content %s: %v", raw, err)
	}
}

// jsonEq compares a request body with the expected JSON, ignoring layout.
func jsonEq(t testing.TB, got []byte, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("body %q: %v", got, err)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatal(err)
	}
	gb, _ := json.Marshal(g)
	wb, _ := json.Marshal(w)
	if string(gb) != string(wb) {
		t.Errorf("Jira received\n %s\nwant\n %s", gb, wb)
	}
}

// forEachVersion runs f once per protocol version.
func forEachVersion(t *testing.T, f func(t *testing.T, version string)) {
	for _, v := range versions {
		t.Run(v, func(t *testing.T) { f(t, v) })
	}
}
