package tools

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// When a create screen requires fields the agent did not give, and the
// client can show a form (MCP elicitation, form mode), jira_create_issue
// asks the user for them, with the allowed values as choices, rather than
// fail: the user knows which component a bug belongs to better than an
// agent guessing from names. Declining creates nothing.
//
// The question goes out the way mcp-go's multi round-trip requests do
// (SEP-2322): the tool answers "input required" with the form; a client
// on protocol 2026-07-28 shows it and calls the tool again with the
// answer, and for older clients mcp-go asks with elicitation/create and
// calls the handler again itself. Either way the handler runs twice, the
// second time with the answer in the request.

// KindDeclined is the error kind of a write the user declined to complete
// when asked (nothing was made).
const KindDeclined = "declined"

// elicitMissing names the form in the input requests.
const elicitMissing = "missing_fields"

// maxChoices is the most allowed values a form offers as a list; a field
// with more is left to the agent.
const maxChoices = 100

type roundTripKey struct{}

// withRoundTrips hands the tool's handler the answers of a multi
// round-trip request, through its context.
func withRoundTrips(tl Tool) Tool {
	run := tl.run
	tl.run = func(t *Toolset, ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		return run(t, context.WithValue(ctx, roundTripKey{}, req.Params.MultiRoundTripParams), req)
	}
	return tl
}

func roundTrip(ctx context.Context) mcp.MultiRoundTripParams {
	rt, _ := ctx.Value(roundTripKey{}).(mcp.MultiRoundTripParams)
	return rt
}

// canAskUser reports whether the call came from an MCP client that can
// show a form: it declared elicitation, in form mode (an empty
// elicitation capability means form).
func canAskUser(ctx context.Context) bool {
	if server.ServerFromContext(ctx) == nil {
		return false // the CLI twin
	}
	var caps *mcp.ClientCapabilities
	if info := server.RequestProtocolInfoFromContext(ctx); info != nil && info.Modern {
		caps = info.ClientCapabilities
	} else if s, ok := server.ClientSessionFromContext(ctx).(server.SessionWithClientInfo); ok {
		c := s.GetClientCapabilities()
		caps = &c
	}
	return caps != nil && caps.Elicitation != nil && (caps.Elicitation.Form != nil || caps.Elicitation.URL == nil)
}

// fillMissing fills the plan's missing required fields from the user's
// answer, or returns the result to give instead: the form to show, the
// user's refusal, or the list of what is missing for the agent.
func (t *Toolset) fillMissing(ctx context.Context, scr screen, plan *createPlan, what string) *mcp.CallToolResult {
	state := "missing:" + strings.Join(plan.missing, ",")
	rt := roundTrip(ctx)
	if answer := server.ElicitationResponse(rt.InputResponses, elicitMissing); answer != nil && rt.RequestState == state {
		if answer.Action != mcp.ElicitationResponseActionAccept {
			return errorResult(KindDeclined, fmt.Sprintf("The user declined to fill in %s, so nothing was created. Do not retry unless the user asks to.", fieldLabels(scr, plan.missing)))
		}
		return fillFromAnswer(scr, plan, answer.Content)
	}
	if schema, ok := formFor(scr, plan.missing); ok && canAskUser(ctx) {
		msg := fmt.Sprintf("Jira needs %s to create the %s. Choose them, or decline to create nothing.", fieldLabels(scr, plan.missing), what)
		return server.NewInputRequestBuilder(state).
			Elicit(elicitMissing, mcp.ElicitationParams{Mode: mcp.ElicitationModeForm, Message: msg, RequestedSchema: schema}).
			ToolResult()
	}
	needs := make([]FieldNeed, len(plan.missing))
	for i, id := range plan.missing {
		f := scr.fields[id]
		needs[i] = FieldNeed{ID: id, Name: f.Name, AllowedValues: cut(allowed(f))}
	}
	return errorResult(KindInvalidInput, fmt.Sprintf("Nothing was created: %s requires %s. Pass them (components, fix_versions and the like, or fields by name) and call again.", scr.what, needsText(needs)))
}

func cut(vals []string) []string {
	if len(vals) > shownValues {
		return append(vals[:shownValues:shownValues], fmt.Sprintf("… %d more", len(vals)-shownValues))
	}
	return vals
}

func fieldLabels(scr screen, ids []string) string {
	names := make([]string, len(ids))
	for i, id := range ids {
		names[i] = scr.fields[id].Name
	}
	return strings.Join(names, ", ")
}

// formFor builds the form asking for fields: a list to choose from for a
// field with allowed values, a text or a number for the others. ok is
// false when a field cannot be asked for in a form.
func formFor(scr screen, ids []string) (map[string]any, bool) {
	props := map[string]any{}
	for _, id := range ids {
		f := scr.fields[id]
		p := map[string]any{"title": f.Name}
		vals := allowed(f)
		switch {
		case len(vals) > maxChoices:
			return nil, false
		case len(vals) > 0 && f.Schema.Type == "array":
			p["type"], p["items"], p["minItems"] = "array", map[string]any{"type": "string", "enum": vals}, 1
		case len(vals) > 0:
			p["type"], p["enum"] = "string", vals
		case f.Schema.Type == "number":
			p["type"] = "number"
		case f.Schema.Type == "date":
			p["type"], p["format"] = "string", "date"
		case f.Schema.Type == "string" || f.Schema.Type == "user" || f.Schema.Type == "issuelink" || f.Schema.Custom == epicLinkType:
			p["type"], p["description"] = "string", typeName(f)
		default:
			return nil, false
		}
		props[id] = p
	}
	return map[string]any{"type": "object", "properties": props, "required": ids}, true
}

// fillFromAnswer checks the user's answers as it checks the agent's, and
// puts them in the plan; it returns a result when one does not do.
func fillFromAnswer(scr screen, plan *createPlan, content any) *mcp.CallToolResult {
	raw, _ := json.Marshal(content)
	var got map[string]any
	json.Unmarshal(raw, &got)
	var problems []string
	for _, id := range plan.missing {
		f := scr.fields[id]
		v, ok := got[id]
		if !ok || v == nil || v == "" {
			problems = append(problems, label(id, f)+" was left empty")
			continue
		}
		val, msg := valueFor(id, f, v)
		if msg != "" {
			problems = append(problems, label(id, f)+": "+msg)
			continue
		}
		plan.fields[id] = val
	}
	if len(problems) > 0 {
		return errorResult(KindInvalidInput, "Nothing was created: the user's answer does not do: "+strings.Join(problems, "; ")+".")
	}
	plan.missing = nil
	return nil
}
