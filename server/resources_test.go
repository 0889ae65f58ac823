package server_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/jira-mcp/jira-mcp/tools"
	"github.com/jira-mcp/jira-mcp/tools/jira"
	"github.com/jira-mcp/jira-mcp/tools/jira/emulator"
)

func (e *env) read(uri string) ([]mcp.ResourceContents, error) {
	req := mcp.ReadResourceRequest{}
	req.Params.URI = uri
	res, err := e.c.ReadResource(context.Background(), req)
	if err != nil {
		return nil, err
	}
	return res.Contents, nil
}

func (e *env) complete(ref any, name, value string) []string {
	e.t.Helper()
	req := mcp.CompleteRequest{}
	req.Params.Ref = ref
	req.Params.Argument = mcp.CompleteArgument{Name: name, Value: value}
	res, err := e.c.Complete(context.Background(), req)
	if err != nil {
		e.t.Fatalf("complete %s=%q: %v", name, value, err)
	}
	return res.Completion.Values
}

// scopedEnv is an env confined to projects.
func scopedEnv(t *testing.T, o envOptions, projects ...string) *env {
	t.Helper()
	srv := emulator.NewServer(o.jira...)
	t.Cleanup(srv.Close)
	jc, err := jira.New(srv.URL, srv.ClientAs(emulator.DefaultToken))
	if err != nil {
		t.Fatal(err)
	}
	return connect(t, srv, tools.New(jc).WithProjects(projects), o)
}

func TestResources(t *testing.T) {
	forEachVersion(t, func(t *testing.T, version string) {
		e := newEnv(t, envOptions{version: version})
		list, err := e.c.ListResourceTemplates(context.Background(), mcp.ListResourceTemplatesRequest{})
		if err != nil {
			t.Fatal(err)
		}
		var uris []string
		for _, rt := range list.ResourceTemplates {
			uris = append(uris, rt.URITemplate.Raw())
		}
		slices.Sort(uris)
		if !slices.Equal(uris, []string{"jira://issue/{key}", "jira://issue/{key}/attachment/{id}"}) {
			t.Errorf("templates %v", uris)
		}

		// The issue is jira_get_issue's own text.
		contents, err := e.read("jira://issue/WEB-2")
		if err != nil {
			t.Fatal(err)
		}
		want := tools.Text(e.call(tools.GetIssue, map[string]any{"issue_key": "WEB-2"}))
		if tc, ok := contents[0].(mcp.TextResourceContents); !ok || tc.Text != want || tc.MIMEType != "text/markdown" {
			t.Errorf("issue resource %+v", contents[0])
		}

		contents, err = e.read("jira://issue/WEB-3/attachment/30000")
		if err != nil {
			t.Fatal(err)
		}
		blob, ok := contents[0].(mcp.BlobResourceContents)
		data, _ := base64.StdEncoding.DecodeString(blob.Blob)
		if !ok || blob.MIMEType != "image/png" || !bytes.Equal(data, e.jira.Attachments("WEB-3")[0].Data) {
			t.Errorf("image resource %T %s", contents[0], blob.MIMEType)
		}
		contents, err = e.read("jira://issue/WEB-3/attachment/30001")
		if tc, ok := contents[0].(mcp.TextResourceContents); err != nil || !ok || !strings.HasPrefix(tc.Text, "2026-01-24 10:02:11 INFO") {
			t.Errorf("log resource %+v %v", contents, err)
		}
		for _, uri := range []string{"jira://issue/SEC-1", "jira://issue/WEB-3/attachment/30002", "jira://issue/SEC-1/attachment/30003", "jira://issue/nope"} {
			if _, err := e.read(uri); err == nil {
				t.Errorf("%s was read", uri)
			}
		}
	})
}

// Resources respect the allow-list: nothing is asked of Jira for an issue
// outside it.
func TestResourcesScoped(t *testing.T) {
	e := scopedEnv(t, envOptions{}, "API")
	for _, uri := range []string{"jira://issue/WEB-2", "jira://issue/WEB-3/attachment/30000"} {
		if _, err := e.read(uri); err == nil || !strings.Contains(err.Error(), "outside the projects") {
			t.Errorf("%s: %v", uri, err)
		}
	}
	if n := len(e.jira.Requests()); n != 0 {
		t.Errorf("%d requests reached Jira", n)
	}
}

func TestAttachmentResourceOffSite(t *testing.T) {
	var hits atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	t.Cleanup(other.Close)
	e := newEnv(t, envOptions{jira: []emulator.Option{emulator.WithContentBaseURL(other.URL)}})
	if _, err := e.read("jira://issue/WEB-3/attachment/30000"); err == nil || !strings.Contains(err.Error(), "another site") {
		t.Errorf("off-site read: %v", err)
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("the other host got %d requests", n)
	}
}

// Resources follow the registered tools.
func TestResourcesFollowTools(t *testing.T) {
	e := newEnv(t, envOptions{only: []string{tools.Search}})
	if _, err := e.read("jira://issue/WEB-2"); err == nil {
		t.Error("issue resource served without jira_get_issue")
	}
}

func TestCompletions(t *testing.T) {
	forEachVersion(t, func(t *testing.T, version string) {
		e := newEnv(t, envOptions{version: version})
		sprints := mcp.PromptReference{Type: "ref/prompt", Name: "jira-sprints"}
		if got := e.complete(sprints, "project", "w"); !slices.Equal(got, []string{"WEB"}) {
			t.Errorf("project w: %v", got)
		}
		if got := e.complete(sprints, "project", ""); !slices.Equal(got, []string{"WEB", "API", "MOB", "OPS"}) {
			t.Errorf("projects: %v", got)
		}
		if got := e.complete(sprints, "request", "wh"); len(got) != 0 {
			t.Errorf("free text: %v", got)
		}
		att := mcp.PromptReference{Type: "ref/prompt", Name: "jira-attachments"}
		got := e.complete(att, "issue_key", "web-")
		if len(got) == 0 || !slices.Contains(got, "WEB-2") || slices.ContainsFunc(got, func(k string) bool { return !strings.HasPrefix(k, "WEB-") }) {
			t.Errorf("issue keys web-: %v", got)
		}
		res := e.complete(mcp.ResourceReference{Type: "ref/resource", URI: "jira://issue/{key}"}, "key", "API-")
		if !slices.Contains(res, "API-2") {
			t.Errorf("resource key API-: %v", res)
		}
		// One read of each list, cached across keystrokes.
		searches := e.requests("POST", "/rest/api/2/search")
		if len(searches) != 1 || !bytes.Contains(searches[0].Body, []byte("assignee = currentUser() OR reporter = currentUser() ORDER BY updated DESC")) {
			t.Errorf("searches %d: %+v", len(searches), searches)
		}
		if n := len(e.requests("GET", "/rest/api/2/project")); n != 1 {
			t.Errorf("%d project reads", n)
		}
	})
}

func TestCompletionsScoped(t *testing.T) {
	e := scopedEnv(t, envOptions{}, "API")
	if got := e.complete(mcp.PromptReference{Type: "ref/prompt", Name: "jira-sprints"}, "project", ""); !slices.Equal(got, []string{"API"}) {
		t.Errorf("projects %v", got)
	}
	got := e.complete(mcp.PromptReference{Type: "ref/prompt", Name: "jira-attachments"}, "issue_key", "")
	if len(got) == 0 || slices.ContainsFunc(got, func(k string) bool { return !strings.HasPrefix(k, "API-") }) {
		t.Errorf("issue keys %v", got)
	}
}
