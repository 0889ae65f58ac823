package server

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
	mcpserver "github.com/mark3labs/mcp-go/server"

	"github.com/jira-mcp/jira-mcp/skills"
	"github.com/jira-mcp/jira-mcp/tools"
	"github.com/jira-mcp/jira-mcp/tools/jira"
)

// promptArgKind says how a prompt argument's value is checked.
type promptArgKind int

const (
	argText promptArgKind = iota
	argIssueKey
	argProjectKey
)

type promptArg struct {
	name        string
	description string
	required    bool
	kind        promptArgKind
}

// promptArgs lists, per skill, the arguments its prompt takes. A skill absent
// here becomes a prompt without arguments.
var promptArgs = map[string][]promptArg{
	"jira-jql-search": {
		{name: "request", description: "What to find, in plain words (e.g. my open bugs updated this week)"},
		{name: "project", description: "Project key to search in (e.g. ABC)", kind: argProjectKey},
	},
	"jira-workflow-transition": {
		{name: "issue_key", description: "Issue to move (e.g. ABC-123)", required: true, kind: argIssueKey},
		{name: "target", description: "Status to move it to (e.g. In Review, Done)"},
	},
	"jira-commenting": {
		{name: "issue_key", description: "Issue to comment on (e.g. ABC-123)", required: true, kind: argIssueKey},
		{name: "message", description: "What the comment should say, in plain words"},
	},
	"jira-link-commits": {
		{name: "issue_key", description: "Issue to update; found from the branch name and git log when left out", kind: argIssueKey},
		{name: "target", description: "Status to move the issue to afterwards, if any (e.g. In Review)"},
	},
	"jira-daily-triage": {
		{name: "project", description: "Project key to include new unassigned work from (e.g. ABC)", kind: argProjectKey},
	},
	"jira-sprints": {
		{name: "project", description: "Project key whose sprints to look at (e.g. ABC)", kind: argProjectKey},
		{name: "request", description: "What to find out or change, in plain words (e.g. what is left in the current sprint)"},
	},
	"jira-attachments": {
		{name: "issue_key", description: "Issue whose attachments to read or attach to (e.g. ABC-123)", kind: argIssueKey},
	},
}

var (
	promptProjectKeyRE = regexp.MustCompile(`^[A-Z][A-Z0-9_]+$`)
)

// maxPromptArgLen bounds free-text arguments: they are a hint for the agent,
// not a document.
const maxPromptArgLen = 500

// toolNameRE finds tool names in a skill's text.
var toolNameRE = regexp.MustCompile(`\bjira_[a-z_]+\b`)

// skillTools returns the tools a skill names, in its description or body:
// the words that are the name of a tool of package tools.
func skillTools(s skills.Skill) []string {
	known := map[string]bool{}
	for _, tl := range tools.All() {
		known[tl.Def.Name] = true
	}
	var names []string
	for _, w := range toolNameRE.FindAllString(s.Description+"\n"+s.Body, -1) {
		if known[w] && !slices.Contains(names, w) {
			names = append(names, w)
		}
	}
	return names
}

// toolNames returns the names of the tools in list, as a set.
func toolNames(list []mcpserver.ServerTool) map[string]bool {
	names := make(map[string]bool, len(list))
	for _, st := range list {
		names[st.Tool.Name] = true
	}
	return names
}

// skillPrompts exposes the bundled skills as MCP prompts, so agents
// without Skills support get the same workflows. A skill is offered only
// when every tool it names is registered: a workflow the agent cannot
// finish (commenting in read-only mode) wastes its calls, and one that
// needs no write may still need its reading tool (jira_search). A
// prompt's text is the skill's body followed by the arguments given.
func skillPrompts(registered map[string]bool) []mcpserver.ServerPrompt {
	list := skills.List()
	prompts := make([]mcpserver.ServerPrompt, 0, len(list))
	for _, s := range list {
		if slices.ContainsFunc(skillTools(s), func(n string) bool { return !registered[n] }) {
			continue
		}
		args := promptArgs[s.Name]
		opts := []mcp.PromptOption{
			mcp.WithPromptTitle(s.Title),
			mcp.WithPromptDescription(s.Description),
		}
		for _, a := range args {
			argOpts := []mcp.ArgumentOption{mcp.ArgumentDescription(a.description)}
			if a.required {
				argOpts = append(argOpts, mcp.RequiredArgument())
			}
			opts = append(opts, mcp.WithArgument(a.name, argOpts...))
		}
		prompts = append(prompts, mcpserver.ServerPrompt{
			Prompt:  mcp.NewPrompt(s.Name, opts...),
			Handler: skillPromptHandler(s, args),
		})
	}
	return prompts
}

func skillPromptHandler(s skills.Skill, args []promptArg) mcpserver.PromptHandlerFunc {
	return func(_ context.Context, req mcp.GetPromptRequest) (*mcp.GetPromptResult, error) {
		values, err := promptValues(s.Name, args, req.Params.Arguments)
		if err != nil {
			return nil, err
		}
		text := s.Body
		if len(values) > 0 {
			var b strings.Builder
			b.WriteString(strings.TrimRight(s.Body, "\n"))
			b.WriteString("\n\n## This request\n")
			for _, v := range values {
				fmt.Fprintf(&b, "- %s: %s\n", v[0], v[1])
			}
			text = b.String()
		}
		return &mcp.GetPromptResult{
			Description: s.Description,
			Messages: []mcp.PromptMessage{
				{Role: mcp.RoleUser, Content: mcp.NewTextContent(text)},
			},
		}, nil
	}
}

// promptValues checks the arguments a client sent and returns the non-empty
// ones, normalized, in declaration order.
func promptValues(prompt string, args []promptArg, given map[string]string) ([][2]string, error) {
	for name := range given {
		if !slices.ContainsFunc(args, func(a promptArg) bool { return a.name == name }) {
			return nil, fmt.Errorf("%w: prompt %s has no argument %q (it takes: %s)", mcp.ErrInvalidParams, prompt, name, promptArgNames(args))
		}
	}
	var values [][2]string
	for _, a := range args {
		v := strings.TrimSpace(given[a.name])
		if v == "" {
			if a.required {
				return nil, fmt.Errorf("%w: prompt %s needs argument %s: %s", mcp.ErrInvalidParams, prompt, a.name, a.description)
			}
			continue
		}
		switch a.kind {
		case argIssueKey:
			key, err := jira.NormalizeKey(v) // the tools' own rule
			if err != nil {
				return nil, fmt.Errorf("%w: %s %q is not an issue key such as ABC-123", mcp.ErrInvalidParams, a.name, given[a.name])
			}
			v = key
		case argProjectKey:
			v = strings.ToUpper(v)
			if !promptProjectKeyRE.MatchString(v) {
				return nil, fmt.Errorf("%w: %s %q is not a project key such as ABC", mcp.ErrInvalidParams, a.name, given[a.name])
			}
		default:
			// One line keeps the appended list readable and the argument
			// from posing as more of the skill's instructions.
			v = strings.Join(strings.Fields(v), " ")
			if len(v) > maxPromptArgLen {
				return nil, fmt.Errorf("%w: %s is longer than %d characters", mcp.ErrInvalidParams, a.name, maxPromptArgLen)
			}
		}
		values = append(values, [2]string{a.name, v})
	}
	return values, nil
}

func promptArgNames(args []promptArg) string {
	if len(args) == 0 {
		return "no arguments"
	}
	names := make([]string, len(args))
	for i, a := range args {
		names[i] = a.name
	}
	return strings.Join(names, ", ")
}
