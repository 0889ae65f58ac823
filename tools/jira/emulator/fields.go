package emulator

import (
	"strconv"
	"strings"
	"time"

	"github.com/jira-mcp/jira-mcp/tools/markup"
)

// fieldDef is one entry of GET /field.
type fieldDef struct {
	id, name                                 string
	custom, orderable, navigable, searchable bool
	clauseNames                              []string
	schemaType, items, system, customType    string
	customID                                 int
}

func fieldDefs() []*fieldDef {
	sys := func(id, name, typ string, nav, ord, srch bool, clauses ...string) *fieldDef {
		if len(clauses) == 0 {
			clauses = []string{id}
		}
		return &fieldDef{id: id, name: name, navigable: nav, orderable: ord, searchable: srch, clauseNames: clauses, schemaType: typ, system: id}
	}
	cf := func(id, name, typ, items, custom string) *fieldDef {
		n, _ := strconv.Atoi(strings.TrimPrefix(id, "customfield_"))
		return &fieldDef{id: id, name: name, custom: true, orderable: true, navigable: true, searchable: true,
			clauseNames: []string{"cf[" + strconv.Itoa(n) + "]", name}, schemaType: typ, items: items, customType: custom, customID: n}
	}
	fs := []*fieldDef{
		sys("summary", "Summary", "string", true, true, true),
		sys("description", "Description", "string", true, true, true),
		sys("environment", "Environment", "string", true, true, true),
		sys("issuetype", "Issue Type", "issuetype", true, true, true, "issuetype", "type"),
		sys("project", "Project", "project", true, false, true),
		sys("status", "Status", "status", true, false, true),
		sys("priority", "Priority", "priority", true, true, true),
		sys("resolution", "Resolution", "resolution", true, true, true),
		sys("resolutiondate", "Resolved", "datetime", true, false, true, "resolutiondate", "resolved"),
		sys("assignee", "Assignee", "user", true, true, true),
		sys("reporter", "Reporter", "user", true, true, true),
		sys("creator", "Creator", "user", true, false, true),
		sys("labels", "Labels", "array", true, true, true),
		sys("components", "Component/s", "array", true, true, true, "component"),
		sys("fixVersions", "Fix Version/s", "array", true, true, true, "fixVersion"),
		sys("created", "Created", "datetime", true, false, true, "created", "createdDate"),
		sys("updated", "Updated", "datetime", true, false, true, "updated", "updatedDate"),
		sys("duedate", "Due Date", "date", true, true, true, "due", "duedate"),
		sys("comment", "Comment", "comments-page", false, true, true),
		sys("subtasks", "Sub-Tasks", "array", true, false, true, "subtasks"),
		sys("parent", "Parent", "", false, false, true, "parent"),
		sys("attachment", "Attachment", "array", false, true, true, "attachments"),
		sys("issuelinks", "Linked Issues", "array", true, true, true, "issueLink"),
		sys("worklog", "Log Work", "array", false, true, true),
		sys("timetracking", "Time tracking", "timetracking", false, true, false),
		sys("issuekey", "Key", "", true, false, false, "id", "issue", "issuekey", "key"),
		cf(fieldSprint, "Sprint", "array", "string", "com.pyxis.greenhopper.jira:gh-sprint"),
		cf(fieldStoryPoints, "Story Points", "number", "", "com.atlassian.jira.plugin.system.customfieldtypes:float"),
		cf(fieldEpicLink, "Epic Link", "any", "", "com.pyxis.greenhopper.jira:gh-epic-link"),
		cf(fieldEpicName, "Epic Name", "string", "", "com.pyxis.greenhopper.jira:gh-epic-label"),
		cf(fieldReviewTeam, "Review Team", "option", "", "com.atlassian.jira.plugin.system.customfieldtypes:select"),
		cf(fieldTeam, "Team", "option", "", "com.atlassian.jira.plugin.system.customfieldtypes:select"),
		cf(fieldTeamText, "Team", "string", "", "com.atlassian.jira.plugin.system.customfieldtypes:textfield"),
	}
	items := map[string]string{"attachment": "attachment", "labels": "string", "subtasks": "issuelinks", "components": "component", "fixVersions": "version", "issuelinks": "issuelinks", "worklog": "worklog"}
	for _, f := range fs {
		if it, ok := items[f.id]; ok {
			f.items = it
		}
	}
	return fs
}

func (f *fieldDef) schemaJSON() map[string]any {
	m := map[string]any{"type": f.schemaType}
	if f.items != "" {
		m["items"] = f.items
	}
	if f.custom {
		m["custom"] = f.customType
		m["customId"] = f.customID
	} else {
		m["system"] = f.system
	}
	return m
}

func (f *fieldDef) json() map[string]any {
	m := map[string]any{
		"id": f.id, "name": f.name, "custom": f.custom, "orderable": f.orderable,
		"navigable": f.navigable, "searchable": f.searchable, "clauseNames": f.clauseNames,
	}
	if !f.custom {
		m["key"] = f.id
	}
	if f.schemaType != "" {
		m["schema"] = f.schemaJSON()
	}
	return m
}

// Jira formats.

const jiraTime = "2006-01-02T15:04:05.000-0700"

func fmtTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format(jiraTime)
}

func fmtDate(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format("2006-01-02")
}

func renderTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format("02/Jan/06 3:04 PM")
}

// renderWiki renders wiki markup to HTML shaped like Jira DC's
// renderedFields and renderedBody, with the renderer jira-mcp's tools read
// back (tools/markup), so the emulator's rendering and the tools' reading
// are tested against each other.
func renderWiki(s string) any {
	if s == "" {
		return nil
	}
	return markup.WikiToHTML(s, markup.HTMLOptions{DisplayName: seedDisplayName})
}

// seedDisplayName is a seed user's display name, for mentions.
func seedDisplayName(name string) string {
	for _, u := range seedUsers {
		if u.name == name {
			return u.display
		}
	}
	return ""
}
