package emulator

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestCreateIssue(t *testing.T) {
	s := newTestServer(t)
	bug := func(fields map[string]any) map[string]any {
		f := map[string]any{"project": map[string]any{"key": "API"}, "issuetype": map[string]any{"name": "Bug"}, "summary": "Token endpoint answers 500"}
		for k, v := range fields {
			f[k] = v
		}
		return map[string]any{"fields": f}
	}
	t.Run("created", func(t *testing.T) {
		r := apiCall(t, s, DefaultToken, "POST", "/rest/api/2/issue", bug(map[string]any{
			"components": []any{map[string]any{"name": "Authentication"}}, "assignee": map[string]any{"name": "bob"},
			"priority": map[string]any{"name": "Critical"}, "labels": []any{"flaky", "ci"}, "fixVersions": []any{map[string]any{"id": "10004"}},
			"customfield_10003": "API-1", "customfield_10001": 6, "customfield_10006": map[string]any{"value": "Platform Squad"},
			"description": "Seen in CI.", "duedate": "2026-02-10",
		}))
		if r.status != 201 {
			t.Fatalf("%d %s", r.status, r.body)
		}
		m := r.json(t)
		key := m["key"].(string)
		if !strings.HasPrefix(key, "API-") || m["self"] != s.URL+"/rest/api/2/issue/"+m["id"].(string) {
			t.Errorf("answer %v", m)
		}
		st, _ := s.Issue(key)
		if st.Type != "Bug" || st.Status != "To Do" || st.Reporter != "alice" || st.Assignee != "bob" || st.Priority != "Critical" ||
			!slices.Equal(st.Components, []string{"Authentication"}) || !slices.Equal(st.FixVersions, []string{"2.5"}) ||
			!slices.Equal(st.Labels, []string{"flaky", "ci"}) || st.EpicLink != "API-1" || !st.Created.Equal(testNow) {
			t.Errorf("%s = %+v", key, st)
		}
		found := searchKeys(t, apiCall(t, s, DefaultToken, "POST", "/rest/api/2/search", map[string]any{"jql": "project = API AND reporter = currentUser() AND created >= -10m"}))
		if !slices.Equal(found, []string{key}) {
			t.Errorf("search finds %v, want %s", found, key)
		}
	})
	t.Run("sub-task", func(t *testing.T) {
		r := apiCall(t, s, DefaultToken, "POST", "/rest/api/2/issue", map[string]any{"fields": map[string]any{
			"project": map[string]any{"id": "10000"}, "issuetype": map[string]any{"id": "5"}, "summary": "Fix the cart drawer test", "parent": map[string]any{"key": "WEB-6"}}})
		if r.status != 201 {
			t.Fatalf("%d %s", r.status, r.body)
		}
		if sub := apiCall(t, s, DefaultToken, "GET", "/rest/api/2/issue/WEB-6?fields=subtasks", nil); !strings.Contains(string(sub.body), r.json(t)["key"].(string)) {
			t.Errorf("WEB-6 subtasks: %s", sub.body)
		}
	})
	tests := []struct {
		name  string
		token string
		body  any
		errs  map[string]string
	}{
		{"required components", DefaultToken, bug(nil), map[string]string{"components": "Component/s is required."}},
		{"field problems together", DefaultToken, bug(map[string]any{
			"components": []any{map[string]any{"name": "Gateway"}}, "priority": map[string]any{"name": "Urgent"}, "labels": []any{"two words"},
			"customfield_10005": map[string]any{"value": "Backend"}, "customfield_10006": map[string]any{"value": "Nobody"}, "assignee": map[string]any{"name": "frank"},
			"customfield_10003": "API-2", "customfield_10001": 5, "summary": "",
		}), map[string]string{
			"components": "Component name 'Gateway' is not valid", "priority": "Priority name 'Urgent' is not valid",
			"labels": "The label 'two words' contains spaces which is invalid.", "customfield_10005": "Field 'customfield_10005' cannot be set. It is not on the appropriate screen, or unknown.",
			"customfield_10006": "Option value 'Nobody' is not valid", "assignee": "User 'frank' cannot be assigned issues.",
			"customfield_10003": "Issue 'API-2' does not exist or is not an epic.", "customfield_10001": "Issues can be added to active or future sprints only.",
			"summary": "You must specify a summary of the issue.",
		}},
		{"epic name", DefaultToken, map[string]any{"fields": map[string]any{"project": map[string]any{"key": "WEB"}, "issuetype": map[string]any{"name": "Epic"}, "summary": "x"}}, map[string]string{"customfield_10004": "Epic Name is required."}},
		{"parent", DefaultToken, map[string]any{"fields": map[string]any{"project": map[string]any{"key": "WEB"}, "issuetype": map[string]any{"name": "Sub-task"}, "summary": "x"}}, map[string]string{"parent": "Parent is required."}},
		{"parent elsewhere", DefaultToken, map[string]any{"fields": map[string]any{"project": map[string]any{"key": "WEB"}, "issuetype": map[string]any{"name": "Sub-task"}, "summary": "x", "parent": map[string]any{"key": "API-2"}}}, map[string]string{"parent": "The parent issue must belong to the same project."}},
		{"no permission", DefaultToken, map[string]any{"fields": map[string]any{"project": map[string]any{"key": "OPS"}, "issuetype": map[string]any{"name": "Task"}, "summary": "x"}}, map[string]string{"project": "You do not have permission to create issues in this project."}},
		{"hidden project", DefaultToken, map[string]any{"fields": map[string]any{"project": map[string]any{"key": "SEC"}, "issuetype": map[string]any{"name": "Bug"}, "summary": "x"}}, map[string]string{"project": "valid project is required"}},
		{"nothing", DefaultToken, map[string]any{"fields": map[string]any{}}, map[string]string{"project": "project is required", "issuetype": "issue type is required"}},
		{"bad type", DefaultToken, map[string]any{"fields": map[string]any{"project": map[string]any{"key": "WEB"}, "issuetype": map[string]any{"name": "Incident"}}}, map[string]string{"issuetype": "valid issue type is required"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(s.Emulator.db.issues)
			r := apiCall(t, s, tt.token, "POST", "/rest/api/2/issue", tt.body)
			if r.status != 400 {
				t.Fatalf("%d %s", r.status, r.body)
			}
			_, errs := errorBody(t, r)
			if fmt.Sprint(errs) != fmt.Sprint(tt.errs) {
				t.Errorf("errors\n %v\nwant\n %v", errs, tt.errs)
			}
			if len(s.Emulator.db.issues) != before {
				t.Error("a refused create made an issue")
			}
		})
	}
	if r := apiCall(t, s, DefaultToken, "POST", "/rest/api/2/issue", `{"fields":{},"bogus":1}`); r.status != 400 {
		t.Errorf("unknown property: %d", r.status)
	}
}

func TestEditIssue(t *testing.T) {
	s := newTestServer(t)
	edit := func(token, key string, body any) apiResponse {
		t.Helper()
		return apiCall(t, s, token, "PUT", "/rest/api/2/issue/"+key, body)
	}
	r := edit(DefaultToken, "WEB-6", map[string]any{
		"fields": map[string]any{"summary": "Upgrade the storefront to React 19.1", "priority": map[string]any{"name": "Major"}, "assignee": map[string]any{"name": "carol"}},
		"update": map[string]any{"labels": []any{map[string]any{"add": "react"}, map[string]any{"remove": "tech-debt"}}, "components": []any{map[string]any{"add": map[string]any{"name": "Search"}}}},
	})
	if r.status != 204 {
		t.Fatalf("%d %s", r.status, r.body)
	}
	st, _ := s.Issue("WEB-6")
	if st.Summary != "Upgrade the storefront to React 19.1" || st.Priority != "Major" || st.Assignee != "carol" ||
		!slices.Equal(st.Labels, []string{"frontend", "react"}) || !slices.Equal(st.Components, []string{"Search"}) || !st.Updated.Equal(testNow) {
		t.Errorf("WEB-6 = %+v", st)
	}
	tests := []struct {
		name, token, key string
		body             any
		status           int
		errs             map[string]string
	}{
		{"required", DefaultToken, "API-2", map[string]any{"fields": map[string]any{"components": []any{}}}, 400, map[string]string{"components": "Component/s is required."}},
		{"off screen", DefaultToken, "WEB-6", map[string]any{"fields": map[string]any{"project": map[string]any{"key": "API"}, "reporter": map[string]any{"name": "bob"}}}, 400,
			map[string]string{"project": "Field 'project' cannot be set. It is not on the appropriate screen, or unknown.", "reporter": "Field 'reporter' cannot be set. It is not on the appropriate screen, or unknown."}},
		{"bad operation", DefaultToken, "WEB-6", map[string]any{"update": map[string]any{"summary": []any{map[string]any{"add": "x"}}}}, 400, map[string]string{"summary": "Unsupported operation 'add' for field 'summary'."}},
		{"nothing", DefaultToken, "WEB-6", map[string]any{}, 400, nil},
		{"no permission", DefaultToken, "OPS-1", map[string]any{"fields": map[string]any{"summary": "x"}}, 403, nil},
		{"hidden", DefaultToken, "SEC-1", map[string]any{"fields": map[string]any{"summary": "x"}}, 404, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, _ := s.Issue(tt.key)
			r := edit(tt.token, tt.key, tt.body)
			if r.status != tt.status {
				t.Fatalf("%d %s", r.status, r.body)
			}
			if _, errs := errorBody(t, r); tt.errs != nil && fmt.Sprint(errs) != fmt.Sprint(tt.errs) {
				t.Errorf("errors %v, want %v", errs, tt.errs)
			}
			if after, _ := s.Issue(tt.key); !reflect.DeepEqual(after, before) {
				t.Errorf("a refused edit changed %s", tt.key)
			}
		})
	}
}

func TestAssign(t *testing.T) {
	s := newTestServer(t)
	for _, tt := range []struct {
		name, token, key, body string
		status                 int
		assignee               string
	}{
		{"bob", DefaultToken, "WEB-6", `{"name":"bob"}`, 204, "bob"},
		{"unassign", DefaultToken, "WEB-6", `{"name":null}`, 204, ""},
		{"inactive", DefaultToken, "WEB-6", `{"name":"frank"}`, 400, ""},
		{"unknown", DefaultToken, "WEB-6", `{"name":"zed"}`, 400, ""},
		{"not assignable there", erinToken, "OPS-1", `{"name":"alice"}`, 400, "erin"},
		{"may not assign", DefaultToken, "OPS-1", `{"name":"alice"}`, 403, "erin"},
		{"hidden", DefaultToken, "SEC-1", `{"name":"alice"}`, 404, "dave"},
		{"default assignee", erinToken, "OPS-1", `{"name":"-1"}`, 204, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := apiCall(t, s, tt.token, "PUT", "/rest/api/2/issue/"+tt.key+"/assignee", tt.body)
			if r.status != tt.status {
				t.Fatalf("%d %s", r.status, r.body)
			}
			if r.status >= 400 {
				errorBody(t, r)
			}
			if st, _ := s.Issue(tt.key); st.Assignee != tt.assignee {
				t.Errorf("assignee %q, want %q", st.Assignee, tt.assignee)
			}
		})
	}
}
