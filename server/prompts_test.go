package server

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"
	mcpserver "github.com/mark3labs/mcp-go/server"

	"github.com/jira-mcp/jira-mcp/skills"
	"github.com/jira-mcp/jira-mcp/tools"
)

// promptTestClient serves skillPrompts on a bare mcp-go server and connects
// an in-process client speaking the given protocol version.
func promptTestClient(t *testing.T, version string) *client.Client {
	t.Helper()
	s := mcpserver.NewMCPServer("jira-mcp-test", "0", mcpserver.WithPromptCapabilities(false))
	s.AddPrompts(skillPrompts(allTools())...)
	c, err := client.NewInProcessClient(s)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := c.Start(ctx); err != nil {
		t.Fatalf("start: %v", err)
	}
	init := mcp.InitializeRequest{}
	init.Params.ProtocolVersion = version
	init.Params.ClientInfo = mcp.Implementation{Name: "prompts-test", Version: "0"}
	if _, err := c.Initialize(ctx, init); err != nil {
		t.Fatalf("initialize: %v", err)
	}
	if got := c.ProtocolVersion(); got != version {
		t.Fatalf("negotiated protocol %q, want %q", got, version)
	}
	return c
}

// allTools returns the name of every tool, as registered by default.
func allTools() map[string]bool {
	names := map[string]bool{}
	for _, tl := range tools.All() {
		names[tl.Def.Name] = true
	}
	return names
}

var promptProtocols = []string{mcp.ProtocolVersion20251125, mcp.ProtocolVersion20260728}

func TestPromptsListMatchesSkills(t *testing.T) {
	for _, version := range promptProtocols {
		t.Run(version, func(t *testing.T) {
			c := promptTestClient(t, version)
			res, err := c.ListPrompts(t.Context(), mcp.ListPromptsRequest{})
			if err != nil {
				t.Fatalf("prompts/list: %v", err)
			}
			byName := map[string]mcp.Prompt{}
			for _, p := range res.Prompts {
				byName[p.Name] = p
			}
			list := skills.List()
			if len(res.Prompts) != len(list) {
				t.Errorf("%d prompts, %d skills", len(res.Prompts), len(list))
			}
			for _, s := range list {
				p, ok := byName[s.Name]
				if !ok {
					t.Errorf("skill %s has no prompt", s.Name)
					continue
				}
				if p.Description != s.Description || p.Title != s.Title {
					t.Errorf("%s: prompt title/description %q/%q, want the skill's %q/%q", s.Name, p.Title, p.Description, s.Title, s.Description)
				}
				want := promptArgs[s.Name]
				if len(p.Arguments) != len(want) {
					t.Errorf("%s: %d arguments, want %d", s.Name, len(p.Arguments), len(want))
					continue
				}
				for i, a := range want {
					got := p.Arguments[i]
					if got.Name != a.name || got.Required != a.required || got.Description == "" {
						t.Errorf("%s: argument %d = %+v, want %s required=%v with a description", s.Name, i, got, a.name, a.required)
					}
				}
			}
		})
	}
}

// Every skill the prompts table names must exist, or an argument list rots
// unseen while its skill is renamed.
func TestPromptArgsNameSkills(t *testing.T) {
	for name := range promptArgs {
		if _, ok := skills.Get(name); !ok {
			t.Errorf("promptArgs names unknown skill %q", name)
		}
	}
}

func TestPromptsGet(t *testing.T) {
	skill := func(name string) skills.Skill {
		s, ok := skills.Get(name)
		if !ok {
			t.Fatalf("no skill %s", name)
		}
		return s
	}
	tests := []struct {
		name    string
		prompt  string
		args    map[string]string
		want    string // appended after the skill body; "" means the body alone
		wantErr string
	}{
		{name: "no arguments", prompt: "jira-daily-triage", want: ""},
		{name: "optional project", prompt: "jira-daily-triage", args: map[string]string{"project": "abc"},
			want: "\n\n## This request\n- project: ABC\n"},
		{name: "required issue key normalized", prompt: "jira-workflow-transition",
			args: map[string]string{"issue_key": " abc-123 ", "target": "In  Review\nnow"},
			want: "\n\n## This request\n- issue_key: ABC-123\n- target: In Review now\n"},
		{name: "declaration order", prompt: "jira-jql-search",
			args: map[string]string{"project": "OPS", "request": "my open bugs"},
			want: "\n\n## This request\n- request: my open bugs\n- project: OPS\n"},
		{name: "empty optional dropped", prompt: "jira-link-commits", args: map[string]string{"issue_key": "", "target": "Done"},
			want: "\n\n## This request\n- target: Done\n"},
		{name: "digits in project part", prompt: "jira-commenting", args: map[string]string{"issue_key": "X1-9"},
			want: "\n\n## This request\n- issue_key: X1-9\n"},

		{name: "missing required", prompt: "jira-commenting", wantErr: "needs argument issue_key"},
		{name: "bad issue key", prompt: "jira-workflow-transition", args: map[string]string{"issue_key": "ABC"}, wantErr: "not an issue key"},
		{name: "bad project", prompt: "jira-daily-triage", args: map[string]string{"project": "A B"}, wantErr: "not a project key"},
		{name: "unknown argument", prompt: "jira-daily-triage", args: map[string]string{"jql": "x"}, wantErr: `no argument "jql"`},
		{name: "text too long", prompt: "jira-jql-search", args: map[string]string{"request": strings.Repeat("x", 501)}, wantErr: "longer than"},
		{name: "unknown prompt", prompt: "jira-nope", wantErr: "not found"},
	}
	for _, version := range promptProtocols {
		t.Run(version, func(t *testing.T) {
			c := promptTestClient(t, version)
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					req := mcp.GetPromptRequest{}
					req.Params.Name = tt.prompt
					req.Params.Arguments = tt.args
					res, err := c.GetPrompt(t.Context(), req)
					if tt.wantErr != "" {
						if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
							t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
						}
						return
					}
					if err != nil {
						t.Fatalf("prompts/get: %v", err)
					}
					s := skill(tt.prompt)
					if res.Description != s.Description {
						t.Errorf("description %q, want the skill's", res.Description)
					}
					if len(res.Messages) != 1 || res.Messages[0].Role != mcp.RoleUser {
						t.Fatalf("messages = %+v, want one user message", res.Messages)
					}
					text, ok := mcp.AsTextContent(res.Messages[0].Content)
					if !ok {
						t.Fatalf("content %T, want text", res.Messages[0].Content)
					}
					want := s.Body
					if tt.want != "" {
						want = strings.TrimRight(s.Body, "\n") + tt.want
					}
					if text.Text != want {
						t.Errorf("text ends %q, want %q", tail(text.Text), tail(want))
					}
				})
			}
		})
	}
}

// Every skill's prompt renders its body, given only its required arguments.
func TestPromptsGetEverySkill(t *testing.T) {
	c := promptTestClient(t, mcp.ProtocolVersion20251125)
	for _, s := range skills.List() {
		req := mcp.GetPromptRequest{}
		req.Params.Name = s.Name
		req.Params.Arguments = map[string]string{}
		for _, a := range promptArgs[s.Name] {
			if a.required {
				req.Params.Arguments[a.name] = "ABC-1"
			}
		}
		res, err := c.GetPrompt(t.Context(), req)
		if err != nil {
			t.Errorf("%s: %v", s.Name, err)
			continue
		}
		text, ok := mcp.AsTextContent(res.Messages[0].Content)
		if !ok || !strings.HasPrefix(text.Text, strings.TrimRight(s.Body, "\n")) {
			t.Errorf("%s: prompt text does not start with the skill body", s.Name)
		}
	}
}

func tail(s string) string {
	if len(s) > 120 {
		return "..." + s[len(s)-120:]
	}
	return s
}
