package emulator

import (
	"encoding/json"
	"net/http"
	"strconv"
)

// Issue links and remote links: POST /rest/api/2/issueLink, GET
// .../issueLink/{id}, GET .../issueLinkType, GET and POST
// .../issue/{key}/remotelink, and the issuelinks field. This file decodes
// and renders; links_state.go checks and applies, and explains which way a
// link points.

// linkInput is the body of POST issueLink (LinkIssueRequestJsonBean).
type linkInput struct {
	Type *struct {
		ID      string          `json:"id"`
		Name    string          `json:"name"`
		Inward  json.RawMessage `json:"inward"`
		Outward json.RawMessage `json:"outward"`
		Self    json.RawMessage `json:"self"`
	} `json:"type"`
	InwardIssue  *issueRefInput `json:"inwardIssue"`
	OutwardIssue *issueRefInput `json:"outwardIssue"`
	Comment      *commentInput  `json:"comment"`
}

// issueRefInput names an issue by key or id (IssueRefJsonBean).
type issueRefInput struct {
	ID     string          `json:"id"`
	Key    string          `json:"key"`
	Self   json.RawMessage `json:"self"`
	Fields json.RawMessage `json:"fields"`
}

func (r *issueRefInput) ref() string {
	if r.Key != "" {
		return r.Key
	}
	return r.ID
}

func (e *Emulator) postIssueLink(w http.ResponseWriter, r *http.Request, u *user) {
	var in linkInput
	if err := decodeStrict(r.Body, &in); err != nil {
		writeError(w, err)
		return
	}
	e.mu.Lock()
	l, err := e.db.linkIssues(u, in)
	e.mu.Unlock()
	if err != nil {
		writeError(w, err)
		return
	}
	w.Header().Set("Location", e.baseURL+apiPrefix+"issueLink/"+strconv.Itoa(l.id))
	w.WriteHeader(http.StatusCreated)
}

func (e *Emulator) getIssueLink(w http.ResponseWriter, r *http.Request, u *user) {
	e.answer(w, http.StatusOK, func(db *database) (any, error) {
		l, err := db.link(u, r.PathValue("id"))
		if err != nil {
			return nil, err
		}
		return map[string]any{
			"id": strconv.Itoa(l.id), "self": e.linkSelf(l), "type": e.linkTypeJSON(l.typ),
			"inwardIssue": e.miniIssueJSON(l.source), "outwardIssue": e.miniIssueJSON(l.dest),
		}, nil
	})
}

func (e *Emulator) getIssueLinkTypes(w http.ResponseWriter, _ *http.Request, _ *user) {
	e.answer(w, http.StatusOK, func(db *database) (any, error) {
		ts := make([]any, len(db.linkTypes))
		for i, t := range db.linkTypes {
			ts[i] = e.linkTypeJSON(t)
		}
		return map[string]any{"issueLinkTypes": ts}, nil
	})
}

func (e *Emulator) linkSelf(l *issueLink) string {
	return e.baseURL + apiPrefix + "issueLink/" + strconv.Itoa(l.id)
}

func (e *Emulator) linkTypeJSON(t *linkType) json.RawMessage {
	return e.raw("linkType", t.id, func() any {
		return map[string]any{"id": t.id, "name": t.name, "inward": t.inward, "outward": t.outward, "self": e.baseURL + apiPrefix + "issueLinkType/" + t.id}
	})
}

// issueLinks is the issuelinks field: each link names its other end by
// where that end stands from this issue (see links_state.go).
func (v issueView) issueLinks() any {
	out := []any{}
	for _, l := range v.db.linksOf(v.u, v.is) {
		m := map[string]any{"id": strconv.Itoa(l.id), "self": v.e.linkSelf(l), "type": v.e.linkTypeJSON(l.typ)}
		if l.source == v.is {
			m["outwardIssue"] = v.e.miniIssueJSON(l.dest)
		} else {
			m["inwardIssue"] = v.e.miniIssueJSON(l.source)
		}
		out = append(out, m)
	}
	return out
}

// remoteLinkInput is the body of POST remotelink
// (RemoteIssueLinkCreateOrUpdateRequest).
type remoteLinkInput struct {
	GlobalID    *string `json:"globalId"`
	Application *struct {
		Type string `json:"type"`
		Name string `json:"name"`
	} `json:"application"`
	Relationship *string       `json:"relationship"`
	Object       *remoteObject `json:"object"`
}

type remoteObject struct {
	URL     *string `json:"url"`
	Title   *string `json:"title"`
	Summary *string `json:"summary"`
	Icon    *struct {
		URL   string `json:"url16x16"`
		Title string `json:"title"`
		Link  string `json:"link"`
	} `json:"icon"`
	Status json.RawMessage `json:"status"`
}

// apply sets what the request gives; an update replaces the object.
func (in remoteLinkInput) apply(rl *remoteLink) {
	rl.globalID, rl.relationship = deref(in.GlobalID), deref(in.Relationship)
	rl.appType, rl.appName = "", ""
	if in.Application != nil {
		rl.appType, rl.appName = in.Application.Type, in.Application.Name
	}
	o := in.Object
	rl.url, rl.title, rl.summary = deref(o.URL), deref(o.Title), deref(o.Summary)
	rl.iconURL, rl.iconTitle = "", ""
	if o.Icon != nil {
		rl.iconURL, rl.iconTitle = o.Icon.URL, o.Icon.Title
	}
}

func (e *Emulator) getRemoteLinks(w http.ResponseWriter, r *http.Request, u *user) {
	q := r.URL.Query()
	_, byGlobalID := q["globalId"]
	e.answer(w, http.StatusOK, func(db *database) (any, error) {
		is, rls, err := db.remoteLinks(u, r.PathValue("key"), q.Get("globalId"), byGlobalID)
		if err != nil {
			return nil, err
		}
		if byGlobalID {
			return e.remoteLinkJSON(is, rls[0]), nil
		}
		out := make([]any, len(rls))
		for i, rl := range rls {
			out[i] = e.remoteLinkJSON(is, rl)
		}
		return out, nil
	})
}

// postRemoteLink creates (201) or, for a globalId the issue has, updates
// (200) a remote link.
func (e *Emulator) postRemoteLink(w http.ResponseWriter, r *http.Request, u *user) {
	var in remoteLinkInput
	if err := decodeStrict(r.Body, &in); err != nil {
		writeError(w, err)
		return
	}
	e.mu.Lock()
	is, rl, created, err := e.db.putRemoteLink(u, r.PathValue("key"), in)
	var m map[string]any
	if err == nil {
		m = map[string]any{"id": rl.id, "self": e.remoteLinkSelf(is, rl)}
	}
	e.mu.Unlock()
	if err != nil {
		writeError(w, err)
		return
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
		w.Header().Set("Location", m["self"].(string))
	}
	writeJSON(w, status, m)
}

func (e *Emulator) remoteLinkSelf(is *issue, rl *remoteLink) string {
	return e.baseURL + apiPrefix + "issue/" + is.key + "/remotelink/" + strconv.Itoa(rl.id)
}

func (e *Emulator) remoteLinkJSON(is *issue, rl *remoteLink) map[string]any {
	obj := map[string]any{"url": rl.url, "title": rl.title}
	if rl.summary != "" {
		obj["summary"] = rl.summary
	}
	icon := map[string]any{}
	if rl.iconURL != "" {
		icon["url16x16"] = rl.iconURL
	}
	if rl.iconTitle != "" {
		icon["title"] = rl.iconTitle
	}
	obj["icon"] = icon
	m := map[string]any{"id": rl.id, "self": e.remoteLinkSelf(is, rl), "object": obj}
	if rl.globalID != "" {
		m["globalId"] = rl.globalID
	}
	if rl.relationship != "" {
		m["relationship"] = rl.relationship
	}
	if rl.appType != "" || rl.appName != "" {
		m["application"] = map[string]any{"type": rl.appType, "name": rl.appName}
	}
	return m
}
