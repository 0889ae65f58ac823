package tools

import (
	"strings"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/jira-mcp/jira-mcp/tools/markup"
)

// Descriptions and comment bodies come back as Markdown: Jira renders its
// wiki markup to HTML (expand=renderedFields, expand=renderedBody), so its
// own renderer handles macros and panels, and tools/markup turns that HTML
// into Markdown. Where Jira gives no HTML, jira-mcp converts the wiki text
// itself. format "wiki" returns Jira's raw text. Each body says how it was
// made (body_format).
//
// Every text from Jira is untrusted: anyone who can comment can write it.
// Long texts are fenced in the text form (markup.Fence) so the agent can
// tell data from instructions, and every result is sanitised on its way
// out (see finish).

// Body formats, as results report them.
const (
	bodyMarkdown   = "markdown"           // from the HTML Jira rendered
	bodyFromWiki   = "markdown_from_wiki" // converted by jira-mcp: Jira rendered nothing
	bodyWikiMarkup = "wiki"               // Jira's raw text, as asked
)

// readFormatArg is the format argument of tools that read bodies.
func readFormatArg() mcp.ToolOption {
	return mcp.WithString("format", mcp.Enum(formatMarkdown, formatWiki),
		mcp.Description("Bodies as markdown (default) or wiki"))
}

// readBody returns a body in the format asked, from Jira's HTML of it (if
// any) and its wiki text, with the body format it has.
func (t *Toolset) readBody(html, wiki, format string) (string, string) {
	if format == formatWiki {
		return wiki, bodyWikiMarkup
	}
	opt := markup.ReadOptions{BaseURL: t.jira.BaseURL()}
	if strings.TrimSpace(html) != "" {
		if md, err := markup.HTMLToMarkdown(html, opt); err == nil {
			return md, bodyMarkdown
		}
	}
	if strings.TrimSpace(wiki) == "" {
		return "", bodyMarkdown
	}
	return markup.WikiToMarkdown(wiki, opt), bodyFromWiki
}
