package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jira-mcp/jira-mcp/server"
)

func TestAuditCommand(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	old := server.AuditRecord{Time: time.Now().Add(-48 * time.Hour), Tool: "jira_add_comment", Issue: "WEB-1", Outcome: "ok"}
	recent := server.AuditRecord{Time: time.Now().Add(-time.Hour), Tool: "jira_transition_issue", Issue: "WEB-2\x1b[2J", Outcome: "tool_error", Kind: "forbidden", DurationMS: 42}
	var lines []string
	for _, r := range []server.AuditRecord{old, recent} {
		b, _ := json.Marshal(r)
		lines = append(lines, string(b))
	}
	os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o600)

	out, errOut, code := runCLI("", "audit", "--file", path)
	if code != 0 || !strings.Contains(out, "jira_transition_issue") || !strings.Contains(out, `WEB-2\x1b[2J`) || !strings.Contains(out, "tool_error (forbidden)") || !strings.Contains(out, "42 ms") || strings.Contains(out, "jira_add_comment") {
		t.Errorf("exit %d %q\n%s", code, errOut, out)
	}
	out, _, _ = runCLI("", "audit", "--file", path, "--since", "72h", "--json")
	if n := strings.Count(out, "\n"); n != 2 || !strings.Contains(out, `"tool":"jira_add_comment"`) {
		t.Errorf("--json:\n%s", out)
	}
	out, _, code = runCLI("", "audit", "--file", filepath.Join(t.TempDir(), "none.jsonl"))
	if code != 0 || !strings.Contains(out, "No writes by jira-mcp since") {
		t.Errorf("empty: %d %q", code, out)
	}
}
