package emulator

// The project list (GET project) with Jira's expansions: description,
// lead, issueTypes, url and projectKeys. Without expand it is the short
// form each project has in an issue.

// projectListJSON renders p as GET project lists it, with the expansions
// asked for.
func (e *Emulator) projectListJSON(db *database, p *project, exp map[string]bool) map[string]any {
	m := e.projectJSON(p, false, db)
	m["expand"] = "description,lead,issueTypes,url,projectKeys"
	m["archived"] = false
	if exp["description"] {
		m["description"] = p.desc
	}
	if exp["lead"] {
		lead := e.userJSON(db, p.lead).(map[string]any)
		delete(lead, "emailAddress")
		delete(lead, "timeZone")
		m["lead"] = lead
	}
	if exp["issueTypes"] {
		types := []any{}
		for _, t := range db.types {
			types = append(types, e.issueTypeJSON(t))
		}
		m["issueTypes"] = types
	}
	if exp["url"] {
		m["url"] = "https://wiki.example.test/display/" + p.key
	}
	if exp["projectKeys"] {
		m["projectKeys"] = []string{p.key}
	}
	return m
}
