package emulator

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// The spec paths of creating, editing and assigning issues, users and
// comment edits, validated like the others (see TestOpenAPIConformance).
var issuePaths = []string{
	"/api/2/issue", "/api/2/issue/createmeta/{projectIdOrKey}/issuetypes",
	"/api/2/issue/createmeta/{projectIdOrKey}/issuetypes/{issueTypeId}",
	"/api/2/issue/{issueIdOrKey}/editmeta", "/api/2/issue/{issueIdOrKey}/assignee",
	"/api/2/user", "/api/2/user/search", "/api/2/user/assignable/search",
}

// pagedPaths answer a page of the items their spec names.
var pagedPaths = map[string]bool{
	"/api/2/issue/createmeta/{projectIdOrKey}/issuetypes":               true,
	"/api/2/issue/createmeta/{projectIdOrKey}/issuetypes/{issueTypeId}": true,
}

// validatePage checks a page's shape, then each value against item.
func validatePage(item *openapi3.Schema, body []byte) error {
	var pg struct {
		StartAt, MaxResults, Total *int
		IsLast                     *bool
		Values                     []any
	}
	if err := json.Unmarshal(body, &pg); err != nil {
		return err
	}
	if pg.StartAt == nil || pg.MaxResults == nil || pg.Total == nil || pg.IsLast == nil || pg.Values == nil {
		return fmt.Errorf("not a page: %s", body)
	}
	for i, v := range pg.Values {
		if err := item.VisitJSON(v, openapi3.MultiErrors()); err != nil {
			return fmt.Errorf("value %d: %w", i, err)
		}
	}
	return nil
}

func TestOpenAPIConformanceIssues(t *testing.T) {
	s := newTestServer(t)
	router := loadSpec(t, s.URL)
	vt := &validatingTransport{t: t, base: s.Client().Transport, router: router, seen: map[string]bool{}}
	client := &http.Client{Transport: vt}
	bug := `{"fields":{"project":{"key":"API"},"issuetype":{"id":"1"},"summary":"Token endpoint answers 500","components":[{"name":"Authentication"}]}}`
	scenario := []struct {
		token, method, path, body string
		want                      int
	}{
		{DefaultToken, "GET", "/rest/api/2/issue/createmeta/API/issuetypes", "", 200},
		{DefaultToken, "GET", "/rest/api/2/issue/createmeta/API/issuetypes/1?maxResults=5", "", 200},
		{DefaultToken, "GET", "/rest/api/2/issue/createmeta/SEC/issuetypes", "", 400},
		{DefaultToken, "GET", "/rest/api/2/issue/createmeta/API/issuetypes/99", "", 400},
		{DefaultToken, "POST", "/rest/api/2/issue", bug, 201},
		{DefaultToken, "POST", "/rest/api/2/issue", `{"fields":{"project":{"key":"API"},"issuetype":{"id":"1"},"summary":"x"}}`, 400},
		{DefaultToken, "GET", "/rest/api/2/issue/WEB-6/editmeta", "", 200},
		{DefaultToken, "GET", "/rest/api/2/issue/SEC-1/editmeta", "", 404},
		{DefaultToken, "PUT", "/rest/api/2/issue/WEB-6", `{"fields":{"summary":"Upgrade to React 19"},"update":{"labels":[{"add":"react"}]}}`, 204},
		{DefaultToken, "PUT", "/rest/api/2/issue/WEB-6", `{"fields":{"summary":""}}`, 400},
		{DefaultToken, "PUT", "/rest/api/2/issue/WEB-6/assignee", `{"name":"bob"}`, 204},
		{DefaultToken, "PUT", "/rest/api/2/issue/WEB-6/assignee", `{"name":"frank"}`, 400},
		{DefaultToken, "PUT", "/rest/api/2/issue/SEC-1/assignee", `{"name":"alice"}`, 404},
		{DefaultToken, "PUT", "/rest/api/2/issue/WEB-2/comment/20004", `{"body":"Spike done."}`, 200},
		{DefaultToken, "PUT", "/rest/api/2/issue/WEB-2/comment/20001", `{"body":"x"}`, 400},
		{DefaultToken, "GET", "/rest/api/2/user?username=bob", "", 200},
		{DefaultToken, "GET", "/rest/api/2/user?username=zed", "", 404},
		{DefaultToken, "GET", "/rest/api/2/user/search?username=b", "", 200},
		{DefaultToken, "GET", "/rest/api/2/user/assignable/search?issueKey=WEB-6&username=c", "", 200},
		{"", "GET", "/rest/api/2/user/assignable/search?issueKey=WEB-6", "", 401},
		{DefaultToken, "GET", "/rest/api/2/project?expand=description,lead,issueTypes", "", 200},
	}
	for _, sc := range scenario {
		var body io.Reader
		if sc.body != "" {
			body = strings.NewReader(sc.body)
		}
		req, _ := http.NewRequest(sc.method, s.URL+sc.path, body)
		if sc.token != "" {
			req.Header.Set("Authorization", "Bearer "+sc.token)
		}
		req.Header.Set("Content-Type", "application/json")
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != sc.want {
			t.Errorf("%s %s: status %d, want %d", sc.method, sc.path, resp.StatusCode, sc.want)
		}
	}
	for _, op := range []string{
		"GET /api/2/issue/createmeta/{projectIdOrKey}/issuetypes 200", "GET /api/2/issue/createmeta/{projectIdOrKey}/issuetypes/{issueTypeId} 200",
		"POST /api/2/issue 201", "GET /api/2/issue/{issueIdOrKey}/editmeta 200", "PUT /api/2/issue/{issueIdOrKey} 204",
		"PUT /api/2/issue/{issueIdOrKey}/assignee 204", "PUT /api/2/issue/{issueIdOrKey}/comment/{id} 200",
		"GET /api/2/user 200", "GET /api/2/user/search 200", "GET /api/2/user/assignable/search 200",
	} {
		if !vt.seen[op] {
			t.Errorf("scenario never exercised %s", op)
		}
	}
}
