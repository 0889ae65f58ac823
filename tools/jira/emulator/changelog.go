package emulator

import (
	"strconv"
	"time"
)

// The change history of issues, answered by GET issue with
// expand=changelog. Transitions, issue links, remote links and worklogs
// record what they change, as Jira does: one group per change, by whom and
// when, with an item per field.

type changeGroup struct {
	id      int
	author  string
	created time.Time
	items   []changeItem
}

// changeItem is one field's change; "" stands for Jira's null.
type changeItem struct {
	field, fieldtype string
	from, fromString string
	to, toString     string
}

// record adds a change group to the issue's history.
func (db *database) record(u *user, is *issue, at time.Time, items ...changeItem) {
	db.nextHist++
	is.history = append(is.history, &changeGroup{id: db.nextHist, author: u.name, created: at, items: items})
}

// recordTransition records what a transition changed: the status, and the
// resolution when it changed too.
func (db *database) recordTransition(u *user, is *issue, at time.Time, from *status, fromRes *resolution) {
	items := []changeItem{{field: "status", fieldtype: "jira", from: from.id, fromString: from.name, to: is.status.id, toString: is.status.name}}
	if fromRes != is.resolution {
		it := changeItem{field: "resolution", fieldtype: "jira"}
		if fromRes != nil {
			it.from, it.fromString = fromRes.id, fromRes.name
		}
		if is.resolution != nil {
			it.to, it.toString = is.resolution.id, is.resolution.name
		}
		items = append(items, it)
	}
	db.record(u, is, at, items...)
}

// changelogJSON is the changelog expansion: every group, oldest first.
func (e *Emulator) changelogJSON(db *database, is *issue) map[string]any {
	hs := make([]any, len(is.history))
	for i, g := range is.history {
		items := make([]any, len(g.items))
		for j, it := range g.items {
			items[j] = map[string]any{
				"field": it.field, "fieldtype": it.fieldtype,
				"from": strOrNil(it.from), "fromString": strOrNil(it.fromString),
				"to": strOrNil(it.to), "toString": strOrNil(it.toString),
			}
		}
		hs[i] = map[string]any{"id": strconv.Itoa(g.id), "author": e.userRaw(db, g.author), "created": fmtTime(g.created), "items": items}
	}
	return map[string]any{"startAt": 0, "maxResults": len(hs), "total": len(hs), "histories": hs}
}
