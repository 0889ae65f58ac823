package emulator

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
)

const specDir = "../../../../shared/jira-dc"

// requireShared skips the test when reference material kept outside the
// repository (../shared, next to it) is absent, but fails it when the
// environment variable CI is set: there a contract test must not pass
// silently.
func requireShared(t testing.TB, path, what string) {
	t.Helper()
	if fail, msg := sharedMissing(path, what, os.Getenv("CI")); fail {
		t.Fatal(msg)
	} else if msg != "" {
		t.Skip(msg)
	}
}

// sharedMissing says what to do when path is absent: fail (in CI) or skip,
// with a message naming where it looked. msg is "" when path exists.
func sharedMissing(path, what, ci string) (fail bool, msg string) {
	_, err := os.Stat(path)
	if err == nil {
		return false, ""
	}
	abs, aerr := filepath.Abs(path)
	if aerr != nil {
		abs = path
	}
	msg = fmt.Sprintf("%s not found at %s (it lives outside the repository, in ../shared/jira-dc next to it): %v", what, abs, err)
	if ci != "" {
		return true, msg + "; CI is set, so this contract test fails rather than skip"
	}
	return false, msg
}

func TestSharedMissingFailsInCI(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nowhere.json")
	if fail, msg := sharedMissing(missing, "OpenAPI document", "true"); !fail || !strings.Contains(msg, missing) {
		t.Errorf("in CI: fail = %v, msg = %q; want a failure naming %s", fail, msg, missing)
	}
	if fail, msg := sharedMissing(missing, "OpenAPI document", ""); fail || !strings.Contains(msg, missing) {
		t.Errorf("outside CI: fail = %v, msg = %q; want a skip naming %s", fail, msg, missing)
	}
	if fail, msg := sharedMissing(t.TempDir(), "OpenAPI document", "true"); fail || msg != "" {
		t.Errorf("present: fail = %v, msg = %q; want neither", fail, msg)
	}
}

// servedPaths are the spec paths the emulator implements.
var servedPaths = []string{
	"/api/2/search", "/api/2/issue/{issueIdOrKey}", "/api/2/issue/{issueIdOrKey}/transitions",
	"/api/2/issue/{issueIdOrKey}/comment", "/api/2/issue/{issueIdOrKey}/comment/{id}",
	"/api/2/field", "/api/2/myself", "/api/2/serverInfo", "/api/2/status", "/api/2/priority",
	"/api/2/resolution", "/api/2/project", "/api/2/project/{projectIdOrKey}",
	"/api/2/issueLink", "/api/2/issueLink/{linkId}", "/api/2/issueLinkType",
	"/api/2/issue/{issueIdOrKey}/remotelink", "/api/2/issue/{issueIdOrKey}/worklog",
	"/api/2/attachment/{id}", "/api/2/issue/{issueIdOrKey}/attachments",
	"/agile/1.0/board", "/agile/1.0/board/{boardId}/sprint", "/agile/1.0/sprint/{sprintId}",
	"/agile/1.0/sprint/{sprintId}/issue", "/agile/1.0/backlog/issue",
}

// postOnly are the served paths the emulator serves POST on only.
var postOnly = map[string]bool{
	"/api/2/issue/{issueIdOrKey}/attachments": true,
	"/agile/1.0/sprint/{sprintId}/issue":      true, "/agile/1.0/backlog/issue": true,
}

// statusAliases are statuses Jira answers that the spec leaves out, mapped
// to the documented status whose schema they share: POST remotelink
// answers 201 when it creates a link and 200 when it updates one with the
// same globalId, but the spec lists only 200.
var statusAliases = map[string]int{"POST /api/2/issue/{issueIdOrKey}/remotelink 201": 200}

// Statuses Jira answers on any resource although the spec lists them on few:
// authentication failures, rate limiting and server errors (deep paging,
// maintenance). Their bodies are checked against Jira's error collection.
var anyResourceStatuses = []int{401, 429, 500, 503}

// loadSpec loads Atlassian's OpenAPI document, keeps the operations the
// emulator serves, and relaxes the spec's documented defects:
// IssueBean.fields (and renderedFields) values may be any JSON type,
// including null, where the spec says "object"; in the changelog, a
// history's created is Jira's own time format (2026-01-24T12:00:00.000+0000,
// no colon in the offset) where the spec says "date-time", and an item's
// from, fromString, to and toString are null when there was no value; an
// attachment's created is Jira's date format too.
func loadSpec(t testing.TB, serverURL string) routers.Router {
	t.Helper()
	path := filepath.Join(specDir, "jira-software-dc-10.3-openapi.json")
	requireShared(t, path, "Jira DC OpenAPI document")
	doc, err := openapi3.NewLoader().LoadFromFile(path)
	if err != nil {
		t.Fatalf("load OpenAPI document: %v", err)
	}
	paths := openapi3.NewPaths()
	for _, p := range append(slices.Clone(servedPaths), issuePaths...) {
		item := doc.Paths.Value(p)
		if item == nil {
			t.Fatalf("spec has no path %s", p)
		}
		paths.Set(p, item)
	}
	doc.Paths = paths
	doc.Servers = openapi3.Servers{{URL: serverURL + "/rest"}}
	issue := doc.Components.Schemas["IssueBean"].Value
	for _, name := range []string{"fields", "renderedFields"} {
		issue.Properties[name] = &openapi3.SchemaRef{Value: &openapi3.Schema{Type: &openapi3.Types{openapi3.TypeObject}}}
	}
	doc.Components.Schemas["ChangeHistoryBean"].Value.Properties["created"].Value.Format = ""
	for _, name := range []string{"from", "fromString", "to", "toString"} {
		doc.Components.Schemas["ChangeItemBean"].Value.Properties[name].Value.Nullable = true
	}
	// Jira writes an attachment's created as it writes every date,
	// 2026-01-24T10:02:11.000+0000, which "date-time" does not allow.
	doc.Components.Schemas["AttachmentJsonBean"].Value.Properties["created"].Value.Format = ""
	// The spec's AttachmentBean has no properties; Jira answers what its
	// upload does, an AttachmentJsonBean.
	att := doc.Paths.Value("/api/2/attachment/{id}").Get.Responses.Status(200).Value.Content.Get("application/json")
	att.Schema = doc.Components.Schemas["AttachmentJsonBean"]
	router, err := legacy.NewRouter(doc, openapi3.DisableExamplesValidation())
	if err != nil {
		t.Fatalf("router: %v", err)
	}
	return router
}

var errorCollectionSchema = &openapi3.Schema{
	Type:     &openapi3.Types{openapi3.TypeObject},
	Required: []string{"errorMessages", "errors"},
	Properties: openapi3.Schemas{
		"errorMessages": {Value: &openapi3.Schema{Type: &openapi3.Types{openapi3.TypeArray}, Items: &openapi3.SchemaRef{Value: &openapi3.Schema{Type: &openapi3.Types{openapi3.TypeString}}}}},
		"errors":        {Value: &openapi3.Schema{Type: &openapi3.Types{openapi3.TypeObject}, AdditionalProperties: openapi3.AdditionalProperties{Schema: &openapi3.SchemaRef{Value: &openapi3.Schema{Type: &openapi3.Types{openapi3.TypeString}}}}}},
	},
	AdditionalProperties: openapi3.AdditionalProperties{Has: new(false)},
}

// validateResponse checks one exchange against the operation's response.
func validateResponse(router routers.Router, req *http.Request, status int, header http.Header, body []byte) (op string, err error) {
	route, params, err := router.FindRoute(req)
	if err != nil {
		return "", fmt.Errorf("no spec operation for %s %s: %w", req.Method, req.URL.Path, err)
	}
	op = route.Method + " " + route.Path
	if alias, ok := statusAliases[fmt.Sprintf("%s %d", op, status)]; ok {
		status = alias
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
		Status:                 status,
		Header:                 header,
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	in.SetBodyBytes(body)
	if status >= 400 {
		var v any
		if err := json.Unmarshal(body, &v); err != nil {
			return op, fmt.Errorf("error body is not JSON: %s", body)
		}
		if err := errorCollectionSchema.VisitJSON(v); err != nil {
			return op, fmt.Errorf("error body is not Jira's error collection: %w", err)
		}
		if slices.Contains(anyResourceStatuses, status) && route.Operation.Responses.Status(status) == nil {
			return op, nil
		}
	}
	ref := route.Operation.Responses.Status(status)
	var schema *openapi3.Schema
	if ref != nil && ref.Value != nil {
		if mt := ref.Value.Content.Get("application/json"); mt != nil && mt.Schema != nil {
			schema = mt.Schema.Value
		}
	}
	// Jira 9's createmeta answers a page ({startAt, maxResults, total,
	// isLast, values}) where the spec names the item schema.
	if pagedPaths[route.Path] && status == 200 && schema != nil {
		return op, validatePage(schema, body)
	}
	// List endpoints answer arrays where the spec names the item schema,
	// and the agile API's a page whose values are those items: check the
	// status through openapi3filter, then each item.
	if values, ok := agilePage(body); ok && schema != nil && schema.Type.Is(openapi3.TypeObject) {
		body = values
	}
	if len(body) > 0 && body[0] == '[' && schema != nil && schema.Type.Is(openapi3.TypeObject) {
		in.Options.ExcludeResponseBody = true
		if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
			return op, err
		}
		var items []any
		if err := json.Unmarshal(body, &items); err != nil {
			return op, err
		}
		if len(items) == 0 {
			return op, fmt.Errorf("empty list proves nothing")
		}
		for i, item := range items {
			if err := schema.VisitJSON(item, openapi3.MultiErrors()); err != nil {
				return op, fmt.Errorf("item %d: %w", i, err)
			}
		}
		return op, nil
	}
	return op, openapi3filter.ValidateResponse(context.Background(), in)
}

// agilePage returns the values of an agile API page ({startAt, maxResults,
// total, isLast, values}).
func agilePage(body []byte) (json.RawMessage, bool) {
	var p struct {
		IsLast *bool           `json:"isLast"`
		Values json.RawMessage `json:"values"`
	}
	if len(body) == 0 || body[0] != '{' || json.Unmarshal(body, &p) != nil || p.IsLast == nil || len(p.Values) == 0 {
		return nil, false
	}
	return p.Values, true
}

// validatingTransport validates every response the emulator gives.
type validatingTransport struct {
	t      *testing.T
	base   http.RoundTripper
	router routers.Router

	mu   sync.Mutex
	seen map[string]bool // "GET /api/2/issue/{issueIdOrKey} 404"
}

func (v *validatingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := v.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	op, verr := validateResponse(v.router, req, resp.StatusCode, resp.Header, body)
	if verr != nil {
		v.t.Errorf("%s %s -> %d does not conform to the spec: %v\nbody: %.600s", req.Method, req.URL.RequestURI(), resp.StatusCode, verr, body)
	}
	v.mu.Lock()
	v.seen[fmt.Sprintf("%s %d", op, resp.StatusCode)] = true
	v.mu.Unlock()
	return resp, nil
}

func TestOpenAPIConformance(t *testing.T) {
	s := newTestServer(t)
	router := loadSpec(t, s.URL)
	vt := &validatingTransport{t: t, base: s.Client().Transport, router: router, seen: map[string]bool{}}
	client := &http.Client{Transport: vt}

	s.Fail("GET", "/rest/api/2/priority", 429, http.Header{"Retry-After": {"5"}}, "", 1)
	s.Fail("GET", "/rest/api/2/resolution", 503, nil, "", 1)

	scenario := []struct {
		token, method, path, body string
		want                      int
	}{
		{DefaultToken, "GET", "/rest/api/2/search?jql=project%3DWEB&fields=*all&expand=names,schema,renderedFields&maxResults=30", "", 200},
		{DefaultToken, "POST", "/rest/api/2/search", `{"jql":"assignee = currentUser() ORDER BY updated DESC","maxResults":20,"fields":["summary","status","assignee","priority","updated","customfield_10001"]}`, 200},
		{DefaultToken, "POST", "/rest/api/2/search", `{"jql":"project = NOPE OR key = WEB-2","validateQuery":false}`, 200},
		{DefaultToken, "POST", "/rest/api/2/search", `{"jql":"project = NOPE"}`, 400},
		{DefaultToken, "GET", "/rest/api/2/search?jql=status%20foo", "", 400},
		{DefaultToken, "POST", "/rest/api/2/search", `{"jql":"","startAt":9999,"maxResults":2}`, 500},
		{"", "POST", "/rest/api/2/search", `{"jql":""}`, 401},
		{DefaultToken, "GET", "/rest/api/2/issue/WEB-2?expand=renderedFields,names,schema,transitions", "", 200},
		{DefaultToken, "GET", "/rest/api/2/issue/WEB-7", "", 200},
		{DefaultToken, "GET", "/rest/api/2/issue/WEB-3?fields=summary,comment&expand=transitions.fields", "", 200},
		{DefaultToken, "GET", "/rest/api/2/issue/SEC-1", "", 404},
		{"expired", "GET", "/rest/api/2/issue/WEB-2", "", 401},
		{DefaultToken, "GET", "/rest/api/2/issue/WEB-3/transitions?expand=transitions.fields", "", 200},
		{DefaultToken, "GET", "/rest/api/2/issue/SEC-1/transitions", "", 404},
		{DefaultToken, "POST", "/rest/api/2/issue/WEB-3/transitions", `{"transition":{"id":"31"}}`, 400},
		{DefaultToken, "POST", "/rest/api/2/issue/WEB-3/transitions", `{"transition":{}}`, 400},
		{DefaultToken, "POST", "/rest/api/2/issue/SEC-1/transitions", `{"transition":{"id":"31"}}`, 404},
		{DefaultToken, "POST", "/rest/api/2/issue/WEB-3/transitions", `{"transition":{"id":"31"},"fields":{"resolution":{"name":"Fixed"}},"update":{"comment":[{"add":{"body":"Fixed by raising the gateway timeout."}}]}}`, 204},
		{DefaultToken, "GET", "/rest/api/2/issue/WEB-2/comment?expand=renderedBody&orderBy=-created", "", 200},
		{DefaultToken, "GET", "/rest/api/2/issue/SEC-1/comment", "", 404},
		{DefaultToken, "POST", "/rest/api/2/issue/WEB-2/comment", `{"body":"Looks good to me.","visibility":{"type":"role","value":"Developers"}}`, 201},
		{DefaultToken, "POST", "/rest/api/2/issue/WEB-2/comment", `{"body":""}`, 400},
		{DefaultToken, "POST", "/rest/api/2/issue/OPS-1/comment", `{"body":"hello"}`, 400},
		{DefaultToken, "GET", "/rest/api/2/issue/WEB-2/comment/20002?expand=renderedBody", "", 200},
		{DefaultToken, "GET", "/rest/api/2/issue/WEB-2/comment/20003", "", 404},
		{DefaultToken, "GET", "/rest/api/2/field", "", 200},
		{"", "GET", "/rest/api/2/field", "", 401},
		{DefaultToken, "GET", "/rest/api/2/myself?expand=groups,applicationRoles", "", 200},
		{"", "GET", "/rest/api/2/myself", "", 401},
		{DefaultToken, "GET", "/rest/api/2/serverInfo", "", 200},
		{DefaultToken, "GET", "/rest/api/2/status", "", 200},
		{DefaultToken, "GET", "/rest/api/2/priority", "", 429},
		{DefaultToken, "GET", "/rest/api/2/priority", "", 200},
		{DefaultToken, "GET", "/rest/api/2/resolution", "", 503},
		{DefaultToken, "GET", "/rest/api/2/resolution", "", 200},
		{DefaultToken, "GET", "/rest/api/2/project", "", 200},
		{DefaultToken, "GET", "/rest/api/2/project/WEB", "", 200},
		{DefaultToken, "GET", "/rest/api/2/project/10004", "", 404},
		{DefaultToken, "GET", "/rest/api/2/issueLinkType", "", 200},
		{DefaultToken, "POST", "/rest/api/2/issueLink", `{"type":{"name":"Blocks"},"inwardIssue":{"key":"WEB-5"},"outwardIssue":{"key":"WEB-6"}}`, 201},
		{DefaultToken, "POST", "/rest/api/2/issueLink", `{"type":{"name":"Nope"},"inwardIssue":{"key":"WEB-5"},"outwardIssue":{"key":"WEB-6"}}`, 404},
		{DefaultToken, "POST", "/rest/api/2/issueLink", `{"type":{"name":"Blocks"},"inwardIssue":{"key":"OPS-1"},"outwardIssue":{"key":"WEB-6"}}`, 401},
		{DefaultToken, "GET", "/rest/api/2/issueLink/10001", "", 200},
		{DefaultToken, "GET", "/rest/api/2/issueLink/10003", "", 404},
		{DefaultToken, "GET", "/rest/api/2/issue/WEB-3?fields=issuelinks,subtasks,worklog,timetracking&expand=changelog", "", 200},
		{DefaultToken, "GET", "/rest/api/2/issue/WEB-3/remotelink", "", 200},
		{DefaultToken, "GET", "/rest/api/2/issue/WEB-3/remotelink?globalId=nope", "", 404},
		{DefaultToken, "POST", "/rest/api/2/issue/WEB-3/remotelink", `{"globalId":"https://git.example.test/c/1","object":{"url":"https://git.example.test/c/1","title":"Commit 1"}}`, 201},
		{DefaultToken, "POST", "/rest/api/2/issue/WEB-3/remotelink", `{"globalId":"https://git.example.test/c/1","object":{"url":"https://git.example.test/c/1","title":"Commit 1, amended"}}`, 200},
		{DefaultToken, "POST", "/rest/api/2/issue/WEB-3/remotelink", `{"object":{"url":"https://x.test"}}`, 400},
		{DefaultToken, "POST", "/rest/api/2/issue/OPS-1/remotelink", `{"object":{"url":"https://x.test","title":"x"}}`, 403},
		{DefaultToken, "GET", "/rest/api/2/issue/WEB-3/worklog", "", 200},
		{DefaultToken, "POST", "/rest/api/2/issue/WEB-3/worklog?adjustEstimate=new&newEstimate=1d", `{"timeSpent":"1h 30m","started":"2026-01-30T10:00:00.000+0000","comment":"Pairing"}`, 201},
		{DefaultToken, "POST", "/rest/api/2/issue/WEB-3/worklog", `{"timeSpent":"soon"}`, 400},
		{DefaultToken, "POST", "/rest/api/2/issue/OPS-1/worklog", `{"timeSpent":"1h"}`, 403},
		{DefaultToken, "GET", "/rest/api/2/issue/SEC-1/worklog", "", 404},
		{DefaultToken, "GET", "/rest/api/2/issue/WEB-3?fields=attachment", "", 200},
		{DefaultToken, "GET", "/rest/api/2/attachment/30000", "", 200},
		{DefaultToken, "GET", "/rest/api/2/attachment/30003", "", 403},
		{DefaultToken, "GET", "/rest/api/2/attachment/99999", "", 404},
		{DefaultToken, "GET", "/rest/agile/1.0/board?projectKeyOrId=WEB", "", 200},
		{DefaultToken, "GET", "/rest/agile/1.0/board", "", 200},
		{DefaultToken, "GET", "/rest/agile/1.0/board/1/sprint?state=active,future", "", 200},
		{DefaultToken, "GET", "/rest/agile/1.0/board/3/sprint", "", 400},
		{DefaultToken, "GET", "/rest/agile/1.0/board/4/sprint", "", 404},
		{DefaultToken, "GET", "/rest/agile/1.0/sprint/3", "", 200},
		{DefaultToken, "GET", "/rest/agile/1.0/sprint/99", "", 404},
		{DefaultToken, "POST", "/rest/agile/1.0/sprint/4/issue", `{"issues":["WEB-6"]}`, 204},
		{DefaultToken, "POST", "/rest/agile/1.0/sprint/1/issue", `{"issues":["WEB-6"]}`, 400},
		{DefaultToken, "POST", "/rest/agile/1.0/sprint/4/issue", `{"issues":["OPS-1"]}`, 403},
		{DefaultToken, "POST", "/rest/agile/1.0/backlog/issue", `{"issues":["WEB-6"]}`, 204},
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
	uploadAttachment(t, client, s.URL)
	// Every served operation must have been exercised with a success.
	for _, p := range servedPaths {
		for _, m := range []string{"GET", "POST"} {
			okStatus := map[string]int{"POST /api/2/issue/{issueIdOrKey}/transitions": 204, "POST /api/2/issue/{issueIdOrKey}/comment": 201,
				"POST /api/2/issueLink": 201, "POST /api/2/issue/{issueIdOrKey}/remotelink": 200, "POST /api/2/issue/{issueIdOrKey}/worklog": 201,
				"POST /agile/1.0/sprint/{sprintId}/issue": 204, "POST /agile/1.0/backlog/issue": 204}[m+" "+p]
			if okStatus == 0 {
				okStatus = 200
			}
			key := fmt.Sprintf("%s %s %d", m, p, okStatus)
			postServed := p == "/api/2/search" || p == "/api/2/issueLink" || strings.HasSuffix(p, "/transitions") ||
				strings.HasSuffix(p, "/comment") || strings.HasSuffix(p, "/remotelink") || strings.HasSuffix(p, "/worklog") || postOnly[p]
			getServed := p != "/api/2/issueLink" && !postOnly[p]
			if m == "POST" && !postServed || m == "GET" && !getServed {
				continue
			}
			if !vt.seen[key] {
				t.Errorf("scenario never exercised %s", key)
			}
		}
	}
}

// uploadAttachment adds an attachment through client, which validates the
// answer: multipart, so not in the JSON scenario.
func uploadAttachment(t *testing.T, client *http.Client, base string) {
	t.Helper()
	body, ctype := multipartFile(t, "file", "notes.txt", "text/plain", []byte("hello"))
	req, _ := http.NewRequest("POST", base+"/rest/api/2/issue/WEB-2/attachments", body)
	req.Header.Set("Authorization", "Bearer "+DefaultToken)
	req.Header.Set("Content-Type", ctype)
	req.Header.Set("X-Atlassian-Token", "no-check")
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("upload: status %d", resp.StatusCode)
	}
}

// TestOpenAPIValidationCatchesDrift proves the conformance check can fail:
// bodies with the wrong shape are rejected.
func TestOpenAPIValidationCatchesDrift(t *testing.T) {
	router := loadSpec(t, "http://127.0.0.1:1")
	tests := []struct {
		method, path string
		status       int
		body         string
	}{
		{"GET", "/rest/api/2/issue/WEB-1", 200, `{"id":10001,"key":"WEB-1","fields":{}}`},
		{"GET", "/rest/api/2/status", 200, `[{"id":"1","name":"Open","statusCategory":{"id":"two"}}]`},
		{"GET", "/rest/api/2/issue/WEB-1/comment", 200, `{"comments":[{"id":"1","visibility":{"type":"team","value":"x"}}]}`},
		{"GET", "/rest/api/2/issue/WEB-1", 404, `{"errorMessages":"Issue Does Not Exist"}`},
		{"GET", "/rest/api/2/issue/WEB-1", 418, `{"errorMessages":[],"errors":{}}`},
		{"POST", "/rest/api/2/search", 200, `{"startAt":"0","issues":[]}`},
		{"GET", "/rest/agile/1.0/board/1/sprint", 200, `{"startAt":0,"maxResults":50,"total":1,"isLast":true,"values":[{"id":"three","name":"S"}]}`},
		{"GET", "/rest/api/2/attachment/1", 200, `{"id":"1","size":"big"}`},
		{"POST", "/rest/api/2/issue/WEB-1/attachments", 200, `[{"id":1,"filename":"a.txt"}]`},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s %d %s", tt.path, tt.status, tt.body), func(t *testing.T) {
			req, _ := http.NewRequest(tt.method, "http://127.0.0.1:1"+tt.path, nil)
			h := http.Header{"Content-Type": {"application/json"}}
			if _, err := validateResponse(router, req, tt.status, h, []byte(tt.body)); err == nil {
				t.Error("validation passed a body that breaks the spec")
			}
		})
	}
}

// TestShapesMatchSamples compares the emulator's objects with real Jira
// responses: every property a sample has, the emulator has too.
func TestShapesMatchSamples(t *testing.T) {
	dir := filepath.Join(specDir, "samples")
	requireShared(t, dir, "Jira response samples")
	s := newTestServer(t)
	tests := []struct {
		sample, path string
		pick         func(any) any // the object to compare in the emulator's answer
		samplePick   func(any) any
	}{
		{"all_priorities.json", "/rest/api/2/priority", sampleFirst, sampleFirst},
		{"all_resolutions.json", "/rest/api/2/resolution", sampleFirst, sampleFirst},
		{"all_statuses.json", "/rest/api/2/status", sampleFirst, sampleFirst},
		{"all_fields.json", "/rest/api/2/field", func(v any) any { return sampleFind(v, "id", "summary") }, func(v any) any { return sampleFind(v, "id", "summary") }},
		{"project.json", "/rest/api/2/project/WEB", sampleWhole, sampleWhole},
		// WEB-3 is In Progress: its second transition, Request Review, has a
		// custom select field like the sample's.
		{"transitions.json", "/rest/api/2/issue/WEB-3/transitions?expand=transitions.fields", func(v any) any {
			return v.(map[string]any)["transitions"].([]any)[1]
		}, func(v any) any { return v.(map[string]any)["transitions"].([]any)[0] }},
	}
	for _, tt := range tests {
		t.Run(tt.sample, func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join(dir, tt.sample))
			if err != nil {
				t.Fatal(err)
			}
			var sample, got any
			if err := json.Unmarshal(raw, &sample); err != nil {
				t.Fatal(err)
			}
			r := apiCall(t, s, DefaultToken, "GET", tt.path, nil)
			if err := json.Unmarshal(r.body, &got); err != nil {
				t.Fatal(err)
			}
			for _, missing := range missingKeys(tt.samplePick(sample), tt.pick(got), "") {
				// Role names are data, and only array schemas have items
				// (the sample's field is a multi-select, ours a select).
				if strings.HasPrefix(missing, ".roles.") || missing == ".fields.schema.items" {
					continue
				}
				t.Errorf("emulator lacks %s, which real Jira sends", missing)
			}
		})
	}
}

func sampleFirst(v any) any { return v.([]any)[0] }
func sampleWhole(v any) any { return v }

func sampleFind(v any, key, value string) any {
	for _, x := range v.([]any) {
		if m := x.(map[string]any); m[key] == value {
			return m
		}
	}
	return nil
}

// missingKeys lists the object keys of want that got lacks, recursively
// through objects (and the first element of arrays).
func missingKeys(want, got any, prefix string) []string {
	var out []string
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return []string{prefix + " (object)"}
		}
		for k, wv := range w {
			gv, ok := g[k]
			if !ok {
				out = append(out, prefix+"."+k)
				continue
			}
			// The sample's field meta is keyed by its own field ids.
			if k == "fields" {
				wv, gv = anyValue(wv), anyValue(gv)
			}
			out = append(out, missingKeys(wv, gv, prefix+"."+k)...)
		}
	case []any:
		if g, ok := got.([]any); ok && len(w) > 0 && len(g) > 0 {
			if _, isObj := w[0].(map[string]any); isObj {
				out = append(out, missingKeys(w[0], g[0], prefix+"[0]")...)
			}
		}
	}
	return out
}

func anyValue(v any) any {
	m, ok := v.(map[string]any)
	if !ok {
		return v
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if len(keys) == 0 {
		return nil
	}
	return m[keys[0]]
}
