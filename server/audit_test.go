package server

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
)

// Appends from many goroutines (as from several servers) land whole, and
// rotation keeps the newest records within the bound.
func TestAuditAppendRotateRead(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state", "audit.jsonl")
	a := NewAudit(path, nil)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				req := &mcp.CallToolRequest{}
				req.Params.Name = "jira_add_comment"
				req.Params.Arguments = map[string]any{"issue_key": "WEB-1", "body": "secret body text"}
				a.record(g*1000+i, req, "ok", "")
			}
		}()
	}
	wg.Wait()
	recs, err := ReadAudit(path)
	if err != nil || len(recs) != 400 {
		t.Fatalf("%d records, %v", len(recs), err)
	}
	raw, _ := os.ReadFile(path)
	if strings.Contains(string(raw), "secret body text") {
		t.Error("the audit log holds a comment body")
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("audit log mode %v", fi.Mode().Perm())
	}
	var r AuditRecord
	json.Unmarshal([]byte(strings.SplitN(string(raw), "\n", 2)[0]), &r)
	if r.Tool != "jira_add_comment" || r.Issue != "WEB-1" || r.Outcome != "ok" || r.PID != os.Getpid() || r.Request == "" {
		t.Errorf("record %+v", r)
	}

	// Fill past the bound: the file rotates, the newest records stay.
	big := AuditRecord{Time: time.Now(), Tool: "jira_add_comment", Issue: strings.Repeat("K", 120), Outcome: "ok"}
	a.maxBytes = 32 << 10
	for range 32 << 10 / 200 * (auditKeep + 2) {
		if err := a.append(big); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := os.Stat(path + "." + "3"); err != nil {
		t.Errorf("no rotated file: %v", err)
	}
	if _, err := os.Stat(path + ".4"); err == nil {
		t.Error("more rotated files than kept")
	}
	total := int64(0)
	for _, s := range []string{"", ".1", ".2", ".3"} {
		fi, err := os.Stat(path + s)
		if err == nil {
			total += fi.Size()
		}
	}
	if total > (auditKeep+1)*a.maxBytes {
		t.Errorf("%d bytes kept, bound %d", total, (auditKeep+1)*a.maxBytes)
	}
}

// A call answered "input required" (the client will ask the user and call
// again) is not a write yet: only the call that finishes is recorded.
func TestAuditSkipsInputRequired(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	a := NewAudit(path, nil)
	h := a.hooks(map[string]bool{"jira_create_issue": true})
	req := &mcp.CallToolRequest{}
	req.Params.Name = "jira_create_issue"
	req.Params.Arguments = map[string]any{"project": "WEB"}
	asking := &mcp.CallToolResult{}
	asking.InputRequests = mcp.InputRequests{"missing_fields": {}}
	for _, f := range h.OnBeforeCallTool {
		f(context.Background(), 1, req)
	}
	for _, f := range h.OnAfterCallTool {
		f(context.Background(), 1, req, asking)
	}
	for _, f := range h.OnAfterCallTool {
		f(context.Background(), 2, req, mcp.NewToolResultText("Created WEB-99"))
	}
	recs, err := ReadAudit(path)
	if err != nil || len(recs) != 1 || recs[0].Request != "2" || recs[0].Issue != "WEB" {
		t.Errorf("records %+v %v", recs, err)
	}
}
