package tools

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/jira-mcp/jira-mcp/tools/jira"
)

// The agile toolset: sprints, through Jira Software's agile API. A project
// may have several boards (a scrum board has sprints, a kanban board none);
// the tools name the board they used.

// Names of the agile tools.
const (
	ListSprints  = "jira_list_sprints"
	MoveToSprint = "jira_move_to_sprint"
)

const agile = "agile"

// sprintStates are the states a sprint can be in; defaultSprintStates
// those jira_list_sprints lists unless asked.
var (
	sprintStates        = []string{"active", "future", "closed"}
	defaultSprintStates = []string{"active", "future"}
)

func listSprintsTool() Tool {
	return newTool(agile,
		mcp.NewTool(ListSprints,
			mcp.WithToolTitle("List sprints"),
			mcp.WithDescription("List a project's or board's sprints: id, name, state, dates, goal. Then jira_search with sprint = ID."),
			annotations(true, false, true),
			mcp.WithString("project", mcp.Description("Project key; its scrum boards are used")),
			mcp.WithInteger("board", mcp.Min(1), mcp.Description("Board id, instead of project")),
			mcp.WithArray("state", mcp.WithStringEnumItems(sprintStates), mcp.DefaultArray(defaultSprintStates)),
			outputSchema("boards", "sprints"),
		),
		CLI{Command: "sprints"},
		(*Toolset).listSprints,
	)
}

func moveToSprintTool() Tool {
	return newTool(agile,
		mcp.NewTool(MoveToSprint,
			mcp.WithToolTitle("Move issues to a sprint"),
			mcp.WithDescription(`Move issues into an active or future sprint, or back to the backlog.`),
			annotations(false, false, false),
			mcp.WithArray("issue_keys", mcp.Required(), mcp.WithStringItems(), mcp.MinItems(1), mcp.MaxItems(jira.MaxMoved)),
			mcp.WithString("sprint", mcp.Required(), mcp.MinLength(1), mcp.Description(`Sprint id or name, or "backlog"`)),
			outputSchema("issue_keys", "sprint"),
		),
		CLI{Command: "move-to-sprint", Args: []Arg{{"sprint", "SPRINT"}}},
		(*Toolset).moveToSprint,
	)
}

type listSprintsArgs struct {
	Project string   `json:"project"`
	Board   int      `json:"board"`
	State   []string `json:"state"`
}

// BoardView is a board in structured results.
type BoardView struct {
	ID   int    `json:"id"`
	Name string `json:"name"`
	Type string `json:"type"`
}

// SprintView is a sprint in structured results.
type SprintView struct {
	ID       int    `json:"id"`
	Name     string `json:"name"`
	State    string `json:"state"`
	Start    string `json:"start,omitempty"`
	End      string `json:"end,omitempty"`
	Complete string `json:"complete,omitempty"`
	Goal     string `json:"goal,omitempty"`
	Board    int    `json:"board"`
}

// SprintsResult is jira_list_sprints' structured content.
type SprintsResult struct {
	Project string       `json:"project,omitempty"`
	Boards  []BoardView  `json:"boards"`
	Sprints []SprintView `json:"sprints"`
}

func (t *Toolset) listSprints(ctx context.Context, a *listSprintsArgs) (*mcp.CallToolResult, error) {
	project := strings.ToUpper(strings.TrimSpace(a.Project))
	if project == "" && a.Board == 0 {
		return inputError("Pass project (a key such as WEB) or board (an id).")
	}
	states := a.State
	if len(states) == 0 {
		states = defaultSprintStates
	}
	o := op{what: "list sprints"}
	boards, err := t.sprintBoards(ctx, project, a.Board)
	if err != nil {
		return failure(o, err)
	}
	out := SprintsResult{Project: project, Boards: []BoardView{}, Sprints: []SprintView{}}
	for _, b := range boards {
		out.Boards = append(out.Boards, BoardView(b))
		if b.Type != "scrum" {
			continue
		}
		sprints, err := t.jira.BoardSprints(ctx, b.ID, states)
		if err != nil {
			return failure(op{what: fmt.Sprintf("list the sprints of board %d", b.ID)}, err)
		}
		for _, s := range sprints {
			if !slices.ContainsFunc(out.Sprints, func(v SprintView) bool { return v.ID == s.ID }) {
				out.Sprints = append(out.Sprints, sprintView(s, b.ID))
			}
		}
	}
	return mcp.NewToolResultStructured(out, sprintsText(&out, states)), nil
}

// sprintBoards returns the board asked for, or the project's boards. With
// an allow-list, a board must belong to an allowed project.
func (t *Toolset) sprintBoards(ctx context.Context, project string, board int) ([]jira.Board, error) {
	if board == 0 {
		return t.jira.Boards(ctx, project)
	}
	projects := t.projects
	if len(projects) == 0 {
		projects = []string{""}
	}
	for _, p := range projects {
		boards, err := t.jira.Boards(ctx, p)
		if err != nil {
			return nil, err
		}
		for _, b := range boards {
			if b.ID == board {
				return []jira.Board{b}, nil
			}
		}
	}
	return nil, &jira.InputError{Msg: fmt.Sprintf("No board %d that you can see%s. Pass project to list a project's boards.", board, t.scopeNote())}
}

// scopeNote names the allow-list in a message, when there is one.
func (t *Toolset) scopeNote() string {
	if len(t.projects) == 0 {
		return ""
	}
	return " in the projects jira-mcp may use (" + strings.Join(t.projects, ", ") + ")"
}

func sprintView(s jira.Sprint, board int) SprintView {
	v := SprintView{ID: s.ID, Name: s.Name, State: strings.ToLower(s.State), Goal: s.Goal, Board: board}
	for _, d := range []struct {
		to *string
		t  jira.Time
	}{{&v.Start, s.StartDate}, {&v.End, s.EndDate}, {&v.Complete, s.CompleteDate}} {
		if !d.t.IsZero() {
			*d.to = d.t.Format("2006-01-02T15:04:05Z07:00")
		}
	}
	return v
}

func sprintsText(r *SprintsResult, states []string) string {
	var b strings.Builder
	what := r.Project
	if what == "" && len(r.Boards) == 1 {
		what = fmt.Sprintf("board %d", r.Boards[0].ID)
	}
	if len(r.Boards) == 0 {
		return fmt.Sprintf("%s has no board you can see, so no sprints.", what)
	}
	if len(r.Boards) > 1 || r.Boards[0].Type != "scrum" {
		fmt.Fprintf(&b, "Boards of %s: ", what)
		for i, bd := range r.Boards {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "%d %q (%s)", bd.ID, oneLine(bd.Name), bd.Type)
		}
		b.WriteString(". Kanban boards have no sprints; pass board to use one board only.\n")
	}
	if len(r.Sprints) == 0 {
		fmt.Fprintf(&b, "No %s sprints.", strings.Join(states, " or "))
		return b.String()
	}
	fmt.Fprintf(&b, "%s sprints:\nid|state|name|start|end|board|goal", capitalize(strings.Join(states, ", ")))
	for _, s := range r.Sprints {
		end := dayOf(s.End)
		if s.Complete != "" {
			end = dayOf(s.Complete) + " (completed)"
		}
		fmt.Fprintf(&b, "\n%d|%s|%s|%s|%s|%d|%s", s.ID, s.State, oneLine(s.Name), orDash(dayOf(s.Start)), orDash(end), s.Board, orDash(truncate(oneLine(s.Goal), 100)))
	}
	fmt.Fprintf(&b, "\nIssues of a sprint: %s with jql sprint = ID.", Search)
	return b.String()
}

type moveToSprintArgs struct {
	IssueKeys []string `json:"issue_keys"`
	Sprint    string   `json:"sprint"`
}

// MoveResult is jira_move_to_sprint's structured content; Sprint is null
// for the backlog.
type MoveResult struct {
	IssueKeys []string    `json:"issue_keys"`
	Sprint    *SprintView `json:"sprint"`
	Verified  bool        `json:"verified,omitempty"` // Jira's answer was lost; the move was confirmed by reading back
}

func (t *Toolset) moveToSprint(ctx context.Context, a *moveToSprintArgs) (*mcp.CallToolResult, error) {
	var keys []string
	for _, k := range a.IssueKeys {
		key, err := jira.NormalizeKey(k)
		if err != nil {
			return failure(op{}, err)
		}
		if !slices.Contains(keys, key) {
			keys = append(keys, key)
		}
	}
	target, res, err := t.findSprint(ctx, strings.TrimSpace(a.Sprint), keys)
	if res != nil || err != nil {
		return res, err
	}
	where := "the backlog"
	if target != nil {
		where = fmt.Sprintf("sprint %d %q (%s, board %d)", target.ID, target.Name, target.State, target.Board)
		err = t.jira.MoveToSprint(ctx, target.ID, keys)
	} else {
		err = t.jira.MoveToBacklog(ctx, keys)
	}
	out := MoveResult{IssueKeys: keys, Sprint: target}
	if err != nil {
		write := op{what: "move " + strings.Join(keys, ", ") + " to " + where, write: true}
		if !outcomeUnknown(ctx, err) {
			return failure(write, err)
		}
		moved, checked := t.movedAlready(ctx, keys, target)
		switch {
		case !checked || moved > 0 && moved < len(keys):
			return failure(write, err)
		case moved == 0:
			return notMade(write, err, "reading the issues back shows none moved")
		}
		out.Verified = true
	}
	text := fmt.Sprintf("Moved %s to %s.", strings.Join(keys, ", "), where)
	if out.Verified {
		text += " Jira's answer was lost; the move was confirmed by reading the issues back."
	}
	return mcp.NewToolResultStructured(out, text), nil
}

// findSprint resolves the sprint argument: "backlog" (nil), an id, or a
// name among the sprints of the boards of the issues' projects. A closed
// sprint is refused with the reason.
func (t *Toolset) findSprint(ctx context.Context, arg string, keys []string) (*SprintView, *mcp.CallToolResult, error) {
	if strings.EqualFold(arg, "backlog") {
		return nil, nil, nil
	}
	var found []SprintView
	var open []string
	if id, err := strconv.Atoi(arg); err == nil {
		s, err := t.jira.Sprint(ctx, id)
		var ae *jira.APIError
		if errors.As(err, &ae) && ae.Status == 404 {
			r, _ := inputError("No sprint %d that you can see. List them with %s.", id, ListSprints)
			return nil, r, nil
		} else if err != nil {
			r, gerr := failure(op{what: fmt.Sprintf("read sprint %d", id)}, err)
			return nil, r, gerr
		}
		found = append(found, sprintView(*s, s.OriginBoardID))
	} else {
		all, err := t.projectSprints(ctx, keys)
		if err != nil {
			r, gerr := failure(op{what: "list the sprints of " + strings.Join(keys, ", ")}, err)
			return nil, r, gerr
		}
		for _, s := range all {
			if strings.EqualFold(strings.TrimSpace(s.Name), arg) {
				found = append(found, s)
			}
			if s.State != "closed" {
				open = append(open, fmt.Sprintf("%d %q (%s)", s.ID, s.Name, s.State))
			}
		}
	}
	switch {
	case len(found) == 0:
		r, _ := inputError("No sprint named %q on the boards of %s. Open sprints: %s.", clipValue(arg), projectsOf(keys), orNone(open))
		return nil, r, nil
	case len(found) > 1:
		var ids []string
		for _, s := range found {
			ids = append(ids, fmt.Sprintf("%d (board %d, %s)", s.ID, s.Board, s.State))
		}
		r, _ := inputError("Several sprints are named %q: %s. Pass the id of the one you mean.", clipValue(arg), strings.Join(ids, ", "))
		return nil, r, nil
	case found[0].State == "closed":
		s := found[0]
		r, _ := inputError("Sprint %d %q is closed (completed %s): Jira moves issues only into active or future sprints. Pick an open one (%s).", s.ID, s.Name, orDash(dayOf(s.Complete)), ListSprints)
		return nil, r, nil
	}
	return &found[0], nil, nil
}

// projectSprints lists the sprints of every scrum board of the issues'
// projects.
func (t *Toolset) projectSprints(ctx context.Context, keys []string) ([]SprintView, error) {
	var out []SprintView
	for _, p := range strings.Split(projectsOf(keys), ", ") {
		boards, err := t.jira.Boards(ctx, p)
		if err != nil {
			return nil, err
		}
		for _, b := range boards {
			if b.Type != "scrum" {
				continue
			}
			sprints, err := t.jira.BoardSprints(ctx, b.ID, nil)
			if err != nil {
				return nil, err
			}
			for _, s := range sprints {
				if !slices.ContainsFunc(out, func(v SprintView) bool { return v.ID == s.ID }) {
					out = append(out, sprintView(s, b.ID))
				}
			}
		}
	}
	return out, nil
}

// projectsOf returns the distinct project keys of issue keys, joined.
func projectsOf(keys []string) string {
	var ps []string
	for _, k := range keys {
		p, _, _ := strings.Cut(k, "-")
		if !slices.Contains(ps, p) {
			ps = append(ps, p)
		}
	}
	return strings.Join(ps, ", ")
}

func orNone(list []string) string {
	if len(list) == 0 {
		return "none"
	}
	return strings.Join(list, ", ")
}

// movedAlready counts, after a lost answer, how many of the issues are
// where the move would have put them: in the sprint, or (backlog) in no
// open sprint.
func (t *Toolset) movedAlready(ctx context.Context, keys []string, target *SprintView) (int, bool) {
	ctx, cancel := verifyContext(ctx)
	defer cancel()
	jql := "key in (" + strings.Join(keys, ", ") + ") AND "
	if target != nil {
		jql += "sprint = " + strconv.Itoa(target.ID)
	} else {
		jql += "(sprint in openSprints() OR sprint in futureSprints())"
	}
	res, err := t.jira.Search(ctx, jira.SearchRequest{JQL: jql, MaxResults: len(keys), Fields: []string{"summary"}})
	if err != nil {
		return 0, false
	}
	if target == nil {
		return len(keys) - res.Total, true
	}
	return res.Total, true
}

// Jira Software's custom field types for the sprint and the epic link:
// their ids differ from one Jira to the next.
const (
	sprintFieldType   = "com.pyxis.greenhopper.jira:gh-sprint"
	epicLinkFieldType = "com.pyxis.greenhopper.jira:gh-epic-link"
)

// withAgileFields adds the Sprint and Epic Link fields to extra, so that
// jira_get_issue shows an issue's sprints and epic by name (not as
// customfield ids or DC's serialized Sprint objects). Without Jira
// Software, or when the field list cannot be read, extra is unchanged.
func (t *Toolset) withAgileFields(ctx context.Context, extra []fieldRef) []fieldRef {
	defs, err := t.jira.Fields(ctx, false)
	if err != nil {
		return extra
	}
	var out []fieldRef // first: the fields asked for end the line
	for _, f := range defs {
		if f.Schema == nil || f.Schema.Custom != sprintFieldType && f.Schema.Custom != epicLinkFieldType {
			continue
		}
		if !slices.ContainsFunc(extra, func(r fieldRef) bool { return r.ID == f.ID }) {
			out = append(out, fieldRef{ID: f.ID, Name: f.Name})
		}
	}
	return append(out, extra...)
}
