package emulator

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Issues: GET /rest/api/2/issue/{key}, and how an issue is rendered there
// and in search results.

func (e *Emulator) getIssue(w http.ResponseWriter, r *http.Request, u *user) {
	q := r.URL.Query()
	sel := parseFieldSelection(q["fields"], false)
	exp := expandSet(q["expand"])
	e.answer(w, http.StatusOK, func(db *database) (any, error) {
		is, err := db.browsableIssue(u, r.PathValue("key"))
		if err != nil {
			return nil, err
		}
		m := e.issueJSON(db, u, is, sel, exp)
		m["expand"] = "renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations"
		addNamesAndSchema(m, db, sel, exp)
		if exp["changelog"] {
			m["changelog"] = e.changelogJSON(db, is)
		}
		if exp["transitions"] || exp["transitions.fields"] {
			ts := []any{}
			for _, t := range db.transitionsFor(u, is) {
				ts = append(ts, e.transitionJSON(db, t, exp["transitions.fields"]))
			}
			m["transitions"] = ts
		}
		return m, nil
	})
}

// fieldSelection is Jira's IncludedFields: ids, *all, *navigable and -id.
type fieldSelection struct {
	all, nav bool
	include  map[string]bool
	exclude  map[string]bool
}

// parseFieldSelection reads fields parameters; with none, search selects
// the navigable fields and GET issue all of them.
func parseFieldSelection(params []string, search bool) fieldSelection {
	s := fieldSelection{include: map[string]bool{}, exclude: map[string]bool{}}
	positive := false
	for _, f := range splitParams(params) {
		switch {
		case f == "*all":
			s.all, positive = true, true
		case f == "*navigable":
			s.nav, positive = true, true
		case strings.HasPrefix(f, "-"):
			s.exclude[f[1:]] = true
		default:
			s.include[f] = true
			positive = true
		}
	}
	if !positive {
		if search {
			s.nav = true
		} else {
			s.all = true
		}
	}
	return s
}

func (s fieldSelection) includes(f *fieldDef) bool {
	if s.exclude[f.id] || f.id == "issuekey" {
		return false
	}
	return s.all || s.nav && f.navigable || s.include[f.id]
}

// splitParams splits comma-separated parameters, dropping empty items.
func splitParams(params []string) []string {
	var out []string
	for _, p := range params {
		for _, x := range strings.Split(p, ",") {
			if x = strings.TrimSpace(x); x != "" {
				out = append(out, x)
			}
		}
	}
	return out
}

func expandSet(params []string) map[string]bool {
	m := map[string]bool{}
	for _, x := range splitParams(params) {
		m[x] = true
	}
	return m
}

// addNamesAndSchema answers expand=names and expand=schema: the display
// name and schema of every selected field.
func addNamesAndSchema(out map[string]any, db *database, sel fieldSelection, exp map[string]bool) {
	if !exp["names"] && !exp["schema"] {
		return
	}
	names, schema := map[string]any{}, map[string]any{}
	for _, f := range db.fields {
		if sel.includes(f) {
			names[f.id] = f.name
			if f.schemaType != "" {
				schema[f.id] = f.schemaJSON()
			}
		}
	}
	if exp["names"] {
		out["names"] = names
	}
	if exp["schema"] {
		out["schema"] = schema
	}
}

func (e *Emulator) issueSelf(is *issue) string {
	return e.baseURL + "/rest/api/2/issue/" + strconv.Itoa(is.id)
}

func (e *Emulator) issueJSON(db *database, u *user, is *issue, sel fieldSelection, exp map[string]bool) map[string]any {
	fields := map[string]any{}
	var rendered map[string]any
	if exp["renderedFields"] {
		rendered = map[string]any{}
	}
	v := issueView{e, db, u, is}
	for _, f := range db.fields {
		if !sel.includes(f) {
			continue
		}
		val, present := v.field(f.id)
		if !present {
			continue
		}
		fields[f.id] = val
		if rendered != nil {
			rendered[f.id] = v.rendered(f.id)
		}
	}
	m := map[string]any{"id": strconv.Itoa(is.id), "self": e.issueSelf(is), "key": is.key, "fields": fields}
	if rendered != nil {
		m["renderedFields"] = rendered
	}
	return m
}

// issueView is an issue as a user sees it, being rendered.
type issueView struct {
	e  *Emulator
	db *database
	u  *user
	is *issue
}

// field renders one field of the issue; present is false for fields Jira
// leaves out (parent on an issue that is not a sub-task).
func (v issueView) field(id string) (val any, present bool) {
	if id == "parent" && v.is.parent == nil {
		return nil, false
	}
	if f := fieldRenderers[id]; f != nil {
		return f(v), true
	}
	return nil, false
}

// fieldRenderers render each field of an issue, by field id.
var fieldRenderers = map[string]func(v issueView) any{
	"summary":     func(v issueView) any { return v.is.summary },
	"description": func(v issueView) any { return strOrNil(v.is.description) },
	"environment": func(v issueView) any { return strOrNil(v.is.environment) },
	"issuetype": func(v issueView) any {
		return v.e.raw("issuetype", v.is.typ.id, func() any { return v.e.issueTypeJSON(v.is.typ) })
	},
	"project": func(v issueView) any {
		return v.e.raw("project", v.is.project.key, func() any { return v.e.projectJSON(v.is.project, false, v.db) })
	},
	"status":         func(v issueView) any { return v.e.statusRaw(v.is.status) },
	"priority":       func(v issueView) any { return v.e.priorityRaw(v.is.priority) },
	"resolution":     func(v issueView) any { return v.e.resolutionRaw(v.is.resolution) },
	"resolutiondate": func(v issueView) any { return fmtTime(v.is.resolved) },
	"assignee":       func(v issueView) any { return v.e.userRaw(v.db, v.is.assignee) },
	"reporter":       func(v issueView) any { return v.e.userRaw(v.db, v.is.reporter) },
	"creator":        func(v issueView) any { return v.e.userRaw(v.db, v.is.creator) },
	"labels":         func(v issueView) any { return append([]string{}, v.is.labels...) },
	"components":     func(v issueView) any { return v.e.componentsRaw(v.is.components) },
	"fixVersions":    func(v issueView) any { return v.e.versionsRaw(v.is.fixVersions) },
	"created":        func(v issueView) any { return fmtTime(v.is.created) },
	"updated":        func(v issueView) any { return fmtTime(v.is.updated) },
	"duedate":        func(v issueView) any { return fmtDate(v.is.due) },
	"comment":        func(v issueView) any { return v.comments(false) },
	"subtasks": func(v issueView) any {
		out := make([]any, 0, len(v.is.subtasks))
		for _, s := range v.is.subtasks {
			out = append(out, v.e.miniIssueJSON(s))
		}
		return out
	},
	"parent":         func(v issueView) any { return v.e.miniIssueJSON(v.is.parent) },
	"attachment":     func(v issueView) any { return v.attachmentsField() },
	"issuelinks":     func(v issueView) any { return v.issueLinks() },
	"worklog":        func(v issueView) any { return v.e.worklogPage(v.db, v.is, v.is.worklogs) },
	"timetracking":   func(v issueView) any { return v.timeTracking() },
	fieldSprint:      func(v issueView) any { return sprintStrings(v.is.sprints) },
	fieldStoryPoints: func(v issueView) any { return floatOrNil(v.is.storyPoints) },
	fieldEpicLink: func(v issueView) any {
		if v.is.epicLink == nil {
			return nil
		}
		return v.is.epicLink.key
	},
	fieldEpicName:   func(v issueView) any { return strOrNil(v.is.epicName) },
	fieldReviewTeam: func(v issueView) any { return v.e.optionOrNil(v.is.reviewTeam) },
	fieldTeam:       func(v issueView) any { return v.e.optionOrNil(v.is.team) },
	fieldTeamText:   func(v issueView) any { return strOrNil(v.is.teamText) },
}

// rendered is a field's renderedFields value.
func (v issueView) rendered(id string) any {
	is := v.is
	switch id {
	case "description":
		return renderWiki(is.description)
	case "environment":
		return renderWiki(is.environment)
	case "created":
		return renderTime(is.created)
	case "updated":
		return renderTime(is.updated)
	case "resolutiondate":
		return renderTime(is.resolved)
	case "duedate":
		if is.due.IsZero() {
			return nil
		}
		return is.due.Format("02/Jan/06")
	case "comment":
		return v.comments(true)
	}
	return nil
}

// comments is the comment field: the comments the user may see, rendered
// as HTML for renderedFields.
func (v issueView) comments(rendered bool) map[string]any {
	cs := v.db.visibleComments(v.u, v.is)
	out := make([]any, len(cs))
	for i, c := range cs {
		m := v.e.commentJSON(v.db, v.is, c, false)
		if rendered {
			m["body"] = renderWiki(c.body)
			m["created"], m["updated"] = renderTime(c.created), renderTime(c.updated)
		}
		out[i] = m
	}
	return map[string]any{"comments": out, "maxResults": len(cs), "total": len(cs), "startAt": 0}
}

func strOrNil(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func floatOrNil(f *float64) any {
	if f == nil {
		return nil
	}
	return *f
}

// sprintStrings renders the Sprint field as Jira DC's REST API does: the
// toString of GreenHopper's Sprint objects.
func sprintStrings(ss []*sprint) any {
	if len(ss) == 0 {
		return nil
	}
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = sprintString(s)
	}
	return out
}

func sprintString(s *sprint) string {
	t := func(x time.Time) string {
		if x.IsZero() {
			return "<null>"
		}
		return x.UTC().Format("2006-01-02T15:04:05.000Z")
	}
	return fmt.Sprintf("com.atlassian.greenhopper.service.sprint.Sprint@%x[id=%d,rapidViewId=%d,state=%s,name=%s,startDate=%s,endDate=%s,completeDate=%s,activatedDate=%s,sequence=%d,goal=%s,synced=false,autoStartStop=false,incompleteIssuesDestinationId=<null>]",
		0x5f3a0000+s.id, s.id, s.board, s.state, s.name, t(s.start), t(s.end), t(s.completeDate), t(s.start), s.id, s.goal)
}

func (e *Emulator) miniIssueJSON(is *issue) map[string]any {
	f := map[string]any{"summary": is.summary, "status": e.statusRaw(is.status), "issuetype": e.issueTypeJSON(is.typ)}
	if is.priority != nil {
		f["priority"] = e.priorityJSON(is.priority)
	}
	return map[string]any{"id": strconv.Itoa(is.id), "key": is.key, "self": e.issueSelf(is), "fields": f}
}
