// Package jql is the JQL engine of the Jira emulator: it parses a query,
// validates it against the data one user sees, and compiles it into a
// predicate and an order over issues, answering Jira DC 10.3's own error
// messages ("Error in the JQL Query: ... (line 1, character 9)", "The value
// 'XYZ' does not exist for the field 'project'.").
//
// The engine knows nothing of HTTP, storage or permissions. Its caller
// hands it a Data: the issues and the values a query may name, as the
// searching user sees them, and the clock. What the user may not browse is
// simply left out, so that it does not exist for the query, as in Jira.
//
// Files: lex.go and parse.go turn the text into a syntax tree; fields.go
// lists the fields JQL knows and their operators; compile.go compiles
// clauses; values.go resolves the values of =, != and IN, functions.go the
// functions (currentUser(), openSprints(), ...); ranges.go compiles <, <=,
// >, >=; dates.go reads dates, periods and startOfDay() and its siblings;
// text.go is the ~ search; order.go is ORDER BY. The tests run on
// testdata/alice.json, what alice's queries see of the emulator's seed
// (the emulator's tests keep it so).
//
// Supported: fields project, key (issuekey, id, issue), status,
// statusCategory, assignee, reporter, creator, priority, resolution,
// issuetype (type), labels, summary, description, environment, comment,
// text, created, updated, resolved, due, parent, component, fixVersion, and
// the custom fields Data.Fields declares (text, number, select, sprint and
// epic link); the operators each field supports in Jira; EMPTY and NULL;
// functions currentUser(), membersOf(), openSprints(), closedSprints(),
// futureSprints(), standardIssueTypes(), subtaskIssueTypes(),
// releasedVersions(), unreleasedVersions(), now() and startOf/endOf Day,
// Week, Month and Year.
package jql

import (
	"sort"
	"strings"
)

// Error is a query Jira refuses (HTTP 400): every message, in Jira's words.
type Error struct {
	Messages []string
}

func (e *Error) Error() string { return strings.Join(e.Messages, "; ") }

// Query is a compiled query, ready to run over the Data it was compiled
// against.
type Query struct {
	match func(*Issue) bool
	less  func(a, b *Issue) bool
	// Warnings are the value errors that Compile's validate=false turned
	// into warnings (Jira's warningMessages); their clauses match nothing.
	Warnings []string
}

// Compile parses q and checks it against d for d.User, as Jira does. With
// validate false, values that do not exist become warnings rather than
// errors (Jira's validateQuery=false). The error is an *Error.
func Compile(q string, d *Data, validate bool) (*Query, error) {
	ast, err := parse(q)
	if err != nil {
		return nil, err
	}
	c := &compiler{d: d, now: d.Now, validate: validate}
	out := &Query{match: func(*Issue) bool { return true }}
	if ast.where != nil {
		out.match = c.node(ast.where)
	}
	out.less = c.order(ast)
	if len(c.errs) > 0 {
		return nil, &Error{c.errs}
	}
	out.Warnings = c.warnings
	return out, nil
}

// Search returns the issues the query matches, in the query's order.
func (q *Query) Search(issues []*Issue) []*Issue {
	var out []*Issue
	for _, is := range issues {
		if q.match(is) {
			out = append(out, is)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return q.less(out[i], out[j]) })
	return out
}
