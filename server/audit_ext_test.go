package server_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/jira-mcp/jira-mcp/server"
)

// Every write call, whatever its outcome, lands in the audit log; reads
// do not, and no comment text does.
func TestAuditLogsWrites(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	e := newEnv(t, envOptions{audit: server.NewAudit(path, nil)})
	call := func(name string, args map[string]any) {
		req := mcp.CallToolRequest{}
		req.Params.Name, req.Params.Arguments = name, args
		if _, err := e.c.CallTool(context.Background(), req); err != nil {
			t.Fatal(err)
		}
	}
	call("jira_search", map[string]any{"jql": "project = WEB"})
	call("jira_add_comment", map[string]any{"issue_key": "WEB-2", "body": "Shipped the fix."})
	call("jira_transition_issue", map[string]any{"issue_key": "SEC-1", "transition": "Done"})
	call("jira_add_comment", map[string]any{"issue_key": "WEB-2"}) // refused: no body
	recs, err := server.ReadAudit(path)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"jira_add_comment WEB-2 ok ", "jira_transition_issue SEC-1 tool_error not_found", "jira_add_comment WEB-2 tool_error invalid_input"}
	if len(recs) != len(want) {
		t.Fatalf("%d records, want %d: %+v", len(recs), len(want), recs)
	}
	for i, r := range recs {
		if got := r.Tool + " " + r.Issue + " " + r.Outcome + " " + r.Kind; got != want[i] {
			t.Errorf("record %d: %q, want %q", i, got, want[i])
		}
		if r.Request == "" || r.Request == "null" || r.Time.IsZero() {
			t.Errorf("record %d has no request id or time: %+v", i, r)
		}
	}
	raw, _ := os.ReadFile(path)
	if strings.Contains(string(raw), "Shipped") {
		t.Error("a comment body reached the audit log")
	}
}
