package emulator

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

var (
	bobToken  = Token("bob")
	erinToken = Token("erin")
	daveToken = Token("dave")
)

type expiringValidator struct{}

func (expiringValidator) ValidateToken(tok string) (string, error) {
	switch tok {
	case "old":
		return "", errTokenExpired
	case "good":
		return "carol", nil
	}
	return "", errTokenInvalid
}

func TestAuthentication(t *testing.T) {
	s := newTestServer(t)
	tests := []struct {
		name, header, wantChallenge string
		wantStatus                  int
		wantUser                    string
	}{
		{"no header", "", `Bearer realm="` + s.URL + `"`, 401, ""},
		{"basic auth", "Basic YWxpY2U6c2VjcmV0", `Bearer realm="` + s.URL + `"`, 401, ""},
		{"unknown token", "Bearer nope", `Bearer realm="` + s.URL + `", error="invalid_token", error_description="The access token is invalid"`, 401, ""},
		{"inactive user", "Bearer " + Token("frank"), `Bearer realm="` + s.URL + `", error="invalid_token", error_description="The access token is invalid"`, 401, ""},
		{"default token", "Bearer " + DefaultToken, "", 200, "alice"},
		{"bob", "Bearer " + bobToken, "", 200, "bob"},
		{"lower-case scheme", "bearer " + bobToken, "", 200, "bob"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s.ResetRequests()
			req, _ := http.NewRequest("GET", s.URL+"/rest/api/2/myself", nil)
			if tt.header != "" {
				req.Header.Set("Authorization", tt.header)
			}
			resp, err := s.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tt.wantStatus {
				t.Fatalf("status = %d, want %d: %s", resp.StatusCode, tt.wantStatus, body)
			}
			if got := resp.Header.Get("WWW-Authenticate"); got != tt.wantChallenge {
				t.Errorf("WWW-Authenticate = %q, want %q", got, tt.wantChallenge)
			}
			if tt.wantStatus == 401 {
				if string(body) != `{"errorMessages":["You are not authenticated. Authentication required to perform this operation."],"errors":{}}` {
					t.Errorf("body = %s", body)
				}
			} else {
				var me map[string]any
				json.Unmarshal(body, &me)
				if me["name"] != tt.wantUser {
					t.Errorf("myself name = %v, want %s", me["name"], tt.wantUser)
				}
			}
			reqs := s.Requests()
			if len(reqs) != 1 || reqs[0].User != tt.wantUser || reqs[0].Status != tt.wantStatus {
				t.Errorf("recorded %+v", reqs)
			}
		})
	}
}

func TestTokenOptions(t *testing.T) {
	t.Run("withToken replaces the seed tokens", func(t *testing.T) {
		s := newTestServer(t, withToken("canary-1", "alice"), withToken("canary-2", "erin"))
		if r := apiCall(t, s, DefaultToken, "GET", "/rest/api/2/myself", nil); r.status != 401 {
			t.Errorf("DefaultToken: status %d, want 401", r.status)
		}
		if r := apiCall(t, s, "canary-2", "GET", "/rest/api/2/myself", nil); r.status != 200 || r.json(t)["name"] != "erin" {
			t.Errorf("canary-2: %d %s", r.status, r.body)
		}
	})
	t.Run("expired token", func(t *testing.T) {
		s := newTestServer(t, withTokenValidator(expiringValidator{}))
		r := apiCall(t, s, "old", "GET", "/rest/api/2/serverInfo", nil)
		if r.status != 401 || !strings.Contains(r.header.Get("WWW-Authenticate"), `error_description="The access token expired"`) {
			t.Errorf("status %d, challenge %q", r.status, r.header.Get("WWW-Authenticate"))
		}
		if r := apiCall(t, s, "good", "GET", "/rest/api/2/myself", nil); r.json(t)["name"] != "carol" {
			t.Errorf("good token: %s", r.body)
		}
	})
	t.Run("in-process client", func(t *testing.T) {
		e := New(WithClock(testClock))
		req, _ := http.NewRequest("GET", "https://anything.invalid/rest/api/2/issue/WEB-2?fields=summary", nil)
		req.Header.Set("Authorization", "Bearer "+DefaultToken)
		resp, err := e.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var is map[string]any
		json.NewDecoder(resp.Body).Decode(&is)
		if resp.StatusCode != 200 || is["self"] != "http://jira.example.test/rest/api/2/issue/10002" {
			t.Errorf("status %d, self %v", resp.StatusCode, is["self"])
		}
	})
}
