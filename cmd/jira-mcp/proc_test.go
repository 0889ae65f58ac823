package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// mcpProc is jira-mcp running as a subprocess, driven over stdio the way an
// MCP client drives it. Every line it writes to stdout must be JSON-RPC.
type mcpProc struct {
	t          testing.TB
	cmd        *exec.Cmd
	stdin      io.WriteCloser
	out        *bufio.Reader
	stderr     bytes.Buffer
	transcript strings.Builder // everything read from stdout
	id         int
}

// startMCP runs the built binary with args and env added to the test's
// environment, and performs the 2025-11-25 initialize handshake.
func startMCP(t testing.TB, env []string, args ...string) *mcpProc {
	t.Helper()
	p := &mcpProc{t: t, cmd: exec.Command(binary(t), args...)}
	p.cmd.Env = append(os.Environ(), env...)
	p.stdin, _ = p.cmd.StdinPipe()
	stdout, _ := p.cmd.StdoutPipe()
	p.cmd.Stderr = &p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.cmd.Process.Kill() })
	p.out = bufio.NewReaderSize(stdout, 1<<16)
	p.request("initialize", map[string]any{"protocolVersion": "2025-11-25", "capabilities": map[string]any{}, "clientInfo": map[string]any{"name": "test", "version": "1"}})
	fmt.Fprintln(p.stdin, `{"jsonrpc":"2.0","method":"notifications/initialized"}`)
	return p
}

// request sends one request and returns its response, checking every line
// read on the way.
func (p *mcpProc) request(method string, params any) map[string]any {
	p.t.Helper()
	p.id++
	msg, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": p.id, "method": method, "params": params})
	fmt.Fprintf(p.stdin, "%s\n", msg)
	for {
		line, err := p.out.ReadBytes('\n')
		if err != nil {
			p.t.Fatalf("%s: %v; stderr:\n%s", method, err, p.stderr.String())
		}
		p.transcript.Write(line)
		var m map[string]any
		if err := json.Unmarshal(line, &m); err != nil || m["jsonrpc"] != "2.0" {
			p.t.Fatalf("stdout line is not JSON-RPC: %q", line)
		}
		if m["id"] == float64(p.id) {
			return m
		}
	}
}

// call runs a tool and returns its result as JSON text and whether it was
// an error result.
func (p *mcpProc) call(tool string, args map[string]any) (string, bool) {
	p.t.Helper()
	res := p.request("tools/call", map[string]any{"name": tool, "arguments": args})
	r, _ := json.Marshal(res["result"])
	return string(r), strings.Contains(string(r), `"isError":true`)
}

// close ends the session by closing stdin and waits for a clean exit.
func (p *mcpProc) close() {
	p.t.Helper()
	p.stdin.Close()
	rest, _ := io.ReadAll(p.out)
	p.transcript.Write(rest)
	done := make(chan error, 1)
	go func() { done <- p.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			p.t.Errorf("exited with %v; stderr:\n%s", err, p.stderr.String())
		}
	case <-time.After(20 * time.Second):
		p.t.Fatal("did not exit after stdin closed")
	}
}
