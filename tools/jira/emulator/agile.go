package emulator

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Jira Software's agile REST API, /rest/agile/1.0: boards, their sprints,
// moving issues into a sprint or back to the backlog. A board shows one
// project's issues (its filter, in Jira); a user sees a board, and its
// sprints, when they may browse that project. Scrum boards have sprints,
// kanban boards do not.

const agilePrefix = "/rest/agile/1.0/"

// board is a Jira Software board.
type board struct {
	id      int
	name    string
	typ     string // "scrum" or "kanban"
	project *project
}

// seedBoards are one scrum board for WEB (sprints 1-4) and one for API
// (5-6), a kanban board for WEB (so WEB has two boards), and a kanban board
// for SEC that only security-team sees.
func seedBoards(db *database) []*board {
	p := db.projectByKey
	return []*board{
		{1, "WEB board", "scrum", p["WEB"]},
		{2, "API board", "scrum", p["API"]},
		{3, "Storefront Kanban", "kanban", p["WEB"]},
		{4, "SEC triage", "kanban", p["SEC"]},
	}
}

func (e *Emulator) agileRoutes() {
	e.routeUnder(agilePrefix, "board", get(e.getBoards))
	e.routeUnder(agilePrefix, "board/{id}/sprint", get(e.getBoardSprints))
	e.routeUnder(agilePrefix, "sprint/{id}", get(e.getSprint))
	e.routeUnder(agilePrefix, "sprint/{id}/issue", post(e.postSprintIssues))
	e.routeUnder(agilePrefix, "backlog/issue", post(e.postBacklogIssues))
	e.api.Handle(agilePrefix, e.authed(e.unknownResource))
	e.mux.Handle(agilePrefix, e.api)
}

// agileMaxResults is the page size Jira Software uses by default and at most.
const agileMaxResults = 50

// valuesPage answers one page of values as the agile API does.
func valuesPage(values []any, q map[string][]string) (map[string]any, error) {
	start, max := 0, agileMaxResults
	if v := first(q["startAt"]); v != "" {
		n, err := parseInt(v)
		if err != nil {
			return nil, badRequest("startAt must be a non-negative number")
		}
		start = n
	}
	if v := first(q["maxResults"]); v != "" {
		n, err := parseInt(v)
		if err != nil {
			return nil, badRequest("maxResults must be a non-negative number")
		}
		max = min(n, agileMaxResults)
	}
	total := len(values)
	lo, hi := min(start, total), min(start+max, total)
	return map[string]any{"startAt": start, "maxResults": max, "total": total, "isLast": hi >= total, "values": append([]any{}, values[lo:hi]...)}, nil
}

func first(vs []string) string {
	if len(vs) == 0 {
		return ""
	}
	return vs[0]
}

func (e *Emulator) getBoards(w http.ResponseWriter, r *http.Request, u *user) {
	q := r.URL.Query()
	e.answer(w, http.StatusOK, func(db *database) (any, error) {
		var only *project
		if k := first(q["projectKeyOrId"]); k != "" {
			if only = db.findProjectByKeyOrID(k); only == nil || !db.canBrowse(u, only) {
				return nil, badRequest(fmt.Sprintf("No project could be found with key or id '%s'.", k))
			}
		}
		typ, name := first(q["type"]), strings.ToLower(first(q["name"]))
		var out []any
		for _, b := range db.boards {
			if db.canBrowse(u, b.project) && (only == nil || b.project == only) && (typ == "" || typ == b.typ) && strings.Contains(strings.ToLower(b.name), name) {
				out = append(out, e.boardJSON(b))
			}
		}
		return valuesPage(out, q)
	})
}

func (e *Emulator) boardJSON(b *board) map[string]any {
	return map[string]any{"id": b.id, "self": fmt.Sprintf("%s%sboard/%d", e.baseURL, agilePrefix, b.id), "name": b.name, "type": b.typ}
}

// sprintStates are the states the agile API names, in its order.
var sprintStates = []string{"closed", "active", "future"}

func (e *Emulator) getBoardSprints(w http.ResponseWriter, r *http.Request, u *user) {
	q := r.URL.Query()
	e.answer(w, http.StatusOK, func(db *database) (any, error) {
		b, err := db.visibleBoard(u, r.PathValue("id"))
		if err != nil {
			return nil, err
		}
		if b.typ != "scrum" {
			return nil, badRequest("The board does not support sprints")
		}
		states := splitParams(q["state"])
		for _, s := range states {
			if !slices.Contains(sprintStates, s) {
				return nil, badRequest(fmt.Sprintf("The value '%s' is not a valid sprint state. Valid values are: future, active, closed.", s))
			}
		}
		var out []any
		for _, st := range sprintStates {
			for _, s := range db.sprints {
				if s.board == b.id && strings.EqualFold(s.state, st) && (len(states) == 0 || slices.Contains(states, st)) {
					out = append(out, e.sprintJSON(s))
				}
			}
		}
		return valuesPage(out, q)
	})
}

func (db *database) visibleBoard(u *user, id string) (*board, error) {
	n, err := parseInt(id)
	if err == nil {
		for _, b := range db.boards {
			if b.id == n && db.canBrowse(u, b.project) {
				return b, nil
			}
		}
	}
	return nil, notFound("Board does not exist or you do not have permission to see it.")
}

// visibleSprint finds a sprint whose board u may see.
func (db *database) visibleSprint(u *user, id string) (*sprint, error) {
	n, err := parseInt(id)
	if err == nil {
		for _, s := range db.sprints {
			if s.id == n {
				if _, err := db.visibleBoard(u, strconv.Itoa(s.board)); err == nil {
					return s, nil
				}
			}
		}
	}
	return nil, notFound(fmt.Sprintf("Sprint with id %s does not exist or you do not have permission to see it.", id))
}

func (e *Emulator) getSprint(w http.ResponseWriter, r *http.Request, u *user) {
	e.answer(w, http.StatusOK, func(db *database) (any, error) {
		s, err := db.visibleSprint(u, r.PathValue("id"))
		if err != nil {
			return nil, err
		}
		return e.sprintJSON(s), nil
	})
}

// agileTime is the agile API's date format.
func agileTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z07:00") }

func (e *Emulator) sprintJSON(s *sprint) map[string]any {
	m := map[string]any{
		"id": s.id, "self": fmt.Sprintf("%s%ssprint/%d", e.baseURL, agilePrefix, s.id),
		"state": strings.ToLower(s.state), "name": s.name, "originBoardId": s.board,
		"synced": false, "autoStartStop": false,
	}
	if !s.start.IsZero() {
		m["startDate"], m["activatedDate"] = agileTime(s.start), agileTime(s.start)
	}
	if !s.end.IsZero() {
		m["endDate"] = agileTime(s.end)
	}
	if !s.completeDate.IsZero() {
		m["completeDate"] = agileTime(s.completeDate)
	}
	if s.goal != "" {
		m["goal"] = s.goal
	}
	return m
}

// issueAssign is the body of POST sprint/{id}/issue and backlog/issue.
type issueAssign struct {
	Issues []string `json:"issues"`
}

// maxMoved is how many issues one request may move.
const maxMoved = 50

func (e *Emulator) postSprintIssues(w http.ResponseWriter, r *http.Request, u *user) {
	var in issueAssign
	if err := decodeStrict(r.Body, &in); err != nil {
		writeError(w, err)
		return
	}
	e.noContent(w, func(db *database) error {
		s, err := db.visibleSprint(u, r.PathValue("id"))
		if err != nil {
			return err
		}
		if s.state == "CLOSED" {
			return badRequest("Cannot move issues to a closed sprint.")
		}
		return db.moveIssues(u, in.Issues, s)
	})
}

func (e *Emulator) postBacklogIssues(w http.ResponseWriter, r *http.Request, u *user) {
	var in issueAssign
	if err := decodeStrict(r.Body, &in); err != nil {
		writeError(w, err)
		return
	}
	e.noContent(w, func(db *database) error { return db.moveIssues(u, in.Issues, nil) })
}

// noContent runs f with the data locked and answers 204, or f's error.
func (e *Emulator) noContent(w http.ResponseWriter, f func(db *database) error) {
	e.mu.Lock()
	err := f(e.db)
	e.mu.Unlock()
	if err != nil {
		writeError(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// moveIssues puts the issues in sprint s, or in the backlog when s is nil:
// each leaves its active and future sprints (closed ones stay in its
// history). Every issue is checked before any moves, as Jira does.
func (db *database) moveIssues(u *user, keys []string, s *sprint) error {
	if len(keys) == 0 {
		return badRequest("No issues to move were given.")
	}
	if len(keys) > maxMoved {
		return badRequest(fmt.Sprintf("At most %d issues may be moved at once.", maxMoved))
	}
	var issues []*issue
	for _, k := range keys {
		is := db.lookupIssue(k)
		if is == nil || !db.canBrowse(u, is.project) {
			return badRequest(fmt.Sprintf("Issue '%s' does not exist or you do not have permission to see it.", k))
		}
		if !db.canTransition(u, is.project) {
			return &apiError{status: http.StatusForbidden, messages: []string{fmt.Sprintf("You do not have permission to schedule issue '%s'.", is.key)}}
		}
		issues = append(issues, is)
	}
	db.changed()
	for _, is := range issues {
		kept := is.sprints[:0:0]
		for _, old := range is.sprints {
			if old.state == "CLOSED" {
				kept = append(kept, old)
			}
		}
		if s != nil {
			kept = append(kept, s)
		}
		is.sprints = kept
		is.updated = db.now().UTC()
	}
	return nil
}

// Sprints returns the names of the sprints an issue is in, oldest first,
// for tests that check what a move did.
func (e *Emulator) Sprints(idOrKey string) []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []string
	if is := e.db.lookupIssue(idOrKey); is != nil {
		for _, s := range is.sprints {
			out = append(out, s.name)
		}
	}
	return out
}
