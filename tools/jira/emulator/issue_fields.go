package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// The state side of creating and editing issues: the values of fields
// and update operations are checked against the screen and set on a
// draft of the issue, which replaces the issue only when every field
// checked out. Problems are reported together, by field, as Jira does.

// issueInput is a decoded IssueUpdateBean (POST issue, PUT issue): values
// to set, and update operations, by field id.
type issueInput struct {
	sets map[string]json.RawMessage
	ops  map[string][]fieldOp
}

// fieldOp is one verb of an update operation: {"add": arg}.
type fieldOp struct {
	verb string
	arg  json.RawMessage
}

func decodeIssueInput(body io.Reader) (issueInput, error) {
	var req transitionRequest // the same bean: IssueUpdateBean
	if err := decodeStrict(body, &req); err != nil {
		return issueInput{}, err
	}
	in := issueInput{sets: req.Fields, ops: map[string][]fieldOp{}}
	for id, list := range req.Update {
		for _, raw := range list {
			var m map[string]json.RawMessage
			if json.Unmarshal(raw, &m) != nil || len(m) == 0 {
				in.ops[id] = append(in.ops[id], fieldOp{})
				continue
			}
			for verb, arg := range m {
				in.ops[id] = append(in.ops[id], fieldOp{verb, arg})
			}
		}
	}
	return in, nil
}

// fieldChange checks one value and sets it on the draft; it returns
// Jira's message when the value is refused.
type fieldChange struct {
	db *database
	u  *user
	d  *issue // the draft
}

// apply sets in's values and runs its operations on the draft, adding
// Jira's messages to errs.
func (c fieldChange) apply(screen []screenField, in issueInput, errs map[string]string) {
	cannot := func(id string) bool {
		if onScreen(screen, id) {
			return false
		}
		errs[id] = fmt.Sprintf("Field '%s' cannot be set. It is not on the appropriate screen, or unknown.", id)
		return true
	}
	for _, id := range sortedIDs(in.sets) {
		if cannot(id) || id == "project" || id == "issuetype" { // set by createTarget
			continue
		}
		if msg := c.set(id, in.sets[id]); msg != "" {
			errs[id] = msg
		}
	}
	for _, id := range sortedIDs(in.ops) {
		if cannot(id) {
			continue
		}
		for _, op := range in.ops[id] {
			msg := ""
			switch {
			case !slices.Contains(fieldOperations(id), op.verb):
				msg = fmt.Sprintf("Unsupported operation '%s' for field '%s'.", op.verb, id)
			case op.verb == "set":
				msg = c.set(id, op.arg)
			default:
				msg = c.addOrRemove(id, op.verb == "add", op.arg)
			}
			if msg != "" {
				errs[id] = msg
			}
		}
	}
}

func sortedIDs[V any](m map[string]V) []string {
	ids := make([]string, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// set sets field id to raw.
func (c fieldChange) set(id string, raw json.RawMessage) string {
	d := c.d
	null := string(bytes.TrimSpace(raw)) == "null"
	switch id {
	case "summary", "description", "environment", fieldEpicName, fieldTeamText:
		var s string
		if !null && json.Unmarshal(raw, &s) != nil {
			return "Operation value must be a string"
		}
		if id == "summary" && len([]rune(s)) > 255 {
			return "Summary must be less than 255 characters."
		}
		*d.text(id) = strings.TrimRightFunc(s, isSpace)
	case "labels":
		var ls []string
		if !null && json.Unmarshal(raw, &ls) != nil {
			return "Operation value must be an array of strings"
		}
		d.labels = nil
		for _, l := range ls {
			if msg := c.addOrRemove(id, true, mustJSON(l)); msg != "" {
				return msg
			}
		}
	case "components", "fixVersions":
		var refs []json.RawMessage
		if !null && json.Unmarshal(raw, &refs) != nil {
			return "Operation value must be an array"
		}
		d.components, d.fixVersions = clearList(id == "components", d.components), clearList(id == "fixVersions", d.fixVersions)
		for _, r := range refs {
			if msg := c.addOrRemove(id, true, r); msg != "" {
				return msg
			}
		}
	default:
		return c.setOther(id, raw, null)
	}
	return ""
}

// text is the text field id of the issue.
func (is *issue) text(id string) *string {
	switch id {
	case "summary":
		return &is.summary
	case "description":
		return &is.description
	case "environment":
		return &is.environment
	case fieldEpicName:
		return &is.epicName
	}
	return &is.teamText
}

func clearList[T any](clear bool, xs []T) []T {
	if clear {
		return nil
	}
	return xs
}

func isSpace(r rune) bool { return r == ' ' || r == '\t' || r == '\n' || r == '\r' }

func mustJSON(v any) json.RawMessage {
	b, _ := json.Marshal(v)
	return b
}

// setOther sets the fields whose value is an object or a number.
func (c fieldChange) setOther(id string, raw json.RawMessage, null bool) string {
	db, d := c.db, c.d
	ref, isRef := refOf(raw)
	switch id {
	case "priority":
		if null || !isRef || ref.id == "" && ref.name == "" {
			return "Could not find valid 'id' or 'name' in priority object."
		}
		i := slices.IndexFunc(db.priorities, func(p *priority) bool { return p.id == ref.id || ref.id == "" && strings.EqualFold(p.name, ref.name) })
		if i < 0 {
			return fmt.Sprintf("Priority name '%s' is not valid", ref.name+ref.id)
		}
		d.priority = db.priorities[i]
	case "assignee", "reporter":
		return c.setUser(id, ref, null || ref.null)
	case "duedate":
		var s string
		t, err := time.Time{}, error(nil)
		if !null {
			if err = json.Unmarshal(raw, &s); err == nil {
				t, err = time.Parse("2006-01-02", s)
			}
		}
		if err != nil {
			return fmt.Sprintf("Error parsing date string: %s", strings.Trim(string(raw), `"`))
		}
		d.due = t
	case fieldStoryPoints:
		var n *float64
		if json.Unmarshal(raw, &n) != nil {
			return "Operation value must be a number"
		}
		d.storyPoints = n
	case fieldEpicLink:
		return c.setEpicLink(raw, null)
	case fieldSprint:
		return c.setSprint(raw, null)
	case fieldTeam:
		if null {
			d.team = nil
			return ""
		}
		i := slices.IndexFunc(db.teams, func(o option) bool { return o.id == ref.id || ref.id == "" && o.value == ref.value })
		if !isRef || i < 0 {
			return fmt.Sprintf("Option value '%s' is not valid", ref.value+ref.id)
		}
		d.team = &db.teams[i]
	case "parent":
		return c.setParent(ref, isRef && !null)
	}
	return ""
}

// refOf reads an object naming something by id, name or value.
func refOf(raw json.RawMessage) (fieldRef, bool) {
	var m map[string]any
	if json.Unmarshal(raw, &m) != nil || m == nil {
		return fieldRef{null: string(bytes.TrimSpace(raw)) == "null"}, false
	}
	var f fieldRef
	f.id, _ = m["id"].(string)
	if n, ok := m["id"].(float64); ok {
		f.id = fmt.Sprint(n)
	}
	f.name, _ = m["name"].(string)
	f.value, _ = m["value"].(string)
	if f.name == "" {
		f.name, _ = m["key"].(string)
	}
	return f, true
}

func (c fieldChange) setUser(id string, ref fieldRef, null bool) string {
	if null || ref.name == "" && id == "assignee" {
		if id == "reporter" {
			return "Reporter is required."
		}
		c.d.assignee = ""
		return ""
	}
	x := c.db.users[ref.name]
	switch {
	case x == nil:
		return fmt.Sprintf("User '%s' does not exist.", ref.name)
	case id == "reporter":
		c.d.reporter = x.name
	case !c.db.canAssign(c.u, c.d.project):
		return "You do not have permission to assign issues."
	case !c.db.assignable(x.name, c.d.project):
		return fmt.Sprintf("User '%s' cannot be assigned issues.", x.name)
	default:
		c.d.assignee = x.name
	}
	return ""
}

func (c fieldChange) setEpicLink(raw json.RawMessage, null bool) string {
	if null {
		c.d.epicLink = nil
		return ""
	}
	var key string
	if json.Unmarshal(raw, &key) != nil {
		return "Epic Link must be the key of an epic"
	}
	ep := c.db.lookupIssue(key)
	if ep == nil || !c.db.canBrowse(c.u, ep.project) || ep.typ.name != "Epic" {
		return fmt.Sprintf("Issue '%s' does not exist or is not an epic.", key)
	}
	c.d.epicLink = ep
	return ""
}

func (c fieldChange) setSprint(raw json.RawMessage, null bool) string {
	if null {
		c.d.sprints = nil
		return ""
	}
	var id int
	if json.Unmarshal(raw, &id) != nil {
		return "Sprint must be the id of a sprint, a number"
	}
	i := slices.IndexFunc(c.db.sprints, func(s *sprint) bool { return s.id == id })
	switch {
	case i < 0:
		return fmt.Sprintf("Sprint with id '%d' does not exist.", id)
	case c.db.sprints[i].state == "CLOSED":
		return "Issues can be added to active or future sprints only."
	}
	c.d.sprints = []*sprint{c.db.sprints[i]}
	return ""
}

func (c fieldChange) setParent(ref fieldRef, ok bool) string {
	var par *issue
	if ok {
		par = c.db.lookupIssue(ref.id + ref.name)
	}
	switch {
	case par == nil || !c.db.canBrowse(c.u, par.project):
		return "Could not find issue by id or key."
	case par.project != c.d.project:
		return "The parent issue must belong to the same project."
	case par.typ.subtask:
		return "A sub-task cannot be the parent of a sub-task."
	}
	c.d.parent = par
	return ""
}

// addOrRemove runs an add or remove operation on a list field.
func (c fieldChange) addOrRemove(id string, add bool, arg json.RawMessage) string {
	d, p := c.d, c.d.project
	switch id {
	case "labels":
		var l string
		if json.Unmarshal(arg, &l) != nil || l == "" {
			return "Label must be a non-empty string"
		}
		if strings.ContainsAny(l, " \t\n") {
			return fmt.Sprintf("The label '%s' contains spaces which is invalid.", l)
		}
		d.labels = toggle(d.labels, l, add, func(a, b string) bool { return a == b })
	case "components":
		ref, _ := refOf(arg)
		i := slices.IndexFunc(p.components, func(x *component) bool { return ref.id == fmt.Sprint(x.id) || ref.id == "" && x.name == ref.name })
		if i < 0 {
			return fmt.Sprintf("Component name '%s' is not valid", ref.name+ref.id)
		}
		d.components = toggle(d.components, p.components[i], add, func(a, b *component) bool { return a == b })
	case "fixVersions":
		ref, _ := refOf(arg)
		i := slices.IndexFunc(p.versions, func(x *version) bool { return ref.id == fmt.Sprint(x.id) || ref.id == "" && x.name == ref.name })
		if i < 0 {
			return fmt.Sprintf("Version name '%s' is not valid", ref.name+ref.id)
		}
		d.fixVersions = toggle(d.fixVersions, p.versions[i], add, func(a, b *version) bool { return a == b })
	}
	return ""
}

// toggle returns a new list with x added (once) or removed: the draft
// shares its lists with the issue until it replaces it.
func toggle[T any](xs []T, x T, add bool, eq func(a, b T) bool) []T {
	out := slices.DeleteFunc(slices.Clone(xs), func(y T) bool { return eq(x, y) })
	if add {
		out = append(out, x)
	}
	return out
}

// checkRequired adds Jira's message for each required field left empty.
func (db *database) checkRequired(d *issue, screen []screenField, errs map[string]string) {
	for _, sf := range screen {
		if !sf.required || errs[sf.id] != "" {
			continue
		}
		empty := map[string]bool{
			"summary": strings.TrimSpace(d.summary) == "", "components": len(d.components) == 0,
			fieldEpicName: strings.TrimSpace(d.epicName) == "", "parent": d.parent == nil,
		}[sf.id]
		switch {
		case empty && sf.id == "summary":
			errs[sf.id] = "You must specify a summary of the issue."
		case empty:
			errs[sf.id] = db.fieldByID[sf.id].name + " is required."
		}
	}
}
