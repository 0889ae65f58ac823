package emulator

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

func TestComments(t *testing.T) {
	s := newTestServer(t)
	bodies := func(r apiResponse) []string {
		var b struct {
			Total    int
			Comments []struct{ Body, RenderedBody string }
		}
		if err := json.Unmarshal(r.body, &b); err != nil || r.status != 200 {
			t.Fatalf("%d %s", r.status, r.body)
		}
		var out []string
		for _, c := range b.Comments {
			out = append(out, c.Body[:12])
		}
		return out
	}
	t.Run("visibility", func(t *testing.T) {
		alice := bodies(apiCall(t, s, DefaultToken, "GET", "/rest/api/2/issue/WEB-2/comment", nil))
		erin := bodies(apiCall(t, s, erinToken, "GET", "/rest/api/2/issue/WEB-2/comment", nil))
		dave := bodies(apiCall(t, s, daveToken, "GET", "/rest/api/2/issue/WEB-2/comment", nil))
		if !slices.Equal(alice, []string{"Lookup provi", "Pricing for ", "Started a sp"}) {
			t.Errorf("alice sees %q", alice)
		}
		if !slices.Equal(erin, []string{"Lookup provi", "Started a sp"}) {
			t.Errorf("erin sees %q", erin)
		}
		if !slices.Equal(dave, []string{"Lookup provi", "The lookup v", "Started a sp"}) {
			t.Errorf("dave sees %q", dave)
		}
	})
	t.Run("order and paging", func(t *testing.T) {
		got := bodies(apiCall(t, s, DefaultToken, "GET", "/rest/api/2/issue/WEB-2/comment?orderBy=-created&startAt=1&maxResults=1", nil))
		if !slices.Equal(got, []string{"Pricing for "}) {
			t.Errorf("got %q", got)
		}
		r := apiCall(t, s, DefaultToken, "GET", "/rest/api/2/issue/WEB-2/comment?expand=renderedBody&maxResults=1", nil)
		m := r.json(t)
		if m["total"] != 3.0 || m["maxResults"] != 1.0 || m["comments"].([]any)[0].(map[string]any)["renderedBody"] == nil {
			t.Errorf("%s", r.body)
		}
	})
	t.Run("single comment", func(t *testing.T) {
		if r := apiCall(t, s, DefaultToken, "GET", "/rest/api/2/issue/WEB-2/comment/20002", nil); r.status != 200 || r.json(t)["visibility"].(map[string]any)["value"] != "Developers" {
			t.Errorf("%d %s", r.status, r.body)
		}
		if r := apiCall(t, s, erinToken, "GET", "/rest/api/2/issue/WEB-2/comment/20002", nil); r.status != 404 {
			t.Errorf("erin reads a restricted comment: %d", r.status)
		}
	})
	tests := []struct {
		name, key  string
		token      string
		body       string
		wantStatus int
		wantBody   string
	}{
		{"public", "WEB-5", DefaultToken, `{"body":"Verified on production."}`, 201, ""},
		{"role", "WEB-5", DefaultToken, `{"body":"Internal note","visibility":{"type":"role","value":"Developers"}}`, 201, ""},
		{"group", "WEB-5", DefaultToken, `{"body":"Dev note","visibility":{"type":"group","value":"developers"}}`, 201, ""},
		{"empty body", "WEB-5", DefaultToken, `{"body":"  "}`, 400, `{"errorMessages":[],"errors":{"comment":"Comment body can not be empty!"}}`},
		{"no body", "WEB-5", DefaultToken, `{}`, 400, `{"errorMessages":[],"errors":{"comment":"Comment body can not be empty!"}}`},
		{"not in group", "WEB-5", DefaultToken, `{"body":"x","visibility":{"type":"group","value":"security-team"}}`, 400, `{"errorMessages":[],"errors":{"commentLevel":"You are currently not a member of the group: security-team."}}`},
		{"no such group", "WEB-5", DefaultToken, `{"body":"x","visibility":{"type":"group","value":"martians"}}`, 400, `{"errorMessages":[],"errors":{"commentLevel":"Group: martians does not exist."}}`},
		{"not in role", "OPS-1", erinToken, `{"body":"x","visibility":{"type":"role","value":"Administrators"}}`, 400, `{"errorMessages":[],"errors":{"commentLevel":"You are currently not a member of the project role: Administrators."}}`},
		{"no permission", "OPS-1", DefaultToken, `{"body":"Can I help?"}`, 400, `{"errorMessages":["Alice Anderson, you do not have the permission to comment on this issue."],"errors":{}}`},
		{"not visible", "SEC-1", DefaultToken, `{"body":"x"}`, 404, `{"errorMessages":["Issue Does Not Exist"],"errors":{}}`},
		{"malformed", "WEB-5", DefaultToken, `{"body":`, 400, ""},
		{"unknown property", "WEB-5", DefaultToken, `{"body":"x","text":"y"}`, 400, ""},
	}
	for _, tt := range tests {
		t.Run("add "+tt.name, func(t *testing.T) {
			r := apiCall(t, s, tt.token, "POST", "/rest/api/2/issue/"+tt.key+"/comment", tt.body)
			if r.status != tt.wantStatus {
				t.Fatalf("status %d, want %d: %s", r.status, tt.wantStatus, r.body)
			}
			if tt.wantBody != "" && string(r.body) != tt.wantBody {
				t.Errorf("body %s\nwant %s", r.body, tt.wantBody)
			}
			if r.status >= 400 {
				errorBody(t, r)
				return
			}
			m := r.json(t)
			if r.header.Get("Location") != m["self"] || !strings.HasPrefix(m["self"].(string), s.URL+"/rest/api/2/issue/10005/comment/") {
				t.Errorf("self %v location %q", m["self"], r.header.Get("Location"))
			}
			if m["author"].(map[string]any)["name"] != "alice" || m["created"] != "2026-01-31T12:00:00.000+0000" {
				t.Errorf("author %v created %v", m["author"], m["created"])
			}
		})
	}
	st, _ := s.Issue("WEB-5")
	var added []string
	for _, c := range st.Comments {
		added = append(added, c.Body+"|"+c.VisibilityType+"|"+c.VisibilityValue)
	}
	if want := []string{"Verified on production.||", "Internal note|role|Developers", "Dev note|group|developers"}; !slices.Equal(added, want) {
		t.Errorf("stored comments %q, want %q", added, want)
	}
	if got := bodies(apiCall(t, s, erinToken, "GET", "/rest/api/2/issue/WEB-5/comment", nil)); len(got) != 1 {
		t.Errorf("erin sees %q, want only the public comment", got)
	}
}
