package tools

import (
	"strings"
	"testing"
)

func TestSelect(t *testing.T) {
	cases := []struct {
		sel  Selection
		want string // tool names, or the error
	}{
		{Selection{}, "jira_search jira_get_issue jira_get_transitions jira_transition_issue jira_get_comments jira_add_comment"},
		{Selection{ReadOnly: true}, "jira_search jira_get_issue jira_get_transitions jira_get_comments"},
		{Selection{Toolsets: []string{" Core "}}, "jira_search jira_get_issue jira_get_transitions jira_transition_issue jira_get_comments jira_add_comment"},
		{Selection{Tools: []string{"jira_add_comment", "JIRA_SEARCH"}}, "jira_search jira_add_comment"},
		{Selection{Tools: []string{"jira_add_comment", "jira_search"}, ReadOnly: true}, "jira_search"},
		{Selection{Toolsets: []string{"bogus"}}, `unknown toolset "bogus"; the toolsets are core, issues, links, worklogs, agile, attachments`},
		{Selection{Tools: []string{"jira_create"}}, `unknown tool "jira_create"; the tools are jira_search,`},
	}
	for _, c := range cases {
		tools, err := Select(c.sel)
		got := strings.Join(toolNames(tools), " ")
		if err != nil {
			got = err.Error()
		}
		if !strings.HasPrefix(got, c.want) {
			t.Errorf("%+v: %q, want %q", c.sel, got, c.want)
		}
	}
	for _, tl := range All() {
		if !strings.Contains(strings.Join(Toolsets, " "), tl.Set) || tl.Set == "" {
			t.Errorf("%s is in toolset %q, which is not listed", tl.Def.Name, tl.Set)
		}
	}
}
