package server

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gofrs/flock"
	"github.com/mark3labs/mcp-go/mcp"
	mcpserver "github.com/mark3labs/mcp-go/server"
)

// The audit log answers "what did my agent change?": every call of a tool
// that writes is appended as one JSON line (tool, issue, outcome, kind,
// duration, JSON-RPC request id), never a body, a comment or a secret. It
// lives in the user's state folder and is bounded: past auditMaxBytes the
// file is rotated, keeping auditKeep older ones.
//
// Several servers (one per agent session) append to one log, so each
// append holds a lock file across the size check, the rotation and the
// write; a rotating library that assumes one writer (lumberjack) would
// lose lines there.

const (
	auditMaxBytes = 4 << 20
	auditKeep     = 3
)

// AuditRecord is one line of the audit log.
type AuditRecord struct {
	Time       time.Time `json:"time"`
	Tool       string    `json:"tool"`
	Issue      string    `json:"issue,omitempty"` // the issue keys or project named by the call
	Outcome    string    `json:"outcome"`         // ok, tool_error (refused or failed, the agent was told) or error (a bug)
	Kind       string    `json:"kind,omitempty"`  // a tool_error's kind, as in _meta["jira-mcp/error"]
	DurationMS int64     `json:"duration_ms"`
	Request    string    `json:"request_id"`
	PID        int       `json:"pid"`
}

// Audit appends write calls to a log file.
type Audit struct {
	path     string
	maxBytes int64 // rotate past this size
	logger   *slog.Logger
	starts   sync.Map // request id -> time.Time
}

// DefaultAuditPath is the audit log in the user's state folder:
// $XDG_STATE_HOME/jira-mcp/audit.jsonl (~/.local/state on Linux), or the
// user config folder on macOS and Windows.
func DefaultAuditPath() (string, error) {
	dir := os.Getenv("XDG_STATE_HOME")
	if dir == "" && (runtime.GOOS == "darwin" || runtime.GOOS == "windows") {
		var err error
		if dir, err = os.UserConfigDir(); err != nil {
			return "", err
		}
	}
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", err
		}
		dir = filepath.Join(home, ".local", "state")
	}
	return filepath.Join(dir, "jira-mcp", "audit.jsonl"), nil
}

// NewAudit returns an audit log at path; a failed append is logged to
// logger, never turned into a failed call (the write is done by then).
func NewAudit(path string, logger *slog.Logger) *Audit {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Audit{path: path, maxBytes: auditMaxBytes, logger: logger}
}

// hooks records the calls of the tools named in writes.
func (a *Audit) hooks(writes map[string]bool) *mcpserver.Hooks {
	h := &mcpserver.Hooks{}
	h.AddBeforeCallTool(func(_ context.Context, id any, req *mcp.CallToolRequest) {
		if writes[req.Params.Name] {
			a.starts.Store(requestID(id), time.Now())
		}
	})
	h.AddAfterCallTool(func(_ context.Context, id any, req *mcp.CallToolRequest, result any) {
		if !writes[req.Params.Name] {
			return
		}
		outcome, kind := "ok", ""
		if r, ok := result.(*mcp.CallToolResult); ok {
			if len(r.InputRequests) > 0 || r.RequestState != "" {
				// "Input required": the client asks the user and calls
				// again; that call is the one to record.
				a.starts.Delete(requestID(id))
				return
			}
			if r.IsError {
				outcome, kind = "tool_error", errorKind(r)
			}
		}
		a.record(id, req, outcome, kind)
	})
	h.AddOnError(func(_ context.Context, id any, method mcp.MCPMethod, message any, _ error) {
		if req, ok := message.(*mcp.CallToolRequest); ok && method == mcp.MethodToolsCall && writes[req.Params.Name] {
			a.record(id, req, "error", "")
		}
	})
	return h
}

func (a *Audit) record(id any, req *mcp.CallToolRequest, outcome, kind string) {
	rid := requestID(id)
	rec := AuditRecord{Time: time.Now().UTC(), Tool: req.Params.Name, Issue: auditIssue(req.GetArguments()), Outcome: outcome, Kind: kind, Request: rid, PID: os.Getpid()}
	if start, ok := a.starts.LoadAndDelete(rid); ok {
		rec.DurationMS = time.Since(start.(time.Time)).Milliseconds()
	}
	if err := a.append(rec); err != nil {
		a.logger.Warn("audit log not written", "path", a.path, "error", err.Error())
	}
}

func requestID(id any) string {
	b, _ := json.Marshal(id)
	return string(b)
}

func errorKind(r *mcp.CallToolResult) string {
	if r.Meta != nil {
		if k, ok := r.Meta.AdditionalFields["jira-mcp/error"].(string); ok {
			return k
		}
	}
	return ""
}

// auditIssue names what a call touched, from its arguments: issue keys
// and projects only, cut short (arguments are the agent's to fill).
func auditIssue(args map[string]any) string {
	var parts []string
	for _, name := range []string{"issue_key", "issue_keys", "other_issue_key", "project"} {
		switch v := args[name].(type) {
		case string:
			parts = append(parts, v)
		case []any:
			for _, e := range v {
				if s, ok := e.(string); ok {
					parts = append(parts, s)
				}
			}
		}
	}
	s := strings.Join(parts, " ")
	if len(s) > 120 {
		s = s[:120]
	}
	return strings.ToValidUTF8(s, "")
}

// append writes one record, rotating the file first when it is full.
func (a *Audit) append(rec AuditRecord) error {
	line, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(a.path), 0o700); err != nil {
		return err
	}
	lock := flock.New(a.path + ".lock")
	if err := lock.Lock(); err != nil {
		return err
	}
	defer lock.Unlock()
	if fi, err := os.Stat(a.path); err == nil && fi.Size()+int64(len(line)) >= a.maxBytes {
		for i := auditKeep; i > 0; i-- {
			older := a.path + "." + fmt.Sprint(i)
			newer := a.path
			if i > 1 {
				newer = a.path + "." + fmt.Sprint(i-1)
			}
			if err := os.Rename(newer, older); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return err
			}
		}
	}
	f, err := os.OpenFile(a.path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(append(line, '\n')); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// ReadAudit returns the records of the log at path and its rotated files,
// oldest first. A line that is not a record (cut short by a crash) is
// skipped.
func ReadAudit(path string) ([]AuditRecord, error) {
	var out []AuditRecord
	for i := auditKeep; i >= 0; i-- {
		name := path
		if i > 0 {
			name = path + "." + fmt.Sprint(i)
		}
		f, err := os.Open(name)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			var r AuditRecord
			if json.Unmarshal(sc.Bytes(), &r) == nil && r.Tool != "" {
				out = append(out, r)
			}
		}
		f.Close()
		if err := sc.Err(); err != nil {
			return nil, err
		}
	}
	slices.SortStableFunc(out, func(a, b AuditRecord) int { return a.Time.Compare(b.Time) })
	return out, nil
}
