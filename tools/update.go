package tools

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/jira-mcp/jira-mcp/tools/jira"
)

// UpdateIssue is jira_update_issue's name.
const UpdateIssue = "jira_update_issue"

func updateIssueTool() Tool {
	return newTool(issues,
		mcp.NewTool(UpdateIssue,
			mcp.WithToolTitle("Update a Jira issue"),
			mcp.WithDescription("Change an issue's fields. Checks the edit screen first; answers what changed."),
			annotations(false, false, false),
			issueKeyArg(),
			mcp.WithString("summary", mcp.MinLength(1), mcp.MaxLength(255)),
			mcp.WithString("description", mcp.MaxLength(maxTextLength)),
			formatArg(),
			mcp.WithObject("fields", mcp.Description(`By name or id; null clears`)),
			mcp.WithArray("labels_add", mcp.WithStringItems()),
			mcp.WithArray("labels_remove", mcp.WithStringItems()),
			mcp.WithArray("components_add", mcp.WithStringItems()),
			mcp.WithArray("components_remove", mcp.WithStringItems()),
			outputSchema("issue_key", "changes"),
		),
		CLI{
			Command: "update", Args: []Arg{keyArg}, Stdin: []string{"description"},
			Long: "--field NAME=VALUE sets a field of the edit screen, by name or id; --labels-add, --labels-remove, --components-add and --components-remove change those lists.",
		},
		(*Toolset).updateIssue,
	)
}

type updateArgs struct {
	IssueKey         string         `json:"issue_key"`
	Summary          *string        `json:"summary"`
	Description      *string        `json:"description"`
	Format           string         `json:"format"`
	Fields           map[string]any `json:"fields"`
	LabelsAdd        []string       `json:"labels_add"`
	LabelsRemove     []string       `json:"labels_remove"`
	ComponentsAdd    []string       `json:"components_add"`
	ComponentsRemove []string       `json:"components_remove"`
}

// FieldChange is one field an update changed.
type FieldChange struct {
	Field string `json:"field"` // its name
	ID    string `json:"id"`
	From  any    `json:"from"`
	To    any    `json:"to"`
}

// UpdateResult is jira_update_issue's structured content.
type UpdateResult struct {
	IssueKey string        `json:"issue_key"`
	URL      string        `json:"url"`
	Changes  []FieldChange `json:"changes"`
	Verified bool          `json:"verified,omitempty"` // Jira's answer was lost; the change was read back
}

func (t *Toolset) updateIssue(ctx context.Context, a *updateArgs) (*mcp.CallToolResult, error) {
	key, err := jira.NormalizeKey(a.IssueKey)
	if err != nil {
		return failure(op{}, err)
	}
	all, _ := json.Marshal(a)
	if what := credentialIn(string(all)); what != "" {
		return inputError("The update seems to contain a credential (%s). Remove it: secrets must never be posted to Jira.", what)
	}
	if a.Description != nil && *a.Description != "" {
		*a.Description, a.Format = t.wikiText(ctx, *a.Description, a.Format)
	}
	edit, err := t.jira.EditFields(ctx, key)
	if err != nil {
		return failure(op{what: "read the edit screen of " + key, key: key}, err)
	}
	scr := editScreen("the edit screen of "+key, edit)
	if len(scr.ids) == 0 {
		return errorResult(KindForbidden, fmt.Sprintf("You may not edit %s: Jira lists no field you may change (Edit Issues permission). Tell the user; do not try another way.", key)), nil
	}
	body, touched, res := t.planUpdate(scr, a)
	if res != nil {
		return res, nil
	}
	before, err := t.fieldValues(ctx, key, touched)
	if err != nil {
		return failure(op{what: "read " + key + " (nothing was changed)", key: key}, err)
	}
	out := UpdateResult{IssueKey: key, URL: t.jira.BrowseURL(key), Changes: []FieldChange{}}
	write := op{what: "update " + key, key: key, write: true}
	if err := t.jira.EditIssue(ctx, key, body); err != nil {
		if !outcomeUnknown(ctx, err) {
			return failure(write, err)
		}
		vctx, cancel := verifyContext(ctx)
		defer cancel()
		after, rerr := t.fieldValues(vctx, key, touched)
		switch {
		case rerr != nil:
			return failure(write, err)
		case reflect.DeepEqual(after, before):
			return notMade(write, err, "its fields read back unchanged")
		}
		out.Verified = true
	}
	after, err := t.fieldValues(ctx, key, touched)
	if err != nil {
		return mcp.NewToolResultStructured(out, fmt.Sprintf("Updated %s, but reading it back failed, so what changed is unknown: %s", key, out.URL)), nil
	}
	for _, id := range touched {
		if !reflect.DeepEqual(before[id], after[id]) {
			out.Changes = append(out.Changes, FieldChange{Field: scr.fields[id].Name, ID: id, From: before[id], To: after[id]})
		}
	}
	return mcp.NewToolResultStructured(out, updateText(out)), nil
}

// planUpdate checks the agent's changes against the edit screen and
// builds the request: values in fields, additions and removals in update.
// It returns the fields touched, or the result listing every problem.
func (t *Toolset) planUpdate(scr screen, a *updateArgs) (jira.IssueUpdate, []string, *mcp.CallToolResult) {
	p := &updatePlan{t: t, scr: scr, body: jira.IssueUpdate{Fields: map[string]any{}, Update: map[string][]map[string]any{}}}
	if a.Summary != nil {
		p.set("summary", "summary", strings.TrimSpace(*a.Summary))
	}
	if a.Description != nil {
		p.set("description", "description", *a.Description)
	}
	for _, name := range sortedKeys(a.Fields) {
		p.set("fields", name, a.Fields[name])
	}
	p.change("labels_add", "labels", "add", a.LabelsAdd)
	p.change("labels_remove", "labels", "remove", a.LabelsRemove)
	p.change("components_add", "components", "add", a.ComponentsAdd)
	p.change("components_remove", "components", "remove", a.ComponentsRemove)
	for id := range p.body.Update {
		if _, both := p.body.Fields[id]; both {
			p.problems = append(p.problems, label(id, scr.fields[id])+" is both set and changed: do one or the other")
		}
	}
	switch {
	case len(p.problems) > 0:
		msg := "Nothing was changed: " + strings.Join(p.problems, "; ") + "."
		if p.unknown {
			msg += " " + scr.list()
		}
		return p.body, nil, errorResult(KindInvalidInput, msg)
	case len(p.touched) == 0:
		return p.body, nil, errorResult(KindInvalidInput, "Nothing to change: pass summary, description, fields, labels_add, labels_remove, components_add or components_remove.")
	}
	return p.body, p.touched, nil
}

// updatePlan gathers an update's request, the fields it touches and its
// problems.
type updatePlan struct {
	t                 *Toolset
	scr               screen
	body              jira.IssueUpdate
	touched, problems []string
	unknown           bool // a field is not on the screen
}

// field finds a field the agent named, noting it touched.
func (p *updatePlan) field(arg, name string) (string, jira.TransitionField, bool) {
	id, f, prob := p.scr.find(name)
	if prob != "" {
		p.problems, p.unknown = append(p.problems, arg+": "+prob), true
		return "", f, false
	}
	if !slices.Contains(p.touched, id) {
		p.touched = append(p.touched, id)
	}
	return id, f, true
}

// set sets a field to v; nil clears it.
func (p *updatePlan) set(arg, name string, v any) {
	id, f, ok := p.field(arg, name)
	switch {
	case !ok:
		return
	case v == nil && required(id, f):
		p.problems = append(p.problems, label(id, f)+" is required: it cannot be cleared")
		return
	case v == nil:
		p.body.Fields[id] = nil
		return
	}
	val, msg := valueFor(id, f, v)
	switch key := issueKeyIn(id, f, val); {
	case msg != "":
		p.problems = append(p.problems, label(id, f)+": "+msg)
	case key != "" && !p.t.allowedKey(key):
		p.problems = append(p.problems, fmt.Sprintf("%s: %s is outside the projects jira-mcp may use", label(id, f), key))
	default:
		p.body.Fields[id] = val
	}
}

// change adds or removes values of a list field, one operation each.
func (p *updatePlan) change(arg, name, verb string, vals []string) {
	if len(vals) == 0 {
		return
	}
	id, f, ok := p.field(arg, name)
	if !ok {
		return
	}
	if !slices.Contains(f.Operations, verb) {
		p.problems = append(p.problems, fmt.Sprintf("%s: %s takes no %s (Jira allows %s)", arg, label(id, f), verb, strings.Join(f.Operations, ", ")))
		return
	}
	for _, v := range vals {
		val, msg := valueFor(id, f, v)
		if msg != "" {
			p.problems = append(p.problems, label(id, f)+": "+msg)
			continue
		}
		if list, isList := val.([]any); isList && len(list) == 1 {
			val = list[0] // one value of the list, as an operation takes it
		}
		p.body.Update[id] = append(p.body.Update[id], map[string]any{verb: val})
	}
}

// fieldValues reads fields of an issue, simplified.
func (t *Toolset) fieldValues(ctx context.Context, key string, ids []string) (map[string]any, error) {
	is, err := t.jira.GetIssue(ctx, key, ids, nil, ids...)
	if err != nil {
		return nil, err
	}
	out := make(map[string]any, len(ids))
	for _, id := range ids {
		out[id] = simplify(is.Raw(id))
	}
	return out, nil
}

func updateText(out UpdateResult) string {
	if len(out.Changes) == 0 {
		return fmt.Sprintf("Jira accepted the update of %s, but no field changed: they already had those values. %s", out.IssueKey, out.URL)
	}
	parts := make([]string, len(out.Changes))
	for i, c := range out.Changes {
		from, to := c.From, c.To
		if fl, ok := from.([]any); ok || isList(to) {
			tl, _ := to.([]any)
			parts[i] = c.Field + ": " + listDiff(fl, tl)
			continue
		}
		parts[i] = fmt.Sprintf("%s: %s -> %s", c.Field, shown(from), shown(to))
	}
	text := fmt.Sprintf("Updated %s (%s): %s.", out.IssueKey, out.URL, strings.Join(parts, "; "))
	if out.Verified {
		text += " Jira's answer was lost; the change was confirmed by reading the issue back. Do not repeat it."
	}
	return text
}

func isList(v any) bool {
	_, ok := v.([]any)
	return ok
}

// listDiff shows what a list gained and lost: "+react -tech-debt".
func listDiff(from, to []any) string {
	var parts []string
	for _, x := range to {
		if !slices.Contains(from, x) {
			parts = append(parts, "+"+text(x))
		}
	}
	for _, x := range from {
		if !slices.Contains(to, x) {
			parts = append(parts, "-"+text(x))
		}
	}
	return strings.Join(parts, " ")
}

func shown(v any) string {
	if v == nil {
		return "(none)"
	}
	return fmt.Sprintf("%q", truncate(text(v), 80))
}
