package tools

import (
	"context"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/jira-mcp/jira-mcp/tools/markup"
)

// Agents write Markdown; Jira DC stores wiki markup. Every tool that sends
// text to Jira (comment bodies, transition comments, descriptions) takes a
// format: markdown is converted to wiki markup, wiki is sent as is, and
// auto (the default) sends text as is only when it is unambiguous wiki
// markup with no Markdown in it, and converts everything else (see
// markup.Detect). Hand-written wiki markup is so never mangled.

// Text formats an agent may write in.
const (
	formatAuto     = "auto"
	formatMarkdown = "markdown"
	formatWiki     = "wiki"
)

// formatArg is the format argument of a tool that sends text to Jira.
func formatArg() mcp.ToolOption {
	return mcp.WithString("format", mcp.Enum(formatAuto, formatMarkdown, formatWiki),
		mcp.Description("auto (default), markdown, or wiki (sent as is)"))
}

// wikiText returns text as Jira should store it, per format, and the
// format it was taken as.
func (t *Toolset) wikiText(ctx context.Context, text, format string) (string, string) {
	switch format {
	case formatWiki:
		return text, formatWiki
	case formatMarkdown:
	default:
		if markup.Detect(text) == markup.Wiki {
			return text, formatWiki
		}
	}
	wiki := markup.ToWiki(text, markup.WikiOptions{UserExists: t.userExists(ctx)})
	return strings.TrimRight(wiki, "\n"), formatMarkdown
}

// userExists tells the converter which @names are Jira users, so that
// they become mentions (see mentionLookup in users.go).
func (t *Toolset) userExists(ctx context.Context) func(string) bool {
	return t.mentionLookup(ctx)
}
