package auth

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"
)

// The test binary re-executes itself as a jira-mcp-like process when this
// variable is set: see childMain.
const (
	childEnv        = "JIRA_MCP_AUTH_TEST_CHILD"
	childLockDirEnv = "JIRA_MCP_AUTH_TEST_LOCKDIR"
	childGoroutines = 8
)

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) != "" {
		os.Exit(childMain())
	}
	os.Exit(m.Run())
}

type childReport struct {
	OK      int      `json:"ok"`
	Errors  []string `json:"errors"`
	Cmdline string   `json:"cmdline"`
}

// childMain is one server process: settings from the config file and the
// environment as `serve` gets them, N goroutines each calling Jira through
// the session once the parent says go.
func childMain() int {
	s, err := Resolve(Flags{}, os.Getenv)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	s.LockDir = os.Getenv(childLockDirEnv)
	sess, err := Open(context.Background(), s)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	fmt.Println("ready")
	if _, err := bufio.NewReader(os.Stdin).ReadString('\n'); err != nil {
		return 2
	}
	var mu sync.Mutex
	var rep childReport
	var wg sync.WaitGroup
	for range childGoroutines {
		wg.Go(func() {
			resp, err := sess.HTTPClient().Get(sess.BaseURL() + "/rest/api/2/myself")
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				rep.Errors = append(rep.Errors, err.Error())
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				rep.Errors = append(rep.Errors, resp.Status)
				return
			}
			rep.OK++
		})
	}
	wg.Wait()
	cmdline, _ := os.ReadFile("/proc/self/cmdline")
	rep.Cmdline = string(cmdline)
	json.NewEncoder(os.Stdout).Encode(rep)
	return 0
}

// TestMultiProcessRefresh: three processes, N goroutines each, all calling
// Jira through one access-token expiry: the refresh token is redeemed once
// (rotation would answer invalid_grant to a second redemption) and every
// call succeeds.
func TestMultiProcessRefresh(t *testing.T) {
	for _, backend := range []string{"file", "keyctl", "secret-service"} {
		t.Run(backend, func(t *testing.T) {
			e := newEnv(t, backend)
			requireBackend(t, e.settings)
			e.login(t, nil)
			t.Cleanup(func() { Logout(context.Background(), e.settings) })

			// The access token has expired: in the refresher's view (expiry
			// in the past) and in Jira's.
			rec := e.stored(t)
			rec.Expiry = time.Now().Add(-time.Minute)
			e.put(t, rec)
			e.provider.ExpireAccessTokens()

			const procs = 3
			type child struct {
				cmd    *exec.Cmd
				stdin  io.WriteCloser
				stdout *bufio.Reader
				stderr *syncBuffer
			}
			var children []*child
			for range procs {
				cmd := exec.Command(os.Args[0], "-test.run=^$")
				cmd.Env = append(os.Environ(),
					childEnv+"=1",
					EnvConfig+"="+e.settings.ConfigPath,
					EnvKeyringDir+"="+e.settings.KeyringDir,
					childLockDirEnv+"="+e.settings.LockDir,
				)
				c := &child{cmd: cmd, stderr: &syncBuffer{}}
				cmd.Stderr = c.stderr
				var err error
				if c.stdin, err = cmd.StdinPipe(); err != nil {
					t.Fatal(err)
				}
				out, err := cmd.StdoutPipe()
				if err != nil {
					t.Fatal(err)
				}
				c.stdout = bufio.NewReader(out)
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
				children = append(children, c)
			}
			for i, c := range children {
				if line, err := c.stdout.ReadString('\n'); strings.TrimSpace(line) != "ready" {
					t.Fatalf("child %d: %q %v; stderr: %s", i, line, err, c.stderr)
				}
			}
			for _, c := range children { // all start together
				io.WriteString(c.stdin, "go\n")
			}
			for i, c := range children {
				var rep childReport
				if err := json.NewDecoder(c.stdout).Decode(&rep); err != nil {
					t.Fatalf("child %d report: %v; stderr: %s", i, err, c.stderr)
				}
				if err := c.cmd.Wait(); err != nil {
					t.Errorf("child %d: %v", i, err)
				}
				if rep.OK != childGoroutines || len(rep.Errors) != 0 {
					t.Errorf("child %d: %d ok, errors %v", i, rep.OK, rep.Errors)
				}
				assertNoCanary(t, fmt.Sprintf("child %d stderr", i), c.stderr.String())
				assertNoCanary(t, fmt.Sprintf("child %d arguments", i), rep.Cmdline)
			}
			if got := e.provider.Refreshes(); got != 1 {
				t.Errorf("refreshes = %d, want exactly 1", got)
			}
			if got := e.provider.Rejected("invalid_grant"); got != 0 {
				t.Errorf("invalid_grant answered %d times", got)
			}
			if after := e.stored(t); after.RefreshToken == rec.RefreshToken {
				t.Error("the rotated refresh token is not in the keyring")
			}
		})
	}
}
