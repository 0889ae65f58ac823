package tools

import (
	"context"
	"fmt"
	neturl "net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/jira-mcp/jira-mcp/tools/jira"
	"github.com/jira-mcp/jira-mcp/tools/markup"
)

// Names of the comment tools.
const (
	GetComments = "jira_get_comments"
	AddComment  = "jira_add_comment"
)

// pageComments is how many comments jira_get_comments returns by default.
const pageComments = 10

func getCommentsTool() Tool {
	return newTool(core,
		mcp.NewTool(GetComments,
			mcp.WithToolTitle("Read issue comments"),
			mcp.WithDescription("Read an issue's comments, newest first, a page at a time."),
			annotations(true, false, true),
			issueKeyArg(),
			mcp.WithInteger("limit", mcp.Min(1), mcp.Max(maxLimit), mcp.DefaultNumber(pageComments), mcp.Description("Comments per page")),
			mcp.WithInteger("start_at", mcp.Min(0), mcp.DefaultNumber(0), mcp.Description("Offset")),
			readFormatArg(),
			outputSchema("issue_key", "total", "start_at", "comments"),
		),
		CLI{Command: "comments", Example: "jira-mcp comments WEB-12 --limit 20", Args: []Arg{keyArg}},
		(*Toolset).getComments,
	)
}

func addCommentTool() Tool {
	return newTool(core,
		mcp.NewTool(AddComment,
			mcp.WithToolTitle("Comment on a Jira issue"),
			mcp.WithDescription("Add a comment (Markdown, or Jira wiki markup) to an issue, optionally visible only to a group or project role. Never include secrets."),
			annotations(false, false, false),
			issueKeyArg(),
			mcp.WithString("body", mcp.Required(), mcp.MinLength(1), mcp.MaxLength(maxTextLength), mcp.Description("Comment text")),
			mcp.WithObject("visibility", mcp.Description("Restrict who can see it"),
				mcp.Properties(map[string]any{
					"type":  map[string]any{"type": "string", "enum": []string{"group", "role"}},
					"value": map[string]any{"type": "string", "description": "Group or role name"},
				}), mcp.AdditionalProperties(false), requiredProps("type", "value")),
			formatArg(),
			mcp.WithBoolean("allow_duplicate", mcp.Description("Post even if you posted the same text here in the last 10 minutes")),
			outputSchema("issue_key", "id", "url"),
		),
		CLI{Command: "comment", Example: "jira-mcp comment WEB-12 \"Deployed to **staging**.\"\ngit log -1 --format=%B | jira-mcp comment WEB-12 - --visibility role:Developers", Args: []Arg{keyArg, {"body", "BODY"}}, Stdin: []string{"body"}},
		(*Toolset).addComment,
	)
}

// commentLimit caps one comment's body in the text form.
const commentLimit = 2000

// CommentView is a comment in structured results.
type CommentView struct {
	ID         string           `json:"id"`
	Author     string           `json:"author"`
	AuthorName string           `json:"author_name,omitempty"`
	Created    string           `json:"created"`
	Updated    string           `json:"updated,omitempty"`
	Body       string           `json:"body"`
	BodyFormat string           `json:"body_format"` // markdown, markdown_from_wiki or wiki
	Visibility *jira.Visibility `json:"visibility,omitempty"`
}

func (t *Toolset) commentView(c jira.Comment, format string) CommentView {
	v := CommentView{ID: c.ID, Visibility: c.Visibility}
	v.Body, v.BodyFormat = t.readBody(c.RenderedBody, c.Body, format)
	if c.Author != nil {
		v.Author, v.AuthorName = c.Author.Name, c.Author.DisplayName
	}
	if !c.Created.IsZero() {
		v.Created = c.Created.Format("2006-01-02T15:04:05Z07:00")
	}
	if !c.Updated.IsZero() && !c.Updated.Equal(c.Created.Time) {
		v.Updated = c.Updated.Format("2006-01-02T15:04:05Z07:00")
	}
	return v
}

func writeComment(b *strings.Builder, c CommentView) {
	fmt.Fprintf(b, "[%s] %s %s", c.ID, orDash(c.Author), strings.Replace(dayMinute(c.Created), "T", " ", 1))
	if c.Visibility != nil {
		fmt.Fprintf(b, " (visible to %s %s)", c.Visibility.Type, c.Visibility.Value)
	}
	if c.Updated != "" {
		b.WriteString(" (edited)")
	}
	b.WriteString(":\n")
	b.WriteString(markup.Fence("comment "+c.ID, truncate(strings.TrimSpace(c.Body), commentLimit)))
	b.WriteByte('\n')
}

func dayMinute(rfc string) string {
	if len(rfc) >= 16 {
		return rfc[:16]
	}
	return rfc
}

type getCommentsArgs struct {
	IssueKey string `json:"issue_key"`
	Limit    *int   `json:"limit"`
	StartAt  int    `json:"start_at"`
	Format   string `json:"format"`
}

// CommentsResult is jira_get_comments' structured content.
type CommentsResult struct {
	IssueKey    string        `json:"issue_key"`
	Total       int           `json:"total"`
	StartAt     int           `json:"start_at"`
	NextStartAt *int          `json:"next_start_at,omitempty"`
	Comments    []CommentView `json:"comments"`
}

func (t *Toolset) getComments(ctx context.Context, a *getCommentsArgs) (*mcp.CallToolResult, error) {
	key, err := jira.NormalizeKey(a.IssueKey)
	if err != nil {
		return failure(op{}, err)
	}
	p, err := t.jira.Comments(ctx, key, a.StartAt, orDefault(a.Limit, pageComments), true)
	if err != nil {
		return failure(op{what: "read comments of " + key, key: key}, err)
	}
	out := CommentsResult{IssueKey: key, Total: p.Total, StartAt: p.StartAt, Comments: make([]CommentView, 0, len(p.Comments))}
	for _, c := range p.Comments {
		out.Comments = append(out.Comments, t.commentView(c, a.Format))
	}
	if next := p.StartAt + len(p.Comments); len(p.Comments) > 0 && next < p.Total {
		out.NextStartAt = &next
	}
	var b strings.Builder
	switch {
	case len(out.Comments) == 0 && out.Total == 0:
		fmt.Fprintf(&b, "%s has no comments you can see.", key)
	case len(out.Comments) == 0:
		fmt.Fprintf(&b, "%s: no comments at start_at %d; it has %d.", key, out.StartAt, out.Total)
	default:
		fmt.Fprintf(&b, "%s: comments %d-%d of %d, newest first", key, out.StartAt+1, out.StartAt+len(out.Comments), out.Total)
		if out.NextStartAt != nil {
			fmt.Fprintf(&b, "; next start_at=%d", *out.NextStartAt)
		}
		b.WriteString("\n")
		for _, c := range out.Comments {
			writeComment(&b, c)
		}
	}
	return mcp.NewToolResultStructured(out, strings.TrimRight(b.String(), "\n")), nil
}

type addCommentArgs struct {
	IssueKey       string           `json:"issue_key"`
	Body           string           `json:"body"`
	Visibility     *jira.Visibility `json:"visibility"`
	Format         string           `json:"format"`
	AllowDuplicate bool             `json:"allow_duplicate"`
}

// AddCommentResult is jira_add_comment's structured content.
type AddCommentResult struct {
	IssueKey   string           `json:"issue_key"`
	ID         string           `json:"id"`
	URL        string           `json:"url"`
	Visibility *jira.Visibility `json:"visibility,omitempty"`
	Verified   bool             `json:"verified,omitempty"` // Jira's answer was lost; the comment was found by reading back
	Format     string           `json:"format"`             // how the body was taken: markdown (converted) or wiki
}

func (t *Toolset) addComment(ctx context.Context, a *addCommentArgs) (*mcp.CallToolResult, error) {
	key, err := jira.NormalizeKey(a.IssueKey)
	if err != nil {
		return failure(op{}, err)
	}
	in, msg := commentInput(a.Body, a.Visibility)
	if msg != "" {
		return inputError("%s", msg)
	}
	in.Body, a.Format = t.wikiText(ctx, in.Body, a.Format)
	// The user's comments with this body, before: to refuse an agent's
	// retry, and to tell a new comment from an old one if Jira's answer to
	// the post is lost.
	before, err := t.sameComments(ctx, key, in.Body)
	if err != nil {
		return failure(op{what: "read the comments of " + key + " before commenting (nothing was posted)", key: key}, err)
	}
	if !a.AllowDuplicate {
		for _, c := range before {
			if age := time.Since(c.Created.Time); age < duplicateWindow {
				return inputError("You posted this very comment on %s %s ago (comment %s: %s). Do not post it again; if a second copy is really wanted, pass allow_duplicate: true.",
					key, age.Round(time.Second), c.ID, t.commentURL(key, c.ID))
			}
		}
	}
	c, err := t.jira.AddComment(ctx, key, *in)
	verified := false
	if err != nil {
		write := op{what: "comment on " + key, key: key, write: true}
		if !outcomeUnknown(ctx, err) {
			return failure(write, err)
		}
		found, checkedAfter := t.findNewComment(ctx, key, in.Body, before)
		switch {
		case !checkedAfter:
			return failure(write, err) // still unknown: failure says so
		case found == nil:
			return notMade(write, err, "reading the comments back does not show it")
		}
		c, verified = found, true
	}
	out := AddCommentResult{IssueKey: key, ID: c.ID, URL: t.commentURL(key, c.ID), Visibility: c.Visibility, Verified: verified, Format: a.Format}
	text := fmt.Sprintf("Added comment %s to %s: %s", c.ID, key, out.URL)
	if c.Visibility != nil {
		text += fmt.Sprintf(" (visible to %s %s)", c.Visibility.Type, c.Visibility.Value)
	}
	if verified {
		text += ". Jira's answer was lost; the comment was confirmed by reading the comments back. Do not post it again."
	}
	return mcp.NewToolResultStructured(out, text), nil
}

// commentURL is the issue's page, opened at a comment.
func (t *Toolset) commentURL(key, id string) string {
	return t.jira.BrowseURL(key) + "?focusedCommentId=" + neturl.QueryEscape(id) + "#comment-" + neturl.PathEscape(id)
}

// duplicateWindow is how long an identical comment by the same user is
// taken for an agent's retry rather than a new comment.
const duplicateWindow = 10 * time.Minute

// sameComments returns the current user's comments on key whose body is
// body, among the newest ones, newest first.
func (t *Toolset) sameComments(ctx context.Context, key, body string) ([]jira.Comment, error) {
	me, err := t.myName(ctx)
	if err != nil {
		return nil, err
	}
	page, err := t.jira.Comments(ctx, key, 0, maxLimit, true)
	if err != nil {
		return nil, err
	}
	var same []jira.Comment
	want := sameText(body)
	for _, c := range page.Comments {
		if c.Author != nil && c.Author.Name == me && sameText(c.Body) == want {
			same = append(same, c)
		}
	}
	return same, nil
}

// findNewComment looks for the comment a lost answer may have made: one
// with the body that was not there before.
func (t *Toolset) findNewComment(ctx context.Context, key, body string, before []jira.Comment) (*jira.Comment, bool) {
	ctx, cancel := verifyContext(ctx)
	defer cancel()
	after, err := t.sameComments(ctx, key, body)
	if err != nil {
		return nil, false
	}
	for i := range after {
		if !slices.ContainsFunc(before, func(b jira.Comment) bool { return b.ID == after[i].ID }) {
			return &after[i], true
		}
	}
	return nil, true
}

// sameText compares bodies as Jira keeps them: line ends and the white
// space around the text are not kept exactly.
func sameText(s string) string {
	return strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
}

// commentInput checks a comment before it is sent: a body, a well-formed
// visibility, and no credential pasted in by mistake.
func commentInput(body string, vis *jira.Visibility) (*jira.CommentInput, string) {
	if strings.TrimSpace(body) == "" {
		return nil, "body is empty: write the comment text."
	}
	if what := credentialIn(body); what != "" {
		return nil, "The comment seems to contain a credential (" + what + "). Remove it: secrets must never be posted to Jira."
	}
	in := &jira.CommentInput{Body: body}
	if vis != nil {
		vis.Type = strings.ToLower(strings.TrimSpace(vis.Type))
		vis.Value = strings.TrimSpace(vis.Value)
		if vis.Type != "group" && vis.Type != "role" {
			return nil, fmt.Sprintf(`visibility.type must be "group" or "role" (got %q)`, vis.Type)
		}
		if vis.Value == "" {
			return nil, "visibility.value must name the group or project role, e.g. Developers"
		}
		in.Visibility = vis
	}
	return in, ""
}

// credentialPatterns catch the secrets most often pasted by mistake. They
// are deliberately narrow: a false alarm blocks a legitimate comment.
var credentialPatterns = []struct {
	what   string
	re     *regexp.Regexp
	random bool // the value must also look random: "bearer token-refresh-and-rotation-procedure" is prose
}{
	{"a private key", regexp.MustCompile(`-----BEGIN [A-Z ]*PRIVATE KEY-----`), false},
	{"an Authorization header", regexp.MustCompile(`(?i)\bauthorization:\s*(bearer|basic)\s+[A-Za-z0-9._~+/=-]{16,}`), true},
	{"a bearer token", regexp.MustCompile(`(?i)\bbearer\s+[A-Za-z0-9._~+/-]{32,}=*`), true},
	{"an AWS access key", regexp.MustCompile(`\b(AKIA|ASIA)[0-9A-Z]{16}\b`), false},
	{"a GitHub token", regexp.MustCompile(`\b(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}\b|\bgithub_pat_[A-Za-z0-9_]{40,}`), false},
	{"a Slack token", regexp.MustCompile(`\bxox[abposr]-[A-Za-z0-9-]{10,}`), false},
	{"a GitLab token", regexp.MustCompile(`\bglpat-[A-Za-z0-9_-]{20,}`), false},
	{"a password in a URL", regexp.MustCompile(`\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\s/:@<>]+:[^\s/@<>{}]+@`), false},
	{"a JSON Web Token", regexp.MustCompile(`\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}`), false},
}

func credentialIn(s string) string {
	for _, p := range credentialPatterns {
		for _, m := range p.re.FindAllString(s, -1) {
			if !p.random || looksRandom(m) {
				return p.what
			}
		}
	}
	return ""
}

// looksRandom reports whether a matched value has both letters and digits
// after its label, as tokens do and words do not.
func looksRandom(m string) bool {
	if i := strings.LastIndexAny(m, " \t:"); i >= 0 {
		m = m[i+1:]
	}
	return strings.ContainsAny(m, "0123456789") && strings.IndexFunc(m, func(r rune) bool {
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
	}) >= 0
}
