package jql

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestJQLSyntaxErrors(t *testing.T) {
	d := fixture(t)
	tests := []struct {
		jql, want string
	}{
		{"project foo", "Error in the JQL Query: Expecting operator but got 'foo'. The valid operators are '=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', 'IS' and 'IS NOT'. (line 1, character 9)"},
		{"project", "Error in the JQL Query: Expecting operator before the end of the query. The valid operators are '=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', 'IS' and 'IS NOT'."},
		{"project =", "Error in the JQL Query: Expecting either a value, list or function before the end of the query."},
		{"project = OR", "Error in the JQL Query: Expecting either a value, list or function but got 'OR'. You must surround 'OR' in quotation marks to use it as a value. (line 1, character 11)"},
		{"summary ~ \"open", "Error in the JQL Query: The quoted string 'open' has not been completed. (line 1, character 11)"},
		{"project = WEB status = Done", "Error in the JQL Query: Expecting either 'OR' or 'AND' but got 'status'. (line 1, character 15)"},
		{"(project = WEB", "Error in the JQL Query: Expecting ')' before the end of the query."},
		{"labels = end", "Error in the JQL Query: 'end' is a reserved JQL word. You must surround it in quotation marks to use it in a query. (line 1, character 10)"},
		{"labels = a%b", "Error in the JQL Query: The character '%' is a reserved JQL character. You must enclose it in a string or use the escape '\\u0025' instead. (line 1, character 11)"},
		{"project = WEB\nAND foo", "Error in the JQL Query: Expecting operator before the end of the query. The valid operators are '=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', 'IS' and 'IS NOT'."},
		{"project = WEB\nAND status Done", "Error in the JQL Query: Expecting operator but got 'Done'. The valid operators are '=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', 'IS' and 'IS NOT'. (line 2, character 12)"},
		{"project = WEB ORDER created", "Error in the JQL Query: Expecting 'by' but got 'created'. (line 1, character 21)"},
		{"status not Done", "Error in the JQL Query: Expecting 'IN' but got 'Done'. (line 1, character 12)"},
		{"AND status = Done", "Error in the JQL Query: Expecting a field name but got 'AND'. (line 1, character 1)"},
	}
	for _, tt := range tests {
		t.Run(tt.jql, func(t *testing.T) { wantJQLError(t, d, tt.jql, tt.want) })
	}
}

func TestJQLValidationErrors(t *testing.T) {
	d := fixture(t)
	tests := []struct {
		jql  string
		want []string
	}{
		{"foo = bar", []string{"Field 'foo' does not exist or you do not have permission to view it."}},
		{"cf[99999] = 1", []string{"Field 'cf[99999]' does not exist or you do not have permission to view it."}},
		{"project = XYZ", []string{"The value 'XYZ' does not exist for the field 'project'."}},
		// A project the user may not browse does not exist for them.
		{"project = SEC", []string{"The value 'SEC' does not exist for the field 'project'."}},
		{"project in (XYZ, ABC)", []string{"The value 'XYZ' does not exist for the field 'project'.", "The value 'ABC' does not exist for the field 'project'."}},
		{"status = Open", []string{"The value 'Open' does not exist for the field 'status'."}},
		{"assignee = zed", []string{"The value 'zed' does not exist for the field 'assignee'."}},
		{"key = WEB-9999", []string{"An issue with key 'WEB-9999' does not exist for field 'key'."}},
		{"key = SEC-1", []string{"An issue with key 'SEC-1' does not exist for field 'key'."}},
		{"issuekey = foo", []string{"The issue key 'foo' for field 'issuekey' is invalid."}},
		{"summary = foo", []string{"The operator '=' is not supported by the 'summary' field."}},
		{"status ~ Done", []string{"The operator '~' is not supported by the 'status' field."}},
		{"status is EMPTY", []string{"The field 'status' does not support searching for EMPTY values."}},
		{"created > yesterday", []string{"Date value 'yesterday' for field 'created' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'."}},
		{"assignee = nobody()", []string{"Unable to find JQL function 'nobody()'."}},
		{"\"Review Team\" = QA", []string{"The option 'QA' for field 'Review Team' does not exist."}},
		{"sprint = \"Sprint 99\"", []string{"The value 'Sprint 99' does not exist for the field 'sprint'."}},
		{"project = WEB ORDER BY description", []string{"Field 'description' does not support sorting."}},
		{"project = WEB ORDER BY foo", []string{"Not able to sort using field 'foo'."}},
		{"summary ~ \"*out\"", []string{"The text query '*out' for field 'summary' is not allowed to start with a wildcard."}},
		{"component = Nope", []string{"The value 'Nope' does not exist for the field 'component'."}},
		// SEC's component is invisible to alice.
		{"component = Triage", []string{"The value 'Triage' does not exist for the field 'component'."}},
		{"fixVersion = \"9.9\"", []string{"The value '9.9' does not exist for the field 'fixVersion'."}},
		{"fixVersion < 0.1", []string{"The value '0.1' does not exist for the field 'fixVersion'."}},
		{"fixVersion in releasedVersions(SEC)", []string{"Could not resolve the project 'SEC' provided to function 'releasedVersions'."}},
		{"component ~ Checkout", []string{"The operator '~' is not supported by the 'component' field."}},
		{"cf[10006] = Nobody", []string{"The option 'Nobody' for field 'cf[10006]' does not exist."}},
		// "Team" names a select and a text field: Jira validates the
		// clause against both, so neither = nor ~ works by name.
		{"Team = \"Checkout Squad\"", []string{"The operator '=' is not supported by the 'Team' field."}},
		{"Team ~ storefront", []string{"The operator '~' is not supported by the 'Team' field."}},
	}
	for _, tt := range tests {
		t.Run(tt.jql, func(t *testing.T) { wantJQLError(t, d, tt.jql, tt.want...) })
	}
}

// TestJQLEvaluation checks each query's result set against an independent
// Go predicate over the issues alice may see.
func TestJQLEvaluation(t *testing.T) {
	d := fixture(t)
	now := testNow
	day := 24 * time.Hour
	hasLabel := func(is *Issue, l string) bool { return slices.Contains(is.Labels, l) }
	hasComponent := func(is *Issue, name string) bool {
		return slices.ContainsFunc(is.Components, func(c Component) bool { return c.Name == name })
	}
	hasVersion := func(is *Issue, name string, released bool) bool {
		return slices.ContainsFunc(is.FixVersions, func(v Version) bool { return v.Name == name && v.Released == released })
	}
	inSprint := func(is *Issue, state string) bool {
		for _, s := range is.Sprints {
			if s.State == state {
				return true
			}
		}
		return false
	}
	tests := []struct {
		jql  string
		want func(*Issue) bool
		min  int // the seed must give at least this many hits, so a broken predicate cannot pass on empty sets
	}{
		{"", func(*Issue) bool { return true }, 200},
		{"project = WEB", func(is *Issue) bool { return is.Project.Key == "WEB" }, 50},
		{"project = web", func(is *Issue) bool { return is.Project.Key == "WEB" }, 50},
		{"project = \"Platform API\"", func(is *Issue) bool { return is.Project.Key == "API" }, 30},
		{"project in (WEB, MOB)", func(is *Issue) bool { return is.Project.Key == "WEB" || is.Project.Key == "MOB" }, 80},
		{"project not in (WEB, MOB)", func(is *Issue) bool { return is.Project.Key != "WEB" && is.Project.Key != "MOB" }, 30},
		{"project != WEB", func(is *Issue) bool { return is.Project.Key != "WEB" }, 100},
		{"key = WEB-2", func(is *Issue) bool { return is.Key == "WEB-2" }, 1},
		{"issuekey in (WEB-2, api-2)", func(is *Issue) bool { return is.Key == "WEB-2" || is.Key == "API-2" }, 2},
		{"key > WEB-80 and key <= WEB-85", func(is *Issue) bool { return is.Project.Key == "WEB" && is.Num > 80 && is.Num <= 85 }, 5},
		{"status = \"In Progress\"", func(is *Issue) bool { return is.Status.Name == "In Progress" }, 10},
		{"status in (\"To Do\", 10100)", func(is *Issue) bool { return is.Status.Name == "To Do" || is.Status.Name == "In Review" }, 20},
		{"statusCategory = Done", func(is *Issue) bool { return is.Status.Category.Key == "done" }, 20},
		{"statusCategory != done", func(is *Issue) bool { return is.Status.Category.Key != "done" }, 50},
		{"assignee = currentUser()", func(is *Issue) bool { return is.Assignee == "alice" }, 10},
		{"assignee = alice AND resolution = Unresolved", func(is *Issue) bool { return is.Assignee == "alice" && is.Resolution == nil }, 5},
		{"assignee is EMPTY", func(is *Issue) bool { return is.Assignee == "" }, 10},
		{"assignee = EMPTY", func(is *Issue) bool { return is.Assignee == "" }, 10},
		{"assignee is not EMPTY", func(is *Issue) bool { return is.Assignee != "" }, 100},
		{"assignee != alice", func(is *Issue) bool { return is.Assignee != "" && is.Assignee != "alice" }, 50},
		{"assignee in (alice, \"bob@example.com\")", func(is *Issue) bool { return is.Assignee == "alice" || is.Assignee == "bob" }, 30},
		{"assignee in membersOf(ops-team)", func(is *Issue) bool { return is.Assignee == "carol" || is.Assignee == "erin" }, 10},
		{"reporter = bob", func(is *Issue) bool { return is.Reporter == "bob" }, 10},
		{"priority = Blocker", func(is *Issue) bool { return is.Priority.Name == "Blocker" }, 5},
		{"priority > Major", func(is *Issue) bool { return is.Priority.Rank < 3 }, 20},
		{"priority <= Minor", func(is *Issue) bool { return is.Priority.Rank >= 4 }, 20},
		{"resolution = Fixed", func(is *Issue) bool { return is.Resolution != nil && is.Resolution.Name == "Fixed" }, 5},
		{"resolution is EMPTY", func(is *Issue) bool { return is.Resolution == nil }, 100},
		{"resolution is not EMPTY", func(is *Issue) bool { return is.Resolution != nil }, 20},
		{"issuetype = Bug", func(is *Issue) bool { return is.Type.Name == "Bug" }, 20},
		{"type in (Story, Epic)", func(is *Issue) bool { return is.Type.Name == "Story" || is.Type.Name == "Epic" }, 20},
		{"issuetype in subTaskIssueTypes()", func(is *Issue) bool { return is.Type.Subtask }, 3},
		{"labels = checkout", func(is *Issue) bool { return hasLabel(is, "checkout") }, 3},
		{"labels in (frontend, backend)", func(is *Issue) bool { return hasLabel(is, "frontend") || hasLabel(is, "backend") }, 10},
		{"labels is EMPTY", func(is *Issue) bool { return len(is.Labels) == 0 }, 10},
		{"labels != frontend", func(is *Issue) bool { return len(is.Labels) > 0 && !hasLabel(is, "frontend") }, 10},
		{"summary ~ checkout", func(is *Issue) bool { return textHas(is.Summary, "checkout") }, 5},
		{"summary ~ \"payment fails\"", func(is *Issue) bool { return textHas(is.Summary, "payment") && textHas(is.Summary, "fails") }, 1},
		{"summary ~ \"\\\"address autocomplete\\\"\"", func(is *Issue) bool { return strings.Contains(strings.ToLower(is.Summary), "address autocomplete") }, 1},
		{"summary ~ \"upgrad*\"", func(is *Issue) bool { return strings.Contains(strings.ToLower(is.Summary), "upgrad") }, 3},
		{"summary !~ checkout", func(is *Issue) bool { return !textHas(is.Summary, "checkout") }, 100},
		{"description ~ reproduce", func(is *Issue) bool { return textHas(is.Description, "reproduce") }, 10},
		{"description is EMPTY", func(is *Issue) bool { return is.Description == "" }, 5},
		{"text ~ vault", func(is *Issue) bool { return is.Key == "WEB-2" }, 1},
		// carol's comment on WEB-2 is restricted to the Developers role, which alice has in WEB.
		{"comment ~ debounce", func(is *Issue) bool { return is.Key == "WEB-2" }, 1},
		// dave's comment is restricted to security-team: alice must not find it.
		{"comment ~ \"security review\"", func(is *Issue) bool { return false }, 0},
		{"created >= -7d", func(is *Issue) bool { return !is.Created.Before(now.Add(-7 * day)) }, 3},
		{"updated >= -1w", func(is *Issue) bool { return !is.Updated.Before(now.Add(-7 * day)) }, 30},
		{"updated > -2d AND updated < -1h", func(is *Issue) bool {
			return is.Updated.After(now.Add(-2*day)) && is.Updated.Before(now.Add(-time.Hour))
		}, 3},
		{"created < \"2025-12-01\"", func(is *Issue) bool { return is.Created.Before(time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)) }, 50},
		{"created >= \"2026/01/01 10:00\"", func(is *Issue) bool { return !is.Created.Before(time.Date(2026, 1, 1, 10, 0, 0, 0, time.UTC)) }, 10},
		{"created >= startOfDay(-3d)", func(is *Issue) bool { return !is.Created.Before(now.Truncate(day).Add(-3 * day)) }, 1},
		{"created >= startOfDay(-3)", func(is *Issue) bool { return !is.Created.Before(now.Truncate(day).Add(-3 * day)) }, 1},
		{"created >= startOfMonth(-1) AND created < startOfMonth()", func(is *Issue) bool {
			return !is.Created.Before(time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)) && is.Created.Before(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
		}, 10},
		{"created >= startOfYear(-1M)", func(is *Issue) bool { return !is.Created.Before(time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)) }, 20},
		{"created < endOfYear(-1)", func(is *Issue) bool { return is.Created.Before(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)) }, 50},
		{"updated >= \"-60M\"", func(is *Issue) bool { return !is.Updated.Before(now.Add(-time.Hour)) }, 0},
		{"updated >= \"-3D\"", func(is *Issue) bool { return !is.Updated.Before(now.Add(-3 * day)) }, 10},
		{"updated >= \"-1d 12h\"", func(is *Issue) bool { return !is.Updated.Before(now.Add(-36 * time.Hour)) }, 5},
		{"created >= 1767225600000", func(is *Issue) bool { return !is.Created.Before(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)) }, 10},
		{"resolutiondate >= -30d", func(is *Issue) bool { return !is.Resolved.IsZero() && !is.Resolved.Before(now.Add(-30*day)) }, 3},
		{"duedate <= 7d", func(is *Issue) bool { return !is.Due.IsZero() && !is.Due.After(now.Add(7*day).Truncate(day)) }, 3},
		{"duedate is EMPTY", func(is *Issue) bool { return is.Due.IsZero() }, 100},
		{"\"Story Points\" >= 5", func(is *Issue) bool { return hasPoints(is) && is.Numbers[storyPoints] >= 5 }, 10},
		{"cf[10002] = 8", func(is *Issue) bool { return hasPoints(is) && is.Numbers[storyPoints] == 8 }, 3},
		{"\"story points\" is EMPTY", func(is *Issue) bool { return !hasPoints(is) }, 100},
		{"sprint in openSprints()", func(is *Issue) bool { return inSprint(is, "ACTIVE") }, 10},
		{"sprint in closedSprints()", func(is *Issue) bool { return inSprint(is, "CLOSED") }, 10},
		{"sprint = \"Storefront Sprint 13\"", func(is *Issue) bool { return inSprint(is, "ACTIVE") && is.Project.Key == "WEB" }, 5},
		{"sprint is EMPTY", func(is *Issue) bool { return len(is.Sprints) == 0 }, 50},
		{"\"Epic Link\" = WEB-1", func(is *Issue) bool {
			return is.EpicLink != nil && is.EpicLink.Project == "WEB" && is.EpicLink.Num == 1
		}, 3},
		{"cf[10003] is not EMPTY", func(is *Issue) bool { return is.EpicLink != nil }, 20},
		{"\"Review Team\" = Frontend", func(is *Issue) bool { return is.Options[reviewTeam].Value == "Frontend" }, 1},
		{"parent = WEB-6", func(is *Issue) bool { return is.Parent != nil && is.Parent.Project == "WEB" && is.Parent.Num == 6 }, 1},
		{"project = WEB AND (status = Done OR priority = Blocker)", func(is *Issue) bool {
			return is.Project.Key == "WEB" && (is.Status.Name == "Done" || is.Priority.Name == "Blocker")
		}, 10},
		{"project = WEB AND NOT status = Done", func(is *Issue) bool { return is.Project.Key == "WEB" && is.Status.Name != "Done" }, 20},
		{"project = WEB && !(status = Done || assignee = bob)", func(is *Issue) bool {
			return is.Project.Key == "WEB" && !(is.Status.Name == "Done" || is.Assignee == "bob")
		}, 10},
		{"project = OPS", func(is *Issue) bool { return is.Project.Key == "OPS" }, 10},
		{"component = Checkout", func(is *Issue) bool { return hasComponent(is, "Checkout") }, 10},
		// Two projects have a Payments component: the name finds both.
		{"component = payments", func(is *Issue) bool { return hasComponent(is, "Payments") }, 10},
		{"component = 10001", func(is *Issue) bool { return hasComponent(is, "Payments") && is.Project.Key == "WEB" }, 5},
		{"component in (\"API Gateway\", Android)", func(is *Issue) bool { return hasComponent(is, "API Gateway") || hasComponent(is, "Android") }, 10},
		{"component is EMPTY", func(is *Issue) bool { return len(is.Components) == 0 }, 30},
		{"project = WEB AND component != Checkout", func(is *Issue) bool {
			return is.Project.Key == "WEB" && len(is.Components) > 0 && !hasComponent(is, "Checkout")
		}, 10},
		// WEB and API both have a version 2.4.
		{"fixVersion = \"2.4\"", func(is *Issue) bool { return hasVersion(is, "2.4", true) }, 5},
		{"fixVersion = 2.5 AND project = API", func(is *Issue) bool { return hasVersion(is, "2.5", false) && is.Project.Key == "API" }, 3},
		{"fixVersion IS EMPTY", func(is *Issue) bool { return len(is.FixVersions) == 0 }, 50},
		{"fixVersion is not EMPTY", func(is *Issue) bool { return len(is.FixVersions) > 0 }, 30},
		{"fixVersion in releasedVersions()", func(is *Issue) bool {
			return slices.ContainsFunc(is.FixVersions, func(v Version) bool { return v.Released })
		}, 10},
		{"fixVersion in unreleasedVersions(WEB)", func(is *Issue) bool { return hasVersion(is, "2.5", false) && is.Project.Key == "WEB" }, 5},
		// Versions compare by sequence within their project: 2.3 is WEB's.
		{"fixVersion > 2.3", func(is *Issue) bool {
			return is.Project.Key == "WEB" && (hasVersion(is, "2.4", true) || hasVersion(is, "2.5", false))
		}, 10},
		{"cf[10006] = \"Checkout Squad\"", func(is *Issue) bool { return is.Options[team].Value == "Checkout Squad" }, 10},
		{"cf[10006] in (10201, SRE)", func(is *Issue) bool { return is.Options[team].ID == "10201" || is.Options[team].ID == "10203" }, 10},
		{"cf[10007] ~ storefront", func(is *Issue) bool { return is.Texts[teamText] == "storefront-web" }, 5},
		// By name, "Team" means both fields, ORed.
		{"Team is EMPTY", func(is *Issue) bool { return !hasTeam(is) || is.Texts[teamText] == "" }, 100},
		{"team is not EMPTY", func(is *Issue) bool { return hasTeam(is) || is.Texts[teamText] != "" }, 50},
	}
	for _, tt := range tests {
		t.Run(tt.jql, func(t *testing.T) {
			cq, err := Compile(tt.jql, d, true)
			if err != nil {
				t.Fatal(err)
			}
			got := cq.Search(d.Issues)
			var want []string
			for _, is := range d.Issues {
				if tt.want(is) {
					want = append(want, is.Key)
				}
			}
			gotKeys := make([]string, len(got))
			for i, is := range got {
				gotKeys[i] = is.Key
			}
			slices.Sort(gotKeys)
			slices.Sort(want)
			if !slices.Equal(gotKeys, want) {
				t.Errorf("got %d issues, want %d\n got %v\nwant %v", len(gotKeys), len(want), gotKeys, want)
			}
			if len(want) < tt.min {
				t.Errorf("seed gives %d hits, test needs at least %d", len(want), tt.min)
			}
		})
	}
}

func TestJQLWarningsWithoutValidation(t *testing.T) {
	d := fixture(t)
	cq, err := Compile("project = XYZ OR key = WEB-2", d, false)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"The value 'XYZ' does not exist for the field 'project'."}; !slices.Equal(cq.Warnings, want) {
		t.Errorf("warnings = %q, want %q", cq.Warnings, want)
	}
	if got := cq.Search(d.Issues); len(got) != 1 || got[0].Key != "WEB-2" {
		t.Errorf("got %d issues, want only WEB-2", len(got))
	}
}

func TestJQLOrdering(t *testing.T) {
	d := fixture(t)
	keysOf := func(jql string) []*Issue {
		t.Helper()
		cq, err := Compile(jql, d, true)
		if err != nil {
			t.Fatal(err)
		}
		return cq.Search(d.Issues)
	}
	tests := []struct {
		jql     string
		ordered func(a, b *Issue) bool // a may come before b
	}{
		{"project = WEB", func(a, b *Issue) bool { return a.Num > b.Num }},
		{"", func(a, b *Issue) bool { return cmpKey(a, b) > 0 }},
		{"project = WEB ORDER BY created ASC", func(a, b *Issue) bool { return !a.Created.After(b.Created) }},
		{"project = WEB ORDER BY updated DESC", func(a, b *Issue) bool { return !a.Updated.Before(b.Updated) }},
		{"project = WEB ORDER BY priority DESC, key ASC", func(a, b *Issue) bool {
			return a.Priority.Rank < b.Priority.Rank || a.Priority.Rank == b.Priority.Rank && a.Num < b.Num
		}},
		{"project = WEB ORDER BY \"Story Points\" ASC", func(a, b *Issue) bool {
			return hasPoints(a) && (!hasPoints(b) || a.Numbers[storyPoints] <= b.Numbers[storyPoints]) || !hasPoints(a) && !hasPoints(b)
		}},
		{"ORDER BY key ASC", func(a, b *Issue) bool { return cmpKey(a, b) < 0 }},
		{"project = WEB ORDER BY status", func(a, b *Issue) bool { return a.Status.Order <= b.Status.Order }},
		{"project = WEB AND fixVersion is not EMPTY ORDER BY fixVersion DESC", func(a, b *Issue) bool {
			return a.FixVersions[0].Seq >= b.FixVersions[0].Seq
		}},
		{"project = MOB ORDER BY component", func(a, b *Issue) bool {
			return len(b.Components) == 0 || len(a.Components) > 0 && a.Components[0].Name <= b.Components[0].Name
		}},
		{"project = WEB ORDER BY Team", func(a, b *Issue) bool {
			return !hasTeam(b) || hasTeam(a) && a.Options[team].Value <= b.Options[team].Value
		}},
	}
	for _, tt := range tests {
		t.Run(tt.jql, func(t *testing.T) {
			got := keysOf(tt.jql)
			if len(got) < 2 {
				t.Fatalf("only %d hits", len(got))
			}
			for i := 1; i < len(got); i++ {
				if !tt.ordered(got[i-1], got[i]) {
					t.Fatalf("%s before %s breaks the order", got[i-1].Key, got[i].Key)
				}
			}
		})
	}
}

func TestParsePeriod(t *testing.T) {
	day := 24 * time.Hour
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"-7d", -7 * day, true},
		{"-2w", -14 * day, true},
		{"4w 2d", 30 * day, true},
		{"-1h 30m", -90 * time.Minute, true},
		{"1w,2d", 9 * day, true},
		{"+5m", 5 * time.Minute, true},
		// Units are case-insensitive: "M" is minutes, not months.
		{"-7D", -7 * day, true},
		{"-60M", -time.Hour, true},
		{"-1W", -7 * day, true},
		{"2days", 2 * day, true},
		{"3 hours", 0, false}, // "3" then "hours": no number before the unit
		// A number alone is minutes.
		{"7", 7 * time.Minute, true},
		{"-90", -90 * time.Minute, true},
		// Parts need spaces; relative dates know no months or years.
		{"-1h30m", 0, false},
		{"3y", 0, false},
		{"-1y", 0, false},
		{"-d", 0, false},
		{"", 0, false},
		{"-", 0, false},
		{"1.5h", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := parsePeriod(tt.in)
			if got != tt.want || ok != tt.ok {
				t.Errorf("parsePeriod(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}

// TestJQLDateFunctions pins startOf/endOf with increments to what Jira's
// StartOfDayFunction and siblings compute, on a clock where month
// arithmetic must clamp (31 March) and weeks start on Sunday.
func TestJQLDateFunctions(t *testing.T) {
	now := time.Date(2026, 3, 31, 10, 30, 0, 0, time.UTC) // a Tuesday
	at := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, time.UTC) }
	end := func(y int, m time.Month, d int) time.Time {
		return time.Date(y, m, d, 23, 59, 59, int(999*time.Millisecond), time.UTC)
	}
	tests := []struct {
		fn   string
		args []string
		want time.Time
	}{
		{"now", nil, now},
		{"startOfDay", nil, at(2026, 3, 31, 0, 0)},
		{"endOfDay", nil, end(2026, 3, 31)},
		// An increment without a unit counts the function's own period.
		{"startOfDay", []string{"-1"}, at(2026, 3, 30, 0, 0)},
		{"endOfDay", []string{"+1"}, end(2026, 4, 1)},
		{"startOfWeek", []string{"-1"}, at(2026, 3, 22, 0, 0)},
		{"endOfWeek", []string{"1"}, end(2026, 4, 11)},
		{"startOfMonth", []string{"-1"}, at(2026, 2, 1, 0, 0)},
		{"endOfMonth", []string{"-1"}, end(2026, 2, 28)},
		{"startOfYear", []string{"-1"}, at(2025, 1, 1, 0, 0)},
		{"endOfYear", []string{"+1"}, end(2027, 12, 31)},
		// Units: y and M move the clock before snapping to the period...
		{"startOfDay", []string{"-1M"}, at(2026, 2, 28, 0, 0)},
		{"startOfDay", []string{"-1y"}, at(2025, 3, 31, 0, 0)},
		{"startOfWeek", []string{"-1M"}, at(2026, 2, 22, 0, 0)},
		{"startOfMonth", []string{"-1y"}, at(2025, 3, 1, 0, 0)},
		{"endOfMonth", []string{"+11M"}, end(2027, 2, 28)},
		// ...smaller units move the boundary after it.
		{"startOfDay", []string{"-3d"}, at(2026, 3, 28, 0, 0)},
		{"startOfDay", []string{"-90m"}, at(2026, 3, 30, 22, 30)},
		{"endOfDay", []string{"+2h"}, time.Date(2026, 4, 1, 1, 59, 59, int(999*time.Millisecond), time.UTC)},
		{"endOfMonth", []string{"1w"}, end(2026, 4, 7)},
		{"startOfYear", []string{"+1M"}, at(2026, 2, 1, 0, 0)},
		{"endOfYear", []string{"-1M"}, end(2026, 11, 30)},
		{"startOfMonth", []string{"2d"}, at(2026, 3, 3, 0, 0)},
	}
	// In February, moving the month before or after snapping to its end
	// gives different answers: Jira moves first.
	feb := time.Date(2026, 2, 10, 9, 0, 0, 0, time.UTC)
	febTests := []struct {
		fn   string
		args []string
		want time.Time
	}{
		{"endOfMonth", []string{"+1"}, end(2026, 3, 31)},
		{"endOfMonth", []string{"1M"}, end(2026, 3, 31)},
		{"endOfMonth", []string{"+1y"}, end(2027, 2, 28)},
		{"endOfYear", []string{"-1"}, end(2025, 12, 31)},
		{"endOfWeek", nil, end(2026, 2, 14)},
		{"startOfWeek", nil, at(2026, 2, 8, 0, 0)},
	}
	for _, tt := range tests {
		o := &operand{fn: tt.fn, args: tt.args}
		t.Run(o.String(), func(t *testing.T) {
			got, msg := (&compiler{now: now}).dateFunction(o)
			if msg != "" || !got.Equal(tt.want) {
				t.Errorf("= %v %q, want %v", got, msg, tt.want)
			}
		})
	}
	for _, tt := range febTests {
		o := &operand{fn: tt.fn, args: tt.args}
		t.Run("February "+o.String(), func(t *testing.T) {
			got, msg := (&compiler{now: feb}).dateFunction(o)
			if msg != "" || !got.Equal(tt.want) {
				t.Errorf("= %v %q, want %v", got, msg, tt.want)
			}
		})
	}
}

func TestJQLDateErrors(t *testing.T) {
	d := fixture(t)
	duration := func(fn string) []string {
		return []string{"Duration for function '" + fn + "' should have the format (+/-)n(yMwdm), e.g -1M for 1 month earlier."}
	}
	tests := []struct {
		jql  string
		want []string
	}{
		// Function units are case-sensitive and single, unlike relative dates.
		{"created > startOfDay(-1D)", duration("startOfDay")},
		{"created > startOfMonth(-1Y)", duration("startOfMonth")},
		{"created > endOfDay(\"-1w 2d\")", duration("endOfDay")},
		{"created > startOfWeek(soon)", duration("startOfWeek")},
		{"created > startOfDay(1, 2)", []string{"Function 'startOfDay' expected between '0' and '1' arguments but received '2'."}},
		{"created > now(-1d)", []string{"Function 'now' expected '0' arguments but received '1'."}},
		{"created > currentUser()", []string{"A value provided by the function 'currentUser' is invalid for the field 'created'."}},
		{"created > -1y", []string{"Date value '-1y' for field 'created' is invalid. " + dateFormatsHelp}},
		{"created > \"-1h30m\"", []string{"Date value '-1h30m' for field 'created' is invalid. " + dateFormatsHelp}},
	}
	for _, tt := range tests {
		t.Run(tt.jql, func(t *testing.T) { wantJQLError(t, d, tt.jql, tt.want...) })
	}
}

// wantJQLError compiles jql and expects exactly Jira's messages want.
func wantJQLError(t *testing.T, d *Data, jql string, want ...string) {
	t.Helper()
	_, err := Compile(jql, d, true)
	var je *Error
	if !errors.As(err, &je) {
		t.Fatalf("err = %v, want a JQL error", err)
	}
	if !slices.Equal(je.Messages, want) {
		t.Errorf("messages = %q\nwant        %q", je.Messages, want)
	}
}
