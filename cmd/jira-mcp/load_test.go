package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Load: calls per op and calls in flight, as in issue 8.
const (
	loadCalls    = 500
	loadInFlight = 50
)

// loadArgs are the calls the load cycles through: reads only, so the
// emulator's state does not grow from one op to the next.
var loadArgs = []string{
	`{"name":"jira_search","arguments":{"jql":"project = WEB ORDER BY updated DESC"}}`,
	`{"name":"jira_get_issue","arguments":{"issue_key":"WEB-1"}}`,
	`{"name":"jira_get_transitions","arguments":{"issue_key":"WEB-2"}}`,
	`{"name":"jira_get_comments","arguments":{"issue_key":"WEB-2"}}`,
}

// BenchmarkLoadDemo runs `jira-mcp demo` and, per op, sends it 500
// tools/call over stdio with 50 in flight. The emulator answers in
// process, with no network or Jira time, so a call's round trip is what
// jira-mcp adds (JSON-RPC in and out, queueing, the handler, the
// emulator's own work). It reports the calls answered with a result (all
// of them, or the benchmark fails), the answers that were errors or busy,
// the 50th and 99th percentile round trip, and the child's peak RSS
// (VmHWM, read before it exits). Goroutines are not reported: the binary
// exposes no count, and none is added for a benchmark.
func BenchmarkLoadDemo(b *testing.B) {
	cmd := exec.Command(binary(b), "demo", "--log-level", "error")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	defer func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
	}()

	// One reader hands each answer to the call waiting for its id.
	var (
		mu      sync.Mutex
		waiting = map[string]chan []byte{}
	)
	go func() {
		sc := bufio.NewScanner(stdout)
		sc.Buffer(nil, 4<<20)
		for sc.Scan() {
			var m struct {
				ID json.RawMessage `json:"id"`
			}
			if json.Unmarshal(sc.Bytes(), &m) != nil {
				continue
			}
			mu.Lock()
			ch := waiting[string(m.ID)]
			delete(waiting, string(m.ID))
			mu.Unlock()
			if ch != nil {
				ch <- append([]byte(nil), sc.Bytes()...)
			}
		}
		mu.Lock()
		for _, ch := range waiting {
			close(ch)
		}
		waiting = nil
		mu.Unlock()
	}()
	var writeMu sync.Mutex
	send := func(id int, msg string) (<-chan []byte, error) {
		ch := make(chan []byte, 1)
		mu.Lock()
		if waiting == nil {
			mu.Unlock()
			return nil, io.ErrUnexpectedEOF
		}
		waiting[strconv.Itoa(id)] = ch
		mu.Unlock()
		writeMu.Lock()
		defer writeMu.Unlock()
		_, err := io.WriteString(stdin, msg+"\n")
		return ch, err
	}

	var nextID atomic.Int64
	nextID.Store(1)
	init, err := send(1, `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"load","version":"1"}}}`)
	if err != nil {
		b.Fatal(err)
	}
	if _, ok := <-init; !ok {
		b.Fatalf("no answer to initialize; stderr:\n%s", stderr.String())
	}
	writeMu.Lock()
	io.WriteString(stdin, `{"jsonrpc":"2.0","method":"notifications/initialized"}`+"\n")
	writeMu.Unlock()

	var (
		lats                 []time.Duration
		answered, errs, busy int
		latMu                sync.Mutex
		sent                 int
	)
	b.ResetTimer()
	for b.Loop() {
		var left atomic.Int64
		left.Store(loadCalls)
		var wg sync.WaitGroup
		for range loadInFlight {
			wg.Go(func() {
				var local []time.Duration
				var ok, isErr, isBusy int
				for left.Add(-1) >= 0 {
					id := int(nextID.Add(1))
					msg := fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"method":"tools/call","params":%s}`, id, loadArgs[id%len(loadArgs)])
					start := time.Now()
					ch, err := send(id, msg)
					if err != nil {
						b.Errorf("send %d: %v", id, err)
						return
					}
					line, open := <-ch
					if !open {
						b.Errorf("stdout closed before the answer to %d", id)
						return
					}
					local = append(local, time.Since(start))
					switch {
					case !bytes.Contains(line, []byte(`"result":`)):
						b.Errorf("call %d: %s", id, line)
					case bytes.Contains(line, []byte(`"jira-mcp/error":"busy"`)):
						isBusy++
					case bytes.Contains(line, []byte(`"isError":true`)):
						isErr++
					default:
						ok++
					}
				}
				latMu.Lock()
				lats = append(lats, local...)
				answered += ok
				errs += isErr
				busy += isBusy
				latMu.Unlock()
			})
		}
		wg.Wait()
		sent += loadCalls
	}
	b.StopTimer()

	rss, rssErr := vmHWM(cmd.Process.Pid)
	stdin.Close()
	if err := cmd.Wait(); err != nil {
		b.Errorf("demo exited with %v; stderr:\n%s", err, stderr.String())
	}
	if answered != sent {
		b.Errorf("%d of %d calls answered with a result (%d errors, %d busy)", answered, sent, errs, busy)
	}
	b.ReportMetric(float64(answered)/float64(b.N), "answered/op")
	b.ReportMetric(float64(errs+busy)/float64(b.N), "failed/op")
	if len(lats) > 0 {
		slices.Sort(lats)
		b.ReportMetric(float64(lats[len(lats)/2].Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(lats[len(lats)*99/100].Microseconds())/1000, "p99-ms")
	}
	if rssErr != nil {
		b.Logf("peak RSS not read: %v", rssErr)
	} else {
		b.ReportMetric(float64(rss)/1024, "peak-rss-MiB")
	}
}

// vmHWM returns a process's peak resident set size in KiB, from Linux's
// /proc/<pid>/status.
func vmHWM(pid int) (int, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for line := range strings.Lines(string(data)) {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			return strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(rest), " kB"))
		}
	}
	return 0, fmt.Errorf("no VmHWM in /proc/%d/status", pid)
}
