package tools_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/jira-mcp/jira-mcp/tools"
	"github.com/jira-mcp/jira-mcp/tools/jira/emulator"
)

// "What's in the current sprint for WEB, and what's left?": the sprints of
// WEB's scrum board, then a search of the active one.
func TestListSprints(t *testing.T) {
	forEachVersion(t, func(t *testing.T, version string) {
		e := newEnv(t, envOptions{version: version})
		text, res := e.ok(tools.ListSprints, map[string]any{"project": "web"})
		for _, want := range []string{
			`Boards of WEB: 1 "WEB board" (scrum), 3 "Storefront Kanban" (kanban)`,
			"Active, future sprints:\nid|state|name|start|end|board|goal",
			"\n3|active|Storefront Sprint 13|2026-",
			"|1|Checkout redesign beta",
			"\n4|future|Storefront Sprint 14|-|-|1|-",
		} {
			if !strings.Contains(text, want) {
				t.Errorf("text lacks %q:\n%s", want, text)
			}
		}
		var out struct {
			Boards  []struct{ ID int }
			Sprints []struct {
				ID          int
				State, Name string
				Board       int
			}
		}
		structured(t, res, &out)
		if len(out.Boards) != 2 || len(out.Sprints) != 2 || out.Sprints[0].ID != 3 || out.Sprints[0].State != "active" {
			t.Errorf("structured %+v", out)
		}
		// Jira was asked for WEB's boards, then the scrum board's open
		// sprints; the kanban board was not asked for sprints.
		if r := e.requests("GET", "/rest/agile/1.0/board"); len(r) != 2 || !strings.Contains(r[0].RawQuery, "projectKeyOrId=WEB") ||
			r[1].Path != "/rest/agile/1.0/board/1/sprint" || !strings.Contains(r[1].RawQuery, "state=active%2Cfuture") {
			t.Errorf("requests %+v", r)
		}

		text, _ = e.ok(tools.Search, map[string]any{"jql": "sprint = 3 AND statusCategory != Done"})
		if !strings.Contains(text, "WEB-2|To Do|") || strings.Contains(text, "WEB-5|") {
			t.Errorf("what's left in sprint 3:\n%s", text)
		}

		text, _ = e.ok(tools.ListSprints, map[string]any{"board": 2, "state": []any{"closed"}})
		if !strings.Contains(text, "5|closed|Platform Sprint 7|") || !strings.Contains(text, "(completed)") || strings.Contains(text, "Boards of") {
			t.Errorf("closed sprints of board 2:\n%s", text)
		}
		if msg := e.fail(tools.ListSprints, map[string]any{}); !strings.Contains(msg, "Pass project") {
			t.Errorf("no project nor board: %q", msg)
		}
		if msg := e.fail(tools.ListSprints, map[string]any{"board": 4}); !strings.Contains(msg, "No board 4") {
			t.Errorf("hidden board: %q", msg)
		}
	})
}

func TestListSprintsScoped(t *testing.T) {
	e := newEnv(t, envOptions{projects: []string{"API"}})
	if msg := e.fail(tools.ListSprints, map[string]any{"project": "WEB"}); !strings.Contains(msg, "outside the projects") {
		t.Errorf("project outside: %q", msg)
	}
	if msg := e.fail(tools.ListSprints, map[string]any{"board": 1}); !strings.Contains(msg, "No board 1") || !strings.Contains(msg, "(API)") {
		t.Errorf("board outside: %q", msg)
	}
	if text, _ := e.ok(tools.ListSprints, map[string]any{"board": 2}); !strings.Contains(text, "Platform Sprint 8") {
		t.Errorf("board inside: %q", text)
	}
}

func TestMoveToSprint(t *testing.T) {
	forEachVersion(t, func(t *testing.T, version string) {
		e := newEnv(t, envOptions{version: version})
		text, res := e.ok(tools.MoveToSprint, map[string]any{"issue_keys": []any{"web-6", "WEB-7", "WEB-6"}, "sprint": "storefront sprint 14"})
		if text != `Moved WEB-6, WEB-7 to sprint 4 "Storefront Sprint 14" (future, board 1).` {
			t.Errorf("text %q", text)
		}
		var out struct {
			IssueKeys []string `json:"issue_keys"`
			Sprint    struct{ ID int }
		}
		structured(t, res, &out)
		if out.Sprint.ID != 4 || !slices.Equal(out.IssueKeys, []string{"WEB-6", "WEB-7"}) {
			t.Errorf("structured %+v", out)
		}
		posts := e.requests("POST", "/rest/agile/1.0/")
		if len(posts) != 1 || posts[0].Path != "/rest/agile/1.0/sprint/4/issue" {
			t.Fatalf("posts %+v", posts)
		}
		jsonEq(t, posts[0].Body, `{"issues":["WEB-6","WEB-7"]}`)
		if got := e.jira.Sprints("WEB-7"); !slices.Equal(got, []string{"Storefront Sprint 14"}) {
			t.Errorf("WEB-7 in %q", got)
		}

		e.jira.ResetRequests()
		text, _ = e.ok(tools.MoveToSprint, map[string]any{"issue_keys": []any{"WEB-7"}, "sprint": "3"})
		if !strings.Contains(text, `sprint 3 "Storefront Sprint 13" (active, board 1)`) || len(e.requests("GET", "/rest/agile/1.0/board")) != 0 {
			t.Errorf("by id: %q", text)
		}
		text, _ = e.ok(tools.MoveToSprint, map[string]any{"issue_keys": []any{"WEB-7"}, "sprint": "Backlog"})
		if text != "Moved WEB-7 to the backlog." || len(e.jira.Sprints("WEB-7")) != 0 {
			t.Errorf("backlog: %q %q", text, e.jira.Sprints("WEB-7"))
		}
		jsonEq(t, e.requests("POST", "/rest/agile/1.0/backlog/issue")[0].Body, `{"issues":["WEB-7"]}`)

		// Refusals: nothing is sent.
		e.jira.ResetRequests()
		for _, c := range []struct {
			sprint string
			keys   []any
			want   string
		}{
			{"Storefront Sprint 11", []any{"WEB-6"}, `Sprint 1 "Storefront Sprint 11" is closed (completed 2026-`},
			{"1", []any{"WEB-6"}, "is closed"},
			{"Sprint 99", []any{"WEB-6"}, `No sprint named "Sprint 99" on the boards of WEB. Open sprints: 3 "Storefront Sprint 13" (active), 4 "Storefront Sprint 14" (future).`},
			{"99", []any{"WEB-6"}, "No sprint 99"},
		} {
			if msg := e.fail(tools.MoveToSprint, map[string]any{"issue_keys": c.keys, "sprint": c.sprint}); !strings.Contains(msg, c.want) {
				t.Errorf("%s: %q, want %q", c.sprint, msg, c.want)
			}
		}
		if n := len(e.requests("POST", "")); n != 0 {
			t.Errorf("refused moves sent %d requests", n)
		}
		// Jira's refusal: alice may not schedule OPS issues.
		if msg := e.fail(tools.MoveToSprint, map[string]any{"issue_keys": []any{"OPS-1"}, "sprint": "4"}); !strings.Contains(msg, "Permission denied") {
			t.Errorf("OPS-1: %q", msg)
		}
	})
}

// Every key is checked against the allow-list before anything is sent.
func TestMoveToSprintScoped(t *testing.T) {
	e := newEnv(t, envOptions{projects: []string{"WEB"}})
	msg := e.fail(tools.MoveToSprint, map[string]any{"issue_keys": []any{"WEB-6", "ops-1"}, "sprint": "4"})
	if !strings.Contains(msg, `issue_keys "ops-1" is outside the projects`) {
		t.Errorf("message %q", msg)
	}
	if n := len(e.jira.Requests()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
	if msg := e.fail(tools.MoveToSprint, map[string]any{"issue_keys": make([]any, 51), "sprint": "4"}); !strings.Contains(msg, "issue_keys") {
		t.Errorf("51 keys: %q", msg)
	}
}

// A move whose answer is lost is read back: done, the agent is told so.
func TestMoveToSprintAnswerLost(t *testing.T) {
	srv := emulator.NewServer()
	t.Cleanup(srv.Close)
	hc := &http.Client{Transport: loseAnswers{srv.ClientAs(emulator.DefaultToken).Transport, "POST", "/rest/agile/1.0/sprint/4/issue"}}
	e := connect(t, srv, mustToolset(t, srv.URL, hc), envOptions{})
	text, res := e.ok(tools.MoveToSprint, map[string]any{"issue_keys": []any{"WEB-6"}, "sprint": "4"})
	var out struct{ Verified bool }
	structured(t, res, &out)
	if !out.Verified || !strings.Contains(text, "confirmed by reading the issues back") {
		t.Errorf("%q %+v", text, out)
	}
	// Not made: the move failed before Jira did it.
	srv.Fail("POST", "/rest/agile/1.0/sprint/3/issue", http.StatusBadGateway, nil, "", 1)
	if msg := e.fail(tools.MoveToSprint, map[string]any{"issue_keys": []any{"WEB-7"}, "sprint": "3"}); !strings.Contains(msg, "it was not made. It is safe to retry.") {
		t.Errorf("not made: %q", msg)
	}
}

// jira_get_issue shows the sprint and the epic by name; jira_search only
// when asked, so its lines stay short.
func TestSprintAndEpicByName(t *testing.T) {
	e := newEnv(t, envOptions{})
	text, res := e.ok(tools.GetIssue, map[string]any{"issue_key": "WEB-4"})
	if !strings.Contains(text, "\nSprint: Storefront Sprint 12, Storefront Sprint 13 | Epic Link: WEB-1\n") || strings.Contains(text, "customfield") || strings.Contains(text, "greenhopper") {
		t.Errorf("get_issue text:\n%s", text)
	}
	var d struct{ Fields map[string]any }
	structured(t, res, &d)
	if d.Fields["Epic Link"] != "WEB-1" {
		t.Errorf("fields %v", d.Fields)
	}
	if text, _ := e.ok(tools.GetIssue, map[string]any{"issue_key": "MOB-1"}); strings.Contains(text, "Sprint:") || strings.Contains(text, "Epic Link:") {
		t.Errorf("MOB-1 has neither:\n%s", text)
	}
	plain, _ := e.ok(tools.Search, map[string]any{"jql": "key = WEB-2"})
	if strings.Contains(plain, "Sprint") {
		t.Errorf("default search shows sprints:\n%s", plain)
	}
	text, _ = e.ok(tools.Search, map[string]any{"jql": "key = WEB-2", "fields": []any{"Sprint", "Epic Link"}})
	if !strings.Contains(text, "|Sprint|Epic Link\nWEB-2|") || !strings.HasSuffix(text, "|Storefront Sprint 13|WEB-1") {
		t.Errorf("search with fields:\n%s", text)
	}
}
