package tools_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/jira-mcp/jira-mcp/tools"
)

func TestListProjects(t *testing.T) {
	forEachVersion(t, func(t *testing.T, v string) {
		e := newEnv(t, envOptions{version: v})
		text, res := e.ok(tools.ListProjects, nil)
		if !strings.HasPrefix(text, "4 projects (key | name | lead | issue types)\nWEB | Web Storefront | alice | Bug, Story, Task, Epic, Sub-task\nAPI | Platform API | bob |") {
			t.Errorf("text %q", text)
		}
		if strings.Contains(text, "SEC") {
			t.Errorf("a project alice may not see is listed: %q", text)
		}
		if r := e.requests("GET", "/rest/api/2/project"); len(r) != 1 || r[0].RawQuery != "expand=description%2Clead%2CissueTypes" {
			t.Errorf("requests %+v", r)
		}
		var out tools.ProjectsResult
		structured(t, res, &out)
		if out.Total != 4 || out.Projects[2].Key != "MOB" || out.Projects[2].Lead != "carol" || len(out.Projects[2].IssueTypes) != 5 {
			t.Errorf("structured %+v", out)
		}
		if text, _ := e.ok(tools.ListProjects, map[string]any{"query": "platform"}); !strings.HasPrefix(text, "1 projects") || !strings.Contains(text, "\nAPI |") {
			t.Errorf("query platform: %q", text)
		}
		if text, _ := e.ok(tools.ListProjects, map[string]any{"query": "nope"}); text != `No project you can see matches "nope".` {
			t.Errorf("query nope: %q", text)
		}
	})
	// The allow-list hides the other projects.
	e := newEnv(t, envOptions{projects: []string{"MOB"}})
	if text, _ := e.ok(tools.ListProjects, nil); !strings.HasPrefix(text, "1 projects") || !strings.Contains(text, "\nMOB |") {
		t.Errorf("confined to MOB: %q", text)
	}
}

func TestGetCreateFields(t *testing.T) {
	forEachVersion(t, func(t *testing.T, v string) {
		e := newEnv(t, envOptions{version: v})
		text, res := e.ok(tools.GetCreateFields, map[string]any{"project": "api"})
		if text != "API: you may create Bug, Story, Task, Epic, Sub-task (sub-task). Ask for the fields of one with issue_type." {
			t.Errorf("types: %q", text)
		}
		var types tools.CreateFieldsResult
		structured(t, res, &types)
		if types.Project != "API" || len(types.IssueTypes) != 5 || types.IssueTypes[0].ID != "1" {
			t.Errorf("structured %+v", types)
		}

		text, res = e.ok(tools.GetCreateFields, map[string]any{"project": "API", "issue_type": "bug"})
		lines := strings.Split(text, "\n")
		if lines[0] != "API Bug (id 1): 14 fields, required first (id | name | type | allowed values)" ||
			lines[1] != "summary | Summary | string | required" ||
			lines[2] != "components | Component/s | list of component | required | API Gateway, Authentication, Payments" ||
			!slices.Contains(lines, "priority | Priority | priority | Blocker, Critical, Major, Minor, Trivial") ||
			!slices.Contains(lines, "customfield_10003 | Epic Link | epic key") {
			t.Errorf("fields:\n%s", text)
		}
		var out tools.CreateFieldsResult
		structured(t, res, &out)
		if out.IssueType == nil || out.IssueType.Name != "Bug" || !out.Fields[1].Required || out.Fields[2].Required || out.Fields[1].ID != "components" {
			t.Errorf("structured %+v", out)
		}
		// The issue types are read once for a while.
		if n := len(e.requests("GET", "/rest/api/2/issue/createmeta/API/issuetypes")); n != 2 {
			t.Errorf("%d createmeta requests, want 2 (types once, then fields)", n)
		}

		epic, _ := e.ok(tools.GetCreateFields, map[string]any{"project": "WEB", "issue_type": "10000"})
		if !strings.Contains(epic, "\ncustomfield_10004 | Epic Name | string | required\n") || strings.Contains(epic, "components | Component/s | list of component | required") {
			t.Errorf("WEB Epic:\n%s", epic)
		}
	})
}

func TestGetCreateFieldsErrors(t *testing.T) {
	e := newEnv(t, envOptions{})
	for _, c := range []struct {
		args      map[string]any
		kind, msg string
	}{
		{map[string]any{"project": "SEC"}, tools.KindNotFound, "Project SEC does not exist or you may not see it. Find the key with jira_list_projects."},
		{map[string]any{"project": "OPS"}, tools.KindForbidden, "You may not create issues in OPS"},
		{map[string]any{"project": "WEB", "issue_type": "Incident"}, tools.KindInvalidInput, `WEB has no issue type "Incident" you may create; it has: Bug, Story, Task, Epic, Sub-task (sub-task).`},
		{map[string]any{"project": "web project"}, tools.KindInvalidInput, `"web project" is not a project key`},
	} {
		res := e.call(tools.GetCreateFields, c.args)
		if tools.ErrorKind(res) != c.kind || !strings.Contains(tools.Text(res), c.msg) {
			t.Errorf("%v: %s %q", c.args, tools.ErrorKind(res), tools.Text(res))
		}
	}
	confined := newEnv(t, envOptions{projects: []string{"WEB"}})
	if res := confined.call(tools.GetCreateFields, map[string]any{"project": "API"}); tools.ErrorKind(res) != tools.KindForbidden {
		t.Errorf("outside the allow-list: %q", tools.Text(res))
	}
}
