package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

const apiPrefix = "/rest/api/2/"

// routes registers the REST API on e.mux.
func (e *Emulator) routes() {
	e.mux.HandleFunc(apiPrefix, e.api)
}

// api authenticates the request and dispatches it. Paths are split on the
// escaped form so that "%2F" inside a segment stays part of that segment.
func (e *Emulator) api(w http.ResponseWriter, r *http.Request) {
	u, ok := e.authenticate(w, r)
	if !ok {
		return
	}
	raw := strings.TrimPrefix(r.URL.EscapedPath(), apiPrefix)
	segs := strings.Split(strings.TrimSuffix(raw, "/"), "/")
	for i, s := range segs {
		v, err := url.PathUnescape(s)
		if err != nil {
			e.notFound(w, r)
			return
		}
		segs[i] = v
	}
	route := func(methods ...string) bool {
		for _, m := range methods {
			if r.Method == m {
				return true
			}
		}
		w.Header().Set("Allow", strings.Join(methods, ", "))
		w.WriteHeader(http.StatusMethodNotAllowed)
		return false
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	db := e.db
	switch {
	case len(segs) == 1 && segs[0] == "search":
		if route(http.MethodGet, http.MethodPost) {
			e.search(w, r, db, u)
		}
	case len(segs) == 2 && segs[0] == "issue":
		if route(http.MethodGet) {
			e.getIssue(w, r, db, u, segs[1])
		}
	case len(segs) == 3 && segs[0] == "issue" && segs[2] == "transitions":
		if r.Method == http.MethodGet {
			e.getTransitions(w, r, db, u, segs[1])
		} else if route(http.MethodGet, http.MethodPost) {
			e.doTransition(w, r, db, u, segs[1])
		}
	case len(segs) == 3 && segs[0] == "issue" && segs[2] == "comment":
		if r.Method == http.MethodGet {
			e.getComments(w, r, db, u, segs[1])
		} else if route(http.MethodGet, http.MethodPost) {
			e.addComment(w, r, db, u, segs[1])
		}
	case len(segs) == 4 && segs[0] == "issue" && segs[2] == "comment":
		if route(http.MethodGet) {
			e.getComment(w, r, db, u, segs[1], segs[3])
		}
	case len(segs) == 1 && segs[0] == "field":
		if route(http.MethodGet) {
			out := make([]any, len(db.fields))
			for i, f := range db.fields {
				out[i] = f.json()
			}
			writeJSON(w, http.StatusOK, out)
		}
	case len(segs) == 1 && segs[0] == "myself":
		if route(http.MethodGet) {
			if u.isAnonymous() {
				notAuthenticated(w)
				return
			}
			writeJSON(w, http.StatusOK, e.myselfJSON(db, u, r.URL.Query().Get("expand")))
		}
	case len(segs) == 1 && segs[0] == "serverInfo":
		if route(http.MethodGet) {
			writeJSON(w, http.StatusOK, e.serverInfoJSON(db))
		}
	case len(segs) == 1 && segs[0] == "status":
		if route(http.MethodGet) {
			out := make([]any, len(db.statuses))
			for i, s := range db.statuses {
				out[i] = e.statusJSON(s)
			}
			writeJSON(w, http.StatusOK, out)
		}
	case len(segs) == 1 && segs[0] == "priority":
		if route(http.MethodGet) {
			out := make([]any, len(db.priorities))
			for i, p := range db.priorities {
				m := e.priorityJSON(p)
				m["description"], m["statusColor"] = p.description, p.color
				out[i] = m
			}
			writeJSON(w, http.StatusOK, out)
		}
	case len(segs) == 1 && segs[0] == "resolution":
		if route(http.MethodGet) {
			out := make([]any, len(db.resolutions))
			for i, res := range db.resolutions {
				out[i] = e.resolutionJSON(res)
			}
			writeJSON(w, http.StatusOK, out)
		}
	case len(segs) == 1 && segs[0] == "project":
		if route(http.MethodGet) {
			out := []any{}
			for _, p := range db.projects {
				if db.canBrowse(u, p) {
					out = append(out, e.projectJSON(p, false, db))
				}
			}
			writeJSON(w, http.StatusOK, out)
		}
	case len(segs) == 2 && segs[0] == "project":
		if route(http.MethodGet) {
			p := db.findProjectByKeyOrID(segs[1])
			if p == nil || !db.canBrowse(u, p) {
				what := "key"
				if _, err := parseInt(segs[1]); err == nil {
					what = "id"
				}
				jiraError(w, http.StatusNotFound, []string{fmt.Sprintf("No project could be found with %s '%s'.", what, segs[1])}, nil)
				return
			}
			writeJSON(w, http.StatusOK, e.projectJSON(p, true, db))
		}
	default:
		e.notFound(w, r)
	}
}

func (e *Emulator) notFound(w http.ResponseWriter, r *http.Request) {
	// Jersey's own 404 for an unknown resource.
	writeJSON(w, http.StatusNotFound, map[string]any{"message": "null for uri: " + e.baseURL + r.URL.RequestURI(), "status-code": 404})
}

// authenticate checks the bearer token. Jira answers 401 with a JSON body
// and a WWW-Authenticate challenge; RFC 6750 error codes say why.
func (e *Emulator) authenticate(w http.ResponseWriter, r *http.Request) (*user, bool) {
	h := r.Header.Get("Authorization")
	challenge := `Bearer realm="` + e.baseURL + `"`
	token, ok := strings.CutPrefix(h, "Bearer ")
	if !ok {
		if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
			token, ok = h[7:], true
		}
	}
	token = strings.TrimSpace(token)
	var name string
	var err error
	if ok && token != "" {
		name, err = e.validator.ValidateToken(token)
	} else {
		err = errNoToken
	}
	var u *user
	if err == nil {
		e.mu.Lock()
		u = e.db.users[name]
		e.mu.Unlock()
		if u == nil || !u.active {
			err = ErrTokenInvalid
		}
	}
	if err != nil && e.anonFallback && !errors.Is(err, errNoToken) {
		// Seraph: the credentials failed, carry on as anonymous.
		w.Header().Set("X-Seraph-LoginReason", "AUTHENTICATED_FAILED")
		w.Header().Set("X-AUSERNAME", "anonymous")
		return anonymous, true
	}
	if err != nil {
		switch {
		case errors.Is(err, ErrTokenExpired):
			challenge += `, error="invalid_token", error_description="The access token expired"`
		case !errors.Is(err, errNoToken):
			challenge += `, error="invalid_token", error_description="The access token is invalid"`
		}
		w.Header().Set("WWW-Authenticate", challenge)
		w.Header().Set("X-AUSERNAME", "anonymous")
		notAuthenticated(w)
		return nil, false
	}
	if rec, ok := w.(*statusRecorder); ok {
		rec.user = u.name
	}
	w.Header().Set("X-AUSERNAME", u.name)
	return u, true
}

var errNoToken = errors.New("emulator: no bearer token")

// anonymous is the user WithAnonymousFallback serves failed tokens as: no
// name, no groups, so only permissions granted to Anyone apply.
var anonymous = &user{displayName: "Anonymous", active: true, groups: map[string]bool{}}

func (u *user) isAnonymous() bool { return u == anonymous }

// notAuthenticated is Jira's 401 for a resource that needs a user.
func notAuthenticated(w http.ResponseWriter) {
	jiraError(w, http.StatusUnauthorized, []string{"You are not authenticated. Authentication required to perform this operation."}, nil)
}

// Responses.

func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	if err := appendJSON(&buf, v); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.Header().Set("Cache-Control", "no-cache, no-store, no-transform")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// jiraError writes Jira's error collection.
func jiraError(w http.ResponseWriter, status int, msgs []string, errs map[string]string) {
	if msgs == nil {
		msgs = []string{}
	}
	if errs == nil {
		errs = map[string]string{}
	}
	writeJSON(w, status, map[string]any{"errorMessages": msgs, "errors": errs})
}

func issueNotFound(w http.ResponseWriter) {
	jiraError(w, http.StatusNotFound, []string{"Issue Does Not Exist"}, nil)
}

// browsableIssue finds an issue u may browse, or answers Jira's error: 404,
// or 403 under WithForbiddenForHidden for an issue that exists.
func (e *Emulator) browsableIssue(w http.ResponseWriter, db *database, u *user, idOrKey string) *issue {
	is := db.lookupIssue(idOrKey)
	if is != nil && db.canBrowse(u, is.project) {
		return is
	}
	if is != nil && e.forbidHidden {
		jiraError(w, http.StatusForbidden, []string{"You do not have the permission to see the specified issue."}, nil)
		return nil
	}
	issueNotFound(w)
	return nil
}

// decodeStrict decodes a JSON body, rejecting unknown properties as Jira's
// Jackson beans do.
func decodeStrict(body io.Reader, v any) error {
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if errors.Is(err, io.EOF) {
			return errors.New("No content to map to Object due to end of input")
		}
		if f, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
			return fmt.Errorf("Unrecognized field %s, not marked as ignorable", f)
		}
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return fmt.Errorf("Can not deserialize instance of %s out of %s token", te.Type, strings.ToUpper(te.Value))
		}
		return fmt.Errorf("Unexpected character: %v", err)
	}
	if dec.More() {
		return errors.New("Unexpected content after the JSON value")
	}
	return nil
}

func (db *database) findProjectByKeyOrID(v string) *project {
	if id, err := parseInt(v); err == nil {
		for _, p := range db.projects {
			if p.id == id {
				return p
			}
		}
		return nil
	}
	return db.projectByKey[strings.ToUpper(v)]
}

// Search.

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

const (
	defaultMaxResults = 50
	maxMaxResults     = 1000
	maxResultWindow   = 10000
)

func (e *Emulator) search(w http.ResponseWriter, r *http.Request, db *database, u *user) {
	var req searchRequest
	validate := true
	if r.Method == http.MethodPost {
		if err := decodeStrict(r.Body, &req); err != nil {
			jiraError(w, http.StatusBadRequest, []string{err.Error()}, nil)
			return
		}
		switch v := strings.Trim(strings.ToLower(string(req.ValidateQuery)), `"`); v {
		case "", "true", "strict", "null":
		case "false", "none", "warn":
			validate = false
		default:
			jiraError(w, http.StatusBadRequest, []string{"Can not deserialize instance of boolean out of " + v}, nil)
			return
		}
	} else {
		q := r.URL.Query()
		req.JQL = q.Get("jql")
		for _, name := range []string{"startAt", "maxResults"} {
			if s := q.Get(name); s != "" {
				n, err := strconv.Atoi(s)
				if err != nil {
					jiraError(w, http.StatusBadRequest, []string{fmt.Sprintf("The value '%s' of the parameter '%s' is not a valid integer.", s, name)}, nil)
					return
				}
				if name == "startAt" {
					req.StartAt = &n
				} else {
					req.MaxResults = &n
				}
			}
		}
		req.Fields = q["fields"]
		req.Expand = q["expand"]
		if v := q.Get("validateQuery"); strings.EqualFold(v, "false") {
			validate = false
		}
	}
	startAt, maxResults := 0, defaultMaxResults
	if req.StartAt != nil && *req.StartAt > 0 {
		startAt = *req.StartAt
	}
	if req.MaxResults != nil && *req.MaxResults >= 0 {
		maxResults = min(*req.MaxResults, maxMaxResults)
	}
	cq, err := db.compileJQL(req.JQL, u, validate)
	if err != nil {
		var je *jqlError
		if errors.As(err, &je) {
			jiraError(w, http.StatusBadRequest, je.msgs, nil)
			return
		}
		jiraError(w, http.StatusInternalServerError, []string{err.Error()}, nil)
		return
	}
	if startAt+maxResults > maxResultWindow {
		// Jira 10 refuses deep pagination with a server error.
		jiraError(w, http.StatusInternalServerError, []string{fmt.Sprintf("Result window is too large, startAt + maxResults must be less than or equal to: [%d] but was [%d].", maxResultWindow, startAt+maxResults)}, nil)
		return
	}
	hits := db.search(cq, u)
	sel := parseFieldSelection(req.Fields, true)
	exp := expandSet(req.Expand)
	issues := []any{}
	for i := startAt; i < len(hits) && i < startAt+maxResults; i++ {
		m := e.issueJSON(db, u, hits[i], sel, exp)
		m["expand"] = "operations,versionedRepresentations,editmeta,changelog,renderedFields"
		issues = append(issues, m)
	}
	out := map[string]any{"expand": "schema,names", "startAt": startAt, "maxResults": maxResults, "total": len(hits), "issues": issues}
	if len(cq.warnings) > 0 {
		out["warningMessages"] = cq.warnings
	}
	addNamesAndSchema(out, db, sel, exp)
	writeJSON(w, http.StatusOK, out)
}

// addNamesAndSchema answers expand=names and expand=schema: the display
// name and schema of every selected field.
func addNamesAndSchema(out map[string]any, db *database, sel fieldSelection, exp map[string]bool) {
	if !exp["names"] && !exp["schema"] {
		return
	}
	names, schema := map[string]any{}, map[string]any{}
	for _, f := range db.fields {
		if sel.includes(f) {
			names[f.id] = f.name
			if f.schemaType != "" {
				schema[f.id] = f.schemaJSON()
			}
		}
	}
	if exp["names"] {
		out["names"] = names
	}
	if exp["schema"] {
		out["schema"] = schema
	}
}

// fieldSelection is Jira's IncludedFields: ids, *all, *navigable and -id.
type fieldSelection struct {
	all, nav bool
	include  map[string]bool
	exclude  map[string]bool
}

func parseFieldSelection(params []string, search bool) fieldSelection {
	s := fieldSelection{include: map[string]bool{}, exclude: map[string]bool{}}
	positive := false
	for _, p := range params {
		for _, f := range strings.Split(p, ",") {
			f = strings.TrimSpace(f)
			switch {
			case f == "":
			case f == "*all":
				s.all, positive = true, true
			case f == "*navigable":
				s.nav, positive = true, true
			case strings.HasPrefix(f, "-"):
				s.exclude[f[1:]] = true
			default:
				s.include[f] = true
				positive = true
			}
		}
	}
	if !positive {
		if search {
			s.nav = true
		} else {
			s.all = true
		}
	}
	return s
}

func (s fieldSelection) includes(f *fieldDef) bool {
	if s.exclude[f.id] || f.id == "issuekey" {
		return false
	}
	return s.all || s.nav && f.navigable || s.include[f.id]
}

func expandSet(params []string) map[string]bool {
	m := map[string]bool{}
	for _, p := range params {
		for _, x := range strings.Split(p, ",") {
			if x = strings.TrimSpace(x); x != "" {
				m[x] = true
			}
		}
	}
	return m
}

// Issues.

func (e *Emulator) getIssue(w http.ResponseWriter, r *http.Request, db *database, u *user, idOrKey string) {
	is := e.browsableIssue(w, db, u, idOrKey)
	if is == nil {
		return
	}
	q := r.URL.Query()
	sel := parseFieldSelection(q["fields"], false)
	exp := expandSet(q["expand"])
	m := e.issueJSON(db, u, is, sel, exp)
	m["expand"] = "renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations"
	addNamesAndSchema(m, db, sel, exp)
	if exp["transitions"] || exp["transitions.fields"] {
		ts := []any{}
		for _, t := range db.transitionsFor(u, is) {
			ts = append(ts, e.transitionJSON(db, t, exp["transitions.fields"]))
		}
		m["transitions"] = ts
	}
	writeJSON(w, http.StatusOK, m)
}

func (e *Emulator) issueSelf(is *issue) string {
	return e.baseURL + "/rest/api/2/issue/" + strconv.Itoa(is.id)
}

func (e *Emulator) issueJSON(db *database, u *user, is *issue, sel fieldSelection, exp map[string]bool) map[string]any {
	fields := map[string]any{}
	var rendered map[string]any
	if exp["renderedFields"] {
		rendered = map[string]any{}
	}
	for _, f := range db.fields {
		if !sel.includes(f) {
			continue
		}
		v, present := e.fieldValue(db, u, is, f.id)
		if !present {
			continue
		}
		fields[f.id] = v
		if rendered != nil {
			rendered[f.id] = e.renderedValue(db, u, is, f.id)
		}
	}
	m := map[string]any{"id": strconv.Itoa(is.id), "self": e.issueSelf(is), "key": is.key, "fields": fields}
	if rendered != nil {
		m["renderedFields"] = rendered
	}
	return m
}

// raw caches the JSON of immutable objects (users, statuses, priorities,
// ...), which dominate the cost of encoding a search page. Callers hold e.mu.
func (e *Emulator) raw(kind, id string, build func() any) json.RawMessage {
	k := kind + "\x00" + id
	if b, ok := e.rawCache[k]; ok {
		return b
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(build()); err != nil {
		panic("emulator: " + err.Error())
	}
	b := json.RawMessage(bytes.TrimRight(buf.Bytes(), "\n"))
	if e.rawCache == nil {
		e.rawCache = map[string]json.RawMessage{}
	}
	e.rawCache[k] = b
	return b
}

func (e *Emulator) userRaw(db *database, name string) any {
	if db.users[name] == nil {
		return nil
	}
	return e.raw("user", name, func() any { return e.userJSON(db, name) })
}

func (e *Emulator) statusRaw(st *status) json.RawMessage {
	return e.raw("status", st.id, func() any { return e.statusJSON(st) })
}

func strOrNil(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// fieldValue renders one field of an issue; present is false for fields
// Jira leaves out (parent on an issue that is not a sub-task).
func (e *Emulator) fieldValue(db *database, u *user, is *issue, id string) (v any, present bool) {
	switch id {
	case "summary":
		return is.summary, true
	case "description":
		return strOrNil(is.description), true
	case "environment":
		return strOrNil(is.environment), true
	case "issuetype":
		return e.raw("issuetype", is.typ.id, func() any { return e.issueTypeJSON(is.typ) }), true
	case "project":
		return e.raw("project", is.project.key, func() any { return e.projectJSON(is.project, false, db) }), true
	case "status":
		return e.statusRaw(is.status), true
	case "priority":
		if is.priority == nil {
			return nil, true
		}
		return e.raw("priority", is.priority.id, func() any { return e.priorityJSON(is.priority) }), true
	case "resolution":
		if is.resolution == nil {
			return nil, true
		}
		return e.raw("resolution", is.resolution.id, func() any { return e.resolutionJSON(is.resolution) }), true
	case "resolutiondate":
		return fmtTime(is.resolved), true
	case "assignee":
		return e.userRaw(db, is.assignee), true
	case "reporter":
		return e.userRaw(db, is.reporter), true
	case "creator":
		return e.userRaw(db, is.creator), true
	case "labels":
		return append([]string{}, is.labels...), true
	case "components":
		out := make([]any, len(is.components))
		for i, c := range is.components {
			out[i] = e.raw("component", strconv.Itoa(c.id), func() any { return e.componentJSON(c, false) })
		}
		return out, true
	case "fixVersions":
		out := make([]any, len(is.fixVersions))
		for i, v := range is.fixVersions {
			out[i] = e.raw("version", strconv.Itoa(v.id), func() any { return e.versionJSON(v, false) })
		}
		return out, true
	case "created":
		return fmtTime(is.created), true
	case "updated":
		return fmtTime(is.updated), true
	case "duedate":
		return fmtDate(is.due), true
	case "comment":
		cs := db.visibleComments(u, is)
		out := make([]any, len(cs))
		for i, c := range cs {
			out[i] = e.commentJSON(db, is, c, false)
		}
		return map[string]any{"comments": out, "maxResults": len(cs), "total": len(cs), "startAt": 0}, true
	case "subtasks":
		out := make([]any, 0, len(is.subtasks))
		for _, s := range is.subtasks {
			out = append(out, e.miniIssueJSON(s))
		}
		return out, true
	case "parent":
		if is.parent == nil {
			return nil, false
		}
		return e.miniIssueJSON(is.parent), true
	case fieldSprint:
		if len(is.sprints) == 0 {
			return nil, true
		}
		out := make([]string, len(is.sprints))
		for i, s := range is.sprints {
			out[i] = sprintString(s)
		}
		return out, true
	case fieldStoryPoints:
		if is.storyPoints == nil {
			return nil, true
		}
		return *is.storyPoints, true
	case fieldEpicLink:
		if is.epicLink == nil {
			return nil, true
		}
		return is.epicLink.key, true
	case fieldEpicName:
		return strOrNil(is.epicName), true
	case fieldReviewTeam, fieldTeam:
		o := optionOf(is, id)
		if o == nil {
			return nil, true
		}
		return e.optionJSON(*o), true
	case fieldTeamText:
		return strOrNil(is.teamText), true
	}
	return nil, false
}

func (e *Emulator) renderedValue(db *database, u *user, is *issue, id string) any {
	switch id {
	case "description":
		return renderWiki(is.description)
	case "environment":
		return renderWiki(is.environment)
	case "created":
		return renderTime(is.created)
	case "updated":
		return renderTime(is.updated)
	case "resolutiondate":
		return renderTime(is.resolved)
	case "duedate":
		if is.due.IsZero() {
			return nil
		}
		return is.due.Format("02/Jan/06")
	case "comment":
		cs := db.visibleComments(u, is)
		out := make([]any, len(cs))
		for i, c := range cs {
			m := e.commentJSON(db, is, c, false)
			m["body"] = renderWiki(c.body)
			m["created"], m["updated"] = renderTime(c.created), renderTime(c.updated)
			out[i] = m
		}
		return map[string]any{"comments": out, "maxResults": len(cs), "total": len(cs), "startAt": 0}
	}
	return nil
}

func sprintString(s *sprint) string {
	t := func(x time.Time) string {
		if x.IsZero() {
			return "<null>"
		}
		return x.UTC().Format("2006-01-02T15:04:05.000Z")
	}
	return fmt.Sprintf("com.atlassian.greenhopper.service.sprint.Sprint@%x[id=%d,rapidViewId=%d,state=%s,name=%s,startDate=%s,endDate=%s,completeDate=%s,activatedDate=%s,sequence=%d,goal=%s,synced=false,autoStartStop=false,incompleteIssuesDestinationId=<null>]",
		0x5f3a0000+s.id, s.id, s.board, s.state, s.name, t(s.start), t(s.end), t(s.completeDate), t(s.start), s.id, s.goal)
}

func (e *Emulator) miniIssueJSON(is *issue) map[string]any {
	f := map[string]any{"summary": is.summary, "status": e.statusRaw(is.status), "issuetype": e.issueTypeJSON(is.typ)}
	if is.priority != nil {
		f["priority"] = e.priorityJSON(is.priority)
	}
	return map[string]any{"id": strconv.Itoa(is.id), "key": is.key, "self": e.issueSelf(is), "fields": f}
}

func (e *Emulator) avatarURLs(kind, owner string) map[string]string {
	if kind == "user" {
		base := e.baseURL + "/secure/useravatar?"
		return map[string]string{
			"48x48": base + "ownerId=" + owner,
			"24x24": base + "size=small&ownerId=" + owner,
			"16x16": base + "size=xsmall&ownerId=" + owner,
			"32x32": base + "size=medium&ownerId=" + owner,
		}
	}
	base := e.baseURL + "/secure/projectavatar?"
	return map[string]string{
		"48x48": base + "pid=" + owner + "&avatarId=10324",
		"24x24": base + "size=small&pid=" + owner + "&avatarId=10324",
		"16x16": base + "size=xsmall&pid=" + owner + "&avatarId=10324",
		"32x32": base + "size=medium&pid=" + owner + "&avatarId=10324",
	}
}

// userKey is the JIRAUSERnnnnn key Jira DC gives users created since 8.x;
// clients must not confuse it with the user name.
func (db *database) userKey(name string) string {
	for i, n := range db.userOrder {
		if n == name {
			return fmt.Sprintf("JIRAUSER%d", 10100+i)
		}
	}
	return name
}

// userJSON renders a user as Jira DC does (null for nobody).
func (e *Emulator) userJSON(db *database, name string) any {
	u := db.users[name]
	if u == nil {
		return nil
	}
	return map[string]any{
		"self":         e.baseURL + "/rest/api/2/user?username=" + url.QueryEscape(u.name),
		"key":          db.userKey(u.name),
		"name":         u.name,
		"emailAddress": u.email,
		"avatarUrls":   e.avatarURLs("user", u.name),
		"displayName":  u.displayName,
		"active":       u.active,
		"timeZone":     u.timeZone,
	}
}

func (e *Emulator) myselfJSON(db *database, u *user, expand string) map[string]any {
	m := e.userJSON(db, u.name).(map[string]any)
	m["deleted"] = false
	m["locale"] = "en_US"
	m["lastLoginTime"] = db.now().UTC().Add(-2 * time.Hour).Format("2006-01-02T15:04:05-0700")
	m["expand"] = "groups,applicationRoles"
	var groups []string
	for g := range u.groups {
		groups = append(groups, g)
	}
	sortStrings(groups)
	items := []any{}
	if strings.Contains(expand, "groups") {
		for _, g := range groups {
			items = append(items, map[string]any{"name": g, "self": e.baseURL + "/rest/api/2/group?groupname=" + url.QueryEscape(g)})
		}
	}
	m["groups"] = map[string]any{"size": len(groups), "items": items}
	roles := []any{}
	if strings.Contains(expand, "applicationRoles") {
		roles = append(roles, map[string]any{"key": "jira-software", "name": "Jira Software"})
	}
	m["applicationRoles"] = map[string]any{"size": 1, "items": roles}
	return m
}

func (e *Emulator) serverInfoJSON(db *database) map[string]any {
	return map[string]any{
		"baseUrl":        e.baseURL,
		"version":        "10.3.6",
		"versionNumbers": []int{10, 3, 6},
		"deploymentType": "Server",
		"buildNumber":    10030006,
		"buildDate":      "2025-05-06T00:00:00.000+0000",
		"serverTime":     fmtTime(db.now()),
		"scmInfo":        "5c0d3a1f6e2b9a7c4d8e1f0a3b6c9d2e5f8a1b4c",
		"serverTitle":    "Jira",
	}
}

func (e *Emulator) statusJSON(s *status) map[string]any {
	return map[string]any{
		"self":        e.baseURL + "/rest/api/2/status/" + s.id,
		"description": s.description,
		"iconUrl":     e.baseURL + s.icon,
		"name":        s.name,
		"id":          s.id,
		"statusCategory": map[string]any{
			"self":      e.baseURL + "/rest/api/2/statuscategory/" + strconv.Itoa(s.cat.id),
			"id":        s.cat.id,
			"key":       s.cat.key,
			"colorName": s.cat.colorName,
			"name":      s.cat.name,
		},
	}
}

func (e *Emulator) priorityJSON(p *priority) map[string]any {
	return map[string]any{"self": e.baseURL + "/rest/api/2/priority/" + p.id, "iconUrl": e.baseURL + p.icon, "name": p.name, "id": p.id}
}

func (e *Emulator) resolutionJSON(r *resolution) map[string]any {
	return map[string]any{"self": e.baseURL + "/rest/api/2/resolution/" + r.id, "id": r.id, "description": r.description, "name": r.name}
}

func (e *Emulator) issueTypeJSON(t *issueType) map[string]any {
	m := map[string]any{"self": e.baseURL + "/rest/api/2/issuetype/" + t.id, "id": t.id, "description": t.description, "iconUrl": e.baseURL + t.icon, "name": t.name, "subtask": t.subtask}
	if t.avatarID != 0 {
		m["avatarId"] = t.avatarID
	}
	return m
}

func (e *Emulator) optionJSON(o option) map[string]any {
	return map[string]any{"self": e.baseURL + "/rest/api/2/customFieldOption/" + o.id, "value": o.value, "id": o.id, "disabled": false}
}

func (e *Emulator) projectJSON(p *project, full bool, db *database) map[string]any {
	id := strconv.Itoa(p.id)
	m := map[string]any{
		"self":           e.baseURL + "/rest/api/2/project/" + id,
		"id":             id,
		"key":            p.key,
		"name":           p.name,
		"projectTypeKey": "software",
		"avatarUrls":     e.avatarURLs("project", id),
	}
	if !full {
		return m
	}
	m["expand"] = "description,lead,url,projectKeys"
	m["archived"] = false
	m["description"] = p.desc
	m["url"] = "https://wiki.example.test/display/" + p.key
	lead := e.userJSON(db, p.lead).(map[string]any)
	delete(lead, "emailAddress")
	delete(lead, "timeZone")
	m["lead"] = lead
	comps, vers := []any{}, []any{}
	for _, c := range p.components {
		comps = append(comps, e.componentJSON(c, true))
	}
	for _, v := range p.versions {
		vers = append(vers, e.versionJSON(v, true))
	}
	m["components"] = comps
	m["versions"] = vers
	m["assigneeType"] = "UNASSIGNED"
	types := []any{}
	for _, t := range db.types {
		types = append(types, e.issueTypeJSON(t))
	}
	m["issueTypes"] = types
	roles := map[string]any{}
	for i, name := range []string{"Administrators", "Developers", "Users"} {
		roles[name] = fmt.Sprintf("%s/rest/api/2/project/%s/role/%d", e.baseURL, id, 10002+i)
	}
	m["roles"] = roles
	m["projectKeys"] = []string{p.key}
	return m
}

// componentJSON renders a component as an issue's Component/s field holds
// it, or (full) as GET project lists it.
func (e *Emulator) componentJSON(c *component, full bool) map[string]any {
	id := strconv.Itoa(c.id)
	m := map[string]any{"self": e.baseURL + "/rest/api/2/component/" + id, "id": id, "name": c.name}
	if c.desc != "" {
		m["description"] = c.desc
	}
	if full {
		m["assigneeType"] = "PROJECT_DEFAULT"
		m["realAssigneeType"] = "PROJECT_DEFAULT"
		m["isAssigneeTypeValid"] = false
		m["project"] = c.project.key
		m["projectId"] = c.project.id
		m["archived"] = false
		m["deleted"] = false
	}
	return m
}

// versionJSON renders a version as an issue's Fix Version/s field holds it,
// or (full) as GET project lists it.
func (e *Emulator) versionJSON(v *version, full bool) map[string]any {
	id := strconv.Itoa(v.id)
	m := map[string]any{"self": e.baseURL + "/rest/api/2/version/" + id, "id": id, "name": v.name, "archived": v.archived, "released": v.released}
	if v.desc != "" {
		m["description"] = v.desc
	}
	if !v.releaseDate.IsZero() {
		m["releaseDate"] = v.releaseDate.Format("2006-01-02")
	}
	if full {
		if !v.releaseDate.IsZero() {
			m["userReleaseDate"] = v.releaseDate.Format("02/Jan/06")
		}
		m["projectId"] = v.project.id
	}
	return m
}

func sortStrings(xs []string) {
	for i := 1; i < len(xs); i++ {
		for j := i; j > 0 && xs[j] < xs[j-1]; j-- {
			xs[j], xs[j-1] = xs[j-1], xs[j]
		}
	}
}

// Transitions.

func (e *Emulator) transitionJSON(db *database, t *transition, withFields bool) map[string]any {
	seq := 0
	for i, x := range db.transitions {
		if x == t {
			seq = 10 * (i + 1)
		}
	}
	m := map[string]any{"id": t.id, "name": t.name, "opsbarSequence": seq, "to": e.statusJSON(t.to)}
	if withFields {
		fs := map[string]any{}
		for _, id := range t.screen {
			fs[id] = e.fieldMetaJSON(db, id, containsString(t.required, id))
		}
		m["fields"] = fs
	}
	return m
}

func (e *Emulator) fieldMetaJSON(db *database, id string, required bool) map[string]any {
	f := db.fieldByID[id]
	m := map[string]any{"required": required, "schema": f.schemaJSON(), "name": f.name, "fieldId": id, "hasDefaultValue": false, "operations": []string{"set"}}
	var allowed []any
	switch id {
	case "resolution":
		for _, r := range db.resolutions {
			allowed = append(allowed, e.resolutionJSON(r))
		}
	case fieldReviewTeam:
		for _, o := range db.reviewTeams {
			allowed = append(allowed, e.optionJSON(o))
		}
	}
	if allowed != nil {
		m["allowedValues"] = allowed
	}
	return m
}

func (e *Emulator) getTransitions(w http.ResponseWriter, r *http.Request, db *database, u *user, key string) {
	is := e.browsableIssue(w, db, u, key)
	if is == nil {
		return
	}
	q := r.URL.Query()
	exp := expandSet(q["expand"])
	only := q.Get("transitionId")
	ts := []any{}
	for _, t := range db.transitionsFor(u, is) {
		if only == "" || t.id == only {
			ts = append(ts, e.transitionJSON(db, t, exp["transitions.fields"]))
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"expand": "transitions", "transitions": ts})
}

type transitionRequest struct {
	Transition *struct {
		ID   json.RawMessage `json:"id"`
		Name string          `json:"name"`
	} `json:"transition"`
	Fields          map[string]json.RawMessage   `json:"fields"`
	Update          map[string][]json.RawMessage `json:"update"`
	HistoryMetadata json.RawMessage              `json:"historyMetadata"`
	Properties      json.RawMessage              `json:"properties"`
}

type commentInput struct {
	Body       *string    `json:"body"`
	Visibility *visibilty `json:"visibility"`
	// Read-only properties of CommentJsonBean that Jira ignores on input.
	ID           json.RawMessage `json:"id"`
	Self         json.RawMessage `json:"self"`
	Author       json.RawMessage `json:"author"`
	UpdateAuthor json.RawMessage `json:"updateAuthor"`
	Created      json.RawMessage `json:"created"`
	Updated      json.RawMessage `json:"updated"`
	Properties   json.RawMessage `json:"properties"`
	RenderedBody json.RawMessage `json:"renderedBody"`
}

type visibilty struct {
	Type  string `json:"type"`
	Value string `json:"value"`
}

const commentEmpty = "Comment body can not be empty!"

func (e *Emulator) doTransition(w http.ResponseWriter, r *http.Request, db *database, u *user, key string) {
	var req transitionRequest
	if err := decodeStrict(r.Body, &req); err != nil {
		jiraError(w, http.StatusBadRequest, []string{err.Error()}, nil)
		return
	}
	is := e.browsableIssue(w, db, u, key)
	if is == nil {
		return
	}
	if req.Transition == nil || len(req.Transition.ID) == 0 || string(req.Transition.ID) == "null" {
		jiraError(w, http.StatusBadRequest, []string{"Missing 'transition' identifier"}, nil)
		return
	}
	var id string
	if err := json.Unmarshal(req.Transition.ID, &id); err != nil {
		var n json.Number
		if json.Unmarshal(req.Transition.ID, &n) != nil {
			jiraError(w, http.StatusBadRequest, []string{"Can not deserialize instance of java.lang.String out of START_OBJECT token"}, nil)
			return
		}
		id = n.String()
	}
	t := db.transitionByID(id)
	if t == nil {
		jiraError(w, http.StatusBadRequest, []string{fmt.Sprintf("Transition id '%s' is not valid for this issue.", id)}, nil)
		return
	}
	available := false
	for _, x := range db.transitionsFor(u, is) {
		available = available || x == t
	}
	if !available {
		jiraError(w, http.StatusBadRequest, []string{fmt.Sprintf("It seems that you have tried to perform a workflow operation (%s) that is not valid for the current state of this issue (%s). The likely cause is that somebody has changed the issue recently, please look at the issue history for details.", t.name, is.key)}, nil)
		return
	}
	errs := map[string]string{}
	var res *resolution
	var team *option
	for fid, raw := range req.Fields {
		if !containsString(t.screen, fid) {
			errs[fid] = fmt.Sprintf("Field '%s' cannot be set. It is not on the appropriate screen, or unknown.", fid)
			continue
		}
		switch fid {
		case "resolution":
			var ref map[string]any
			_ = json.Unmarshal(raw, &ref)
			rid, _ := ref["id"].(string)
			rname, _ := ref["name"].(string)
			switch {
			case string(raw) == "null":
			case rid == "" && rname == "":
				errs[fid] = "Could not find valid 'id' or 'name' in resolution object."
			default:
				for _, x := range db.resolutions {
					if rid != "" && x.id == rid || rid == "" && strings.EqualFold(x.name, rname) {
						res = x
					}
				}
				if res == nil && rid != "" {
					errs[fid] = fmt.Sprintf("Resolution with id '%s' does not exist.", rid)
				} else if res == nil {
					errs[fid] = fmt.Sprintf("Resolution with name '%s' does not exist.", rname)
				}
			}
		case fieldReviewTeam:
			var ref map[string]any
			_ = json.Unmarshal(raw, &ref)
			oid, _ := ref["id"].(string)
			oval, _ := ref["value"].(string)
			switch {
			case string(raw) == "null":
			case oid == "" && oval == "":
				errs[fid] = "Could not find valid 'id' or 'value' in the option object."
			default:
				for i, o := range db.reviewTeams {
					if oid != "" && o.id == oid || oid == "" && o.value == oval {
						team = &db.reviewTeams[i]
					}
				}
				if team == nil && oid != "" {
					errs[fid] = fmt.Sprintf("Option id '%s' is not valid", oid)
				} else if team == nil {
					errs[fid] = fmt.Sprintf("Option value '%s' is not valid", oval)
				}
			}
		}
	}
	var comments []commentInput
	for fid, ops := range req.Update {
		if fid != "comment" {
			if !containsString(t.screen, fid) {
				errs[fid] = fmt.Sprintf("Field '%s' cannot be set. It is not on the appropriate screen, or unknown.", fid)
			}
			continue
		}
		for _, op := range ops {
			var m map[string]json.RawMessage
			if json.Unmarshal(op, &m) != nil || len(m) == 0 {
				errs["comment"] = "No operation specified for the comment field."
				continue
			}
			for verb, arg := range m {
				if verb != "add" {
					errs["comment"] = fmt.Sprintf("Operation '%s' is not supported for the comment field during a transition.", verb)
					continue
				}
				var ci commentInput
				if err := decodeStrict(bytes.NewReader(arg), &ci); err != nil {
					jiraError(w, http.StatusBadRequest, []string{err.Error()}, nil)
					return
				}
				if ci.Body == nil || strings.TrimSpace(*ci.Body) == "" {
					errs["comment"] = commentEmpty
					continue
				}
				if msg, field := db.checkVisibility(u, is, ci.Visibility); msg != "" {
					errs[field] = msg
					continue
				}
				comments = append(comments, ci)
			}
		}
	}
	for _, fid := range t.required {
		if _, bad := errs[fid]; bad {
			continue
		}
		if fid == "resolution" && res == nil || fid == fieldReviewTeam && team == nil {
			errs[fid] = db.fieldByID[fid].name + " is required."
		}
	}
	if len(errs) > 0 {
		jiraError(w, http.StatusBadRequest, nil, errs)
		return
	}
	now := db.now().UTC()
	is.status = t.to
	is.updated = now
	if t.to.cat == catDone {
		if res != nil {
			is.resolution, is.resolved = res, now
		}
	} else {
		is.resolution, is.resolved = nil, time.Time{}
	}
	if team != nil {
		is.reviewTeam = team
	}
	// Jira applies update.comment through the transition's screen: a
	// transition without one answers 204 and silently drops the comment
	// (community.general#818 on Server, jira-cli#1024). The comment is still
	// validated above, so a bad one fails either way.
	if len(t.screen) > 0 {
		for _, ci := range comments {
			vt, vv := "", ""
			if ci.Visibility != nil {
				vt, vv = ci.Visibility.Type, ci.Visibility.Value
			}
			db.addComment(is, u.name, *ci.Body, now, vt, vv)
		}
	}
	w.WriteHeader(http.StatusNoContent)
}

// checkVisibility validates a comment restriction; it returns Jira's
// message and the errors key it uses.
func (db *database) checkVisibility(u *user, is *issue, v *visibilty) (msg, field string) {
	if v == nil {
		return "", ""
	}
	switch v.Type {
	case "group":
		if !db.groups[v.Value] {
			return fmt.Sprintf("Group: %s does not exist.", v.Value), "commentLevel"
		}
		if !db.inGroup(u, v.Value) {
			return fmt.Sprintf("You are currently not a member of the group: %s.", v.Value), "commentLevel"
		}
	case "role":
		if !db.roleExists(is.project, v.Value) {
			return fmt.Sprintf("Invalid role level specified: %s.", v.Value), "commentLevel"
		}
		if !db.inRole(u, is.project, v.Value) {
			return fmt.Sprintf("You are currently not a member of the project role: %s.", v.Value), "commentLevel"
		}
	default:
		return fmt.Sprintf("The visibility type '%s' is invalid; use 'group' or 'role'.", v.Type), "commentLevel"
	}
	return "", ""
}

// Comments.

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

const defaultCommentPage = 5000

func (e *Emulator) getComments(w http.ResponseWriter, r *http.Request, db *database, u *user, key string) {
	is := e.browsableIssue(w, db, u, key)
	if is == nil {
		return
	}
	q := r.URL.Query()
	startAt, maxResults := 0, defaultCommentPage
	if n, err := strconv.Atoi(q.Get("startAt")); err == nil && n > 0 {
		startAt = n
	}
	if n, err := strconv.Atoi(q.Get("maxResults")); err == nil && n >= 0 {
		maxResults = min(n, defaultCommentPage)
	}
	cs := db.visibleComments(u, is)
	switch strings.TrimPrefix(q.Get("orderBy"), "+") {
	case "-created":
		for i, j := 0, len(cs)-1; i < j; i, j = i+1, j-1 {
			cs[i], cs[j] = cs[j], cs[i]
		}
	}
	rendered := expandSet(q["expand"])["renderedBody"]
	out := []any{}
	for i := startAt; i < len(cs) && i < startAt+maxResults; i++ {
		out = append(out, e.commentJSON(db, is, cs[i], rendered))
	}
	writeJSON(w, http.StatusOK, map[string]any{"startAt": startAt, "maxResults": maxResults, "total": len(cs), "comments": out})
}

func (e *Emulator) getComment(w http.ResponseWriter, r *http.Request, db *database, u *user, key, id string) {
	is := e.browsableIssue(w, db, u, key)
	if is == nil {
		return
	}
	n, err := parseInt(id)
	if err == nil {
		for _, c := range is.comments {
			if c.id == n && db.canSeeComment(u, is, c) {
				writeJSON(w, http.StatusOK, e.commentJSON(db, is, c, expandSet(r.URL.Query()["expand"])["renderedBody"]))
				return
			}
		}
	}
	jiraError(w, http.StatusNotFound, []string{fmt.Sprintf("Can not find a comment for the id: %s.", id)}, nil)
}

func (e *Emulator) addComment(w http.ResponseWriter, r *http.Request, db *database, u *user, key string) {
	var ci commentInput
	if err := decodeStrict(r.Body, &ci); err != nil {
		jiraError(w, http.StatusBadRequest, []string{err.Error()}, nil)
		return
	}
	is := e.browsableIssue(w, db, u, key)
	if is == nil {
		return
	}
	if !db.canComment(u, is.project) {
		msg := u.displayName + ", you do not have the permission to comment on this issue."
		if u.isAnonymous() {
			msg = "You do not have the permission to comment on this issue."
		}
		jiraError(w, http.StatusBadRequest, []string{msg}, nil)
		return
	}
	if ci.Body == nil || strings.TrimSpace(*ci.Body) == "" {
		jiraError(w, http.StatusBadRequest, nil, map[string]string{"comment": commentEmpty})
		return
	}
	if msg, field := db.checkVisibility(u, is, ci.Visibility); msg != "" {
		jiraError(w, http.StatusBadRequest, nil, map[string]string{field: msg})
		return
	}
	vt, vv := "", ""
	if ci.Visibility != nil {
		vt, vv = ci.Visibility.Type, ci.Visibility.Value
	}
	now := db.now().UTC()
	c := db.addComment(is, u.name, *ci.Body, now, vt, vv)
	is.updated = now
	m := e.commentJSON(db, is, c, expandSet(r.URL.Query()["expand"])["renderedBody"])
	w.Header().Set("Location", m["self"].(string))
	writeJSON(w, http.StatusCreated, m)
}
