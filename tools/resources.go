package tools

import (
	"context"
	"fmt"

	"github.com/jira-mcp/jira-mcp/tools/jira"
)

// What package server needs for MCP resources and completions, built on
// the tools themselves: an issue resource is jira_get_issue's text, an
// attachment resource the same fetch and checks as jira_get_attachment,
// and the allow-list applies to both.

// ResourceError is a resource read refused, with the error kind and the
// text a tool would have answered.
type ResourceError struct{ Kind, Msg string }

func (e *ResourceError) Error() string { return e.Msg }

// IssueResource returns an issue as jira_get_issue shows it.
func (t *Toolset) IssueResource(ctx context.Context, key string) (string, error) {
	res, err := t.Call(ctx, GetIssue, map[string]any{"issue_key": key})
	if err != nil {
		return "", err
	}
	if res.IsError {
		return "", &ResourceError{ErrorKind(res), Text(res)}
	}
	return Text(res), nil
}

// AttachmentContent is an attachment resource's content: text when it is
// text (Text set), bytes otherwise.
type AttachmentContent struct {
	MimeType string
	Text     string
	Data     []byte
	IsText   bool
}

// AttachmentResource returns an attachment of an issue, judged by its
// bytes as jira_get_attachment does, up to the size jira-mcp saves.
func (t *Toolset) AttachmentResource(ctx context.Context, key, id string) (*AttachmentContent, error) {
	if t.jira == nil {
		res, _ := t.Call(ctx, GetAttachment, map[string]any{"issue_key": key, "attachment": id})
		return nil, &ResourceError{ErrorKind(res), Text(res)}
	}
	k, err := jira.NormalizeKey(key)
	if err != nil {
		return nil, &ResourceError{KindInvalidInput, err.Error()}
	}
	if !t.allowedKey(k) {
		return nil, &ResourceError{KindForbidden, fmt.Sprintf("%s is outside the projects jira-mcp may use.", k)}
	}
	v, res, err := t.findAttachment(ctx, k, id)
	if err != nil {
		return nil, err
	}
	if res == nil && v.ID != id { // found by file name: the URI names an id
		res = errorResult(KindNotFound, fmt.Sprintf("%s has no attachment with id %s.", k, id))
	}
	if res != nil {
		return nil, &ResourceError{ErrorKind(res), Text(res)}
	}
	data, res, err := t.download(ctx, v, maxUpload)
	if err != nil {
		return nil, err
	}
	if res != nil {
		return nil, &ResourceError{ErrorKind(res), Text(res)}
	}
	switch {
	case int64(len(data)) < v.Size:
		return nil, &ResourceError{KindInvalidInput, fmt.Sprintf("%s is over the %s limit: read it in Jira.", v.Filename, byteSize(maxUpload))}
	case imageType(data) != "":
		return &AttachmentContent{MimeType: imageType(data), Data: data}, nil
	case textual(data, v.MimeType, v.Filename):
		return &AttachmentContent{MimeType: "text/plain", Text: string(data), IsText: true}, nil
	}
	return &AttachmentContent{MimeType: orDefaultType(v.MimeType), Data: data}, nil
}

func orDefaultType(t string) string {
	if t == "" {
		return "application/octet-stream"
	}
	return t
}

// ProjectKeys lists the projects the user can see, within the allow-list.
func (t *Toolset) ProjectKeys(ctx context.Context) ([]string, error) {
	if t.jira == nil {
		return nil, nil
	}
	keys, err := t.jira.ProjectKeys(ctx)
	if err != nil {
		return nil, err
	}
	out := keys[:0]
	for _, k := range keys {
		if t.allowedProject(k) {
			out = append(out, k)
		}
	}
	return out, nil
}

// recentJQL finds the user's recent issues, for completing issue keys.
const recentJQL = "assignee = currentUser() OR reporter = currentUser() ORDER BY updated DESC"

// RecentIssueKeys lists the keys of the user's recently updated issues
// (assigned or reported), within the allow-list.
func (t *Toolset) RecentIssueKeys(ctx context.Context) ([]string, error) {
	if t.jira == nil {
		return nil, nil
	}
	jql, err := scopeJQL(recentJQL, t.projects)
	if err != nil {
		return nil, err
	}
	res, err := t.jira.Search(ctx, jira.SearchRequest{JQL: jql, MaxResults: 50, Fields: []string{"summary"}})
	if err != nil {
		return nil, err
	}
	var keys []string
	for _, is := range res.Issues {
		if t.allowedKey(is.Key) {
			keys = append(keys, is.Key)
		}
	}
	return keys, nil
}
