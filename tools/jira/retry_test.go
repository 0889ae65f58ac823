package jira

import (
	"context"
	"errors"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jira-mcp/jira-mcp/tools/jira/emulator"
)

// sleeper records the waits a client asks for, and never sleeps.
type sleeper struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (s *sleeper) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.waits = append(s.waits, d)
	s.mu.Unlock()
	return ctx.Err()
}

// retryClient is a client of the emulator whose waits are recorded, not
// slept, and whose jitter is none (the middle of its range). Requests go
// through fault first, when set.
func retryClient(t *testing.T, fault func(r *http.Request) (*http.Response, error)) (*Client, *emulator.Emulator, *sleeper) {
	t.Helper()
	e := emulator.New(emulator.WithBaseURL("http://127.0.0.1"))
	next := e.ClientAs(emulator.DefaultToken).Transport
	rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if fault != nil {
			if resp, err := fault(r); resp != nil || err != nil {
				return resp, err
			}
		}
		return next.RoundTrip(r)
	})
	s := &sleeper{}
	c, err := New(e.BaseURL(), &http.Client{Transport: rt}, WithRetry(DefaultRetryBudget), WithSleep(s.sleep))
	if err != nil {
		t.Fatal(err)
	}
	c.jitter = func() float64 { return 0.5 }
	return c, e, s
}

func count(e *emulator.Emulator, method, path string) int {
	n := 0
	for _, r := range e.Requests() {
		if r.Method == method && r.Path == path {
			n++
		}
	}
	return n
}

// Reads retry on 429 and 503 (honouring Retry-After), 502 and 504, with
// backoff, at most 3 attempts; the caller learns how many retries it took.
func TestReadRetries(t *testing.T) {
	cases := []struct {
		name     string
		status   int
		header   http.Header
		times    int
		attempts int
		waits    []time.Duration
		fails    bool
	}{
		{"503 twice", 503, nil, 2, 3, []time.Duration{250 * time.Millisecond, 500 * time.Millisecond}, false},
		{"502", 502, nil, 1, 2, []time.Duration{250 * time.Millisecond}, false},
		{"504", 504, nil, 1, 2, []time.Duration{250 * time.Millisecond}, false},
		{"429 Retry-After", 429, http.Header{"Retry-After": {"3"}}, 1, 2, []time.Duration{3 * time.Second}, false},
		{"503 Retry-After", 503, http.Header{"Retry-After": {"2"}}, 1, 2, []time.Duration{2 * time.Second}, false},
		// Waiting longer than the budget left is not done: the 429 goes back.
		{"429 Retry-After too long", 429, http.Header{"Retry-After": {"30"}}, 1, 1, nil, true},
		{"429 budget spent", 429, http.Header{"Retry-After": {"6"}}, 2, 2, []time.Duration{6 * time.Second}, true},
		{"at most 3 attempts", 503, nil, -1, 3, []time.Duration{250 * time.Millisecond, 500 * time.Millisecond}, true},
		{"500 is not retried", 500, nil, 1, 1, nil, true},
		{"404 is not retried", 404, nil, 1, 1, nil, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cl, e, s := retryClient(t, nil)
			e.Fail("GET", "/rest/api/2/myself", c.status, c.header, "", c.times)
			ctx, rs := CountRetries(context.Background())
			_, err := cl.Myself(ctx)
			if (err != nil) != c.fails {
				t.Fatalf("error %v", err)
			}
			if n := count(e, "GET", "/rest/api/2/myself"); n != c.attempts {
				t.Errorf("%d attempts, want %d", n, c.attempts)
			}
			if !slices.Equal(s.waits, c.waits) {
				t.Errorf("waits %v, want %v", s.waits, c.waits)
			}
			if rs.Count() != c.attempts-1 {
				t.Errorf("Retries.Count() = %d, want %d", rs.Count(), c.attempts-1)
			}
			var ae *APIError
			if c.fails && (!errors.As(err, &ae) || ae.Retries != c.attempts-1) {
				t.Errorf("error %v, want an *APIError with Retries %d", err, c.attempts-1)
			}
		})
	}
}

// Without WithRetry, nothing is retried.
func TestRetriesOff(t *testing.T) {
	c, e := newTestClient(t)
	e.Fail("GET", "/rest/api/2/myself", 503, nil, "", 1)
	if _, err := c.Myself(context.Background()); err == nil || count(e, "GET", "/rest/api/2/myself") != 1 {
		t.Errorf("error %v after %d attempts, want the 503 at once", err, count(e, "GET", "/rest/api/2/myself"))
	}
}

// The search POST reads: it is retried as a GET is.
func TestSearchRetried(t *testing.T) {
	c, e, _ := retryClient(t, nil)
	e.Fail("POST", "/rest/api/2/search", 502, nil, "", 1)
	ctx, rs := CountRetries(context.Background())
	res, err := c.Search(ctx, SearchRequest{JQL: "project = WEB", MaxResults: 1})
	if err != nil || len(res.Issues) != 1 {
		t.Fatalf("%v %v", res, err)
	}
	if n := count(e, "POST", "/rest/api/2/search"); n != 2 || rs.Count() != 1 || rs.Note() != " (after 1 retry)" {
		t.Errorf("%d attempts, %d retries, note %q", n, rs.Count(), rs.Note())
	}
}

// Writes are never retried on an answer, nor on a connection broken after
// sending: Jira may have acted.
func TestWritesNotRetried(t *testing.T) {
	for _, status := range []int{429, 502, 503, 504} {
		c, e, s := retryClient(t, nil)
		e.Fail("POST", "/rest/api/2/issue/WEB-3/comment", status, http.Header{"Retry-After": {"1"}}, "", 1)
		if _, err := c.AddComment(context.Background(), "WEB-3", CommentInput{Body: "x"}); err == nil {
			t.Errorf("%d: no error", status)
		}
		if n := count(e, "POST", "/rest/api/2/issue/WEB-3/comment"); n != 1 || len(s.waits) != 0 {
			t.Errorf("%d: %d attempts, waits %v; want 1, none", status, n, s.waits)
		}
	}
	reset := &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}
	var calls int
	c, _, _ := retryClient(t, func(r *http.Request) (*http.Response, error) {
		calls++
		return nil, reset
	})
	if _, err := c.AddComment(context.Background(), "WEB-3", CommentInput{Body: "x"}); !errors.Is(err, syscall.ECONNRESET) || calls != 1 {
		t.Errorf("reset after sending: %v after %d calls, want no retry", err, calls)
	}
}

// A connection that could not even be opened never reached Jira: a write
// too is retried, and made once.
func TestDialErrorRetried(t *testing.T) {
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	var calls int
	c, e, s := retryClient(t, func(r *http.Request) (*http.Response, error) {
		if calls++; calls == 1 {
			return nil, refused
		}
		return nil, nil
	})
	ctx, rs := CountRetries(context.Background())
	if _, err := c.AddComment(ctx, "WEB-3", CommentInput{Body: "Deployed."}); err != nil {
		t.Fatal(err)
	}
	if n := count(e, "POST", "/rest/api/2/issue/WEB-3/comment"); n != 1 || rs.Count() != 1 || len(s.waits) != 1 {
		t.Errorf("Jira got %d comments after %d retries (waits %v), want 1 after 1", n, rs.Count(), s.waits)
	}
}

// Reads retry on a connection broken before any answer; not on what will
// not heal (a certificate, a refused redirect, the caller's deadline).
func TestReadConnectionErrors(t *testing.T) {
	for name, c := range map[string]struct {
		err   error
		tries int
	}{
		"reset":    {&net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}, 2},
		"refused":  {&net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}, 2},
		"redirect": {&RedirectError{To: "https://x", Site: "https://y"}, 1},
		"deadline": {context.DeadlineExceeded, 1},
		"timeout":  {&net.OpError{Op: "read", Net: "tcp", Err: timeout{}}, 1},
	} {
		t.Run(name, func(t *testing.T) {
			var calls int
			cl, _, _ := retryClient(t, func(r *http.Request) (*http.Response, error) {
				if calls++; calls == 1 {
					return nil, c.err
				}
				return nil, nil
			})
			_, err := cl.Myself(context.Background())
			if calls != c.tries || (c.tries == 1) != (err != nil) {
				t.Errorf("%d calls, error %v; want %d", calls, err, c.tries)
			}
		})
	}
}

type timeout struct{}

func (timeout) Error() string   { return "i/o timeout" }
func (timeout) Timeout() bool   { return true }
func (timeout) Temporary() bool { return true }

// A real closed port: dial errors, three attempts, each cancelled with the
// call's context.
func TestRetriesRealRefusal(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	var calls int
	s := &sleeper{}
	c, err := New("http://"+addr, &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		calls++
		return http.DefaultTransport.RoundTrip(r)
	})}, WithRetry(DefaultRetryBudget), WithSleep(s.sleep))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Myself(context.Background()); err == nil || calls != 3 || len(s.waits) != 2 {
		t.Errorf("error %v after %d calls and waits %v, want 3 calls", err, calls, s.waits)
	}
	// Cancelled while waiting: no further attempt.
	calls = 0
	ctx, cancel := context.WithCancel(context.Background())
	c.sleep = func(context.Context, time.Duration) error { cancel(); return context.Canceled }
	if _, err := c.Myself(ctx); err == nil || calls != 1 {
		t.Errorf("cancelled: error %v after %d calls, want 1", err, calls)
	}
}

func TestRetriesNote(t *testing.T) {
	var none *Retries
	if none.Count() != 0 || none.Note() != "" {
		t.Error("nil Retries")
	}
	_, rs := CountRetries(context.Background())
	if rs.Note() != "" {
		t.Errorf("note %q", rs.Note())
	}
	rs.add()
	rs.add()
	if rs.Note() != " (after 2 retries)" || !strings.Contains(rs.Note(), "2") {
		t.Errorf("note %q", rs.Note())
	}
}
