package tools_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/jira-mcp/jira-mcp/tools"
	"github.com/jira-mcp/jira-mcp/tools/jira/emulator"
)

func TestUpdateIssue(t *testing.T) {
	forEachVersion(t, func(t *testing.T, v string) {
		e := newEnv(t, envOptions{version: v})
		text, res := e.ok(tools.UpdateIssue, map[string]any{
			"issue_key": "web-6", "summary": "Upgrade the storefront to React 19.1",
			"fields":     map[string]any{"Priority": "major", "Due Date": "2026-03-01"},
			"labels_add": []any{"react"}, "labels_remove": []any{"tech-debt"}, "components_add": []any{"search"},
		})
		puts := e.requests("PUT", "/rest/api/2/issue/WEB-6")
		if len(puts) != 1 {
			t.Fatalf("%d edits", len(puts))
		}
		jsonEq(t, puts[0].Body, `{"fields":{"summary":"Upgrade the storefront to React 19.1","priority":{"name":"Major"},"duedate":"2026-03-01"},
			"update":{"labels":[{"add":"react"},{"remove":"tech-debt"}],"components":[{"add":{"name":"Search"}}]}}`)
		for _, want := range []string{
			`Updated WEB-6 (` + e.jira.URL + `/browse/WEB-6): Summary: "Upgrade the storefront to React 19" -> "Upgrade the storefront to React 19.1"`,
			`Priority: "Minor" -> "Major"`, `Due Date: (none) -> "2026-03-01"`, "Labels: +react -tech-debt", "Component/s: +Search",
		} {
			if !strings.Contains(text, want) {
				t.Errorf("text lacks %q:\n%s", want, text)
			}
		}
		var out tools.UpdateResult
		structured(t, res, &out)
		if len(out.Changes) != 5 || out.Changes[0].ID != "summary" || out.Changes[0].Field != "Summary" {
			t.Errorf("changes %+v", out.Changes)
		}
		if st, _ := e.jira.Issue("WEB-6"); !slices.Equal(st.Labels, []string{"frontend", "react"}) || st.Priority != "Major" {
			t.Errorf("WEB-6 = %+v", st)
		}
		// Clearing, and nothing left to change.
		text, _ = e.ok(tools.UpdateIssue, map[string]any{"issue_key": "WEB-6", "fields": map[string]any{"duedate": nil}})
		if !strings.Contains(text, `Due Date: "2026-03-01" -> (none)`) {
			t.Errorf("clear: %q", text)
		}
		text, _ = e.ok(tools.UpdateIssue, map[string]any{"issue_key": "WEB-6", "labels_add": []any{"react"}})
		if !strings.Contains(text, "no field changed") {
			t.Errorf("no-op: %q", text)
		}
	})
}

func TestUpdateIssueRefusals(t *testing.T) {
	e := newEnv(t, envOptions{})
	for _, c := range []struct {
		name string
		args map[string]any
		kind string
		want []string
	}{
		{"not on the edit screen", map[string]any{"issue_key": "WEB-6", "fields": map[string]any{"Story Points": 3}}, tools.KindInvalidInput,
			[]string{`fields: "Story Points" is not on the edit screen of WEB-6.`, "The edit screen of WEB-6 has: Assignee (assignee), Component/s (components),"}},
		{"required cleared", map[string]any{"issue_key": "API-2", "fields": map[string]any{"components": nil}}, tools.KindInvalidInput, []string{"Component/s (components) is required: it cannot be cleared"}},
		{"value not allowed", map[string]any{"issue_key": "WEB-6", "components_add": []any{"Billing"}}, tools.KindInvalidInput, []string{`Component/s (components): "Billing" is not allowed; use one of: Checkout, Payments, Search`}},
		{"set and changed", map[string]any{"issue_key": "WEB-6", "fields": map[string]any{"labels": []any{"a"}}, "labels_add": []any{"b"}}, tools.KindInvalidInput, []string{"is both set and changed"}},
		{"nothing", map[string]any{"issue_key": "WEB-6"}, tools.KindInvalidInput, []string{"Nothing to change"}},
		{"no permission", map[string]any{"issue_key": "OPS-1", "summary": "x"}, tools.KindForbidden, []string{"You may not edit OPS-1"}},
		{"hidden", map[string]any{"issue_key": "SEC-1", "summary": "x"}, tools.KindNotFound, []string{"SEC-1 does not exist"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := e.call(tools.UpdateIssue, c.args)
			if tools.ErrorKind(res) != c.kind {
				t.Errorf("kind %q, want %q: %s", tools.ErrorKind(res), c.kind, tools.Text(res))
			}
			for _, w := range c.want {
				if !strings.Contains(tools.Text(res), w) {
					t.Errorf("message lacks %q:\n%s", w, tools.Text(res))
				}
			}
		})
	}
	if n := len(e.requests("PUT", "/rest/api/2/issue/")); n != 0 {
		t.Errorf("%d edits reached Jira", n)
	}
}

func TestUpdateIssueAnswerLost(t *testing.T) {
	srv := emulator.NewServer()
	t.Cleanup(srv.Close)
	hc := &http.Client{Transport: loseAnswers{srv.ClientAs(emulator.DefaultToken).Transport, "PUT", "/rest/api/2/issue/WEB-6"}}
	e := connect(t, srv, mustToolset(t, srv.URL, hc), envOptions{})
	text, res := e.ok(tools.UpdateIssue, map[string]any{"issue_key": "WEB-6", "labels_add": []any{"react"}})
	var out tools.UpdateResult
	structured(t, res, &out)
	if !out.Verified || !strings.Contains(text, "Labels: +react") || !strings.Contains(text, "confirmed by reading the issue back") {
		t.Errorf("made: %+v %q", out, text)
	}
	e.jira.Fail("PUT", "/rest/api/2/issue/WEB-6", http.StatusServiceUnavailable, nil, "", 1)
	res = e.call(tools.UpdateIssue, map[string]any{"issue_key": "WEB-6", "labels_add": []any{"vite"}})
	if msg := tools.Text(res); !res.IsError || !strings.Contains(msg, "its fields read back unchanged: it was not made. It is safe to retry.") {
		t.Errorf("not made: %q", msg)
	}
}
