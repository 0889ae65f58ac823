package tools

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/jira-mcp/jira-mcp/tools/jira"
)

// Names of the tools that say where and how to file an issue.
const (
	ListProjects    = "jira_list_projects"
	GetCreateFields = "jira_get_create_fields"
)

// issues is the toolset that files and changes issues.
const issues = "issues"

func listProjectsTool() Tool {
	return newTool(issues,
		mcp.NewTool(ListProjects,
			mcp.WithToolTitle("List Jira projects"),
			mcp.WithDescription("List the projects you can see: key, name, lead, issue types. Use to find where to file an issue."),
			annotations(true, false, true),
			mcp.WithString("query", mcp.MaxLength(200), mcp.Description("Part of a key or name")),
			outputSchema("total", "projects"),
		),
		CLI{Command: "projects"},
		(*Toolset).listProjects,
	)
}

func getCreateFieldsTool() Tool {
	return newTool(issues,
		mcp.NewTool(GetCreateFields,
			mcp.WithToolTitle("Get create fields"),
			mcp.WithDescription("The issue types you may create in a project; with issue_type, its create fields (required first, allowed values). Call before jira_create_issue."),
			annotations(true, false, true),
			projectArg(),
			mcp.WithString("issue_type", mcp.Description("Name or id, e.g. Bug")),
			outputSchema("project"),
		),
		CLI{Command: "create-fields", Args: []Arg{{"project", "PROJECT"}}},
		(*Toolset).getCreateFields,
	)
}

func projectArg() mcp.ToolOption {
	return mcp.WithString("project", mcp.Required(), mcp.Description("Project key, e.g. PROJ"))
}

var projectKeyRE = regexp.MustCompile(`^[A-Z][A-Z0-9_]*$`)

// projectKey upper-cases and checks a project key.
func projectKey(s string) (string, string) {
	k := strings.ToUpper(strings.TrimSpace(s))
	if !projectKeyRE.MatchString(k) {
		return "", fmt.Sprintf("%q is not a project key (like PROJ); find it with %s.", clipValue(s), ListProjects)
	}
	return k, ""
}

// ProjectView is a project in jira_list_projects' result.
type ProjectView struct {
	Key        string   `json:"key"`
	Name       string   `json:"name"`
	Lead       string   `json:"lead,omitempty"`
	IssueTypes []string `json:"issue_types,omitempty"`
}

// ProjectsResult is jira_list_projects' structured content.
type ProjectsResult struct {
	Total    int           `json:"total"`
	Projects []ProjectView `json:"projects"`
}

type listProjectsArgs struct {
	Query string `json:"query"`
}

func (t *Toolset) listProjects(ctx context.Context, a *listProjectsArgs) (*mcp.CallToolResult, error) {
	ps, err := t.jira.Projects(ctx)
	if err != nil {
		return failure(op{what: "list projects"}, err)
	}
	q := strings.ToLower(strings.TrimSpace(a.Query))
	out := ProjectsResult{Projects: []ProjectView{}}
	for _, p := range ps {
		if p.Archived || !t.allowedProject(p.Key) || q != "" && !strings.Contains(strings.ToLower(p.Key+" "+p.Name), q) {
			continue
		}
		out.Total++
		if len(out.Projects) == maxLimit {
			continue
		}
		v := ProjectView{Key: p.Key, Name: p.Name}
		if p.Lead != nil {
			v.Lead = p.Lead.Name
		}
		for _, ty := range p.IssueTypes {
			v.IssueTypes = append(v.IssueTypes, ty.Name)
		}
		out.Projects = append(out.Projects, v)
	}
	var b strings.Builder
	switch {
	case out.Total == 0 && q != "":
		fmt.Fprintf(&b, "No project you can see matches %q.", clipValue(a.Query))
	case out.Total == 0:
		b.WriteString("You can see no project.")
	default:
		fmt.Fprintf(&b, "%d projects (key | name | lead | issue types)", out.Total)
		for _, p := range out.Projects {
			fmt.Fprintf(&b, "\n%s | %s | %s | %s", p.Key, oneLine(p.Name), orDash(p.Lead), strings.Join(p.IssueTypes, ", "))
		}
		if n := out.Total - len(out.Projects); n > 0 {
			fmt.Fprintf(&b, "\n%d more: narrow with query.", n)
		}
	}
	return mcp.NewToolResultStructured(out, b.String()), nil
}

// IssueTypeView is an issue type in jira_get_create_fields' result.
type IssueTypeView struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Subtask bool   `json:"subtask,omitempty"`
}

// CreateField is a field of a create screen in jira_get_create_fields'
// result.
type CreateField struct {
	ID            string   `json:"id"`
	Name          string   `json:"name"`
	Type          string   `json:"type"`
	Required      bool     `json:"required"`
	AllowedValues []string `json:"allowed_values,omitempty"`
	MoreValues    int      `json:"more_values,omitempty"` // allowed values left out
}

// CreateFieldsResult is jira_get_create_fields' structured content.
type CreateFieldsResult struct {
	Project    string          `json:"project"`
	IssueTypes []IssueTypeView `json:"issue_types,omitempty"`
	IssueType  *IssueTypeView  `json:"issue_type,omitempty"`
	Fields     []CreateField   `json:"fields,omitempty"`
}

type createFieldsArgs struct {
	Project   string `json:"project"`
	IssueType string `json:"issue_type"`
}

// structuredValues is how many allowed values of a field the structured
// result carries; the text shows shownValues.
const structuredValues = 100

func (t *Toolset) getCreateFields(ctx context.Context, a *createFieldsArgs) (*mcp.CallToolResult, error) {
	project, msg := projectKey(a.Project)
	if msg != "" {
		return inputError("%s", msg)
	}
	types, res, err := t.creatableTypes(ctx, project)
	if res != nil || err != nil {
		return res, err
	}
	out := CreateFieldsResult{Project: project}
	if strings.TrimSpace(a.IssueType) == "" {
		for _, ty := range types {
			out.IssueTypes = append(out.IssueTypes, IssueTypeView{ty.ID, ty.Name, ty.Subtask})
		}
		text := fmt.Sprintf("%s: you may create %s. Ask for the fields of one with issue_type.", project, typeNames(types))
		return mcp.NewToolResultStructured(out, text), nil
	}
	typ, ok := pickType(types, a.IssueType)
	if !ok {
		return inputError("%s has no issue type %q you may create; it has: %s.", project, clipValue(a.IssueType), typeNames(types))
	}
	scr, err := t.createFields(ctx, project, typ)
	if err != nil {
		return failure(op{what: "read the create screen of " + project + " " + typ.Name}, err)
	}
	out.IssueType = &IssueTypeView{typ.ID, typ.Name, typ.Subtask}
	for _, pass := range []bool{true, false} { // required first
		for _, id := range scr.ids {
			f := scr.fields[id]
			if id == "project" || id == "issuetype" || required(id, f) != pass {
				continue
			}
			cf := CreateField{ID: id, Name: f.Name, Type: typeName(f), Required: pass}
			if vals := allowed(f); len(vals) > structuredValues {
				cf.AllowedValues, cf.MoreValues = vals[:structuredValues], len(vals)-structuredValues
			} else {
				cf.AllowedValues = vals
			}
			out.Fields = append(out.Fields, cf)
		}
	}
	return mcp.NewToolResultStructured(out, createFieldsText(project, typ, out.Fields)), nil
}

// creatableTypes reads the issue types the user may create in project, or
// the result that says why there are none.
func (t *Toolset) creatableTypes(ctx context.Context, project string) ([]jira.IssueType, *mcp.CallToolResult, error) {
	types, err := t.createTypes(ctx, project)
	if err != nil {
		var ae *jira.APIError
		if errors.As(err, &ae) && (ae.Status == 400 || ae.Status == 404) {
			return nil, errorResult(KindNotFound, fmt.Sprintf("Project %s does not exist or you may not see it. Find the key with %s.", project, ListProjects)), nil
		}
		res, gerr := failure(op{what: "read the issue types of " + project}, err)
		return nil, res, gerr
	}
	if len(types) == 0 {
		return nil, errorResult(KindForbidden, fmt.Sprintf("You may not create issues in %s (Jira lists no issue type you may create there). Tell the user; do not try another way.", project)), nil
	}
	return types, nil, nil
}

func createFieldsText(project string, typ jira.IssueType, fields []CreateField) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s (id %s): %d fields, required first (id | name | type | allowed values)", project, typ.Name, typ.ID, len(fields))
	for _, f := range fields {
		req := ""
		if f.Required {
			req = " | required"
		}
		fmt.Fprintf(&b, "\n%s | %s | %s%s", f.ID, oneLine(f.Name), f.Type, req)
		if n := len(f.AllowedValues); n > 0 {
			vals := f.AllowedValues[:min(n, shownValues)]
			fmt.Fprintf(&b, " | %s", oneLine(strings.Join(vals, ", ")))
			if more := n + f.MoreValues - len(vals); more > 0 {
				fmt.Fprintf(&b, " (+%d more: any other value you pass is checked, and refused with the closest)", more)
			}
		}
	}
	b.WriteString("\nPass fields by name or id in fields; components, fix_versions, priority, labels, assignee, parent and epic have arguments of their own.")
	return b.String()
}
