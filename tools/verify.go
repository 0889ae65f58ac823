package tools

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/jira-mcp/jira-mcp/tools/jira"
)

// A write whose answer was lost (the connection broke after the request
// was sent, a proxy answered for Jira, Jira failed with a 5xx) may or may
// not have been made. Rather than leave that to the agent, the tools read
// back what the write would have changed and answer "made (confirmed)" or
// "not made (confirmed), safe to retry"; only when that check fails too is
// the outcome reported as unknown.

// outcomeUnknown reports whether a write that failed with err may have been
// made all the same, and can be checked now.
func outcomeUnknown(ctx context.Context, err error) bool {
	if ctx.Err() != nil || jira.NotSent(err) || jira.LoginRequired(err) || jira.CredentialsUnavailable(err) {
		return false // cancelled by the agent, or certainly not made
	}
	var in *jira.InputError
	if errors.As(err, &in) {
		return false
	}
	var ae *jira.APIError
	if errors.As(err, &ae) {
		return ae.Status >= 500 // a 4xx is Jira refusing: nothing was made
	}
	return true // an unreadable 2xx, a reset or a timeout after sending
}

// verifyTimeout bounds the read-back after a lost answer.
const verifyTimeout = 15 * time.Second

// verifyContext is for reading back after a lost answer: the call's own
// deadline may be what ran out.
func verifyContext(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), verifyTimeout)
}

// notMade answers a write that failed and was confirmed not made.
func notMade(o op, err error, how string) (*mcp.CallToolResult, error) {
	res, gerr := failure(o, err)
	if gerr != nil || res == nil {
		return res, gerr
	}
	return errorResult(ErrorKind(res), fmt.Sprintf("Jira's answer to %s was lost (%s), and %s: it was not made. It is safe to retry.", o.what, failureCause(err), how)), nil
}

// failureCause names what went wrong, briefly.
func failureCause(err error) string {
	var ae *jira.APIError
	var ans *jira.AnswerError
	switch {
	case errors.As(err, &ae):
		return fmt.Sprintf("HTTP %d", ae.Status)
	case errors.As(err, &ans):
		return fmt.Sprintf("HTTP %d that was not Jira's answer", ans.Status)
	case errors.Is(err, context.DeadlineExceeded):
		return "timed out"
	}
	return transportReason(err)
}

// me caches the current user's name: the login does not change while the
// server runs (a new login restarts it).
type me struct {
	mu   sync.Mutex
	name string
}

func (t *Toolset) myName(ctx context.Context) (string, error) {
	t.me.mu.Lock()
	defer t.me.mu.Unlock()
	if t.me.name != "" {
		return t.me.name, nil
	}
	u, err := t.jira.Myself(ctx)
	if err != nil {
		return "", err
	}
	t.me.name = u.Name
	return u.Name, nil
}
