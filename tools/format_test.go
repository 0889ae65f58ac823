package tools

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/jira-mcp/jira-mcp/tools/jira"
)

const sprint13 = "com.atlassian.greenhopper.service.sprint.Sprint@5f3a0003[id=3,rapidViewId=1,state=ACTIVE,name=Sprint 13,startDate=2026-11-16T09:00:00.000Z,endDate=2026-11-30T17:00:00.000Z,completeDate=<null>,activatedDate=2026-11-16T09:00:00.000Z,sequence=3,goal=Ship checkout,synced=false,autoStartStop=false,incompleteIssuesDestinationId=<null>]"
const sprint12 = "com.atlassian.greenhopper.service.sprint.Sprint@5f3a0002[id=2,rapidViewId=1,state=CLOSED,name=Sprint 12,startDate=<null>,endDate=<null>,completeDate=<null>,activatedDate=<null>,sequence=2,goal=,synced=false,autoStartStop=false,incompleteIssuesDestinationId=<null>]"

func TestSimplify(t *testing.T) {
	q := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	cases := []struct {
		name string
		raw  string
		want any
	}{
		{"empty", ``, nil},
		{"null", `null`, nil},
		{"null with spaces", " \n null\t", nil},
		{"string", `"plain text"`, "plain text"},
		{"escaped string", `"a\"b\u00e9"`, `a"bé`},
		{"string with spaces around", `  "x" `, "x"},
		{"sprint", q(sprint13), "Sprint 13"},
		{"sprints", "[" + q(sprint12) + "," + q(sprint13) + "]", []any{"Sprint 12", "Sprint 13"}},
		{"text that mentions [id=", q("Crash in Order[id=3,name=bar] on save"), "Crash in Order[id=3,name=bar] on save"},
		{"user", `{"self":"http://127.0.0.1/rest/api/2/user?username=alice","name":"alice","key":"JIRAUSER10000","displayName":"Alice Anderson","emailAddress":"alice@example.test","active":true}`, "alice"},
		{"option", `{"self":"http://127.0.0.1/rest/api/2/customFieldOption/10100","value":"Backend","id":"10100","disabled":false}`, "Backend"},
		{"cascading select", `{"value":"Hardware","id":"10200","child":{"value":"Laptop","id":"10201"}}`, "Hardware / Laptop"},
		{"cascading select, no child", `{"value":"Hardware","id":"10200"}`, "Hardware"},
		{"version", `{"id":"10000","name":"2.4","archived":false,"released":true}`, "2.4"},
		{"issue", `{"id":"10001","key":"WEB-1","self":"http://127.0.0.1/rest/api/2/issue/10001"}`, "WEB-1"},
		{"display name only", `{"displayName":"Alice Anderson"}`, "Alice Anderson"},
		{"title", `{"title":"Runbook"}`, "Runbook"},
		{"empty name falls through", `{"name":"","value":"x"}`, "x"},
		{"id string", `{"id":"10005"}`, "10005"},
		{"id number", `{"id":10005}`, int64(10005)},
		{"unknown object", `{"foo":"bar"}`, `{"foo":"bar"}`},
		{"long unknown object", `{"foo":"` + strings.Repeat("z", 300) + `"}`, `{"foo":"` + strings.Repeat("z", 191) + "…"},
		{"integer", `5`, int64(5)},
		{"negative", `-3`, int64(-3)},
		{"float", `5.5`, 5.5},
		{"exponent", `1e3`, float64(1000)},
		{"huge", `12345678901234567890`, float64(12345678901234567890)},
		{"true", `true`, true},
		{"false", `false`, false},
		{"empty array", `[]`, nil},
		{"array of nulls", `[null, null]`, nil},
		{"array", `["a", null, "b"]`, []any{"a", "b"}},
		{"array of objects", `[{"name":"UI"},{"value":"Backend"},{"key":"WEB-1"}]`, []any{"UI", "Backend", "WEB-1"}},
		{"mixed array", `[1, 2.5, true, "x"]`, []any{int64(1), 2.5, true, "x"}},
		{"bad array", `[1,`, `[1,`},
		{"bad object", `{bad`, `{bad`},
		{"bad scalar", `nope`, `nope`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := simplify(json.RawMessage(c.raw))
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("simplify(%s) = %#v, want %#v", c.raw, got, c.want)
			}
		})
	}
}

func TestText(t *testing.T) {
	cases := []struct {
		name string
		v    any
		want string
	}{
		{"nil", nil, ""},
		{"string", "Story", "Story"},
		{"multi-line", "line one\nline two\r\n\tthree", "line one line two three"},
		{"long", strings.Repeat("é", 250), strings.Repeat("é", 199) + "…"},
		{"list", []any{"a", int64(2), 1.5, true}, "a, 2, 1.5, true"},
		{"whole float", float64(5), "5"},
		{"big float", 1e21, "1000000000000000000000"},
		{"small float", 0.25, "0.25"},
		{"int", int64(-7), "-7"},
		{"bool", false, "false"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := text(c.v); got != c.want {
				t.Errorf("text(%#v) = %q, want %q", c.v, got, c.want)
			}
		})
	}
}

func TestTruncate(t *testing.T) {
	cases := []struct {
		s    string
		n    int
		want string
	}{
		{"hello", 5, "hello"},
		{"hello", 9, "hello"},
		{"hello!", 5, "hell…"},
		{"", 3, ""},
		{"ab", 1, "…"},
		{"héllo wörld", 11, "héllo wörld"},
		{"héllo wörld", 10, "héllo wör…"},
		{"héllo wörld", 7, "héllo…"}, // the space before the cut goes
		{"日本語のテキスト", 4, "日本語…"},
		{"👍👍👍👍", 3, "👍👍…"},
	}
	for _, c := range cases {
		got := truncate(c.s, c.n)
		if got != c.want {
			t.Errorf("truncate(%q, %d) = %q, want %q", c.s, c.n, got, c.want)
		}
		if !utf8.ValidString(got) || utf8.RuneCountInString(got) > c.n {
			t.Errorf("truncate(%q, %d) = %q: %d runes, valid %v", c.s, c.n, got, utf8.RuneCountInString(got), utf8.ValidString(got))
		}
	}
}

func TestOneLine(t *testing.T) {
	cases := []struct{ in, want string }{
		{"plain summary", "plain summary"},
		{"", ""},
		{"a\nb", "a b"},
		{"a\r\nb", "a b"},
		{"a\tb", "a b"},
		{"a  b   c", "a b c"},
		{"\n lead and trail \n", "lead and trail"},
		// Other line breaks some readers honor: a summary must not forge a
		// line of the search table.
		{"a\vb", "a b"},
		{"a\fb", "a b"},
		{"a\u0085b", "a b"},
		{"a\u2028b", "a b"},
		{"a\u2029b", "a b"},
	}
	for _, c := range cases {
		if got := oneLine(c.in); got != c.want {
			t.Errorf("oneLine(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestRFC3339(t *testing.T) {
	cases := []struct{ raw, rfc string }{
		{"2026-11-25T14:02:11.000+0000", "2026-11-25T14:02:11Z"},
		{"2026-11-25T23:30:00.000-0500", "2026-11-25T23:30:00-05:00"}, // its own offset, not UTC
		{"2026-11-25T14:02:11.000Z", "2026-11-25T14:02:11Z"},
		{"2026-11-25", "2026-11-25T00:00:00Z"},
		{"", ""},
		{"25/Nov/26", "25/Nov/26"}, // unknown: kept as is
	}
	for _, c := range cases {
		if got := rfc3339(c.raw); got != c.rfc {
			t.Errorf("rfc3339(%q) = %q, want %q", c.raw, got, c.rfc)
		}
	}
}

func TestResolveFields(t *testing.T) {
	cases := []struct {
		name  string
		names []string
		want  []fieldRef
		err   []string // parts of the input error, when one is expected
	}{
		{"none", nil, nil, nil},
		{"ids", []string{"summary", "customfield_10002"}, []fieldRef{{"summary", "Summary"}, {"customfield_10002", "Story Points"}}, nil},
		{"names, any case", []string{"story points", "EPIC LINK", " Review Team "}, []fieldRef{{"customfield_10002", "Story Points"}, {"customfield_10003", "Epic Link"}, {"customfield_10005", "Review Team"}}, nil},
		{"id in another case", []string{"LABELS", "Summary"}, []fieldRef{{"labels", "Labels"}, {"summary", "Summary"}}, nil},
		{"cf[n]", []string{"cf[10002]", "CF[10005]"}, []fieldRef{{"customfield_10002", "Story Points"}, {"customfield_10005", "Review Team"}}, nil},
		{"duplicates", []string{"Story Points", "customfield_10002", "cf[10002]"}, []fieldRef{{"customfield_10002", "Story Points"}}, nil},
		{"blanks", []string{"", "  "}, []fieldRef{}, nil},
		{"near miss", []string{"Story Pointz"}, nil, []string{`Unknown field "Story Pointz".`, "Did you mean: Story Points (customfield_10002)?"}},
		{"substring", []string{"sprint name"}, nil, []string{"Did you mean: Sprint (customfield_10001)?"}},
		{"nothing near", []string{"xyzzy"}, nil, []string{`Unknown field "xyzzy".`, "Use a field id"}},
		{"cf[n] unknown", []string{"cf[99999]"}, nil, []string{`Unknown field "cf[99999]"`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ts, e := newToolset(t)
			got, err := ts.resolveFields(context.Background(), c.names)
			if c.err != nil {
				var ie *jira.InputError
				if !errors.As(err, &ie) {
					t.Fatalf("error %v (%T), want an *jira.InputError", err, err)
				}
				for _, w := range c.err {
					if !strings.Contains(ie.Msg, w) {
						t.Errorf("message %q lacks %q", ie.Msg, w)
					}
				}
				// A miss reloads the field list once before giving up.
				if n := requests(e, "GET", "/rest/api/2/field"); n != 2 {
					t.Errorf("%d reads of /field, want 2 (cached, then reloaded on the miss)", n)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("got %+v, want %+v", got, c.want)
			}
			want := 1
			if c.names == nil {
				want = 0
			}
			if n := requests(e, "GET", "/rest/api/2/field"); n != want {
				t.Errorf("%d reads of /field, want %d", n, want)
			}
		})
	}
}

func TestResolveFieldsCaches(t *testing.T) {
	ts, e := newToolset(t)
	ctx := context.Background()
	for range 3 {
		if _, err := ts.resolveFields(ctx, []string{"Story Points", "labels"}); err != nil {
			t.Fatal(err)
		}
	}
	if n := requests(e, "GET", "/rest/api/2/field"); n != 1 {
		t.Errorf("%d reads of /field for 3 resolutions, want 1", n)
	}
}

// A field added since the list was cached is found by the reload a miss
// triggers.
func TestResolveFieldsReloadsOnMiss(t *testing.T) {
	ts, e := newToolset(t)
	ctx := context.Background()
	// The first answer predates Story Points.
	e.Fail("GET", "/rest/api/2/field", 200, nil, `[{"id":"summary","name":"Summary","custom":false,"navigable":true,"clauseNames":["summary"],"schema":{"type":"string","system":"summary"}}]`, 1)
	got, err := ts.resolveFields(ctx, []string{"summary"})
	if err != nil || len(got) != 1 {
		t.Fatalf("%+v %v", got, err)
	}
	got, err = ts.resolveFields(ctx, []string{"Story Points"})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, []fieldRef{{"customfield_10002", "Story Points"}}) {
		t.Errorf("got %+v", got)
	}
	if n := requests(e, "GET", "/rest/api/2/field"); n != 2 {
		t.Errorf("%d reads of /field, want 2", n)
	}
	// And the reloaded list is cached.
	if _, err := ts.resolveFields(ctx, []string{"Epic Link"}); err != nil {
		t.Fatal(err)
	}
	if n := requests(e, "GET", "/rest/api/2/field"); n != 2 {
		t.Errorf("%d reads of /field, want still 2", n)
	}
}

func TestResolveFieldsJiraFails(t *testing.T) {
	ts, e := newToolset(t)
	e.Fail("GET", "/rest/api/2/field", 503, nil, "", 1)
	_, err := ts.resolveFields(context.Background(), []string{"summary"})
	var ae *jira.APIError
	if !errors.As(err, &ae) || ae.Status != 503 {
		t.Errorf("error %v, want Jira's 503", err)
	}
}

func TestEditDistance(t *testing.T) {
	for _, c := range []struct {
		a, b string
		d    int
	}{{"story points", "stroy points", 2}, {"", "abc", 3}, {"labels", "labels", 0}, {"due", "dué", 1}} {
		if got := editDistance(c.a, c.b); got != c.d {
			t.Errorf("editDistance(%q, %q) = %d, want %d", c.a, c.b, got, c.d)
		}
	}
}

func TestFindFieldAmbiguousName(t *testing.T) {
	sel, txt := &jira.FieldSchema{Type: "option"}, &jira.FieldSchema{Type: "string"}
	defs := []jira.Field{
		{ID: "customfield_10100", Name: "Team", Custom: true, Schema: sel},
		{ID: "customfield_10101", Name: "Team", Custom: true, Schema: txt},
		{ID: "labels", Name: "Labels"},
	}
	if _, _, err := findField(defs, "team"); err == nil || !strings.Contains(err.Error(), `Several fields are named "team": customfield_10100 (option), customfield_10101 (string)`) {
		t.Errorf("ambiguous name: %v", err)
	}
	if f, ok, err := findField(defs, "customfield_10101"); !ok || err != nil || f.ID != "customfield_10101" {
		t.Errorf("by id: %v %v %v", f, ok, err)
	}
	if f, ok, err := findField(defs, "LABELS"); !ok || err != nil || f.ID != "labels" {
		t.Errorf("by name: %v %v %v", f, ok, err)
	}
}
