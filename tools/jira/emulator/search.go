package emulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// Search: GET and POST /rest/api/2/search. The query itself runs in
// jqlview.go, through package jql.

// searchRequest is the body of POST search (Jira's SearchRequestBean).
type searchRequest struct {
	JQL           string          `json:"jql"`
	StartAt       *int            `json:"startAt"`
	MaxResults    *int            `json:"maxResults"`
	Fields        []string        `json:"fields"`
	Expand        []string        `json:"expand"`
	ValidateQuery json.RawMessage `json:"validateQuery"`
	Properties    []string        `json:"properties"`
	FieldsByKeys  bool            `json:"fieldsByKeys"`
}

// searchInput is a decoded search: the query and how to render its page.
type searchInput struct {
	query  searchQuery
	fields fieldSelection
	expand map[string]bool
}

func (e *Emulator) searchIssues(w http.ResponseWriter, r *http.Request, u *user) {
	in, err := decodeSearch(r)
	if err != nil {
		writeError(w, err)
		return
	}
	e.answer(w, http.StatusOK, func(db *database) (any, error) {
		res, err := db.search(u, in.query)
		if err != nil {
			return nil, err
		}
		return e.searchJSON(db, u, in, res), nil
	})
}

// decodeSearch reads a search from a POST body or GET parameters.
func decodeSearch(r *http.Request) (searchInput, error) {
	var req searchRequest
	validate := true
	if r.Method == http.MethodPost {
		if err := decodeStrict(r.Body, &req); err != nil {
			return searchInput{}, err
		}
		switch v := strings.Trim(strings.ToLower(string(req.ValidateQuery)), `"`); v {
		case "", "true", "strict", "null":
		case "false", "none", "warn":
			validate = false
		default:
			return searchInput{}, badRequest("Can not deserialize instance of boolean out of " + v)
		}
	} else {
		var err error
		if req, err = searchParams(r); err != nil {
			return searchInput{}, err
		}
		if v := r.URL.Query().Get("validateQuery"); strings.EqualFold(v, "false") {
			validate = false
		}
	}
	q := searchQuery{jql: req.JQL, validate: validate, maxCount: defaultMaxResults}
	if req.StartAt != nil && *req.StartAt > 0 {
		q.startAt = *req.StartAt
	}
	if req.MaxResults != nil && *req.MaxResults >= 0 {
		q.maxCount = min(*req.MaxResults, maxMaxResults)
	}
	return searchInput{query: q, fields: parseFieldSelection(req.Fields, true), expand: expandSet(req.Expand)}, nil
}

// searchParams reads GET search's parameters.
func searchParams(r *http.Request) (searchRequest, error) {
	q := r.URL.Query()
	req := searchRequest{JQL: q.Get("jql"), Fields: q["fields"], Expand: q["expand"]}
	for _, name := range []string{"startAt", "maxResults"} {
		s := q.Get(name)
		if s == "" {
			continue
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			return req, badRequest(fmt.Sprintf("The value '%s' of the parameter '%s' is not a valid integer.", s, name))
		}
		if name == "startAt" {
			req.StartAt = &n
		} else {
			req.MaxResults = &n
		}
	}
	return req, nil
}

// searchJSON renders a page of a search's results.
func (e *Emulator) searchJSON(db *database, u *user, in searchInput, res searchResult) map[string]any {
	startAt, maxResults := in.query.startAt, in.query.maxCount
	issues := []any{}
	for i := startAt; i < len(res.hits) && i < startAt+maxResults; i++ {
		m := e.issueJSON(db, u, res.hits[i], in.fields, in.expand)
		m["expand"] = "operations,versionedRepresentations,editmeta,changelog,renderedFields"
		issues = append(issues, m)
	}
	out := map[string]any{"expand": "schema,names", "startAt": startAt, "maxResults": maxResults, "total": len(res.hits), "issues": issues}
	if len(res.warnings) > 0 {
		out["warningMessages"] = res.warnings
	}
	addNamesAndSchema(out, db, in.fields, in.expand)
	return out
}
