package emulator

import (
	"encoding/json"
	"fmt"
	"testing"
)

func TestTransitions(t *testing.T) {
	s := newTestServer(t)
	get := func(tok, key, q string) []map[string]any {
		r := apiCall(t, s, tok, "GET", "/rest/api/2/issue/"+key+"/transitions"+q, nil)
		if r.status != 200 {
			t.Fatalf("%d %s", r.status, r.body)
		}
		var b struct{ Transitions []map[string]any }
		json.Unmarshal(r.body, &b)
		return b.Transitions
	}
	t.Run("list", func(t *testing.T) {
		ts := get(DefaultToken, "WEB-2", "?expand=transitions.fields")
		if len(ts) != 2 || ts[0]["id"] != "11" || ts[1]["id"] != "31" {
			t.Fatalf("transitions %v", ts)
		}
		res := ts[1]["fields"].(map[string]any)["resolution"].(map[string]any)
		if res["required"] != true || len(res["allowedValues"].([]any)) != 5 {
			t.Errorf("resolution meta %v", res)
		}
		if _, ok := get(DefaultToken, "WEB-2", "")[0]["fields"]; ok {
			t.Error("fields without expand")
		}
		if ts := get(DefaultToken, "WEB-2", "?transitionId=31"); len(ts) != 1 || ts[0]["name"] != "Done" {
			t.Errorf("filtered %v", ts)
		}
		if ts := get(DefaultToken, "OPS-1", ""); len(ts) != 0 {
			t.Errorf("alice may not transition OPS-1 but sees %v", ts)
		}
		if r := apiCall(t, s, DefaultToken, "GET", "/rest/api/2/issue/SEC-1/transitions", nil); r.status != 404 {
			t.Errorf("SEC-1: %d", r.status)
		}
	})
	invalidOp := func(name, key string) string {
		return fmt.Sprintf(`{"errorMessages":["It seems that you have tried to perform a workflow operation (%s) that is not valid for the current state of this issue (%s). The likely cause is that somebody has changed the issue recently, please look at the issue history for details."],"errors":{}}`, name, key)
	}
	tests := []struct {
		name, key, body string
		wantStatus      int
		wantBody        string
		wantStatusName  string
	}{
		{"no transition", "WEB-2", `{}`, 400, `{"errorMessages":["Missing 'transition' identifier"],"errors":{}}`, "To Do"},
		{"empty transition", "WEB-2", `{"transition":{}}`, 400, `{"errorMessages":["Missing 'transition' identifier"],"errors":{}}`, "To Do"},
		{"name only", "WEB-2", `{"transition":{"name":"Done"}}`, 400, `{"errorMessages":["Missing 'transition' identifier"],"errors":{}}`, "To Do"},
		{"unknown id", "WEB-2", `{"transition":{"id":"999"}}`, 400, `{"errorMessages":["Transition id '999' is not valid for this issue."],"errors":{}}`, "To Do"},
		{"not from this status", "WEB-2", `{"transition":{"id":"61"}}`, 400, invalidOp("Reopen", "WEB-2"), "To Do"},
		{"no permission", "OPS-1", `{"transition":{"id":"11"}}`, 400, invalidOp("Start Progress", "OPS-1"), "To Do"},
		{"not visible", "SEC-1", `{"transition":{"id":"11"}}`, 404, `{"errorMessages":["Issue Does Not Exist"],"errors":{}}`, ""},
		{"resolution missing", "WEB-2", `{"transition":{"id":"31"}}`, 400, `{"errorMessages":[],"errors":{"resolution":"Resolution is required."}}`, "To Do"},
		{"resolution empty", "WEB-2", `{"transition":{"id":"31"},"fields":{"resolution":{}}}`, 400, `{"errorMessages":[],"errors":{"resolution":"Could not find valid 'id' or 'name' in resolution object."}}`, "To Do"},
		{"resolution unknown", "WEB-2", `{"transition":{"id":"31"},"fields":{"resolution":{"name":"Perfect"}}}`, 400, `{"errorMessages":[],"errors":{"resolution":"Resolution with name 'Perfect' does not exist."}}`, "To Do"},
		{"field not on screen", "WEB-2", `{"transition":{"id":"11"},"fields":{"resolution":{"name":"Fixed"}}}`, 400, `{"errorMessages":[],"errors":{"resolution":"Field 'resolution' cannot be set. It is not on the appropriate screen, or unknown."}}`, "To Do"},
		{"empty comment", "WEB-2", `{"transition":{"id":"11"},"update":{"comment":[{"add":{"body":""}}]}}`, 400, `{"errorMessages":[],"errors":{"comment":"Comment body can not be empty!"}}`, "To Do"},
		{"empty add", "WEB-2", `{"transition":{"id":"11"},"update":{"comment":[{"add":{}}]}}`, 400, `{"errorMessages":[],"errors":{"comment":"Comment body can not be empty!"}}`, "To Do"},
		{"start progress", "WEB-2", `{"transition":{"id":"11"},"update":{"comment":[{"add":{"body":"Picking this up.","visibility":{"type":"role","value":"Developers"}}}]}}`, 204, "", "In Progress"},
		{"review team missing", "WEB-2", `{"transition":{"id":"21"}}`, 400, `{"errorMessages":[],"errors":{"customfield_10005":"Review Team is required."}}`, "In Progress"},
		{"review team invalid", "WEB-2", `{"transition":{"id":"21"},"fields":{"customfield_10005":{"value":"QA"}}}`, 400, `{"errorMessages":[],"errors":{"customfield_10005":"Option value 'QA' is not valid"}}`, "In Progress"},
		{"request review", "WEB-2", `{"transition":{"id":21},"fields":{"customfield_10005":{"value":"Frontend"}},"update":{"comment":[{"add":{"body":"Ready for review.","visibility":{"type":"role","value":"Developers"}}}]}}`, 204, "", "In Review"},
		{"done", "WEB-2", `{"transition":{"id":"31"},"fields":{"resolution":{"name":"Fixed"}},"update":{"comment":[{"add":{"body":"Shipped in 4.2."}}]}}`, 204, "", "Done"},
		{"reopen", "WEB-2", `{"transition":{"id":"61"}}`, 204, "", "To Do"},
		{"ops member", "OPS-1", `{"transition":{"id":"11"}}`, 204, "", "In Progress"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok := DefaultToken
			if tt.name == "ops member" {
				tok = erinToken
			}
			r := apiCall(t, s, tok, "POST", "/rest/api/2/issue/"+tt.key+"/transitions", tt.body)
			if r.status != tt.wantStatus {
				t.Fatalf("status %d, want %d: %s", r.status, tt.wantStatus, r.body)
			}
			if tt.wantBody != "" && string(r.body) != tt.wantBody {
				t.Errorf("body %s\nwant %s", r.body, tt.wantBody)
			}
			if tt.wantStatus == 204 && len(r.body) != 0 {
				t.Errorf("204 with body %q", r.body)
			}
			if tt.wantStatusName != "" {
				if st, _ := s.Issue(tt.key); st.Status != tt.wantStatusName {
					t.Errorf("status now %q, want %q", st.Status, tt.wantStatusName)
				}
			}
		})
	}
	st, _ := s.Issue("WEB-2")
	if st.Resolution != "" || st.ReviewTeam != "Frontend" || !st.Resolved.IsZero() {
		t.Errorf("after reopen: resolution %q review team %q resolved %v", st.Resolution, st.ReviewTeam, st.Resolved)
	}
	// Start Progress has no screen: its comment was dropped.
	last := st.Comments[len(st.Comments)-2:]
	if len(st.Comments) != 6 || last[0].Body != "Ready for review." || last[0].VisibilityValue != "Developers" || last[1].Body != "Shipped in 4.2." || last[1].Author != "alice" {
		t.Errorf("transition comments %+v", st.Comments)
	}
}

// TestTransitionCommentNeedsScreen: Jira stores a comment sent with a
// transition only when the transition has a screen; otherwise it answers
// 204 and drops the comment.
func TestTransitionCommentNeedsScreen(t *testing.T) {
	tests := []struct {
		name, key, transition, fields string
		wantStatus                    string
		stored                        bool
	}{
		{"Start Progress has no screen", "WEB-2", "11", "", "In Progress", false},
		{"Stop Progress has no screen", "WEB-3", "41", "", "To Do", false},
		{"Request Review has a screen", "WEB-3", "21", `,"fields":{"customfield_10005":{"value":"Backend"}}`, "In Review", true},
		{"Back to In Progress has no screen", "WEB-4", "51", "", "In Progress", false},
		{"Done has a screen", "WEB-2", "31", `,"fields":{"resolution":{"name":"Done"}}`, "Done", true},
		{"Reopen has no screen", "WEB-5", "61", "", "To Do", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newTestServer(t)
			before, _ := s.Issue(tt.key)
			body := `{"transition":{"id":"` + tt.transition + `"}` + tt.fields + `,"update":{"comment":[{"add":{"body":"Moving it along."}}]}}`
			r := apiCall(t, s, DefaultToken, "POST", "/rest/api/2/issue/"+tt.key+"/transitions", body)
			if r.status != 204 || len(r.body) != 0 {
				t.Fatalf("status %d %s, want 204 and no body", r.status, r.body)
			}
			after, _ := s.Issue(tt.key)
			if after.Status != tt.wantStatus {
				t.Errorf("status %q, want %q", after.Status, tt.wantStatus)
			}
			want := len(before.Comments)
			if tt.stored {
				want++
			}
			if len(after.Comments) != want {
				t.Fatalf("%d comments, want %d", len(after.Comments), want)
			}
			if tt.stored {
				if c := after.Comments[want-1]; c.Body != "Moving it along." || c.Author != "alice" {
					t.Errorf("stored comment %+v", c)
				}
			}
			// A dropped comment must be absent from what clients read too.
			var page struct{ Total int }
			json.Unmarshal(apiCall(t, s, DefaultToken, "GET", "/rest/api/2/issue/"+tt.key+"/comment", nil).body, &page)
			if visible := len(before.Comments) - hiddenFromAlice(before) + map[bool]int{true: 1}[tt.stored]; page.Total != visible {
				t.Errorf("comment page total %d, want %d", page.Total, visible)
			}
		})
	}
	t.Run("a bad comment still fails a screenless transition", func(t *testing.T) {
		s := newTestServer(t)
		r := apiCall(t, s, DefaultToken, "POST", "/rest/api/2/issue/WEB-2/transitions", `{"transition":{"id":"11"},"update":{"comment":[{"add":{"body":" "}}]}}`)
		if r.status != 400 {
			t.Errorf("status %d %s, want 400", r.status, r.body)
		}
		if st, _ := s.Issue("WEB-2"); st.Status != "To Do" {
			t.Errorf("status %q after a rejected transition", st.Status)
		}
	})
}

// hiddenFromAlice counts the comments alice may not read (security-team).
func hiddenFromAlice(st IssueState) int {
	n := 0
	for _, c := range st.Comments {
		if c.VisibilityType == "group" && c.VisibilityValue == "security-team" {
			n++
		}
	}
	return n
}
