package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"syscall"
	"testing"
)

// BenchmarkStartup measures from spawning `jira-mcp serve` to reading its
// answer to initialize, which is what an agent's client waits for. (With
// no login configured: serve reads neither keyring nor network before
// the first tool call anyway.)
func BenchmarkStartup(b *testing.B) {
	bin := binary(b)
	dir := b.TempDir()
	env := append(os.Environ(), "JIRA_URL=", "JIRA_OAUTH_CLIENT_ID=", "JIRA_MCP_CONFIG="+dir+"/none.json")
	for b.Loop() {
		cmd := exec.Command(bin, "serve", "--log-level", "error")
		cmd.Env = env
		stdin, _ := cmd.StdinPipe()
		stdout, _ := cmd.StdoutPipe()
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		io.WriteString(stdin, `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"bench","version":"1"}}}`+"\n")
		if _, err := bufio.NewReader(stdout).ReadBytes('\n'); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		stdin.Close()
		cmd.Wait()
		b.StartTimer()
	}
}

// BenchmarkServeSession runs `jira-mcp serve`, logged in through the
// emulator's OAuth provider, against the emulator over loopback: one op is
// one jira_search of 20 issues through stdio. It reports the server's
// peak RSS over the whole session.
func BenchmarkServeSession(b *testing.B) {
	srv, _, _ := authEnv(b)
	if _, errOut, code := runAuth(b, authCanarySecret+"\n", "login", "--url", srv.URL, "--client-secret-stdin"); code != 0 {
		b.Fatalf("login: %s", errOut)
	}
	b.Setenv("JIRA_URL", "") // the URL comes from the config file login saved
	cmd := exec.Command(binary(b), "serve", "--log-level", "error")
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	r := bufio.NewReader(stdout)
	io.WriteString(stdin, `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"bench","version":"1"}}}`+"\n"+`{"jsonrpc":"2.0","method":"notifications/initialized"}`+"\n")
	if _, err := r.ReadBytes('\n'); err != nil {
		b.Fatal(err)
	}
	id := 1
	b.ResetTimer()
	for b.Loop() {
		id++
		fmt.Fprintf(stdin, `{"jsonrpc":"2.0","id":%d,"method":"tools/call","params":{"name":"jira_search","arguments":{"jql":"project in (WEB, API, MOB) ORDER BY updated DESC"}}}`+"\n", id)
		line, err := r.ReadBytes('\n')
		if err != nil || bytes.Contains(line, []byte(`"isError":true`)) {
			b.Fatalf("%v %s", err, line)
		}
	}
	b.StopTimer()
	stdin.Close()
	io.Copy(io.Discard, r)
	cmd.Wait()
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		b.ReportMetric(float64(ru.Maxrss)/1024, "peak-rss-MiB")
	}
}
