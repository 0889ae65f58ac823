package emulator

import (
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/jira-mcp/jira-mcp/tools/jira/emulator/jql"
)

// This file hands the data to the JQL engine (package jql) as one user
// sees it: what they may not browse is left out, so it does not exist for
// their queries, as in Jira.

// Search limits, as Jira 10 applies them.
const (
	defaultMaxResults = 50
	maxMaxResults     = 1000
	maxResultWindow   = 10000
)

// searchQuery is a decoded search request.
type searchQuery struct {
	jql               string
	validate          bool
	startAt, maxCount int
}

// searchResult is what a search found: the whole result set in order, and
// the warnings of a query that was not validated.
type searchResult struct {
	hits     []*issue
	warnings []string
}

// search compiles and runs a query as u. It answers Jira's 400 for a
// query Jira refuses and 500 for a page past the result window.
func (db *database) search(u *user, q searchQuery) (searchResult, error) {
	d := db.jqlData(u)
	cq, err := jql.Compile(q.jql, d, q.validate)
	if err != nil {
		var je *jql.Error
		if errors.As(err, &je) {
			return searchResult{}, badRequest(je.Messages...)
		}
		return searchResult{}, &apiError{status: 500, messages: []string{err.Error()}}
	}
	if q.startAt+q.maxCount > maxResultWindow {
		// Jira 10 refuses deep pagination with a server error.
		return searchResult{}, &apiError{status: 500, messages: []string{fmt.Sprintf("Result window is too large, startAt + maxResults must be less than or equal to: [%d] but was [%d].", maxResultWindow, q.startAt+q.maxCount)}}
	}
	found := cq.Search(d.Issues)
	hits := make([]*issue, len(found))
	for i, ji := range found {
		hits[i] = db.byID[ji.ID]
	}
	return searchResult{hits: hits, warnings: cq.Warnings}, nil
}

// jqlData is what u's queries see. The view is built once per user and
// kept until the data changes (see database.changed); only the clock is
// read anew.
func (db *database) jqlData(u *user) *jql.Data {
	if db.views == nil || db.viewsOf != db.version {
		db.views, db.viewsOf = map[*user]*jql.Data{}, db.version
	}
	d, ok := db.views[u]
	if !ok {
		d = db.newJQLData(u)
		db.views[u] = d
	}
	view := *d
	view.Now = db.now().UTC()
	return &view
}

func (db *database) newJQLData(u *user) *jql.Data {
	d := &jql.Data{
		User:       u.name,
		Categories: []jql.Category{jqlCategory(catNew), jqlCategory(catProg), jqlCategory(catDone), jqlCategory(catNone)},
		Options:    map[string][]jql.Option{fieldReviewTeam: jqlOptions(db.reviewTeams), fieldTeam: jqlOptions(db.teams)},
	}
	for _, f := range db.fields {
		if k, ok := jqlKinds[f.customType]; ok {
			d.Fields = append(d.Fields, jql.Field{ID: f.id, Kind: k, Clauses: f.clauseNames})
		}
	}
	for _, p := range db.projects {
		if db.canBrowse(u, p) {
			d.Projects = append(d.Projects, jqlProject(p))
			d.Components = append(d.Components, convert(p.components, jqlComponent)...)
			d.Versions = append(d.Versions, convert(p.versions, jqlVersion)...)
		}
	}
	for _, name := range db.userOrder {
		x := db.users[name]
		groups := slices.Sorted(maps.Keys(x.groups))
		d.Users = append(d.Users, jql.User{Name: x.name, DisplayName: x.displayName, Email: x.email, Groups: groups})
	}
	d.Statuses = convert(db.statuses, jqlStatus)
	d.Priorities = convert(db.priorities, jqlPriority)
	d.Resolutions = convert(db.resolutions, jqlResolution)
	d.Types = convert(db.types, jqlType)
	d.Sprints = convert(db.sprints, jqlSprint)
	for _, is := range db.issues {
		if db.canBrowse(u, is.project) {
			d.Issues = append(d.Issues, db.jqlIssue(u, is))
		}
	}
	return d
}

// jqlKinds are how JQL treats the custom field types of the seed.
var jqlKinds = map[string]jql.Kind{
	"com.pyxis.greenhopper.jira:gh-sprint":                        jql.KindSprint,
	"com.atlassian.jira.plugin.system.customfieldtypes:float":     jql.KindNumber,
	"com.pyxis.greenhopper.jira:gh-epic-link":                     jql.KindEpicLink,
	"com.pyxis.greenhopper.jira:gh-epic-label":                    jql.KindText,
	"com.atlassian.jira.plugin.system.customfieldtypes:select":    jql.KindSelect,
	"com.atlassian.jira.plugin.system.customfieldtypes:textfield": jql.KindText,
}

func (db *database) jqlIssue(u *user, is *issue) *jql.Issue {
	ji := &jql.Issue{
		ID: is.id, Key: is.key, Num: is.num,
		Project: jqlProject(is.project), Type: jqlType(is.typ), Status: jqlStatus(is.status),
		Assignee: is.assignee, Reporter: is.reporter, Creator: is.creator,
		Summary: is.summary, Description: is.description, Environment: is.environment,
		Labels:  is.labels,
		Created: is.created, Updated: is.updated, Resolved: is.resolved, Due: is.due,
		Parent: jqlRef(is.parent), EpicLink: jqlRef(is.epicLink),
		Sprints: convert(is.sprints, jqlSprint), Components: convert(is.components, jqlComponent),
		FixVersions: convert(is.fixVersions, jqlVersion),
	}
	if is.priority != nil {
		p := jqlPriority(is.priority)
		ji.Priority = &p
	}
	if is.resolution != nil {
		r := jqlResolution(is.resolution)
		ji.Resolution = &r
	}
	for _, c := range db.visibleComments(u, is) {
		ji.Comments = append(ji.Comments, c.body)
	}
	if is.storyPoints != nil {
		ji.Numbers = map[string]float64{fieldStoryPoints: *is.storyPoints}
	}
	if is.reviewTeam != nil || is.team != nil {
		ji.Options = map[string]jql.Option{}
		for id, o := range map[string]*option{fieldReviewTeam: is.reviewTeam, fieldTeam: is.team} {
			if o != nil {
				ji.Options[id] = jql.Option{ID: o.id, Value: o.value}
			}
		}
	}
	if is.epicName != "" || is.teamText != "" {
		ji.Texts = map[string]string{}
		for id, s := range map[string]string{fieldEpicName: is.epicName, fieldTeamText: is.teamText} {
			if s != "" {
				ji.Texts[id] = s
			}
		}
	}
	return ji
}

// convert maps xs through f; nil when xs is empty.
func convert[T, U any](xs []T, f func(T) U) []U {
	if len(xs) == 0 {
		return nil
	}
	out := make([]U, len(xs))
	for i, x := range xs {
		out[i] = f(x)
	}
	return out
}

func jqlProject(p *project) jql.Project { return jql.Project{ID: p.id, Key: p.key, Name: p.name} }

func jqlCategory(c *statusCategory) jql.Category {
	return jql.Category{ID: c.id, Key: c.key, Name: c.name}
}

func jqlStatus(s *status) jql.Status {
	return jql.Status{ID: s.id, Name: s.name, Order: s.order, Category: jqlCategory(s.cat)}
}

func jqlPriority(p *priority) jql.Priority { return jql.Priority{ID: p.id, Name: p.name, Rank: p.rank} }

func jqlResolution(r *resolution) jql.Resolution { return jql.Resolution{ID: r.id, Name: r.name} }

func jqlType(t *issueType) jql.IssueType {
	return jql.IssueType{ID: t.id, Name: t.name, Subtask: t.subtask}
}

func jqlSprint(s *sprint) jql.Sprint { return jql.Sprint{ID: s.id, Name: s.name, State: s.state} }

func jqlComponent(c *component) jql.Component { return jql.Component{ID: c.id, Name: c.name} }

func jqlVersion(v *version) jql.Version {
	return jql.Version{ID: v.id, Name: v.name, Project: v.project.id, Seq: v.seq, Released: v.released, Archived: v.archived}
}

func jqlOptions(os []option) []jql.Option {
	out := make([]jql.Option, len(os))
	for i, o := range os {
		out[i] = jql.Option{ID: o.id, Value: o.value}
	}
	return out
}

func jqlRef(is *issue) *jql.Ref {
	if is == nil {
		return nil
	}
	return &jql.Ref{ID: is.id, Project: is.project.key, Num: is.num}
}
