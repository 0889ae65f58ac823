package tools

import (
	"context"
	"fmt"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/jira-mcp/jira-mcp/tools/jira"
)

// Search is jira_search's name.
const Search = "jira_search"

// searchLimit is how many issues a search returns by default.
const searchLimit = 20

func searchTool() Tool {
	return newTool(core,
		mcp.NewTool(Search,
			mcp.WithToolTitle("Search Jira issues"),
			mcp.WithDescription("Find issues with JQL. One line per issue: key, status, summary, assignee, priority, updated. Use jira_get_issue for details."),
			annotations(true, false, true),
			mcp.WithString("jql", mcp.Required(), mcp.MinLength(1), mcp.MaxLength(maxJQLLength),
				mcp.Description(`JQL, e.g. assignee = currentUser() AND resolution IS EMPTY ORDER BY updated DESC`)),
			mcp.WithArray("fields", mcp.WithStringItems(),
				mcp.Description(`Extra fields to show, by id or name, e.g. ["Story Points","labels"]`)),
			mcp.WithInteger("limit", mcp.Min(1), mcp.Max(maxLimit), mcp.DefaultNumber(searchLimit), mcp.Description("Issues per page")),
			mcp.WithInteger("start_at", mcp.Min(0), mcp.DefaultNumber(0), mcp.Description("Offset; use next_start_at to page")),
			outputSchema("total", "start_at", "issues"),
		),
		CLI{Command: "search", Example: "jira-mcp search 'assignee = currentUser() AND resolution IS EMPTY ORDER BY updated DESC'\njira-mcp search 'project = WEB' --limit 50 --fields \"Story Points\",labels", Args: []Arg{{"jql", "JQL"}}},
		(*Toolset).search,
	)
}

// maxWindow is how deep Jira 10 pages: past 10,000 results it answers 500.
const maxWindow = 10000

// searchFields are the fields of the one-line form.
var searchFields = []string{"summary", "status", "assignee", "priority", "updated"}

type searchArgs struct {
	JQL     string   `json:"jql"`
	Fields  []string `json:"fields"`
	Limit   *int     `json:"limit"`
	StartAt int      `json:"start_at"`
}

// IssueLine is one issue of a search, in structured form.
type IssueLine struct {
	Key          string         `json:"key"`
	Summary      string         `json:"summary"`
	Status       string         `json:"status"`
	Assignee     string         `json:"assignee,omitempty"`
	AssigneeName string         `json:"assignee_name,omitempty"`
	Priority     string         `json:"priority,omitempty"`
	Updated      string         `json:"updated,omitempty"`
	Fields       map[string]any `json:"fields,omitempty"`
}

// SearchResult is jira_search's structured content.
type SearchResult struct {
	Total       int         `json:"total"`
	StartAt     int         `json:"start_at"`
	NextStartAt *int        `json:"next_start_at,omitempty"`
	Issues      []IssueLine `json:"issues"`
}

func (t *Toolset) search(ctx context.Context, a *searchArgs) (*mcp.CallToolResult, error) {
	a.JQL = strings.TrimSpace(a.JQL)
	if a.JQL == "" {
		return inputError("jql is required, e.g. project = PROJ AND resolution IS EMPTY ORDER BY updated DESC")
	}
	limit := orDefault(a.Limit, searchLimit)
	if a.StartAt >= maxWindow {
		return inputError("Jira cannot page past %d results (start_at %d). Narrow the JQL instead, e.g. add updated >= -30d or a project.", maxWindow, a.StartAt)
	}
	if a.StartAt+limit > maxWindow {
		limit = maxWindow - a.StartAt
	}
	o := op{what: "search"}
	extra, err := t.resolveFields(ctx, a.Fields)
	if err != nil {
		return failure(o, err)
	}
	fields := searchFields
	for _, f := range extra {
		fields = append(fields[:len(fields):len(fields)], f.ID)
	}
	jql, err := scopeJQL(a.JQL, t.projects)
	if err != nil {
		return inputError("%s; fix the JQL.", capitalize(err.Error()))
	}
	res, err := t.jira.Search(ctx, jira.SearchRequest{JQL: jql, StartAt: a.StartAt, MaxResults: limit, Fields: fields}, ids(extra)...)
	if err != nil {
		return failure(o, err)
	}
	out := SearchResult{Total: res.Total, StartAt: res.StartAt, Issues: make([]IssueLine, 0, len(res.Issues))}
	for i := range res.Issues {
		if t.allowedKey(res.Issues[i].Key) { // the JQL may have found a way out
			out.Issues = append(out.Issues, issueLine(&res.Issues[i], extra))
		}
	}
	out.Total -= len(res.Issues) - len(out.Issues)
	if next := res.StartAt + len(res.Issues); len(res.Issues) > 0 && next < res.Total && next < maxWindow {
		out.NextStartAt = &next
	}
	return mcp.NewToolResultStructured(out, searchText(&out, extra)), nil
}

func issueLine(is *jira.Issue, extra []fieldRef) IssueLine {
	f := &is.Fields
	return IssueLine{
		Key: is.Key, Summary: f.Summary, Status: f.Status.Name,
		Assignee: f.Assignee.Name, AssigneeName: f.Assignee.DisplayName,
		Priority: f.Priority.Name, Updated: rfc3339(f.Updated),
		Fields: extraValues(is, extra),
	}
}

// extraValues simplifies the fields an agent asked for, by display name.
func extraValues(is *jira.Issue, extra []fieldRef) map[string]any {
	var out map[string]any
	for _, x := range extra {
		if v := simplify(is.Raw(x.ID)); v != nil {
			if out == nil {
				out = map[string]any{}
			}
			out[x.Name] = v
		}
	}
	return out
}

// searchText is the model's view: a header, then one line per issue. It is
// the budget that matters most (about 100 bytes an issue), so the summary
// is cut and unassigned/blank columns are a single dash.
func searchText(r *SearchResult, extra []fieldRef) string {
	var b strings.Builder
	b.Grow(64 + len(r.Issues)*110)
	if len(r.Issues) == 0 {
		if r.Total > 0 {
			fmt.Fprintf(&b, "No issues at start_at %d; the query matches %d.", r.StartAt, r.Total)
		} else {
			b.WriteString("No issues match.")
		}
		return b.String()
	}
	fmt.Fprintf(&b, "%d-%d of %d", r.StartAt+1, r.StartAt+len(r.Issues), r.Total)
	if r.NextStartAt != nil {
		fmt.Fprintf(&b, "; next start_at=%d", *r.NextStartAt)
	}
	b.WriteString("\nkey|status|summary|assignee|priority|updated")
	for _, f := range extra {
		b.WriteString("|")
		b.WriteString(f.Name)
	}
	for _, l := range r.Issues {
		b.WriteByte('\n')
		b.WriteString(l.Key)
		b.WriteByte('|')
		b.WriteString(orDash(l.Status))
		b.WriteByte('|')
		b.WriteString(truncate(oneLine(l.Summary), 60))
		b.WriteByte('|')
		b.WriteString(orDash(l.Assignee))
		b.WriteByte('|')
		b.WriteString(orDash(l.Priority))
		b.WriteByte('|')
		if len(l.Updated) >= 10 {
			b.WriteString(l.Updated[:10])
		} else {
			b.WriteString("-")
		}
		for _, f := range extra {
			b.WriteByte('|')
			b.WriteString(orDash(text(l.Fields[f.Name])))
		}
	}
	return b.String()
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func ids(refs []fieldRef) []string {
	out := make([]string, len(refs))
	for i, r := range refs {
		out[i] = r.ID
	}
	return out
}

// maxLimit is the most items a page may ask for.
const maxLimit = 100

// orDefault returns *p, or def when the argument was left out. Ranges are
// checked against the input schema before a handler runs (checkArgs).
func orDefault(p *int, def int) int {
	if p == nil {
		return def
	}
	return *p
}
