package tools

import (
	"strings"
	"testing"
)

// Arguments are checked against the input schema before a handler runs,
// with plain messages; every case here was accepted or garbled before.
func TestCheckArgs(t *testing.T) {
	search, comment := searchTool().Def, addCommentTool().Def
	cases := []struct {
		name string
		tool string
		args any
		want string // "" accepts
	}{
		{"fine", "search", map[string]any{"jql": "x", "limit": 5.0, "fields": []string{"a"}}, ""},
		{"no arguments", "search", nil, "jql is required"},
		{"a string", "search", "", "arguments must be a JSON object of named arguments: jira_search takes fields, jql (required), limit, start_at."},
		{"a list", "search", []any{1}, "arguments must be a JSON object"},
		{"not whole", "search", map[string]any{"jql": "x", "limit": 5.5}, "limit must be a whole number between 1 and 100, got 5.5."},
		{"too small", "search", map[string]any{"jql": "x", "start_at": -1}, "start_at must be a whole number of 0 or more, got -1."},
		{"wrong type", "search", map[string]any{"jql": 7}, "jql must be a non-empty string of at most 10000 characters, got 7."},
		{"too long", "comment", map[string]any{"issue_key": "A-1", "body": strings.Repeat("é", 40000)}, "body must be a non-empty string of at most 32767 characters, got 40000 characters."},
		{"empty", "search", map[string]any{"jql": ""}, `jql must be a non-empty string of at most 10000 characters, got "".`},
		{"list of numbers", "search", map[string]any{"jql": "x", "fields": []any{1}}, "fields.0 must be a string, got 1."},
		{"camelCase", "search", map[string]any{"jql": "x", "startAt": 5}, `does not take "startAt". Did you mean start_at?`},
		{"snake of synonym", "comment", map[string]any{"issue_key": "A-1", "body": "x", "issueKey": "A-1"}, "Did you mean issue_key?"},
		{"long name", "search", map[string]any{"jql": "x", strings.Repeat("n", 500): 1}, `does not take "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn…"`},
		{"nested extra", "comment", map[string]any{"issue_key": "A-1", "body": "x", "visibility": map[string]any{"type": "role", "value": "v", "everyone": true}}, `visibility does not take "everyone"; it takes type, value.`},
		{"nested missing", "comment", map[string]any{"issue_key": "A-1", "body": "x", "visibility": map[string]any{"type": "role"}}, "visibility.value is required (Group or role name)."},
		{"not an object", "comment", map[string]any{"issue_key": "A-1", "body": "x", "visibility": "role:x"}, `visibility must be an object, got "role:x".`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			def := search
			if c.tool == "comment" {
				def = comment
			}
			raw, bad, err := checkArgs(def, c.args)
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case c.want == "" && bad != nil:
				t.Errorf("refused: %s", Text(bad))
			case c.want == "" && len(raw) == 0:
				t.Error("accepted, but no JSON")
			case c.want != "" && bad == nil:
				t.Errorf("accepted %v, want %q", c.args, c.want)
			case c.want != "" && (!strings.Contains(Text(bad), c.want) || ErrorKind(bad) != KindInvalidInput):
				t.Errorf("message %q (%s), want %q", Text(bad), ErrorKind(bad), c.want)
			}
		})
	}
}
