package tools

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jira-mcp/jira-mcp/tools/jira"
)

// A create or edit screen says which fields an issue may be given and
// which it must have; jira_create_issue and jira_update_issue check the
// agent's values against it before they send anything, so that a missing
// field or a value outside the allowed ones comes back with what would
// do, not as Jira's bare 400.

// Custom field types the screens treat specially.
const (
	epicLinkType = "com.pyxis.greenhopper.jira:gh-epic-link"
	sprintType   = "com.pyxis.greenhopper.jira:gh-sprint"
)

// screen is a create or edit screen: its fields by id, in screen order.
type screen struct {
	what   string // "the create screen of API Bug"
	ids    []string
	fields map[string]jira.TransitionField
}

func createScreen(what string, metas []jira.FieldMeta) screen {
	s := screen{what: what, fields: make(map[string]jira.TransitionField, len(metas))}
	for _, m := range metas {
		if _, dup := s.fields[m.FieldID]; !dup && m.FieldID != "" {
			s.ids = append(s.ids, m.FieldID)
			s.fields[m.FieldID] = m.TransitionField
		}
	}
	return s
}

func editScreen(what string, fields map[string]jira.TransitionField) screen {
	return screen{what: what, ids: sortedKeys(fields), fields: fields}
}

// find resolves a field the agent named by id, cf[n] or name, ignoring
// case. problem says why there is none: not on the screen, or a name
// several fields share.
func (s screen) find(name string) (id string, f jira.TransitionField, problem string) {
	name = strings.TrimSpace(name)
	if m := cfRE.FindStringSubmatch(name); m != nil {
		name = "customfield_" + m[1]
	}
	if f, ok := s.fields[name]; ok {
		return name, f, ""
	}
	var hits []string
	for _, id := range s.ids {
		if strings.EqualFold(id, name) || strings.EqualFold(s.fields[id].Name, name) {
			hits = append(hits, id)
		}
	}
	switch len(hits) {
	case 0:
		return "", jira.TransitionField{}, fmt.Sprintf("%q is not on %s", clipValue(name), s.what)
	case 1:
		return hits[0], s.fields[hits[0]], ""
	}
	return "", jira.TransitionField{}, fmt.Sprintf("several fields are named %q (%s): pass the id of the one you mean", clipValue(name), strings.Join(hits, ", "))
}

// list names the screen's fields, for an agent that named one it lacks.
func (s screen) list(skip ...string) string {
	var parts []string
	for _, id := range s.ids {
		if !slices.Contains(skip, id) {
			parts = append(parts, fmt.Sprintf("%s (%s)", s.fields[id].Name, id))
		}
	}
	if len(parts) == 0 {
		return capitalize(s.what) + " has no fields you may set."
	}
	return capitalize(s.what) + " has: " + strings.Join(parts, ", ") + "."
}

// label names a field for messages: "Component/s (components)".
func label(id string, f jira.TransitionField) string {
	if f.Name == "" || strings.EqualFold(f.Name, id) {
		return id
	}
	return oneLine(f.Name) + " (" + id + ")"
}

// valueFor shapes v as Jira wants it for the field, checking it against
// the field's allowed values (their case corrected); msg says what is
// wrong, with the allowed values closest to what was given.
func valueFor(id string, f jira.TransitionField, v any) (any, string) {
	s, isString := v.(string)
	switch {
	case f.Schema.Custom == sprintType:
		if isString {
			n, err := strconv.Atoi(strings.TrimSpace(s))
			if err != nil {
				return nil, fmt.Sprintf("takes a sprint id (a number), not %q", clipValue(s))
			}
			return n, ""
		}
		return v, ""
	case f.Schema.Custom == epicLinkType && isString:
		return strings.ToUpper(strings.TrimSpace(s)), ""
	case (id == "parent" || f.Schema.Type == "issuelink") && isString:
		return map[string]any{"key": strings.ToUpper(strings.TrimSpace(s))}, ""
	case id == "labels":
		for _, l := range stringsIn(v) {
			if strings.ContainsFunc(l, isSpaceRune) {
				return nil, fmt.Sprintf("labels cannot contain spaces (%q); use - or _", clipValue(l))
			}
		}
	}
	if vals := allowed(f); len(vals) > 0 {
		for _, given := range stringsIn(v) {
			if !slices.ContainsFunc(vals, func(a string) bool { return strings.EqualFold(a, strings.TrimSpace(given)) }) {
				return nil, fmt.Sprintf("%q is not allowed; %s", clipValue(given), choices(vals, given))
			}
		}
	}
	return fieldValue(f, v)
}

func isSpaceRune(r rune) bool { return r == ' ' || r == '\t' || r == '\n' || r == '\r' }

// stringsIn returns the strings of a value or of a list.
func stringsIn(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	case []string:
		return x
	}
	return nil
}

// shownValues is how many allowed values a message or a listing shows.
const shownValues = 15

// choices lists the allowed values, closest to given first, cut to a
// useful number.
func choices(vals []string, given string) string {
	if len(vals) <= shownValues {
		return "use one of: " + strings.Join(vals, ", ")
	}
	near := closest(vals, given, 5)
	msg := fmt.Sprintf("it has %d allowed values", len(vals))
	if len(near) > 0 {
		msg += "; the closest are: " + strings.Join(near, ", ")
	}
	return msg + "; the first are: " + strings.Join(vals[:shownValues], ", ")
}

// closest returns up to n values that resemble given: containing it,
// sharing its start, or a typo away.
func closest(vals []string, given string, n int) []string {
	g := strings.ToLower(strings.TrimSpace(given))
	var out []string
	for _, v := range vals {
		lv := strings.ToLower(v)
		if g != "" && (strings.Contains(lv, g) || strings.Contains(g, lv) || commonPrefix(lv, g) >= 3 || editDistance(lv, g) <= 2) {
			out = append(out, v)
			if len(out) == n {
				break
			}
		}
	}
	return out
}

// typeName says in a few words what a field takes.
func typeName(f jira.TransitionField) string {
	s := f.Schema
	switch {
	case s.Custom == epicLinkType:
		return "epic key"
	case s.Custom == sprintType:
		return "sprint id"
	case s.Type == "issuelink":
		return "issue key"
	case s.Type == "array" && s.Items != "":
		return "list of " + s.Items
	case s.Type == "":
		return "any"
	}
	return s.Type
}

// required reports whether the screen needs a value for the field that
// jira-mcp does not fill itself: project and issue type are arguments,
// and Jira makes the current user the reporter.
func required(id string, f jira.TransitionField) bool {
	return f.Required && !f.HasDefaultValue && id != "project" && id != "issuetype" && id != "reporter"
}

// Create metadata is read once for a while per project and issue type: an
// agent filing issues asks for the same screen several times in a row.

// metaTTL is how long createmeta is trusted.
const metaTTL = 2 * time.Minute

type metaKey struct {
	c                  *jira.Client // one login, one view of the screens
	project, issueType string       // issueType "": the project's issue types
}

type metaEntry struct {
	at     time.Time
	types  []jira.IssueType
	fields []jira.FieldMeta
}

var metaCache = struct {
	sync.Mutex
	m map[metaKey]metaEntry
}{m: map[metaKey]metaEntry{}}

func cachedMeta(k metaKey) (metaEntry, bool) {
	metaCache.Lock()
	defer metaCache.Unlock()
	e, ok := metaCache.m[k]
	return e, ok && time.Since(e.at) < metaTTL
}

func storeMeta(k metaKey, e metaEntry) {
	metaCache.Lock()
	defer metaCache.Unlock()
	for old, x := range metaCache.m { // expired entries go, with their clients
		if time.Since(x.at) >= metaTTL {
			delete(metaCache.m, old)
		}
	}
	e.at = time.Now()
	metaCache.m[k] = e
}

// forgetMeta drops what is cached of a project's create screen: Jira
// refused what it said would do.
func (t *Toolset) forgetMeta(project, issueType string) {
	metaCache.Lock()
	defer metaCache.Unlock()
	delete(metaCache.m, metaKey{t.jira, project, issueType})
	delete(metaCache.m, metaKey{t.jira, project, ""})
}

// createTypes lists the issue types the user may create in project.
func (t *Toolset) createTypes(ctx context.Context, project string) ([]jira.IssueType, error) {
	k := metaKey{t.jira, project, ""}
	if e, ok := cachedMeta(k); ok {
		return e.types, nil
	}
	types, err := t.jira.CreateIssueTypes(ctx, project)
	if err != nil {
		return nil, err
	}
	storeMeta(k, metaEntry{types: types})
	return types, nil
}

// createFields reads the create screen of an issue type of project.
func (t *Toolset) createFields(ctx context.Context, project string, typ jira.IssueType) (screen, error) {
	k := metaKey{t.jira, project, typ.ID}
	what := fmt.Sprintf("the create screen of %s %s", project, typ.Name)
	if e, ok := cachedMeta(k); ok {
		return createScreen(what, e.fields), nil
	}
	fields, err := t.jira.CreateFields(ctx, project, typ.ID)
	if err != nil {
		return screen{}, err
	}
	storeMeta(k, metaEntry{fields: fields})
	return createScreen(what, fields), nil
}

// pickType finds an issue type by id or name, ignoring case.
func pickType(types []jira.IssueType, want string) (jira.IssueType, bool) {
	want = strings.TrimSpace(want)
	for _, ty := range types {
		if ty.ID == want || strings.EqualFold(ty.Name, want) {
			return ty, true
		}
	}
	return jira.IssueType{}, false
}

func typeNames(types []jira.IssueType) string {
	names := make([]string, len(types))
	for i, ty := range types {
		names[i] = ty.Name
		if ty.Subtask {
			names[i] += " (sub-task)"
		}
	}
	return strings.Join(names, ", ")
}
