package tools

import (
	"context"
	"fmt"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/jira-mcp/jira-mcp/tools/jira"
)

// Names of the tools about people.
const (
	AssignIssue = "jira_assign_issue"
	FindUsers   = "jira_find_users"
)

func assignIssueTool() Tool {
	return newTool(issues,
		mcp.NewTool(AssignIssue,
			mcp.WithToolTitle("Assign a Jira issue"),
			mcp.WithDescription(`Assign an issue to a user, or unassign it. An unknown or unassignable user is refused with close matches.`),
			annotations(false, false, false),
			issueKeyArg(),
			mcp.WithString("assignee", mcp.Required(), mcp.MaxLength(255), mcp.Description(`Username, "me", or "" to unassign`)),
			outputSchema("issue_key", "assignee"),
		),
		CLI{Command: "assign", Args: []Arg{keyArg, {"assignee", "USER"}}, Long: `USER is a username, "me", or "" to unassign.`},
		(*Toolset).assignIssue,
	)
}

func findUsersTool() Tool {
	return newTool(issues,
		mcp.NewTool(FindUsers,
			mcp.WithToolTitle("Find Jira users"),
			mcp.WithDescription("Find usernames by the start of a username or name; with issue_key, only those who may be assigned it."),
			annotations(true, false, true),
			mcp.WithString("query", mcp.Required(), mcp.MinLength(1), mcp.MaxLength(100)),
			mcp.WithString("issue_key"),
			outputSchema("users"),
		),
		CLI{Command: "users", Args: []Arg{{"query", "QUERY"}}, Long: "QUERY is the start of a username or a name. With --issue-key, only the users who may be assigned that issue."},
		(*Toolset).findUsers,
	)
}

// userLimit is how many users a lookup returns.
const userLimit = 20

type assignArgs struct {
	IssueKey string `json:"issue_key"`
	Assignee string `json:"assignee"`
}

// AssignResult is jira_assign_issue's structured content.
type AssignResult struct {
	IssueKey     string `json:"issue_key"`
	Assignee     string `json:"assignee"` // "" when unassigned
	AssigneeName string `json:"assignee_name,omitempty"`
	Verified     bool   `json:"verified,omitempty"` // Jira's answer was lost; the assignee was read back
}

func (t *Toolset) assignIssue(ctx context.Context, a *assignArgs) (*mcp.CallToolResult, error) {
	key, err := jira.NormalizeKey(a.IssueKey)
	if err != nil {
		return failure(op{}, err)
	}
	out := AssignResult{IssueKey: key, Assignee: strings.TrimSpace(a.Assignee)}
	if strings.EqualFold(out.Assignee, "me") {
		if out.Assignee, err = t.myName(ctx); err != nil {
			return failure(op{what: "read who you are (nothing was changed)"}, err)
		}
	}
	if out.Assignee != "" {
		u, res, err := t.assignableUser(ctx, key, out.Assignee)
		if res != nil || err != nil {
			return res, err
		}
		out.Assignee, out.AssigneeName = u.Name, u.DisplayName
	}
	write := op{what: "assign " + key, key: key, write: true}
	if err := t.jira.Assign(ctx, key, out.Assignee); err != nil {
		if !outcomeUnknown(ctx, err) {
			return failure(write, err)
		}
		vctx, cancel := verifyContext(ctx)
		defer cancel()
		is, rerr := t.jira.GetIssue(vctx, key, []string{"assignee"}, nil)
		switch {
		case rerr != nil:
			return failure(write, err)
		case is.Fields.Assignee.Name != out.Assignee:
			return notMade(write, err, fmt.Sprintf("%s is assigned to %s", key, orNobody(is.Fields.Assignee.Name)))
		}
		out.Verified = true
	}
	text := fmt.Sprintf("%s is now unassigned.", key)
	if out.Assignee != "" {
		text = fmt.Sprintf("Assigned %s to %s (%s).", key, out.Assignee, out.AssigneeName)
	}
	if out.Verified {
		text += " Jira's answer was lost; the assignee was confirmed by reading it back."
	}
	return mcp.NewToolResultStructured(out, text), nil
}

func orNobody(name string) string {
	if name == "" {
		return "nobody"
	}
	return name
}

// assignableUser finds the user by username among those who may be
// assigned the issue, or says who comes close.
func (t *Toolset) assignableUser(ctx context.Context, key, who string) (*jira.User, *mcp.CallToolResult, error) {
	o := op{what: "look up who may be assigned " + key + " (nothing was changed)", key: key}
	found, err := t.jira.AssignableUsers(ctx, key, who, userLimit)
	if err != nil {
		res, gerr := failure(o, err)
		return nil, res, gerr
	}
	for i := range found {
		if strings.EqualFold(found[i].Name, who) {
			return &found[i], nil, nil
		}
	}
	if r := []rune(who); len(found) == 0 && len(r) > 2 {
		// No one starts so: what starts like it may be the one meant.
		if found, err = t.jira.AssignableUsers(ctx, key, string(r[:2]), userLimit); err != nil {
			res, gerr := failure(o, err)
			return nil, res, gerr
		}
	}
	msg := fmt.Sprintf("Nothing was changed: %q is not a username that may be assigned %s.", clipValue(who), key)
	if len(found) > 0 {
		msg += " Close matches (username: name): " + usersText(found[:min(len(found), 5)]) + ". Pass the username."
	} else {
		msg += fmt.Sprintf(" Find the username with %s.", FindUsers)
	}
	return nil, errorResult(KindInvalidInput, msg), nil
}

func usersText(us []jira.User) string {
	parts := make([]string, len(us))
	for i, u := range us {
		parts[i] = u.Name + ": " + u.DisplayName
	}
	return strings.Join(parts, ", ")
}

type findUsersArgs struct {
	Query    string `json:"query"`
	IssueKey string `json:"issue_key"`
}

// UserView is a user in jira_find_users' result: never an e-mail address.
type UserView struct {
	Username    string `json:"username"`
	DisplayName string `json:"display_name"`
}

// UsersResult is jira_find_users' structured content.
type UsersResult struct {
	Query    string     `json:"query"`
	IssueKey string     `json:"issue_key,omitempty"`
	Users    []UserView `json:"users"`
}

func (t *Toolset) findUsers(ctx context.Context, a *findUsersArgs) (*mcp.CallToolResult, error) {
	out := UsersResult{Query: strings.TrimSpace(a.Query), Users: []UserView{}}
	if out.Query == "" {
		return inputError("query is empty: give the start of a username or a name.")
	}
	var found []jira.User
	var err error
	if strings.TrimSpace(a.IssueKey) != "" {
		if out.IssueKey, err = jira.NormalizeKey(a.IssueKey); err != nil {
			return failure(op{}, err)
		}
		found, err = t.jira.AssignableUsers(ctx, out.IssueKey, out.Query, userLimit)
	} else {
		found, err = t.jira.FindUsers(ctx, out.Query, userLimit)
	}
	if err != nil {
		return failure(op{what: "find users", key: out.IssueKey}, err)
	}
	var b strings.Builder
	for _, u := range found {
		out.Users = append(out.Users, UserView{u.Name, u.DisplayName})
		fmt.Fprintf(&b, "\n%s | %s", u.Name, oneLine(u.DisplayName))
	}
	head := fmt.Sprintf("%d users match %q (username | name)", len(out.Users), out.Query)
	switch {
	case len(out.Users) == 0 && out.IssueKey != "":
		head = fmt.Sprintf("No user matching %q may be assigned %s.", out.Query, out.IssueKey)
	case len(out.Users) == 0:
		head = fmt.Sprintf("No active user matches %q.", out.Query)
	case out.IssueKey != "":
		head = fmt.Sprintf("%d users matching %q may be assigned %s (username | name)", len(out.Users), out.Query, out.IssueKey)
	}
	return mcp.NewToolResultStructured(out, head+b.String()), nil
}

// maxMentions bounds the users looked up for the @mentions of one text.
const maxMentions = 20

// mentionLookup tells the Markdown converter which @names are Jira
// users, asking Jira once per name.
func (t *Toolset) mentionLookup(ctx context.Context) func(string) bool {
	known := map[string]bool{}
	return func(name string) bool {
		if ok, seen := known[name]; seen {
			return ok
		}
		if len(known) >= maxMentions {
			return false
		}
		u, err := t.jira.UserNamed(ctx, name)
		known[name] = err == nil && strings.EqualFold(u.Name, name)
		return known[name]
	}
}
