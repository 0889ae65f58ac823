package emulator

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// issueLinksOf reads an issue's issuelinks as "<phrase> <other key>" from
// that issue's side, the way Jira's issue view shows them.
func issueLinksOf(t *testing.T, s *Server, token, key string) []string {
	t.Helper()
	r := apiCall(t, s, token, "GET", "/rest/api/2/issue/"+key+"?fields=issuelinks", nil)
	var is struct {
		Fields struct {
			IssueLinks []struct {
				Type                      struct{ Name, Inward, Outward string }
				InwardIssue, OutwardIssue *struct{ Key string }
			}
		}
	}
	if err := json.Unmarshal(r.body, &is); err != nil || r.status != 200 {
		t.Fatalf("%d %s", r.status, r.body)
	}
	var out []string
	for _, l := range is.Fields.IssueLinks {
		switch {
		case l.OutwardIssue != nil && l.InwardIssue == nil:
			out = append(out, l.Type.Outward+" "+l.OutwardIssue.Key)
		case l.InwardIssue != nil && l.OutwardIssue == nil:
			out = append(out, l.Type.Inward+" "+l.InwardIssue.Key)
		default:
			t.Errorf("%s: a link with both or neither ends: %+v", key, l)
		}
	}
	return out
}

// TestLinkDirection pins Jira's reading of POST issueLink: the request's
// inwardIssue is the link's source, the one the outward phrase describes.
func TestLinkDirection(t *testing.T) {
	s := newTestServer(t)
	r := apiCall(t, s, DefaultToken, "POST", "/rest/api/2/issueLink", `{"type":{"name":"Blocks"},"inwardIssue":{"key":"WEB-5"},"outwardIssue":{"key":"WEB-6"}}`)
	if r.status != 201 || len(r.body) != 0 || !strings.Contains(r.header.Get("Location"), "/rest/api/2/issueLink/10005") {
		t.Fatalf("%d %q %v", r.status, r.body, r.header)
	}
	if got := issueLinksOf(t, s, DefaultToken, "WEB-5"); !slices.Equal(got, []string{"blocks WEB-6"}) {
		t.Errorf("WEB-5 shows %q", got)
	}
	if got := issueLinksOf(t, s, DefaultToken, "WEB-6"); !slices.Equal(got, []string{"is blocked by WEB-5"}) {
		t.Errorf("WEB-6 shows %q", got)
	}
	if got := s.Links("WEB-5"); !slices.Equal(got, []LinkState{{"10005", "Blocks", "WEB-5", "WEB-6"}}) {
		t.Errorf("stored %+v", got)
	}
	// The same link again is not added twice; Jira still answers 201.
	r = apiCall(t, s, DefaultToken, "POST", "/rest/api/2/issueLink", `{"type":{"id":"10000"},"inwardIssue":{"key":"WEB-5"},"outwardIssue":{"key":"WEB-6"},"comment":{"body":"again"}}`)
	if r.status != 201 || len(s.Links("WEB-5")) != 1 {
		t.Errorf("duplicate: %d, links %v", r.status, s.Links("WEB-5"))
	}
	if st, _ := s.Issue("WEB-6"); len(st.Comments) != 1 || st.Comments[0].Body != "again" {
		t.Errorf("the comment goes to the outward issue: %+v", st.Comments)
	}
	if h := s.History("WEB-6"); !slices.Equal(h, []string{"alice: Link"}) {
		t.Errorf("history %q", h)
	}
}

func TestSeedLinksAndVisibility(t *testing.T) {
	s := newTestServer(t)
	// SEC-1 blocks WEB-2 too, but alice may not see SEC-1.
	if got := issueLinksOf(t, s, DefaultToken, "WEB-2"); !slices.Equal(got, []string{"relates to WEB-4"}) {
		t.Errorf("alice sees on WEB-2 %q", got)
	}
	if got := issueLinksOf(t, s, Token("dave"), "WEB-2"); !slices.Equal(got, []string{"relates to WEB-4", "is blocked by SEC-1"}) {
		t.Errorf("dave sees on WEB-2 %q", got)
	}
	if got := issueLinksOf(t, s, DefaultToken, "WEB-3"); !slices.Equal(got, []string{"is blocked by OPS-1"}) {
		t.Errorf("WEB-3 %q", got)
	}
	if got := issueLinksOf(t, s, DefaultToken, "MOB-1"); !slices.Equal(got, []string{"duplicates API-2"}) {
		t.Errorf("MOB-1 %q", got)
	}
	if r := apiCall(t, s, DefaultToken, "GET", "/rest/api/2/issueLink/10003", nil); r.status != 404 {
		t.Errorf("a link to a hidden issue: %d", r.status)
	}
	r := apiCall(t, s, DefaultToken, "GET", "/rest/api/2/issueLinkType", nil)
	if !strings.Contains(string(r.body), `"inward":"is blocked by","name":"Blocks","outward":"blocks"`) {
		t.Errorf("%s", r.body)
	}
}

func TestLinkErrors(t *testing.T) {
	s := newTestServer(t)
	for _, tt := range []struct {
		body   string
		status int
		want   string
	}{
		{`{"type":{"name":"blocks"},"inwardIssue":{"key":"WEB-5"},"outwardIssue":{"key":"WEB-6"}}`, 404, "No issue link type with name 'blocks' found."},
		{`{"inwardIssue":{"key":"WEB-5"},"outwardIssue":{"key":"WEB-6"}}`, 400, "must be specified"},
		{`{"type":{"name":"Blocks"},"inwardIssue":{"key":"WEB-5"},"outwardIssue":{"key":"SEC-1"}}`, 404, "Issue Does Not Exist"},
		{`{"type":{"name":"Blocks"},"inwardIssue":{"key":"OPS-1"},"outwardIssue":{"key":"WEB-5"}}`, 401, "permission to link issues in project OPS"},
		{`{"type":{"name":"Blocks"},"inwardIssue":{"key":"WEB-5"},"outwardIssue":{"key":"WEB-5"}}`, 400, "itself"},
		{`{"type":{"name":"Blocks"},"inwardIssue":{"key":"WEB-5"},"outwardIssue":{"key":"WEB-6"},"comment":{"body":" "}}`, 400, "can not be empty"},
		{`{"type":{"name":"Blocks"},"inward":{"key":"WEB-5"}}`, 400, "Unrecognized field"},
	} {
		r := apiCall(t, s, DefaultToken, "POST", "/rest/api/2/issueLink", tt.body)
		msgs, errs := errorBody(t, r)
		if r.status != tt.status || !strings.Contains(strings.Join(msgs, " ")+errs["comment"], tt.want) {
			t.Errorf("%s: %d %s", tt.body, r.status, r.body)
		}
	}
	// Erin may link in OPS (ops-team), both ways.
	r := apiCall(t, s, Token("erin"), "POST", "/rest/api/2/issueLink", `{"type":{"name":"Relates"},"inwardIssue":{"key":"OPS-1"},"outwardIssue":{"key":"WEB-5"}}`)
	if r.status != 201 {
		t.Errorf("erin: %d %s", r.status, r.body)
	}
}

// TestRemoteLinkGlobalID: posting a globalId the issue has updates its
// link (200); a new one creates a link (201).
func TestRemoteLinkGlobalID(t *testing.T) {
	s := newTestServer(t)
	const pr = "https://git.example.test/storefront/web/pull/412"
	r := apiCall(t, s, DefaultToken, "POST", "/rest/api/2/issue/WEB-3/remotelink", `{"globalId":"`+pr+`","relationship":"fixed by","object":{"url":"`+pr+`","title":"PR #412 (merged)"}}`)
	if r.status != 200 || string(r.body) != `{"id":10001,"self":"`+s.URL+`/rest/api/2/issue/WEB-3/remotelink/10001"}` {
		t.Fatalf("update: %d %s", r.status, r.body)
	}
	commit := "https://git.example.test/storefront/web/commit/a1b2c3d"
	r = apiCall(t, s, DefaultToken, "POST", "/rest/api/2/issue/web-3/remotelink", `{"globalId":"`+commit+`","object":{"url":"`+commit+`","title":"a1b2c3d Retry once","summary":"on main"}}`)
	if r.status != 201 || r.header.Get("Location") == "" {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	want := []RemoteLinkState{
		{10001, pr, pr, "PR #412 (merged)", "", "fixed by"},
		{10002, commit, commit, "a1b2c3d Retry once", "on main", ""},
	}
	if got := s.RemoteLinks("WEB-3"); !slices.Equal(got, want) {
		t.Errorf("stored %+v", got)
	}
	r = apiCall(t, s, DefaultToken, "GET", "/rest/api/2/issue/WEB-3/remotelink?globalId="+commit, nil)
	if m := r.json(t); r.status != 200 || m["globalId"] != commit || m["object"].(map[string]any)["summary"] != "on main" {
		t.Errorf("by globalId: %d %s", r.status, r.body)
	}
	if r := apiCall(t, s, DefaultToken, "GET", "/rest/api/2/issue/WEB-3/remotelink", nil); strings.Count(string(r.body), `"globalId"`) != 2 {
		t.Errorf("list: %s", r.body)
	}
	if r := apiCall(t, s, DefaultToken, "POST", "/rest/api/2/issue/SEC-1/remotelink", `{"object":{"url":"x","title":"x"}}`); r.status != 404 {
		t.Errorf("hidden issue: %d", r.status)
	}
	r = apiCall(t, s, DefaultToken, "POST", "/rest/api/2/issue/WEB-3/remotelink", `{"object":{}}`)
	if _, errs := errorBody(t, r); r.status != 400 || errs["url"] == "" || errs["title"] == "" {
		t.Errorf("no url or title: %d %s", r.status, r.body)
	}
}

func TestChangelog(t *testing.T) {
	s := newTestServer(t)
	apiCall(t, s, DefaultToken, "POST", "/rest/api/2/issue/WEB-3/transitions", `{"transition":{"id":"31"},"fields":{"resolution":{"name":"Fixed"}}}`)
	r := apiCall(t, s, DefaultToken, "GET", "/rest/api/2/issue/WEB-3?fields=summary&expand=changelog", nil)
	var is struct {
		Changelog struct {
			Total     int
			Histories []struct {
				Author  struct{ Name string }
				Created string
				Items   []struct{ Field, FromString, ToString string }
			}
		}
	}
	if err := json.Unmarshal(r.body, &is); err != nil {
		t.Fatal(err)
	}
	h := is.Changelog.Histories
	if is.Changelog.Total != 2 || len(h) != 2 {
		t.Fatalf("%s", r.body)
	}
	last := h[1]
	if last.Author.Name != "alice" || last.Created != "2026-01-31T12:00:00.000+0000" || len(last.Items) != 2 ||
		last.Items[0] != (struct{ Field, FromString, ToString string }{"status", "In Progress", "Done"}) ||
		last.Items[1] != (struct{ Field, FromString, ToString string }{"resolution", "", "Fixed"}) {
		t.Errorf("%+v", last)
	}
	if r := apiCall(t, s, DefaultToken, "GET", "/rest/api/2/issue/WEB-3?fields=summary", nil); strings.Contains(string(r.body), "changelog\":{") {
		t.Errorf("changelog without expand: %s", r.body)
	}
}
