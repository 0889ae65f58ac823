package server_test

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"
)

var toolNameRE = regexp.MustCompile(`\bjira_[a-z_]+\b`)

func promptNames(t *testing.T, e *env) []string {
	t.Helper()
	res, err := e.c.ListPrompts(context.Background(), mcp.ListPromptsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range res.Prompts {
		names = append(names, p.Name)
	}
	slices.Sort(names)
	return names
}

func registeredNames(t *testing.T, e *env) map[string]bool {
	t.Helper()
	list, _ := listTools(t, e)
	names := map[string]bool{}
	for _, tl := range list {
		names[tl.Name] = true
	}
	return names
}

// checkInstructions fails when the instructions send the agent to a tool
// it cannot call.
func checkInstructions(t *testing.T, e *env) {
	t.Helper()
	registered := registeredNames(t, e)
	for _, name := range toolNameRE.FindAllString(e.init.Instructions, -1) {
		if !registered[name] {
			t.Errorf("instructions name %s, which is not registered:\n%s", name, e.init.Instructions)
		}
	}
}

// In read-only mode an agent is offered no workflow it cannot finish, and
// the instructions name no tool it cannot call.
func TestReadOnlyModeOffersOnlyReadingWorkflows(t *testing.T) {
	e := newEnv(t, envOptions{readOnly: true})
	want := []string{"jira-daily-triage", "jira-jql-search"}
	if got := promptNames(t, e); !slices.Equal(got, want) {
		t.Errorf("read-only prompts/list = %v, want %v", got, want)
	}
	checkInstructions(t, e)
	if !strings.Contains(e.init.Instructions, "jira_search") {
		t.Errorf("read-only instructions lack jira_search:\n%s", e.init.Instructions)
	}
}

func TestFullModeOffersEveryWorkflow(t *testing.T) {
	e := newEnv(t, envOptions{})
	want := []string{"jira-attachments", "jira-commenting", "jira-daily-triage", "jira-filing-issues", "jira-jql-search", "jira-link-commits", "jira-sprints", "jira-workflow-transition"}
	if got := promptNames(t, e); !slices.Equal(got, want) {
		t.Errorf("prompts/list = %v, want %v", got, want)
	}
	checkInstructions(t, e)
	for _, name := range []string{"jira_search", "jira_get_issue", "jira_transition_issue", "jira_get_transitions"} {
		if !strings.Contains(e.init.Instructions, name) {
			t.Errorf("instructions lack %s:\n%s", name, e.init.Instructions)
		}
	}
}

// A chosen set of tools (as --tools will give) decides the prompts and the
// instructions, not the read-only flag.
func TestChosenToolsDecidePromptsAndInstructions(t *testing.T) {
	tests := []struct {
		name     string
		only     []string
		readOnly bool
		tools    []string
		prompts  []string
	}{
		{name: "search only", only: []string{"jira_search"},
			tools: []string{"jira_search"}, prompts: nil},
		{name: "search and read", only: []string{"jira_search", "jira_get_issue"},
			tools:   []string{"jira_get_issue", "jira_search"},
			prompts: []string{"jira-daily-triage", "jira-jql-search"}},
		{name: "comments without transitions", only: []string{"jira_search", "jira_get_issue", "jira_get_comments", "jira_add_comment"},
			tools:   []string{"jira_add_comment", "jira_get_comments", "jira_get_issue", "jira_search"},
			prompts: []string{"jira-commenting", "jira-daily-triage", "jira-jql-search"}},
		{name: "read-only drops chosen writes", only: []string{"jira_search", "jira_get_issue", "jira_get_comments", "jira_add_comment"}, readOnly: true,
			tools:   []string{"jira_get_comments", "jira_get_issue", "jira_search"},
			prompts: []string{"jira-daily-triage", "jira-jql-search"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, envOptions{only: tt.only, readOnly: tt.readOnly})
			var got []string
			for name := range registeredNames(t, e) {
				got = append(got, name)
			}
			slices.Sort(got)
			if !slices.Equal(got, tt.tools) {
				t.Errorf("tools/list = %v, want %v", got, tt.tools)
			}
			if got := promptNames(t, e); !slices.Equal(got, tt.prompts) {
				t.Errorf("prompts/list = %v, want %v", got, tt.prompts)
			}
			checkInstructions(t, e)
			writes := slices.Contains(tt.tools, "jira_add_comment")
			if saysReadOnly := strings.Contains(e.init.Instructions, "only read"); saysReadOnly == writes {
				t.Errorf("instructions with writes=%v:\n%s", writes, e.init.Instructions)
			}
		})
	}
}
