package emulator

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The state side of issue links and remote links: the link types, the
// links between issues, the links from an issue to the web, and the
// checks Jira makes before it adds one.
//
// Direction. A link goes from a source to a destination and reads "source
// <outward> destination" ("OPS-1 blocks WEB-3") or, from the other end,
// "destination <inward> source" ("WEB-3 is blocked by OPS-1"). POST
// /issueLink names the source inwardIssue and the destination
// outwardIssue: {"type":{"name":"Blocks"},"inwardIssue":{"key":"OPS-1"},
// "outwardIssue":{"key":"WEB-3"}} makes OPS-1 block WEB-3. The issue's
// issuelinks field names the other end by where it stands from this issue:
// on OPS-1 the link has outwardIssue WEB-3 (read with the outward phrase),
// on WEB-3 inwardIssue OPS-1 (read with the inward phrase). The request's
// names are the reverse of the field's, which is what makes this API
// notorious (atlassian-mcp-server#112, mozilla/jira-bugzilla-integration#1285;
// the OpenAPI document's IssueBean example shows the field's side only).
//
// Permissions: Link Issues is granted to the group that may transition the
// project's issues, and checked on the source's project; adding a remote
// link needs it on the issue's project. Both issues must be browsable.

// linkType is an issue link type.
type linkType struct{ id, name, inward, outward string }

// issueLink reads "source <outward> dest".
type issueLink struct {
	id           int
	typ          *linkType
	source, dest *issue
	created      time.Time
}

// remoteLink is a link from an issue to something outside Jira: a pull
// request, a commit, a page. globalID identifies it across updates.
type remoteLink struct {
	id                     int
	globalID, relationship string
	appType, appName       string
	url, title, summary    string
	iconURL, iconTitle     string
}

// relations are the database's links and the counters of what this file,
// worklogs_state.go and changelog.go create.
type relations struct {
	linkTypes                                   []*linkType
	links                                       []*issueLink
	nextLink, nextRemote, nextWorklog, nextHist int
}

// issueRecords are what an issue holds besides its fields: remote links,
// worklogs with the time tracking they feed, and its change history.
type issueRecords struct {
	remoteLinks         []*remoteLink
	worklogs            []*worklog
	original, remaining *int64 // estimates in seconds; nil when unset
	spent               int64  // seconds logged
	history             []*changeGroup
}

func (db *database) canLink(u *user, p *project) bool { return db.inGroup(u, p.transition) }

// linksOf are the links of is whose other end u may browse, in creation
// order.
func (db *database) linksOf(u *user, is *issue) []*issueLink {
	var out []*issueLink
	for _, l := range db.links {
		switch {
		case l.source == is && db.canBrowse(u, l.dest.project), l.dest == is && db.canBrowse(u, l.source.project):
			out = append(out, l)
		}
	}
	return out
}

// linkTypeRef finds a link type by id or, failing that, by exact name, as
// Jira does.
func (db *database) linkTypeRef(id, name string) *linkType {
	for _, t := range db.linkTypes {
		if id != "" && t.id == id || id == "" && t.name == name {
			return t
		}
	}
	return nil
}

// linkIssues adds the link in asks for as u, or returns the error Jira
// answers. A link that exists already is not added again (Jira answers
// 201 all the same); the comment, if any, is added to the outward issue
// either way, as Atlassian documents ("the from (outward) issue").
func (db *database) linkIssues(u *user, in linkInput) (*issueLink, error) {
	if in.Type == nil || in.Type.ID == "" && in.Type.Name == "" {
		return nil, badRequest("Issue link type must be specified by id or name.")
	}
	t := db.linkTypeRef(in.Type.ID, in.Type.Name)
	if t == nil {
		return nil, notFound(fmt.Sprintf("No issue link type with name '%s' found.", in.Type.Name+in.Type.ID))
	}
	if in.InwardIssue == nil || in.OutwardIssue == nil {
		return nil, badRequest("Both inwardIssue and outwardIssue must be specified.")
	}
	source, err := db.browsableIssue(u, in.InwardIssue.ref())
	if err != nil {
		return nil, err
	}
	dest, err := db.browsableIssue(u, in.OutwardIssue.ref())
	if err != nil {
		return nil, err
	}
	if !db.canLink(u, source.project) {
		// The OpenAPI document: 401 "if the user does not have the link
		// issue permission for the issue, which will be linked to another
		// issue" - a 401 that is no login problem.
		return nil, &apiError{status: 401, messages: []string{fmt.Sprintf("You do not have the permission to link issues in project %s.", source.project.key)}}
	}
	if source == dest {
		return nil, badRequest("You cannot link an issue to itself.")
	}
	if in.Comment != nil {
		if field, msg := db.checkComment(u, dest, *in.Comment); msg != "" {
			return nil, fieldErrors(map[string]string{field: msg})
		}
	}
	now := db.now().UTC()
	l := db.findLink(t, source, dest)
	if l == nil {
		db.changed()
		db.nextLink++
		l = &issueLink{id: db.nextLink, typ: t, source: source, dest: dest, created: now}
		db.links = append(db.links, l)
		db.record(u, source, now, changeItem{field: "Link", fieldtype: "jira", to: dest.key, toString: "This issue " + t.outward + " " + dest.key})
		db.record(u, dest, now, changeItem{field: "Link", fieldtype: "jira", to: source.key, toString: "This issue " + t.inward + " " + source.key})
		source.updated, dest.updated = now, now
	}
	if in.Comment != nil {
		vt, vv := in.Comment.Visibility.pair()
		db.addComment(dest, u.name, *in.Comment.Body, now, vt, vv)
	}
	return l, nil
}

func (db *database) findLink(t *linkType, source, dest *issue) *issueLink {
	for _, l := range db.links {
		if l.typ == t && l.source == source && l.dest == dest {
			return l
		}
	}
	return nil
}

// link is the link id, if u may browse both of its issues.
func (db *database) link(u *user, id string) (*issueLink, error) {
	n, err := parseInt(id)
	if err == nil {
		for _, l := range db.links {
			if l.id == n && db.canBrowse(u, l.source.project) && db.canBrowse(u, l.dest.project) {
				return l, nil
			}
		}
	}
	return nil, notFound(fmt.Sprintf("No issue link with id '%s' exists.", id))
}

// remoteLinks are the remote links of the issue idOrKey, or only the one
// with globalID when it is not "".
func (db *database) remoteLinks(u *user, idOrKey, globalID string, byGlobalID bool) (*issue, []*remoteLink, error) {
	is, err := db.browsableIssue(u, idOrKey)
	if err != nil {
		return nil, nil, err
	}
	if !byGlobalID {
		return is, is.remoteLinks, nil
	}
	for _, rl := range is.remoteLinks {
		if rl.globalID == globalID {
			return is, []*remoteLink{rl}, nil
		}
	}
	return nil, nil, notFound(fmt.Sprintf("No remote issue link with global id '%s' exists on issue %s.", globalID, is.key))
}

// putRemoteLink creates a remote link, or updates the issue's one with the
// same globalId; created says which.
func (db *database) putRemoteLink(u *user, idOrKey string, in remoteLinkInput) (is *issue, rl *remoteLink, created bool, err error) {
	if is, err = db.browsableIssue(u, idOrKey); err != nil {
		return nil, nil, false, err
	}
	if !db.canLink(u, is.project) {
		return nil, nil, false, &apiError{status: 403, messages: []string{"You do not have permission to link issues."}}
	}
	errs := map[string]string{}
	if in.Object == nil || strings.TrimSpace(deref(in.Object.URL)) == "" {
		errs["url"] = "'url' is required."
	}
	if in.Object == nil || strings.TrimSpace(deref(in.Object.Title)) == "" {
		errs["title"] = "'title' is required."
	}
	if len(errs) > 0 {
		return nil, nil, false, fieldErrors(errs)
	}
	for _, x := range is.remoteLinks {
		if in.GlobalID != nil && *in.GlobalID != "" && x.globalID == *in.GlobalID {
			rl = x
		}
	}
	if rl == nil {
		db.nextRemote++
		rl, created = &remoteLink{id: db.nextRemote}, true
		is.remoteLinks = append(is.remoteLinks, rl)
	}
	in.apply(rl)
	db.changed()
	now := db.now().UTC()
	if created {
		db.record(u, is, now, changeItem{field: "RemoteIssueLink", fieldtype: "jira", to: strconv.Itoa(rl.id), toString: `This issue links to "` + rl.title + `"`})
	}
	is.updated = now
	return is, rl, created, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// Seed: Jira's default link types, and links, a remote link and time
// tracking on the hand-written issues. Nothing here draws from the seed's
// PRNG, so the rest of the seed is as it was.
func (db *database) seedLinks(t0 time.Time) {
	db.linkTypes = []*linkType{
		{"10000", "Blocks", "is blocked by", "blocks"},
		{"10001", "Cloners", "is cloned by", "clones"},
		{"10002", "Duplicate", "is duplicated by", "duplicates"},
		{"10003", "Relates", "relates to", "relates to"},
	}
	db.nextLink, db.nextRemote, db.nextWorklog, db.nextHist = 10000, 10000, 10000, 10000
	day := 24 * time.Hour
	link := func(typ int, source, dest string, at time.Time) {
		db.nextLink++
		db.links = append(db.links, &issueLink{id: db.nextLink, typ: db.linkTypes[typ], source: db.byKey[source], dest: db.byKey[dest], created: at})
	}
	link(0, "OPS-1", "WEB-3", t0.Add(-4*day)) // OPS-1 blocks WEB-3
	link(3, "WEB-2", "WEB-4", t0.Add(-10*day))
	link(0, "SEC-1", "WEB-2", t0.Add(-3*day)) // hidden from alice: SEC-1 is
	link(2, "MOB-1", "API-2", t0.Add(-2*day)) // MOB-1 duplicates API-2

	w3 := db.byKey["WEB-3"]
	db.nextRemote++
	w3.remoteLinks = append(w3.remoteLinks, &remoteLink{
		id: db.nextRemote, globalID: "https://git.example.test/storefront/web/pull/412", relationship: "links to",
		url: "https://git.example.test/storefront/web/pull/412", title: "PR #412: Raise the payment gateway timeout",
		summary: "Open, 2 approvals", iconURL: "https://git.example.test/favicon.ico", iconTitle: "Pull request",
	})
	w3.original, w3.remaining = new(int64(2*secondsPerDay)), new(int64(2*secondsPerDay))
	db.logWork(w3, "alice", "Reproduced with 51 items and traced it to the gateway timeout.", t0.Add(-2*day-4*time.Hour), t0.Add(-2*day), 2*3600)
	*w3.remaining -= 2 * 3600
	db.record(db.users["alice"], w3, t0.Add(-7*day), changeItem{field: "status", fieldtype: "jira", from: stToDo.id, fromString: stToDo.name, to: stProgress.id, toString: stProgress.name})
}
