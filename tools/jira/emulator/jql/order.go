package jql

import (
	"fmt"
	"strings"
	"time"
)

// A sortKey compares two issues on one field; empty values compare as
// larger than any value, as in Jira.
type sortKey func(a, b *Issue) int

type sortField struct {
	cmp  sortKey
	desc bool
}

func (c *compiler) order(q *query) func(a, b *Issue) bool {
	var keys []sortField
	if !q.hasOrder {
		// Jira orders a query without ORDER BY by issue key, newest first.
		keys = []sortField{{cmp: cmpKey, desc: true}}
	}
	for _, s := range q.order {
		if cmp := c.sortKey(s.field); cmp != nil {
			keys = append(keys, sortField{cmp: cmp, desc: s.desc})
		}
	}
	return func(a, b *Issue) bool {
		for _, k := range keys {
			x := k.cmp(a, b)
			if x == 0 {
				continue
			}
			if k.desc {
				return x > 0
			}
			return x < 0
		}
		return a.ID > b.ID
	}
}

func (c *compiler) sortKey(t token) sortKey {
	if strings.EqualFold(t.text, "rank") {
		return func(a, b *Issue) int { return a.ID - b.ID }
	}
	fields := c.d.lookupFields(t.text)
	if len(fields) == 0 {
		c.errs = append(c.errs, fmt.Sprintf("Not able to sort using field '%s'.", t.text))
		return nil
	}
	var cmps []sortKey
	for _, f := range fields {
		if cmp := c.fieldSortKey(t, f); cmp != nil {
			cmps = append(cmps, cmp)
		}
	}
	if len(fields) == 1 {
		if len(cmps) == 0 {
			return nil
		}
		return cmps[0]
	}
	return func(a, b *Issue) int {
		for _, cmp := range cmps {
			if x := cmp(a, b); x != 0 {
				return x
			}
		}
		return 0
	}
}

// sortKeys are the orders of the field kinds that sort the same way
// whatever the field.
var sortKeys = map[Kind]sortKey{
	kKey:     cmpKey,
	kProject: func(a, b *Issue) int { return strings.Compare(a.Project.Name, b.Project.Name) },
	kStatus:  func(a, b *Issue) int { return a.Status.Order - b.Status.Order },
	kStatusCategory: func(a, b *Issue) int {
		return a.Status.Category.ID - b.Status.Category.ID
	},
	// Ascending priority is lowest first, as in Jira.
	kPriority: func(a, b *Issue) int {
		if x, done := cmpEmpty(a.Priority == nil, b.Priority == nil); done {
			return x
		}
		return b.Priority.Rank - a.Priority.Rank
	},
	kResolution: func(a, b *Issue) int { return cmpStr(resolutionName(a), resolutionName(b)) },
	kType:       func(a, b *Issue) int { return cmpStr(a.Type.Name, b.Type.Name) },
	// By the last sprint.
	KindSprint: func(a, b *Issue) int {
		ai, bi := lastSprint(a), lastSprint(b)
		if x, done := cmpEmpty(ai == 0, bi == 0); done {
			return x
		}
		return ai - bi
	},
	KindEpicLink: func(a, b *Issue) int {
		if x, done := cmpEmpty(a.EpicLink == nil, b.EpicLink == nil); done {
			return x
		}
		return cmpRef(*a.EpicLink, *b.EpicLink)
	},
	kComponent: func(a, b *Issue) int { return cmpStr(componentNames(a), componentNames(b)) },
	// By the earliest fix version's sequence, as Jira orders versions.
	kVersion: func(a, b *Issue) int {
		if x, done := cmpEmpty(firstVersion(a) == 0, firstVersion(b) == 0); done {
			return x
		}
		return firstVersion(a) - firstVersion(b)
	},
	kLabels: func(a, b *Issue) int { return cmpStr(strings.Join(a.Labels, " "), strings.Join(b.Labels, " ")) },
}

// fieldSortKey is the order of one field, or nil after reporting that the
// field does not sort.
func (c *compiler) fieldSortKey(t token, f field) sortKey {
	if cmp := sortKeys[f.kind]; cmp != nil {
		return cmp
	}
	switch f.kind {
	case kUser:
		return func(a, b *Issue) int { return cmpStr(c.displayName(userOf(a, f.id)), c.displayName(userOf(b, f.id))) }
	case kDate, kDueDate:
		return func(a, b *Issue) int { return cmpTime(dateOf(a, f.id), dateOf(b, f.id)) }
	case KindNumber:
		return func(a, b *Issue) int { return cmpNumber(a.Numbers, b.Numbers, f.id) }
	case KindSelect:
		return func(a, b *Issue) int { return cmpStr(a.Options[f.id].Value, b.Options[f.id].Value) }
	case KindText:
		if f.id == "summary" || f.custom {
			return func(a, b *Issue) int { return cmpStr(texts(a, f)[0], texts(b, f)[0]) }
		}
	}
	c.errs = append(c.errs, fmt.Sprintf("Field '%s' does not support sorting.", t.text))
	return nil
}

func (c *compiler) displayName(name string) string {
	for _, u := range c.d.Users {
		if u.Name == name {
			return u.DisplayName
		}
	}
	return ""
}

func cmpKey(a, b *Issue) int { return cmpRef(a.ref(), b.ref()) }

func cmpRef(a, b Ref) int {
	if x := strings.Compare(a.Project, b.Project); x != 0 {
		return x
	}
	return a.Num - b.Num
}

func cmpEmpty(ae, be bool) (int, bool) {
	switch {
	case ae && be:
		return 0, true
	case ae:
		return 1, true
	case be:
		return -1, true
	}
	return 0, false
}

func cmpStr(a, b string) int {
	if x, done := cmpEmpty(a == "", b == ""); done {
		return x
	}
	return strings.Compare(strings.ToLower(a), strings.ToLower(b))
}

func cmpTime(a, b time.Time) int {
	if x, done := cmpEmpty(a.IsZero(), b.IsZero()); done {
		return x
	}
	return a.Compare(b)
}

func cmpNumber(a, b map[string]float64, id string) int {
	av, aok := a[id]
	bv, bok := b[id]
	if x, done := cmpEmpty(!aok, !bok); done {
		return x
	}
	switch {
	case av < bv:
		return -1
	case av > bv:
		return 1
	}
	return 0
}

func resolutionName(is *Issue) string {
	if is.Resolution == nil {
		return ""
	}
	return is.Resolution.Name
}

func lastSprint(is *Issue) int {
	if len(is.Sprints) == 0 {
		return 0
	}
	return is.Sprints[len(is.Sprints)-1].ID
}

func componentNames(is *Issue) string {
	ns := make([]string, len(is.Components))
	for i, cp := range is.Components {
		ns[i] = cp.Name
	}
	return strings.Join(ns, ", ")
}

func firstVersion(is *Issue) int {
	m := 0
	for _, v := range is.FixVersions {
		if m == 0 || v.Seq < m {
			m = v.Seq
		}
	}
	return m
}
