package jira

import (
	"context"
	"testing"
)

func TestAgile(t *testing.T) {
	c, e := newTestClient(t)
	ctx := context.Background()
	boards, err := c.Boards(ctx, "WEB")
	if err != nil || len(boards) != 2 || boards[0].ID != 1 || boards[1].Type != "kanban" {
		t.Fatalf("boards %+v %v", boards, err)
	}
	sprints, err := c.BoardSprints(ctx, 1, []string{"active", "future"})
	if err != nil || len(sprints) != 2 || sprints[0].State != "active" || sprints[0].StartDate.IsZero() || sprints[1].Name != "Storefront Sprint 14" {
		t.Fatalf("sprints %+v %v", sprints, err)
	}
	all, _ := c.BoardSprints(ctx, 1, nil)
	if len(all) != 4 || all[0].State != "closed" {
		t.Errorf("all sprints %+v", all)
	}
	s, err := c.Sprint(ctx, 6)
	if err != nil || s.Name != "Platform Sprint 8" || s.OriginBoardID != 2 {
		t.Errorf("sprint 6 %+v %v", s, err)
	}
	if err := c.MoveToSprint(ctx, 4, []string{"WEB-6"}); err != nil {
		t.Fatal(err)
	}
	if got := e.Sprints("WEB-6"); len(got) != 1 || got[0] != "Storefront Sprint 14" {
		t.Errorf("WEB-6 in %q", got)
	}
	if err := c.MoveToBacklog(ctx, []string{"WEB-6"}); err != nil || len(e.Sprints("WEB-6")) != 0 {
		t.Errorf("backlog: %v %q", err, e.Sprints("WEB-6"))
	}
	err = c.MoveToSprint(ctx, 1, []string{"WEB-6"})
	if ae, ok := err.(*APIError); !ok || ae.Status != 400 {
		t.Errorf("closed sprint: %v", err)
	}
}
