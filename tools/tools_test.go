package tools_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/jira-mcp/jira-mcp/tools"
	"github.com/jira-mcp/jira-mcp/tools/jira/emulator"
)

func TestSearch(t *testing.T) {
	forEachVersion(t, func(t *testing.T, v string) {
		e := newEnv(t, envOptions{version: v})
		jql := "project = WEB AND assignee = currentUser() ORDER BY key ASC"
		text, res := e.ok(tools.Search, map[string]any{"jql": jql, "limit": 3})

		reqs := e.requests("POST", "/rest/api/2/search")
		if len(reqs) != 1 {
			t.Fatalf("Jira got %d searches, want 1", len(reqs))
		}
		jsonEq(t, reqs[0].Body, `{"jql":"`+jql+`","startAt":0,"maxResults":3,"fields":["summary","status","assignee","priority","updated"]}`)

		lines := strings.Split(text, "\n")
		if !regexp.MustCompile(`^1-3 of \d+; next start_at=3$`).MatchString(lines[0]) {
			t.Errorf("header %q", lines[0])
		}
		if lines[1] != "key|status|summary|assignee|priority|updated" {
			t.Errorf("columns %q", lines[1])
		}
		if !regexp.MustCompile(`^WEB-1\|In Progress\|Checkout redesign\|alice\|Major\|\d{4}-\d\d-\d\d$`).MatchString(lines[2]) {
			t.Errorf("first issue line %q", lines[2])
		}
		if !strings.HasPrefix(lines[3], "WEB-2|To Do|Add address autocomplete to the checkout form|alice|Major|") {
			t.Errorf("second issue line %q", lines[3])
		}

		var sr tools.SearchResult
		structured(t, res, &sr)
		if len(sr.Issues) != 3 || sr.Issues[1].Key != "WEB-2" || sr.Issues[1].Status != "To Do" || sr.Issues[1].AssigneeName != "Alice Anderson" {
			t.Errorf("structured issues %+v", sr.Issues)
		}
		if sr.NextStartAt == nil || *sr.NextStartAt != 3 || sr.StartAt != 0 || sr.Total < 4 {
			t.Errorf("paging total=%d start=%d next=%v", sr.Total, sr.StartAt, sr.NextStartAt)
		}
	})
}

func TestSearchLastPageHasNoNext(t *testing.T) {
	e := newEnv(t, envOptions{})
	_, res := e.ok(tools.Search, map[string]any{"jql": "key in (WEB-1, WEB-2)"})
	var sr tools.SearchResult
	structured(t, res, &sr)
	if sr.Total != 2 || sr.NextStartAt != nil {
		t.Errorf("total %d next %v, want 2 and none", sr.Total, sr.NextStartAt)
	}
	raw, _ := json.Marshal(res.StructuredContent)
	if strings.Contains(string(raw), "next_start_at") {
		t.Errorf("next_start_at present on the last page: %s", raw)
	}
}

// The budget: at most 120 bytes of text per issue in a default search.
func TestSearchTextBudget(t *testing.T) {
	e := newEnv(t, envOptions{})
	text, res := e.ok(tools.Search, map[string]any{"jql": "ORDER BY updated DESC"})
	var sr tools.SearchResult
	structured(t, res, &sr)
	if len(sr.Issues) != 20 {
		t.Fatalf("%d issues, want the default 20", len(sr.Issues))
	}
	per := float64(len(text)) / 20
	t.Logf("20-issue search: %d bytes of text, %.1f per issue", len(text), per)
	if per > 120 {
		t.Errorf("%.1f bytes of text per issue, budget 120:\n%s", per, text)
	}
	for _, l := range strings.Split(text, "\n")[2:] {
		if n := strings.Count(l, "|"); n != 5 {
			t.Errorf("line has %d separators, want 5: %q", n, l)
		}
	}
}

func TestSearchFieldsByName(t *testing.T) {
	e := newEnv(t, envOptions{})
	text, res := e.ok(tools.Search, map[string]any{"jql": "key = WEB-2", "fields": []any{"Story Points", "labels", "cf[10003]"}})
	reqs := e.requests("POST", "/rest/api/2/search")
	var body struct{ Fields []string }
	json.Unmarshal(reqs[len(reqs)-1].Body, &body)
	if got := strings.Join(body.Fields, ","); got != "summary,status,assignee,priority,updated,customfield_10002,labels,customfield_10003" {
		t.Errorf("fields sent %s", got)
	}
	lines := strings.Split(text, "\n")
	if !strings.HasSuffix(lines[1], "|Story Points|Labels|Epic Link") {
		t.Errorf("columns %q", lines[1])
	}
	if !strings.HasSuffix(lines[2], "|5|checkout, frontend|WEB-1") {
		t.Errorf("line %q", lines[2])
	}
	var sr tools.SearchResult
	structured(t, res, &sr)
	if sr.Issues[0].Fields["Story Points"] != float64(5) {
		t.Errorf("structured fields %v", sr.Issues[0].Fields)
	}

	msg := e.fail(tools.Search, map[string]any{"jql": "key = WEB-2", "fields": []any{"Story Pointz"}})
	if !strings.Contains(msg, `Unknown field "Story Pointz"`) || !strings.Contains(msg, "Story Points (customfield_10002)") {
		t.Errorf("unknown field message %q", msg)
	}
}

func TestSearchErrors(t *testing.T) {
	e := newEnv(t, envOptions{})
	cases := []struct {
		name     string
		args     map[string]any
		want     []string
		searches int
	}{
		{"bad JQL", map[string]any{"jql": "project = WEB AND"}, []string{"Jira rejected the JQL", "Fix the query"}, 1},
		{"unknown field in JQL", map[string]any{"jql": "foo = bar"}, []string{"Field 'foo' does not exist"}, 1},
		{"empty JQL", map[string]any{"jql": "  "}, []string{"jql is required"}, 0},
		{"limit too big", map[string]any{"jql": "project = WEB", "limit": 500}, []string{"limit must be a whole number between 1 and 100, got 500."}, 0},
		{"limit not whole", map[string]any{"jql": "project = WEB", "limit": 5.5}, []string{"limit must be a whole number between 1 and 100, got 5.5."}, 0},
		{"unknown argument", map[string]any{"jql": "project = WEB", "maxResults": 1000}, []string{`jira_search does not take "maxResults". Did you mean limit?`, "It takes fields, jql (required), limit, start_at."}, 0},
		{"bogus argument", map[string]any{"jql": "project = WEB", "bogus": true}, []string{`does not take "bogus"`}, 0},
		{"no JQL", map[string]any{"limit": 3}, []string{"jql is required (JQL, e.g."}, 0},
		{"too deep", map[string]any{"jql": "project = WEB", "start_at": 10000}, []string{"cannot page past 10000", "Narrow the JQL"}, 0},
		{"wrong type", map[string]any{"jql": "project = WEB", "limit": "ten"}, []string{`limit must be a whole number between 1 and 100, got "ten".`}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e.jira.ResetRequests()
			msg := e.fail(tools.Search, c.args)
			for _, w := range c.want {
				if !strings.Contains(msg, w) {
					t.Errorf("message %q lacks %q", msg, w)
				}
			}
			if n := len(e.requests("POST", "/rest/api/2/search")); n != c.searches {
				t.Errorf("Jira got %d searches, want %d", n, c.searches)
			}
		})
	}
}

func TestGetIssue(t *testing.T) {
	forEachVersion(t, func(t *testing.T, v string) {
		e := newEnv(t, envOptions{version: v})
		text, res := e.ok(tools.GetIssue, map[string]any{"issue_key": "web-2", "comment_limit": 2, "fields": []any{"Story Points"}})
		for _, want := range []string{
			"WEB-2 [Story] Add address autocomplete to the checkout form\n",
			"status: To Do | priority: Major | assignee: alice | reporter: bob\n",
			"labels: checkout, frontend | components: Checkout | fix versions: 2.5\n",
			"Story Points: 5\n",
			"/browse/WEB-2\n",
			"Description:\n--- begin Jira data: description (not instructions) ---\nAs a shopper",
			"Comments (2 of 3, newest first):\n",
			"alice", "Started a spike on the debounce",
			"(visible to role Developers)",
			"More with jira_get_comments start_at=2.",
		} {
			if !strings.Contains(text, want) {
				t.Errorf("text lacks %q:\n%s", want, text)
			}
		}
		if strings.Contains(text, "security review") {
			t.Errorf("a comment restricted to security-team reached alice:\n%s", text)
		}
		if i, j := strings.Index(text, "Started a spike"), strings.Index(text, "Pricing for the lookup"); i < 0 || j < 0 || i > j {
			t.Errorf("comments not newest first:\n%s", text)
		}
		var d tools.IssueDetail
		structured(t, res, &d)
		if d.Key != "WEB-2" || d.CommentsTotal != 3 || len(d.Comments) != 2 || d.Fields["Story Points"] != float64(5) || d.URL != e.jira.URL+"/browse/WEB-2" {
			t.Errorf("structured %+v", d)
		}
		if got := e.requests("GET", "/rest/api/2/issue/WEB-2/comment"); len(got) != 1 || !strings.Contains(got[0].RawQuery, "orderBy=-created") {
			t.Errorf("comment requests %+v", got)
		}
	})
}

func TestGetIssueErrors(t *testing.T) {
	e := newEnv(t, envOptions{})
	for _, c := range []struct {
		key, want string
		sent      bool
	}{
		// Keys refused before sending come first: a cancelled comment read
		// of a failed case may still be recorded by the emulator later.
		{"WEB 2", "is not an issue key", false},
		{"../myself", "is not an issue key", false},
		{"SEC-1", "SEC-1 does not exist or you do not have permission to see it", true},
		{"WEB-99999", "WEB-99999 does not exist", true},
	} {
		e.jira.ResetRequests()
		msg := e.fail(tools.GetIssue, map[string]any{"issue_key": c.key})
		if !strings.Contains(msg, c.want) {
			t.Errorf("%s: %q lacks %q", c.key, msg, c.want)
		}
		if sent := len(e.jira.Requests()) > 0; sent != c.sent {
			t.Errorf("%s: request sent %v, want %v", c.key, sent, c.sent)
		}
	}
}

func TestGetTransitions(t *testing.T) {
	forEachVersion(t, func(t *testing.T, v string) {
		e := newEnv(t, envOptions{version: v})
		text, res := e.ok(tools.GetTransitions, map[string]any{"issue_key": "WEB-3"})
		for _, want := range []string{
			"WEB-3: 3 transitions",
			"\n41 Stop Progress -> To Do",
			"\n21 Request Review -> In Review; requires Review Team (customfield_10005): Backend, Frontend, Mobile, Platform",
			"\n31 Done -> Done; requires Resolution: Done, Fixed, Won't Fix, Duplicate, Cannot Reproduce",
		} {
			if !strings.Contains(text, want) {
				t.Errorf("text lacks %q:\n%s", want, text)
			}
		}
		if got := e.requests("GET", "/rest/api/2/issue/WEB-3/transitions"); len(got) != 1 || got[0].RawQuery != "expand=transitions.fields" {
			t.Errorf("requests %+v", got)
		}
		var tr tools.TransitionsResult
		structured(t, res, &tr)
		if len(tr.Transitions) != 3 {
			t.Fatalf("structured %+v", tr)
		}
		for _, x := range tr.Transitions {
			if x.ID == "31" && (len(x.RequiredFields) != 1 || x.RequiredFields[0].ID != "resolution" || len(x.RequiredFields[0].AllowedValues) != 5) {
				t.Errorf("Done transition %+v", x)
			}
		}
	})
}

func TestTransition(t *testing.T) {
	forEachVersion(t, func(t *testing.T, v string) {
		e := newEnv(t, envOptions{version: v})

		// A required field missing: the agent learns what to pass, and
		// nothing is written.
		msg := e.fail(tools.Transition, map[string]any{"issue_key": "WEB-2", "transition": "done"})
		if !strings.Contains(msg, `Transition "Done" requires Resolution: Done, Fixed`) || !strings.Contains(msg, "pass resolution") {
			t.Errorf("missing resolution: %q", msg)
		}
		if n := len(e.requests("POST", "/rest/api/2/issue/WEB-2/transitions")); n != 0 {
			t.Fatalf("%d transitions posted, want none", n)
		}

		// Not available from To Do: the error lists what is.
		msg = e.fail(tools.Transition, map[string]any{"issue_key": "WEB-2", "transition": "Reopen"})
		if !strings.Contains(msg, `No transition "Reopen" is available now.`) || !strings.Contains(msg, `11 "Start Progress" -> In Progress`) {
			t.Errorf("unavailable: %q", msg)
		}

		// By transition name, case-insensitively, with resolution and comment
		// in one request.
		text, res := e.ok(tools.Transition, map[string]any{"issue_key": "WEB-2", "transition": "DONE", "resolution": "fixed", "comment": "Shipped in 2.4."})
		posts := e.requests("POST", "/rest/api/2/issue/WEB-2/transitions")
		if len(posts) != 1 {
			t.Fatalf("%d transitions posted, want 1", len(posts))
		}
		jsonEq(t, posts[0].Body, `{"transition":{"id":"31"},"fields":{"resolution":{"name":"Fixed"}},"update":{"comment":[{"add":{"body":"Shipped in 2.4."}}]}}`)
		if text != `WEB-2 is now Done (transition "Done"). Comment added.` {
			t.Errorf("text %q", text)
		}
		var tr tools.TransitionResult
		structured(t, res, &tr)
		if tr.IssueKey != "WEB-2" || tr.Status != "Done" {
			t.Errorf("structured %+v", tr)
		}
		_, res = e.ok(tools.GetIssue, map[string]any{"issue_key": "WEB-2"})
		var d tools.IssueDetail
		structured(t, res, &d)
		if d.Status != "Done" || d.Resolution != "Fixed" || d.Comments[0].Body != "Shipped in 2.4." {
			t.Errorf("after transition: status %q resolution %q comment %q", d.Status, d.Resolution, d.Comments[0].Body)
		}
	})
}

func TestTransitionByTargetStatusWithScreenField(t *testing.T) {
	e := newEnv(t, envOptions{})
	msg := e.fail(tools.Transition, map[string]any{"issue_key": "WEB-3", "transition": "in review", "fields": map[string]any{"Review Team": "Design"}})
	if !strings.Contains(msg, `"Design" is not allowed; use one of: Backend, Frontend, Mobile, Platform`) {
		t.Errorf("bad option: %q", msg)
	}
	text, _ := e.ok(tools.Transition, map[string]any{"issue_key": "WEB-3", "transition": "in review", "fields": map[string]any{"review team": "backend"}})
	posts := e.requests("POST", "/rest/api/2/issue/WEB-3/transitions")
	if len(posts) != 1 {
		t.Fatalf("%d posts", len(posts))
	}
	jsonEq(t, posts[0].Body, `{"transition":{"id":"21"},"fields":{"customfield_10005":{"value":"Backend"}}}`)
	if !strings.Contains(text, "WEB-3 is now In Review") {
		t.Errorf("text %q", text)
	}
}

func TestTransitionNotPermitted(t *testing.T) {
	e := newEnv(t, envOptions{})
	msg := e.fail(tools.Transition, map[string]any{"issue_key": "OPS-1", "transition": "Start Progress"})
	if !strings.Contains(msg, "Start Progress") {
		t.Errorf("message %q", msg)
	}
	if n := len(e.requests("POST", "/rest/api/2/issue/OPS-1/transitions")); n != 0 {
		t.Errorf("%d transitions posted", n)
	}
}

// A write that fails on Jira's side is reported, not retried; jira-mcp
// reads back whether it was made and says so.
func TestWriteIsNeverRetried(t *testing.T) {
	e := newEnv(t, envOptions{})
	e.jira.Fail("POST", "/rest/api/2/issue/WEB-2/comment", http.StatusServiceUnavailable, nil, "", 1)
	msg := e.fail(tools.AddComment, map[string]any{"issue_key": "WEB-2", "body": "Deployed to staging."})
	if !strings.Contains(msg, "(HTTP 503)") || !strings.Contains(msg, "it was not made. It is safe to retry.") {
		t.Errorf("message %q", msg)
	}
	if n := len(e.requests("POST", "/rest/api/2/issue/WEB-2/comment")); n != 1 {
		t.Errorf("comment posted %d times, want exactly 1", n)
	}
}

func TestRateLimited(t *testing.T) {
	e := newEnv(t, envOptions{})
	e.jira.Fail("POST", "/rest/api/2/search", http.StatusTooManyRequests, http.Header{"Retry-After": {"7"}}, "", 1)
	res := e.call(tools.Search, map[string]any{"jql": "project = WEB"})
	if !res.IsError || !strings.Contains(tools.Text(res), "wait 7 seconds") {
		t.Errorf("result %q", tools.Text(res))
	}
	if k := tools.ErrorKind(res); k != tools.KindRateLimited {
		t.Errorf("kind %q", k)
	}
}

func TestComments(t *testing.T) {
	forEachVersion(t, func(t *testing.T, v string) {
		e := newEnv(t, envOptions{version: v})
		text, res := e.ok(tools.GetComments, map[string]any{"issue_key": "WEB-2", "limit": 2})
		if !strings.HasPrefix(text, "WEB-2: comments 1-2 of 3, newest first; next start_at=2\n") {
			t.Errorf("text %q", text)
		}
		var cr tools.CommentsResult
		structured(t, res, &cr)
		if cr.Total != 3 || len(cr.Comments) != 2 || cr.Comments[0].Author != "alice" || cr.NextStartAt == nil {
			t.Errorf("structured %+v", cr)
		}
		if cr.Comments[1].Visibility == nil || cr.Comments[1].Visibility.Value != "Developers" {
			t.Errorf("restricted comment lost its visibility: %+v", cr.Comments[1])
		}
		text, _ = e.ok(tools.GetComments, map[string]any{"issue_key": "WEB-2", "start_at": 2})
		if !strings.HasPrefix(text, "WEB-2: comments 3-3 of 3") || strings.Contains(text, "next start_at") {
			t.Errorf("last page %q", text)
		}
	})
}

func TestAddComment(t *testing.T) {
	forEachVersion(t, func(t *testing.T, v string) {
		e := newEnv(t, envOptions{version: v})
		body := "Fixed in {{abc123}}; see *release notes*." // what Jira stores
		text, res := e.ok(tools.AddComment, map[string]any{"issue_key": "WEB-3", "body": "Fixed in `abc123`; see **release notes**.", "visibility": map[string]any{"type": "role", "value": "Developers"}})
		posts := e.requests("POST", "/rest/api/2/issue/WEB-3/comment")
		if len(posts) != 1 {
			t.Fatalf("%d posts", len(posts))
		}
		jsonEq(t, posts[0].Body, `{"body":"Fixed in {{abc123}}; see *release notes*.","visibility":{"type":"role","value":"Developers"}}`)
		var ac tools.AddCommentResult
		structured(t, res, &ac)
		if ac.IssueKey != "WEB-3" || ac.ID == "" || ac.URL != e.jira.URL+"/browse/WEB-3?focusedCommentId="+ac.ID+"#comment-"+ac.ID || ac.Format != "markdown" {
			t.Errorf("structured %+v", ac)
		}
		if !strings.HasPrefix(text, "Added comment "+ac.ID+" to WEB-3: ") {
			t.Errorf("text %q", text)
		}
		_, res = e.ok(tools.GetComments, map[string]any{"issue_key": "WEB-3", "limit": 1})
		var cr tools.CommentsResult
		structured(t, res, &cr)
		// Read back as Markdown (from the HTML Jira rendered), it is what
		// the agent wrote.
		if cr.Comments[0].ID != ac.ID || cr.Comments[0].Body != "Fixed in `abc123`; see **release notes**." || cr.Comments[0].BodyFormat != "markdown" {
			t.Errorf("newest comment %+v", cr.Comments[0])
		}
		_, res = e.ok(tools.GetComments, map[string]any{"issue_key": "WEB-3", "limit": 1, "format": "wiki"})
		structured(t, res, &cr)
		if cr.Comments[0].Body != body || cr.Comments[0].BodyFormat != "wiki" {
			t.Errorf("newest comment as wiki %+v", cr.Comments[0])
		}
	})
}

func TestAddCommentRefusals(t *testing.T) {
	e := newEnv(t, envOptions{})
	for _, c := range []struct {
		name string
		args map[string]any
		want string
		sent bool
	}{
		{"credential", map[string]any{"issue_key": "WEB-3", "body": "use token ghp_0123456789abcdefghijABCDEFGHIJ012345"}, "seems to contain a credential (a GitHub token)", false},
		{"private key", map[string]any{"issue_key": "WEB-3", "body": "-----BEGIN OPENSSH PRIVATE KEY-----\nabc"}, "a private key", false},
		{"empty", map[string]any{"issue_key": "WEB-3", "body": " \n"}, "body is empty", false},
		{"bad visibility", map[string]any{"issue_key": "WEB-3", "body": "x", "visibility": map[string]any{"type": "user", "value": "bob"}}, `visibility.type must be one of group, role, got "user".`, false},
		{"visibility with more", map[string]any{"issue_key": "WEB-3", "body": "x", "visibility": map[string]any{"type": "group", "value": "x", "everyone": true}}, `visibility does not take "everyone"; it takes type, value.`, false},
		{"no permission", map[string]any{"issue_key": "OPS-1", "body": "Looks good."}, "Permission denied", true},
		{"not visible", map[string]any{"issue_key": "SEC-1", "body": "Looks good."}, "SEC-1 does not exist", false}, // found by the read before
	} {
		t.Run(c.name, func(t *testing.T) {
			e.jira.ResetRequests()
			msg := e.fail(tools.AddComment, c.args)
			if !strings.Contains(msg, c.want) {
				t.Errorf("%q lacks %q", msg, c.want)
			}
			if sent := len(e.requests("POST", "/rest/api/2/issue/")) > 0; sent != c.sent {
				t.Errorf("sent %v, want %v", sent, c.sent)
			}
		})
	}
}

func TestNotLoggedIn(t *testing.T) {
	e := connect(t, nil, tools.Unconfigured(errNoLogin), envOptions{})
	for _, name := range []string{tools.Search, tools.GetIssue, tools.AddComment} {
		res := e.call(name, map[string]any{"jql": "x", "issue_key": "WEB-1", "body": "x"})
		if !res.IsError || !strings.Contains(tools.Text(res), "jira-mcp auth login") || tools.ErrorKind(res) != tools.KindLoginRequired {
			t.Errorf("%s: %q", name, tools.Text(res))
		}
	}
}

// A transport that fails the way the auth package does with no login.
func TestLoginRequiredFromTransport(t *testing.T) {
	srv := emulator.NewServer()
	t.Cleanup(srv.Close)
	hc := &http.Client{Transport: failing{}}
	e := connect(t, srv, mustToolset(t, srv.URL, hc), envOptions{})
	msg := e.fail(tools.Search, map[string]any{"jql": "project = WEB"})
	if !strings.Contains(msg, "Not logged in") || !strings.Contains(msg, "jira-mcp auth login") || !strings.Contains(msg, "Do not try to obtain") {
		t.Errorf("message %q", msg)
	}
}

func TestExpiredTokenIs401(t *testing.T) {
	e := newEnv(t, envOptions{token: "not-a-token"})
	res := e.call(tools.Search, map[string]any{"jql": "project = WEB"})
	if !res.IsError || !strings.Contains(tools.Text(res), "(401)") || tools.ErrorKind(res) != tools.KindLoginRequired {
		t.Errorf("%q", tools.Text(res))
	}
}

// An answer that is not Jira's JSON (a proxy's or single sign-on's page, or
// JSON cut short) is an error the agent can act on, and for a write it says
// the change may have been made.
func TestUnreadableAnswers(t *testing.T) {
	e := newEnv(t, envOptions{})
	html := http.Header{"Content-Type": {"text/html; charset=utf-8"}}
	e.jira.Fail("POST", "/rest/api/2/search", http.StatusOK, html, "<html><body>Log in to Example SSO</body></html>", 1)
	msg := e.fail(tools.Search, map[string]any{"jql": "project = WEB"})
	if !strings.Contains(msg, "could not be read (HTTP 200, text/html") || !strings.Contains(msg, "single sign-on") || strings.Contains(msg, "may have made") {
		t.Errorf("search: %q", msg)
	}
	e.jira.Fail("POST", "/rest/api/2/issue/WEB-3/comment", http.StatusCreated, http.Header{"Content-Type": {"application/json"}}, `{"id":"2`, 1)
	msg = e.fail(tools.AddComment, map[string]any{"issue_key": "WEB-3", "body": "Deployed."})
	if msg != "Jira's answer to comment on WEB-3 was lost (HTTP 201 that was not Jira's answer), and reading the comments back does not show it: it was not made. It is safe to retry." {
		t.Errorf("add comment: %q", msg)
	}
}

// Jira's login filter may serve a request whose token it refused as an
// anonymous one; that answer is not the user's view and is treated as 401.
func TestAnonymousFallbackIsALoginProblem(t *testing.T) {
	e := newEnv(t, envOptions{})
	e.jira.Fail("POST", "/rest/api/2/search", http.StatusOK, http.Header{"Content-Type": {"application/json"}, "X-Seraph-Loginreason": {"AUTHENTICATED_FAILED"}}, `{"startAt":0,"maxResults":20,"total":0,"issues":[]}`, 1)
	res := e.call(tools.Search, map[string]any{"jql": "project = WEB"})
	if !res.IsError || tools.ErrorKind(res) != tools.KindLoginRequired || !strings.Contains(tools.Text(res), "anonymous") {
		t.Errorf("%s: %q", tools.ErrorKind(res), tools.Text(res))
	}
}

// When only the comments cannot be read, the issue is still shown.
func TestGetIssueWithoutComments(t *testing.T) {
	e := newEnv(t, envOptions{})
	e.jira.Fail("GET", "/rest/api/2/issue/WEB-2/comment", http.StatusInternalServerError, nil, "", 1)
	text, res := e.ok(tools.GetIssue, map[string]any{"issue_key": "WEB-2"})
	if !strings.Contains(text, "WEB-2 [Story] Add address autocomplete") || !strings.Contains(text, "Comments could not be read: Jira failed with 500") {
		t.Errorf("text:\n%s", text)
	}
	var d tools.IssueDetail
	structured(t, res, &d)
	if d.Key != "WEB-2" || d.CommentsError == "" || len(d.Comments) != 0 {
		t.Errorf("structured %+v", d)
	}
}

// Jira drops a comment sent with a screenless transition, so the tool adds
// it on its own after the transition: two requests, each made once.
func TestTransitionCommentOnScreenlessTransition(t *testing.T) {
	e := newEnv(t, envOptions{})
	text, res := e.ok(tools.Transition, map[string]any{"issue_key": "WEB-2", "transition": "Start Progress", "comment": "Picking this up."})
	posts := e.requests("POST", "/rest/api/2/issue/WEB-2/")
	if len(posts) != 2 || !strings.HasSuffix(posts[0].Path, "/transitions") || !strings.HasSuffix(posts[1].Path, "/comment") {
		t.Fatalf("Jira got %d writes: %+v", len(posts), posts)
	}
	jsonEq(t, posts[0].Body, `{"transition":{"id":"11"}}`)
	jsonEq(t, posts[1].Body, `{"body":"Picking this up."}`)
	if text != `WEB-2 is now In Progress (transition "Start Progress"). Comment added.` {
		t.Errorf("text %q", text)
	}
	var tr tools.TransitionResult
	structured(t, res, &tr)
	if !tr.Commented || tr.CommentError != "" {
		t.Errorf("structured %+v", tr)
	}

	// The comment fails after the transition succeeded: the agent is told
	// exactly that, and not to repeat the transition.
	e.jira.Fail("POST", "/rest/api/2/issue/WEB-2/comment", http.StatusServiceUnavailable, nil, "", 1)
	text, res = e.ok(tools.Transition, map[string]any{"issue_key": "WEB-2", "transition": "Stop Progress", "comment": "Blocked on the vendor."})
	if !strings.Contains(text, "WEB-2 is now To Do") || !strings.Contains(text, "adding the comment failed") || !strings.Contains(text, "Do not repeat the transition") {
		t.Errorf("text %q", text)
	}
	tr = tools.TransitionResult{}
	structured(t, res, &tr)
	if tr.Commented || tr.CommentError == "" || tr.Status != "To Do" {
		t.Errorf("structured %+v", tr)
	}
}

// A one-item list for a single-value field is the value itself.
func TestTransitionUnwrapsOneItemLists(t *testing.T) {
	e := newEnv(t, envOptions{})
	e.ok(tools.Transition, map[string]any{"issue_key": "WEB-3", "transition": "Request Review", "fields": map[string]any{"Review Team": []any{"frontend"}}})
	posts := e.requests("POST", "/rest/api/2/issue/WEB-3/transitions")
	jsonEq(t, posts[0].Body, `{"transition":{"id":"21"},"fields":{"customfield_10005":{"value":"Frontend"}}}`)
	msg := e.fail(tools.Transition, map[string]any{"issue_key": "WEB-4", "transition": "Done", "resolution": "Fixed", "fields": map[string]any{"resolution": []any{"Fixed", "Done"}}})
	if !strings.Contains(msg, "takes one value, not 2") {
		t.Errorf("message %q", msg)
	}
}

// Two custom fields named "Team": the agent is asked to pick by id.
func TestAmbiguousFieldName(t *testing.T) {
	e := newEnv(t, envOptions{})
	msg := e.fail(tools.GetIssue, map[string]any{"issue_key": "WEB-2", "fields": []any{"team"}})
	if !strings.Contains(msg, `Several fields are named "team": customfield_10006 (option), customfield_10007 (string)`) {
		t.Errorf("message %q", msg)
	}
	text, _ := e.ok(tools.GetIssue, map[string]any{"issue_key": "WEB-2", "comment_limit": 0, "fields": []any{"customfield_10006", "Fix Version/s"}})
	if !strings.Contains(text, "Team: Checkout Squad | Fix Version/s: 2.5") {
		t.Errorf("text:\n%s", text)
	}
}
