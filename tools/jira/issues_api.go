package jira

import (
	"context"
	"net/url"
	"strconv"
	"strings"
)

// Filing and changing issues: projects, create and edit screens, create,
// edit, assign, users and comment edits.

// IssueType is an issue type a project offers.
type IssueType struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	Subtask     bool   `json:"subtask"`
}

// Project is a project as GET project lists it, lead and issue types
// expanded.
type Project struct {
	ID          string      `json:"id"`
	Key         string      `json:"key"`
	Name        string      `json:"name"`
	Description string      `json:"description,omitempty"`
	Lead        *User       `json:"lead,omitempty"`
	IssueTypes  []IssueType `json:"issueTypes,omitempty"`
	Archived    bool        `json:"archived,omitempty"`
}

// Projects lists the projects the user may browse, with their lead and
// issue types.
func (c *Client) Projects(ctx context.Context) ([]Project, error) {
	var out []Project
	q := url.Values{"expand": {"description,lead,issueTypes"}}
	if err := c.do(ctx, "GET", "rest/api/2/project", q, nil, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// FieldMeta is a field of a create screen (createmeta): a screen field
// with its id.
type FieldMeta struct {
	FieldID string `json:"fieldId"`
	TransitionField
}

// metaPage is a page of Jira 9's createmeta.
type metaPage[T any] struct {
	StartAt    int  `json:"startAt"`
	MaxResults int  `json:"maxResults"`
	Total      int  `json:"total"`
	IsLast     bool `json:"isLast"`
	Values     []T  `json:"values"`
}

// maxMetaPages bounds the pages read of one createmeta list: a screen of
// 2,500 fields is a misconfiguration, not a screen.
const maxMetaPages = 50

// allPages reads every page of a createmeta list.
func allPages[T any](ctx context.Context, c *Client, path string) ([]T, error) {
	var out []T
	for range maxMetaPages {
		var pg metaPage[T]
		q := url.Values{"startAt": {strconv.Itoa(len(out))}, "maxResults": {"50"}}
		if err := c.do(ctx, "GET", path, q, nil, &pg); err != nil {
			return nil, err
		}
		out = append(out, pg.Values...)
		if pg.IsLast || len(pg.Values) == 0 || len(out) >= pg.Total {
			break
		}
	}
	return out, nil
}

// CreateIssueTypes lists the issue types the user may create in a
// project (GET issue/createmeta/{project}/issuetypes, every page).
func (c *Client) CreateIssueTypes(ctx context.Context, project string) ([]IssueType, error) {
	return allPages[IssueType](ctx, c, "rest/api/2/issue/createmeta/"+url.PathEscape(project)+"/issuetypes")
}

// CreateFields lists the fields of a project's create screen for an issue
// type, in screen order (every page).
func (c *Client) CreateFields(ctx context.Context, project, issueTypeID string) ([]FieldMeta, error) {
	return allPages[FieldMeta](ctx, c, "rest/api/2/issue/createmeta/"+url.PathEscape(project)+"/issuetypes/"+url.PathEscape(issueTypeID))
}

// EditFields lists the fields the user may edit on an issue, by id.
func (c *Client) EditFields(ctx context.Context, key string) (map[string]TransitionField, error) {
	var out struct {
		Fields map[string]TransitionField `json:"fields"`
	}
	if err := c.do(ctx, "GET", issuePath(key)+"/editmeta", nil, nil, &out); err != nil {
		return nil, err
	}
	return out.Fields, nil
}

// IssueUpdate is the body of a create or an edit: values to set, and
// update operations ({"labels": [{"add": "x"}]}). Only what is set is sent.
type IssueUpdate struct {
	Fields map[string]any              `json:"fields,omitempty"`
	Update map[string][]map[string]any `json:"update,omitempty"`
}

// CreatedIssue is Jira's answer to a create.
type CreatedIssue struct {
	ID   string `json:"id"`
	Key  string `json:"key"`
	Self string `json:"self,omitempty"`
}

// CreateIssue creates an issue (POST issue).
func (c *Client) CreateIssue(ctx context.Context, in IssueUpdate) (*CreatedIssue, error) {
	var out CreatedIssue
	if err := c.do(ctx, "POST", "rest/api/2/issue", nil, in, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// EditIssue changes an issue (PUT issue/{key}).
func (c *Client) EditIssue(ctx context.Context, key string, in IssueUpdate) error {
	return c.do(ctx, "PUT", issuePath(key), nil, in, nil)
}

// Assign sets an issue's assignee by username; "" unassigns it.
func (c *Client) Assign(ctx context.Context, key, username string) error {
	body := map[string]any{"name": nil}
	if username != "" {
		body["name"] = username
	}
	return c.do(ctx, "PUT", issuePath(key)+"/assignee", nil, body, nil)
}

// FindUsers finds active users whose username, e-mail address or name
// starts with query.
func (c *Client) FindUsers(ctx context.Context, query string, maxResults int) ([]User, error) {
	var out []User
	q := url.Values{"username": {query}, "maxResults": {strconv.Itoa(maxResults)}}
	if err := c.do(ctx, "GET", "rest/api/2/user/search", q, nil, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// AssignableUsers finds the users who may be assigned an issue, among
// those query finds ("" for any).
func (c *Client) AssignableUsers(ctx context.Context, key, query string, maxResults int) ([]User, error) {
	var out []User
	q := url.Values{"issueKey": {key}, "username": {query}, "maxResults": {strconv.Itoa(maxResults)}}
	if err := c.do(ctx, "GET", "rest/api/2/user/assignable/search", q, nil, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// UserNamed reads a user by username; a 404 *APIError when there is none.
func (c *Client) UserNamed(ctx context.Context, username string) (*User, error) {
	var out User
	q := url.Values{"username": {strings.TrimSpace(username)}}
	if err := c.do(ctx, "GET", "rest/api/2/user", q, nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// Comment reads one comment.
func (c *Client) Comment(ctx context.Context, key, id string) (*Comment, error) {
	var out Comment
	if err := c.do(ctx, "GET", issuePath(key)+"/comment/"+url.PathEscape(id), nil, nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// EditComment replaces a comment's body and visibility (nil: public) and
// returns it as Jira stored it.
func (c *Client) EditComment(ctx context.Context, key, id string, in CommentInput) (*Comment, error) {
	var out Comment
	if err := c.do(ctx, "PUT", issuePath(key)+"/comment/"+url.PathEscape(id), nil, in, &out); err != nil {
		return nil, err
	}
	return &out, nil
}
