package emulator

import (
	"strconv"
	"time"
)

// IssueState is a snapshot of an issue, for tests that assert on what the
// emulator holds after a client wrote to it.
type IssueState struct {
	ID, Key, Project, Type       string
	Summary, Status, Resolution  string // Resolution is "" when unresolved
	Assignee, Reporter, Priority string // user names; "" when unassigned
	Labels                       []string
	Components, FixVersions      []string // names, in the issue's order
	StoryPoints                  *float64
	EpicLink, ReviewTeam         string
	Created, Updated, Resolved   time.Time
	Comments                     []CommentState // oldest first, restricted ones included
}

// CommentState is a snapshot of a comment.
type CommentState struct {
	ID, Author, Body                string
	VisibilityType, VisibilityValue string // "" when the comment is public
	Created                         time.Time
}

// Issue returns a snapshot of the issue with the given key or id,
// regardless of permissions.
func (e *Emulator) Issue(idOrKey string) (IssueState, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	is := e.db.lookupIssue(idOrKey)
	if is == nil {
		return IssueState{}, false
	}
	s := IssueState{
		ID: strconv.Itoa(is.id), Key: is.key, Project: is.project.key, Type: is.typ.name,
		Summary: is.summary, Status: is.status.name,
		Assignee: is.assignee, Reporter: is.reporter,
		Labels:  append([]string(nil), is.labels...),
		Created: is.created, Updated: is.updated, Resolved: is.resolved,
	}
	if is.resolution != nil {
		s.Resolution = is.resolution.name
	}
	if is.priority != nil {
		s.Priority = is.priority.name
	}
	if is.storyPoints != nil {
		v := *is.storyPoints
		s.StoryPoints = &v
	}
	if is.epicLink != nil {
		s.EpicLink = is.epicLink.key
	}
	if is.reviewTeam != nil {
		s.ReviewTeam = is.reviewTeam.value
	}
	for _, c := range is.components {
		s.Components = append(s.Components, c.name)
	}
	for _, v := range is.fixVersions {
		s.FixVersions = append(s.FixVersions, v.name)
	}
	for _, c := range is.comments {
		s.Comments = append(s.Comments, CommentState{ID: strconv.Itoa(c.id), Author: c.author, Body: c.body, VisibilityType: c.visType, VisibilityValue: c.visValue, Created: c.created})
	}
	return s, true
}
