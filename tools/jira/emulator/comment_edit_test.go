package emulator

import (
	"testing"
)

func TestEditComment(t *testing.T) {
	s := newTestServer(t)
	for _, tt := range []struct {
		name, token, key, id, body string
		status                     int
		wantBody, wantVis          string
	}{
		{"own", DefaultToken, "WEB-2", "20004", `{"body":"Spike done; PR tomorrow."}`, 200, "Spike done; PR tomorrow.", ""},
		{"own, restricted", DefaultToken, "WEB-2", "20004", `{"body":"Spike done.","visibility":{"type":"role","value":"Developers"}}`, 200, "Spike done.", "Developers"},
		{"someone else's", DefaultToken, "WEB-2", "20001", `{"body":"x"}`, 400, "Lookup provider contract is signed, API keys are in the vault.", ""},
		{"an administrator's right", daveToken, "WEB-2", "20001", `{"body":"Contract signed."}`, 200, "Contract signed.", ""},
		{"empty", DefaultToken, "WEB-2", "20004", `{"body":" "}`, 400, "Spike done.", "Developers"},
		{"not visible", DefaultToken, "WEB-2", "20003", `{"body":"x"}`, 404, "", ""},
		{"no such comment", DefaultToken, "WEB-2", "1", `{"body":"x"}`, 404, "", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := apiCall(t, s, tt.token, "PUT", "/rest/api/2/issue/"+tt.key+"/comment/"+tt.id, tt.body)
			if r.status != tt.status {
				t.Fatalf("%d %s", r.status, r.body)
			}
			if r.status == 200 {
				if m := r.json(t); m["body"] != tt.wantBody || m["id"] != tt.id {
					t.Errorf("answer %v", m)
				}
			} else {
				errorBody(t, r)
			}
			if tt.wantBody == "" {
				return
			}
			st, _ := s.Issue(tt.key)
			for _, c := range st.Comments {
				if c.ID == tt.id && (c.Body != tt.wantBody || c.VisibilityValue != tt.wantVis) {
					t.Errorf("comment %s = %q visible to %q", c.ID, c.Body, c.VisibilityValue)
				}
			}
		})
	}
	if r := apiCall(t, s, DefaultToken, "GET", "/rest/api/2/issue/WEB-2/comment/20001", nil); r.json(t)["updateAuthor"].(map[string]any)["name"] != "dave" {
		t.Errorf("updateAuthor of 20001: %s", r.body)
	}
}
