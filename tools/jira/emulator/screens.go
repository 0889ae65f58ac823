package emulator

import (
	"net/http"
	"slices"
	"strconv"
)

// Screens: which fields the create and edit screens hold, which of them
// are required, and how GET createmeta and editmeta describe each one
// (FieldMetaBean). Every project shares one screen scheme, with two
// differences a client must read from the metadata rather than assume:
// Component/s is required on API's screens, and Epic Name on the Epic
// issue type's.

func put(h apiHandler) method { return method{http.MethodPut, h} }

// screenField is one field of a screen.
type screenField struct {
	id       string
	required bool
}

// requiredComponents are the projects whose screens require Component/s.
var requiredComponents = map[string]bool{"API": true}

// createScreen is the create screen of typ in p, in screen order.
func (db *database) createScreen(p *project, typ *issueType) []screenField {
	fs := []screenField{{"project", true}, {"issuetype", true}}
	if typ.subtask {
		fs = append(fs, screenField{"parent", true})
	}
	fs = append(fs, screenField{"summary", true})
	if typ.name == "Epic" {
		fs = append(fs, screenField{fieldEpicName, true})
	}
	fs = append(fs,
		screenField{"components", requiredComponents[p.key]},
		screenField{"description", false},
		screenField{"priority", false},
		screenField{"labels", false},
		screenField{"fixVersions", false},
		screenField{"duedate", false},
		screenField{"assignee", false},
		screenField{"reporter", false},
	)
	switch typ.name {
	case "Bug":
		fs = append(fs, screenField{"environment", false})
	case "Story":
		fs = append(fs, screenField{fieldStoryPoints, false})
	}
	if typ.name != "Epic" && !typ.subtask {
		fs = append(fs, screenField{fieldEpicLink, false}, screenField{fieldSprint, false})
	}
	return append(fs, screenField{fieldTeam, false}, screenField{fieldTeamText, false})
}

// editScreen is the edit screen of an issue: its create screen without
// what is fixed once the issue exists.
func (db *database) editScreen(is *issue) []screenField {
	return slices.DeleteFunc(db.createScreen(is.project, is.typ), func(f screenField) bool {
		return f.id == "project" || f.id == "issuetype" || f.id == "parent" || f.id == "reporter"
	})
}

func onScreen(screen []screenField, id string) bool {
	return slices.ContainsFunc(screen, func(f screenField) bool { return f.id == id })
}

// fieldOperations are the update verbs a field takes on a screen.
func fieldOperations(id string) []string {
	switch id {
	case "labels":
		return []string{"add", "set", "remove"}
	case "components", "fixVersions":
		return []string{"set", "add", "remove"}
	}
	return []string{"set"}
}

// Permissions of the screens. Each project grants Create Issues, Edit
// Issues, Assign Issues and Assignable User to the group that may
// transition its issues; Edit All Comments to its Administrators role.

func (db *database) canCreate(u *user, p *project) bool { return db.canTransition(u, p) }
func (db *database) canEdit(u *user, p *project) bool   { return db.canTransition(u, p) }
func (db *database) canAssign(u *user, p *project) bool { return db.canTransition(u, p) }

// assignable reports whether the user named may be assigned p's issues.
func (db *database) assignable(name string, p *project) bool {
	x := db.users[name]
	return x != nil && x.active && db.inGroup(x, p.transition)
}

// canEditComment is Jira's rule: Edit Own Comments for the author (who
// must still be allowed to comment), Edit All Comments for the others.
func (db *database) canEditComment(u *user, is *issue, c *comment) bool {
	own := !u.isAnonymous() && c.author == u.name && db.canComment(u, is.project)
	return own || db.inRole(u, is.project, "Administrators")
}

// screenFieldJSON renders a field of a screen as a FieldMetaBean; withID
// adds fieldId, as createmeta does (editmeta keys its fields by id).
func (e *Emulator) screenFieldJSON(db *database, p *project, typ *issueType, sf screenField, withID bool) map[string]any {
	f := db.fieldByID[sf.id]
	schema := f.schemaJSON()
	if sf.id == "parent" {
		schema = map[string]any{"type": "issuelink", "system": "parent"}
	}
	m := map[string]any{"required": sf.required, "schema": schema, "name": f.name, "hasDefaultValue": false, "operations": fieldOperations(sf.id)}
	if withID {
		m["fieldId"] = sf.id
	}
	var allowed []any
	switch sf.id {
	case "project":
		allowed = []any{e.projectJSON(p, false, db)}
	case "issuetype":
		allowed = []any{e.issueTypeJSON(typ)}
	case "priority":
		for _, pr := range db.priorities {
			allowed = append(allowed, e.priorityJSON(pr))
		}
		m["hasDefaultValue"], m["defaultValue"] = true, e.priorityJSON(db.priorities[2])
	case "components":
		for _, c := range p.components {
			allowed = append(allowed, e.componentJSON(c, false))
		}
	case "fixVersions":
		for _, v := range p.versions {
			if !v.archived {
				allowed = append(allowed, e.versionJSON(v, false))
			}
		}
	case fieldTeam:
		for _, o := range db.teams {
			allowed = append(allowed, e.optionJSON(o))
		}
	case "assignee", "reporter":
		m["autoCompleteUrl"] = e.baseURL + "/rest/api/latest/user/search?username="
	case "labels":
		m["autoCompleteUrl"] = e.baseURL + "/rest/api/1.0/labels/suggest?query="
	}
	if allowed != nil {
		m["allowedValues"] = allowed
	}
	return m
}

// page is one page of a paged list (Jira 9's createmeta): values from
// startAt, at most maxResults of them.
type page struct{ startAt, maxResults int }

const defaultPageSize = 50

// pageOf reads startAt and maxResults; Jira answers 400 for a value that
// is not a number.
func pageOf(r *http.Request) (page, error) {
	pg := page{maxResults: defaultPageSize}
	q := r.URL.Query()
	for name, dst := range map[string]*int{"startAt": &pg.startAt, "maxResults": &pg.maxResults} {
		if s := q.Get(name); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil || n < 0 {
				return pg, badRequest("The value '" + s + "' of the parameter '" + name + "' is not a valid integer.")
			}
			*dst = n
		}
	}
	if pg.maxResults == 0 {
		pg.maxResults = defaultPageSize
	}
	return pg, nil
}

// of renders the page of all.
func (pg page) of(all []any) map[string]any {
	start := min(pg.startAt, len(all))
	end := min(start+pg.maxResults, len(all))
	values := all[start:end]
	if values == nil {
		values = []any{}
	}
	return map[string]any{"startAt": pg.startAt, "maxResults": pg.maxResults, "total": len(all), "isLast": end >= len(all), "values": values}
}
