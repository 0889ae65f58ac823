package emulator

import (
	"net/http"
	"strconv"
	"strings"
)

// Users: GET user, user/search and user/assignable/search. A query
// matches a user whose username, e-mail address or any word of whose
// display name starts with it, case-insensitively, as Jira DC's user
// search does (the whole display name too: "bob b" finds Bob Brown);
// inactive users only with includeInactive.

func (e *Emulator) getUser(w http.ResponseWriter, r *http.Request, _ *user) {
	name := r.URL.Query().Get("username")
	e.answer(w, http.StatusOK, func(db *database) (any, error) {
		if db.users[name] == nil {
			return nil, notFound("The user named '" + name + "' does not exist")
		}
		return e.userJSON(db, name), nil
	})
}

func (e *Emulator) searchUsers(w http.ResponseWriter, r *http.Request, _ *user) {
	q := r.URL.Query()
	query, n, err := userQuery(r, 1000)
	if err == nil && query == "" {
		err = badRequest("The username query parameter was not provided")
	}
	if err != nil {
		writeError(w, err)
		return
	}
	inactive := strings.EqualFold(q.Get("includeInactive"), "true")
	start, _ := strconv.Atoi(q.Get("startAt"))
	e.answer(w, http.StatusOK, func(db *database) (any, error) {
		found := db.matchUsers(query, func(x *user) bool { return x.active || inactive })
		return e.usersJSON(db, found, max(start, 0), n), nil
	})
}

func (e *Emulator) searchAssignable(w http.ResponseWriter, r *http.Request, u *user) {
	q := r.URL.Query()
	query, n, err := userQuery(r, 100)
	if err != nil {
		writeError(w, err)
		return
	}
	e.answer(w, http.StatusOK, func(db *database) (any, error) {
		var p *project
		switch key, proj := q.Get("issueKey"), q.Get("project"); {
		case key != "":
			is, err := db.browsableIssue(u, key)
			if err != nil {
				return nil, err
			}
			p = is.project
		case proj != "":
			if p = db.findProjectByKeyOrID(proj); p == nil || !db.canBrowse(u, p) {
				return nil, notFound("No project could be found with key '" + proj + "'.")
			}
		default:
			return nil, badRequest("The issue key or the project key must be given.")
		}
		found := db.matchUsers(query, func(x *user) bool { return db.assignable(x.name, p) })
		return e.usersJSON(db, found, 0, n), nil
	})
}

// userQuery reads username and maxResults (at most limit, 50 by default).
func userQuery(r *http.Request, limit int) (string, int, error) {
	q := r.URL.Query()
	n := 50
	if s := q.Get("maxResults"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil {
			return "", 0, badRequest("The value '" + s + "' of the parameter 'maxResults' is not a valid integer.")
		}
		n = max(v, 0)
	}
	return q.Get("username"), min(n, limit), nil
}

// matchUsers are the users query finds that keep accepts, by username.
func (db *database) matchUsers(query string, keep func(*user) bool) []*user {
	query = strings.ToLower(strings.TrimSpace(query))
	var out []*user
	for _, name := range db.userOrder {
		x := db.users[name]
		if !keep(x) {
			continue
		}
		words := append([]string{x.name, x.email, x.displayName}, strings.Fields(x.displayName)...)
		for _, w := range words {
			if strings.HasPrefix(strings.ToLower(w), query) {
				out = append(out, x)
				break
			}
		}
	}
	return out
}

func (e *Emulator) usersJSON(db *database, us []*user, start, n int) []any {
	out := []any{}
	for i := start; i < len(us) && len(out) < n; i++ {
		out = append(out, e.userJSON(db, us[i].name))
	}
	return out
}
