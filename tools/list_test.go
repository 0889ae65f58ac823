package tools_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/jira-mcp/jira-mcp/tools"
)

// The tests' server validates results against output schemas (see env):
// a result missing what its tool's schema requires must fail. mcp-go skips
// a schema it cannot compile, so this also proves every schema compiles.
func TestOutputSchemasAreEnforced(t *testing.T) {
	for _, tool := range tools.All() {
		t.Run(tool.Def.Name, func(t *testing.T) {
			s := newMCPServer()
			s.AddTool(tool.Def, func(context.Context, mcp.CallToolRequest) (*mcp.CallToolResult, error) {
				return mcp.NewToolResultStructured(map[string]any{"unexpected": true}, "drifted"), nil
			})
			e := start(t, s, nil, envOptions{})
			res := e.call(tool.Def.Name, map[string]any{})
			if !res.IsError || !strings.Contains(tools.Text(res), "schema") {
				t.Errorf("a result without the required fields passed: %v %q", res.IsError, tools.Text(res))
			}
		})
	}
}

// Every hint is stated on every tool: mcp-go's defaults (destructive, not
// read-only) would otherwise make clients ask before every search. The
// hints follow from what a tool does, which its name says (the snapshots
// hold each tool's exact hints).
func TestToolAnnotations(t *testing.T) {
	reads := regexp.MustCompile(`^jira_(get|search|list|find)(_|$)`)
	for _, tool := range tools.All() {
		tl := tool.Def
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
		ro := reads.MatchString(tl.Name)
		got := [4]bool{m.Annotations["readOnlyHint"] == true, m.Annotations["destructiveHint"] == true, m.Annotations["idempotentHint"] == true, m.Annotations["openWorldHint"] == true}
		// Reads are idempotent; a write may be (setting a value twice, a
		// remote link keyed by its URL) or not (a comment): its snapshot
		// says which.
		w := [4]bool{ro, false, ro || got[2], false} // readOnly, destructive, idempotent, openWorld
		if got != w {
			t.Errorf("%s: hints %v, want %v", tl.Name, got, w)
		}
		if tl.OutputSchema.Type == "" && len(tl.RawOutputSchema) == 0 {
			t.Errorf("%s: no output schema", tl.Name)
		}
	}
}

// Tool schemas are snapshots: any change to what agents see shows up in
// review. Refresh with UPDATE_TOOLSNAPS=true go test ./tools/.
func TestToolSnapshots(t *testing.T) {
	for _, tool := range tools.All() {
		tl := tool.Def
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
			t.Errorf("%s schema changed; if intended, run UPDATE_TOOLSNAPS=true go test ./tools/\ngot:\n%s", tl.Name, got)
		}
	}
}

// tools/list lands in every conversation: each selection has a budget
// (the most used peer spends about 144 KB on its Jira and Confluence
// tools). The sizes are logged for the README.
func TestToolsListBudgets(t *testing.T) {
	for _, c := range []struct {
		sets   []string
		budget int
	}{
		{[]string{"core"}, 7 << 10},
		{[]string{"core", "issues", "links", "worklogs"}, 14 << 10},
		{nil, 18 << 10}, // the default: every toolset
	} {
		list, err := tools.Select(tools.Selection{Toolsets: c.sets})
		if err != nil {
			t.Fatal(err)
		}
		defs := make([]mcp.Tool, len(list))
		for i, tl := range list {
			defs[i] = tl.Def
		}
		raw, _ := json.Marshal(mcp.ListToolsResult{Tools: defs})
		t.Logf("toolsets %v: %d tools, %d bytes", c.sets, len(defs), len(raw))
		if len(raw) > c.budget {
			t.Errorf("toolsets %v: tools/list is %d bytes, budget %d", c.sets, len(raw), c.budget)
		}
	}
}
