package emulator

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
)

// Comments: GET and POST /rest/api/2/issue/{key}/comment and GET
// .../comment/{id}. This file decodes and renders; comments_state.go
// checks and applies.

// commentInput is a comment sent to Jira (CommentJsonBean).
type commentInput struct {
	Body       *string     `json:"body"`
	Visibility *visibility `json:"visibility"`
	authoredBean
	// Read-only properties of CommentJsonBean that Jira ignores on input.
	Properties   json.RawMessage `json:"properties"`
	RenderedBody json.RawMessage `json:"renderedBody"`
}

// authoredBean holds the read-only properties that Jira's comment and
// worklog beans share and ignore on input.
type authoredBean struct {
	ID           json.RawMessage `json:"id"`
	Self         json.RawMessage `json:"self"`
	Author       json.RawMessage `json:"author"`
	UpdateAuthor json.RawMessage `json:"updateAuthor"`
	Created      json.RawMessage `json:"created"`
	Updated      json.RawMessage `json:"updated"`
}

// visibility restricts a comment to a group or a project role.
type visibility struct {
	Type  string `json:"type"`
	Value string `json:"value"`
}

// pair is the restriction as the model stores it; "" when public.
func (v *visibility) pair() (typ, value string) {
	if v == nil {
		return "", ""
	}
	return v.Type, v.Value
}

// commentPage is a decoded GET comment: which page, in which order.
type commentPage struct {
	startAt, maxResults int
	newestFirst         bool
	rendered            bool
}

const defaultCommentPage = 5000

func (e *Emulator) getComments(w http.ResponseWriter, r *http.Request, u *user) {
	q := r.URL.Query()
	pg := commentPage{maxResults: defaultCommentPage, rendered: expandSet(q["expand"])["renderedBody"]}
	if n, err := strconv.Atoi(q.Get("startAt")); err == nil && n > 0 {
		pg.startAt = n
	}
	if n, err := strconv.Atoi(q.Get("maxResults")); err == nil && n >= 0 {
		pg.maxResults = min(n, defaultCommentPage)
	}
	pg.newestFirst = strings.TrimPrefix(q.Get("orderBy"), "+") == "-created"
	e.answer(w, http.StatusOK, func(db *database) (any, error) {
		is, cs, err := db.comments(u, r.PathValue("key"), pg.newestFirst)
		if err != nil {
			return nil, err
		}
		out := []any{}
		for i := pg.startAt; i < len(cs) && i < pg.startAt+pg.maxResults; i++ {
			out = append(out, e.commentJSON(db, is, cs[i], pg.rendered))
		}
		return map[string]any{"startAt": pg.startAt, "maxResults": pg.maxResults, "total": len(cs), "comments": out}, nil
	})
}

func (e *Emulator) getComment(w http.ResponseWriter, r *http.Request, u *user) {
	rendered := expandSet(r.URL.Query()["expand"])["renderedBody"]
	e.answer(w, http.StatusOK, func(db *database) (any, error) {
		is, c, err := db.comment(u, r.PathValue("key"), r.PathValue("id"))
		if err != nil {
			return nil, err
		}
		return e.commentJSON(db, is, c, rendered), nil
	})
}

func (e *Emulator) postComment(w http.ResponseWriter, r *http.Request, u *user) {
	var in commentInput
	if err := decodeStrict(r.Body, &in); err != nil {
		writeError(w, err)
		return
	}
	rendered := expandSet(r.URL.Query()["expand"])["renderedBody"]
	e.mu.Lock()
	is, c, err := e.db.addCommentAs(u, r.PathValue("key"), in)
	var m map[string]any
	if err == nil {
		m = e.commentJSON(e.db, is, c, rendered)
	}
	e.mu.Unlock()
	if err != nil {
		writeError(w, err)
		return
	}
	w.Header().Set("Location", m["self"].(string))
	writeJSON(w, http.StatusCreated, m)
}

func (e *Emulator) commentJSON(db *database, is *issue, c *comment, rendered bool) map[string]any {
	id := strconv.Itoa(c.id)
	m := map[string]any{
		"self":         e.issueSelf(is) + "/comment/" + id,
		"id":           id,
		"author":       e.userRaw(db, c.author),
		"body":         c.body,
		"updateAuthor": e.userRaw(db, c.updateAuthor),
		"created":      fmtTime(c.created),
		"updated":      fmtTime(c.updated),
	}
	if c.visType != "" {
		m["visibility"] = map[string]any{"type": c.visType, "value": c.visValue}
	}
	if rendered {
		m["renderedBody"] = renderWiki(c.body)
	}
	return m
}
