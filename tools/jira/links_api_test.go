package jira

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/jira-mcp/jira-mcp/tools/jira/emulator"
)

// linksClient is a client of an in-process emulator (no socket), with the
// emulator to assert on.
func linksClient(t *testing.T) (*Client, *emulator.Emulator) {
	t.Helper()
	e := emulator.New(emulator.WithBaseURL("http://127.0.0.1"))
	hc := e.Client()
	hc.Transport = emulator.Bearer{Token: emulator.DefaultToken, Next: hc.Transport}
	c, err := New(e.BaseURL(), hc)
	if err != nil {
		t.Fatal(err)
	}
	return c, e
}

func TestLinkIssuesAndRead(t *testing.T) {
	c, e := linksClient(t)
	ctx := context.Background()
	types, err := c.LinkTypes(ctx)
	if err != nil || len(types) != 4 || types[0] != (LinkType{"10000", "Blocks", "is blocked by", "blocks"}) {
		t.Fatalf("%+v %v", types, err)
	}
	// WEB-5 blocks WEB-6: WEB-5 is the request's inwardIssue.
	err = c.LinkIssues(ctx, LinkRequest{Type: types[0], InwardIssue: IssueRef{Key: "WEB-5"}, OutwardIssue: IssueRef{Key: "WEB-6"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := e.Links("WEB-5"); !slices.Equal(got, []emulator.LinkState{{ID: "10005", Type: "Blocks", Source: "WEB-5", Dest: "WEB-6"}}) {
		t.Errorf("stored %+v", got)
	}
	if r := e.Requests(); strings.TrimSpace(string(r[len(r)-1].Body)) != `{"type":{"id":"10000","name":"Blocks"},"inwardIssue":{"key":"WEB-5"},"outwardIssue":{"key":"WEB-6"}}` {
		t.Errorf("sent %s", r[len(r)-1].Body)
	}
	links, err := c.IssueLinks(ctx, "WEB-6")
	if err != nil || len(links) != 1 || links[0].InwardIssue == nil || links[0].InwardIssue.Key != "WEB-5" || links[0].InwardIssue.Fields.Summary == "" {
		t.Errorf("%+v %v", links, err)
	}
	p, err := c.IssueParts(ctx, "WEB-3", []string{"subtasks"}, []string{"changelog"})
	if err != nil || p.Changelog == nil || len(p.Changelog.Histories) != 1 || p.Changelog.Histories[0].Items[0].ToString != "In Progress" {
		t.Errorf("%+v %v", p, err)
	}
	var subs []IssueRef
	if err := p.Field("subtasks", &subs); err != nil || len(subs) != 0 {
		t.Errorf("%v %v", subs, err)
	}
}

func TestRemoteLinksAndWorklogs(t *testing.T) {
	c, e := linksClient(t)
	ctx := context.Background()
	const u = "https://git.example.test/c/1"
	id, err := c.PutRemoteLink(ctx, "WEB-3", RemoteLink{GlobalID: u, Object: RemoteObject{URL: u, Title: "c1"}})
	if err != nil || id != 10002 {
		t.Fatalf("%d %v", id, err)
	}
	if again, err := c.PutRemoteLink(ctx, "WEB-3", RemoteLink{GlobalID: u, Object: RemoteObject{URL: u, Title: "c1 amended"}}); err != nil || again != id {
		t.Errorf("update: %d %v", again, err)
	}
	rl, err := c.RemoteLinkByGlobalID(ctx, "WEB-3", u)
	if err != nil || rl == nil || rl.Object.Title != "c1 amended" || len(e.RemoteLinks("WEB-3")) != 2 {
		t.Errorf("%+v %v", rl, err)
	}
	if rl, err := c.RemoteLinkByGlobalID(ctx, "WEB-3", "nope"); rl != nil || err != nil {
		t.Errorf("absent: %+v %v", rl, err)
	}
	w, err := c.AddWorklog(ctx, "WEB-3", Worklog{TimeSpent: "1h 30m", Started: "2026-01-30T10:00:00.000+0000", Comment: "Pairing"}, Estimate{Mode: "new", Value: "3h"})
	if err != nil || w.ID != "10002" || w.TimeSpentSeconds != 5400 || w.Author.Name != "alice" {
		t.Fatalf("%+v %v", w, err)
	}
	if r := e.Requests(); r[len(r)-1].RawQuery != "adjustEstimate=new&newEstimate=3h" {
		t.Errorf("query %s", r[len(r)-1].RawQuery)
	}
	ws, err := c.Worklogs(ctx, "WEB-3")
	if err != nil || len(ws) != 2 || ws[1].Started != "2026-01-30T10:00:00.000+0000" {
		t.Errorf("%+v %v", ws, err)
	}
	if _, tt := e.Worklogs("WEB-3"); tt.Remaining != 3*3600 {
		t.Errorf("remaining %d", tt.Remaining)
	}
}
