package jira

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/jira-mcp/jira-mcp/tools/jira/site"
)

// Retries, when turned on with WithRetry: reads (site.Reads: GET, and the
// search POST) are sent again on 429 and 503 (after Retry-After when Jira
// gives one), 502 and 504, and on a connection error that came before any
// answer; writes only on an error opening the connection, which certainly
// did not reach Jira. At most maxAttempts in all, with jittered
// exponential backoff; the waits of one call add up to at most the
// budget (a Retry-After longer than what is left is not waited for: the
// 429 goes back). Each wait ends with the call's context.
const (
	maxAttempts = 3
	backoffBase = 250 * time.Millisecond

	// DefaultRetryBudget is the usual bound of one call's waits.
	DefaultRetryBudget = 10 * time.Second
)

// Option adjusts New.
type Option func(*Client)

// WithRetry turns retries on (see above), the waits of one call adding up
// to at most budget.
func WithRetry(budget time.Duration) Option {
	return func(c *Client) { c.retryBudget = budget }
}

// WithSleep replaces how the client waits between retries (by default a
// timer ended by the call's context): tests and benchmarks record the
// waits instead of sleeping. f must return ctx.Err() if ctx ended.
func WithSleep(f func(ctx context.Context, d time.Duration) error) Option {
	return func(c *Client) { c.sleep = f }
}

// Retries counts the retries the client made for the calls given a
// context from CountRetries, so that a tool can say so ("(after 2
// retries)"). Its methods are safe for concurrent use, and on nil.
type Retries struct{ n atomic.Int32 }

type retriesKey struct{}

// CountRetries returns a context whose calls count their retries in the
// returned *Retries.
func CountRetries(ctx context.Context) (context.Context, *Retries) {
	r := &Retries{}
	return context.WithValue(ctx, retriesKey{}, r), r
}

// Count returns how many retries the calls made.
func (r *Retries) Count() int {
	if r == nil {
		return 0
	}
	return int(r.n.Load())
}

// Note returns " (after N retries)", or "" when there were none: to append
// to a sentence of a tool's text.
func (r *Retries) Note() string {
	switch n := r.Count(); n {
	case 0:
		return ""
	case 1:
		return " (after 1 retry)"
	default:
		return fmt.Sprintf(" (after %d retries)", n)
	}
}

func (r *Retries) add() {
	if r != nil {
		r.n.Add(1)
	}
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// retrying runs attempt until it succeeds or may not be retried (see the
// constants above), waiting with c.sleep in between. An *APIError that
// comes back after retries says how many in Retries.
func (c *Client) retrying(ctx context.Context, method, path string, attempt func() error) error {
	reads := site.Reads(method, path)
	counter, _ := ctx.Value(retriesKey{}).(*Retries)
	var waited time.Duration
	for n := 1; ; n++ {
		err := attempt()
		wait, again := c.retryWait(reads, err, n, c.retryBudget-waited)
		if !again || c.sleep(ctx, wait) != nil {
			if ae, ok := errors.AsType[*APIError](err); ok {
				ae.Retries = n - 1
			}
			return err
		}
		waited += wait
		counter.add()
	}
}

// retryWait says whether attempt n, which failed with err, may be made
// again, and after how long; left is what remains of the budget.
func (c *Client) retryWait(reads bool, err error, n int, left time.Duration) (time.Duration, bool) {
	if err == nil || n >= maxAttempts || c.retryBudget <= 0 {
		return 0, false
	}
	backoff := time.Duration(float64(backoffBase<<(n-1)) * (0.5 + c.jitter()))
	var ae *APIError
	switch {
	case errors.As(err, &ae):
		if !reads || ae.Cause != nil {
			return 0, false
		}
		switch ae.Status {
		case http.StatusTooManyRequests, http.StatusServiceUnavailable:
			if ae.RetryAfter > 0 {
				return ae.RetryAfter, ae.RetryAfter <= left
			}
		case http.StatusBadGateway, http.StatusGatewayTimeout:
		default:
			return 0, false
		}
	case !unanswered(err):
		return 0, false
	case !reads && !dialFailed(err):
		return 0, false
	}
	return backoff, backoff <= left
}

// unanswered reports whether err is a connection error that came before
// any answer, and may heal: not the caller's context, a timeout, a
// certificate, a refused redirect, a name that does not resolve, nor
// anything the transport that adds credentials says (see NotSent).
func unanswered(err error) bool {
	var ne net.Error
	var de *net.DNSError
	var ns interface{ NotSent() bool }
	var re *RedirectError
	switch {
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded),
		errors.As(err, &ne) && ne.Timeout(), errors.As(err, &de),
		errors.As(err, &ns), errors.As(err, &re), LoginRequired(err), CredentialsUnavailable(err):
		return false
	}
	var oe *net.OpError
	return errors.As(err, &oe) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNREFUSED)
}

// dialFailed reports whether err is the failure to open a connection:
// nothing was sent.
func dialFailed(err error) bool {
	var oe *net.OpError
	return errors.As(err, &oe) && oe.Op == "dial"
}

// jitter is the random part of a backoff, in [0, 1).
func jitter() float64 { return rand.Float64() }
