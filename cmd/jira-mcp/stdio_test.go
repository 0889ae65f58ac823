package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"
)

// binPath is jira-mcp built once, in TestMain, before any test changes the
// environment (tests set XDG_CACHE_HOME, which would move Go's build cache
// and rebuild everything).
var binPath string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "jira-mcp-bin")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binPath = filepath.Join(dir, "jira-mcp")
	if out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "go build: %v\n%s", err, out)
		os.Exit(1)
	}
	// serve keeps an audit log in the user's state folder: never the
	// developer's own, in tests.
	os.Setenv("XDG_STATE_HOME", filepath.Join(dir, "state"))
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// binary returns the jira-mcp built for the tests that run it.
func binary(t testing.TB) string { return binPath }

// TestDemoStdoutIsJSONRPC drives `jira-mcp demo` the way Claude Code does
// (protocol 2025-11-25, initialize handshake) and checks that every byte
// it writes to stdout is a JSON-RPC 2.0 message, and logs go to stderr.
func TestDemoStdoutIsJSONRPC(t *testing.T) {
	cmd := exec.Command(binary(t), "demo", "--log-level", "debug")
	stdin, _ := cmd.StdinPipe()
	stdoutPipe, _ := cmd.StdoutPipe()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan []byte, 16)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(stdoutPipe)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			lines <- append([]byte(nil), sc.Bytes()...)
		}
	}()
	msgs := []string{
		`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"test","version":"1"}}}`,
		`{"jsonrpc":"2.0","method":"notifications/initialized"}`,
		`{"jsonrpc":"2.0","id":2,"method":"tools/list"}`,
		`{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"jira_search","arguments":{"jql":"project = WEB ORDER BY key ASC","limit":2}}}`,
		`{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"jira_get_issue","arguments":{"issue_key":"NOPE-1"}}}`,
		`{"jsonrpc":"2.0","id":5,"method":"prompts/list"}`,
	}
	for _, m := range msgs {
		io.WriteString(stdin, m+"\n")
	}
	// Read the answers before closing stdin: closing it cancels calls.
	got := map[float64]map[string]any{}
	timeout := time.After(30 * time.Second)
	var extra [][]byte
read:
	for len(got) < 5 {
		select {
		case l, ok := <-lines:
			if !ok {
				break read
			}
			var m map[string]any
			if err := json.Unmarshal(l, &m); err != nil || m["jsonrpc"] != "2.0" {
				t.Fatalf("stdout line is not JSON-RPC 2.0: %q", l)
			}
			if id, ok := m["id"].(float64); ok {
				got[id] = m
			} else {
				// mcp-go v1.2.1 writes notifications from another goroutine,
				// so one sent during a call can arrive after its result: the
				// server sends none (see package server).
				t.Errorf("unexpected notification: %s", l)
			}
		case <-timeout:
			t.Fatal("timed out waiting for answers")
		}
	}
	stdin.Close()
	for l := range lines {
		extra = append(extra, l)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("demo exited with %v; stderr:\n%s", err, stderr.String())
	}
	for _, l := range extra {
		var m map[string]any
		if err := json.Unmarshal(l, &m); err != nil || m["jsonrpc"] != "2.0" {
			t.Fatalf("stdout line is not JSON-RPC 2.0: %q", l)
		}
	}
	for id := 1.0; id <= 5; id++ {
		if got[id] == nil || got[id]["result"] == nil {
			t.Errorf("no result for request %v: %v", id, got[id])
		}
	}
	if v := got[1]["result"].(map[string]any)["protocolVersion"]; v != "2025-11-25" {
		t.Errorf("protocolVersion %v", v)
	}
	res3, _ := json.Marshal(got[3]["result"])
	if !strings.Contains(string(res3), `WEB-1|In Progress|Checkout redesign|alice`) {
		t.Errorf("search result %s", res3)
	}
	res4, _ := json.Marshal(got[4]["result"])
	if !strings.Contains(string(res4), `"isError":true`) || !strings.Contains(string(res4), "NOPE-1 does not exist") {
		t.Errorf("get_issue result %s", res4)
	}
	if !strings.Contains(stderr.String(), "tool=jira_search") || !strings.Contains(stderr.String(), "outcome=ok") {
		t.Errorf("stderr lacks the call log lines:\n%s", stderr.String())
	}
}

// TestDemoWithMCPClient runs the binary under mcp-go's own stdio client on
// both protocol versions.
func TestDemoWithMCPClient(t *testing.T) {
	for _, v := range []string{mcp.ProtocolVersion20251125, mcp.ProtocolVersion20260728} {
		t.Run(v, func(t *testing.T) {
			tr := transport.NewStdio(binary(t), nil, "demo", "--log-level", "error")
			c := client.NewClient(tr, client.WithProtocolVersion(v))
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			if err := c.Start(ctx); err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			init := mcp.InitializeRequest{}
			init.Params.ProtocolVersion = v
			init.Params.ClientInfo = mcp.Implementation{Name: "test", Version: "1"}
			res, err := c.Initialize(ctx, init)
			if err != nil {
				t.Fatal(err)
			}
			if res.ProtocolVersion != v || res.ServerInfo.Name != "jira-mcp" {
				t.Errorf("initialize: %s %s", res.ProtocolVersion, res.ServerInfo.Name)
			}
			req := mcp.CallToolRequest{}
			req.Params.Name = "jira_get_transitions"
			req.Params.Arguments = map[string]any{"issue_key": "WEB-2"}
			out, err := c.CallTool(ctx, req)
			if err != nil {
				t.Fatal(err)
			}
			if out.IsError || !strings.Contains(mcp.GetTextFromContent(out.Content[0]), "11 Start Progress -> In Progress") {
				t.Errorf("transitions: %+v", out.Content)
			}
		})
	}
}

// A client that writes its requests and closes stdin at once (a script, or
// a client shutting down) gets every answer: the calls already read finish
// before the server exits, instead of being cancelled mid-way (a write
// cut off in flight has an unknown outcome).
func TestDemoFinishesCallsWhenStdinCloses(t *testing.T) {
	cmd := exec.Command(binary(t), "demo", "--log-level", "error")
	cmd.Stdin = strings.NewReader(strings.Join([]string{
		`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"test","version":"1"}}}`,
		`{"jsonrpc":"2.0","method":"notifications/initialized"}`,
		`{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"jira_add_comment","arguments":{"issue_key":"WEB-2","body":"Deployed to staging."}}}`,
		`{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"jira_search","arguments":{"jql":"project = WEB"}}}`,
	}, "\n") + "\n")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("demo: %v", err)
	}
	for _, want := range []string{`"id":1,"result"`, `"id":2,"result"`, `Added comment`, `"id":3,"result"`, `"total":`} {
		if !strings.Contains(string(out), want) {
			t.Errorf("stdout lacks %s:\n%s", want, out)
		}
	}
	if strings.Contains(string(out), "Cancelled") {
		t.Errorf("calls were cancelled:\n%s", out)
	}
}
