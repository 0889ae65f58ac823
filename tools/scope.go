package tools

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
)

// The project allow-list (--projects) binds every tool, writes included.
// A key, a project or a link target outside the list is refused before
// Jira is called; a search's JQL is confined to the listed projects as
// `project in (...) AND (<the agent's condition>) ORDER BY <its order>`;
// and what Jira returns is checked again, so an issue outside the list is
// never shown even if the JQL finds a way (a moved issue's old key, a
// function the scoping cannot see into).

// WithProjects confines t to the given project keys (upper case); none
// confines nothing. It returns t.
func (t *Toolset) WithProjects(keys []string) *Toolset {
	t.projects = nil
	for _, k := range keys {
		if k = strings.ToUpper(strings.TrimSpace(k)); k != "" && !slices.Contains(t.projects, k) {
			t.projects = append(t.projects, k)
		}
	}
	slices.Sort(t.projects)
	return t
}

// allowedProject reports whether a project key may be touched.
func (t *Toolset) allowedProject(project string) bool {
	return len(t.projects) == 0 || slices.Contains(t.projects, strings.ToUpper(project))
}

// allowedKey reports whether an issue key's project may be touched.
func (t *Toolset) allowedKey(key string) bool {
	project, _, _ := strings.Cut(key, "-")
	return t.allowedProject(project)
}

// scopedArgs are the arguments that name an issue or a project, whatever
// the tool: each is checked against the allow-list before the tool runs.
var scopedArgs = map[string]bool{
	"issue_key": true, "other_issue_key": true, "issue_keys": true,
	"project": true, "parent": true, "epic": true,
}

// outsideProjects returns a refusal when an argument names an issue or a
// project outside the allow-list.
func (t *Toolset) outsideProjects(args map[string]any) *mcp.CallToolResult {
	if len(t.projects) == 0 {
		return nil
	}
	for _, name := range slices.Sorted(maps.Keys(args)) {
		if !scopedArgs[name] {
			continue
		}
		var values []string
		switch v := args[name].(type) {
		case string:
			values = []string{v}
		case []any:
			for _, e := range v {
				if s, ok := e.(string); ok {
					values = append(values, s)
				}
			}
		}
		for _, v := range values {
			v = strings.TrimSpace(v)
			ok := t.allowedProject(v)
			if strings.Contains(v, "-") {
				ok = t.allowedKey(v)
			}
			if v != "" && !ok {
				return errorResult(KindForbidden, fmt.Sprintf("%s %q is outside the projects jira-mcp may use (%s). Do not try another way; ask the user if it should be allowed (jira-mcp --projects).", name, clipValue(v), strings.Join(t.projects, ", ")))
			}
		}
	}
	return nil
}

// scopeJQL confines jql to the projects: the agent's condition goes in
// parentheses after `project in (...) AND`, its ORDER BY stays last. The
// condition must be whole (balanced parentheses and quotes), else it
// could close the parentheses and add `OR project = X`; such JQL is
// refused.
func scopeJQL(jql string, projects []string) (string, error) {
	if len(projects) == 0 {
		return jql, nil
	}
	cond, order, err := splitOrderBy(jql)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString("project in (")
	for i, p := range projects {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(p)
	}
	b.WriteString(")")
	if cond = strings.TrimSpace(cond); cond != "" {
		b.WriteString(" AND (")
		b.WriteString(cond)
		b.WriteString(")")
	}
	if order != "" {
		b.WriteString(" ")
		b.WriteString(order)
	}
	return b.String(), nil
}

// splitOrderBy splits JQL at its ORDER BY, outside quotes and parentheses,
// checking that quotes and parentheses are balanced.
func splitOrderBy(jql string) (cond, order string, err error) {
	depth, quote, orderAt := 0, byte(0), -1
	for i := 0; i < len(jql); i++ {
		c := jql[i]
		switch {
		case quote != 0 && c == '\\':
			i++ // an escaped character inside a string
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '(':
			depth++
		case c == ')':
			if depth--; depth < 0 {
				return "", "", fmt.Errorf("the JQL has a ')' without its '(' at character %d", i+1)
			}
		case depth == 0 && orderAt < 0 && isOrderBy(jql, i):
			orderAt = i
		}
	}
	switch {
	case quote != 0:
		return "", "", fmt.Errorf("the JQL has a string that is never closed (a %c without its pair)", quote)
	case depth > 0:
		return "", "", fmt.Errorf("the JQL has a '(' that is never closed")
	case orderAt < 0:
		return jql, "", nil
	}
	return jql[:orderAt], strings.TrimSpace(jql[orderAt:]), nil
}

// isOrderBy reports whether the words ORDER BY start at i, as whole words.
func isOrderBy(s string, i int) bool {
	if i > 0 && isWordByte(s[i-1]) || len(s) < i+5 || !strings.EqualFold(s[i:i+5], "order") {
		return false
	}
	j := i + 5
	k := j
	for k < len(s) && (s[k] == ' ' || s[k] == '\t' || s[k] == '\n' || s[k] == '\r') {
		k++
	}
	return k > j && len(s) >= k+2 && strings.EqualFold(s[k:k+2], "by") && (len(s) == k+2 || !isWordByte(s[k+2]))
}

func isWordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}
