package emulator

import (
	"fmt"
	"net/http"
)

// Create and edit metadata: GET issue/createmeta/{project}/issuetypes,
// .../issuetypes/{id} (Jira 9's paged createmeta; the single-call one is
// gone) and GET issue/{key}/editmeta.

// createMetaRoutes mounts createmeta on a ServeMux of its own: its paths
// overlap issue/{key}/comment/{id} (issue/createmeta/X/issuetypes), which
// one ServeMux refuses to hold.
func (e *Emulator) createMetaRoutes() {
	api, meta := e.api, http.NewServeMux()
	e.api = meta
	e.route("issue/createmeta/{project}/issuetypes", get(e.getCreateMetaTypes))
	e.route("issue/createmeta/{project}/issuetypes/{type}", get(e.getCreateMetaFields))
	meta.Handle(apiPrefix+"issue/createmeta/", e.authed(e.unknownResource))
	e.api = api
	e.mux.Handle(apiPrefix+"issue/createmeta/", meta)
}

func (e *Emulator) getCreateMetaTypes(w http.ResponseWriter, r *http.Request, u *user) {
	pg, err := pageOf(r)
	if err != nil {
		writeError(w, err)
		return
	}
	e.answer(w, http.StatusOK, func(db *database) (any, error) {
		p, err := db.createProject(u, r.PathValue("project"))
		if err != nil {
			return nil, err
		}
		types := []any{}
		if db.canCreate(u, p) { // Jira lists nothing it would not let u create
			for _, t := range db.types {
				types = append(types, e.issueTypeJSON(t))
			}
		}
		return pg.of(types), nil
	})
}

func (e *Emulator) getCreateMetaFields(w http.ResponseWriter, r *http.Request, u *user) {
	pg, err := pageOf(r)
	if err != nil {
		writeError(w, err)
		return
	}
	e.answer(w, http.StatusOK, func(db *database) (any, error) {
		p, err := db.createProject(u, r.PathValue("project"))
		if err != nil {
			return nil, err
		}
		typ := db.typeByID(r.PathValue("type"))
		if typ == nil || !db.canCreate(u, p) {
			return nil, badRequest(fmt.Sprintf("Issue type with id '%s' does not exist or you cannot create issues of it in project '%s'.", r.PathValue("type"), p.key))
		}
		fields := []any{}
		for _, sf := range db.createScreen(p, typ) {
			fields = append(fields, e.screenFieldJSON(db, p, typ, sf, true))
		}
		return pg.of(fields), nil
	})
}

// createProject finds a project u may browse, by key or id; Jira answers
// createmeta for any other with 400.
func (db *database) createProject(u *user, keyOrID string) (*project, error) {
	p := db.findProjectByKeyOrID(keyOrID)
	if p == nil || !db.canBrowse(u, p) {
		return nil, badRequest(fmt.Sprintf("No project could be found with key or id '%s'.", keyOrID))
	}
	return p, nil
}

func (db *database) typeByID(id string) *issueType {
	for _, t := range db.types {
		if t.id == id {
			return t
		}
	}
	return nil
}

// getEditMeta lists the fields u may edit on the issue: none without Edit
// Issues, and assignee only with Assign Issues.
func (e *Emulator) getEditMeta(w http.ResponseWriter, r *http.Request, u *user) {
	e.answer(w, http.StatusOK, func(db *database) (any, error) {
		is, err := db.browsableIssue(u, r.PathValue("key"))
		if err != nil {
			return nil, err
		}
		fields := map[string]any{}
		if db.canEdit(u, is.project) {
			for _, sf := range db.editScreen(is) {
				if sf.id != "assignee" || db.canAssign(u, is.project) {
					fields[sf.id] = e.screenFieldJSON(db, is.project, is.typ, sf, false)
				}
			}
		}
		return map[string]any{"fields": fields}, nil
	})
}
