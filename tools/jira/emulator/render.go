package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Rendering of Jira's objects (users, statuses, projects, ...) as the REST
// API answers them. Callers hold e.mu.

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

func (e *Emulator) priorityRaw(p *priority) any {
	if p == nil {
		return nil
	}
	return e.raw("priority", p.id, func() any { return e.priorityJSON(p) })
}

func (e *Emulator) resolutionRaw(r *resolution) any {
	if r == nil {
		return nil
	}
	return e.raw("resolution", r.id, func() any { return e.resolutionJSON(r) })
}

func (e *Emulator) componentsRaw(cs []*component) []any {
	out := make([]any, len(cs))
	for i, c := range cs {
		out[i] = e.raw("component", strconv.Itoa(c.id), func() any { return e.componentJSON(c, false) })
	}
	return out
}

func (e *Emulator) versionsRaw(vs []*version) []any {
	out := make([]any, len(vs))
	for i, v := range vs {
		out[i] = e.raw("version", strconv.Itoa(v.id), func() any { return e.versionJSON(v, false) })
	}
	return out
}

func (e *Emulator) optionOrNil(o *option) any {
	if o == nil {
		return nil
	}
	return e.optionJSON(*o)
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
	slices.Sort(groups)
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
