package server_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/jira-mcp/jira-mcp/tools"
)

func listTools(t *testing.T, e *env) ([]mcp.Tool, []byte) {
	t.Helper()
	res, err := e.c.ListTools(context.Background(), mcp.ListToolsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	return res.Tools, raw
}

func TestToolsList(t *testing.T) {
	forEachVersion(t, func(t *testing.T, v string) {
		e := newEnv(t, envOptions{version: v})
		list, raw := listTools(t, e)
		var names []string
		for _, tl := range list {
			names = append(names, tl.Name)
		}
		var want []string
		for _, tl := range tools.All() {
			want = append(want, tl.Def.Name)
		}
		slices.Sort(want) // mcp-go lists by name
		if strings.Join(names, ",") != strings.Join(want, ",") {
			t.Errorf("tools %v, want %v", names, want)
		}
		t.Logf("tools/list result: %d bytes", len(raw))
		if len(raw) >= 18*1024 {
			t.Errorf("tools/list is %d bytes, budget 18 KiB", len(raw))
		}
	})
}

func TestReadOnlyModeDropsWriteTools(t *testing.T) {
	e := newEnv(t, envOptions{readOnly: true})
	list, _ := listTools(t, e)
	var want []string
	for _, tl := range tools.All() {
		if tl.ReadOnly() {
			want = append(want, tl.Def.Name)
		}
	}
	var got []string
	for _, tl := range list {
		got = append(got, tl.Name)
	}
	slices.Sort(want)
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("read-only mode lists %v, want %v", got, want)
	}
	req := mcp.CallToolRequest{}
	req.Params.Name = tools.AddComment
	req.Params.Arguments = map[string]any{"issue_key": "WEB-2", "body": "x"}
	if res, err := e.c.CallTool(context.Background(), req); err == nil && !res.IsError {
		t.Errorf("read-only mode ran %s", tools.AddComment)
	}
	if n := len(e.requests("POST", "")); n != 0 {
		t.Errorf("Jira got %d writes in read-only mode", n)
	}
}
