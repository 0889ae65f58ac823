package emulator

import (
	"html"
	"strconv"
	"strings"
	"time"
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
		sys("issuekey", "Key", "", true, false, false, "id", "issue", "issuekey", "key"),
		cf(fieldSprint, "Sprint", "array", "string", "com.pyxis.greenhopper.jira:gh-sprint"),
		cf(fieldStoryPoints, "Story Points", "number", "", "com.atlassian.jira.plugin.system.customfieldtypes:float"),
		cf(fieldEpicLink, "Epic Link", "any", "", "com.pyxis.greenhopper.jira:gh-epic-link"),
		cf(fieldEpicName, "Epic Name", "string", "", "com.pyxis.greenhopper.jira:gh-epic-label"),
		cf(fieldReviewTeam, "Review Team", "option", "", "com.atlassian.jira.plugin.system.customfieldtypes:select"),
		cf(fieldTeam, "Team", "option", "", "com.atlassian.jira.plugin.system.customfieldtypes:select"),
		cf(fieldTeamText, "Team", "string", "", "com.atlassian.jira.plugin.system.customfieldtypes:textfield"),
	}
	items := map[string]string{"attachment": "attachment", "labels": "string", "subtasks": "issuelinks", "components": "component", "fixVersions": "version"}
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

// renderWiki turns wiki markup into the HTML Jira's renderer would roughly
// produce: paragraphs, headings, lists, code blocks and bold text.
func renderWiki(s string) any {
	if s == "" {
		return nil
	}
	var b strings.Builder
	inCode, inList := false, ""
	closeList := func() {
		if inList != "" {
			b.WriteString("</" + inList + ">\n")
			inList = ""
		}
	}
	for _, line := range strings.Split(s, "\n") {
		if strings.HasPrefix(line, "{code") {
			closeList()
			if inCode {
				b.WriteString("</pre>\n</div></div>\n")
			} else {
				b.WriteString("<div class=\"code panel\"><div class=\"codeContent panelContent\">\n<pre class=\"code-java\">")
			}
			inCode = !inCode
			continue
		}
		if inCode {
			b.WriteString(html.EscapeString(line) + "\n")
			continue
		}
		text := html.EscapeString(line)
		text = boldRE(text)
		switch {
		case strings.HasPrefix(line, "h3. "):
			closeList()
			b.WriteString("<h3><a name=\"\"></a>" + text[4:] + "</h3>\n")
		case strings.HasPrefix(line, "# ") || strings.HasPrefix(line, "* "):
			tag := "ol"
			if line[0] == '*' && !strings.HasPrefix(line, "*Expected") && !strings.HasPrefix(line, "*Actual") {
				tag = "ul"
			}
			if inList != tag {
				closeList()
				b.WriteString("<" + tag + ">\n")
				inList = tag
			}
			b.WriteString("\t<li>" + text[2:] + "</li>\n")
		case strings.TrimSpace(line) == "":
			closeList()
		default:
			closeList()
			b.WriteString("<p>" + text + "</p>\n")
		}
	}
	closeList()
	if inCode {
		b.WriteString("</pre>\n</div></div>\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

// boldRE renders *bold* spans without pulling in regexp for a hot path.
func boldRE(s string) string {
	if strings.Count(s, "*") < 2 {
		return s
	}
	var b strings.Builder
	open := false
	for i := 0; i < len(s); i++ {
		if s[i] == '*' && (open || strings.IndexByte(s[i+1:], '*') > 0) {
			if open {
				b.WriteString("</b>")
			} else {
				b.WriteString("<b>")
			}
			open = !open
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
