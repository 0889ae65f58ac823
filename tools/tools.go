// Package tools defines jira-mcp's MCP tools and carries them out against a
// Jira DC client (package tools/jira).
//
// A tool is one value (Tool), made by one constructor in its family file
// (search.go, issue.go, transitions.go, comments.go): the mcp.Tool that
// clients list (name, title, description, every annotation, input and
// output schema), the handler, and the shape of its CLI twin command. All
// lists every tool; the server, the CLI twin, the snapshots and the
// README's tools table are all built from that list. Defaults are named
// constants that the schema and the handler share; the twin reads them from
// the schema.
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

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/jira-mcp/jira-mcp/tools/jira"
)

// Tool is one MCP tool, whole.
type Tool struct {
	Set string   // the toolset it belongs to, e.g. "core"
	Def mcp.Tool // what clients list
	CLI CLI      // how the CLI twin shows it
	run func(*Toolset, context.Context, mcp.CallToolRequest) (*mcp.CallToolResult, error)
}

// Toolsets, the groups a user picks tools by (--toolsets), in the order
// they are listed.
var Toolsets = []string{"core", "issues", "links", "worklogs", "agile", "attachments"}

const core = "core" // today's six: find, read, move and comment on issues

// CLI is how a tool appears as a command of the CLI twin. The twin's flags
// come from the tool's input schema; this says only what the schema cannot.
type CLI struct {
	Command string   // the command name, e.g. "transition"
	Args    []Arg    // positional arguments, in order; the others are flags
	Stdin   []string // string arguments for which "-" reads standard input
	Long    string   // more help, if the flags' descriptions are not enough
	Example string   // a command line or two, shown in the twin's help
}

// Arg is a positional argument of a twin command.
type Arg struct {
	Name string // the tool's argument, e.g. "issue_key"
	Meta string // how usage shows it, e.g. "KEY"
}

// newTool makes a Tool whose handler takes its arguments, checked against
// the input schema (see checkArgs), decoded into A. Every part is a
// parameter, so a tool without a handler does not compile.
func newTool[A any](set string, def mcp.Tool, cli CLI, run func(*Toolset, context.Context, *A) (*mcp.CallToolResult, error)) Tool {
	return Tool{Set: set, Def: def, CLI: cli, run: func(t *Toolset, ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		raw, bad, err := checkArgs(def, req.Params.Arguments)
		if bad != nil || err != nil {
			return bad, err
		}
		if bad := t.outsideProjects(req.GetArguments()); bad != nil {
			return bad, nil
		}
		var a A
		if err := json.Unmarshal(raw, &a); err != nil {
			return nil, fmt.Errorf("%s: arguments that fit the schema do not fit %T: %w", def.Name, a, err)
		}
		return run(t, ctx, &a)
	}}
}

// All returns every tool, in a stable order: the one list of them.
func All() []Tool {
	return []Tool{
		searchTool(), getIssueTool(), getTransitionsTool(),
		transitionTool(), getCommentsTool(), addCommentTool(),
		listProjectsTool(), getCreateFieldsTool(), createIssueTool(), updateIssueTool(),
		assignIssueTool(), findUsersTool(), editCommentTool(),
		listSprintsTool(), moveToSprintTool(),
		getAttachmentTool(), addAttachmentTool(),
		linkIssuesTool(), addRemoteLinkTool(), addWorklogTool(),
	}
}

// ReadOnly reports whether the tool only reads.
func (tl Tool) ReadOnly() bool {
	h := tl.Def.Annotations.ReadOnlyHint
	return h != nil && *h
}

// Toolset serves the tools against one Jira client.
type Toolset struct {
	jira     *jira.Client
	unusable error // why there is no client (nothing configured), if so
	limits   Limits
	me       me         // the current user, once read
	projects []string   // the allow-list; none: every project
	files    fileAccess // the local folders the attachment tools may use
}

// New returns the toolset for c.
func New(c *jira.Client) *Toolset {
	return &Toolset{jira: c, limits: DefaultLimits}
}

// WithLimits sets the limits on what results carry, and returns t.
func (t *Toolset) WithLimits(l Limits) *Toolset {
	t.limits = l
	return t
}

// Unconfigured returns a toolset whose every tool answers that jira-mcp is
// not set up, with why (for example "no Jira URL configured"). The server
// still starts, so the agent can tell the user what to do.
func Unconfigured(why error) *Toolset {
	return &Toolset{unusable: why, limits: DefaultLimits}
}

// ServerTools returns the tools of list (nil: All) bound to t, to
// register with an MCP server (Select picks a list).
func (t *Toolset) ServerTools(list []Tool) []server.ServerTool {
	if list == nil {
		list = All()
	}
	out := make([]server.ServerTool, 0, len(list))
	for _, tl := range list {
		out = append(out, server.ServerTool{Tool: tl.Def, Handler: t.handler(tl)})
	}
	return out
}

// Call runs one tool by name, as an MCP client would. The CLI twin uses it,
// so command line and MCP share one implementation.
func (t *Toolset) Call(ctx context.Context, name string, args map[string]any) (*mcp.CallToolResult, error) {
	for _, tl := range All() {
		if tl.Def.Name == name {
			req := mcp.CallToolRequest{}
			req.Params.Name = name
			req.Params.Arguments = args
			return t.handler(tl)(ctx, req)
		}
	}
	return nil, fmt.Errorf("no tool %q", name)
}

// handler binds tl to t, answering for an unusable toolset before the
// tool runs.
func (t *Toolset) handler(tl Tool) server.ToolHandlerFunc {
	return func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		if t.jira == nil {
			why := "no Jira URL configured"
			if t.unusable != nil {
				why = t.unusable.Error()
			}
			return errorResult(KindLoginRequired, "jira-mcp is not set up ("+why+"). "+loginStep), nil
		}
		ctx, retries := jira.CountRetries(ctx)
		res, err := tl.run(t, ctx, req)
		if n := retries.Count(); n > 0 && res != nil && !res.IsError {
			// Say so: a slow answer has a reason the agent can relay.
			for i, c := range res.Content {
				if tc, ok := c.(mcp.TextContent); ok {
					tc.Text += "\n(Jira answered" + retries.Note() + ".)"
					res.Content[i] = tc
					break
				}
			}
		}
		finish(res, t.limits)
		return res, err
	}
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

// requiredProps marks properties of an object argument as required.
func requiredProps(names ...string) mcp.PropertyOption {
	return func(schema map[string]any) { schema["required"] = names }
}

// issueKeyArg is the issue_key argument most tools take first.
func issueKeyArg() mcp.ToolOption {
	return mcp.WithString("issue_key", mcp.Required()) // its name says enough: tools/list is paid for in every conversation
}

// keyArg is issue_key as the twin's first positional argument.
var keyArg = Arg{"issue_key", "KEY"}

// outputSchema declares a result's structured content: an object with the
// fields named. Only what is required is declared (results may carry
// more): tools/list is paid for in every conversation, and the fields'
// types are the result types' own (tests validate every result against
// this schema).
func outputSchema(required ...string) mcp.ToolOption {
	b, _ := json.Marshal(map[string]any{"type": "object", "required": required})
	return mcp.WithRawOutputSchema(b)
}
