package tools

import (
	"strings"
	"testing"
)

func TestScopeJQL(t *testing.T) {
	web := []string{"OPS", "WEB"}
	cases := []struct{ in, want, err string }{
		{"assignee = currentUser()", "project in (OPS, WEB) AND (assignee = currentUser())", ""},
		{"status = Done ORDER BY updated DESC", "project in (OPS, WEB) AND (status = Done) ORDER BY updated DESC", ""},
		{"ORDER BY key", "project in (OPS, WEB) ORDER BY key", ""},
		{"  ", "project in (OPS, WEB)", ""},
		{`summary ~ "order by" order  by key`, `project in (OPS, WEB) AND (summary ~ "order by") order  by key`, ""},
		{`summary ~ 'it\'s (x' AND (a = b)`, `project in (OPS, WEB) AND (summary ~ 'it\'s (x' AND (a = b))`, ""},
		{"reorder = 1 AND orderby = 2", "project in (OPS, WEB) AND (reorder = 1 AND orderby = 2)", ""},
		{"x = 1) OR (project = SEC", "", "')' without its '('"},
		{"x = 1 OR (project = SEC", "", "'(' that is never closed"},
		{`summary ~ "x) OR project = SEC`, "", "never closed"},
	}
	for _, c := range cases {
		got, err := scopeJQL(c.in, web)
		switch {
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("%q: error %v, want %q", c.in, err, c.err)
		case c.err == "" && (err != nil || got != c.want):
			t.Errorf("%q:\n got %q %v\nwant %q", c.in, got, err, c.want)
		}
	}
	if got, _ := scopeJQL("x) OR (y", nil); got != "x) OR (y" {
		t.Errorf("no list: %q", got)
	}
}

// FuzzScopeJQL: whatever the agent writes, the scoped JQL is the project
// condition AND one whole parenthesised group, then at most an ORDER BY:
// nothing can stand beside the project condition at the top level.
func FuzzScopeJQL(f *testing.F) {
	for _, s := range []string{"a = b", "x) OR (y", `"a\"b" ORDER BY c`, "((a)) order by b", "ORDER BY", "'", `\`, "a ORDER BY b ORDER BY c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, jql string) {
		got, err := scopeJQL(jql, []string{"WEB"})
		if err != nil {
			return
		}
		const prefix = "project in (WEB)"
		if !strings.HasPrefix(got, prefix) {
			t.Fatalf("%q -> %q", jql, got)
		}
		rest := got[len(prefix):]
		if strings.HasPrefix(rest, " AND (") {
			end := closingParen(rest, len(" AND "))
			if end < 0 {
				t.Fatalf("%q -> %q: the group never closes", jql, got)
			}
			rest = rest[end+1:]
		}
		if rest != "" && !isOrderBy(strings.TrimSpace(rest), 0) {
			t.Fatalf("%q -> %q: %q stands beside the project condition", jql, got, rest)
		}
	})
}

// closingParen returns the index of the ')' closing the '(' at open,
// outside strings, or -1.
func closingParen(s string, open int) int {
	depth, quote := 0, byte(0)
	for i := open; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0 && c == '\\':
			i++
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '(':
			depth++
		case c == ')':
			if depth--; depth == 0 {
				return i
			}
		}
	}
	return -1
}
