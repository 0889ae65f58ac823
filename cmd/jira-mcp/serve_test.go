package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestServeNeverLeaksSecrets logs in against the emulator's OAuth provider
// (tokens and client secret are canaries), then runs `jira-mcp serve` as
// the agent's client would and works through a token expiry. Every tool
// answers, exactly one refresh happens, and no canary reaches stdout (the
// MCP messages), stderr, the log file, the config file or the process's
// arguments and environment.
func TestServeNeverLeaksSecrets(t *testing.T) {
	srv, p, config := authEnv(t)
	if _, errOut, code := runAuth(t, authCanarySecret+"\n", "login", "--url", srv.URL, "--client-secret-stdin"); code != 0 {
		t.Fatalf("login: %s", errOut)
	}
	t.Setenv("JIRA_URL", "") // serve must find the URL in the config file
	logFile := filepath.Join(t.TempDir(), "serve.log")

	cmd := exec.Command(binary(t), "serve", "--log-level", "debug", "--log-file", logFile)
	stdin, _ := cmd.StdinPipe()
	stdoutPipe, _ := cmd.StdoutPipe()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	out := bufio.NewReader(stdoutPipe)
	var transcript strings.Builder
	id := 0
	send := func(method string, params any) map[string]any {
		t.Helper()
		id++
		msg, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": id, "method": method, "params": params})
		fmt.Fprintf(stdin, "%s\n", msg)
		for {
			line, err := out.ReadBytes('\n')
			if err != nil {
				t.Fatalf("%s: %v; stderr:\n%s", method, err, stderr.String())
			}
			transcript.Write(line)
			var m map[string]any
			if err := json.Unmarshal(line, &m); err != nil || m["jsonrpc"] != "2.0" {
				t.Fatalf("stdout line is not JSON-RPC: %q", line)
			}
			if m["id"] == float64(id) {
				return m
			}
		}
	}
	call := func(tool string, args map[string]any) string {
		t.Helper()
		res := send("tools/call", map[string]any{"name": tool, "arguments": args})
		r, _ := json.Marshal(res["result"])
		if !strings.Contains(string(r), `"text"`) || strings.Contains(string(r), `"isError":true`) {
			t.Errorf("%s: %s", tool, r)
		}
		return string(r)
	}
	send("initialize", map[string]any{"protocolVersion": "2025-11-25", "capabilities": map[string]any{}, "clientInfo": map[string]any{"name": "t", "version": "1"}})
	fmt.Fprintln(stdin, `{"jsonrpc":"2.0","method":"notifications/initialized"}`)
	send("tools/list", nil)

	if r := call("jira_search", map[string]any{"jql": "assignee = currentUser() ORDER BY key ASC", "limit": 3}); !strings.Contains(r, "alice") {
		t.Errorf("search as the logged-in user: %s", r)
	}
	call("jira_add_comment", map[string]any{"issue_key": "WEB-3", "body": "Reproduced on staging."})
	p.ExpireAccessTokens() // the next call meets a 401, refreshes once, retries
	call("jira_get_issue", map[string]any{"issue_key": "WEB-3"})
	call("jira_transition_issue", map[string]any{"issue_key": "WEB-2", "transition": "Start Progress", "comment": "Picking this up."})
	call("jira_get_comments", map[string]any{"issue_key": "WEB-2"})

	if n := p.Refreshes(); n != 1 {
		t.Errorf("%d refreshes, want exactly 1", n)
	}
	// The process as others see it: arguments and environment.
	procArgs, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", cmd.Process.Pid))
	procEnv, _ := os.ReadFile(fmt.Sprintf("/proc/%d/environ", cmd.Process.Pid))

	stdin.Close()
	rest, _ := io.ReadAll(out)
	transcript.Write(rest)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve exited with %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not exit after stdin closed")
	}
	logs, _ := os.ReadFile(logFile)
	cfg, _ := os.ReadFile(config)
	if !strings.Contains(string(logs), "tool=jira_transition_issue") {
		t.Errorf("log file lacks the call lines:\n%s", logs)
	}
	for what, s := range map[string]string{
		"MCP messages": transcript.String(), "stderr": stderr.String(), "log file": string(logs),
		"config file": string(cfg), "process arguments": string(procArgs), "process environment": string(procEnv),
	} {
		for _, c := range []string{authCanaryTokens, authCanarySecret, "Bearer "} {
			if strings.Contains(s, c) {
				t.Errorf("%s contains %q", what, c)
			}
		}
	}
}

// TestServeWithoutLogin starts with nothing configured: the server runs,
// and every tool tells the agent to ask the user to log in.
func TestServeWithoutLogin(t *testing.T) {
	dir := t.TempDir()
	cmd := exec.Command(binary(t), "serve")
	cmd.Env = append(os.Environ(), "JIRA_URL=", "JIRA_OAUTH_CLIENT_ID=", "JIRA_MCP_CONFIG="+filepath.Join(dir, "none.json"), "XDG_CONFIG_HOME="+dir)
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	io.WriteString(stdin, strings.Join([]string{
		`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}`,
		`{"jsonrpc":"2.0","method":"notifications/initialized"}`,
		`{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"jira_search","arguments":{"jql":"project = WEB"}}}`,
	}, "\n")+"\n")
	// Read both answers before closing stdin: closing it cancels calls.
	r := bufio.NewReader(stdout)
	var answers strings.Builder
	for i := 0; i < 2; i++ {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("serve: %v\n%s", err, stderr.String())
		}
		answers.WriteString(line)
	}
	stdin.Close()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("serve: %v\n%s", err, stderr.String())
	}
	if !strings.Contains(answers.String(), `"isError":true`) || !strings.Contains(answers.String(), "jira-mcp auth login") {
		t.Errorf("stdout:\n%s\nstderr:\n%s", answers.String(), stderr.String())
	}
}
