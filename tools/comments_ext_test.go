package tools_test

import (
	"net/http"
	"strings"
	"syscall"
	"testing"

	"github.com/jira-mcp/jira-mcp/tools"
	"github.com/jira-mcp/jira-mcp/tools/jira/emulator"
)

// loseAnswers serves requests matching method and path in Jira, then
// loses the answer as a reset connection would: the change is made, the
// client cannot know.
type loseAnswers struct {
	next         http.RoundTripper
	method, path string
}

func (l loseAnswers) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := l.next.RoundTrip(r)
	if err == nil && r.Method == l.method && r.URL.Path == l.path {
		resp.Body.Close()
		return nil, &netError{syscall.ECONNRESET}
	}
	return resp, err
}

type netError struct{ err error }

func (e *netError) Error() string   { return "read tcp: " + e.err.Error() }
func (e *netError) Unwrap() error   { return e.err }
func (e *netError) Timeout() bool   { return false }
func (e *netError) Temporary() bool { return false }

// A comment whose answer was lost is looked for before answering: found,
// the agent is told it was made, and must not post again.
func TestAddCommentAnswerLostButMade(t *testing.T) {
	srv := emulator.NewServer()
	t.Cleanup(srv.Close)
	hc := &http.Client{Transport: loseAnswers{srv.ClientAs(emulator.DefaultToken).Transport, "POST", "/rest/api/2/issue/WEB-2/comment"}}
	e := connect(t, srv, mustToolset(t, srv.URL, hc), envOptions{})

	text, res := e.ok(tools.AddComment, map[string]any{"issue_key": "WEB-2", "body": "Deployed to staging."})
	var out struct {
		ID       string
		Verified bool
	}
	structured(t, res, &out)
	if out.ID == "" || !out.Verified || !strings.Contains(text, "confirmed by reading the comments back. Do not post it again.") {
		t.Errorf("result %+v %q", out, text)
	}
	if n := len(e.requests("POST", "/rest/api/2/issue/WEB-2/comment")); n != 1 {
		t.Errorf("posted %d times, want 1", n)
	}
}

// An agent that retries a comment it already posted is stopped, and told
// which comment is there; allow_duplicate posts it all the same.
func TestAddCommentRefusesDuplicates(t *testing.T) {
	e := newEnv(t, envOptions{})
	args := map[string]any{"issue_key": "WEB-2", "body": "Deployed to staging.\n"}
	_, first := e.ok(tools.AddComment, args)
	var c struct{ ID string }
	structured(t, first, &c)
	msg := e.fail(tools.AddComment, map[string]any{"issue_key": "web-2", "body": "  Deployed to staging."})
	if !strings.Contains(msg, "You posted this very comment on WEB-2") || !strings.Contains(msg, "comment "+c.ID+":") || !strings.Contains(msg, "allow_duplicate: true") {
		t.Errorf("message %q", msg)
	}
	if n := len(e.requests("POST", "/rest/api/2/issue/WEB-2/comment")); n != 1 {
		t.Errorf("posted %d times, want 1", n)
	}
	args["allow_duplicate"] = true
	e.ok(tools.AddComment, args)
	// Another user's identical comment is no duplicate of this user's.
	bob := connect(t, e.jira, mustToolset(t, e.jira.URL, &http.Client{Transport: emulator.Bearer{Token: emulator.Token("bob"), Next: e.jira.Client().Transport}}), envOptions{})
	bob.ok(tools.AddComment, map[string]any{"issue_key": "WEB-2", "body": "Deployed to staging."})
	if n := len(e.requests("POST", "/rest/api/2/issue/WEB-2/comment")); n != 1 {
		t.Errorf("posted %d times since bob's env reset the log, want 1", n)
	}
}
