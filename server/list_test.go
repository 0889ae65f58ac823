package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/jira-mcp/jira-mcp/tools"
)

var allTools = []string{tools.Search, tools.GetIssue, tools.GetTransitions, tools.Transition, tools.GetComments, tools.AddComment}

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
		want := slices.Sorted(slices.Values(allTools)) // mcp-go lists by name
		if strings.Join(names, ",") != strings.Join(want, ",") {
			t.Errorf("tools %v, want %v", names, want)
		}
		t.Logf("tools/list result: %d bytes", len(raw))
		if len(raw) >= 6*1024 {
			t.Errorf("tools/list is %d bytes, budget 6 KiB", len(raw))
		}
	})
}

// Every hint is stated on every tool: mcp-go's defaults (destructive, not
// read-only) would otherwise make clients ask before every search.
func TestToolAnnotations(t *testing.T) {
	want := map[string][4]bool{ // readOnly, destructive, idempotent, openWorld
		tools.Search:         {true, false, true, false},
		tools.GetIssue:       {true, false, true, false},
		tools.GetTransitions: {true, false, true, false},
		tools.GetComments:    {true, false, true, false},
		tools.Transition:     {false, false, false, false},
		tools.AddComment:     {false, false, false, false},
	}
	for _, tl := range tools.Definitions() {
		raw, _ := json.Marshal(tl)
		var m struct {
			Title       string
			Annotations map[string]any
		}
		json.Unmarshal(raw, &m)
		for _, h := range []string{"readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint"} {
			if _, ok := m.Annotations[h]; !ok {
				t.Errorf("%s: annotation %s not set", tl.Name, h)
			}
		}
		if m.Title == "" {
			t.Errorf("%s: no title", tl.Name)
		}
		w := want[tl.Name]
		got := [4]bool{m.Annotations["readOnlyHint"] == true, m.Annotations["destructiveHint"] == true, m.Annotations["idempotentHint"] == true, m.Annotations["openWorldHint"] == true}
		if got != w {
			t.Errorf("%s: hints %v, want %v", tl.Name, got, w)
		}
		if tl.OutputSchema.Type == "" && len(tl.RawOutputSchema) == 0 {
			t.Errorf("%s: no output schema", tl.Name)
		}
	}
}

func TestReadOnlyModeDropsWriteTools(t *testing.T) {
	e := newEnv(t, envOptions{readOnly: true})
	list, _ := listTools(t, e)
	for _, tl := range list {
		if tl.Name == tools.Transition || tl.Name == tools.AddComment {
			t.Errorf("read-only mode lists %s", tl.Name)
		}
	}
	if len(list) != 4 {
		t.Errorf("%d tools, want 4", len(list))
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

// Tool schemas are snapshots: any change to what agents see shows up in
// review. Refresh with UPDATE_TOOLSNAPS=true go test ./server/.
func TestToolSnapshots(t *testing.T) {
	for _, tl := range tools.Definitions() {
		got, err := json.MarshalIndent(tl, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join("testdata", "toolsnaps", tl.Name+".snap")
		if os.Getenv("UPDATE_TOOLSNAPS") == "true" {
			os.MkdirAll(filepath.Dir(path), 0o755)
			if err := os.WriteFile(path, append(got, '\n'), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (create with UPDATE_TOOLSNAPS=true)", err)
		}
		if !bytes.Equal(bytes.TrimSpace(want), bytes.TrimSpace(got)) {
			t.Errorf("%s schema changed; if intended, run UPDATE_TOOLSNAPS=true go test ./server/\ngot:\n%s", tl.Name, got)
		}
	}
}
