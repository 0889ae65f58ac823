package tools_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/jira-mcp/jira-mcp/tools"
	"github.com/jira-mcp/jira-mcp/tools/jira/emulator"
)

// TestLinkDirectionPhrasings pins both phrasings of one link type to the
// ends Jira takes them for: "A blocks B" sends inwardIssue A, "A is blocked
// by B" sends inwardIssue B; the emulator stores source = inwardIssue, and
// the answer says the link in words from issue_key.
func TestLinkDirectionPhrasings(t *testing.T) {
	forEachVersion(t, func(t *testing.T, version string) {
		for _, tt := range []struct {
			link, inward, outward, text, direction string
		}{
			{"blocks", "WEB-5", "WEB-6", "WEB-5 blocks WEB-6", "outward"},
			{"is blocked by", "WEB-6", "WEB-5", "WEB-5 is blocked by WEB-6", "inward"},
			{"Blocks", "WEB-5", "WEB-6", "WEB-5 blocks WEB-6", "outward"},
			{"blocked  BY", "WEB-6", "WEB-5", "WEB-5 is blocked by WEB-6", "inward"},
			{"is duplicated by", "WEB-6", "WEB-5", "WEB-5 is duplicated by WEB-6", "inward"},
			{"relates to", "WEB-5", "WEB-6", "WEB-5 relates to WEB-6", "outward"},
		} {
			t.Run(tt.link, func(t *testing.T) {
				e := newEnv(t, envOptions{version: version})
				text, res := e.ok(tools.LinkIssues, map[string]any{"issue_key": "web-5", "link": tt.link, "other_issue_key": "WEB-6"})
				if text != "Linked: "+tt.text+"." {
					t.Errorf("text %q", text)
				}
				var out tools.LinkResult
				structured(t, res, &out)
				if out.Text != tt.text || out.Direction != tt.direction || !out.Created || out.IssueKey != "WEB-5" || out.OtherIssueKey != "WEB-6" {
					t.Errorf("structured %+v", out)
				}
				posts := e.requests("POST", "/rest/api/2/issueLink")
				if len(posts) != 1 {
					t.Fatalf("%d POSTs", len(posts))
				}
				var typ string
				for _, lt := range []struct{ phrase, body string }{
					{"block", `{"id":"10000","name":"Blocks"}`}, {"duplicat", `{"id":"10002","name":"Duplicate"}`}, {"relates", `{"id":"10003","name":"Relates"}`},
				} {
					if strings.Contains(strings.ToLower(tt.link), lt.phrase) {
						typ = lt.body
					}
				}
				jsonEq(t, posts[0].Body, `{"type":`+typ+`,"inwardIssue":{"key":"`+tt.inward+`"},"outwardIssue":{"key":"`+tt.outward+`"}}`)
				links := e.jira.Links("WEB-6")
				if len(links) != 1 || links[0].Source != tt.inward || links[0].Dest != tt.outward {
					t.Errorf("stored %+v", links)
				}
				// Read back from both ends, the words agree with the answer.
				inc, _ := e.ok(tools.GetIssue, map[string]any{"issue_key": "WEB-5", "include": []any{"links"}, "comment_limit": 0})
				if !strings.Contains(inc, "\n"+tt.text+" [To Do] ") {
					t.Errorf("WEB-5 with links:\n%s", inc)
				}
			})
		}
	})
}

// The task an agent is given: "link WEB-7 to WEB-12 as blocking, and link
// this commit URL" - twice, as a retrying agent would.
func TestLinkAndRemoteLinkTwice(t *testing.T) {
	forEachVersion(t, func(t *testing.T, version string) {
		e := newEnv(t, envOptions{version: version})
		const commit = "https://git.example.test/storefront/web/commit/a1b2c3d"
		link := map[string]any{"issue_key": "WEB-7", "link": "blocks", "other_issue_key": "WEB-12"}
		remote := map[string]any{"issue_key": "WEB-7", "url": commit, "title": "a1b2c3d Retry token refresh once"}
		if text, _ := e.ok(tools.LinkIssues, link); text != "Linked: WEB-7 blocks WEB-12." {
			t.Errorf("link: %q", text)
		}
		text, res := e.ok(tools.AddRemoteLink, remote)
		if text != `Linked WEB-7 to `+commit+`: "a1b2c3d Retry token refresh once" (remote link 10002).` {
			t.Errorf("remote link: %q", text)
		}
		var out tools.RemoteLinkResult
		structured(t, res, &out)
		if out.ID != 10002 || out.Updated || out.URL != commit {
			t.Errorf("%+v", out)
		}
		jsonEq(t, e.requests("POST", "/rest/api/2/issue/WEB-7/remotelink")[0].Body,
			`{"globalId":"`+commit+`","object":{"url":"`+commit+`","title":"a1b2c3d Retry token refresh once"}}`)

		if text, _ := e.ok(tools.LinkIssues, link); text != "Already linked: WEB-7 blocks WEB-12. Nothing was changed." {
			t.Errorf("link again: %q", text)
		}
		if text, _ := e.ok(tools.AddRemoteLink, remote); !strings.HasPrefix(text, "WEB-7 already links to "+commit) {
			t.Errorf("remote link again: %q", text)
		}
		remote["summary"] = "merged"
		if text, _ := e.ok(tools.AddRemoteLink, remote); !strings.HasPrefix(text, "Updated the link of WEB-7 to "+commit+", which was there already (one link, not two)") {
			t.Errorf("remote link updated: %q", text)
		}
		if n := len(e.requests("POST", "/rest/api/2/issueLink")); n != 1 {
			t.Errorf("%d link POSTs, want 1", n)
		}
		if n := len(e.requests("POST", "/rest/api/2/issue/WEB-7/remotelink")); n != 2 {
			t.Errorf("%d remote link POSTs, want 2 (create, update)", n)
		}
		want := []emulator.RemoteLinkState{{ID: 10002, GlobalID: commit, URL: commit, Title: "a1b2c3d Retry token refresh once", Summary: "merged"}}
		if got := e.jira.RemoteLinks("WEB-7"); !slices.Equal(got, want) {
			t.Errorf("stored %+v", got)
		}
		if got := e.jira.Links("WEB-12"); len(got) != 1 || got[0].Source != "WEB-7" || got[0].Type != "Blocks" {
			t.Errorf("stored %+v", got)
		}
	})
}

func TestLinkIssuesExistingAndRefused(t *testing.T) {
	forEachVersion(t, func(t *testing.T, version string) {
		e := newEnv(t, envOptions{version: version})
		for _, args := range []map[string]any{
			{"issue_key": "WEB-3", "link": "is blocked by", "other_issue_key": "OPS-1"},
			{"issue_key": "OPS-1", "link": "blocks", "other_issue_key": "WEB-3", "comment": "again"},
			{"issue_key": "WEB-4", "link": "relates to", "other_issue_key": "WEB-2"}, // symmetric, seeded from WEB-2
		} {
			text, res := e.ok(tools.LinkIssues, args)
			var out tools.LinkResult
			structured(t, res, &out)
			if !strings.HasPrefix(text, "Already linked: ") || out.Created {
				t.Errorf("%v: %q %+v", args, text, out)
			}
		}
		msg := e.fail(tools.LinkIssues, map[string]any{"issue_key": "WEB-3", "link": "depends on", "other_issue_key": "WEB-4"})
		if !strings.Contains(msg, `No link type "depends on" on this Jira. Use a phrase of one of: Blocks ("blocks" / "is blocked by"), Cloners`) {
			t.Errorf("unknown type: %q", msg)
		}
		if msg := e.fail(tools.LinkIssues, map[string]any{"issue_key": "WEB-3", "link": "blocks", "other_issue_key": "web-3"}); !strings.Contains(msg, "cannot be linked to itself") {
			t.Errorf("itself: %q", msg)
		}
		// Alice may not link from OPS: Jira answers 401, which is no login problem.
		res := e.call(tools.LinkIssues, map[string]any{"issue_key": "OPS-1", "link": "blocks", "other_issue_key": "WEB-5"})
		if tools.ErrorKind(res) != tools.KindForbidden || !strings.Contains(tools.Text(res), "Link Issues permission") {
			t.Errorf("OPS: %s %q", tools.ErrorKind(res), tools.Text(res))
		}
		if n := len(e.requests("POST", "/rest/api/2/issueLink")); n != 1 {
			t.Errorf("%d POSTs, want only the refused one", n)
		}
		if st, _ := e.jira.Issue("OPS-1"); len(st.Comments) != 1 {
			t.Errorf("a comment was added to an existing link: %+v", st.Comments)
		}
	})
}

func TestLinkIssuesComment(t *testing.T) {
	forEachVersion(t, func(t *testing.T, version string) {
		e := newEnv(t, envOptions{version: version})
		text, res := e.ok(tools.LinkIssues, map[string]any{"issue_key": "WEB-5", "link": "is blocked by", "other_issue_key": "WEB-6", "comment": "Needs **React 19** first."})
		var out tools.LinkResult
		structured(t, res, &out)
		if out.CommentID == "" || !strings.HasSuffix(text, "Comment "+out.CommentID+" added to WEB-5.") {
			t.Errorf("%q %+v", text, out)
		}
		// The comment goes to issue_key in a call of its own, not with the
		// link (Jira would put it on one end or the other by direction).
		jsonEq(t, e.requests("POST", "/rest/api/2/issueLink")[0].Body, `{"type":{"id":"10000","name":"Blocks"},"inwardIssue":{"key":"WEB-6"},"outwardIssue":{"key":"WEB-5"}}`)
		jsonEq(t, e.requests("POST", "/rest/api/2/issue/WEB-5/comment")[0].Body, `{"body":"Needs *React 19* first."}`)
	})
}

func TestLinksLostAnswer(t *testing.T) {
	srv := emulator.NewServer()
	t.Cleanup(srv.Close)
	base := srv.ClientAs(emulator.DefaultToken).Transport
	hc := &http.Client{Transport: loseAnswers{loseAnswers{base, "POST", "/rest/api/2/issueLink"}, "POST", "/rest/api/2/issue/WEB-5/remotelink"}}
	e := connect(t, srv, mustToolset(t, srv.URL, hc), envOptions{})

	text, res := e.ok(tools.LinkIssues, map[string]any{"issue_key": "WEB-5", "link": "blocks", "other_issue_key": "WEB-6"})
	var out tools.LinkResult
	structured(t, res, &out)
	if !out.Verified || !out.Created || !strings.Contains(text, "confirmed by reading it back. Do not link again.") {
		t.Errorf("%q %+v", text, out)
	}
	text, res = e.ok(tools.AddRemoteLink, map[string]any{"issue_key": "WEB-5", "url": "https://git.example.test/pr/9", "title": "PR 9"})
	var rout tools.RemoteLinkResult
	structured(t, res, &rout)
	if !rout.Verified || rout.ID != 10002 || !strings.Contains(text, "confirmed by reading it back") {
		t.Errorf("%q %+v", text, rout)
	}

	// A 503 from a proxy: nothing was made, and the tool says so.
	srv.Fail("POST", "/rest/api/2/issueLink", http.StatusServiceUnavailable, nil, "", 1)
	msg := e.fail(tools.LinkIssues, map[string]any{"issue_key": "WEB-5", "link": "relates to", "other_issue_key": "WEB-4"})
	if !strings.Contains(msg, "reading the links of WEB-5 back does not show it: it was not made. It is safe to retry.") {
		t.Errorf("%q", msg)
	}
}

func TestRemoteLinkURLs(t *testing.T) {
	e := newEnv(t, envOptions{})
	for _, tt := range []struct{ url, want string }{
		{"ftp://git.example.test/x", "http or https URL"},
		{"git.example.test/pull/1", "http or https URL"},
		{"https://bob:hunter2@git.example.test/pull/1", "holds a password"},
		{"https://git.example.test/pull/1?token=ghp_" + strings.Repeat("a1", 18), "a GitHub token"},
	} {
		if msg := e.fail(tools.AddRemoteLink, map[string]any{"issue_key": "WEB-5", "url": tt.url, "title": "x"}); !strings.Contains(msg, tt.want) {
			t.Errorf("%s: %q", tt.url, msg)
		}
	}
	if n := len(e.requests("", "/rest/api/2/issue/WEB-5/remotelink")); n != 0 {
		t.Errorf("refused links reached Jira: %d", n)
	}
	// A user name alone is dropped from the URL, which is the globalId.
	_, res := e.ok(tools.AddRemoteLink, map[string]any{"issue_key": "WEB-5", "url": "https://bob@git.example.test/pull/1", "title": "PR 1", "relationship": "fixed by"})
	var out tools.RemoteLinkResult
	structured(t, res, &out)
	if got := e.jira.RemoteLinks("WEB-5"); out.URL != "https://git.example.test/pull/1" || len(got) != 1 || got[0].GlobalID != out.URL || got[0].Rel != "fixed by" {
		t.Errorf("%+v %+v", out, got)
	}
	if msg := e.fail(tools.AddRemoteLink, map[string]any{"issue_key": "OPS-1", "url": "https://x.test/", "title": "x"}); !strings.Contains(msg, "Permission denied") {
		t.Errorf("OPS: %q", msg)
	}
}

func TestLinksScope(t *testing.T) {
	e := newEnv(t, envOptions{projects: []string{"WEB"}})
	res := e.call(tools.LinkIssues, map[string]any{"issue_key": "WEB-3", "link": "blocks", "other_issue_key": "OPS-1"})
	if tools.ErrorKind(res) != tools.KindForbidden || !strings.Contains(tools.Text(res), `other_issue_key "OPS-1" is outside the projects`) {
		t.Errorf("%q", tools.Text(res))
	}
	// A link to an issue outside the allowed projects shows its key only.
	text, _ := e.ok(tools.GetIssue, map[string]any{"issue_key": "WEB-3", "include": []any{"links"}, "comment_limit": 0})
	if !strings.Contains(text, "Links (1):\nWEB-3 is blocked by OPS-1 (outside the projects jira-mcp may use)") || strings.Contains(text, "TLS") {
		t.Errorf("%s", text)
	}
	if n := len(e.requests("", "/rest/api/2/issueLink")); n != 0 {
		t.Errorf("%d requests", n)
	}
}
