package tools

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/jira-mcp/jira-mcp/tools/jira"
)

// Names of the workflow tools.
const (
	GetTransitions = "jira_get_transitions"
	Transition     = "jira_transition_issue"
)

func getTransitionsTool() Tool {
	return newTool(core,
		mcp.NewTool(GetTransitions,
			mcp.WithToolTitle("List workflow transitions"),
			mcp.WithDescription("List the transitions available on an issue now, with target status and required fields. Call before jira_transition_issue."),
			annotations(true, false, true),
			issueKeyArg(),
			outputSchema("issue_key", "transitions"),
		),
		CLI{Command: "transitions", Example: "jira-mcp transitions WEB-12", Args: []Arg{keyArg}},
		(*Toolset).getTransitions,
	)
}

func transitionTool() Tool {
	return newTool(core,
		mcp.NewTool(Transition,
			mcp.WithToolTitle("Transition a Jira issue"),
			mcp.WithDescription("Move an issue through its workflow, optionally with a comment. If the transition is unavailable or a field is missing, the error lists what is available and required."),
			annotations(false, false, false),
			issueKeyArg(),
			mcp.WithString("transition", mcp.Required(), mcp.Description("Transition id or name, or target status name")),
			mcp.WithString("comment", mcp.MaxLength(maxTextLength), mcp.Description("Comment added with the transition")),
			formatArg(),
			mcp.WithString("resolution", mcp.Description("Resolution name, e.g. Done, when the transition asks for one")),
			mcp.WithObject("fields", mcp.Description(`Other screen fields by id or name, e.g. {"Story Points":3}`)),
			outputSchema("issue_key", "status"),
		),
		CLI{
			Command: "transition", Example: "jira-mcp transition WEB-12 Done --resolution Fixed --comment \"Shipped in 2.4.\"",
			Args: []Arg{keyArg, {"transition", "TO"}}, Stdin: []string{"comment"},
			Long: "TO is a transition id or name, or the target status name.",
		},
		(*Toolset).transition,
	)
}

// FieldNeed is a field a transition's screen requires.
type FieldNeed struct {
	ID            string   `json:"id"`
	Name          string   `json:"name"`
	AllowedValues []string `json:"allowed_values,omitempty"`
}

// TransitionView is one available transition.
type TransitionView struct {
	ID             string      `json:"id"`
	Name           string      `json:"name"`
	To             string      `json:"to"`
	RequiredFields []FieldNeed `json:"required_fields"`
	OptionalFields []string    `json:"optional_fields,omitempty"`
}

// TransitionsResult is jira_get_transitions' structured content.
type TransitionsResult struct {
	IssueKey    string           `json:"issue_key"`
	Transitions []TransitionView `json:"transitions"`
}

type issueKeyArgs struct {
	IssueKey string `json:"issue_key"`
}

func (t *Toolset) getTransitions(ctx context.Context, a *issueKeyArgs) (*mcp.CallToolResult, error) {
	key, err := jira.NormalizeKey(a.IssueKey)
	if err != nil {
		return failure(op{}, err)
	}
	trs, err := t.jira.Transitions(ctx, key)
	if err != nil {
		return failure(op{what: "read the transitions of " + key, key: key}, err)
	}
	out := TransitionsResult{IssueKey: key, Transitions: make([]TransitionView, 0, len(trs))}
	for _, tr := range trs {
		out.Transitions = append(out.Transitions, transitionView(tr))
	}
	return mcp.NewToolResultStructured(out, transitionsText(key, out.Transitions)), nil
}

func transitionView(tr jira.Transition) TransitionView {
	v := TransitionView{ID: tr.ID, Name: tr.Name, To: tr.To.Name, RequiredFields: []FieldNeed{}}
	for _, id := range sortedKeys(tr.Fields) {
		f := tr.Fields[id]
		if f.Required && !f.HasDefaultValue {
			v.RequiredFields = append(v.RequiredFields, FieldNeed{ID: id, Name: f.Name, AllowedValues: allowed(f)})
		} else {
			v.OptionalFields = append(v.OptionalFields, f.Name)
		}
	}
	return v
}

func transitionsText(key string, trs []TransitionView) string {
	if len(trs) == 0 {
		return key + ": no transitions are available to you now (the issue may be in a final status, or you lack permission)."
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d transitions (id name -> status)", key, len(trs))
	for _, tr := range trs {
		fmt.Fprintf(&b, "\n%s %s -> %s", tr.ID, tr.Name, tr.To)
		if len(tr.RequiredFields) > 0 {
			b.WriteString("; requires ")
			b.WriteString(needsText(tr.RequiredFields))
		}
	}
	return b.String()
}

func needsText(needs []FieldNeed) string {
	parts := make([]string, len(needs))
	for i, n := range needs {
		parts[i] = n.Name
		if n.ID != n.Name && !strings.EqualFold(n.ID, n.Name) {
			parts[i] += " (" + n.ID + ")"
		}
		if len(n.AllowedValues) > 0 {
			parts[i] += ": " + strings.Join(n.AllowedValues, ", ")
		}
	}
	return strings.Join(parts, "; ")
}

// allowed lists a field's allowed values by the name an agent would type.
func allowed(f jira.TransitionField) []string {
	var out []string
	for _, raw := range f.AllowedValues {
		if s := text(simplify(raw)); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

type transitionArgs struct {
	IssueKey   string         `json:"issue_key"`
	Transition string         `json:"transition"`
	Comment    string         `json:"comment"`
	Resolution string         `json:"resolution"`
	Fields     map[string]any `json:"fields"`
	Format     string         `json:"format"`
}

// TransitionResult is jira_transition_issue's structured content.
type TransitionResult struct {
	IssueKey     string `json:"issue_key"`
	Status       string `json:"status"`
	Transition   string `json:"transition"`
	Commented    bool   `json:"commented,omitempty"`
	CommentError string `json:"comment_error,omitempty"`
	Verified     bool   `json:"verified,omitempty"` // Jira's answer was lost; the status was read back
}

func (t *Toolset) transition(ctx context.Context, a *transitionArgs) (*mcp.CallToolResult, error) {
	key, err := jira.NormalizeKey(a.IssueKey)
	if err != nil {
		return failure(op{}, err)
	}
	want := strings.TrimSpace(a.Transition)
	if want == "" {
		return inputError("transition is required: a transition id or name, or the target status. List them with %s.", GetTransitions)
	}
	var comment *jira.CommentInput
	if a.Comment != "" {
		var msg string
		if comment, msg = commentInput(a.Comment, nil); msg != "" {
			return inputError("%s", msg)
		}
		comment.Body, _ = t.wikiText(ctx, comment.Body, a.Format)
	}
	trs, err := t.jira.Transitions(ctx, key)
	if err != nil {
		return failure(op{what: "read the transitions of " + key, key: key}, err)
	}
	tr, msg := pickTransition(trs, want)
	if msg != "" {
		return inputError("%s %s", msg, availableText(trs))
	}
	fields, msg := t.screenFields(ctx, tr, a.Fields, a.Resolution)
	if msg != "" {
		return inputError("%s", msg)
	}
	before, err := t.status(ctx, key)
	if err != nil {
		return failure(op{what: "read the status of " + key, key: key}, err)
	}
	// Jira keeps a comment sent with a transition only when the transition
	// has a screen; for a screenless one it answers 204 and drops it. Such
	// a comment is added on its own, once the transition is confirmed.
	inline := comment
	if len(tr.Fields) == 0 {
		inline = nil
	}
	status, verified, res, err := t.doTransition(ctx, key, tr, jira.TransitionRequest{ID: tr.ID, Fields: fields, Comment: inline}, before)
	if res != nil || err != nil {
		return res, err
	}
	var commentNote string
	if comment != nil && inline == nil {
		if _, err := t.jira.AddComment(ctx, key, *comment); err != nil {
			res, gerr := failure(op{what: "comment on " + key, key: key, write: true}, err)
			if gerr != nil {
				return nil, gerr
			}
			commentNote = Text(res)
		}
	}
	out := TransitionResult{IssueKey: key, Status: status, Transition: tr.Name, Commented: comment != nil && commentNote == "", Verified: verified}
	text := fmt.Sprintf("%s is now %s (transition %q).", key, status, tr.Name)
	if verified {
		text += " Jira's answer was lost; the new status was confirmed by reading it back. Do not repeat the transition."
	}
	switch {
	case commentNote != "":
		out.CommentError = commentNote
		text += fmt.Sprintf(" The transition is done, but adding the comment failed: %s Do not repeat the transition; if the comment is missing, add it with %s.", commentNote, AddComment)
	case comment != nil:
		text += " Comment added."
	}
	return mcp.NewToolResultStructured(out, text), nil
}

// doTransition posts the transition and reads the status back, which is
// what the agent is told: post-functions can move an issue further than
// the transition's target, and a proxy can answer 2xx for a transition
// Jira never made. When Jira's answer is lost, the status read back says
// whether it was made. It returns the status, whether the answer was lost
// and confirmed, or the result to give instead.
func (t *Toolset) doTransition(ctx context.Context, key string, tr *jira.Transition, req jira.TransitionRequest, before string) (string, bool, *mcp.CallToolResult, error) {
	write := op{what: fmt.Sprintf("transition %s with %q", key, tr.Name), key: key, write: true}
	err := t.jira.DoTransition(ctx, key, req)
	if err != nil && !outcomeUnknown(ctx, err) {
		res, gerr := transitionFailure(write, err, tr)
		return "", false, res, gerr
	}
	rctx := ctx
	if err != nil {
		var cancel context.CancelFunc
		rctx, cancel = verifyContext(ctx)
		defer cancel()
	}
	after, rerr := t.status(rctx, key)
	unmoved := after == before && before != tr.To.Name
	var res *mcp.CallToolResult
	var gerr error
	switch {
	case rerr != nil && err != nil:
		res, gerr = failure(write, err) // unknown, and failure says so
	case rerr != nil:
		after = tr.To.Name // Jira said it was done; the read-back failed
	case unmoved && err != nil:
		res, gerr = notMade(write, err, fmt.Sprintf("%s is still %s", key, before))
	case unmoved:
		res = errorResult(KindJira, fmt.Sprintf("Jira answered that %s was transitioned with %q, but it is still %s: the transition did not happen (a proxy may have answered for Jira, or a workflow condition undid it). Check with %s before trying again.", key, tr.Name, before, GetTransitions))
	}
	return after, err != nil, res, gerr
}

// transitionFailure says why a transition was refused, with what its
// screen requires when Jira refused a field.
func transitionFailure(write op, err error, tr *jira.Transition) (*mcp.CallToolResult, error) {
	res, gerr := failure(write, err)
	var ae *jira.APIError
	if res != nil && res.IsError && errors.As(err, &ae) && ae.Status == 400 && len(ae.Errors) > 0 {
		if needs := transitionView(*tr).RequiredFields; len(needs) > 0 {
			appendText(res, " This transition requires: "+needsText(needs)+".")
		}
	}
	return res, gerr
}

// status reads an issue's status.
func (t *Toolset) status(ctx context.Context, key string) (string, error) {
	is, err := t.jira.GetIssue(ctx, key, []string{"status"}, nil)
	if err != nil {
		return "", err
	}
	return is.Fields.Status.Name, nil
}

func appendText(r *mcp.CallToolResult, s string) {
	if len(r.Content) > 0 {
		if tc, ok := mcp.AsTextContent(r.Content[0]); ok {
			tc.Text += s
			r.Content[0] = *tc
		}
	}
}

// pickTransition matches an id, then a transition name, then a target
// status name, case-insensitively. Two transitions reaching the same
// status by name are ambiguous: the agent must choose.
func pickTransition(trs []jira.Transition, want string) (*jira.Transition, string) {
	for i := range trs {
		if trs[i].ID == want {
			return &trs[i], ""
		}
	}
	for i := range trs {
		if strings.EqualFold(trs[i].Name, want) {
			return &trs[i], ""
		}
	}
	var hits []int
	for i := range trs {
		if strings.EqualFold(trs[i].To.Name, want) {
			hits = append(hits, i)
		}
	}
	switch len(hits) {
	case 1:
		return &trs[hits[0]], ""
	case 0:
		return nil, fmt.Sprintf("No transition %q is available now.", want)
	}
	return nil, fmt.Sprintf("Several transitions lead to %q; pass one by id.", want)
}

func availableText(trs []jira.Transition) string {
	if len(trs) == 0 {
		return "No transitions are available to you on this issue now."
	}
	parts := make([]string, len(trs))
	for i, tr := range trs {
		parts[i] = fmt.Sprintf("%s %q -> %s", tr.ID, tr.Name, tr.To.Name)
	}
	return "Available: " + strings.Join(parts, "; ") + "."
}

// screenFields builds the transition's "fields" from the agent's fields
// and resolution, checks them against the transition's screen and turns
// plain names into the objects Jira expects. It returns a message when
// something is missing or unknown.
func (t *Toolset) screenFields(ctx context.Context, tr *jira.Transition, given map[string]any, resolution string) (map[string]any, string) {
	out := map[string]any{}
	screen := tr.Fields
	for name, v := range given {
		id, f, ok := screenField(screen, name)
		if !ok {
			return nil, fmt.Sprintf("Field %q is not on the screen of transition %q. %s", name, tr.Name, screenText(screen))
		}
		val, msg := fieldValue(f, v)
		if msg != "" {
			return nil, fmt.Sprintf("%s (%s): %s", f.Name, id, msg)
		}
		out[id] = val
	}
	if r := strings.TrimSpace(resolution); r != "" {
		f, ok := screen["resolution"]
		if !ok {
			return nil, fmt.Sprintf("Transition %q does not take a resolution. %s", tr.Name, screenText(screen))
		}
		val, msg := fieldValue(f, r)
		if msg != "" {
			return nil, "resolution: " + msg
		}
		out["resolution"] = val
	}
	var missing []FieldNeed
	for _, need := range transitionView(*tr).RequiredFields {
		if _, ok := out[need.ID]; !ok {
			missing = append(missing, need)
		}
	}
	if len(missing) > 0 {
		hint := "pass them in fields"
		if len(missing) == 1 && missing[0].ID == "resolution" {
			hint = "pass resolution"
		}
		return nil, fmt.Sprintf("Transition %q requires %s; %s.", tr.Name, needsText(missing), hint)
	}
	if len(out) == 0 {
		return nil, ""
	}
	return out, ""
}

func screenField(screen map[string]jira.TransitionField, name string) (string, jira.TransitionField, bool) {
	if m := cfRE.FindStringSubmatch(name); m != nil {
		name = "customfield_" + m[1]
	}
	if f, ok := screen[name]; ok {
		return name, f, true
	}
	for id, f := range screen {
		if strings.EqualFold(id, name) || strings.EqualFold(f.Name, name) {
			return id, f, true
		}
	}
	return "", jira.TransitionField{}, false
}

func screenText(screen map[string]jira.TransitionField) string {
	if len(screen) == 0 {
		return "It has no screen fields."
	}
	var parts []string
	for _, id := range sortedKeys(screen) {
		parts = append(parts, fmt.Sprintf("%s (%s)", screen[id].Name, id))
	}
	return "Its screen has: " + strings.Join(parts, ", ") + "."
}

// fieldValue shapes a value the way Jira's REST API wants it for the
// field's type: {"name":...} for resolutions, priorities, users, versions
// and components; {"value":...} for options; numbers as numbers. Values
// with allowed values are checked and their case corrected.
func fieldValue(f jira.TransitionField, v any) (any, string) {
	if _, ok := v.(map[string]any); ok {
		return v, "" // already in Jira's shape: the agent knows best
	}
	typ, items := f.Schema.Type, f.Schema.Items
	if typ == "array" {
		list, ok := v.([]any)
		if !ok {
			list = []any{v}
		}
		out := make([]any, 0, len(list))
		for _, e := range list {
			ev, msg := scalarValue(f, items, e)
			if msg != "" {
				return nil, msg
			}
			out = append(out, ev)
		}
		return out, ""
	}
	if list, ok := v.([]any); ok { // a list for a single-value field
		if len(list) != 1 {
			return nil, fmt.Sprintf("takes one value, not %d", len(list))
		}
		v = list[0]
	}
	return scalarValue(f, typ, v)
}

func scalarValue(f jira.TransitionField, typ string, v any) (any, string) {
	s, isString := v.(string)
	switch typ {
	case "number":
		if isString {
			n, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
			if err != nil {
				return nil, fmt.Sprintf("%q is not a number", s)
			}
			return n, ""
		}
		return v, ""
	case "option", "resolution", "priority", "version", "component", "user", "issuetype", "securitylevel", "group":
		if !isString {
			return v, ""
		}
		if vals := allowed(f); len(vals) > 0 {
			match := ""
			for _, a := range vals {
				if strings.EqualFold(a, strings.TrimSpace(s)) {
					match = a
					break
				}
			}
			if match == "" {
				return nil, fmt.Sprintf("%q is not allowed; use one of: %s", s, strings.Join(vals, ", "))
			}
			s = match
		}
		if typ == "option" {
			return map[string]any{"value": s}, ""
		}
		return map[string]any{"name": s}, ""
	}
	return v, ""
}
