package tools_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/jira-mcp/jira-mcp/tools"
	"github.com/jira-mcp/jira-mcp/tools/jira"
	"github.com/jira-mcp/jira-mcp/tools/jira/emulator"
)

// user answers forms as a person would in the client: with action and
// content, recording what was asked.
type user struct {
	action  mcp.ElicitationResponseAction
	content map[string]any

	mu    sync.Mutex
	asked []mcp.ElicitationParams
}

func (u *user) Elicit(_ context.Context, req mcp.ElicitationRequest) (*mcp.ElicitationResult, error) {
	u.mu.Lock()
	u.asked = append(u.asked, req.Params)
	u.mu.Unlock()
	return &mcp.ElicitationResult{ElicitationResponse: mcp.ElicitationResponse{Action: u.action, Content: u.content}}, nil
}

// newFormEnv is newEnv with a client that can show forms, answered by u.
func newFormEnv(t *testing.T, version string, u *user) *env {
	t.Helper()
	srv := emulator.NewServer()
	t.Cleanup(srv.Close)
	jc, err := jira.New(srv.URL, srv.ClientAs(emulator.DefaultToken))
	if err != nil {
		t.Fatal(err)
	}
	s := newMCPServer()
	s.AddTools(tools.New(jc).ServerTools(nil)...)
	c, err := client.NewInProcessClientWithOptions(s, client.WithProtocolVersion(version), client.WithElicitationHandler(u))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	init := mcp.InitializeRequest{}
	init.Params.ProtocolVersion = version
	init.Params.ClientInfo = mcp.Implementation{Name: "jira-mcp-test", Version: "1"}
	if _, err := c.Initialize(ctx, init); err != nil {
		t.Fatal(err)
	}
	srv.ResetRequests()
	return &env{t: t, jira: srv, c: c}
}

// A required field the agent left out is asked of the user, with the
// allowed values as choices; the answer is checked like the agent's.
func TestCreateIssueAsksForRequiredFields(t *testing.T) {
	forEachVersion(t, func(t *testing.T, v string) {
		u := &user{action: mcp.ElicitationResponseActionAccept, content: map[string]any{"components": []any{"Payments"}}}
		e := newFormEnv(t, v, u)
		text, res := e.ok(tools.CreateIssue, map[string]any{"project": "API", "issue_type": "Bug", "summary": "Refunds answer 500"})
		var out tools.CreateResult
		structured(t, res, &out)
		if !strings.HasPrefix(text, "Created "+out.Key) {
			t.Fatalf("text %q", text)
		}
		if len(u.asked) != 1 {
			t.Fatalf("asked %d times", len(u.asked))
		}
		form := u.asked[0]
		schema, _ := json.Marshal(form.RequestedSchema)
		if !strings.Contains(form.Message, "Jira needs Component/s to create the Bug in API") ||
			string(schema) != `{"properties":{"components":{"items":{"enum":["API Gateway","Authentication","Payments"],"type":"string"},"minItems":1,"title":"Component/s","type":"array"}},"required":["components"],"type":"object"}` {
			t.Errorf("form %q %s", form.Message, schema)
		}
		if st, _ := e.jira.Issue(out.Key); !slices.Equal(st.Components, []string{"Payments"}) {
			t.Errorf("%s components %v", out.Key, st.Components)
		}
		if n := len(e.requests("POST", "/rest/api/2/issue")); n != 1 {
			t.Errorf("%d creates", n)
		}
	})
}

// Declining the form creates nothing.
func TestCreateIssueDeclinedCreatesNothing(t *testing.T) {
	forEachVersion(t, func(t *testing.T, v string) {
		for _, action := range []mcp.ElicitationResponseAction{mcp.ElicitationResponseActionDecline, mcp.ElicitationResponseActionCancel} {
			u := &user{action: action}
			e := newFormEnv(t, v, u)
			res := e.call(tools.CreateIssue, map[string]any{"project": "WEB", "issue_type": "Epic", "summary": "Checkout v2"})
			if tools.ErrorKind(res) != tools.KindDeclined || !strings.Contains(tools.Text(res), "The user declined to fill in Epic Name, so nothing was created.") {
				t.Errorf("%s: %s %q", action, tools.ErrorKind(res), tools.Text(res))
			}
			if n := len(e.requests("POST", "/rest/api/2/issue")); n != 0 || len(u.asked) != 1 {
				t.Errorf("%s: %d creates, asked %d times", action, n, len(u.asked))
			}
		}
	})
}

// An answer that does not fit the screen is refused, not sent.
func TestCreateIssueChecksTheAnswer(t *testing.T) {
	u := &user{action: mcp.ElicitationResponseActionAccept, content: map[string]any{"components": []any{"Billing"}}}
	e := newFormEnv(t, mcp.ProtocolVersion20251125, u)
	msg := e.fail(tools.CreateIssue, map[string]any{"project": "API", "issue_type": "Bug", "summary": "x"})
	if !strings.Contains(msg, `the user's answer does not do: Component/s (components): "Billing" is not allowed`) {
		t.Errorf("message %q", msg)
	}
	if n := len(e.requests("POST", "/rest/api/2/issue")); n != 0 {
		t.Errorf("%d creates", n)
	}
}
