package tools

import (
	"encoding/json"

	"github.com/mark3labs/mcp-go/mcp"
)

// Descriptions say when to use each tool and stay short: tools/list lands in
// every conversation's context.

func searchTool() mcp.Tool {
	return mcp.NewTool(Search,
		mcp.WithToolTitle("Search Jira issues"),
		mcp.WithDescription("Find issues with JQL. One line per issue: key, status, summary, assignee, priority, updated. Use jira_get_issue for details."),
		annotations(true, false, true),
		mcp.WithString("jql", mcp.Required(), mcp.MinLength(1),
			mcp.Description(`JQL, e.g. assignee = currentUser() AND resolution IS EMPTY ORDER BY updated DESC`)),
		mcp.WithArray("fields", mcp.WithStringItems(),
			mcp.Description(`Extra fields to show, by id or name, e.g. ["Story Points","labels"]`)),
		mcp.WithInteger("limit", mcp.Min(1), mcp.Max(100), mcp.DefaultNumber(20), mcp.Description("Issues per page")),
		mcp.WithInteger("start_at", mcp.Min(0), mcp.DefaultNumber(0), mcp.Description("Offset; use next_start_at to page")),
		mcp.WithRawOutputSchema(json.RawMessage(`{"type":"object","properties":{"total":{"type":"integer"},"start_at":{"type":"integer"},"next_start_at":{"type":"integer"},"issues":{"type":"array","items":{"type":"object","required":["key","summary","status"]}}},"required":["total","start_at","issues"]}`)),
	)
}

func getIssueTool() mcp.Tool {
	return mcp.NewTool(GetIssue,
		mcp.WithToolTitle("Get a Jira issue"),
		mcp.WithDescription("Read one issue: fields, description and its newest comments."),
		annotations(true, false, true),
		mcp.WithString("issue_key", mcp.Required(), mcp.Description("e.g. PROJ-123")),
		mcp.WithArray("fields", mcp.WithStringItems(), mcp.Description("Extra fields, by id or name")),
		mcp.WithInteger("comment_limit", mcp.Min(0), mcp.Max(100), mcp.DefaultNumber(5), mcp.Description("Newest comments to include")),
		mcp.WithRawOutputSchema(json.RawMessage(`{"type":"object","properties":{"key":{"type":"string"},"summary":{"type":"string"},"status":{"type":"string"},"url":{"type":"string"},"comments_total":{"type":"integer"},"comments":{"type":"array"}},"required":["key","summary","status","url","comments"]}`)),
	)
}

func getTransitionsTool() mcp.Tool {
	return mcp.NewTool(GetTransitions,
		mcp.WithToolTitle("List workflow transitions"),
		mcp.WithDescription("List the transitions available on an issue now, with target status and required fields. Call before jira_transition_issue."),
		annotations(true, false, true),
		mcp.WithString("issue_key", mcp.Required(), mcp.Description("e.g. PROJ-123")),
		mcp.WithRawOutputSchema(json.RawMessage(`{"type":"object","properties":{"issue_key":{"type":"string"},"transitions":{"type":"array","items":{"type":"object","required":["id","name","to","required_fields"]}}},"required":["issue_key","transitions"]}`)),
	)
}

func transitionTool() mcp.Tool {
	return mcp.NewTool(Transition,
		mcp.WithToolTitle("Transition a Jira issue"),
		mcp.WithDescription("Move an issue through its workflow, optionally with a comment. If the transition is unavailable or a field is missing, the error lists what is available and required."),
		annotations(false, false, false),
		mcp.WithString("issue_key", mcp.Required(), mcp.Description("e.g. PROJ-123")),
		mcp.WithString("transition", mcp.Required(), mcp.Description("Transition id or name, or target status name")),
		mcp.WithString("comment", mcp.Description("Comment added with the transition")),
		mcp.WithString("resolution", mcp.Description("Resolution name, e.g. Done, when the transition asks for one")),
		mcp.WithObject("fields", mcp.Description(`Other screen fields by id or name, e.g. {"Story Points":3}`)),
		mcp.WithRawOutputSchema(json.RawMessage(`{"type":"object","properties":{"issue_key":{"type":"string"},"status":{"type":"string"},"transition":{"type":"string"}},"required":["issue_key","status"]}`)),
	)
}

func getCommentsTool() mcp.Tool {
	return mcp.NewTool(GetComments,
		mcp.WithToolTitle("Read issue comments"),
		mcp.WithDescription("Read an issue's comments, newest first, a page at a time."),
		annotations(true, false, true),
		mcp.WithString("issue_key", mcp.Required(), mcp.Description("e.g. PROJ-123")),
		mcp.WithInteger("limit", mcp.Min(1), mcp.Max(100), mcp.DefaultNumber(10), mcp.Description("Comments per page")),
		mcp.WithInteger("start_at", mcp.Min(0), mcp.DefaultNumber(0), mcp.Description("Offset")),
		mcp.WithRawOutputSchema(json.RawMessage(`{"type":"object","properties":{"issue_key":{"type":"string"},"total":{"type":"integer"},"start_at":{"type":"integer"},"next_start_at":{"type":"integer"},"comments":{"type":"array","items":{"type":"object","required":["id","author","created","body"]}}},"required":["issue_key","total","start_at","comments"]}`)),
	)
}

func addCommentTool() mcp.Tool {
	return mcp.NewTool(AddComment,
		mcp.WithToolTitle("Comment on a Jira issue"),
		mcp.WithDescription("Add a comment (Jira wiki markup) to an issue, optionally visible only to a group or project role. Never include secrets."),
		annotations(false, false, false),
		mcp.WithString("issue_key", mcp.Required(), mcp.Description("e.g. PROJ-123")),
		mcp.WithString("body", mcp.Required(), mcp.MinLength(1), mcp.Description("Comment text")),
		mcp.WithObject("visibility", mcp.Description("Restrict who can see it"),
			mcp.Properties(map[string]any{
				"type":  map[string]any{"type": "string", "enum": []string{"group", "role"}},
				"value": map[string]any{"type": "string", "description": "Group or role name"},
			}), mcp.AdditionalProperties(false), requiredProps("type", "value")),
		mcp.WithRawOutputSchema(json.RawMessage(`{"type":"object","properties":{"issue_key":{"type":"string"},"id":{"type":"string"},"url":{"type":"string"}},"required":["issue_key","id","url"]}`)),
	)
}

// requiredProps marks properties of an object argument as required.
func requiredProps(names ...string) mcp.PropertyOption {
	return func(schema map[string]any) { schema["required"] = names }
}
