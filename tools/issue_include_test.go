package tools_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/jira-mcp/jira-mcp/tools"
)

// TestGetIssueInclude reads WEB-3 with every section: the seed gives it a
// blocking link from OPS-1, a pull request, an estimate with one worklog,
// and a change of status, to which a transition adds another.
func TestGetIssueInclude(t *testing.T) {
	forEachVersion(t, func(t *testing.T, version string) {
		e := newEnv(t, envOptions{version: version})
		e.ok(tools.Transition, map[string]any{"issue_key": "WEB-3", "transition": "Done", "resolution": "Fixed"})
		e.jira.ResetRequests()
		text, res := e.ok(tools.GetIssue, map[string]any{"issue_key": "WEB-3", "comment_limit": 0,
			"include": []any{"changelog", "links", "remote_links", "worklogs", "subtasks", "links"}})
		for _, want := range []string{
			"\n\nLinks (1):\nWEB-3 is blocked by OPS-1 [To Do] Rotate the TLS certificate of the payment gateway",
			"\n\nRemote links (1):\n[10001] PR #412: Raise the payment gateway timeout: https://git.example.test/storefront/web/pull/412 (Open, 2 approvals)",
			"\n\nTime: estimate 2d, remaining 1d 6h, spent 2h\nWorklogs (1, newest first):\n[10001] alice 2026-",
			" 2h: Reproduced with 51 items and traced it to the gateway timeout.",
			"\n\nSub-tasks (0):",
			"\n\nChanges (2, newest first):\n",
			" alice: status In Progress -> Done; resolution -> Fixed\n",
			" alice: status To Do -> In Progress",
		} {
			if !strings.Contains(text, want) {
				t.Errorf("lacks %q in\n%s", want, text)
			}
		}
		if i, j := strings.Index(text, "Links ("), strings.Index(text, "Changes ("); i < 0 || j < i {
			t.Errorf("sections out of order:\n%s", text)
		}
		var out struct {
			Links        []tools.LinkView
			RemoteLinks  []tools.RemoteLinkView `json:"remote_links"`
			TimeTracking *tools.TimeTracking    `json:"time_tracking"`
			Worklogs     []tools.WorklogView
			Subtasks     []tools.SubtaskView
			Changelog    []tools.ChangeView
		}
		structured(t, res, &out)
		if len(out.Links) != 1 || out.Links[0] != (tools.LinkView{Type: "Blocks", Direction: "inward", Phrase: "is blocked by", Key: "OPS-1", Summary: "Rotate the TLS certificate of the payment gateway", Status: "To Do"}) ||
			len(out.RemoteLinks) != 1 || out.RemoteLinks[0].ID != 10001 || out.TimeTracking.RemainingEstimate != "1d 6h" ||
			len(out.Worklogs) != 1 || out.Worklogs[0].Author != "alice" || out.Subtasks == nil || len(out.Subtasks) != 0 ||
			len(out.Changelog) != 2 || out.Changelog[0].Items[1] != (tools.ChangeItem{Field: "resolution", To: "Fixed"}) {
			t.Errorf("structured %+v", out)
		}
		// One more read of the issue serves every section's fields.
		var gets []string
		for _, r := range e.requests("GET", "/rest/api/2/issue/WEB-3") {
			gets = append(gets, r.Path+"?"+r.RawQuery)
		}
		q := url.Values{"fields": {"issuelinks,timetracking,subtasks"}, "expand": {"changelog"}}
		if len(gets) != 4 || !strings.Contains(strings.Join(gets, " "), "/rest/api/2/issue/WEB-3?"+q.Encode()) {
			t.Errorf("requests %q", gets)
		}
	})
}

// Without include, jira_get_issue reads what it always read.
func TestGetIssueWithoutInclude(t *testing.T) {
	e := newEnv(t, envOptions{})
	text, res := e.ok(tools.GetIssue, map[string]any{"issue_key": "WEB-6", "comment_limit": 0})
	var m map[string]any
	structured(t, res, &m)
	for _, k := range []string{"links", "subtasks", "changelog", "worklogs", "remote_links", "include_errors"} {
		if _, ok := m[k]; ok {
			t.Errorf("%s present without include", k)
		}
	}
	// One read of the issue (and of the field list, once: Sprint and Epic Link).
	if strings.Contains(text, "Sub-tasks") || len(e.requests("GET", "/rest/api/2/issue/")) != 1 {
		t.Errorf("%q, %d requests", text, len(e.jira.Requests()))
	}
	text, _ = e.ok(tools.GetIssue, map[string]any{"issue_key": "WEB-6", "comment_limit": 0, "include": []any{"subtasks"}})
	if !strings.HasSuffix(text, "\n\nSub-tasks (1):\nWEB-7 [To Do] Replace componentWillReceiveProps in the cart drawer") {
		t.Errorf("%s", text)
	}
	if msg := e.fail(tools.GetIssue, map[string]any{"issue_key": "WEB-6", "include": []any{"votes"}}); !strings.Contains(msg, "include.0 must be one of links, remote_links, worklogs, subtasks, changelog, attachments") {
		t.Errorf("%q", msg)
	}
}

// A section that cannot be read says so in its place; the rest is shown.
func TestGetIssueIncludeFailure(t *testing.T) {
	e := newEnv(t, envOptions{})
	// For good: a read that fails once may be retried.
	e.jira.Fail("GET", "/rest/api/2/issue/WEB-3/remotelink", http.StatusInternalServerError, nil, "", -1)
	text, res := e.ok(tools.GetIssue, map[string]any{"issue_key": "WEB-3", "comment_limit": 0, "include": []any{"remote_links", "links"}})
	if !strings.Contains(text, "\n\nLinks (1):") || !strings.Contains(text, "\n\nremote_links could not be read: ") || !strings.Contains(text, "500") {
		t.Errorf("%s", text)
	}
	var out struct {
		IncludeErrors map[string]string `json:"include_errors"`
	}
	structured(t, res, &out)
	if !strings.Contains(out.IncludeErrors["remote_links"], "500") {
		t.Errorf("%+v", out)
	}
}
