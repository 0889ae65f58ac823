package tools_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/jira-mcp/jira-mcp/tools"
	"github.com/jira-mcp/jira-mcp/tools/jira/emulator"
)

func TestAssignIssue(t *testing.T) {
	forEachVersion(t, func(t *testing.T, v string) {
		e := newEnv(t, envOptions{version: v})
		text, res := e.ok(tools.AssignIssue, map[string]any{"issue_key": "web-6", "assignee": "Bob"})
		if text != "Assigned WEB-6 to bob (Bob Brown)." {
			t.Errorf("text %q", text)
		}
		var out tools.AssignResult
		structured(t, res, &out)
		if out.IssueKey != "WEB-6" || out.Assignee != "bob" || out.AssigneeName != "Bob Brown" {
			t.Errorf("structured %+v", out)
		}
		if r := e.requests("GET", "/rest/api/2/user/assignable/search"); len(r) != 1 || r[0].RawQuery != "issueKey=WEB-6&maxResults=20&username=Bob" {
			t.Errorf("lookup %+v", r)
		}
		jsonEq(t, e.requests("PUT", "/rest/api/2/issue/WEB-6/assignee")[0].Body, `{"name":"bob"}`)

		text, _ = e.ok(tools.AssignIssue, map[string]any{"issue_key": "WEB-6", "assignee": ""})
		if text != "WEB-6 is now unassigned." {
			t.Errorf("unassign: %q", text)
		}
		jsonEq(t, e.requests("PUT", "/rest/api/2/issue/WEB-6/assignee")[1].Body, `{"name":null}`)
		if st, _ := e.jira.Issue("WEB-6"); st.Assignee != "" {
			t.Errorf("assignee %q", st.Assignee)
		}
	})
}

func TestAssignIssueRefusals(t *testing.T) {
	e := newEnv(t, envOptions{})
	for _, c := range []struct {
		name, key, who, kind string
		want                 []string
	}{
		{"close match", "WEB-6", "bobby", tools.KindInvalidInput, []string{`"bobby" is not a username that may be assigned WEB-6. Close matches (username: name): bob: Bob Brown. Pass the username.`}},
		{"display name", "WEB-6", "Carol Chen", tools.KindInvalidInput, []string{"Close matches (username: name): carol: Carol Chen."}},
		{"inactive", "WEB-6", "frank", tools.KindInvalidInput, []string{`"frank" is not a username that may be assigned WEB-6. Find the username with jira_find_users.`}},
		{"not assignable there", "OPS-1", "alice", tools.KindInvalidInput, []string{`"alice" is not a username that may be assigned OPS-1`}},
		{"hidden", "SEC-1", "alice", tools.KindNotFound, []string{"SEC-1 does not exist"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := e.call(tools.AssignIssue, map[string]any{"issue_key": c.key, "assignee": c.who})
			if tools.ErrorKind(res) != c.kind {
				t.Errorf("kind %q: %s", tools.ErrorKind(res), tools.Text(res))
			}
			for _, w := range c.want {
				if !strings.Contains(tools.Text(res), w) {
					t.Errorf("message lacks %q:\n%s", w, tools.Text(res))
				}
			}
		})
	}
	if n := len(e.requests("PUT", "/rest/api/2/issue/")); n != 0 {
		t.Errorf("%d assignments reached Jira", n)
	}
	// Erin may assign OPS-1; alice may not, and Jira says so.
	e.jira.ResetRequests()
	if res := e.call(tools.AssignIssue, map[string]any{"issue_key": "OPS-1", "assignee": "erin"}); tools.ErrorKind(res) != tools.KindForbidden {
		t.Errorf("alice assigns OPS-1: %s %q", tools.ErrorKind(res), tools.Text(res))
	}
}

func TestAssignIssueAnswerLost(t *testing.T) {
	srv := emulator.NewServer()
	t.Cleanup(srv.Close)
	hc := &http.Client{Transport: loseAnswers{srv.ClientAs(emulator.DefaultToken).Transport, "PUT", "/rest/api/2/issue/WEB-6/assignee"}}
	e := connect(t, srv, mustToolset(t, srv.URL, hc), envOptions{})
	text, res := e.ok(tools.AssignIssue, map[string]any{"issue_key": "WEB-6", "assignee": "me"})
	var out tools.AssignResult
	structured(t, res, &out)
	if !out.Verified || out.Assignee != "alice" || !strings.Contains(text, "confirmed by reading it back") {
		t.Errorf("made: %+v %q", out, text)
	}
	e.jira.Fail("PUT", "/rest/api/2/issue/WEB-6/assignee", http.StatusBadGateway, nil, "", 1)
	if msg := e.fail(tools.AssignIssue, map[string]any{"issue_key": "WEB-6", "assignee": "carol"}); !strings.Contains(msg, "WEB-6 is assigned to alice: it was not made. It is safe to retry.") {
		t.Errorf("not made: %q", msg)
	}
}

func TestFindUsers(t *testing.T) {
	forEachVersion(t, func(t *testing.T, v string) {
		e := newEnv(t, envOptions{version: v})
		text, res := e.ok(tools.FindUsers, map[string]any{"query": "c"})
		if text != "1 users match \"c\" (username | name)\ncarol | Carol Chen" {
			t.Errorf("text %q", text)
		}
		raw, _ := json.Marshal(res.StructuredContent)
		if strings.Contains(string(raw), "@") || strings.Contains(text, "@") {
			t.Errorf("an e-mail address reached the agent: %s", raw)
		}
		var out tools.UsersResult
		structured(t, res, &out)
		if len(out.Users) != 1 || out.Users[0] != (tools.UserView{Username: "carol", DisplayName: "Carol Chen"}) {
			t.Errorf("structured %+v", out)
		}
		text, _ = e.ok(tools.FindUsers, map[string]any{"query": "e", "issue_key": "ops-1"})
		if text != "1 users matching \"e\" may be assigned OPS-1 (username | name)\nerin | Erin Evans" {
			t.Errorf("assignable: %q", text)
		}
		if text, _ := e.ok(tools.FindUsers, map[string]any{"query": "zed"}); text != `No active user matches "zed".` {
			t.Errorf("none: %q", text)
		}
	})
	confined := newEnv(t, envOptions{projects: []string{"WEB"}})
	if res := confined.call(tools.FindUsers, map[string]any{"query": "e", "issue_key": "OPS-1"}); tools.ErrorKind(res) != tools.KindForbidden {
		t.Errorf("outside the allow-list: %q", tools.Text(res))
	}
}

// An @name in Markdown becomes a mention when Jira knows the user.
func TestMentionsAreLookedUp(t *testing.T) {
	e := newEnv(t, envOptions{})
	e.ok(tools.AddComment, map[string]any{"issue_key": "WEB-3", "body": "@bob can you look? Not @nobody, nor mail@example.com. Again @bob.", "format": "markdown"})
	posts := e.requests("POST", "/rest/api/2/issue/WEB-3/comment")
	jsonEq(t, posts[0].Body, `{"body":"[~bob] can you look? Not @nobody, nor [mailto:mail@example.com]. Again [~bob]."}`)
	if n := len(e.requests("GET", "/rest/api/2/user")); n != 2 {
		t.Errorf("%d user lookups, want one per name", n)
	}
}
