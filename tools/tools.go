// Package tools defines jira-mcp's MCP tools: their names, descriptions,
// annotations and schemas, and the handlers that carry them out against a
// Jira DC client (package tools/jira).
//
// Two kinds of failure are kept apart, as in github-mcp-server: what the
// agent can act on (bad JQL, not found, permission denied, rate limited,
// not logged in, a bad argument) becomes a tool result with isError set and
// a message naming the next step; a Go error means a bug.
//
// Results carry compact text for the model (a line per issue in a search)
// and structuredContent matching each tool's declared output schema.
package tools

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/jira-mcp/jira-mcp/tools/jira"
)

// Tool names, fixed by the public contract.
const (
	Search         = "jira_search"
	GetIssue       = "jira_get_issue"
	GetTransitions = "jira_get_transitions"
	Transition     = "jira_transition_issue"
	GetComments    = "jira_get_comments"
	AddComment     = "jira_add_comment"
)

// Toolset serves the tools against one Jira client.
type Toolset struct {
	jira     *jira.Client
	unusable error // why there is no client (nothing configured), if so
	now      func() time.Time
}

// New returns the toolset for c.
func New(c *jira.Client) *Toolset {
	return &Toolset{jira: c, now: time.Now}
}

// Unconfigured returns a toolset whose every tool answers that jira-mcp is
// not set up, with why (for example "no Jira URL configured"). The server
// still starts, so the agent can tell the user what to do.
func Unconfigured(why error) *Toolset {
	return &Toolset{unusable: why, now: time.Now}
}

type handler = server.ToolHandlerFunc

// Definitions returns every tool's definition, in a stable order.
func Definitions() []mcp.Tool {
	return []mcp.Tool{
		searchTool(), getIssueTool(), getTransitionsTool(),
		transitionTool(), getCommentsTool(), addCommentTool(),
	}
}

// ServerTools returns the tools with their handlers; with readOnly, the
// tools that write are left out entirely (not registered, not callable).
func (t *Toolset) ServerTools(readOnly bool) []server.ServerTool {
	handlers := map[string]handler{
		Search:         t.search,
		GetIssue:       t.getIssue,
		GetTransitions: t.getTransitions,
		Transition:     t.transition,
		GetComments:    t.getComments,
		AddComment:     t.addComment,
	}
	var out []server.ServerTool
	for _, def := range Definitions() {
		if readOnly && !IsReadOnly(def) {
			continue
		}
		out = append(out, server.ServerTool{Tool: def, Handler: t.guard(handlers[def.Name])})
	}
	return out
}

// Call runs one tool by name, as an MCP client would. The CLI twin uses it,
// so command line and MCP share one implementation.
func (t *Toolset) Call(ctx context.Context, name string, args map[string]any) (*mcp.CallToolResult, error) {
	for _, st := range t.ServerTools(false) {
		if st.Tool.Name == name {
			req := mcp.CallToolRequest{}
			req.Params.Name = name
			req.Params.Arguments = args
			return st.Handler(ctx, req)
		}
	}
	return nil, fmt.Errorf("no tool %q", name)
}

// Text returns a result's text content: what the model reads.
func Text(r *mcp.CallToolResult) string {
	var b strings.Builder
	for _, c := range r.Content {
		if tc, ok := mcp.AsTextContent(c); ok {
			b.WriteString(tc.Text)
		}
	}
	return b.String()
}

// IsReadOnly reports whether a tool only reads.
func IsReadOnly(t mcp.Tool) bool {
	return t.Annotations.ReadOnlyHint != nil && *t.Annotations.ReadOnlyHint
}

// guard answers for an unusable toolset before the handler runs.
func (t *Toolset) guard(h handler) handler {
	return func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		if t.jira == nil {
			why := "no Jira URL configured"
			if t.unusable != nil {
				why = t.unusable.Error()
			}
			return errorResult(KindLoginRequired, "jira-mcp is not set up ("+why+"). "+loginStep), nil
		}
		return h(ctx, req)
	}
}

// bind decodes a call's arguments into a typed struct, turning a type
// mismatch into a message the agent can act on.
func bind(req mcp.CallToolRequest, v any) *mcp.CallToolResult {
	if err := req.BindArguments(v); err != nil {
		var te *json.UnmarshalTypeError
		if ok := asTypeError(err, &te); ok {
			return errorResult(KindInvalidInput, fmt.Sprintf("argument %q must be %s, not %s", te.Field, jsonKind(te.Type.Kind().String()), te.Value))
		}
		return errorResult(KindInvalidInput, "arguments could not be read: "+err.Error())
	}
	return nil
}

// annotations builds a complete set of hints: mcp-go's defaults
// (destructive, not read-only) are wrong for most tools, so every hint is
// always stated.
//
// The title is the tool's top-level title (WithToolTitle), not repeated
// here: tools/list is paid for in every conversation.
func annotations(readOnly, destructive, idempotent bool) mcp.ToolOption {
	return mcp.WithToolAnnotation(mcp.ToolAnnotation{
		ReadOnlyHint:    mcp.ToBoolPtr(readOnly),
		DestructiveHint: mcp.ToBoolPtr(destructive),
		IdempotentHint:  mcp.ToBoolPtr(idempotent),
		// One Jira instance, chosen by the user: a closed domain.
		OpenWorldHint: mcp.ToBoolPtr(false),
	})
}
