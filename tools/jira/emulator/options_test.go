package emulator

import (
	"encoding/json"
	"slices"
	"testing"
)

func TestForbiddenForHidden(t *testing.T) {
	const forbidden = `{"errorMessages":["You do not have the permission to see the specified issue."],"errors":{}}`
	const missing = `{"errorMessages":["Issue Does Not Exist"],"errors":{}}`
	tests := []struct {
		name, method, path, body string
	}{
		{"get issue", "GET", "/rest/api/2/issue/SEC-1", ""},
		{"get issue with fields", "GET", "/rest/api/2/issue/SEC-1?fields=summary", ""},
		{"transitions", "GET", "/rest/api/2/issue/SEC-1/transitions", ""},
		{"transition", "POST", "/rest/api/2/issue/SEC-1/transitions", `{"transition":{"id":"11"}}`},
		{"comments", "GET", "/rest/api/2/issue/SEC-1/comment", ""},
		{"comment", "GET", "/rest/api/2/issue/SEC-1/comment/1", ""},
		{"add comment", "POST", "/rest/api/2/issue/SEC-1/comment", `{"body":"hi"}`},
	}
	def := newTestServer(t)
	forbid := newTestServer(t, WithForbiddenForHidden())
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if r := apiCall(t, def, DefaultToken, tt.method, tt.path, tt.body); r.status != 404 || string(r.body) != missing {
				t.Errorf("default: %d %s, want 404", r.status, r.body)
			}
			if r := apiCall(t, forbid, DefaultToken, tt.method, tt.path, tt.body); r.status != 403 || string(r.body) != forbidden {
				t.Errorf("WithForbiddenForHidden: %d %s, want 403 %s", r.status, r.body, forbidden)
			}
		})
	}
	t.Run("missing issues stay 404", func(t *testing.T) {
		for _, key := range []string{"SEC-999", "NOPE-1", "99999"} {
			if r := apiCall(t, forbid, DefaultToken, "GET", "/rest/api/2/issue/"+key, nil); r.status != 404 || string(r.body) != missing {
				t.Errorf("%s: %d %s", key, r.status, r.body)
			}
		}
	})
	t.Run("members still see the issue", func(t *testing.T) {
		if r := apiCall(t, forbid, daveToken, "GET", "/rest/api/2/issue/SEC-1", nil); r.status != 200 {
			t.Errorf("dave: %d %s", r.status, r.body)
		}
	})
	t.Run("nothing changed", func(t *testing.T) {
		if st, _ := forbid.Issue("SEC-1"); len(st.Comments) != 0 || st.Status != "To Do" {
			t.Errorf("SEC-1 = %+v", st)
		}
	})
}

func TestAnonymousFallback(t *testing.T) {
	s := newTestServer(t, WithAnonymousFallback())
	const loginReason = "X-Seraph-LoginReason"
	t.Run("default is 401", func(t *testing.T) {
		def := newTestServer(t)
		r := apiCall(t, def, "expired-token", "POST", "/rest/api/2/search", map[string]any{"jql": ""})
		if r.status != 401 || r.header.Get(loginReason) != "" {
			t.Errorf("status %d, %s %q", r.status, loginReason, r.header.Get(loginReason))
		}
	})
	t.Run("search sees only projects open to anyone", func(t *testing.T) {
		s.ResetRequests()
		r := apiCall(t, s, "expired-token", "POST", "/rest/api/2/search", map[string]any{"jql": "ORDER BY key", "maxResults": 1000, "fields": []string{"summary"}})
		if r.status != 200 || r.header.Get(loginReason) != "AUTHENTICATED_FAILED" || r.header.Get("X-AUSERNAME") != "anonymous" {
			t.Fatalf("status %d, headers %v: %.300s", r.status, r.header, r.body)
		}
		if r.header.Get("WWW-Authenticate") != "" {
			t.Errorf("a 200 carries a challenge: %q", r.header.Get("WWW-Authenticate"))
		}
		keys := searchKeys(t, r)
		if len(keys) < 10 {
			t.Fatalf("anonymous sees %d issues", len(keys))
		}
		for _, k := range keys {
			if st, _ := s.Issue(k); st.Project != "API" {
				t.Errorf("anonymous sees %s", k)
			}
		}
		if req := s.Requests()[0]; req.User != "" || req.Status != 200 {
			t.Errorf("recorded user %q status %d", req.User, req.Status)
		}
	})
	t.Run("valid tokens are unaffected", func(t *testing.T) {
		r := apiCall(t, s, DefaultToken, "POST", "/rest/api/2/search", map[string]any{"jql": "project = WEB", "maxResults": 0})
		var b struct{ Total int }
		json.Unmarshal(r.body, &b)
		if r.status != 200 || r.header.Get(loginReason) != "" || b.Total < 50 {
			t.Errorf("alice: %d %q total %d", r.status, r.header.Get(loginReason), b.Total)
		}
	})
	t.Run("no token is still 401", func(t *testing.T) {
		if r := apiCall(t, s, "", "GET", "/rest/api/2/project", nil); r.status != 401 {
			t.Errorf("status %d", r.status)
		}
	})
	t.Run("inactive user falls back too", func(t *testing.T) {
		if r := apiCall(t, s, Token("frank"), "GET", "/rest/api/2/issue/API-2?fields=summary", nil); r.status != 200 || r.header.Get(loginReason) != "AUTHENTICATED_FAILED" {
			t.Errorf("status %d, %q", r.status, r.header.Get(loginReason))
		}
	})
	tests := []struct {
		name, method, path, body string
		wantStatus               int
		wantBody                 string
	}{
		{"myself needs a user", "GET", "/rest/api/2/myself", "", 401, `{"errorMessages":["You are not authenticated. Authentication required to perform this operation."],"errors":{}}`},
		{"open issue", "GET", "/rest/api/2/issue/API-2?fields=summary", "", 200, ""},
		{"issue of a project closed to anonymous", "GET", "/rest/api/2/issue/WEB-2", "", 404, `{"errorMessages":["Issue Does Not Exist"],"errors":{}}`},
		{"currentUser matches nothing", "POST", "/rest/api/2/search", `{"jql":"assignee = currentUser()"}`, 200, `{"expand":"schema,names","issues":[],"maxResults":50,"startAt":0,"total":0}`},
		{"project closed to anonymous", "POST", "/rest/api/2/search", `{"jql":"project = WEB"}`, 400, `{"errorMessages":["The value 'WEB' does not exist for the field 'project'."],"errors":{}}`},
		{"no transitions", "GET", "/rest/api/2/issue/API-2/transitions", "", 200, `{"expand":"transitions","transitions":[]}`},
		{"no comment", "POST", "/rest/api/2/issue/API-2/comment", `{"body":"hi"}`, 400, `{"errorMessages":["You do not have the permission to comment on this issue."],"errors":{}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := apiCall(t, s, "expired-token", tt.method, tt.path, tt.body)
			if r.status != tt.wantStatus || tt.wantBody != "" && string(r.body) != tt.wantBody {
				t.Errorf("%d %s\nwant %d %s", r.status, r.body, tt.wantStatus, tt.wantBody)
			}
			if r.header.Get(loginReason) != "AUTHENTICATED_FAILED" {
				t.Errorf("%s = %q", loginReason, r.header.Get(loginReason))
			}
		})
	}
	t.Run("project list", func(t *testing.T) {
		var ps []struct{ Key string }
		json.Unmarshal(apiCall(t, s, "expired-token", "GET", "/rest/api/2/project", nil).body, &ps)
		var keys []string
		for _, p := range ps {
			keys = append(keys, p.Key)
		}
		if !slices.Equal(keys, []string{"API"}) {
			t.Errorf("anonymous projects %v, want [API]", keys)
		}
	})
	if st, _ := s.Issue("API-2"); len(st.Comments) != 1 {
		t.Errorf("anonymous changed API-2: %+v", st.Comments)
	}
}
