package emulator

import (
	"slices"
	"strings"
	"testing"
)

func TestGetIssue(t *testing.T) {
	s := newTestServer(t)
	tests := []struct {
		path       string
		token      string
		wantStatus int
		wantKey    string
	}{
		{"/rest/api/2/issue/WEB-2", DefaultToken, 200, "WEB-2"},
		{"/rest/api/2/issue/web-2", DefaultToken, 200, "WEB-2"},
		{"/rest/api/2/issue/10002", DefaultToken, 200, "WEB-2"},
		{"/rest/api/2/issue/WEB%2D2", DefaultToken, 200, "WEB-2"},
		{"/rest/api/2/issue/OPS-1", DefaultToken, 200, "OPS-1"},
		{"/rest/api/2/issue/SEC-1", daveToken, 200, "SEC-1"},
		{"/rest/api/2/issue/SEC-1", DefaultToken, 404, ""},
		{"/rest/api/2/issue/WEB-99999", DefaultToken, 404, ""},
		{"/rest/api/2/issue/not-a-key", DefaultToken, 404, ""},
		{"/rest/api/2/issue/WEB-2%2Fcomment", DefaultToken, 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			r := apiCall(t, s, tt.token, "GET", tt.path, nil)
			if r.status != tt.wantStatus {
				t.Fatalf("status %d, want %d: %s", r.status, tt.wantStatus, r.body)
			}
			if tt.wantStatus == 404 {
				if string(r.body) != `{"errorMessages":["Issue Does Not Exist"],"errors":{}}` {
					t.Errorf("body %s", r.body)
				}
				return
			}
			if m := r.json(t); m["key"] != tt.wantKey {
				t.Errorf("key %v", m["key"])
			}
		})
	}
	t.Run("expand", func(t *testing.T) {
		m := apiCall(t, s, DefaultToken, "GET", "/rest/api/2/issue/WEB-3?expand=renderedFields,names,transitions&fields=description,comment,status", nil).json(t)
		rf := m["renderedFields"].(map[string]any)
		if d, _ := rf["description"].(string); !strings.Contains(d, "<h3>") || !strings.Contains(d, "<ol>") {
			t.Errorf("rendered description %q", d)
		}
		if m["names"].(map[string]any)["status"] != "Status" {
			t.Errorf("names %v", m["names"])
		}
		var ids []string
		for _, tr := range m["transitions"].([]any) {
			ids = append(ids, tr.(map[string]any)["id"].(string))
		}
		if !slices.Equal(ids, []string{"41", "21", "31"}) {
			t.Errorf("transitions %v", ids)
		}
	})
	t.Run("sub-task has parent", func(t *testing.T) {
		f := apiCall(t, s, DefaultToken, "GET", "/rest/api/2/issue/WEB-7?fields=parent,issuetype", nil).json(t)["fields"].(map[string]any)
		if f["parent"].(map[string]any)["key"] != "WEB-6" || f["issuetype"].(map[string]any)["subtask"] != true {
			t.Errorf("fields %v", f)
		}
	})
}
