package tools

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/jira-mcp/jira-mcp/tools/jira"
)

// CreateIssue is jira_create_issue's name.
const CreateIssue = "jira_create_issue"

func createIssueTool() Tool {
	return withRoundTrips(newTool(issues,
		mcp.NewTool(CreateIssue,
			mcp.WithToolTitle("Create a Jira issue"),
			mcp.WithDescription("File an issue (a sub-task with parent). Missing or invalid fields are refused with their allowed values. Never include secrets."),
			annotations(false, false, false),
			projectArg(),
			mcp.WithString("issue_type", mcp.Required(), mcp.Description("Name or id, e.g. Bug")),
			mcp.WithString("summary", mcp.Required(), mcp.MinLength(1), mcp.MaxLength(255)),
			mcp.WithString("description", mcp.MaxLength(maxTextLength)),
			formatArg(),
			mcp.WithObject("fields", mcp.Description(`By name or id, e.g. {"Story Points":3}`)),
			mcp.WithString("assignee", mcp.MaxLength(255), mcp.Description(`Username or "me"`)),
			mcp.WithString("priority"),
			mcp.WithArray("labels", mcp.WithStringItems()),
			mcp.WithArray("components", mcp.WithStringItems()),
			mcp.WithArray("fix_versions", mcp.WithStringItems()),
			mcp.WithString("parent", mcp.Description("A sub-task's parent key")),
			mcp.WithString("epic", mcp.Description("Epic key")),
			mcp.WithBoolean("allow_duplicate", mcp.Description("Even if you filed this summary here in the last 10 minutes")),
			outputSchema("key", "id", "url"),
		),
		CLI{
			Command: "create", Args: []Arg{{"project", "PROJECT"}, {"issue_type", "TYPE"}, {"summary", "SUMMARY"}}, Stdin: []string{"description"},
			Long: "TYPE is an issue type's name or id (create-fields PROJECT lists them). --components, --fix-versions and --labels take names; --field NAME=VALUE sets any other field of the create screen, by name or id.",
		},
		(*Toolset).createIssue,
	))
}

type createArgs struct {
	Project        string         `json:"project"`
	IssueType      string         `json:"issue_type"`
	Summary        string         `json:"summary"`
	Description    string         `json:"description"`
	Format         string         `json:"format"`
	Fields         map[string]any `json:"fields"`
	Assignee       string         `json:"assignee"`
	Priority       string         `json:"priority"`
	Labels         []string       `json:"labels"`
	Components     []string       `json:"components"`
	FixVersions    []string       `json:"fix_versions"`
	Parent         string         `json:"parent"`
	Epic           string         `json:"epic"`
	AllowDuplicate bool           `json:"allow_duplicate"`
}

// CreateResult is jira_create_issue's structured content.
type CreateResult struct {
	Key         string `json:"key"`
	ID          string `json:"id"`
	URL         string `json:"url"`
	Project     string `json:"project"`
	IssueType   string `json:"issue_type"`
	Summary     string `json:"summary"`
	Assignee    string `json:"assignee,omitempty"`
	AssignError string `json:"assign_error,omitempty"` // created, but assigning it after failed
	Verified    bool   `json:"verified,omitempty"`     // Jira's answer was lost; the issue was found by searching
}

func (t *Toolset) createIssue(ctx context.Context, a *createArgs) (*mcp.CallToolResult, error) {
	project, msg := projectKey(a.Project)
	if msg != "" {
		return inputError("%s", msg)
	}
	if a.Summary = strings.TrimSpace(a.Summary); a.Summary == "" {
		return inputError("summary is empty: write a one-line summary.")
	}
	fieldsJSON, _ := json.Marshal(a.Fields)
	if what := credentialIn(a.Summary + "\n" + a.Description + "\n" + string(fieldsJSON)); what != "" {
		return inputError("The issue seems to contain a credential (%s). Remove it: secrets must never be posted to Jira.", what)
	}
	types, res, err := t.creatableTypes(ctx, project)
	if res != nil || err != nil {
		return res, err
	}
	typ, ok := pickType(types, a.IssueType)
	if !ok {
		return inputError("%s has no issue type %q you may create; it has: %s.", project, clipValue(a.IssueType), typeNames(types))
	}
	scr, err := t.createFields(ctx, project, typ)
	if err != nil {
		return failure(op{what: "read the create screen of " + project + " " + typ.Name}, err)
	}
	if a.Description != "" {
		a.Description, a.Format = t.wikiText(ctx, a.Description, a.Format)
	}
	plan, res, err := t.planCreate(ctx, scr, a)
	if res != nil || err != nil {
		return res, err
	}
	// The issues filed with this summary, before: to refuse an agent's
	// retry (before asking the user anything), and to tell a new issue
	// from an old one if Jira's answer to the create is lost.
	before, err := t.sameSummary(ctx, project, a.Summary)
	if err != nil {
		return failure(op{what: "look for issues you filed in " + project + " (nothing was created)"}, err)
	}
	if len(before) > 0 && !a.AllowDuplicate {
		age := time.Since(before[0].created).Round(time.Second)
		return inputError("You filed this very issue in %s %s ago: %s (%s). Do not create it again; if a second one is really wanted, pass allow_duplicate: true.",
			project, age, before[0].Key, t.jira.BrowseURL(before[0].Key))
	}
	if len(plan.missing) > 0 {
		if res := t.fillMissing(ctx, scr, &plan, fmt.Sprintf("%s in %s (%q)", typ.Name, project, a.Summary)); res != nil {
			return res, nil
		}
	}
	plan.fields["project"] = map[string]any{"key": project}
	plan.fields["issuetype"] = map[string]any{"id": typ.ID}
	created, verified, res, err := t.doCreate(ctx, project, typ, a.Summary, plan.fields, before)
	if res != nil || err != nil {
		return res, err
	}
	out := CreateResult{Key: created.Key, ID: created.ID, URL: t.jira.BrowseURL(created.Key), Project: project, IssueType: typ.Name, Summary: a.Summary, Verified: verified}
	if who, ok := plan.fields["assignee"].(map[string]any); ok {
		out.Assignee, _ = who["name"].(string)
	}
	return t.createdResult(ctx, out, plan.assignAfter), nil
}

// createPlan is what an issue will be created with.
type createPlan struct {
	fields      map[string]any // by field id, as Jira wants them
	missing     []string       // required fields left empty, by id
	assignAfter string         // a username to assign once created: the screen has no assignee
}

// givenField is a value the agent gave, and the argument it came in.
type givenField struct {
	arg   string // "components", "fields"...
	name  string // the field's id or name
	value any
}

// planCreate checks every value the agent gave against the create screen.
// All the problems are reported at once, since each costs the agent a call.
func (t *Toolset) planCreate(ctx context.Context, scr screen, a *createArgs) (createPlan, *mcp.CallToolResult, error) {
	plan := createPlan{fields: map[string]any{}}
	given, res, err := t.givenFields(ctx, scr, a)
	if res != nil || err != nil {
		return plan, res, err
	}
	var problems []string
	unknown := false
	for _, g := range given {
		id, f, prob := scr.find(g.name)
		switch {
		case prob != "" && g.arg == "assignee":
			plan.assignAfter = g.value.(string)
			continue
		case prob != "":
			problems, unknown = append(problems, g.arg+": "+prob), true
			continue
		case id == "project" || id == "issuetype":
			problems = append(problems, fmt.Sprintf("%s: pass %s as its own argument", g.arg, map[string]string{"project": "project", "issuetype": "issue_type"}[id]))
			continue
		case plan.fields[id] != nil:
			problems = append(problems, label(id, f)+" is given twice")
			continue
		}
		v, msg := valueFor(id, f, g.value)
		if msg != "" {
			problems = append(problems, label(id, f)+": "+msg)
			continue
		}
		if key := issueKeyIn(id, f, v); key != "" && !t.allowedKey(key) {
			return plan, errorResult(KindForbidden, fmt.Sprintf("%s %s is outside the projects jira-mcp may use (%s). Do not try another way; ask the user.", label(id, f), key, strings.Join(t.projects, ", "))), nil
		}
		plan.fields[id] = v
	}
	if len(problems) > 0 {
		msg := "Nothing was created: " + strings.Join(problems, "; ") + "."
		if unknown {
			msg += " " + scr.list("project", "issuetype")
		}
		return plan, errorResult(KindInvalidInput, msg), nil
	}
	for _, id := range scr.ids {
		if required(id, scr.fields[id]) && plan.fields[id] == nil {
			plan.missing = append(plan.missing, id)
		}
	}
	return plan, nil, nil
}

// givenFields lists the values the agent gave, each under the field it
// sets: the arguments first, then fields in name order.
func (t *Toolset) givenFields(ctx context.Context, scr screen, a *createArgs) ([]givenField, *mcp.CallToolResult, error) {
	given := []givenField{{"summary", "summary", a.Summary}}
	add := func(arg, name string, v any, set bool) {
		if set {
			given = append(given, givenField{arg, name, v})
		}
	}
	add("description", "description", a.Description, a.Description != "")
	add("priority", "priority", strings.TrimSpace(a.Priority), strings.TrimSpace(a.Priority) != "")
	add("labels", "labels", anyList(a.Labels), len(a.Labels) > 0)
	add("components", "components", anyList(a.Components), len(a.Components) > 0)
	add("fix_versions", "fixVersions", anyList(a.FixVersions), len(a.FixVersions) > 0)
	add("parent", "parent", strings.TrimSpace(a.Parent), strings.TrimSpace(a.Parent) != "")
	if epic := strings.TrimSpace(a.Epic); epic != "" {
		id := scr.withCustom(epicLinkType)
		if id == "" {
			return nil, errorResult(KindInvalidInput, fmt.Sprintf("Nothing was created: %s has no Epic Link field, so epic cannot be set. For a sub-task, pass parent instead.", scr.what)), nil
		}
		add("epic", id, epic, true)
	}
	if who := strings.TrimSpace(a.Assignee); who != "" {
		if strings.EqualFold(who, "me") {
			me, err := t.myName(ctx)
			if err != nil {
				res, gerr := failure(op{what: "read who you are (nothing was created)"}, err)
				return nil, res, gerr
			}
			who = me
		}
		add("assignee", "assignee", who, true)
	}
	for _, name := range sortedKeys(a.Fields) {
		add("fields", name, a.Fields[name], true)
	}
	return given, nil, nil
}

// withCustom finds the field of a custom type on the screen: Epic Link's
// id differs from one Jira to the next.
func (s screen) withCustom(custom string) string {
	for _, id := range s.ids {
		if s.fields[id].Schema.Custom == custom {
			return id
		}
	}
	return ""
}

func anyList(xs []string) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}

// issueKeyIn returns the issue key a parent or Epic Link value names.
func issueKeyIn(id string, f jira.TransitionField, v any) string {
	switch x := v.(type) {
	case string:
		if f.Schema.Custom == epicLinkType {
			return x
		}
	case map[string]any:
		if id == "parent" || f.Schema.Type == "issuelink" {
			k, _ := x["key"].(string)
			return k
		}
	}
	return ""
}

// filed is an issue the user filed lately.
type filed struct {
	ID, Key string
	created time.Time
}

// sameSummary returns the issues the user filed in project in the last 10
// minutes with this summary, newest first: a retry of a create looks like
// that, and so does the issue a create whose answer was lost made.
func (t *Toolset) sameSummary(ctx context.Context, project, summary string) ([]filed, error) {
	jql, err := scopeJQL(fmt.Sprintf(`project = "%s" AND reporter = currentUser() AND created >= -10m ORDER BY created DESC`, project), t.projects)
	if err != nil {
		return nil, err
	}
	res, err := t.jira.Search(ctx, jira.SearchRequest{JQL: jql, MaxResults: maxLimit, Fields: []string{"summary", "created"}})
	if err != nil {
		return nil, err
	}
	var out []filed
	for _, is := range res.Issues {
		if t.allowedKey(is.Key) && strings.TrimSpace(is.Fields.Summary) == summary {
			created, _ := jira.ParseTime(is.Fields.Created)
			out = append(out, filed{is.ID, is.Key, created})
		}
	}
	return out, nil
}

// doCreate posts the issue. When Jira's answer is lost, a search for the
// issue it may have made says whether it was made.
func (t *Toolset) doCreate(ctx context.Context, project string, typ jira.IssueType, summary string, fields map[string]any, before []filed) (*jira.CreatedIssue, bool, *mcp.CallToolResult, error) {
	write := op{what: fmt.Sprintf("create the %s in %s", typ.Name, project), write: true}
	c, err := t.jira.CreateIssue(ctx, jira.IssueUpdate{Fields: fields})
	if err == nil {
		return c, false, nil, nil
	}
	if !outcomeUnknown(ctx, err) {
		var ae *jira.APIError
		if errors.As(err, &ae) && ae.Status == 400 {
			t.forgetMeta(project, typ.ID) // the screen may have changed
		}
		res, gerr := failure(write, err)
		return nil, false, res, gerr
	}
	vctx, cancel := verifyContext(ctx)
	defer cancel()
	after, rerr := t.sameSummary(vctx, project, summary)
	if rerr != nil {
		res, gerr := failure(write, err)
		if res != nil {
			appendText(res, fmt.Sprintf(" Look for it with %s: project = %s AND reporter = currentUser() AND created >= -10m.", Search, project))
		}
		return nil, false, res, gerr
	}
	for _, is := range after {
		if !slices.ContainsFunc(before, func(b filed) bool { return b.Key == is.Key }) {
			return &jira.CreatedIssue{Key: is.Key, ID: is.ID}, true, nil, nil
		}
	}
	res, gerr := notMade(write, err, "searching for it finds no new issue with this summary")
	return nil, false, res, gerr
}

// createdResult answers a create, assigning the issue first when the
// create screen had no assignee to set.
func (t *Toolset) createdResult(ctx context.Context, out CreateResult, assignAfter string) *mcp.CallToolResult {
	text := fmt.Sprintf("Created %s (%s in %s): %s.", out.Key, out.IssueType, out.Project, out.URL)
	if out.Verified {
		text += " Jira's answer was lost; the issue was confirmed by searching for it. Do not create it again."
	}
	if out.Assignee != "" {
		text += " Assigned to " + out.Assignee + "."
	}
	if assignAfter != "" {
		if err := t.jira.Assign(ctx, out.Key, assignAfter); err != nil {
			res, gerr := failure(op{what: "assign " + out.Key, key: out.Key, write: true}, err)
			out.AssignError = "assigning it failed"
			if gerr == nil {
				out.AssignError = Text(res)
			}
			text += fmt.Sprintf(" It was created, but assigning it failed: %s Assign it with %s; do not create it again.", out.AssignError, AssignIssue)
		} else {
			out.Assignee = assignAfter
			text += " Assigned to " + assignAfter + "."
		}
	}
	return mcp.NewToolResultStructured(out, text)
}
