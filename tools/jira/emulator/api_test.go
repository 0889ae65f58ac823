package emulator

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
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
		return "", ErrTokenExpired
	case "good":
		return "carol", nil
	}
	return "", ErrTokenInvalid
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
	t.Run("WithToken replaces the seed tokens", func(t *testing.T) {
		s := newTestServer(t, WithToken("canary-1", "alice"), WithToken("canary-2", "erin"))
		if r := apiCall(t, s, DefaultToken, "GET", "/rest/api/2/myself", nil); r.status != 401 {
			t.Errorf("DefaultToken: status %d, want 401", r.status)
		}
		if r := apiCall(t, s, "canary-2", "GET", "/rest/api/2/myself", nil); r.status != 200 || r.json(t)["name"] != "erin" {
			t.Errorf("canary-2: %d %s", r.status, r.body)
		}
	})
	t.Run("expired token", func(t *testing.T) {
		s := newTestServer(t, WithTokenValidator(expiringValidator{}))
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

func TestSearch(t *testing.T) {
	s := newTestServer(t)
	search := func(body any) apiResponse { return apiCall(t, s, DefaultToken, "POST", "/rest/api/2/search", body) }

	t.Run("fields and paging", func(t *testing.T) {
		r := search(map[string]any{"jql": "project = WEB ORDER BY key ASC", "startAt": 2, "maxResults": 3, "fields": []string{"summary", "status", "nosuchfield"}})
		if r.status != 200 {
			t.Fatalf("%d %s", r.status, r.body)
		}
		m := r.json(t)
		if m["startAt"] != 2.0 || m["maxResults"] != 3.0 || m["total"].(float64) < 80 {
			t.Errorf("paging = %v %v %v", m["startAt"], m["maxResults"], m["total"])
		}
		if got := searchKeys(t, r); !slices.Equal(got, []string{"WEB-3", "WEB-4", "WEB-5"}) {
			t.Errorf("keys = %v", got)
		}
		first := m["issues"].([]any)[0].(map[string]any)
		fields := first["fields"].(map[string]any)
		if len(fields) != 2 || fields["summary"] != "Payment fails with HTTP 502 when the cart has more than 50 items" {
			t.Errorf("fields = %v", fields)
		}
		if first["self"] != s.URL+"/rest/api/2/issue/10003" || first["id"] != "10003" {
			t.Errorf("self = %v id = %v", first["self"], first["id"])
		}
	})
	t.Run("default fields are navigable", func(t *testing.T) {
		fields := search(map[string]any{"jql": "key = WEB-2"}).json(t)["issues"].([]any)[0].(map[string]any)["fields"].(map[string]any)
		for _, id := range []string{"summary", "status", "assignee", "customfield_10002", "customfield_10003", "description"} {
			if _, ok := fields[id]; !ok {
				t.Errorf("navigable field %s missing", id)
			}
		}
		if _, ok := fields["comment"]; ok {
			t.Error("comment is not navigable")
		}
		if fields["customfield_10002"] != 5.0 || fields["customfield_10003"] != "WEB-1" {
			t.Errorf("story points %v epic link %v", fields["customfield_10002"], fields["customfield_10003"])
		}
	})
	t.Run("*all minus description", func(t *testing.T) {
		fields := search(map[string]any{"jql": "key = WEB-2", "fields": []string{"*all", "-description"}}).json(t)["issues"].([]any)[0].(map[string]any)["fields"].(map[string]any)
		if _, ok := fields["description"]; ok {
			t.Error("description was excluded")
		}
		if c := fields["comment"].(map[string]any); c["total"] != 3.0 {
			t.Errorf("alice sees %v comments on WEB-2, want 3", c["total"])
		}
	})
	t.Run("maxResults is capped at 1000", func(t *testing.T) {
		m := search(map[string]any{"jql": "", "maxResults": 5000, "fields": []string{"key"}}).json(t)
		if m["maxResults"] != 1000.0 || len(m["issues"].([]any)) != int(m["total"].(float64)) {
			t.Errorf("maxResults %v, %d issues of %v", m["maxResults"], len(m["issues"].([]any)), m["total"])
		}
	})
	t.Run("maxResults 0 counts", func(t *testing.T) {
		m := search(map[string]any{"jql": "project = MOB", "maxResults": 0}).json(t)
		if m["total"].(float64) < 40 || len(m["issues"].([]any)) != 0 {
			t.Errorf("total %v issues %d", m["total"], len(m["issues"].([]any)))
		}
	})
	t.Run("deep paging", func(t *testing.T) {
		r := search(map[string]any{"jql": "", "startAt": 9990, "maxResults": 20})
		if r.status != 500 {
			t.Fatalf("status %d, want 500", r.status)
		}
		errorBody(t, r)
		if r := search(map[string]any{"jql": "", "startAt": 9950, "maxResults": 50}); r.status != 200 || len(searchKeys(t, r)) != 0 {
			t.Errorf("startAt+maxResults = 10000 must work: %d", r.status)
		}
	})
	t.Run("bad JQL", func(t *testing.T) {
		r := search(map[string]any{"jql": "project = NOPE"})
		if msgs, _ := errorBody(t, r); r.status != 400 || !slices.Equal(msgs, []string{"The value 'NOPE' does not exist for the field 'project'."}) {
			t.Errorf("%d %s", r.status, r.body)
		}
	})
	t.Run("validateQuery false warns", func(t *testing.T) {
		r := search(map[string]any{"jql": "project = NOPE OR key = WEB-2", "validateQuery": false})
		m := r.json(t)
		if r.status != 200 || m["total"] != 1.0 || len(m["warningMessages"].([]any)) != 1 {
			t.Errorf("%d %s", r.status, r.body)
		}
	})
	t.Run("unknown property", func(t *testing.T) {
		r := search(`{"jql":"","max_results":5}`)
		if msgs, _ := errorBody(t, r); r.status != 400 || !strings.Contains(msgs[0], `Unrecognized field "max_results"`) {
			t.Errorf("%d %s", r.status, r.body)
		}
	})
	t.Run("fields must be an array", func(t *testing.T) {
		if r := search(`{"jql":"","fields":"summary"}`); r.status != 400 {
			t.Errorf("%d %s", r.status, r.body)
		}
	})
	t.Run("GET with query parameters", func(t *testing.T) {
		r := apiCall(t, s, DefaultToken, "GET", "/rest/api/2/search?jql=key%20in%20(WEB-2%2C%20WEB-3)%20ORDER%20BY%20key&fields=summary&fields=labels&expand=names", nil)
		m := r.json(t)
		if got := searchKeys(t, r); !slices.Equal(got, []string{"WEB-2", "WEB-3"}) {
			t.Errorf("keys %v", got)
		}
		if names := m["names"].(map[string]any); len(names) != 2 || names["labels"] != "Labels" {
			t.Errorf("names %v", names)
		}
	})
	t.Run("restricted project is absent", func(t *testing.T) {
		total := func(tok string) float64 {
			return apiCall(t, s, tok, "POST", "/rest/api/2/search", map[string]any{"jql": "text ~ embargo", "maxResults": 0}).json(t)["total"].(float64)
		}
		if a, d := total(DefaultToken), total(daveToken); a != 0 || d == 0 {
			t.Errorf("alice finds %v embargoed issues, dave %v", a, d)
		}
	})
}

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

func TestFaults(t *testing.T) {
	s := newTestServer(t)
	s.Fail("POST", "/rest/api/2/search", 429, http.Header{"Retry-After": {"3"}}, "", 1)
	s.Fail("", "/rest/api/2/issue/", 503, nil, "<html>maintenance</html>", 2)
	r := apiCall(t, s, DefaultToken, "POST", "/rest/api/2/search", map[string]any{"jql": ""})
	if r.status != 429 || r.header.Get("Retry-After") != "3" || string(r.body) != `{"errorMessages":["Too Many Requests"],"errors":{}}` {
		t.Errorf("first search: %d %v %s", r.status, r.header, r.body)
	}
	if r := apiCall(t, s, DefaultToken, "GET", "/rest/api/2/search", nil); r.status != 200 {
		t.Errorf("GET is not faulted: %d", r.status)
	}
	if r := apiCall(t, s, DefaultToken, "POST", "/rest/api/2/search", map[string]any{"jql": ""}); r.status != 200 {
		t.Errorf("fault used once: %d", r.status)
	}
	for i := 0; i < 2; i++ {
		if r := apiCall(t, s, "", "GET", "/rest/api/2/issue/WEB-2", nil); r.status != 503 || string(r.body) != "<html>maintenance</html>" {
			t.Errorf("issue %d: %d %s", i, r.status, r.body)
		}
	}
	if r := apiCall(t, s, DefaultToken, "GET", "/rest/api/2/issue/WEB-2", nil); r.status != 200 {
		t.Errorf("after two faults: %d", r.status)
	}
	s.Fail("", "/", 500, nil, "", -1)
	for i := 0; i < 3; i++ {
		if r := apiCall(t, s, DefaultToken, "GET", "/rest/api/2/myself", nil); r.status != 500 {
			t.Errorf("forever fault %d: %d", i, r.status)
		}
	}
	s.ClearFaults()
	if r := apiCall(t, s, DefaultToken, "GET", "/rest/api/2/myself", nil); r.status != 200 {
		t.Errorf("after ClearFaults: %d", r.status)
	}
	reqs := s.Requests()
	if reqs[0].Status != 429 || reqs[0].Method != "POST" || !strings.Contains(string(reqs[0].Body), `"jql"`) {
		t.Errorf("recorded %+v", reqs[0])
	}
}

func TestRequestsRecordEscapedPath(t *testing.T) {
	s := newTestServer(t)
	apiCall(t, s, DefaultToken, "GET", "/rest/api/2/issue/WEB%2D2?fields=summary", nil)
	r := s.Requests()[0]
	if r.Path != "/rest/api/2/issue/WEB-2" || r.RawPath != "/rest/api/2/issue/WEB%2D2" || r.RawQuery != "fields=summary" || r.User != "alice" || r.Status != 200 {
		t.Errorf("recorded %+v", r)
	}
}

func TestConcurrentUse(t *testing.T) {
	s := newTestServer(t)
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 10; j++ {
				apiCall(t, s, DefaultToken, "POST", "/rest/api/2/search", map[string]any{"jql": "project = WEB", "maxResults": 20})
				apiCall(t, s, DefaultToken, "POST", "/rest/api/2/issue/WEB-1/comment", map[string]any{"body": "ping"})
			}
		}()
	}
	wg.Wait()
	if st, _ := s.Issue("WEB-1"); len(st.Comments) != 80 {
		t.Errorf("%d comments, want 80", len(st.Comments))
	}
}

// TestSeedFacts pins what the package doc promises other tests.
func TestSeedFacts(t *testing.T) {
	e := New(WithClock(testClock))
	if n := len(e.IssueKeys()); n != 239 {
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
