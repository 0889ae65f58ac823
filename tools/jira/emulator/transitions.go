package emulator

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"slices"
)

// Transitions: GET and POST /rest/api/2/issue/{key}/transitions. This file
// decodes and renders; transitions_state.go checks and applies.

func (e *Emulator) getTransitions(w http.ResponseWriter, r *http.Request, u *user) {
	q := r.URL.Query()
	withFields := expandSet(q["expand"])["transitions.fields"]
	only := q.Get("transitionId")
	e.answer(w, http.StatusOK, func(db *database) (any, error) {
		is, err := db.browsableIssue(u, r.PathValue("key"))
		if err != nil {
			return nil, err
		}
		ts := []any{}
		for _, t := range db.transitionsFor(u, is) {
			if only == "" || t.id == only {
				ts = append(ts, e.transitionJSON(db, t, withFields))
			}
		}
		return map[string]any{"expand": "transitions", "transitions": ts}, nil
	})
}

func (e *Emulator) postTransition(w http.ResponseWriter, r *http.Request, u *user) {
	in, err := decodeTransition(r.Body)
	if err == nil {
		e.mu.Lock()
		err = e.db.transition(u, r.PathValue("key"), in)
		e.mu.Unlock()
	}
	if err != nil {
		writeError(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// transitionRequest is the body of POST transitions (IssueUpdateBean).
type transitionRequest struct {
	Transition *struct {
		ID   json.RawMessage `json:"id"`
		Name string          `json:"name"`
	} `json:"transition"`
	Fields          map[string]json.RawMessage   `json:"fields"`
	Update          map[string][]json.RawMessage `json:"update"`
	HistoryMetadata json.RawMessage              `json:"historyMetadata"`
	Properties      json.RawMessage              `json:"properties"`
}

// transitionInput is a decoded POST transitions body. Only a body that is
// not JSON of the right shape fails to decode; the problems Jira reports
// after it has found the issue and the transition are kept as values, for
// the state layer to report in Jira's order.
type transitionInput struct {
	id        string
	idMissing bool // no transition.id, or null
	idInvalid bool // transition.id is neither a string nor a number
	fields    map[string]fieldRef
	updates   []string    // fields with update operations other than comment
	comments  []commentOp // update.comment, in order
}

// fieldRef is the value of a field set by a transition: null, or an
// object naming a resolution (id or name) or an option (id or value).
type fieldRef struct {
	null            bool
	id, name, value string
}

// commentOp is one operation of update.comment: an object whose keys are
// verbs. none: it is not an object, or an empty one.
type commentOp struct {
	none  bool
	verbs []commentVerb
}

// commentVerb is one verb of a comment operation; for "add", the comment
// or the error decoding it.
type commentVerb struct {
	verb  string
	input commentInput
	err   error
}

func decodeTransition(body io.Reader) (transitionInput, error) {
	var req transitionRequest
	if err := decodeStrict(body, &req); err != nil {
		return transitionInput{}, err
	}
	in := transitionInput{idMissing: true}
	if t := req.Transition; t != nil && len(t.ID) > 0 && string(t.ID) != "null" {
		in.idMissing = false
		in.id, in.idInvalid = transitionID(t.ID)
	}
	in.fields = map[string]fieldRef{}
	for id, raw := range req.Fields {
		var ref map[string]any
		_ = json.Unmarshal(raw, &ref)
		f := fieldRef{null: string(raw) == "null"}
		f.id, _ = ref["id"].(string)
		f.name, _ = ref["name"].(string)
		f.value, _ = ref["value"].(string)
		in.fields[id] = f
	}
	for id, ops := range req.Update {
		if id != "comment" {
			in.updates = append(in.updates, id)
			continue
		}
		for _, op := range ops {
			in.comments = append(in.comments, decodeCommentOp(op))
		}
	}
	slices.Sort(in.updates)
	return in, nil
}

// transitionID reads transition.id, a string or a number.
func transitionID(raw json.RawMessage) (id string, invalid bool) {
	if err := json.Unmarshal(raw, &id); err == nil {
		return id, false
	}
	var n json.Number
	if json.Unmarshal(raw, &n) != nil {
		return "", true
	}
	return n.String(), false
}

func decodeCommentOp(op json.RawMessage) commentOp {
	var m map[string]json.RawMessage
	if json.Unmarshal(op, &m) != nil || len(m) == 0 {
		return commentOp{none: true}
	}
	var c commentOp
	for verb, arg := range m {
		v := commentVerb{verb: verb}
		if verb == "add" {
			v.err = decodeStrict(bytes.NewReader(arg), &v.input)
		}
		c.verbs = append(c.verbs, v)
	}
	return c
}

func (e *Emulator) transitionJSON(db *database, t *transition, withFields bool) map[string]any {
	seq := 0
	for i, x := range db.transitions {
		if x == t {
			seq = 10 * (i + 1)
		}
	}
	m := map[string]any{"id": t.id, "name": t.name, "opsbarSequence": seq, "to": e.statusJSON(t.to)}
	if withFields {
		fs := map[string]any{}
		for _, id := range t.screen {
			fs[id] = e.fieldMetaJSON(db, id, slices.Contains(t.required, id))
		}
		m["fields"] = fs
	}
	return m
}

func (e *Emulator) fieldMetaJSON(db *database, id string, required bool) map[string]any {
	f := db.fieldByID[id]
	m := map[string]any{"required": required, "schema": f.schemaJSON(), "name": f.name, "fieldId": id, "hasDefaultValue": false, "operations": []string{"set"}}
	var allowed []any
	switch id {
	case "resolution":
		for _, r := range db.resolutions {
			allowed = append(allowed, e.resolutionJSON(r))
		}
	case fieldReviewTeam:
		for _, o := range db.reviewTeams {
			allowed = append(allowed, e.optionJSON(o))
		}
	}
	if allowed != nil {
		m["allowedValues"] = allowed
	}
	return m
}
