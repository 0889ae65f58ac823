package emulator

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
)

// Writing issues: POST issue (create), PUT issue/{key} (edit) and PUT
// issue/{key}/assignee. The handlers decode; the state methods below check
// in Jira's order (the issue, the permission, then every field together)
// and apply; issue_fields.go holds the fields' rules.

func (e *Emulator) postIssue(w http.ResponseWriter, r *http.Request, u *user) {
	in, err := decodeIssueInput(r.Body)
	if err != nil {
		writeError(w, err)
		return
	}
	e.mu.Lock()
	is, err := e.db.createIssue(u, in)
	var m map[string]any
	if err == nil {
		m = map[string]any{"id": strconv.Itoa(is.id), "key": is.key, "self": e.issueSelf(is)}
	}
	e.mu.Unlock()
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, m)
}

func (e *Emulator) putIssue(w http.ResponseWriter, r *http.Request, u *user) {
	in, err := decodeIssueInput(r.Body)
	e.change(w, err, func(db *database) error { return db.editIssue(u, r.PathValue("key"), in) })
}

// change applies a decoded request (unless decoding failed with err) with
// the data locked, and answers 204 or Jira's error.
func (e *Emulator) change(w http.ResponseWriter, err error, apply func(db *database) error) {
	if err == nil {
		e.mu.Lock()
		err = apply(e.db)
		e.mu.Unlock()
	}
	if err != nil {
		writeError(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// assigneeInput is the body of PUT assignee: a UserBean naming the user.
type assigneeInput struct {
	Name *string         `json:"name"`
	Key  json.RawMessage `json:"key"`
}

func (e *Emulator) putAssignee(w http.ResponseWriter, r *http.Request, u *user) {
	var in assigneeInput
	err := decodeStrict(r.Body, &in)
	e.change(w, err, func(db *database) error { return db.assign(u, r.PathValue("key"), in.Name) })
}

// createIssue creates an issue from in as u, or returns Jira's error.
func (db *database) createIssue(u *user, in issueInput) (*issue, error) {
	p, typ, errs := db.createTarget(u, in)
	if len(errs) > 0 {
		return nil, fieldErrors(errs)
	}
	now := db.now().UTC()
	d := &issue{project: p, typ: typ, status: stToDo, priority: db.priorities[2], reporter: u.name, creator: u.name, created: now, updated: now}
	screen := db.createScreen(p, typ)
	fieldChange{db, u, d}.apply(screen, in, errs)
	db.checkRequired(d, screen, errs)
	if len(errs) > 0 {
		return nil, fieldErrors(errs)
	}
	db.changed()
	p.nextNum++
	db.nextIssue++
	d.id, d.num = db.nextIssue, p.nextNum
	d.key = p.key + "-" + strconv.Itoa(d.num)
	db.issues = append(db.issues, d)
	db.byKey[d.key], db.byID[d.id] = d, d
	if d.parent != nil {
		d.parent.subtasks = append(d.parent.subtasks, d)
	}
	return d, nil
}

// createTarget reads the project and issue type of a new issue; errs has
// Jira's messages when either is missing, unknown or not u's to create in.
func (db *database) createTarget(u *user, in issueInput) (*project, *issueType, map[string]string) {
	errs := map[string]string{}
	var p *project
	if ref, ok := refOf(in.sets["project"]); !ok || ref.id == "" && ref.name == "" {
		errs["project"] = "project is required"
	} else if p = db.findProjectByKeyOrID(ref.id + ref.name); p == nil || !db.canBrowse(u, p) {
		errs["project"], p = "valid project is required", nil
	} else if !db.canCreate(u, p) {
		errs["project"], p = "You do not have permission to create issues in this project.", nil
	}
	var typ *issueType
	if ref, ok := refOf(in.sets["issuetype"]); !ok || ref.id == "" && ref.name == "" {
		errs["issuetype"] = "issue type is required"
	} else {
		for _, t := range db.types {
			if t.id == ref.id || ref.id == "" && strings.EqualFold(t.name, ref.name) {
				typ = t
			}
		}
		if typ == nil {
			errs["issuetype"] = "valid issue type is required"
		}
	}
	return p, typ, errs
}

// editIssue applies in to the issue idOrKey as u, or returns Jira's error.
func (db *database) editIssue(u *user, idOrKey string, in issueInput) error {
	is, err := db.browsableIssue(u, idOrKey)
	if err != nil {
		return err
	}
	if !db.canEdit(u, is.project) {
		return &apiError{status: http.StatusForbidden, messages: []string{"You do not have permission to edit issues in this project."}}
	}
	if len(in.sets) == 0 && len(in.ops) == 0 {
		return badRequest("No fields or update operations were given.")
	}
	d := *is
	errs := map[string]string{}
	screen := db.editScreen(is)
	fieldChange{db, u, &d}.apply(screen, in, errs)
	db.checkRequired(&d, screen, errs)
	if len(errs) > 0 {
		return fieldErrors(errs)
	}
	db.changed()
	d.updated = db.now().UTC()
	*is = d
	return nil
}

// assign sets the assignee of the issue idOrKey as u; nil or "" unassigns,
// "-1" gives the project's default assignee (nobody, in the seed).
func (db *database) assign(u *user, idOrKey string, name *string) error {
	is, err := db.browsableIssue(u, idOrKey)
	if err != nil {
		return err
	}
	if !db.canAssign(u, is.project) {
		// Atlassian documents 401 here; Jira answers the permission error
		// with 403, as for every other operation the user may not do.
		return &apiError{status: http.StatusForbidden, messages: []string{"You do not have permission to assign issues."}}
	}
	who := ""
	if name != nil && *name != "-1" {
		who = *name
	}
	if who != "" {
		switch x := db.users[who]; {
		case x == nil:
			return fieldErrors(map[string]string{"assignee": "User '" + who + "' does not exist."})
		case !db.assignable(who, is.project):
			return fieldErrors(map[string]string{"assignee": "User '" + who + "' cannot be assigned issues."})
		}
	}
	db.changed()
	is.assignee, is.updated = who, db.now().UTC()
	return nil
}
