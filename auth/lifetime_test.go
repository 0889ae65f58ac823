package auth

import (
	"context"
	"net/http"
	"sync/atomic"
	"testing"
	"time"
)

// TestShortTokenLifetime: Jira may be set to issue access tokens that live
// less than the minute kept as a margin. The margin then scales with the
// lifetime: a token is used until its last quarter, not refreshed on every
// call (4,747 refreshes in a minute, before).
func TestShortTokenLifetime(t *testing.T) {
	e := newEnvConfig(t, "file", "http", 40*time.Second)
	e.login(t, nil)
	s := e.open(t)
	for range 20 {
		if status, err := get(t, s, "/rest/api/2/myself"); status != 200 {
			t.Fatalf("%d %v", status, err)
		}
	}
	if n := e.provider.Refreshes(); n != 0 {
		t.Fatalf("%d refreshes for a token with 40 s left, want 0", n)
	}
	e.clock.Advance(31 * time.Second) // into the last quarter
	for range 20 {
		if status, err := get(t, s, "/rest/api/2/myself"); status != 200 {
			t.Fatalf("%d %v", status, err)
		}
	}
	if n := e.provider.Refreshes(); n != 1 {
		t.Fatalf("%d refreshes, want 1", n)
	}
}

// rotateOn is a transport for one process's requests to Jira's API: before
// passing on the nth, it runs rotate (another process refreshing).
type rotateOn struct {
	n      int32
	seen   atomic.Int32
	rotate func()
	next   http.RoundTripper
}

func (r *rotateOn) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Path != "/rest/oauth2/latest/token" && r.seen.Add(1) == r.n {
		r.rotate()
	}
	return r.next.RoundTrip(req)
}

// TestUnauthorizedRacesRefresh: a request refused because another process
// rotated the token is retried with the new one; when yet another
// rotation races that retry, it is retried again, not reported as a lost
// login (12 calls were, with short-lived tokens).
func TestUnauthorizedRacesRefresh(t *testing.T) {
	e := newEnv(t, "file")
	e.login(t, nil)
	other := e.open(t) // another process with the same login
	rotate := func() {
		tok, err := token(other)
		if err != nil {
			t.Error(err)
			return
		}
		if _, err := other.src.renew(context.Background(), tok.AccessToken); err != nil {
			t.Error(err)
		}
	}
	hook := &rotateOn{n: 2, rotate: rotate, next: http.DefaultTransport}
	s, err := Open(context.Background(), e.settings, append(e.opts, withHTTPClient(&http.Client{Transport: hook}))...)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := token(s); err != nil {
		t.Fatal(err)
	}
	rotate() // s's token is now revoked; its retry will race a second rotation
	if status, err := get(t, s, "/rest/api/2/myself"); status != 200 {
		t.Fatalf("status %d, %v; want the request retried with the newest token", status, err)
	}
	if n := e.provider.Refreshes(); n != 2 {
		t.Errorf("%d refreshes, want the 2 the other process made", n)
	}
}
