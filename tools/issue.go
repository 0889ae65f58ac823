package tools

import (
	"context"
	"fmt"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/jira-mcp/jira-mcp/tools/jira"
	"github.com/jira-mcp/jira-mcp/tools/markup"
)

// GetIssue is jira_get_issue's name.
const GetIssue = "jira_get_issue"

// issueComments is how many of its newest comments an issue comes with by
// default; maxIssueComments the most it may ask for.
const (
	issueComments    = 5
	maxIssueComments = 100
)

func getIssueTool() Tool {
	return newTool(core,
		mcp.NewTool(GetIssue,
			mcp.WithToolTitle("Get a Jira issue"),
			mcp.WithDescription("Read one issue: fields, description and its newest comments."),
			annotations(true, false, true),
			issueKeyArg(),
			mcp.WithArray("fields", mcp.WithStringItems(), mcp.Description("Extra fields, by id or name")),
			mcp.WithInteger("comment_limit", mcp.Min(0), mcp.Max(maxIssueComments), mcp.DefaultNumber(issueComments), mcp.Description("Newest comments to include")),
			readFormatArg(),
			includeArg(),
			outputSchema("key", "summary", "status", "url", "comments"),
		),
		CLI{Command: "issue", Example: "jira-mcp issue WEB-12 --comment-limit 10", Args: []Arg{keyArg}},
		(*Toolset).getIssue,
	)
}

// issueFields are read for every jira_get_issue.
var issueFields = []string{
	"summary", "status", "issuetype", "priority", "assignee", "reporter",
	"resolution", "created", "updated", "duedate", "labels", "components",
	"fixVersions", "parent", "description",
}

// descriptionLimit caps the description in the text form; the structured
// form has it whole.
const descriptionLimit = 4000

type getIssueArgs struct {
	IssueKey     string   `json:"issue_key"`
	Fields       []string `json:"fields"`
	CommentLimit *int     `json:"comment_limit"`
	Format       string   `json:"format"`
	Include      []string `json:"include"` // see issue_include.go
}

// IssueDetail is jira_get_issue's structured content: the issue's search
// line, and more.
type IssueDetail struct {
	IssueLine
	Type          string        `json:"type,omitempty"`
	Reporter      string        `json:"reporter,omitempty"`
	Resolution    string        `json:"resolution,omitempty"`
	Created       string        `json:"created,omitempty"`
	Due           string        `json:"due,omitempty"`
	Labels        []string      `json:"labels,omitempty"`
	Components    []string      `json:"components,omitempty"`
	FixVersions   []string      `json:"fix_versions,omitempty"`
	Parent        string        `json:"parent,omitempty"`
	Description   string        `json:"description,omitempty"`
	BodyFormat    string        `json:"body_format"` // the description's: markdown, markdown_from_wiki or wiki
	URL           string        `json:"url"`
	CommentsTotal int           `json:"comments_total"`
	CommentsError string        `json:"comments_error,omitempty"`
	Comments      []CommentView `json:"comments"`

	*IssueIncludes // what include asked for: issue_include.go
}

func (t *Toolset) getIssue(ctx context.Context, a *getIssueArgs) (*mcp.CallToolResult, error) {
	key, err := jira.NormalizeKey(a.IssueKey)
	if err != nil {
		return failure(op{}, err)
	}
	limit := orDefault(a.CommentLimit, issueComments)
	o := op{what: "read " + key, key: key}
	extra, err := t.resolveFields(ctx, a.Fields)
	if err != nil {
		return failure(o, err)
	}
	extra = t.withAgileFields(ctx, extra) // Sprint and Epic Link, by name (agile.go)
	fields := issueFields
	for _, f := range extra {
		fields = append(fields[:len(fields):len(fields)], f.ID)
	}

	var expand []string
	if a.Format != formatWiki {
		expand = []string{"renderedFields"}
	}
	is, page, pageErr, err := t.issueWithComments(ctx, key, fields, expand, ids(extra), limit)
	if err != nil {
		return failure(o, err)
	}
	if !t.allowedKey(is.Key) { // a moved issue's old key leads to its new one
		return errorResult(KindForbidden, fmt.Sprintf("%s is now %s, outside the projects jira-mcp may use (%s).", key, is.Key, strings.Join(t.projects, ", "))), nil
	}
	var commentsNote string
	if pageErr != nil {
		res, gerr := failure(op{what: "read the comments of " + key, key: key}, pageErr)
		if gerr != nil {
			return nil, gerr
		}
		commentsNote = Text(res)
	}

	f := &is.Fields
	d := IssueDetail{
		IssueLine: issueLine(is, extra),
		Created:   rfc3339(f.Created),
		Due:       f.DueDate,
		Labels:    f.Labels,
		URL:       t.jira.BrowseURL(is.Key),
		Comments:  []CommentView{},
	}
	d.Type, d.Resolution, d.Reporter = f.IssueType.Name, f.Resolution.Name, f.Reporter.Name
	d.Components = names(f.Components)
	d.FixVersions = names(f.FixVersions)
	d.Parent = f.Parent.Key
	d.Description, d.BodyFormat = t.readBody(is.Rendered.Description, f.Description, a.Format)
	if page != nil {
		d.CommentsTotal = page.Total
		for _, c := range page.Comments {
			d.Comments = append(d.Comments, t.commentView(c, a.Format))
		}
	}
	text := issueText(&d, extra)
	d.IssueIncludes, text = t.includes(ctx, is.Key, a.Include, text)
	if commentsNote != "" {
		d.CommentsError = commentsNote
		text += "\n\nComments could not be read: " + commentsNote
	}
	return mcp.NewToolResultStructured(d, text), nil
}

// issueWithComments reads an issue and its newest comments. They are
// independent reads: both are fetched at once rather than one after the
// other. If the issue cannot be read, the comments are abandoned; if only
// the comments fail, their error comes back apart, so that the issue is
// still shown, with a note.
func (t *Toolset) issueWithComments(ctx context.Context, key string, fields, expand, extra []string, limit int) (*jira.Issue, *jira.CommentPage, error, error) {
	var (
		page    *jira.CommentPage
		pageErr error
		done    = make(chan struct{})
	)
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if limit > 0 {
		go func() {
			defer close(done)
			page, pageErr = t.jira.Comments(cctx, key, 0, limit, true)
		}()
	} else {
		close(done)
	}
	is, err := t.jira.GetIssue(ctx, key, fields, expand, extra...)
	if err != nil {
		cancel()
		<-done
		return nil, nil, nil, err
	}
	<-done
	return is, page, pageErr, nil
}

func names(list []jira.Named) []string {
	if len(list) == 0 {
		return nil
	}
	out := make([]string, 0, len(list))
	for _, n := range list {
		out = append(out, n.Name)
	}
	return out
}

func issueText(d *IssueDetail, extra []fieldRef) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s [%s] %s\n", d.Key, orDash(d.Type), oneLine(d.Summary))
	line := func(pairs ...string) {
		first := true
		for i := 0; i+1 < len(pairs); i += 2 {
			if pairs[i+1] == "" {
				continue
			}
			if !first {
				b.WriteString(" | ")
			}
			first = false
			b.WriteString(pairs[i])
			b.WriteString(": ")
			b.WriteString(pairs[i+1])
		}
		if !first {
			b.WriteByte('\n')
		}
	}
	line("status", d.Status, "resolution", d.Resolution, "priority", d.Priority,
		"assignee", orDash(d.Assignee), "reporter", d.Reporter)
	line("created", dayOf(d.Created), "updated", dayOf(d.Updated), "due", d.Due, "parent", d.Parent)
	line("labels", strings.Join(d.Labels, ", "), "components", strings.Join(d.Components, ", "),
		"fix versions", strings.Join(d.FixVersions, ", "))
	var ex []string
	for _, f := range extra {
		ex = append(ex, f.Name, text(d.Fields[f.Name]))
	}
	line(ex...)
	b.WriteString(d.URL)
	b.WriteByte('\n')
	if desc := strings.TrimSpace(d.Description); desc != "" {
		b.WriteString("\nDescription:\n")
		b.WriteString(markup.Fence("description", truncate(desc, descriptionLimit)))
		b.WriteByte('\n')
	}
	if d.CommentsTotal > 0 {
		fmt.Fprintf(&b, "\nComments (%d of %d, newest first):\n", len(d.Comments), d.CommentsTotal)
		for _, c := range d.Comments {
			writeComment(&b, c)
		}
		if len(d.Comments) < d.CommentsTotal {
			fmt.Fprintf(&b, "More with %s start_at=%d.\n", GetComments, len(d.Comments))
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

func dayOf(rfc string) string {
	if len(rfc) >= 10 {
		return rfc[:10]
	}
	return rfc
}
