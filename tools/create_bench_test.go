package tools_test

import (
	"context"
	"testing"

	"github.com/jira-mcp/jira-mcp/tools"
	"github.com/jira-mcp/jira-mcp/tools/jira"
	"github.com/jira-mcp/jira-mcp/tools/jira/emulator"
)

// BenchmarkCreateIssue is one jira_create_issue call through an in-process
// MCP client, against the emulator on loopback, with the create screen
// cached: what is left is the duplicate search, the create and jira-mcp's
// own work. BenchmarkCreateIssueJiraOnly sends the same two requests
// straight to the emulator; the difference is what jira-mcp adds. Every
// create makes the emulator's searches a little slower, and the machine's
// speed drifts: run the two alternately, with the same -benchtime=Nx, e.g.
//
//	for i in 1 2 3; do go test -run X -bench 'CreateIssue$' -benchtime=500x ./tools; go test -run X -bench CreateIssueJiraOnly -benchtime=500x ./tools; done
func BenchmarkCreateIssue(b *testing.B) {
	e := newEnv(b, envOptions{})
	args := map[string]any{"project": "WEB", "issue_type": "Task", "summary": "Write the release notes", "allow_duplicate": true, "components": []any{"Checkout"}}
	e.ok(tools.CreateIssue, args) // fills the createmeta cache
	b.ReportAllocs()
	for b.Loop() {
		e.ok(tools.CreateIssue, args)
	}
}

func BenchmarkCreateIssueJiraOnly(b *testing.B) {
	srv := emulator.NewServer()
	b.Cleanup(srv.Close)
	jc, err := jira.New(srv.URL, srv.ClientAs(emulator.DefaultToken))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	search := jira.SearchRequest{JQL: `project = "WEB" AND reporter = currentUser() AND created >= -10m ORDER BY created DESC`, MaxResults: 100, Fields: []string{"summary", "created"}}
	create := jira.IssueUpdate{Fields: map[string]any{
		"project": map[string]any{"key": "WEB"}, "issuetype": map[string]any{"id": "3"},
		"summary": "Write the release notes", "components": []any{map[string]any{"name": "Checkout"}},
	}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := jc.Search(ctx, search); err != nil {
			b.Fatal(err)
		}
		if _, err := jc.CreateIssue(ctx, create); err != nil {
			b.Fatal(err)
		}
	}
}
