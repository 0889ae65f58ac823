package jql

import (
	"slices"
	"strconv"
	"strings"
)

// valueFunc evaluates a function used as a value: the values it stands
// for, or ok=false after reporting Jira's error.
type valueFunc func(c *compiler, o *operand) (vals []string, ok bool)

// valueFunctions are the functions that give values of a field kind, by
// lower-case name. The date functions are in dates.go.
var valueFunctions = map[Kind]map[string]valueFunc{
	kUser: {"currentuser": currentUser, "membersof": membersOf},
	KindSprint: {
		"opensprints":   sprintsIn("ACTIVE"),
		"closedsprints": sprintsIn("CLOSED"),
		"futuresprints": sprintsIn("FUTURE"),
	},
	kType: {"standardissuetypes": issueTypes(false), "subtaskissuetypes": issueTypes(true)},
	kVersion: {
		"releasedversions":   versionsReleased(true),
		"unreleasedversions": versionsReleased(false),
	},
}

// knownFunction tells whether Jira knows a function by that name, for any
// field.
func knownFunction(name string) bool {
	name = strings.ToLower(name)
	for _, fns := range valueFunctions {
		if fns[name] != nil {
			return true
		}
	}
	_, date := dateFns[name]
	return date || name == "now"
}

// function evaluates o, a function used as a value of field f.
func (c *compiler) function(cl clause, f field, o *operand) ([]string, bool) {
	if fn := valueFunctions[f.kind][strings.ToLower(o.fn)]; fn != nil {
		return fn(c, o)
	}
	return c.noFunction(cl, o)
}

// noFunction reports a function that gives nothing for the clause's field.
func (c *compiler) noFunction(cl clause, o *operand) ([]string, bool) {
	if !knownFunction(o.fn) {
		c.fail("Unable to find JQL function '%s()'.", o.fn)
		return nil, false
	}
	c.fail("A value provided by the function '%s' is invalid for the field '%s'.", o.fn, cl.field.text)
	return nil, false
}

func currentUser(c *compiler, _ *operand) ([]string, bool) {
	if c.d.User == "" {
		return []string{}, true // anonymous is nobody's assignee
	}
	return []string{c.d.User}, true
}

func membersOf(c *compiler, o *operand) ([]string, bool) {
	var out []string
	if len(o.args) == 1 {
		for _, u := range c.d.Users {
			if slices.Contains(u.Groups, o.args[0]) {
				out = append(out, u.Name)
			}
		}
	}
	if out == nil { // every group of the directory has a member
		c.fail("Function 'membersOf' expected a group name that exists, got '%s'.", strings.Join(o.args, ", "))
		return nil, false
	}
	return out, true
}

func sprintsIn(state string) valueFunc {
	return func(c *compiler, _ *operand) ([]string, bool) {
		out := []string{}
		for _, s := range c.d.Sprints {
			if s.State == state {
				out = append(out, strconv.Itoa(s.ID))
			}
		}
		return out, true
	}
}

func issueTypes(subtask bool) valueFunc {
	return func(c *compiler, _ *operand) ([]string, bool) {
		var out []string
		for _, t := range c.d.Types {
			if t.Subtask == subtask {
				out = append(out, t.ID)
			}
		}
		return out, true
	}
}

// versionsReleased is releasedVersions() and unreleasedVersions(): the
// versions, not archived, of the projects named (of every project when
// none is).
func versionsReleased(released bool) valueFunc {
	return func(c *compiler, o *operand) ([]string, bool) {
		var projects []int
		for _, a := range o.args {
			p := c.d.findProject(a)
			if p == nil {
				c.fail("Could not resolve the project '%s' provided to function '%s'.", a, o.fn)
				return nil, false
			}
			projects = append(projects, p.ID)
		}
		out := []string{}
		for _, v := range c.d.Versions {
			if v.Released == released && !v.Archived && (len(projects) == 0 || slices.Contains(projects, v.Project)) {
				out = append(out, strconv.Itoa(v.ID))
			}
		}
		return out, true
	}
}
