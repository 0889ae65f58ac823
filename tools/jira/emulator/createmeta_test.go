package emulator

import (
	"encoding/json"
	"slices"
	"testing"
)

// metaPage is a page of createmeta.
type metaPage struct {
	StartAt, MaxResults, Total int
	IsLast                     bool
	Values                     []struct {
		ID, Name, FieldID string
		Required          bool
		HasDefaultValue   bool
		Operations        []string
		AllowedValues     []map[string]any
	}
}

func getMetaPage(t *testing.T, s *Server, token, path string, status int) metaPage {
	t.Helper()
	r := apiCall(t, s, token, "GET", path, nil)
	if r.status != status {
		t.Fatalf("GET %s: %d, want %d: %s", path, r.status, status, r.body)
	}
	var pg metaPage
	if status == 200 {
		if err := json.Unmarshal(r.body, &pg); err != nil {
			t.Fatal(err)
		}
	} else {
		errorBody(t, r)
	}
	return pg
}

func (pg metaPage) names() []string {
	var out []string
	for _, v := range pg.Values {
		out = append(out, v.Name)
	}
	return out
}

// field finds a field of a createmeta page by id.
func (pg metaPage) field(id string) (required bool, allowed []string, ok bool) {
	for _, v := range pg.Values {
		if v.FieldID == id {
			for _, a := range v.AllowedValues {
				n, _ := a["name"].(string)
				if n == "" {
					n, _ = a["value"].(string)
				}
				allowed = append(allowed, n)
			}
			return v.Required, allowed, true
		}
	}
	return false, nil, false
}

func TestCreateMetaIssueTypes(t *testing.T) {
	s := newTestServer(t)
	all := getMetaPage(t, s, DefaultToken, "/rest/api/2/issue/createmeta/API/issuetypes", 200)
	if !slices.Equal(all.names(), []string{"Bug", "Story", "Task", "Epic", "Sub-task"}) || all.Total != 5 || !all.IsLast {
		t.Errorf("API issue types %+v", all)
	}
	pg := getMetaPage(t, s, DefaultToken, "/rest/api/2/issue/createmeta/10001/issuetypes?startAt=1&maxResults=2", 200)
	if !slices.Equal(pg.names(), []string{"Story", "Task"}) || pg.IsLast || pg.StartAt != 1 || pg.MaxResults != 2 {
		t.Errorf("second page %+v", pg)
	}
	if ops := getMetaPage(t, s, DefaultToken, "/rest/api/2/issue/createmeta/OPS/issuetypes", 200); ops.Total != 0 || ops.Values == nil {
		t.Errorf("alice may not create in OPS, yet it lists %+v", ops)
	}
	if ops := getMetaPage(t, s, erinToken, "/rest/api/2/issue/createmeta/OPS/issuetypes", 200); ops.Total != 5 {
		t.Errorf("erin may create in OPS: %+v", ops)
	}
	getMetaPage(t, s, DefaultToken, "/rest/api/2/issue/createmeta/SEC/issuetypes", 400)
	getMetaPage(t, s, DefaultToken, "/rest/api/2/issue/createmeta/NOPE/issuetypes", 400)
	getMetaPage(t, s, DefaultToken, "/rest/api/2/issue/createmeta/API/issuetypes?maxResults=x", 400)
}

func TestCreateMetaFields(t *testing.T) {
	s := newTestServer(t)
	tests := []struct {
		project, typ        string
		required, notOnIt   []string
		optional            []string
		componentsRequired  bool
		allowedComponents   []string
		allowedPriorityLast string
	}{
		{"API", "1", []string{"project", "issuetype", "summary", "components"}, []string{"parent", fieldEpicName, fieldStoryPoints}, []string{"environment", fieldEpicLink, fieldSprint}, true, []string{"API Gateway", "Authentication", "Payments"}, "Trivial"},
		{"WEB", "10000", []string{"summary", fieldEpicName}, []string{fieldEpicLink, "parent"}, []string{"components"}, false, []string{"Checkout", "Payments", "Search"}, "Trivial"},
		{"WEB", "5", []string{"parent", "summary"}, []string{fieldEpicLink, fieldSprint}, []string{"components"}, false, nil, ""},
		{"MOB", "10001", []string{"summary"}, []string{"environment"}, []string{fieldStoryPoints, "components"}, false, []string{"Android", "iOS"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.project+"/"+tt.typ, func(t *testing.T) {
			pg := getMetaPage(t, s, DefaultToken, "/rest/api/2/issue/createmeta/"+tt.project+"/issuetypes/"+tt.typ, 200)
			for _, id := range tt.required {
				if req, _, ok := pg.field(id); !ok || !req {
					t.Errorf("%s: on screen %v, required %v; want required", id, ok, req)
				}
			}
			for _, id := range tt.optional {
				if req, _, ok := pg.field(id); !ok || req {
					t.Errorf("%s: on screen %v, required %v; want optional", id, ok, req)
				}
			}
			for _, id := range tt.notOnIt {
				if _, _, ok := pg.field(id); ok {
					t.Errorf("%s is on the screen", id)
				}
			}
			if tt.allowedComponents != nil {
				if _, allowed, _ := pg.field("components"); !slices.Equal(allowed, tt.allowedComponents) {
					t.Errorf("components allowed %q", allowed)
				}
			}
			if tt.allowedPriorityLast != "" {
				if _, allowed, _ := pg.field("priority"); len(allowed) != 5 || allowed[4] != tt.allowedPriorityLast {
					t.Errorf("priorities %q", allowed)
				}
			}
		})
	}
	pg := getMetaPage(t, s, DefaultToken, "/rest/api/2/issue/createmeta/API/issuetypes/1?maxResults=3", 200)
	if len(pg.Values) != 3 || pg.IsLast || pg.Total < 10 || pg.Values[0].FieldID != "project" {
		t.Errorf("first page of fields %+v", pg)
	}
	getMetaPage(t, s, DefaultToken, "/rest/api/2/issue/createmeta/API/issuetypes/99", 400)
	getMetaPage(t, s, DefaultToken, "/rest/api/2/issue/createmeta/OPS/issuetypes/1", 400)
}

func TestEditMeta(t *testing.T) {
	s := newTestServer(t)
	fields := func(token, key string) map[string]struct {
		Required   bool
		Name       string
		Operations []string
	} {
		r := apiCall(t, s, token, "GET", "/rest/api/2/issue/"+key+"/editmeta", nil)
		var b struct {
			Fields map[string]struct {
				Required   bool
				Name       string
				Operations []string
			}
		}
		if err := json.Unmarshal(r.body, &b); err != nil || r.status != 200 || b.Fields == nil {
			t.Fatalf("%s: %d %s", key, r.status, r.body)
		}
		return b.Fields
	}
	web6 := fields(DefaultToken, "WEB-6")
	if !web6["summary"].Required || !slices.Equal(web6["labels"].Operations, []string{"add", "set", "remove"}) || web6["assignee"].Name != "Assignee" {
		t.Errorf("WEB-6 editmeta %+v", web6)
	}
	for _, id := range []string{"project", "issuetype", "parent", "reporter", fieldEpicName} {
		if _, ok := web6[id]; ok {
			t.Errorf("WEB-6 may edit %s", id)
		}
	}
	if api2 := fields(DefaultToken, "API-2"); !api2["components"].Required {
		t.Errorf("API-2 components not required: %+v", api2["components"])
	}
	if epic := fields(DefaultToken, "WEB-1"); !epic[fieldEpicName].Required {
		t.Errorf("WEB-1 Epic Name not required")
	}
	if ops := fields(DefaultToken, "OPS-1"); len(ops) != 0 {
		t.Errorf("alice may edit OPS-1: %v", ops)
	}
	if ops := fields(erinToken, "OPS-1"); len(ops) == 0 {
		t.Errorf("erin may not edit OPS-1")
	}
	if r := apiCall(t, s, DefaultToken, "GET", "/rest/api/2/issue/SEC-1/editmeta", nil); r.status != 404 {
		t.Errorf("SEC-1 editmeta for alice: %d", r.status)
	}
}
