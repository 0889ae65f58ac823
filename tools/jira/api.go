package jira

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	gojson "github.com/goccy/go-json"
)

// User is a Jira DC user as it appears in fields and comments.
type User struct {
	Name        string `json:"name"` // username, usable in JQL
	Key         string `json:"key,omitempty"`
	DisplayName string `json:"displayName"`
}

// Status is an issue status.
type Status struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Named is any Jira object identified by id and name (priority,
// resolution, issue type, project...).
type Named struct {
	ID   string `json:"id,omitempty"`
	Key  string `json:"key,omitempty"`
	Name string `json:"name"`
}

// Issue is an issue. The fields every tool shows are decoded into Fields
// in the same pass as the rest of the answer; other fields (custom fields
// have any shape) are kept raw in Extra, and only when the caller asked for
// them, since a second pass over the JSON is the costliest part of a call.
type Issue struct {
	ID     string                     `json:"id"`
	Key    string                     `json:"key"`
	Self   string                     `json:"self,omitempty"`
	Fields Fields                     `json:"fields"`
	Extra  map[string]json.RawMessage `json:"-"`
	// Rendered holds text fields as HTML, with expand=renderedFields:
	// description, environment (null when Jira cannot render).
	Rendered struct {
		Description string `json:"description"`
	} `json:"renderedFields"`
}

// Fields are the fields jira-mcp's tools read on every issue. Objects are
// values, not pointers (an absent or null one is the zero value, with an
// empty Name): a search decodes 20 issues, and one allocation per object
// per issue was a tenth of what a call allocated.
type Fields struct {
	Summary     string   `json:"summary"`
	Status      Status   `json:"status"`
	IssueType   Named    `json:"issuetype"`
	Priority    Named    `json:"priority"`
	Resolution  Named    `json:"resolution"`
	Assignee    User     `json:"assignee"`
	Reporter    User     `json:"reporter"`
	Created     string   `json:"created"`
	Updated     string   `json:"updated"`
	DueDate     string   `json:"duedate"`
	Labels      []string `json:"labels"`
	Components  []Named  `json:"components"`
	FixVersions []Named  `json:"fixVersions"`
	Parent      struct {
		Key string `json:"key"`
	} `json:"parent"`
	Description string `json:"description"`
}

// Raw returns one extra field's JSON, nil when absent or null.
func (i *Issue) Raw(id string) json.RawMessage {
	v := i.Extra[id]
	if string(v) == "null" {
		return nil
	}
	return v
}

// rawFields is the second pass that fills Issue.Extra.
type rawFields struct {
	Fields map[string]json.RawMessage `json:"fields"`
}

// keepExtra copies the requested raw fields from a second decoding.
func keepExtra(is *Issue, rf *rawFields, extra []string) {
	is.Extra = make(map[string]json.RawMessage, len(extra))
	for _, id := range extra {
		if v, ok := rf.Fields[id]; ok {
			// A copy: the answer's buffer is reused once decoding is over.
			is.Extra[id] = append(json.RawMessage(nil), v...)
		}
	}
}

// SearchRequest is the body of POST /rest/api/2/search.
type SearchRequest struct {
	JQL        string   `json:"jql"`
	StartAt    int      `json:"startAt"`
	MaxResults int      `json:"maxResults"`
	Fields     []string `json:"fields,omitempty"`
	Expand     []string `json:"expand,omitempty"`
}

// SearchResult is Jira's answer to a search.
type SearchResult struct {
	StartAt    int     `json:"startAt"`
	MaxResults int     `json:"maxResults"`
	Total      int     `json:"total"`
	Issues     []Issue `json:"issues"`
}

// Search runs JQL. It always POSTs, so queries of any length work. The
// fields named in extra (which must also be in r.Fields) are kept raw in
// each issue's Extra.
func (c *Client) Search(ctx context.Context, r SearchRequest, extra ...string) (*SearchResult, error) {
	out := SearchResult{Issues: make([]Issue, 0, min(max(r.MaxResults, 0), 100))}
	var then func([]byte) error
	if len(extra) > 0 {
		then = func(raw []byte) error {
			var second struct{ Issues []rawFields }
			if err := gojson.Unmarshal(raw, &second); err != nil {
				return fmt.Errorf("decode search fields: %w", err)
			}
			for i := range out.Issues {
				if i < len(second.Issues) {
					keepExtra(&out.Issues[i], &second.Issues[i], extra)
				}
			}
			return nil
		}
	}
	if err := c.doThen(ctx, "POST", "rest/api/2/search", nil, r, &out, then); err != nil {
		return nil, err
	}
	return &out, nil
}

// GetIssue reads one issue. fields and expand may be nil (Jira's
// defaults). The fields named in extra are kept raw in Extra.
func (c *Client) GetIssue(ctx context.Context, key string, fields, expand []string, extra ...string) (*Issue, error) {
	q := url.Values{}
	if len(fields) > 0 {
		q.Set("fields", strings.Join(fields, ","))
	}
	if len(expand) > 0 {
		q.Set("expand", strings.Join(expand, ","))
	}
	var out Issue
	var then func([]byte) error
	if len(extra) > 0 {
		then = func(raw []byte) error {
			var rf rawFields
			if err := gojson.Unmarshal(raw, &rf); err != nil {
				return fmt.Errorf("decode issue fields: %w", err)
			}
			keepExtra(&out, &rf, extra)
			return nil
		}
	}
	if err := c.doThen(ctx, "GET", issuePath(key), q, nil, &out, then); err != nil {
		return nil, err
	}
	return &out, nil
}

// FieldSchema is a field's type: "string", "number", "option", "array"
// (with Items), "user"...; System or Custom name the field's kind.
type FieldSchema struct {
	Type   string `json:"type"`
	Items  string `json:"items,omitempty"`
	System string `json:"system,omitempty"`
	Custom string `json:"custom,omitempty"`
}

// TransitionField describes a field on a transition's screen.
type TransitionField struct {
	Required        bool              `json:"required"`
	Name            string            `json:"name"`
	HasDefaultValue bool              `json:"hasDefaultValue"`
	Operations      []string          `json:"operations,omitempty"`
	AllowedValues   []json.RawMessage `json:"allowedValues,omitempty"`
	Schema          FieldSchema       `json:"schema"`
}

// Transition is one workflow transition available on an issue.
type Transition struct {
	ID     string                     `json:"id"`
	Name   string                     `json:"name"`
	To     Status                     `json:"to"`
	Fields map[string]TransitionField `json:"fields,omitempty"`
}

// Transitions lists the transitions the user may make now, with the fields
// of each transition's screen.
func (c *Client) Transitions(ctx context.Context, key string) ([]Transition, error) {
	var out struct {
		Transitions []Transition `json:"transitions"`
	}
	q := url.Values{"expand": {"transitions.fields"}}
	if err := c.do(ctx, "GET", issuePath(key)+"/transitions", q, nil, &out); err != nil {
		return nil, err
	}
	return out.Transitions, nil
}

// Visibility restricts a comment to a group or a project role.
type Visibility struct {
	Type  string `json:"type"` // "group" or "role"
	Value string `json:"value"`
}

// CommentInput is a new comment.
type CommentInput struct {
	Body       string      `json:"body"`
	Visibility *Visibility `json:"visibility,omitempty"`
}

// TransitionRequest moves an issue. Only what is set is sent: Jira rejects
// empty objects such as "fields":{"resolution":{}}.
type TransitionRequest struct {
	ID      string
	Fields  map[string]any
	Comment *CommentInput
}

// DoTransition performs a transition, with its screen's fields and an
// optional comment in the same request (so the comment is never added
// without the transition, nor twice).
func (c *Client) DoTransition(ctx context.Context, key string, r TransitionRequest) error {
	body := map[string]any{"transition": map[string]string{"id": r.ID}}
	if len(r.Fields) > 0 {
		body["fields"] = r.Fields
	}
	if r.Comment != nil {
		body["update"] = map[string]any{"comment": []any{map[string]any{"add": r.Comment}}}
	}
	return c.do(ctx, "POST", issuePath(key)+"/transitions", nil, body, nil)
}

// Comment is an issue comment.
type Comment struct {
	ID           string      `json:"id"`
	Self         string      `json:"self,omitempty"`
	Author       *User       `json:"author,omitempty"`
	UpdateAuthor *User       `json:"updateAuthor,omitempty"`
	Body         string      `json:"body"`
	Created      Time        `json:"created"`
	Updated      Time        `json:"updated"`
	Visibility   *Visibility `json:"visibility,omitempty"`
	RenderedBody string      `json:"renderedBody,omitempty"` // Jira's HTML of Body (expand=renderedBody)
}

// CommentPage is one page of an issue's comments.
type CommentPage struct {
	StartAt    int       `json:"startAt"`
	MaxResults int       `json:"maxResults"`
	Total      int       `json:"total"`
	Comments   []Comment `json:"comments"`
}

// Comments reads a page of comments, newest first when newestFirst.
func (c *Client) Comments(ctx context.Context, key string, startAt, maxResults int, newestFirst bool) (*CommentPage, error) {
	q := url.Values{
		"startAt":    {strconv.Itoa(startAt)},
		"maxResults": {strconv.Itoa(maxResults)},
	}
	if newestFirst {
		q.Set("orderBy", "-created")
	} else {
		q.Set("orderBy", "created")
	}
	q.Set("expand", "renderedBody") // the tools read bodies as Markdown made from Jira's HTML
	var out CommentPage
	if err := c.do(ctx, "GET", issuePath(key)+"/comment", q, nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// AddComment adds a comment and returns it as Jira stored it.
func (c *Client) AddComment(ctx context.Context, key string, in CommentInput) (*Comment, error) {
	var out Comment
	if err := c.do(ctx, "POST", issuePath(key)+"/comment", nil, in, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// Field is a Jira field definition from /rest/api/2/field.
type Field struct {
	ID     string       `json:"id"`
	Key    string       `json:"key,omitempty"`
	Name   string       `json:"name"`
	Custom bool         `json:"custom"`
	Schema *FieldSchema `json:"schema,omitempty"`
}

// Fields returns the instance's field definitions, cached for a while.
// reload asks for a fresh read (when a name is not found), which is made
// at most once a minute (fieldsReloadEvery); otherwise the cached list is
// the answer.
func (c *Client) Fields(ctx context.Context, reload bool) ([]Field, error) {
	for {
		c.fieldsMu.Lock()
		now := c.now()
		if reload && c.fields != nil && now.Sub(c.fieldsForced) < fieldsReloadEvery {
			reload = false // forced a minute ago or less
		}
		if !reload && c.fields != nil && now.Sub(c.fieldsAt) < fieldsTTL {
			out := c.fields
			c.fieldsMu.Unlock()
			return out, nil
		}
		if wait := c.fieldsLoad; wait != nil {
			// Another call is reading /field: wait for it, as long as this
			// call's own context allows, then use what it read.
			c.fieldsMu.Unlock()
			select {
			case <-wait:
				reload = false // a read that started after this call asked
				continue
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
		done := make(chan struct{})
		c.fieldsLoad = done
		if reload {
			c.fieldsForced = now
		}
		c.fieldsMu.Unlock()

		var out []Field
		err := c.do(ctx, "GET", "rest/api/2/field", nil, nil, &out)
		c.fieldsMu.Lock()
		c.fieldsLoad = nil
		if err == nil {
			c.fields, c.fieldsAt = out, c.now()
		}
		c.fieldsMu.Unlock()
		close(done)
		if err != nil {
			return nil, err
		}
		return out, nil
	}
}

func issuePath(key string) string {
	return "rest/api/2/issue/" + url.PathEscape(key)
}

// Time parses Jira's timestamps ("2026-11-25T14:02:11.000+0000").
type Time struct{ time.Time }

// jiraTimeLayouts are the forms Jira DC uses for date-times and dates.
var jiraTimeLayouts = []string{
	"2006-01-02T15:04:05.000-0700",
	"2006-01-02T15:04:05.000Z07:00",
	time.RFC3339Nano,
	"2006-01-02",
}

// ParseTime parses a Jira timestamp or date.
func ParseTime(s string) (time.Time, error) {
	for _, l := range jiraTimeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("unrecognized Jira time %q", s)
}

// UnmarshalJSON accepts Jira's formats and null.
func (t *Time) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	if s == "" {
		return nil
	}
	v, err := ParseTime(s)
	if err != nil {
		return err
	}
	t.Time = v
	return nil
}

// MarshalJSON writes Jira's own format.
func (t Time) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(t.Format("2006-01-02T15:04:05.000-0700"))
}

// Myself returns the user the credentials belong to.
func (c *Client) Myself(ctx context.Context) (*User, error) {
	var out User
	if err := c.do(ctx, "GET", "rest/api/2/myself", nil, nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}
