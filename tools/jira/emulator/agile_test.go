package emulator

import (
	"encoding/json"
	"slices"
	"testing"
)

func TestBoardsAndSprints(t *testing.T) {
	s := newTestServer(t)
	var boards struct {
		Total  int
		IsLast bool
		Values []struct {
			ID         int
			Name, Type string
		}
	}
	r := apiCall(t, s, DefaultToken, "GET", "/rest/agile/1.0/board?projectKeyOrId=WEB", nil)
	if err := json.Unmarshal(r.body, &boards); err != nil || r.status != 200 {
		t.Fatalf("%d %s", r.status, r.body)
	}
	if boards.Total != 2 || !boards.IsLast || boards.Values[0].Name != "WEB board" || boards.Values[1].Type != "kanban" {
		t.Errorf("WEB boards = %+v", boards)
	}
	// SEC's board is hidden from alice, shown to dave.
	for token, want := range map[string]int{DefaultToken: 3, Token("dave"): 4} {
		r := apiCall(t, s, token, "GET", "/rest/agile/1.0/board", nil)
		json.Unmarshal(r.body, &boards)
		if boards.Total != want {
			t.Errorf("%s sees %d boards, want %d", token, boards.Total, want)
		}
	}
	if r := apiCall(t, s, DefaultToken, "GET", "/rest/agile/1.0/board?projectKeyOrId=SEC", nil); r.status != 400 {
		t.Errorf("boards of a hidden project: %d", r.status)
	}

	var sprints struct {
		Values []struct {
			ID                           int
			Name, State, StartDate, Goal string
			OriginBoardID                int `json:"originBoardId"`
		}
	}
	r = apiCall(t, s, DefaultToken, "GET", "/rest/agile/1.0/board/1/sprint?state=active,future", nil)
	json.Unmarshal(r.body, &sprints)
	var names []string
	for _, sp := range sprints.Values {
		names = append(names, sp.State+" "+sp.Name)
	}
	if !slices.Equal(names, []string{"active Storefront Sprint 13", "future Storefront Sprint 14"}) || sprints.Values[0].StartDate != "2026-01-26T12:00:00.000Z" || sprints.Values[0].OriginBoardID != 1 {
		t.Errorf("open sprints of board 1 = %+v", sprints.Values)
	}
	for path, want := range map[string]int{
		"/rest/agile/1.0/board/3/sprint":            400, // kanban
		"/rest/agile/1.0/board/4/sprint":            404, // hidden
		"/rest/agile/1.0/board/1/sprint?state=open": 400,
		"/rest/agile/1.0/sprint/6":                  200,
		"/rest/agile/1.0/sprint/77":                 404,
		"/rest/agile/1.0/nothing":                   404,
	} {
		if r := apiCall(t, s, DefaultToken, "GET", path, nil); r.status != want {
			t.Errorf("GET %s: %d, want %d: %s", path, r.status, want, r.body)
		}
	}
}

func TestMoveIssuesToSprint(t *testing.T) {
	s := newTestServer(t)
	move := func(path, body string) apiResponse { return apiCall(t, s, DefaultToken, "POST", path, body) }
	// WEB-4 was in sprint 12 (closed) and 13: into 14, it keeps 12.
	if r := move("/rest/agile/1.0/sprint/4/issue", `{"issues":["WEB-4","web-6"]}`); r.status != 204 {
		t.Fatalf("move: %d %s", r.status, r.body)
	}
	if got := s.Sprints("WEB-4"); !slices.Equal(got, []string{"Storefront Sprint 12", "Storefront Sprint 14"}) {
		t.Errorf("WEB-4 sprints %q", got)
	}
	if got := s.Sprints("WEB-6"); !slices.Equal(got, []string{"Storefront Sprint 14"}) {
		t.Errorf("WEB-6 sprints %q", got)
	}
	if r := move("/rest/agile/1.0/backlog/issue", `{"issues":["WEB-4"]}`); r.status != 204 {
		t.Fatalf("backlog: %d %s", r.status, r.body)
	}
	if got := s.Sprints("WEB-4"); !slices.Equal(got, []string{"Storefront Sprint 12"}) {
		t.Errorf("WEB-4 after backlog %q", got)
	}
	for _, tt := range []struct {
		path, body string
		want       int
	}{
		{"/rest/agile/1.0/sprint/1/issue", `{"issues":["WEB-6"]}`, 400},         // closed
		{"/rest/agile/1.0/sprint/4/issue", `{"issues":["WEB-6","SEC-1"]}`, 400}, // hidden issue: nothing moves
		{"/rest/agile/1.0/sprint/4/issue", `{"issues":["OPS-1"]}`, 403},
		{"/rest/agile/1.0/sprint/4/issue", `{"issue":["WEB-6"]}`, 400},
		{"/rest/agile/1.0/sprint/99/issue", `{"issues":["WEB-6"]}`, 404},
	} {
		if r := move(tt.path, tt.body); r.status != tt.want {
			t.Errorf("POST %s %s: %d, want %d: %s", tt.path, tt.body, r.status, tt.want, r.body)
		}
	}
	if got := s.Sprints("WEB-6"); !slices.Equal(got, []string{"Storefront Sprint 14"}) {
		t.Errorf("a refused move changed WEB-6: %q", got)
	}
}
