package tools_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/jira-mcp/jira-mcp/tools"
)

// Results are bounded: five comments of 30,000 characters each would make
// 150 KB of structured content; it is cut under the limit, says so, and
// still fits the tool's output schema (the test server checks).
func TestResultsAreCapped(t *testing.T) {
	e := newEnv(t, envOptions{})
	body := strings.Repeat("long comment ", 2300) // 29,900 characters
	for range 5 {
		e.ok(tools.AddComment, map[string]any{"issue_key": "WEB-4", "body": body, "allow_duplicate": true})
	}
	text, res := e.ok(tools.GetIssue, map[string]any{"issue_key": "WEB-4"})
	raw, _ := json.Marshal(res.StructuredContent)
	if len(raw) > tools.DefaultLimits.Structured {
		t.Errorf("structured content is %d bytes, limit %d", len(raw), tools.DefaultLimits.Structured)
	}
	var d struct {
		Cut      string
		Comments []struct{ Body string }
	}
	json.Unmarshal(raw, &d)
	if !strings.Contains(d.Cut, "were cut") || len(d.Comments) != 5 || !strings.HasSuffix(d.Comments[0].Body, " [cut]") {
		t.Errorf("cut note %q, %d comments", d.Cut, len(d.Comments))
	}
	if len(text) > tools.DefaultLimits.Text {
		t.Errorf("text is %d bytes", len(text))
	}
}
