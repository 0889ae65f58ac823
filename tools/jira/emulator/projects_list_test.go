package emulator

import (
	"encoding/json"
	"testing"
)

func TestProjectListExpand(t *testing.T) {
	s := newTestServer(t)
	var short, long []map[string]any
	json.Unmarshal(apiCall(t, s, DefaultToken, "GET", "/rest/api/2/project", nil).body, &short)
	json.Unmarshal(apiCall(t, s, DefaultToken, "GET", "/rest/api/2/project?expand=description,lead,issueTypes", nil).body, &long)
	if len(short) != 4 || len(long) != 4 {
		t.Fatalf("%d and %d projects", len(short), len(long))
	}
	if _, ok := short[0]["issueTypes"]; ok || short[0]["lead"] != nil {
		t.Errorf("unexpanded project %v", short[0])
	}
	api := long[1]
	lead, _ := api["lead"].(map[string]any)
	types, _ := api["issueTypes"].([]any)
	if api["key"] != "API" || lead["name"] != "bob" || lead["emailAddress"] != nil || len(types) != 5 || api["description"] == nil {
		t.Errorf("expanded API %v", api)
	}
}
