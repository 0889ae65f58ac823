package jql

import (
	"strconv"
	"strings"
)

// A resolver compiles the equality test of one field kind: does the issue
// hold one of the values (plain values; functions are already expanded)?
type resolver func(c *compiler, cl clause, f field, vals []*operand) func(*Issue) bool

var resolvers = map[Kind]resolver{
	kProject:        projectValues,
	kKey:            keyValues,
	kParent:         keyValues,
	KindEpicLink:    epicValues,
	kStatus:         statusValues,
	kStatusCategory: categoryValues,
	kUser:           userValues,
	kPriority:       priorityValues,
	kResolution:     resolutionValues,
	kType:           typeValues,
	kLabels:         labelValues,
	KindSprint:      sprintValues,
	KindSelect:      optionValues,
	kComponent:      componentValues,
	kVersion:        versionValues,
	kDate:           rangeValues,
	kDueDate:        rangeValues,
	KindNumber:      rangeValues,
}

// values compiles =, !=, IN and NOT IN (the positive test; fieldClause
// negates it).
func (c *compiler) values(cl clause, f field, o *operand) func(*Issue) bool {
	vals, ok := c.flatten(o, func(o *operand) ([]string, bool) { return c.function(cl, f, o) })
	if !ok {
		return matchNone
	}
	if r := resolvers[f.kind]; r != nil {
		return r(c, cl, f, vals)
	}
	return c.fail("Field '%s' does not exist or you do not have permission to view it.", cl.field.text)
}

func (c *compiler) valueErr(cl clause, v string) {
	c.valueFail("The value '%s' does not exist for the field '%s'.", v, cl.field.text)
}

// addNamed adds the key of every x that v names to set, and tells whether
// there was one.
func addNamed[T any, K comparable](set map[K]bool, xs []T, named func(T) bool, key func(T) K) bool {
	found := false
	for _, x := range xs {
		if named(x) {
			set[key(x)], found = true, true
		}
	}
	return found
}

// resolveAll adds what each value names to set, reporting the values that
// name nothing.
func resolveAll[T any, K comparable](c *compiler, cl clause, vals []*operand, xs []T, names func(T, string) bool, key func(T) K) map[K]bool {
	set := map[K]bool{}
	for _, v := range vals {
		if !addNamed(set, xs, func(x T) bool { return names(x, v.tok.text) }, key) {
			c.valueErr(cl, v.tok.text)
		}
	}
	return set
}

func projectValues(c *compiler, cl clause, _ field, vals []*operand) func(*Issue) bool {
	set := map[int]bool{}
	for _, v := range vals {
		if p := c.d.findProject(v.tok.text); p != nil {
			set[p.ID] = true
		} else {
			c.valueErr(cl, v.tok.text)
		}
	}
	return func(is *Issue) bool { return set[is.Project.ID] }
}

func keyValues(c *compiler, cl clause, f field, vals []*operand) func(*Issue) bool {
	set := map[int]bool{}
	for _, v := range vals {
		if is, ok := c.issueValue(cl, v.tok.text); ok {
			set[is.ID] = true
		}
	}
	if f.kind == kParent {
		return func(is *Issue) bool { return is.Parent != nil && set[is.Parent.ID] }
	}
	return func(is *Issue) bool { return set[is.ID] }
}

func epicValues(c *compiler, cl clause, _ field, vals []*operand) func(*Issue) bool {
	set := map[int]bool{}
	for _, v := range vals {
		is, ok := c.issueValue(cl, v.tok.text)
		if ok && is.Type.Name != "Epic" {
			c.valueFail("The issue '%s' is not an epic and cannot be used in the 'Epic Link' field.", is.Key)
		} else if ok {
			set[is.ID] = true
		}
	}
	return func(is *Issue) bool { return is.EpicLink != nil && set[is.EpicLink.ID] }
}

func statusValues(c *compiler, cl clause, _ field, vals []*operand) func(*Issue) bool {
	set := resolveAll(c, cl, vals, c.d.Statuses,
		func(s Status, v string) bool { return strings.EqualFold(s.Name, v) || s.ID == v },
		func(s Status) string { return s.ID })
	return func(is *Issue) bool { return set[is.Status.ID] }
}

func categoryValues(c *compiler, cl clause, _ field, vals []*operand) func(*Issue) bool {
	set := resolveAll(c, cl, vals, c.d.Categories,
		func(sc Category, v string) bool {
			return strings.EqualFold(sc.Name, v) || strings.EqualFold(sc.Key, v) || strconv.Itoa(sc.ID) == v
		},
		func(sc Category) int { return sc.ID })
	return func(is *Issue) bool { return set[is.Status.Category.ID] }
}

func userValues(c *compiler, cl clause, f field, vals []*operand) func(*Issue) bool {
	set := map[string]bool{}
	for _, v := range vals {
		if u := c.d.findUser(v.tok.text); u != nil {
			set[u.Name] = true
		} else {
			c.valueErr(cl, v.tok.text)
		}
	}
	return func(is *Issue) bool { n := userOf(is, f.id); return n != "" && set[n] }
}

func priorityValues(c *compiler, cl clause, _ field, vals []*operand) func(*Issue) bool {
	set := map[string]bool{}
	for _, v := range vals {
		if p := c.d.findPriority(v.tok.text); p != nil {
			set[p.ID] = true
		} else {
			c.valueErr(cl, v.tok.text)
		}
	}
	return func(is *Issue) bool { return is.Priority != nil && set[is.Priority.ID] }
}

func resolutionValues(c *compiler, cl clause, _ field, vals []*operand) func(*Issue) bool {
	unresolved := false
	var named []*operand
	for _, v := range vals {
		if strings.EqualFold(v.tok.text, "Unresolved") {
			unresolved = true
		} else {
			named = append(named, v)
		}
	}
	set := resolveAll(c, cl, named, c.d.Resolutions,
		func(r Resolution, v string) bool { return strings.EqualFold(r.Name, v) || r.ID == v },
		func(r Resolution) string { return r.ID })
	return func(is *Issue) bool {
		return is.Resolution == nil && unresolved || is.Resolution != nil && set[is.Resolution.ID]
	}
}

func typeValues(c *compiler, cl clause, _ field, vals []*operand) func(*Issue) bool {
	set := resolveAll(c, cl, vals, c.d.Types,
		func(t IssueType, v string) bool { return strings.EqualFold(t.Name, v) || t.ID == v },
		func(t IssueType) string { return t.ID })
	return func(is *Issue) bool { return set[is.Type.ID] }
}

func labelValues(_ *compiler, _ clause, _ field, vals []*operand) func(*Issue) bool {
	set := map[string]bool{}
	for _, v := range vals {
		set[v.tok.text] = true
	}
	return func(is *Issue) bool { return hasAny(is.Labels, func(l string) bool { return set[l] }) }
}

func sprintValues(c *compiler, cl clause, _ field, vals []*operand) func(*Issue) bool {
	set := resolveAll(c, cl, vals, c.d.Sprints,
		func(s Sprint, v string) bool { return strings.EqualFold(s.Name, v) || strconv.Itoa(s.ID) == v },
		func(s Sprint) int { return s.ID })
	return func(is *Issue) bool { return hasAny(is.Sprints, func(s Sprint) bool { return set[s.ID] }) }
}

func optionValues(c *compiler, cl clause, f field, vals []*operand) func(*Issue) bool {
	set := map[string]bool{}
	for _, v := range vals {
		named := func(o Option) bool { return strings.EqualFold(o.Value, v.tok.text) || o.ID == v.tok.text }
		if !addNamed(set, c.d.Options[f.id], named, func(o Option) string { return o.ID }) {
			c.valueFail("The option '%s' for field '%s' does not exist.", v.tok.text, cl.field.text)
		}
	}
	return func(is *Issue) bool { o, ok := is.Options[f.id]; return ok && set[o.ID] }
}

func componentValues(c *compiler, cl clause, _ field, vals []*operand) func(*Issue) bool {
	set := resolveAll(c, cl, vals, c.d.Components,
		func(cp Component, v string) bool { return strings.EqualFold(cp.Name, v) || strconv.Itoa(cp.ID) == v },
		func(cp Component) int { return cp.ID })
	return func(is *Issue) bool { return hasAny(is.Components, func(cp Component) bool { return set[cp.ID] }) }
}

func versionValues(c *compiler, cl clause, _ field, vals []*operand) func(*Issue) bool {
	set := map[int]bool{}
	for _, v := range vals {
		vs := c.d.versionsNamed(v.tok.text)
		// A version function's values exist; only a name can be wrong.
		if len(vs) == 0 && !strings.HasPrefix(v.fn, "=") {
			c.valueErr(cl, v.tok.text)
		}
		for _, x := range vs {
			set[x.ID] = true
		}
	}
	return func(is *Issue) bool { return hasAny(is.FixVersions, func(x Version) bool { return set[x.ID] }) }
}

// rangeValues is = on dates and numbers: an exact comparison per value.
func rangeValues(c *compiler, cl clause, f field, vals []*operand) func(*Issue) bool {
	var preds []func(*Issue) bool
	for _, v := range vals {
		preds = append(preds, c.ranged(cl, f, v))
	}
	return anyOf(preds)
}

func hasAny[T any](xs []T, f func(T) bool) bool {
	for _, x := range xs {
		if f(x) {
			return true
		}
	}
	return false
}

// issueValue resolves an issue key or id used as a JQL value.
func (c *compiler) issueValue(cl clause, v string) (*Issue, bool) {
	name := strings.ToLower(cl.field.text)
	if id, err := parseInt(v); err == nil {
		if is := c.d.issueByID(id); is != nil {
			return is, true
		}
		c.valueFail("An issue with key '%s' does not exist for field '%s'.", v, name)
		return nil, false
	}
	if !validKey(v) {
		c.valueFail("The issue key '%s' for field '%s' is invalid.", v, name)
		return nil, false
	}
	if is := c.d.issueByKey(v); is != nil {
		return is, true
	}
	c.valueFail("An issue with key '%s' does not exist for field '%s'.", v, name)
	return nil, false
}

// validKey matches Jira's default project key pattern plus a number.
func validKey(s string) bool {
	i := strings.LastIndexByte(s, '-')
	if i < 1 || i == len(s)-1 {
		return false
	}
	if _, err := parseInt(s[i+1:]); err != nil {
		return false
	}
	for j, r := range s[:i] {
		isLetter := r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z'
		if j == 0 && !isLetter || !isLetter && !(r >= '0' && r <= '9') && r != '_' {
			return false
		}
	}
	return true
}
