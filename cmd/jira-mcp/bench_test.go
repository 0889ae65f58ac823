package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os/exec"
	"syscall"
	"testing"
	"time"
)

// BenchmarkStartup measures from spawning `jira-mcp demo` to reading its
// answer to initialize (what Claude Code waits for), and reports the
// process's peak RSS after a short session of searches.
func BenchmarkStartup(b *testing.B) {
	bin := binary(b)
	var maxRSS int64
	for b.Loop() {
		cmd := exec.Command(bin, "demo", "--log-level", "error")
		stdin, _ := cmd.StdinPipe()
		stdout, _ := cmd.StdoutPipe()
		start := time.Now()
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		io.WriteString(stdin, `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"bench","version":"1"}}}`+"\n")
		r := bufio.NewReader(stdout)
		if _, err := r.ReadBytes('\n'); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		_ = start
		io.WriteString(stdin, `{"jsonrpc":"2.0","method":"notifications/initialized"}`+"\n")
		for i := 0; i < 20; i++ {
			fmt.Fprintf(stdin, `{"jsonrpc":"2.0","id":%d,"method":"tools/call","params":{"name":"jira_search","arguments":{"jql":"ORDER BY updated DESC","limit":100}}}`+"\n", i+2)
			if _, err := r.ReadBytes('\n'); err != nil {
				b.Fatal(err)
			}
		}
		stdin.Close()
		io.Copy(io.Discard, r)
		cmd.Wait()
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok && ru.Maxrss > maxRSS {
			maxRSS = ru.Maxrss // KiB on Linux
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(maxRSS)/1024, "peak-rss-MiB")
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
