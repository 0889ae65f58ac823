package jira

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
)

// Issue links, remote links, worklogs and the parts of an issue that
// jira_get_issue includes on request.
//
// Which way a link points: Jira keeps a link from a source to a
// destination, read "source <outward> destination" (OPS-1 blocks WEB-3)
// and "destination <inward> source" (WEB-3 is blocked by OPS-1). POST
// /issueLink names the source InwardIssue and the destination
// OutwardIssue; an issue's issuelinks field names the other end
// OutwardIssue on the source and InwardIssue on the destination. The same
// words mean opposite ends in the request and in the field.

// LinkType is an issue link type, e.g. Blocks: outward "blocks", inward
// "is blocked by".
type LinkType struct {
	ID      string `json:"id,omitempty"`
	Name    string `json:"name"`
	Inward  string `json:"inward,omitempty"`
	Outward string `json:"outward,omitempty"`
}

// IssueRef names an issue, with its main fields when Jira sends them.
type IssueRef struct {
	ID     string `json:"id,omitempty"`
	Key    string `json:"key"`
	Fields *struct {
		Summary string `json:"summary"`
		Status  Status `json:"status"`
	} `json:"fields,omitempty"`
}

// IssueLink is one entry of an issue's issuelinks field: exactly one of
// InwardIssue and OutwardIssue is set, the other end as seen from the
// issue (OutwardIssue: this issue <outward> it).
type IssueLink struct {
	ID           string    `json:"id"`
	Type         LinkType  `json:"type"`
	InwardIssue  *IssueRef `json:"inwardIssue,omitempty"`
	OutwardIssue *IssueRef `json:"outwardIssue,omitempty"`
}

// LinkRequest is the body of POST /issueLink: InwardIssue <outward>
// OutwardIssue.
type LinkRequest struct {
	Type         LinkType      `json:"type"`
	InwardIssue  IssueRef      `json:"inwardIssue"`
	OutwardIssue IssueRef      `json:"outwardIssue"`
	Comment      *CommentInput `json:"comment,omitempty"`
}

// LinkTypes lists the instance's issue link types.
func (c *Client) LinkTypes(ctx context.Context) ([]LinkType, error) {
	var out struct {
		IssueLinkTypes []LinkType `json:"issueLinkTypes"`
	}
	if err := c.do(ctx, "GET", "rest/api/2/issueLinkType", nil, nil, &out); err != nil {
		return nil, err
	}
	return out.IssueLinkTypes, nil
}

// LinkIssues creates a link. Jira answers without saying whether the link
// was new: a link that exists already is not added twice.
func (c *Client) LinkIssues(ctx context.Context, r LinkRequest) error {
	r.Type = LinkType{ID: r.Type.ID, Name: r.Type.Name} // Jira reads only these
	return c.do(ctx, "POST", "rest/api/2/issueLink", nil, r, nil)
}

// IssueLinks reads an issue's links.
func (c *Client) IssueLinks(ctx context.Context, key string) ([]IssueLink, error) {
	p, err := c.IssueParts(ctx, key, []string{"issuelinks"}, nil)
	if err != nil {
		return nil, err
	}
	var links []IssueLink
	return links, p.Field("issuelinks", &links)
}

// IssueParts is an issue read for some of its fields and expansions, kept
// raw until a caller decodes the ones it asked for.
type IssueParts struct {
	Key       string                     `json:"key"`
	Fields    map[string]json.RawMessage `json:"fields"`
	Changelog *Changelog                 `json:"changelog,omitempty"`
}

// Field decodes one field into v; an absent or null field leaves v as it
// is.
func (p *IssueParts) Field(id string, v any) error {
	raw, ok := p.Fields[id]
	if !ok || string(raw) == "null" {
		return nil
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("decode field %s of %s: %w", id, p.Key, err)
	}
	return nil
}

// IssueParts reads the given fields and expansions of an issue.
func (c *Client) IssueParts(ctx context.Context, key string, fields, expand []string) (*IssueParts, error) {
	q := url.Values{"fields": {strings.Join(fields, ",")}}
	if len(fields) == 0 {
		q.Set("fields", "summary")
	}
	if len(expand) > 0 {
		q.Set("expand", strings.Join(expand, ","))
	}
	var out IssueParts
	if err := c.do(ctx, "GET", issuePath(key), q, nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// Changelog is an issue's change history, oldest first.
type Changelog struct {
	Total     int             `json:"total"`
	Histories []ChangeHistory `json:"histories"`
}

// ChangeHistory is one change: who, when, and each field's change.
type ChangeHistory struct {
	ID      string `json:"id"`
	Author  *User  `json:"author,omitempty"`
	Created Time   `json:"created"`
	Items   []struct {
		Field      string `json:"field"`
		FromString string `json:"fromString"`
		ToString   string `json:"toString"`
	} `json:"items"`
}

// RemoteLink is a link from an issue to a page outside Jira.
type RemoteLink struct {
	ID           int64        `json:"id,omitempty"`
	GlobalID     string       `json:"globalId,omitempty"`
	Relationship string       `json:"relationship,omitempty"`
	Object       RemoteObject `json:"object"`
}

// RemoteObject is what a remote link points to.
type RemoteObject struct {
	URL     string `json:"url"`
	Title   string `json:"title"`
	Summary string `json:"summary,omitempty"`
}

// RemoteLinks lists an issue's remote links.
func (c *Client) RemoteLinks(ctx context.Context, key string) ([]RemoteLink, error) {
	var out []RemoteLink
	if err := c.do(ctx, "GET", issuePath(key)+"/remotelink", nil, nil, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// RemoteLinkByGlobalID returns the issue's remote link with globalID, or
// nil when it has none (Jira answers 404 for both a missing link and a
// missing issue: the caller reads the issue first).
func (c *Client) RemoteLinkByGlobalID(ctx context.Context, key, globalID string) (*RemoteLink, error) {
	links, err := c.RemoteLinks(ctx, key)
	if err != nil {
		return nil, err
	}
	for i := range links {
		if links[i].GlobalID == globalID {
			return &links[i], nil
		}
	}
	return nil, nil
}

// PutRemoteLink creates a remote link, or updates the issue's link with
// the same GlobalID, and returns its id.
func (c *Client) PutRemoteLink(ctx context.Context, key string, l RemoteLink) (int64, error) {
	var out struct {
		ID int64 `json:"id"`
	}
	l.ID = 0
	if err := c.do(ctx, "POST", issuePath(key)+"/remotelink", nil, l, &out); err != nil {
		return 0, err
	}
	return out.ID, nil
}

// Worklog is time logged on an issue.
type Worklog struct {
	ID               string `json:"id,omitempty"`
	Author           *User  `json:"author,omitempty"`
	Comment          string `json:"comment,omitempty"`
	Started          string `json:"started"` // Jira's format, 2026-12-06T10:00:00.000+0000
	TimeSpent        string `json:"timeSpent,omitempty"`
	TimeSpentSeconds int64  `json:"timeSpentSeconds,omitempty"`
	Created          Time   `json:"created,omitzero"`
}

// Worklogs lists an issue's worklogs, oldest first.
func (c *Client) Worklogs(ctx context.Context, key string) ([]Worklog, error) {
	var out struct {
		Worklogs []Worklog `json:"worklogs"`
	}
	if err := c.do(ctx, "GET", issuePath(key)+"/worklog", nil, nil, &out); err != nil {
		return nil, err
	}
	return out.Worklogs, nil
}

// Estimate says how logging work changes the remaining estimate: Mode
// auto (reduce it by the time spent), leave, new (set it to Value) or
// manual (reduce it by Value). Value is a Jira duration.
type Estimate struct {
	Mode, Value string
}

// AddWorklog logs work and returns the worklog as Jira stored it.
func (c *Client) AddWorklog(ctx context.Context, key string, w Worklog, e Estimate) (*Worklog, error) {
	q := url.Values{}
	if e.Mode != "" {
		q.Set("adjustEstimate", e.Mode)
	}
	switch e.Mode {
	case "new":
		q.Set("newEstimate", e.Value)
	case "manual":
		q.Set("reduceBy", e.Value)
	}
	in := Worklog{Comment: w.Comment, Started: w.Started, TimeSpent: w.TimeSpent}
	var out Worklog
	if err := c.do(ctx, "POST", issuePath(key)+"/worklog", q, in, &out); err != nil {
		return nil, err
	}
	return &out, nil
}
