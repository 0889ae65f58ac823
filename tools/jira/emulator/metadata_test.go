package emulator

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestResources(t *testing.T) {
	s := newTestServer(t)
	list := func(tok, path string) []map[string]any {
		r := apiCall(t, s, tok, "GET", path, nil)
		var out []map[string]any
		if err := json.Unmarshal(r.body, &out); err != nil || r.status != 200 {
			t.Fatalf("%s: %d %s", path, r.status, r.body)
		}
		return out
	}
	names := func(xs []map[string]any, key string) []string {
		var out []string
		for _, x := range xs {
			out = append(out, fmt.Sprint(x[key]))
		}
		return out
	}
	if got := names(list(DefaultToken, "/rest/api/2/project"), "key"); !slices.Equal(got, []string{"WEB", "API", "MOB", "OPS"}) {
		t.Errorf("alice's projects %v", got)
	}
	if got := names(list(daveToken, "/rest/api/2/project"), "key"); !slices.Contains(got, "SEC") {
		t.Errorf("dave's projects %v", got)
	}
	if got := names(list(DefaultToken, "/rest/api/2/status"), "name"); !slices.Equal(got, []string{"To Do", "In Progress", "In Review", "Done"}) {
		t.Errorf("statuses %v", got)
	}
	if got := names(list(DefaultToken, "/rest/api/2/priority"), "name"); len(got) != 5 || got[0] != "Blocker" {
		t.Errorf("priorities %v", got)
	}
	if got := names(list(DefaultToken, "/rest/api/2/resolution"), "name"); !slices.Contains(got, "Fixed") {
		t.Errorf("resolutions %v", got)
	}
	fields := list(DefaultToken, "/rest/api/2/field")
	i := slices.Index(names(fields, "name"), "Story Points")
	if i < 0 || fields[i]["id"] != "customfield_10002" || !slices.Contains(fields[i]["clauseNames"].([]any), any("cf[10002]")) {
		t.Errorf("Story Points field %v", fields)
	}
	if r := apiCall(t, s, DefaultToken, "GET", "/rest/api/2/project/web", nil); r.status != 200 || r.json(t)["lead"].(map[string]any)["name"] != "alice" {
		t.Errorf("project WEB: %d %s", r.status, r.body)
	}
	if r := apiCall(t, s, DefaultToken, "GET", "/rest/api/2/project/SEC", nil); r.status != 404 || string(r.body) != `{"errorMessages":["No project could be found with key 'SEC'."],"errors":{}}` {
		t.Errorf("project SEC: %d %s", r.status, r.body)
	}
	info := apiCall(t, s, DefaultToken, "GET", "/rest/api/2/serverInfo", nil).json(t)
	if !strings.HasPrefix(info["version"].(string), "10.3.") || info["deploymentType"] != "Server" || info["baseUrl"] != s.URL {
		t.Errorf("serverInfo %v", info)
	}
	me := apiCall(t, s, bobToken, "GET", "/rest/api/2/myself?expand=groups", nil).json(t)
	if me["displayName"] != "Bob Brown" || me["key"] != "JIRAUSER10101" || len(me["groups"].(map[string]any)["items"].([]any)) != 2 {
		t.Errorf("myself %v", me)
	}
	if r := apiCall(t, s, DefaultToken, "GET", "/rest/api/2/nothing/here", nil); r.status != 404 {
		t.Errorf("unknown resource: %d", r.status)
	}
	if r := apiCall(t, s, DefaultToken, "DELETE", "/rest/api/2/issue/WEB-2", nil); r.status != 405 {
		t.Errorf("DELETE issue: %d", r.status)
	}
}
