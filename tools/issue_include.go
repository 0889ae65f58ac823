package tools

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/jira-mcp/jira-mcp/tools/jira"
)

// jira_get_issue's include argument: sections an agent asks for by name,
// each opt-in so that the default answer stays small. A section is one
// entry of includeSpecs (its name, the issue fields and expansions it
// needs, and how it reads and renders them) plus its field in
// IssueIncludes: adding attachments, say, is one entry and one field.
//
// The fields and expansions of every section asked for are read in one
// GET of the issue, beside the calls of their own some sections make
// (remote links, worklogs), all at once. A section that fails says why
// in its place; the others and the issue are still shown.
//
// Linked issues outside the projects jira-mcp may use (--projects) are
// shown by key and direction only, never their summary or status: the link
// itself is on an allowed issue, the issue behind it is not. A changelog
// names issue keys only.

// includeSpec is one section jira_get_issue can include.
type includeSpec struct {
	name   string
	fields []string // issue fields it reads from the shared GET issue
	expand []string // expansions of that GET
	// read fills its part of out and returns its text section; parts is
	// the shared GET's answer (nil when no section asked for fields).
	read func(t *Toolset, ctx context.Context, key string, parts *jira.IssueParts, out *IssueIncludes) (string, error)
}

var includeSpecs = []includeSpec{
	{name: "links", fields: []string{"issuelinks"}, read: (*Toolset).includeLinks},
	{name: "remote_links", read: (*Toolset).includeRemoteLinks},
	{name: "worklogs", fields: []string{"timetracking"}, read: (*Toolset).includeWorklogs},
	{name: "subtasks", fields: []string{"subtasks"}, read: (*Toolset).includeSubtasks},
	{name: "changelog", expand: []string{"changelog"}, read: (*Toolset).includeChangelog},
	{name: "attachments", fields: []string{attachmentsField}, read: (*Toolset).includeAttachments}, // attachments_include.go
}

// includeLimit is how many entries of a section the answer shows, newest
// first where entries have a time.
const includeLimit = 20

// includeArg is jira_get_issue's include argument.
func includeArg() mcp.ToolOption {
	names := make([]string, len(includeSpecs))
	for i, s := range includeSpecs {
		names[i] = s.name
	}
	return mcp.WithArray("include", mcp.Items(map[string]any{"type": "string", "enum": names}),
		mcp.Description("Extra sections"))
}

// IssueIncludes are the sections jira_get_issue was asked to include; a
// section asked for is present even when empty.
type IssueIncludes struct {
	Links         []LinkView        `json:"links,omitzero"`
	RemoteLinks   []RemoteLinkView  `json:"remote_links,omitzero"`
	TimeTracking  *TimeTracking     `json:"time_tracking,omitempty"`
	Worklogs      []WorklogView     `json:"worklogs,omitzero"`
	Subtasks      []SubtaskView     `json:"subtasks,omitzero"`
	Changelog     []ChangeView      `json:"changelog,omitzero"`
	Attachments   []AttachmentView  `json:"attachments,omitzero"`
	IncludeErrors map[string]string `json:"include_errors,omitempty"`
}

// LinkView is a link as issue_key reads it: "<phrase> <key>".
type LinkView struct {
	Type      string `json:"type"`
	Direction string `json:"direction"` // outward or inward
	Phrase    string `json:"phrase"`    // e.g. "is blocked by"
	Key       string `json:"key"`
	Summary   string `json:"summary,omitempty"` // left out outside the allowed projects
	Status    string `json:"status,omitempty"`
}

// RemoteLinkView is a link to a page outside Jira.
type RemoteLinkView struct {
	ID           int64  `json:"id"`
	URL          string `json:"url"`
	Title        string `json:"title"`
	Summary      string `json:"summary,omitempty"`
	Relationship string `json:"relationship,omitempty"`
}

// TimeTracking is an issue's estimates and time spent, as Jira writes
// durations.
type TimeTracking struct {
	OriginalEstimate  string `json:"original_estimate,omitempty"`
	RemainingEstimate string `json:"remaining_estimate,omitempty"`
	TimeSpent         string `json:"time_spent,omitempty"`
}

// WorklogView is one worklog.
type WorklogView struct {
	ID        string `json:"id"`
	Author    string `json:"author"`
	Started   string `json:"started"`
	TimeSpent string `json:"time_spent"`
	Comment   string `json:"comment,omitempty"`
}

// SubtaskView is one sub-task.
type SubtaskView struct {
	Key     string `json:"key"`
	Summary string `json:"summary"`
	Status  string `json:"status"`
}

// ChangeView is one change: who changed which fields, when.
type ChangeView struct {
	At     string       `json:"at"`
	Author string       `json:"author"`
	Items  []ChangeItem `json:"items"`
}

// ChangeItem is one field's change, as Jira words the values.
type ChangeItem struct {
	Field string `json:"field"`
	From  string `json:"from,omitempty"`
	To    string `json:"to,omitempty"`
}

// includes reads the sections named and returns them with text, the
// issue's text followed by a section each, in includeSpecs' order. No
// names: nil and text as it was.
func (t *Toolset) includes(ctx context.Context, key string, names []string, text string) (*IssueIncludes, string) {
	var specs []includeSpec
	var fields, expand []string
	for _, s := range includeSpecs {
		if slices.Contains(names, s.name) {
			specs = append(specs, s)
			fields, expand = append(fields, s.fields...), append(expand, s.expand...)
		}
	}
	if len(specs) == 0 {
		return nil, text
	}
	shared := sync.OnceValues(func() (*jira.IssueParts, error) {
		if len(fields) == 0 && len(expand) == 0 {
			return nil, nil
		}
		return t.jira.IssueParts(ctx, key, fields, expand)
	})
	out := &IssueIncludes{}
	sections := make([]string, len(specs))
	errs := make([]error, len(specs))
	var wg sync.WaitGroup
	for i, s := range specs {
		wg.Go(func() {
			parts, err := shared()
			if err == nil {
				sections[i], err = s.read(t, ctx, key, parts, out)
			}
			errs[i] = err
		})
	}
	wg.Wait()
	var b strings.Builder
	b.WriteString(text)
	for i, s := range specs {
		b.WriteString("\n\n")
		if errs[i] == nil {
			b.WriteString(strings.TrimRight(sections[i], "\n"))
			continue
		}
		why := errs[i].Error()
		if res, gerr := failure(op{what: "read the " + s.name + " of " + key, key: key}, errs[i]); gerr == nil && res != nil {
			why = Text(res)
		} else if gerr != nil {
			why = gerr.Error()
		}
		if out.IncludeErrors == nil {
			out.IncludeErrors = map[string]string{}
		}
		out.IncludeErrors[s.name] = why
		fmt.Fprintf(&b, "%s could not be read: %s", s.name, why)
	}
	return out, b.String()
}

func (t *Toolset) includeLinks(_ context.Context, key string, parts *jira.IssueParts, out *IssueIncludes) (string, error) {
	var links []jira.IssueLink
	if err := parts.Field("issuelinks", &links); err != nil {
		return "", err
	}
	out.Links = []LinkView{}
	var b strings.Builder
	fmt.Fprintf(&b, "Links (%d):", len(links))
	for _, l := range links {
		v := LinkView{Type: l.Type.Name, Direction: "outward", Phrase: l.Type.Outward}
		other := l.OutwardIssue
		if other == nil {
			v.Direction, v.Phrase, other = "inward", l.Type.Inward, l.InwardIssue
		}
		if other == nil {
			continue
		}
		v.Key = other.Key
		fmt.Fprintf(&b, "\n%s %s %s", key, oneLine(v.Phrase), v.Key)
		switch {
		case !t.allowedKey(other.Key):
			b.WriteString(" (outside the projects jira-mcp may use)")
		case other.Fields != nil:
			v.Summary, v.Status = other.Fields.Summary, other.Fields.Status.Name
			fmt.Fprintf(&b, " [%s] %s", v.Status, truncate(oneLine(v.Summary), 120))
		}
		out.Links = append(out.Links, v)
	}
	return b.String(), nil
}

func (t *Toolset) includeRemoteLinks(ctx context.Context, key string, _ *jira.IssueParts, out *IssueIncludes) (string, error) {
	links, err := t.jira.RemoteLinks(ctx, key)
	if err != nil {
		return "", err
	}
	out.RemoteLinks = []RemoteLinkView{}
	var b strings.Builder
	fmt.Fprintf(&b, "Remote links (%d):", len(links))
	for i, l := range links {
		v := RemoteLinkView{ID: l.ID, URL: l.Object.URL, Title: l.Object.Title, Summary: l.Object.Summary, Relationship: l.Relationship}
		out.RemoteLinks = append(out.RemoteLinks, v)
		if i >= includeLimit {
			continue
		}
		fmt.Fprintf(&b, "\n[%d] %s: %s", v.ID, truncate(oneLine(v.Title), 200), oneLine(v.URL))
		if v.Summary != "" {
			fmt.Fprintf(&b, " (%s)", truncate(oneLine(v.Summary), 200))
		}
	}
	if len(links) > includeLimit {
		fmt.Fprintf(&b, "\n%d more in the structured result.", len(links)-includeLimit)
	}
	return b.String(), nil
}

func (t *Toolset) includeWorklogs(ctx context.Context, key string, parts *jira.IssueParts, out *IssueIncludes) (string, error) {
	var tt struct {
		OriginalEstimate, RemainingEstimate, TimeSpent string
	}
	if err := parts.Field("timetracking", &tt); err != nil {
		return "", err
	}
	ws, err := t.jira.Worklogs(ctx, key)
	if err != nil {
		return "", err
	}
	out.TimeTracking = &TimeTracking{tt.OriginalEstimate, tt.RemainingEstimate, tt.TimeSpent}
	out.Worklogs = []WorklogView{}
	var b strings.Builder
	fmt.Fprintf(&b, "Time: estimate %s, remaining %s, spent %s", orDash(tt.OriginalEstimate), orDash(tt.RemainingEstimate), orDash(tt.TimeSpent))
	fmt.Fprintf(&b, "\nWorklogs (%d, newest first):", len(ws))
	for i := len(ws) - 1; i >= 0; i-- {
		w := ws[i]
		v := WorklogView{ID: w.ID, Started: rfc3339(w.Started), TimeSpent: w.TimeSpent, Comment: w.Comment}
		if w.Author != nil {
			v.Author = w.Author.Name
		}
		out.Worklogs = append(out.Worklogs, v)
		if len(out.Worklogs) > includeLimit {
			continue
		}
		fmt.Fprintf(&b, "\n[%s] %s %s %s", v.ID, orDash(v.Author), strings.Replace(dayMinute(v.Started), "T", " ", 1), v.TimeSpent)
		if c := strings.TrimSpace(v.Comment); c != "" {
			fmt.Fprintf(&b, ": %s", truncate(oneLine(c), 300))
		}
	}
	if len(ws) > includeLimit {
		fmt.Fprintf(&b, "\n%d older ones in the structured result.", len(ws)-includeLimit)
	}
	return b.String(), nil
}

func (t *Toolset) includeSubtasks(_ context.Context, _ string, parts *jira.IssueParts, out *IssueIncludes) (string, error) {
	var subs []jira.IssueRef
	if err := parts.Field("subtasks", &subs); err != nil {
		return "", err
	}
	out.Subtasks = []SubtaskView{}
	var b strings.Builder
	fmt.Fprintf(&b, "Sub-tasks (%d):", len(subs))
	for _, s := range subs {
		v := SubtaskView{Key: s.Key}
		if s.Fields != nil {
			v.Summary, v.Status = s.Fields.Summary, s.Fields.Status.Name
		}
		out.Subtasks = append(out.Subtasks, v)
		fmt.Fprintf(&b, "\n%s [%s] %s", v.Key, orDash(v.Status), truncate(oneLine(v.Summary), 120))
	}
	return b.String(), nil
}

func (t *Toolset) includeChangelog(_ context.Context, _ string, parts *jira.IssueParts, out *IssueIncludes) (string, error) {
	var hs []jira.ChangeHistory
	if parts.Changelog != nil {
		hs = parts.Changelog.Histories
	}
	out.Changelog = []ChangeView{}
	var b strings.Builder
	fmt.Fprintf(&b, "Changes (%d, newest first):", len(hs))
	for i := len(hs) - 1; i >= 0; i-- {
		h := hs[i]
		v := ChangeView{Author: "-", Items: []ChangeItem{}}
		if !h.Created.IsZero() {
			v.At = h.Created.Format("2006-01-02T15:04:05Z07:00")
		}
		if h.Author != nil {
			v.Author = h.Author.Name
		}
		var items []string
		for _, it := range h.Items {
			c := ChangeItem{Field: it.Field, From: truncate(oneLine(it.FromString), 200), To: truncate(oneLine(it.ToString), 200)}
			v.Items = append(v.Items, c)
			items = append(items, changeText(c))
		}
		out.Changelog = append(out.Changelog, v)
		if len(out.Changelog) <= includeLimit {
			fmt.Fprintf(&b, "\n%s %s: %s", strings.Replace(dayMinute(v.At), "T", " ", 1), v.Author, strings.Join(items, "; "))
		}
	}
	if len(hs) > includeLimit {
		fmt.Fprintf(&b, "\n%d older changes in the structured result.", len(hs)-includeLimit)
	}
	return b.String(), nil
}

// changeText words one change compactly: "status To Do -> Done".
func changeText(c ChangeItem) string {
	from, to := truncate(c.From, 80), truncate(c.To, 80)
	switch {
	case from == "" && to == "":
		return c.Field + " changed"
	case from == "":
		return c.Field + " -> " + to
	case to == "":
		return c.Field + " " + from + " -> (none)"
	}
	return c.Field + " " + from + " -> " + to
}
