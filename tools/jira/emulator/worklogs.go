package emulator

import (
	"encoding/json"
	"net/http"
	"strconv"
)

// Worklogs: GET and POST /rest/api/2/issue/{key}/worklog, and the worklog
// and timetracking fields. This file decodes and renders;
// worklogs_state.go checks and applies.

// worklogInput is the body of POST worklog (the spec's worklog bean).
type worklogInput struct {
	Comment          *string     `json:"comment"`
	Started          *string     `json:"started"`
	TimeSpent        *string     `json:"timeSpent"`
	TimeSpentSeconds *int64      `json:"timeSpentSeconds"`
	Visibility       *visibility `json:"visibility"`
	authoredBean
	IssueID json.RawMessage `json:"issueId"`
}

func (e *Emulator) getWorklogs(w http.ResponseWriter, r *http.Request, u *user) {
	e.answer(w, http.StatusOK, func(db *database) (any, error) {
		is, ws, err := db.worklogs(u, r.PathValue("key"))
		if err != nil {
			return nil, err
		}
		return e.worklogPage(db, is, ws), nil
	})
}

func (e *Emulator) postWorklog(w http.ResponseWriter, r *http.Request, u *user) {
	var in worklogInput
	if err := decodeStrict(r.Body, &in); err != nil {
		writeError(w, err)
		return
	}
	q := r.URL.Query()
	adj := estimateAdjustment{mode: q.Get("adjustEstimate"), newEstimate: q.Get("newEstimate"), by: q.Get("reduceBy")}
	e.mu.Lock()
	is, wl, err := e.db.addWorklog(u, r.PathValue("key"), in, adj)
	var m map[string]any
	if err == nil {
		m = e.worklogJSON(e.db, is, wl)
	}
	e.mu.Unlock()
	if err != nil {
		writeError(w, err)
		return
	}
	w.Header().Set("Location", m["self"].(string))
	writeJSON(w, http.StatusCreated, m)
}

func (e *Emulator) worklogPage(db *database, is *issue, ws []*worklog) map[string]any {
	out := make([]any, len(ws))
	for i, wl := range ws {
		out[i] = e.worklogJSON(db, is, wl)
	}
	return map[string]any{"startAt": 0, "maxResults": len(out), "total": len(out), "worklogs": out}
}

func (e *Emulator) worklogJSON(db *database, is *issue, wl *worklog) map[string]any {
	id := strconv.Itoa(wl.id)
	return map[string]any{
		"self":             e.issueSelf(is) + "/worklog/" + id,
		"id":               id,
		"issueId":          strconv.Itoa(is.id),
		"author":           e.userRaw(db, wl.author),
		"updateAuthor":     e.userRaw(db, wl.updateAuthor),
		"comment":          wl.comment,
		"started":          fmtTime(wl.started),
		"created":          fmtTime(wl.created),
		"updated":          fmtTime(wl.updated),
		"timeSpent":        formatJiraDuration(wl.seconds),
		"timeSpentSeconds": wl.seconds,
	}
}

// timeTracking is the timetracking field: only what is set.
func (v issueView) timeTracking() any {
	m := map[string]any{}
	put := func(name string, sec *int64) {
		if sec != nil {
			m[name] = formatJiraDuration(*sec)
			m[name+"Seconds"] = *sec
		}
	}
	put("originalEstimate", v.is.original)
	put("remainingEstimate", v.is.remaining)
	if v.is.spent > 0 {
		put("timeSpent", &v.is.spent)
	}
	return m
}
