package emulator

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// TestSeedFacts pins what the package doc promises other tests.
func TestSeedFacts(t *testing.T) {
	e := New(WithClock(testClock))
	if n := len(e.db.issues); n != 239 {
		t.Errorf("%d issues, doc says 239", n)
	}
	tests := []struct {
		key, typ, status, assignee, resolution string
		comments                               int
	}{
		{"WEB-1", "Epic", "In Progress", "alice", "", 0},
		{"WEB-2", "Story", "To Do", "alice", "", 4},
		{"WEB-3", "Bug", "In Progress", "alice", "", 1},
		{"WEB-4", "Story", "In Review", "bob", "", 0},
		{"WEB-5", "Bug", "Done", "alice", "Fixed", 0},
		{"WEB-6", "Task", "To Do", "", "", 0},
		{"WEB-7", "Sub-task", "To Do", "bob", "", 0},
		{"API-2", "Story", "To Do", "alice", "", 1},
		{"MOB-1", "Bug", "To Do", "alice", "", 0},
		{"OPS-1", "Task", "To Do", "erin", "", 1},
		{"SEC-1", "Bug", "To Do", "dave", "", 0},
	}
	for _, tt := range tests {
		st, ok := e.Issue(tt.key)
		if !ok || st.Type != tt.typ || st.Status != tt.status || st.Assignee != tt.assignee || st.Resolution != tt.resolution || len(st.Comments) != tt.comments {
			t.Errorf("%s = %+v", tt.key, st)
		}
	}
	st, _ := e.Issue("WEB-2")
	if *st.StoryPoints != 5 || st.EpicLink != "WEB-1" || st.Comments[1].ID != "20002" || st.Comments[2].VisibilityValue != "security-team" {
		t.Errorf("WEB-2 = %+v", st)
	}
	// Alice sees every issue but SEC's.
	res, err := e.db.search(e.db.users["alice"], searchQuery{validate: true})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(res.hits); n != 226 {
		t.Errorf("alice sees %d issues, doc says 226", n)
	}
	for _, tt := range []struct {
		key                     string
		components, fixVersions []string
	}{
		{"WEB-1", []string{"Checkout"}, []string{"2.5"}},
		{"WEB-2", []string{"Checkout"}, []string{"2.5"}},
		{"WEB-3", []string{"Checkout", "Payments"}, []string{"2.5"}},
		{"WEB-4", []string{"Checkout"}, []string{"2.5"}},
		{"WEB-5", []string{"Checkout"}, []string{"2.4"}},
		{"WEB-6", nil, nil},
		{"WEB-7", nil, nil},
		{"API-1", []string{"Authentication"}, nil},
		{"API-2", []string{"Authentication"}, []string{"2.5"}},
		{"MOB-1", []string{"Android"}, []string{"5.1"}},
		{"OPS-1", []string{"Infrastructure"}, nil},
	} {
		st, _ := e.Issue(tt.key)
		if !slices.Equal(st.Components, tt.components) || !slices.Equal(st.FixVersions, tt.fixVersions) {
			t.Errorf("%s components %q fix versions %q, want %q %q", tt.key, st.Components, st.FixVersions, tt.components, tt.fixVersions)
		}
	}
	for _, tt := range []struct{ key, team, text string }{
		{"WEB-2", "Checkout Squad", "storefront-web"},
		{"WEB-3", "Checkout Squad", ""},
		{"API-2", "Platform Squad", ""},
		{"MOB-1", "Mobile Squad", "mobile-apps"},
		{"OPS-1", "SRE", ""},
		{"SEC-1", "", ""},
	} {
		is := e.db.byKey[tt.key]
		team := ""
		if is.team != nil {
			team = is.team.value
		}
		if team != tt.team || is.teamText != tt.text {
			t.Errorf("%s teams %q %q, want %q %q", tt.key, team, is.teamText, tt.team, tt.text)
		}
	}
}

// TestComponentsVersionsAndTeams checks the fields clients resolve by
// name: Component/s, Fix Version/s and two custom fields named "Team".
func TestComponentsVersionsAndTeams(t *testing.T) {
	s := newTestServer(t)
	var fields []struct {
		ID, Name    string
		Custom      bool
		ClauseNames []string
		Schema      map[string]any
	}
	if err := json.Unmarshal(apiCall(t, s, DefaultToken, "GET", "/rest/api/2/field", nil).body, &fields); err != nil {
		t.Fatal(err)
	}
	byID := map[string]int{}
	var teams []string
	for i, f := range fields {
		byID[f.ID] = i
		if f.Name == "Team" {
			teams = append(teams, f.ID)
		}
	}
	for _, tt := range []struct{ id, name, clause, typ, items, custom string }{
		{"components", "Component/s", "component", "array", "component", ""},
		{"fixVersions", "Fix Version/s", "fixVersion", "array", "version", ""},
		{"customfield_10001", "Sprint", "cf[10001]", "array", "string", "com.pyxis.greenhopper.jira:gh-sprint"},
		{"customfield_10005", "Review Team", "cf[10005]", "option", "", "com.atlassian.jira.plugin.system.customfieldtypes:select"},
		{"customfield_10006", "Team", "cf[10006]", "option", "", "com.atlassian.jira.plugin.system.customfieldtypes:select"},
		{"customfield_10007", "Team", "cf[10007]", "string", "", "com.atlassian.jira.plugin.system.customfieldtypes:textfield"},
	} {
		i, ok := byID[tt.id]
		if !ok {
			t.Errorf("no field %s", tt.id)
			continue
		}
		f := fields[i]
		items, _ := f.Schema["items"].(string)
		custom, _ := f.Schema["custom"].(string)
		if f.Name != tt.name || f.ClauseNames[0] != tt.clause || f.Schema["type"] != tt.typ || items != tt.items || custom != tt.custom {
			t.Errorf("%s = %+v", tt.id, f)
		}
		if !f.Custom && f.Schema["system"] != tt.id {
			t.Errorf("%s schema.system %v", tt.id, f.Schema["system"])
		}
	}
	if !slices.Equal(teams, []string{"customfield_10006", "customfield_10007"}) {
		t.Errorf("fields named Team: %v", teams)
	}

	t.Run("issue fields", func(t *testing.T) {
		r := apiCall(t, s, DefaultToken, "GET", "/rest/api/2/issue/WEB-3?fields=components,fixVersions,customfield_10006,customfield_10007", nil)
		var is struct{ Fields map[string]json.RawMessage }
		if err := json.Unmarshal(r.body, &is); err != nil || r.status != 200 {
			t.Fatalf("%d %s", r.status, r.body)
		}
		base := s.URL + "/rest/api/2/"
		want := map[string]string{
			"components":        `[{"description":"Cart, checkout and order confirmation.","id":"10000","name":"Checkout","self":"` + base + `component/10000"},{"description":"Payment service provider integration.","id":"10001","name":"Payments","self":"` + base + `component/10001"}]`,
			"fixVersions":       `[{"archived":false,"description":"Checkout redesign","id":"10002","name":"2.5","releaseDate":"2026-02-20","released":false,"self":"` + base + `version/10002"}]`,
			"customfield_10006": `{"disabled":false,"id":"10200","self":"` + base + `customFieldOption/10200","value":"Checkout Squad"}`,
			"customfield_10007": `null`,
		}
		if len(is.Fields) != len(want) {
			t.Errorf("fields %v", is.Fields)
		}
		for k, v := range want {
			if string(is.Fields[k]) != v {
				t.Errorf("%s = %s\nwant %s", k, is.Fields[k], v)
			}
		}
	})
	t.Run("issue without components", func(t *testing.T) {
		r := apiCall(t, s, DefaultToken, "GET", "/rest/api/2/issue/WEB-6?fields=components,fixVersions", nil)
		if !strings.Contains(string(r.body), `"fields":{"components":[],"fixVersions":[]}`) {
			t.Errorf("%s", r.body)
		}
	})
	t.Run("names are ambiguous", func(t *testing.T) {
		r := apiCall(t, s, DefaultToken, "POST", "/rest/api/2/search", map[string]any{"jql": "key = WEB-2", "fields": []string{"customfield_10006", "customfield_10007", "components"}, "expand": []string{"names"}})
		var b struct {
			Names  map[string]string
			Issues []struct{ Fields map[string]any }
		}
		json.Unmarshal(r.body, &b)
		if b.Names["customfield_10006"] != "Team" || b.Names["customfield_10007"] != "Team" || b.Names["components"] != "Component/s" || len(b.Names) != 3 {
			t.Errorf("names %v", b.Names)
		}
		if f := b.Issues[0].Fields; f["customfield_10007"] != "storefront-web" || f["customfield_10006"].(map[string]any)["value"] != "Checkout Squad" {
			t.Errorf("fields %v", f)
		}
	})
	t.Run("JQL by id and name", func(t *testing.T) {
		keys := func(jql string) []string {
			r := apiCall(t, s, DefaultToken, "POST", "/rest/api/2/search", map[string]any{"jql": jql, "maxResults": 1000, "fields": []string{"summary"}})
			if r.status != 200 {
				t.Fatalf("%s: %d %s", jql, r.status, r.body)
			}
			return searchKeys(t, r)
		}
		if got := keys(`project = WEB AND component = Checkout AND fixVersion = "2.5" AND key <= WEB-5`); !slices.Equal(got, []string{"WEB-4", "WEB-3", "WEB-2", "WEB-1"}) {
			t.Errorf("Checkout in 2.5: %v", got)
		}
		if got := keys(`key in (WEB-5, WEB-6, WEB-7) AND fixVersion IS EMPTY`); !slices.Equal(got, []string{"WEB-7", "WEB-6"}) {
			t.Errorf("no fix version: %v", got)
		}
		if r := apiCall(t, s, DefaultToken, "POST", "/rest/api/2/search", map[string]any{"jql": `Team = "Checkout Squad"`}); r.status != 400 {
			t.Errorf("Team by name: %d %s", r.status, r.body)
		}
	})
	t.Run("project lists components and versions", func(t *testing.T) {
		var p struct {
			Components []struct{ Name, Project string }
			Versions   []struct {
				Name, ReleaseDate string
				Released          bool
				ProjectID         int
			}
		}
		json.Unmarshal(apiCall(t, s, DefaultToken, "GET", "/rest/api/2/project/WEB", nil).body, &p)
		var cs, vs []string
		for _, c := range p.Components {
			cs = append(cs, c.Project+"/"+c.Name)
		}
		for _, v := range p.Versions {
			vs = append(vs, fmt.Sprintf("%s %v %s %d", v.Name, v.Released, v.ReleaseDate, v.ProjectID))
		}
		if !slices.Equal(cs, []string{"WEB/Checkout", "WEB/Payments", "WEB/Search"}) {
			t.Errorf("components %v", cs)
		}
		if !slices.Equal(vs, []string{"2.3 true 2025-12-17 10000", "2.4 true 2026-01-21 10000", "2.5 false 2026-02-20 10000"}) {
			t.Errorf("versions %v", vs)
		}
	})
}
