package tools_test

import (
	"strings"
	"testing"

	"github.com/jira-mcp/jira-mcp/tools"
)

// With --projects, nothing outside the list is read or written: keys and
// projects are refused before Jira is called, and searches are confined.
func TestProjectAllowList(t *testing.T) {
	e := newEnv(t, envOptions{projects: []string{"web"}})
	for _, c := range []struct {
		tool string
		args map[string]any
	}{
		{tools.GetIssue, map[string]any{"issue_key": "OPS-1"}},
		{tools.GetComments, map[string]any{"issue_key": "ops-1"}},
		{tools.GetTransitions, map[string]any{"issue_key": "OPS-1"}},
		{tools.AddComment, map[string]any{"issue_key": "OPS-1", "body": "x"}},
		{tools.Transition, map[string]any{"issue_key": "OPS-1", "transition": "Done"}},
	} {
		res := e.call(c.tool, c.args)
		if !res.IsError || tools.ErrorKind(res) != tools.KindForbidden || !strings.Contains(tools.Text(res), `issue_key "OPS-1" is outside the projects jira-mcp may use (WEB)`) && !strings.Contains(tools.Text(res), `"ops-1"`) {
			t.Errorf("%s: %s %q", c.tool, tools.ErrorKind(res), tools.Text(res))
		}
	}
	if n := len(e.jira.Requests()); n != 0 {
		t.Errorf("Jira got %d requests for issues outside the list", n)
	}

	_, res := e.ok(tools.Search, map[string]any{"jql": "project = OPS OR assignee = currentUser() ORDER BY key DESC", "limit": 100})
	var sr tools.SearchResult
	structured(t, res, &sr)
	if len(sr.Issues) == 0 {
		t.Error("the confined search found nothing")
	}
	for _, is := range sr.Issues {
		if !strings.HasPrefix(is.Key, "WEB-") {
			t.Errorf("search shows %s", is.Key)
		}
	}
	reqs := e.requests("POST", "/rest/api/2/search")
	if len(reqs) != 1 || !strings.Contains(string(reqs[0].Body), `"jql":"project in (WEB) AND (project = OPS OR assignee = currentUser()) ORDER BY key DESC"`) {
		t.Errorf("Jira got %+v", reqs)
	}
	msg := e.fail(tools.Search, map[string]any{"jql": "x = 1) OR (project = OPS"})
	if !strings.Contains(msg, "without its '('") {
		t.Errorf("escape attempt: %q", msg)
	}
	if n := len(e.requests("POST", "/rest/api/2/search")); n != 1 {
		t.Errorf("the escape attempt reached Jira")
	}
}
