package emulator

import (
	"slices"
	"strings"
	"testing"
)

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
