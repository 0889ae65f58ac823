package tools_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/jira-mcp/jira-mcp/tools"
	"github.com/jira-mcp/jira-mcp/tools/jira/emulator"
	"github.com/jira-mcp/jira-mcp/tools/markup"
)

// "File a bug for this failing test in API, assign it to me": what an
// agent does with these tools alone, on a project whose create screen
// requires Component/s, and what Jira receives.
func TestFileABugAndAssignItToMe(t *testing.T) {
	forEachVersion(t, func(t *testing.T, v string) {
		e := newEnv(t, envOptions{version: v})
		if text, _ := e.ok(tools.ListProjects, map[string]any{"query": "API"}); !strings.Contains(text, "\nAPI | Platform API |") {
			t.Fatalf("projects: %q", text)
		}
		if text, _ := e.ok(tools.GetCreateFields, map[string]any{"project": "API"}); !strings.Contains(text, "Bug") {
			t.Fatalf("issue types: %q", text)
		}
		fields, _ := e.ok(tools.GetCreateFields, map[string]any{"project": "API", "issue_type": "Bug"})
		if !strings.Contains(fields, "components | Component/s | list of component | required | API Gateway, Authentication, Payments") {
			t.Fatalf("create fields: %q", fields)
		}
		desc := "`TestTokenRefresh` fails on main:\n\n```\nrefresh_test.go:42: token reused\n```\n"
		text, res := e.ok(tools.CreateIssue, map[string]any{
			"project": "API", "issue_type": "Bug", "summary": "TestTokenRefresh fails: refresh token reused",
			"description": desc, "components": []any{"authentication"}, "labels": []any{"flaky-test"},
		})
		var out tools.CreateResult
		structured(t, res, &out)
		if !strings.HasPrefix(out.Key, "API-") || out.ID == "" || out.URL != e.jira.URL+"/browse/"+out.Key || !strings.HasPrefix(text, "Created "+out.Key+" (Bug in API): ") {
			t.Fatalf("created %+v %q", out, text)
		}
		text, _ = e.ok(tools.AssignIssue, map[string]any{"issue_key": out.Key, "assignee": "me"})
		if text != "Assigned "+out.Key+" to alice (Alice Anderson)." {
			t.Errorf("assign: %q", text)
		}

		posts := e.requests("POST", "/rest/api/2/issue")
		if len(posts) != 1 {
			t.Fatalf("%d creates", len(posts))
		}
		wiki := strings.TrimRight(markup.ToWiki(desc, markup.WikiOptions{}), "\n")
		want, _ := json.Marshal(map[string]any{"fields": map[string]any{
			"project": map[string]any{"key": "API"}, "issuetype": map[string]any{"id": "1"},
			"summary": "TestTokenRefresh fails: refresh token reused", "description": wiki,
			"components": []any{map[string]any{"name": "Authentication"}}, "labels": []any{"flaky-test"},
		}})
		jsonEq(t, posts[0].Body, string(want))
		assign := e.requests("PUT", "/rest/api/2/issue/"+out.Key+"/assignee")
		if len(assign) != 1 {
			t.Fatalf("%d assignments", len(assign))
		}
		jsonEq(t, assign[0].Body, `{"name":"alice"}`)
		st, _ := e.jira.Issue(out.Key)
		if st.Type != "Bug" || st.Reporter != "alice" || st.Assignee != "alice" || !slices.Equal(st.Components, []string{"Authentication"}) {
			t.Errorf("%s = %+v", out.Key, st)
		}
	})
}

// Every argument becomes the field Jira expects, by its screen's type.
func TestCreateIssueShapesFields(t *testing.T) {
	e := newEnv(t, envOptions{})
	_, res := e.ok(tools.CreateIssue, map[string]any{
		"project": "web", "issue_type": "story", "summary": "Saved addresses in checkout", "format": "wiki", "description": "h3. Why\nFewer steps.",
		"epic": "web-1", "priority": "critical", "fix_versions": []any{"2.5"}, "assignee": "bob",
		"fields": map[string]any{"Story Points": "5", "customfield_10006": "checkout squad", "Sprint": 3, "Due Date": "2026-03-01"},
	})
	var out tools.CreateResult
	structured(t, res, &out)
	jsonEq(t, e.requests("POST", "/rest/api/2/issue")[0].Body, `{"fields":{
		"project":{"key":"WEB"},"issuetype":{"id":"10001"},"summary":"Saved addresses in checkout","description":"h3. Why\nFewer steps.",
		"customfield_10003":"WEB-1","priority":{"name":"Critical"},"fixVersions":[{"name":"2.5"}],"assignee":{"name":"bob"},
		"customfield_10002":5,"customfield_10006":{"value":"Checkout Squad"},"customfield_10001":3,"duedate":"2026-03-01"}}`)
	if st, _ := e.jira.Issue(out.Key); st.EpicLink != "WEB-1" || st.Assignee != "bob" || *st.StoryPoints != 5 || out.Assignee != "bob" {
		t.Errorf("%s = %+v, result %+v", out.Key, st, out)
	}

	_, res = e.ok(tools.CreateIssue, map[string]any{"project": "WEB", "issue_type": "Sub-task", "summary": "Fix the cart drawer test", "parent": "web-6"})
	structured(t, res, &out)
	jsonEq(t, e.requests("POST", "/rest/api/2/issue")[1].Body, `{"fields":{"project":{"key":"WEB"},"issuetype":{"id":"5"},"summary":"Fix the cart drawer test","parent":{"key":"WEB-6"}}}`)
}

// What the screen refuses is refused before anything is sent, all of it
// at once, with what would do.
func TestCreateIssueRefusals(t *testing.T) {
	e := newEnv(t, envOptions{})
	bug := func(extra map[string]any) map[string]any {
		args := map[string]any{"project": "API", "issue_type": "Bug", "summary": "Token endpoint answers 500"}
		for k, v := range extra {
			args[k] = v
		}
		return args
	}
	for _, c := range []struct {
		name string
		args map[string]any
		kind string
		want []string
	}{
		{"required field", bug(nil), tools.KindInvalidInput, []string{"Nothing was created: the create screen of API Bug requires Component/s (components): API Gateway, Authentication, Payments."}},
		{"value not allowed", bug(map[string]any{"components": []any{"Gateway"}, "priority": "urgent"}), tools.KindInvalidInput,
			[]string{`Component/s (components): "Gateway" is not allowed; use one of: API Gateway, Authentication, Payments`, `priority: "urgent" is not allowed; use one of: Blocker, Critical, Major, Minor, Trivial`}},
		{"unknown field", bug(map[string]any{"components": []any{"Payments"}, "fields": map[string]any{"Severity": "High"}}), tools.KindInvalidInput,
			[]string{`fields: "Severity" is not on the create screen of API Bug`, "The create screen of API Bug has: Summary (summary), Component/s (components),"}},
		{"ambiguous name", bug(map[string]any{"components": []any{"Payments"}, "fields": map[string]any{"Team": "SRE"}}), tools.KindInvalidInput,
			[]string{`several fields are named "Team" (customfield_10006, customfield_10007)`}},
		{"project in fields", bug(map[string]any{"fields": map[string]any{"Project": "WEB"}}), tools.KindInvalidInput, []string{"pass project as its own argument"}},
		{"labels with spaces", bug(map[string]any{"components": []any{"Payments"}, "labels": []any{"flaky test"}}), tools.KindInvalidInput, []string{`labels cannot contain spaces ("flaky test")`}},
		{"given twice", bug(map[string]any{"components": []any{"Payments"}, "fields": map[string]any{"Component/s": []any{"Payments"}}}), tools.KindInvalidInput, []string{"Component/s (components) is given twice"}},
		{"epic on a sub-task", map[string]any{"project": "WEB", "issue_type": "Sub-task", "summary": "x", "parent": "WEB-6", "epic": "WEB-1"}, tools.KindInvalidInput, []string{"has no Epic Link field"}},
		{"epic name", map[string]any{"project": "WEB", "issue_type": "Epic", "summary": "Checkout v2"}, tools.KindInvalidInput, []string{"requires Epic Name (customfield_10004)"}},
		{"secret", bug(map[string]any{"description": "token ghp_0123456789abcdefghijklmnopqrstuvwxyz"}), tools.KindInvalidInput, []string{"seems to contain a credential (a GitHub token)"}},
		{"no permission", map[string]any{"project": "OPS", "issue_type": "Task", "summary": "x"}, tools.KindForbidden, []string{"You may not create issues in OPS"}},
		{"unknown type", map[string]any{"project": "API", "issue_type": "Incident", "summary": "x"}, tools.KindInvalidInput, []string{`API has no issue type "Incident"`}},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := e.call(tools.CreateIssue, c.args)
			msg := tools.Text(res)
			if tools.ErrorKind(res) != c.kind {
				t.Errorf("kind %q, want %q: %s", tools.ErrorKind(res), c.kind, msg)
			}
			for _, w := range c.want {
				if !strings.Contains(msg, w) {
					t.Errorf("message lacks %q:\n%s", w, msg)
				}
			}
		})
	}
	if n := len(e.requests("POST", "/rest/api/2/issue")); n != 0 {
		t.Errorf("%d creates reached Jira", n)
	}
	// An Epic Link inside fields is confined like the epic argument.
	confined := newEnv(t, envOptions{projects: []string{"WEB"}})
	res := confined.call(tools.CreateIssue, map[string]any{"project": "WEB", "issue_type": "Story", "summary": "x", "fields": map[string]any{"Epic Link": "API-1"}})
	if tools.ErrorKind(res) != tools.KindForbidden || !strings.Contains(tools.Text(res), "API-1 is outside the projects") {
		t.Errorf("epic outside the allow-list: %s %q", tools.ErrorKind(res), tools.Text(res))
	}
}

// An agent that files the same issue twice is stopped with the first one's
// key; allow_duplicate files it all the same.
func TestCreateIssueRefusesDuplicates(t *testing.T) {
	e := newEnv(t, envOptions{})
	args := map[string]any{"project": "WEB", "issue_type": "Task", "summary": "Write the release notes for 2.5"}
	_, res := e.ok(tools.CreateIssue, args)
	var first tools.CreateResult
	structured(t, res, &first)
	args["summary"] = "  Write the release notes for 2.5 "
	msg := e.fail(tools.CreateIssue, args)
	if !strings.Contains(msg, "You filed this very issue in WEB") || !strings.Contains(msg, first.Key+" (") || !strings.Contains(msg, "allow_duplicate: true") {
		t.Errorf("message %q", msg)
	}
	search := e.requests("POST", "/rest/api/2/search")
	jsonEq(t, search[0].Body, `{"jql":"project = \"WEB\" AND reporter = currentUser() AND created >= -10m ORDER BY created DESC","startAt":0,"maxResults":100,"fields":["summary","created"]}`)
	args["allow_duplicate"] = true
	e.ok(tools.CreateIssue, args)
	if n := len(e.requests("POST", "/rest/api/2/issue")); n != 2 {
		t.Errorf("%d creates, want 2", n)
	}
	// Three calls, one read of the create screen.
	if n := len(e.requests("GET", "/rest/api/2/issue/createmeta/")); n != 2 {
		t.Errorf("%d createmeta requests, want 2 (issue types, then Task's fields)", n)
	}
}

// A create whose answer was lost is looked for before answering.
func TestCreateIssueAnswerLost(t *testing.T) {
	srv := emulator.NewServer()
	t.Cleanup(srv.Close)
	hc := &http.Client{Transport: loseAnswers{srv.ClientAs(emulator.DefaultToken).Transport, "POST", "/rest/api/2/issue"}}
	e := connect(t, srv, mustToolset(t, srv.URL, hc), envOptions{})
	text, res := e.ok(tools.CreateIssue, map[string]any{"project": "MOB", "issue_type": "Bug", "summary": "Crash when the camera is busy"})
	var out tools.CreateResult
	structured(t, res, &out)
	if !out.Verified || !strings.HasPrefix(out.Key, "MOB-") || out.ID == "" || !strings.Contains(text, "confirmed by searching for it. Do not create it again.") {
		t.Errorf("result %+v %q", out, text)
	}
	if n := len(e.requests("POST", "/rest/api/2/issue")); n != 1 {
		t.Errorf("%d creates, want 1", n)
	}

	// Jira failed before making it: the search finds nothing new.
	e.jira.Fail("POST", "/rest/api/2/issue", http.StatusBadGateway, nil, "", 1)
	res = e.call(tools.CreateIssue, map[string]any{"project": "MOB", "issue_type": "Bug", "summary": "Crash when the microphone is busy"})
	if msg := tools.Text(res); !res.IsError || !strings.Contains(msg, "it was not made. It is safe to retry.") {
		t.Errorf("lost and not made: %q", msg)
	}
}
