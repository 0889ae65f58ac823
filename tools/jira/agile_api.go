package jira

import (
	"context"
	"net/url"
	"strconv"
	"strings"
)

// Jira Software's agile REST API (/rest/agile/1.0): boards, sprints, and
// moving issues between sprints and the backlog.

// Board is a Jira Software board.
type Board struct {
	ID   int    `json:"id"`
	Name string `json:"name"`
	Type string `json:"type"` // scrum or kanban; only scrum boards have sprints
}

// Sprint is a sprint as the agile API gives it. State is lower case:
// active, future or closed.
type Sprint struct {
	ID            int    `json:"id"`
	Name          string `json:"name"`
	State         string `json:"state"`
	Goal          string `json:"goal,omitempty"`
	StartDate     Time   `json:"startDate"`
	EndDate       Time   `json:"endDate"`
	CompleteDate  Time   `json:"completeDate"`
	OriginBoardID int    `json:"originBoardId"`
}

// agilePage is one page of an agile API list.
type agilePage[T any] struct {
	StartAt    int  `json:"startAt"`
	MaxResults int  `json:"maxResults"`
	IsLast     bool `json:"isLast"`
	Values     []T  `json:"values"`
}

// maxAgilePages bounds how many pages a listing reads: 50 a page, so 1,000
// boards or sprints, more than any board shows.
const maxAgilePages = 20

// agileList reads every page of an agile API list.
func agileList[T any](ctx context.Context, c *Client, path string, q url.Values) ([]T, error) {
	var out []T
	for range maxAgilePages {
		q.Set("startAt", strconv.Itoa(len(out)))
		var p agilePage[T]
		if err := c.do(ctx, "GET", path, q, nil, &p); err != nil {
			return nil, err
		}
		out = append(out, p.Values...)
		if p.IsLast || len(p.Values) == 0 {
			break
		}
	}
	return out, nil
}

// Boards lists the boards the user can see, those of one project when
// project (a key or id) is not "".
func (c *Client) Boards(ctx context.Context, project string) ([]Board, error) {
	q := url.Values{}
	if project != "" {
		q.Set("projectKeyOrId", project)
	}
	return agileList[Board](ctx, c, "rest/agile/1.0/board", q)
}

// BoardSprints lists a board's sprints in the given states (active,
// future, closed; none: all), closed first, then active, then future.
func (c *Client) BoardSprints(ctx context.Context, board int, states []string) ([]Sprint, error) {
	q := url.Values{}
	if len(states) > 0 {
		q.Set("state", strings.Join(states, ","))
	}
	return agileList[Sprint](ctx, c, "rest/agile/1.0/board/"+strconv.Itoa(board)+"/sprint", q)
}

// Sprint reads one sprint.
func (c *Client) Sprint(ctx context.Context, id int) (*Sprint, error) {
	var out Sprint
	if err := c.do(ctx, "GET", "rest/agile/1.0/sprint/"+strconv.Itoa(id), nil, nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// MaxMoved is how many issues Jira moves in one request.
const MaxMoved = 50

// MoveToSprint moves issues (at most MaxMoved) into a sprint, out of
// their other open sprints.
func (c *Client) MoveToSprint(ctx context.Context, sprint int, keys []string) error {
	return c.do(ctx, "POST", "rest/agile/1.0/sprint/"+strconv.Itoa(sprint)+"/issue", nil, map[string]any{"issues": keys}, nil)
}

// MoveToBacklog moves issues (at most MaxMoved) out of their active and
// future sprints.
func (c *Client) MoveToBacklog(ctx context.Context, keys []string) error {
	return c.do(ctx, "POST", "rest/agile/1.0/backlog/issue", nil, map[string]any{"issues": keys}, nil)
}
