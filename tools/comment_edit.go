package tools

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/jira-mcp/jira-mcp/tools/jira"
)

// EditComment is jira_edit_comment's name.
const EditComment = "jira_edit_comment"

type editCommentArgs struct {
	IssueKey  string `json:"issue_key"`
	CommentID string `json:"comment_id"`
	Body      string `json:"body"`
	Format    string `json:"format"`
}

func editCommentTool() Tool {
	return newTool(issues,
		mcp.NewTool(EditComment,
			mcp.WithToolTitle("Edit a Jira comment"),
			mcp.WithDescription("Replace the text of a comment (yours, or others' where Jira allows). Keeps its visibility. Never include secrets."),
			annotations(false, false, false),
			issueKeyArg(),
			mcp.WithString("comment_id", mcp.Required()),
			mcp.WithString("body", mcp.Required(), mcp.MinLength(1), mcp.MaxLength(maxTextLength)),
			formatArg(),
			outputSchema("issue_key", "id", "url"),
		),
		CLI{Command: "edit-comment", Args: []Arg{keyArg, {"comment_id", "ID"}, {"body", "BODY"}}, Stdin: []string{"body"}},
		(*Toolset).editComment,
	)
}

// EditCommentResult is jira_edit_comment's structured content.
type EditCommentResult struct {
	IssueKey string `json:"issue_key"`
	ID       string `json:"id"`
	URL      string `json:"url"`
	Format   string `json:"format"`
	Verified bool   `json:"verified,omitempty"` // Jira's answer was lost; the comment was read back
}

func (t *Toolset) editComment(ctx context.Context, a *editCommentArgs) (*mcp.CallToolResult, error) {
	key, err := jira.NormalizeKey(a.IssueKey)
	if err != nil {
		return failure(op{}, err)
	}
	id := strings.TrimSpace(a.CommentID)
	if _, err := strconv.ParseUint(id, 10, 64); err != nil {
		return inputError("comment_id must be a comment's number, like 10203 (%s shows them), got %q.", GetComments, clipValue(a.CommentID))
	}
	in, msg := commentInput(a.Body, nil)
	if msg != "" {
		return inputError("%s", msg)
	}
	in.Body, a.Format = t.wikiText(ctx, in.Body, a.Format)
	// Jira makes a comment sent without a visibility public: keep the one
	// it has. Its author also says whose it is, if Jira refuses.
	old, err := t.jira.Comment(ctx, key, id)
	if err != nil {
		return failure(op{what: fmt.Sprintf("read comment %s of %s (nothing was changed)", id, key), key: key}, err)
	}
	in.Visibility = old.Visibility
	out := EditCommentResult{IssueKey: key, ID: id, URL: t.commentURL(key, id), Format: a.Format}
	write := op{what: fmt.Sprintf("edit comment %s of %s", id, key), key: key, write: true}
	if _, err := t.jira.EditComment(ctx, key, id, *in); err != nil {
		if !outcomeUnknown(ctx, err) {
			res, gerr := failure(write, err)
			if res != nil && ErrorKind(res) == KindForbidden && old.Author != nil {
				appendText(res, fmt.Sprintf(" The comment is %s's: Jira lets you edit your own comments, and others' only with Edit All Comments.", old.Author.Name))
			}
			return res, gerr
		}
		vctx, cancel := verifyContext(ctx)
		defer cancel()
		now, rerr := t.jira.Comment(vctx, key, id)
		switch {
		case rerr != nil:
			return failure(write, err)
		case sameText(now.Body) != sameText(in.Body):
			return notMade(write, err, "reading the comment back shows its old text")
		}
		out.Verified = true
	}
	text := fmt.Sprintf("Edited comment %s of %s: %s", id, key, out.URL)
	if out.Verified {
		text += ". Jira's answer was lost; the new text was confirmed by reading the comment back."
	}
	return mcp.NewToolResultStructured(out, text), nil
}
