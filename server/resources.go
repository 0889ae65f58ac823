package server

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	mcpserver "github.com/mark3labs/mcp-go/server"

	"github.com/jira-mcp/jira-mcp/tools"
)

// MCP resources and completions.
//
// Two resource templates: jira://issue/{key}, the issue as jira_get_issue
// shows it (the tool's own text, not a second rendering), and
// jira://issue/{key}/attachment/{id}, an attachment's content (text, or a
// blob). Each is served only when its tool is registered, and both go
// through the toolset, so the project allow-list and the rule that content
// comes only from the configured Jira host apply. Tool results link to them
// (jira_get_attachment, jira_add_attachment); search results do not: a
// resource link per issue would cost more than the issue's line.
//
// Completions offer prompt arguments (and the issue key of the resource
// templates): project keys from the projects the user can see, issue keys
// from the user's recent issues, each list cached for completionTTL.

// Resource URI templates.
const (
	issueTemplate      = "jira://issue/{key}"
	attachmentTemplate = "jira://issue/{key}/attachment/{id}"
)

// resourceTemplates returns the templates whose tools are registered.
func resourceTemplates(ts *tools.Toolset, registered map[string]bool) []mcpserver.ServerResourceTemplate {
	var out []mcpserver.ServerResourceTemplate
	if registered[tools.GetIssue] {
		out = append(out, mcpserver.ServerResourceTemplate{
			Template: mcp.NewResourceTemplate(issueTemplate, "Jira issue",
				mcp.WithTemplateDescription("An issue as jira_get_issue shows it: fields, description, newest comments."),
				mcp.WithTemplateMIMEType("text/markdown")),
			Handler: func(ctx context.Context, req mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
				text, err := ts.IssueResource(ctx, uriArg(req, "key"))
				if err != nil {
					return nil, resourceErr(err)
				}
				return []mcp.ResourceContents{mcp.TextResourceContents{URI: req.Params.URI, MIMEType: "text/markdown", Text: text}}, nil
			},
		})
	}
	if registered[tools.GetAttachment] {
		out = append(out, mcpserver.ServerResourceTemplate{
			Template: mcp.NewResourceTemplate(attachmentTemplate, "Jira attachment",
				mcp.WithTemplateDescription("A file attached to an issue.")),
			Handler: func(ctx context.Context, req mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
				c, err := ts.AttachmentResource(ctx, uriArg(req, "key"), uriArg(req, "id"))
				if err != nil {
					return nil, resourceErr(err)
				}
				if c.IsText {
					return []mcp.ResourceContents{mcp.TextResourceContents{URI: req.Params.URI, MIMEType: c.MimeType, Text: c.Text}}, nil
				}
				return []mcp.ResourceContents{mcp.BlobResourceContents{URI: req.Params.URI, MIMEType: c.MimeType, Blob: base64.StdEncoding.EncodeToString(c.Data)}}, nil
			},
		})
	}
	return out
}

// uriArg is a template variable of the URI read.
func uriArg(req mcp.ReadResourceRequest, name string) string {
	switch v := req.Params.Arguments[name].(type) {
	case string:
		return v
	case []string:
		if len(v) > 0 {
			return v[0]
		}
	}
	return ""
}

// resourceErr maps a refused read to MCP's "resource not found" when the
// issue or attachment is missing or out of reach, keeping the tools' words.
func resourceErr(err error) error {
	var re *tools.ResourceError
	if errors.As(err, &re) && (re.Kind == tools.KindNotFound || re.Kind == tools.KindForbidden || re.Kind == tools.KindInvalidInput) {
		return fmt.Errorf("%w: %s", mcpserver.ErrResourceNotFound, re.Msg)
	}
	return err
}

// completionTTL is how long completion lists are kept: completion runs on
// every keystroke.
const completionTTL = 30 * time.Second

// maxCompletions is the most values MCP lets a completion carry.
const maxCompletions = 100

// completer completes prompt arguments and resource template variables.
type completer struct {
	ts  *tools.Toolset
	now func() time.Time

	mu     sync.Mutex
	cached map[promptArgKind]cachedList
}

type cachedList struct {
	at     time.Time
	values []string
}

func newCompleter(ts *tools.Toolset) *completer {
	return &completer{ts: ts, now: time.Now, cached: map[promptArgKind]cachedList{}}
}

// CompletePromptArgument implements mcpserver.PromptCompletionProvider.
func (c *completer) CompletePromptArgument(ctx context.Context, prompt string, arg mcp.CompleteArgument, _ mcp.CompleteContext) (*mcp.Completion, error) {
	i := slices.IndexFunc(promptArgs[prompt], func(a promptArg) bool { return a.name == arg.Name })
	if i < 0 {
		return &mcp.Completion{Values: []string{}}, nil
	}
	return c.complete(ctx, promptArgs[prompt][i].kind, arg.Value), nil
}

// CompleteResourceArgument implements mcpserver.ResourceCompletionProvider:
// a template's key is an issue key.
func (c *completer) CompleteResourceArgument(ctx context.Context, uri string, arg mcp.CompleteArgument, _ mcp.CompleteContext) (*mcp.Completion, error) {
	if (uri == issueTemplate || uri == attachmentTemplate) && arg.Name == "key" {
		return c.complete(ctx, argIssueKey, arg.Value), nil
	}
	return &mcp.Completion{Values: []string{}}, nil
}

// complete returns the values of a kind that start with prefix (case
// does not matter). Jira failing gives no values, not an error: a
// completion is a convenience.
func (c *completer) complete(ctx context.Context, kind promptArgKind, prefix string) *mcp.Completion {
	out := &mcp.Completion{Values: []string{}}
	values := c.values(ctx, kind)
	prefix = strings.ToUpper(strings.TrimSpace(prefix))
	for _, v := range values {
		if strings.HasPrefix(v, prefix) {
			out.Values = append(out.Values, v)
		}
	}
	if len(out.Values) > maxCompletions {
		out.Total, out.HasMore = len(out.Values), true
		out.Values = out.Values[:maxCompletions]
	}
	return out
}

func (c *completer) values(ctx context.Context, kind promptArgKind) []string {
	if kind != argProjectKey && kind != argIssueKey {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock() // one read at a time: the next keystroke reuses it
	if l, ok := c.cached[kind]; ok && c.now().Sub(l.at) < completionTTL {
		return l.values
	}
	read := c.ts.RecentIssueKeys
	if kind == argProjectKey {
		read = c.ts.ProjectKeys
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	values, err := read(ctx)
	if err != nil {
		return nil
	}
	c.cached[kind] = cachedList{at: c.now(), values: values}
	return values
}
