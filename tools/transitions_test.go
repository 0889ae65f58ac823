package tools

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/jira-mcp/jira-mcp/tools/jira"
)

func tr(id, name, to string) jira.Transition {
	return jira.Transition{ID: id, Name: name, To: jira.Status{Name: to}}
}

func TestPickTransition(t *testing.T) {
	trs := []jira.Transition{
		tr("11", "Start Progress", "In Progress"),
		tr("21", "Request Review", "In Review"),
		tr("31", "Done", "Done"),
		tr("41", "Send to Review", "In Review"),
		tr("61", "Close", "Done"),
		tr("71", "31", "Blocked"),
	}
	cases := []struct {
		want   string
		id     string // "" when an error message is expected
		errHas string
	}{
		{"11", "11", ""},
		{"start progress", "11", ""},
		{"START PROGRESS", "11", ""},
		{"in progress", "11", ""}, // target status
		{"done", "31", ""},        // a name wins over target statuses, of which there are two
		{"close", "61", ""},       // by name
		{"31", "31", ""},          // an id wins over a name
		{"blocked", "71", ""},     // target status
		{"In Review", "", "Several transitions lead to \"In Review\"; pass one by id."},
		{"Reopen", "", `No transition "Reopen" is available now.`},
		{"1", "", `No transition "1"`}, // no prefix matching
	}
	for _, c := range cases {
		t.Run(c.want, func(t *testing.T) {
			got, msg := pickTransition(trs, c.want)
			if c.id == "" {
				if got != nil || msg != c.errHas && !strings.Contains(msg, c.errHas) {
					t.Errorf("got %v %q, want message %q", got, msg, c.errHas)
				}
				return
			}
			if msg != "" || got == nil || got.ID != c.id {
				t.Fatalf("got %v %q, want id %s", got, msg, c.id)
			}
			if got != &trs[indexOf(trs, c.id)] {
				t.Error("not a pointer into the list")
			}
		})
	}
	if got, msg := pickTransition(nil, "Done"); got != nil || !strings.Contains(msg, "No transition") {
		t.Errorf("empty list: %v %q", got, msg)
	}
}

func indexOf(trs []jira.Transition, id string) int {
	for i := range trs {
		if trs[i].ID == id {
			return i
		}
	}
	return -1
}

func field(name, typ, items string, allowed ...string) jira.TransitionField {
	f := jira.TransitionField{Name: name, Required: true}
	f.Schema.Type, f.Schema.Items = typ, items
	for _, a := range allowed {
		f.AllowedValues = append(f.AllowedValues, json.RawMessage(a))
	}
	return f
}

func TestFieldValue(t *testing.T) {
	team := field("Review Team", "option", "",
		`{"self":"http://127.0.0.1/rest/api/2/customFieldOption/10100","value":"Backend","id":"10100"}`,
		`{"self":"http://127.0.0.1/rest/api/2/customFieldOption/10101","value":"Frontend","id":"10101"}`)
	resolution := field("Resolution", "resolution", "",
		`{"self":"http://127.0.0.1/rest/api/2/resolution/1","name":"Done","id":"1"}`,
		`{"self":"http://127.0.0.1/rest/api/2/resolution/3","name":"Won't Fix","id":"3"}`)
	points := field("Story Points", "number", "")
	teams := field("Teams", "array", "option", `{"value":"Backend","id":"10100"}`, `{"value":"Frontend","id":"10101"}`)
	versions := field("Fix Version/s", "array", "version", `{"id":"10000","name":"2.4","released":false}`, `{"id":"10001","name":"2.5","released":false}`)
	labels := field("Labels", "array", "string")
	assignee := field("Assignee", "user", "")
	components := field("Component/s", "array", "component")
	text := field("Environment", "string", "")

	cases := []struct {
		name string
		f    jira.TransitionField
		v    any
		want any
		msg  string
	}{
		{"option, case corrected", team, "backend", map[string]any{"value": "Backend"}, ""},
		{"option, spaces", team, " Frontend ", map[string]any{"value": "Frontend"}, ""},
		{"option not allowed", team, "Design", nil, `"Design" is not allowed; use one of: Backend, Frontend`},
		{"option as object passes", team, map[string]any{"id": "10100"}, map[string]any{"id": "10100"}, ""},
		{"option as number passes", team, float64(10100), float64(10100), ""},
		{"resolution", resolution, "won't fix", map[string]any{"name": "Won't Fix"}, ""},
		{"resolution not allowed", resolution, "Fixed", nil, `"Fixed" is not allowed; use one of: Done, Won't Fix`},
		{"number from string", points, "3.5", 3.5, ""},
		{"number from spaced string", points, " 8 ", float64(8), ""},
		{"number", points, float64(5), float64(5), ""},
		{"bad number", points, "three", nil, `"three" is not a number`},
		{"empty number", points, "", nil, `"" is not a number`},
		{"options", teams, []any{"backend", "FRONTEND"}, []any{map[string]any{"value": "Backend"}, map[string]any{"value": "Frontend"}}, ""},
		{"one option to an array", teams, "frontend", []any{map[string]any{"value": "Frontend"}}, ""},
		{"options, one bad", teams, []any{"backend", "nope"}, nil, `"nope" is not allowed`},
		{"versions", versions, []any{"2.5"}, []any{map[string]any{"name": "2.5"}}, ""},
		{"version objects pass", versions, []any{map[string]any{"id": "10000"}}, []any{map[string]any{"id": "10000"}}, ""},
		{"components without allowed values", components, []any{"UI", "API"}, []any{map[string]any{"name": "UI"}, map[string]any{"name": "API"}}, ""},
		{"labels", labels, []any{"a", "b"}, []any{"a", "b"}, ""},
		{"user", assignee, "alice", map[string]any{"name": "alice"}, ""},
		{"user object passes", assignee, map[string]any{"name": "bob"}, map[string]any{"name": "bob"}, ""},
		{"string", text, "prod", "prod", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, msg := fieldValue(c.f, c.v)
			if msg != c.msg && (c.msg == "" || !strings.Contains(msg, c.msg)) {
				t.Errorf("message %q, want %q", msg, c.msg)
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("fieldValue(%v) = %#v, want %#v", c.v, got, c.want)
			}
			if got != nil {
				if _, err := json.Marshal(got); err != nil {
					t.Errorf("not JSON: %v", err)
				}
			}
		})
	}
}

func TestScreenFields(t *testing.T) {
	ts := &Toolset{}
	review := jira.Transition{ID: "21", Name: "Request Review", To: jira.Status{Name: "In Review"}, Fields: map[string]jira.TransitionField{
		"customfield_10005": field("Review Team", "option", "", `{"value":"Backend"}`, `{"value":"Frontend"}`),
		"comment":           {Name: "Comment"},
	}}
	done := jira.Transition{ID: "31", Name: "Done", To: jira.Status{Name: "Done"}, Fields: map[string]jira.TransitionField{
		"resolution": field("Resolution", "resolution", "", `{"name":"Done"}`, `{"name":"Fixed"}`),
	}}
	start := jira.Transition{ID: "11", Name: "Start Progress", To: jira.Status{Name: "In Progress"}}
	cases := []struct {
		name       string
		tr         jira.Transition
		given      map[string]any
		resolution string
		want       map[string]any
		msg        string
	}{
		{"nothing to send", start, nil, "", nil, ""},
		{"by name", review, map[string]any{"review team": "frontend"}, "", map[string]any{"customfield_10005": map[string]any{"value": "Frontend"}}, ""},
		{"by cf[n]", review, map[string]any{"cf[10005]": "Backend"}, "", map[string]any{"customfield_10005": map[string]any{"value": "Backend"}}, ""},
		{"missing required", review, nil, "", nil, `Transition "Request Review" requires Review Team (customfield_10005): Backend, Frontend; pass them in fields.`},
		{"missing resolution", done, nil, "", nil, "pass resolution"},
		{"resolution", done, nil, "fixed", map[string]any{"resolution": map[string]any{"name": "Fixed"}}, ""},
		{"resolution in fields", done, map[string]any{"Resolution": "done"}, "", map[string]any{"resolution": map[string]any{"name": "Done"}}, ""},
		{"resolution not taken", start, nil, "Done", nil, `Transition "Start Progress" does not take a resolution. It has no screen fields.`},
		{"field not on screen", review, map[string]any{"Story Points": 3}, "", nil, `Field "Story Points" is not on the screen of transition "Request Review". Its screen has: Comment (comment), Review Team (customfield_10005).`},
		{"bad value", review, map[string]any{"Review Team": "Design"}, "", nil, `Review Team (customfield_10005): "Design" is not allowed`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, msg := ts.screenFields(t.Context(), &c.tr, c.given, c.resolution)
			if msg != c.msg && (c.msg == "" || !strings.Contains(msg, c.msg)) {
				t.Errorf("message %q, want %q", msg, c.msg)
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("fields %#v, want %#v", got, c.want)
			}
		})
	}
}
