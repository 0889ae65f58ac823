package emulator

import (
	"net/http"
	"strings"
)

// This file routes the REST API. e.mux (with withHandler's mounts) hands
// everything under /rest/api/2/ (and /rest/agile/1.0/, /secure/attachment/)
// to e.api, a ServeMux whose patterns name method and path. Every route
// authenticates first, so an unknown path or a wrong method answers 401 to
// a caller without a token, as Jira does.

const apiPrefix = "/rest/api/2/"

// apiHandler serves a REST resource to an authenticated user.
type apiHandler func(w http.ResponseWriter, r *http.Request, u *user)

// method is one method a route serves.
type method struct {
	name string
	h    apiHandler
}

func get(h apiHandler) method  { return method{http.MethodGet, h} }
func post(h apiHandler) method { return method{http.MethodPost, h} }

// routes registers the REST API on e.api.
func (e *Emulator) routes() {
	e.api = http.NewServeMux()
	e.route("search", get(e.searchIssues), post(e.searchIssues))
	e.route("issue", post(e.postIssue))
	e.route("issue/{key}", get(e.getIssue), put(e.putIssue))
	e.route("issue/{key}/editmeta", get(e.getEditMeta))
	e.route("issue/{key}/assignee", put(e.putAssignee))
	e.route("issue/{key}/transitions", get(e.getTransitions), post(e.postTransition))
	e.route("issue/{key}/comment", get(e.getComments), post(e.postComment))
	e.route("issue/{key}/comment/{id}", get(e.getComment), put(e.putComment))
	e.createMetaRoutes()
	e.route("user", get(e.getUser))
	e.route("user/search", get(e.searchUsers))
	e.route("user/assignable/search", get(e.searchAssignable))
	e.route("issue/{key}/remotelink", get(e.getRemoteLinks), post(e.postRemoteLink))
	e.route("issue/{key}/worklog", get(e.getWorklogs), post(e.postWorklog))
	e.route("issueLink", post(e.postIssueLink))
	e.route("issueLink/{id}", get(e.getIssueLink))
	e.route("issueLinkType", get(e.getIssueLinkTypes))
	e.route("field", get(e.getFields))
	e.route("myself", get(e.getMyself))
	e.route("serverInfo", get(e.getServerInfo))
	e.route("status", get(e.getStatuses))
	e.route("priority", get(e.getPriorities))
	e.route("resolution", get(e.getResolutions))
	e.route("project", get(e.getProjects))
	e.route("project/{key}", get(e.getProject))
	e.route("issue/{key}/attachments", post(e.postAttachments))
	e.route("attachment/{id}", get(e.getAttachment))
	e.agileRoutes()         // under /rest/agile/1.0/, agile.go
	e.attachmentDownloads() // under /secure/attachment/, attachments.go
	// Jersey's own 404 for any other resource.
	e.api.Handle(apiPrefix, e.authed(e.unknownResource))
	e.mux.Handle(apiPrefix, e.api)
}

// route registers path (under /rest/api/2/, with or without a trailing
// slash) for the methods given. Any other method answers 405 with an Allow
// header and no body, as Jersey does; that includes HEAD, which a GET
// pattern would otherwise serve.
func (e *Emulator) route(path string, ms ...method) { e.routeUnder(apiPrefix, path, ms...) }

// routeUnder is route for a path under another prefix (the agile API's).
func (e *Emulator) routeUnder(prefix, path string, ms ...method) {
	names := make([]string, len(ms))
	for i, m := range ms {
		names[i] = m.name
	}
	notAllowed := e.authed(func(w http.ResponseWriter, r *http.Request, _ *user) {
		w.Header().Set("Allow", strings.Join(names, ", "))
		w.WriteHeader(http.StatusMethodNotAllowed)
	})
	for _, p := range []string{prefix + path, prefix + path + "/{$}"} {
		for _, m := range ms {
			e.api.Handle(m.name+" "+p, e.authed(m.h))
		}
		e.api.Handle(http.MethodHead+" "+p, notAllowed)
		e.api.Handle(p, notAllowed)
	}
}

// authed authenticates the request before h serves it.
func (e *Emulator) authed(h apiHandler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u, ok := e.authenticate(w, r); ok {
			h(w, r, u)
		}
	})
}

// unknownResource is Jersey's 404 for a path no resource serves.
func (e *Emulator) unknownResource(w http.ResponseWriter, r *http.Request, _ *user) {
	writeJSON(w, http.StatusNotFound, map[string]any{"message": "null for uri: " + e.baseURL + r.URL.RequestURI(), "status-code": 404})
}
