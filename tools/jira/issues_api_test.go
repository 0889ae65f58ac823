package jira

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestCreateMetaReadsEveryPage(t *testing.T) {
	c, e := newTestClient(t)
	ctx := context.Background()
	types, err := c.CreateIssueTypes(ctx, "API")
	if err != nil || len(types) != 5 || types[4].Name != "Sub-task" || !types[4].Subtask {
		t.Fatalf("issue types %+v, %v", types, err)
	}
	fields, err := c.CreateFields(ctx, "API", "1")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, f := range fields {
		ids = append(ids, f.FieldID)
	}
	if !slices.Contains(ids, "components") || !slices.Contains(ids, "customfield_10006") || len(fields) < 10 {
		t.Errorf("fields %v", ids)
	}
	i := slices.Index(ids, "components")
	if f := fields[i]; !f.Required || f.Name != "Component/s" || f.Schema.Items != "component" || len(f.AllowedValues) != 3 {
		t.Errorf("components %+v", f)
	}
	// Pages of 50: a screen of 17 fields is one page.
	n := 0
	for _, r := range e.Requests() {
		if strings.HasPrefix(r.Path, "/rest/api/2/issue/createmeta/API/issuetypes/1") {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d requests for the fields", n)
	}
	if _, err := c.CreateFields(ctx, "SEC", "1"); !isStatus(err, 400) {
		t.Errorf("SEC: %v", err)
	}
}

// A Jira that pages by fewer than the 50 asked for is read to the end.
func TestAllPagesFollowsPaging(t *testing.T) {
	pj := &pagedJira{}
	c, err := New("http://127.0.0.1", &http.Client{Transport: pj})
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.CreateIssueTypes(context.Background(), "WEB")
	if err != nil || len(got) != 5 || got[4].Name != "T4" {
		t.Fatalf("%v %v", got, err)
	}
	if !slices.Equal(pj.starts, []string{"0", "2", "4"}) {
		t.Errorf("startAt %v", pj.starts)
	}
}

// pagedJira answers a createmeta list of 5 in pages of 2, whatever the
// page size asked for.
type pagedJira struct{ starts []string }

func (p *pagedJira) RoundTrip(r *http.Request) (*http.Response, error) {
	start, _ := strconv.Atoi(r.URL.Query().Get("startAt"))
	p.starts = append(p.starts, r.URL.Query().Get("startAt"))
	var vals []string
	for i := start; i < min(start+2, 5); i++ {
		vals = append(vals, fmt.Sprintf(`{"id":"%d","name":"T%d"}`, i, i))
	}
	body := fmt.Sprintf(`{"startAt":%d,"maxResults":2,"total":5,"isLast":%v,"values":[%s]}`, start, start+2 >= 5, strings.Join(vals, ","))
	return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}}, Body: io.NopCloser(strings.NewReader(body)), Request: r}, nil
}

func TestWritesSendJirasShapes(t *testing.T) {
	c, e := newTestClient(t)
	ctx := context.Background()
	created, err := c.CreateIssue(ctx, IssueUpdate{Fields: map[string]any{
		"project": map[string]any{"key": "WEB"}, "issuetype": map[string]any{"id": "3"}, "summary": "Write the release notes",
	}})
	if err != nil || !strings.HasPrefix(created.Key, "WEB-") || created.ID == "" {
		t.Fatalf("created %+v, %v", created, err)
	}
	err = c.EditIssue(ctx, created.Key, IssueUpdate{Update: map[string][]map[string]any{"labels": {{"add": "docs"}}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Assign(ctx, created.Key, "bob"); err != nil {
		t.Fatal(err)
	}
	if err := c.Assign(ctx, created.Key, ""); err != nil {
		t.Fatal(err)
	}
	var bodies []string
	for _, r := range e.Requests() {
		if r.Method == "PUT" || r.Method == "POST" {
			bodies = append(bodies, r.Method+" "+r.Path+" "+string(r.Body))
		}
	}
	want := []string{
		`POST /rest/api/2/issue {"fields":{"issuetype":{"id":"3"},"project":{"key":"WEB"},"summary":"Write the release notes"}}`,
		`PUT /rest/api/2/issue/` + created.Key + ` {"update":{"labels":[{"add":"docs"}]}}`,
		`PUT /rest/api/2/issue/` + created.Key + `/assignee {"name":"bob"}`,
		`PUT /rest/api/2/issue/` + created.Key + `/assignee {"name":null}`,
	}
	for i := range bodies {
		bodies[i] = strings.TrimSpace(bodies[i])
	}
	if !slices.Equal(bodies, want) {
		t.Errorf("Jira received\n%s\nwant\n%s", strings.Join(bodies, "\n"), strings.Join(want, "\n"))
	}
}

func TestUsersAndEditMeta(t *testing.T) {
	c, _ := newTestClient(t)
	ctx := context.Background()
	us, err := c.FindUsers(ctx, "car", 10)
	if err != nil || len(us) != 1 || us[0].Name != "carol" || us[0].DisplayName != "Carol Chen" {
		t.Errorf("find car: %+v %v", us, err)
	}
	raw, _ := json.Marshal(us)
	if strings.Contains(string(raw), "@") {
		t.Errorf("a user keeps an e-mail address: %s", raw)
	}
	as, err := c.AssignableUsers(ctx, "OPS-1", "", 10)
	if err != nil || len(as) != 2 {
		t.Errorf("assignable to OPS-1: %+v %v", as, err)
	}
	if _, err := c.UserNamed(ctx, "zed"); !isStatus(err, 404) {
		t.Errorf("zed: %v", err)
	}
	edit, err := c.EditFields(ctx, "WEB-6")
	if err != nil || !edit["summary"].Required || edit["labels"].Name != "Labels" {
		t.Errorf("editmeta %+v %v", edit, err)
	}
	cm, err := c.EditComment(ctx, "WEB-2", "20004", CommentInput{Body: "Spike done."})
	if err != nil || cm.Body != "Spike done." || cm.UpdateAuthor.Name != "alice" {
		t.Errorf("edited %+v %v", cm, err)
	}
	if got, err := c.Comment(ctx, "WEB-2", "20004"); err != nil || got.Body != "Spike done." {
		t.Errorf("read back %+v %v", got, err)
	}
	ps, err := c.Projects(ctx)
	if err != nil || len(ps) != 4 || ps[0].Lead == nil || ps[0].Lead.Name != "alice" || len(ps[0].IssueTypes) != 5 {
		t.Errorf("projects %+v %v", ps, err)
	}
}

func isStatus(err error, status int) bool {
	var ae *APIError
	return errors.As(err, &ae) && ae.Status == status
}
