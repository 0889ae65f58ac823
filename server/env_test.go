package server_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"
	mcpserver "github.com/mark3labs/mcp-go/server"

	"github.com/jira-mcp/jira-mcp/server"
	"github.com/jira-mcp/jira-mcp/tools"
	"github.com/jira-mcp/jira-mcp/tools/jira"
	"github.com/jira-mcp/jira-mcp/tools/jira/emulator"
)

// Protocol versions every tool is tested on: what Claude Code speaks, and
// what mcp-go's client speaks by default.
var versions = []string{mcp.ProtocolVersion20251125, mcp.ProtocolVersion20260728}

// env is an MCP client connected in process to jira-mcp's server, whose
// Jira is an emulator listening on loopback.
type env struct {
	t    testing.TB
	jira *emulator.Server
	c    *client.Client
	init *mcp.InitializeResult // the server's answer to initialize
}

type envOptions struct {
	readOnly bool
	only     []string // register only these tools (Options.ServerTools)
	version  string
	jira     []emulator.Option
	token    string
	audit    *server.Audit
}

func newEnv(t testing.TB, o envOptions) *env {
	t.Helper()
	srv := emulator.NewServer(o.jira...)
	t.Cleanup(srv.Close)
	token := o.token
	if token == "" {
		token = emulator.DefaultToken
	}
	jc, err := jira.New(srv.URL, srv.ClientAs(token))
	if err != nil {
		t.Fatal(err)
	}
	return connect(t, srv, tools.New(jc), o)
}

func connect(t testing.TB, srv *emulator.Server, ts *tools.Toolset, o envOptions) *env {
	t.Helper()
	opts := server.Options{Tools: ts, ReadOnly: o.readOnly, Version: "test", Audit: o.audit}
	if o.only != nil {
		opts.ServerTools = []mcpserver.ServerTool{}
		for _, st := range ts.ServerTools(nil) {
			if slices.Contains(o.only, st.Tool.Name) {
				opts.ServerTools = append(opts.ServerTools, st)
			}
		}
	}
	s := server.New(opts)
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
	return &env{t: t, jira: srv, c: c, init: res}
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

// forEachVersion runs f once per protocol version.
func forEachVersion(t *testing.T, f func(t *testing.T, version string)) {
	for _, v := range versions {
		t.Run(v, func(t *testing.T) { f(t, v) })
	}
}
