package emulator

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// This file compiles a parsed JQL query against the data into a predicate
// and a comparator, validating fields, operators and values as Jira does.

type fieldKind int

const (
	kText fieldKind = iota
	kProject
	kKey
	kStatus
	kStatusCategory
	kUser
	kPriority
	kResolution
	kType
	kLabels
	kDate
	kDueDate
	kNumber
	kSprint
	kEpicLink
	kOption
	kParent
	kComponent
	kVersion
)

type jqlField struct {
	id   string // field id ("" for pseudo fields such as text)
	kind fieldKind
	name string // the name Jira uses in messages
}

var jqlFields = map[string]jqlField{
	"project":        {"project", kProject, "project"},
	"key":            {"issuekey", kKey, "key"},
	"issuekey":       {"issuekey", kKey, "issuekey"},
	"id":             {"issuekey", kKey, "id"},
	"issue":          {"issuekey", kKey, "issue"},
	"status":         {"status", kStatus, "status"},
	"statuscategory": {"", kStatusCategory, "statusCategory"},
	"assignee":       {"assignee", kUser, "assignee"},
	"reporter":       {"reporter", kUser, "reporter"},
	"creator":        {"creator", kUser, "creator"},
	"priority":       {"priority", kPriority, "priority"},
	"resolution":     {"resolution", kResolution, "resolution"},
	"issuetype":      {"issuetype", kType, "issuetype"},
	"type":           {"issuetype", kType, "type"},
	"labels":         {"labels", kLabels, "labels"},
	"summary":        {"summary", kText, "summary"},
	"description":    {"description", kText, "description"},
	"environment":    {"environment", kText, "environment"},
	"comment":        {"comment", kText, "comment"},
	"text":           {"", kText, "text"},
	"created":        {"created", kDate, "created"},
	"createddate":    {"created", kDate, "createdDate"},
	"updated":        {"updated", kDate, "updated"},
	"updateddate":    {"updated", kDate, "updatedDate"},
	"resolutiondate": {"resolutiondate", kDate, "resolutiondate"},
	"resolved":       {"resolutiondate", kDate, "resolved"},
	"duedate":        {"duedate", kDueDate, "duedate"},
	"due":            {"duedate", kDueDate, "due"},
	"parent":         {"parent", kParent, "parent"},
	"sprint":         {fieldSprint, kSprint, "Sprint"},
	"cf[10001]":      {fieldSprint, kSprint, "Sprint"},
	"story points":   {fieldStoryPoints, kNumber, "Story Points"},
	"cf[10002]":      {fieldStoryPoints, kNumber, "Story Points"},
	"epic link":      {fieldEpicLink, kEpicLink, "Epic Link"},
	"cf[10003]":      {fieldEpicLink, kEpicLink, "Epic Link"},
	"epic name":      {fieldEpicName, kText, "Epic Name"},
	"cf[10004]":      {fieldEpicName, kText, "Epic Name"},
	"review team":    {fieldReviewTeam, kOption, "Review Team"},
	"cf[10005]":      {fieldReviewTeam, kOption, "Review Team"},
	"cf[10006]":      {fieldTeam, kOption, "Team"},
	"cf[10007]":      {fieldTeamText, kText, "Team"},
	"component":      {"components", kComponent, "component"},
	"fixversion":     {"fixVersions", kVersion, "fixVersion"},
}

// ambiguousFields are clause names more than one field answers to. Jira
// runs every such field's validator on the clause and ORs their queries,
// so "Team = X" fails on the text field and "Team ~ x" on the select: only
// IS [NOT] EMPTY works by name, and clients must use cf[id].
var ambiguousFields = map[string][]jqlField{
	"team": {{fieldTeam, kOption, "Team"}, {fieldTeamText, kText, "Team"}},
}

type compiled struct {
	match    func(*issue) bool
	less     func(a, b *issue) bool
	warnings []string
}

type compiler struct {
	db       *database
	user     *user
	now      time.Time
	validate bool
	errs     []string
	warnings []string
}

// compileJQL parses and validates q for u. With validate false, value errors
// become warnings and their clauses match nothing (validateQuery=false).
func (db *database) compileJQL(q string, u *user, validate bool) (*compiled, error) {
	ast, err := parseJQL(q)
	if err != nil {
		return nil, err
	}
	c := &compiler{db: db, user: u, now: db.now().UTC(), validate: validate}
	out := &compiled{match: func(*issue) bool { return true }}
	if ast.where != nil {
		out.match = c.node(ast.where)
	}
	out.less = c.order(ast)
	if len(c.errs) > 0 {
		return nil, &jqlError{c.errs}
	}
	out.warnings = c.warnings
	return out, nil
}

func (c *compiler) fail(format string, args ...any) func(*issue) bool {
	c.errs = append(c.errs, fmt.Sprintf(format, args...))
	return func(*issue) bool { return false }
}

// valueFail reports a value that does not exist: an error, or a warning
// when the caller asked not to validate.
func (c *compiler) valueFail(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if c.validate {
		c.errs = append(c.errs, msg)
	} else {
		c.warnings = append(c.warnings, msg)
	}
}

func (c *compiler) node(n node) func(*issue) bool {
	switch n := n.(type) {
	case boolNode:
		fs := make([]func(*issue) bool, len(n.kids))
		for i, k := range n.kids {
			fs[i] = c.node(k)
		}
		if n.and {
			return func(is *issue) bool {
				for _, f := range fs {
					if !f(is) {
						return false
					}
				}
				return true
			}
		}
		return func(is *issue) bool {
			for _, f := range fs {
				if f(is) {
					return true
				}
			}
			return false
		}
	case notNode:
		f := c.node(n.kid)
		return func(is *issue) bool { return !f(is) }
	case clause:
		return c.clause(n)
	}
	panic("emulator: unknown JQL node")
}

func lookupField(name string) (jqlField, bool) {
	f, ok := jqlFields[strings.ToLower(name)]
	return f, ok
}

var (
	eqOps    = []string{"=", "!=", "in", "not in", "is", "is not"}
	rangeOps = []string{"<", "<=", ">", ">="}
	textOps  = []string{"~", "!~", "is", "is not"}
)

func (k fieldKind) ops() []string {
	switch k {
	case kText:
		return textOps
	case kKey, kDate, kDueDate, kNumber, kPriority, kVersion:
		return append(append([]string{}, eqOps...), rangeOps...)
	}
	return eqOps
}

// emptyOK tells whether the field accepts EMPTY.
func (k fieldKind) emptyOK() bool {
	switch k {
	case kProject, kKey, kStatus, kStatusCategory, kType:
		return false
	}
	return true
}

func (c *compiler) clause(cl clause) func(*issue) bool {
	if alts, ok := ambiguousFields[strings.ToLower(cl.field.text)]; ok {
		var fs []func(*issue) bool
		for _, f := range alts {
			fs = append(fs, c.fieldClause(cl, f))
		}
		return func(is *issue) bool {
			for _, f := range fs {
				if f(is) {
					return true
				}
			}
			return false
		}
	}
	f, ok := lookupField(cl.field.text)
	if !ok {
		return c.fail("Field '%s' does not exist or you do not have permission to view it.", cl.field.text)
	}
	return c.fieldClause(cl, f)
}

func (c *compiler) fieldClause(cl clause, f jqlField) func(*issue) bool {
	if !containsString(f.kind.ops(), cl.op) {
		return c.fail("The operator '%s' is not supported by the '%s' field.", cl.op, cl.field.text)
	}
	o := cl.operand
	switch cl.op {
	case "is", "is not":
		if !o.empty {
			return c.fail("The operator '%s' only supports the use of the 'EMPTY' keyword. Value '%s' is not valid for field '%s'.", cl.op, o, cl.field.text)
		}
	case "in", "not in":
		if !o.isList() && o.fn == "" {
			o = &operand{tok: o.tok, list: []*operand{o}}
		}
	default:
		if o.isList() {
			return c.fail("The operator '%s' does not support the list value '%s' for field '%s'.", cl.op, o, cl.field.text)
		}
	}
	if o.empty || (o.isList() && len(o.list) == 1 && o.list[0].empty) {
		if !f.kind.emptyOK() {
			return c.fail("The field '%s' does not support searching for EMPTY values.", cl.field.text)
		}
		isEmpty := c.emptyTest(f)
		if cl.op == "=" || cl.op == "is" || cl.op == "in" {
			return isEmpty
		}
		if cl.op == "!=" || cl.op == "is not" || cl.op == "not in" {
			return func(is *issue) bool { return !isEmpty(is) }
		}
		return c.fail("The operator '%s' does not support searching for EMPTY values.", cl.op)
	}
	if f.kind == kText {
		return c.text(cl, f, o)
	}
	switch cl.op {
	case "<", "<=", ">", ">=":
		return c.ranged(cl, f, o)
	}
	has := c.values(cl, f, o)
	switch cl.op {
	case "=", "in":
		return has
	}
	isEmpty := c.emptyTest(f)
	// Jira's negative operators never match issues whose field is empty.
	return func(is *issue) bool { return !isEmpty(is) && !has(is) }
}

func (c *compiler) emptyTest(f jqlField) func(*issue) bool {
	switch f.kind {
	case kUser:
		return func(is *issue) bool { return userOf(is, f.id) == "" }
	case kPriority:
		return func(is *issue) bool { return is.priority == nil }
	case kResolution:
		return func(is *issue) bool { return is.resolution == nil }
	case kLabels:
		return func(is *issue) bool { return len(is.labels) == 0 }
	case kDate, kDueDate:
		return func(is *issue) bool { return dateOf(is, f.id).IsZero() }
	case kNumber:
		return func(is *issue) bool { return is.storyPoints == nil }
	case kSprint:
		return func(is *issue) bool { return len(is.sprints) == 0 }
	case kEpicLink:
		return func(is *issue) bool { return is.epicLink == nil }
	case kOption:
		return func(is *issue) bool { return optionOf(is, f.id) == nil }
	case kParent:
		return func(is *issue) bool { return is.parent == nil }
	case kComponent:
		return func(is *issue) bool { return len(is.components) == 0 }
	case kVersion:
		return func(is *issue) bool { return len(is.fixVersions) == 0 }
	case kText:
		return func(is *issue) bool {
			for _, s := range c.texts(is, f) {
				if strings.TrimSpace(s) != "" {
					return false
				}
			}
			return true
		}
	}
	return func(*issue) bool { return false }
}

func userOf(is *issue, id string) string {
	switch id {
	case "assignee":
		return is.assignee
	case "reporter":
		return is.reporter
	}
	return is.creator
}

func dateOf(is *issue, id string) time.Time {
	switch id {
	case "created":
		return is.created
	case "updated":
		return is.updated
	case "resolutiondate":
		return is.resolved
	}
	return is.due
}

// flatten expands an operand (value, list or function) into plain values.
// Functions are evaluated by fn; it returns ok=false after reporting an error.
func (c *compiler) flatten(cl clause, o *operand, fn func(o *operand) ([]string, bool)) ([]*operand, bool) {
	if o.isList() {
		var out []*operand
		for _, x := range o.list {
			xs, ok := c.flatten(cl, x, fn)
			if !ok {
				return nil, false
			}
			out = append(out, xs...)
		}
		return out, true
	}
	if o.fn != "" {
		vals, ok := fn(o)
		if !ok {
			return nil, false
		}
		out := make([]*operand, len(vals))
		for i, v := range vals {
			out[i] = &operand{tok: token{kind: tString, text: v, raw: v}, fn: "=" + o.fn}
		}
		return out, true
	}
	return []*operand{o}, true
}

var knownFunctions = map[string]bool{
	"currentuser": true, "membersof": true, "opensprints": true, "closedsprints": true, "futuresprints": true,
	"now": true, "startofday": true, "endofday": true, "startofweek": true, "endofweek": true,
	"startofmonth": true, "endofmonth": true, "startofyear": true, "endofyear": true,
	"standardissuetypes": true, "subtaskissuetypes": true,
	"releasedversions": true, "unreleasedversions": true,
}

func (c *compiler) noFunction(cl clause, o *operand) ([]string, bool) {
	if !knownFunctions[strings.ToLower(o.fn)] {
		c.fail("Unable to find JQL function '%s()'.", o.fn)
		return nil, false
	}
	c.fail("A value provided by the function '%s' is invalid for the field '%s'.", o.fn, cl.field.text)
	return nil, false
}

// values compiles an equality test: does the issue hold one of the values?
func (c *compiler) values(cl clause, f jqlField, o *operand) func(*issue) bool {
	fname := cl.field.text
	valueErr := func(v string) {
		c.valueFail("The value '%s' does not exist for the field '%s'.", v, fname)
	}
	var fn func(o *operand) ([]string, bool)
	switch f.kind {
	case kUser:
		fn = func(o *operand) ([]string, bool) {
			switch strings.ToLower(o.fn) {
			case "currentuser":
				if c.user.isAnonymous() {
					return []string{}, true // anonymous is nobody's assignee
				}
				return []string{c.user.name}, true
			case "membersof":
				if len(o.args) != 1 || !c.db.groups[o.args[0]] {
					c.fail("Function 'membersOf' expected a group name that exists, got '%s'.", strings.Join(o.args, ", "))
					return nil, false
				}
				var out []string
				for _, n := range c.db.userOrder {
					if c.db.users[n].groups[o.args[0]] {
						out = append(out, n)
					}
				}
				return out, true
			}
			return c.noFunction(cl, o)
		}
	case kSprint:
		fn = func(o *operand) ([]string, bool) {
			state := map[string]string{"opensprints": "ACTIVE", "closedsprints": "CLOSED", "futuresprints": "FUTURE"}[strings.ToLower(o.fn)]
			if state == "" {
				return c.noFunction(cl, o)
			}
			out := []string{}
			for _, s := range c.db.sprints {
				if s.state == state {
					out = append(out, strconv.Itoa(s.id))
				}
			}
			return out, true
		}
	case kType:
		fn = func(o *operand) ([]string, bool) {
			var sub bool
			switch strings.ToLower(o.fn) {
			case "standardissuetypes":
			case "subtaskissuetypes":
				sub = true
			default:
				return c.noFunction(cl, o)
			}
			var out []string
			for _, t := range c.db.types {
				if t.subtask == sub {
					out = append(out, t.id)
				}
			}
			return out, true
		}
	case kVersion:
		fn = func(o *operand) ([]string, bool) {
			var released bool
			switch strings.ToLower(o.fn) {
			case "releasedversions":
				released = true
			case "unreleasedversions":
			default:
				return c.noFunction(cl, o)
			}
			var projects []*project
			for _, a := range o.args {
				p := c.db.findProject(a)
				if p == nil || !c.db.canBrowse(c.user, p) {
					c.fail("Could not resolve the project '%s' provided to function '%s'.", a, o.fn)
					return nil, false
				}
				projects = append(projects, p)
			}
			out := []string{}
			for _, v := range c.db.versions {
				if v.released == released && !v.archived && c.db.canBrowse(c.user, v.project) && (len(projects) == 0 || slices.Contains(projects, v.project)) {
					out = append(out, strconv.Itoa(v.id))
				}
			}
			return out, true
		}
	default:
		fn = func(o *operand) ([]string, bool) { return c.noFunction(cl, o) }
	}
	vals, ok := c.flatten(cl, o, fn)
	if !ok {
		return func(*issue) bool { return false }
	}
	db := c.db
	switch f.kind {
	case kProject:
		set := map[*project]bool{}
		for _, v := range vals {
			if p := db.findProject(v.tok.text); p != nil && db.canBrowse(c.user, p) {
				set[p] = true
			} else {
				valueErr(v.tok.text)
			}
		}
		return func(is *issue) bool { return set[is.project] }
	case kKey, kParent:
		set := map[*issue]bool{}
		for _, v := range vals {
			is, ok := c.issueValue(cl, v.tok.text)
			if ok {
				set[is] = true
			}
		}
		if f.kind == kParent {
			return func(is *issue) bool { return is.parent != nil && set[is.parent] }
		}
		return func(is *issue) bool { return set[is] }
	case kEpicLink:
		set := map[*issue]bool{}
		for _, v := range vals {
			is, ok := c.issueValue(cl, v.tok.text)
			if ok && is.typ.name != "Epic" {
				c.valueFail("The issue '%s' is not an epic and cannot be used in the 'Epic Link' field.", is.key)
			} else if ok {
				set[is] = true
			}
		}
		return func(is *issue) bool { return is.epicLink != nil && set[is.epicLink] }
	case kStatus:
		set := map[*status]bool{}
		for _, v := range vals {
			found := false
			for _, s := range db.statuses {
				if strings.EqualFold(s.name, v.tok.text) || s.id == v.tok.text {
					set[s], found = true, true
				}
			}
			if !found {
				valueErr(v.tok.text)
			}
		}
		return func(is *issue) bool { return set[is.status] }
	case kStatusCategory:
		set := map[*statusCategory]bool{}
		for _, v := range vals {
			found := false
			for _, sc := range []*statusCategory{catNew, catProg, catDone, catNone} {
				if strings.EqualFold(sc.name, v.tok.text) || strings.EqualFold(sc.key, v.tok.text) || strconv.Itoa(sc.id) == v.tok.text {
					set[sc], found = true, true
				}
			}
			if !found {
				valueErr(v.tok.text)
			}
		}
		return func(is *issue) bool { return set[is.status.cat] }
	case kUser:
		set := map[string]bool{}
		for _, v := range vals {
			if u := db.findUser(v.tok.text); u != nil {
				set[u.name] = true
			} else {
				valueErr(v.tok.text)
			}
		}
		return func(is *issue) bool { n := userOf(is, f.id); return n != "" && set[n] }
	case kPriority:
		set := map[*priority]bool{}
		for _, v := range vals {
			if p := db.findPriority(v.tok.text); p != nil {
				set[p] = true
			} else {
				valueErr(v.tok.text)
			}
		}
		return func(is *issue) bool { return set[is.priority] }
	case kResolution:
		set := map[*resolution]bool{}
		unresolved := false
		for _, v := range vals {
			if strings.EqualFold(v.tok.text, "Unresolved") {
				unresolved = true
				continue
			}
			found := false
			for _, r := range db.resolutions {
				if strings.EqualFold(r.name, v.tok.text) || r.id == v.tok.text {
					set[r], found = true, true
				}
			}
			if !found {
				valueErr(v.tok.text)
			}
		}
		return func(is *issue) bool {
			return is.resolution == nil && unresolved || is.resolution != nil && set[is.resolution]
		}
	case kType:
		set := map[*issueType]bool{}
		for _, v := range vals {
			found := false
			for _, t := range db.types {
				if strings.EqualFold(t.name, v.tok.text) || t.id == v.tok.text {
					set[t], found = true, true
				}
			}
			if !found {
				valueErr(v.tok.text)
			}
		}
		return func(is *issue) bool { return set[is.typ] }
	case kLabels:
		set := map[string]bool{}
		for _, v := range vals {
			set[v.tok.text] = true
		}
		return func(is *issue) bool {
			for _, l := range is.labels {
				if set[l] {
					return true
				}
			}
			return false
		}
	case kSprint:
		set := map[*sprint]bool{}
		for _, v := range vals {
			found := false
			for _, s := range db.sprints {
				if strings.EqualFold(s.name, v.tok.text) || strconv.Itoa(s.id) == v.tok.text {
					set[s], found = true, true
				}
			}
			if !found {
				valueErr(v.tok.text)
			}
		}
		return func(is *issue) bool {
			for _, s := range is.sprints {
				if set[s] {
					return true
				}
			}
			return false
		}
	case kOption:
		set := map[string]bool{}
		for _, v := range vals {
			found := false
			for _, op := range db.optionsOf(f.id) {
				if strings.EqualFold(op.value, v.tok.text) || op.id == v.tok.text {
					set[op.id], found = true, true
				}
			}
			if !found {
				c.valueFail("The option '%s' for field '%s' does not exist.", v.tok.text, fname)
			}
		}
		return func(is *issue) bool { o := optionOf(is, f.id); return o != nil && set[o.id] }
	case kComponent:
		set := map[*component]bool{}
		for _, v := range vals {
			found := false
			for _, cp := range db.components {
				if (strings.EqualFold(cp.name, v.tok.text) || strconv.Itoa(cp.id) == v.tok.text) && db.canBrowse(c.user, cp.project) {
					set[cp], found = true, true
				}
			}
			if !found {
				valueErr(v.tok.text)
			}
		}
		return func(is *issue) bool {
			for _, cp := range is.components {
				if set[cp] {
					return true
				}
			}
			return false
		}
	case kVersion:
		set := map[*version]bool{}
		for _, v := range vals {
			vs := c.versionsNamed(v.tok.text)
			if len(vs) == 0 && !strings.HasPrefix(v.fn, "=") {
				valueErr(v.tok.text)
			}
			for _, x := range vs {
				set[x] = true
			}
		}
		return func(is *issue) bool {
			for _, x := range is.fixVersions {
				if set[x] {
					return true
				}
			}
			return false
		}
	case kDate, kDueDate, kNumber:
		var preds []func(*issue) bool
		for _, v := range vals {
			preds = append(preds, c.ranged(cl, f, v))
		}
		return func(is *issue) bool {
			for _, p := range preds {
				if p(is) {
					return true
				}
			}
			return false
		}
	}
	return c.fail("Field '%s' does not exist or you do not have permission to view it.", fname)
}

// versionsNamed finds the versions a JQL value names (by name in every
// project the user may browse, or by id).
func (c *compiler) versionsNamed(v string) []*version {
	var out []*version
	for _, x := range c.db.versions {
		if (strings.EqualFold(x.name, v) || strconv.Itoa(x.id) == v) && c.db.canBrowse(c.user, x.project) {
			out = append(out, x)
		}
	}
	return out
}

// issueValue resolves an issue key or id used as a JQL value.
func (c *compiler) issueValue(cl clause, v string) (*issue, bool) {
	name := strings.ToLower(cl.field.text)
	if id, err := parseInt(v); err == nil {
		if is := c.db.byID[id]; is != nil && c.db.canBrowse(c.user, is.project) {
			return is, true
		}
		c.valueFail("An issue with key '%s' does not exist for field '%s'.", v, name)
		return nil, false
	}
	if !validKey(v) {
		c.valueFail("The issue key '%s' for field '%s' is invalid.", v, name)
		return nil, false
	}
	if is := c.db.byKey[strings.ToUpper(v)]; is != nil && c.db.canBrowse(c.user, is.project) {
		return is, true
	}
	c.valueFail("An issue with key '%s' does not exist for field '%s'.", v, name)
	return nil, false
}

// validKey matches Jira's default project key pattern plus a number.
func validKey(s string) bool {
	i := strings.LastIndexByte(s, '-')
	if i < 1 || i == len(s)-1 {
		return false
	}
	if _, err := parseInt(s[i+1:]); err != nil {
		return false
	}
	for j, r := range s[:i] {
		isLetter := r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z'
		if j == 0 && !isLetter || !isLetter && !(r >= '0' && r <= '9') && r != '_' {
			return false
		}
	}
	return true
}

// ranged compiles <, <=, >, >= and = on ordered fields (and = on dates and
// numbers, where it is an exact comparison).
func (c *compiler) ranged(cl clause, f jqlField, o *operand) func(*issue) bool {
	op := cl.op
	if op == "in" || op == "not in" || op == "!=" {
		op = "="
	}
	cmp := func(x int) bool {
		switch op {
		case "<":
			return x < 0
		case "<=":
			return x <= 0
		case ">":
			return x > 0
		case ">=":
			return x >= 0
		}
		return x == 0
	}
	if o.isList() {
		return c.fail("The operator '%s' does not support the list value '%s' for field '%s'.", cl.op, o, cl.field.text)
	}
	switch f.kind {
	case kDate, kDueDate:
		t, ok := c.dateValue(cl, o)
		if !ok {
			return func(*issue) bool { return false }
		}
		if f.kind == kDueDate {
			t = t.Truncate(24 * time.Hour)
		}
		return func(is *issue) bool {
			d := dateOf(is, f.id)
			return !d.IsZero() && cmp(d.Compare(t))
		}
	case kNumber:
		if o.fn != "" {
			c.noFunction(cl, o)
			return func(*issue) bool { return false }
		}
		n, err := strconv.ParseFloat(o.tok.text, 64)
		if err != nil {
			c.valueFail("The value '%s' is not a valid number for the field '%s'.", o.tok.text, cl.field.text)
			return func(*issue) bool { return false }
		}
		return func(is *issue) bool {
			if is.storyPoints == nil {
				return false
			}
			switch {
			case *is.storyPoints < n:
				return cmp(-1)
			case *is.storyPoints > n:
				return cmp(1)
			}
			return cmp(0)
		}
	case kPriority:
		if o.fn != "" {
			c.noFunction(cl, o)
			return func(*issue) bool { return false }
		}
		p := c.db.findPriority(o.tok.text)
		if p == nil {
			c.valueFail("The value '%s' does not exist for the field '%s'.", o.tok.text, cl.field.text)
			return func(*issue) bool { return false }
		}
		// A higher priority has a lower rank: "priority > Major" is Critical or Blocker.
		return func(is *issue) bool { return is.priority != nil && cmp(p.rank-is.priority.rank) }
	case kVersion:
		if o.fn != "" {
			c.noFunction(cl, o)
			return func(*issue) bool { return false }
		}
		refs := c.versionsNamed(o.tok.text)
		if len(refs) == 0 {
			c.valueFail("The value '%s' does not exist for the field '%s'.", o.tok.text, cl.field.text)
			return func(*issue) bool { return false }
		}
		// Versions compare by their sequence within one project.
		return func(is *issue) bool {
			for _, x := range is.fixVersions {
				for _, ref := range refs {
					if x.project == ref.project && cmp(x.seq-ref.seq) {
						return true
					}
				}
			}
			return false
		}
	case kKey:
		if o.fn != "" {
			c.noFunction(cl, o)
			return func(*issue) bool { return false }
		}
		ref, ok := c.issueValue(cl, o.tok.text)
		if !ok {
			return func(*issue) bool { return false }
		}
		return func(is *issue) bool { return is.project == ref.project && cmp(is.num-ref.num) }
	}
	return c.fail("The operator '%s' is not supported by the '%s' field.", cl.op, cl.field.text)
}

const dateFormatsHelp = "Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'."

func (c *compiler) dateValue(cl clause, o *operand) (time.Time, bool) {
	if o.fn != "" {
		if !knownFunctions[strings.ToLower(o.fn)] {
			c.fail("Unable to find JQL function '%s()'.", o.fn)
			return time.Time{}, false
		}
		t, msg := c.dateFunction(o)
		if msg == "" && t.IsZero() {
			msg = fmt.Sprintf("A value provided by the function '%s' is invalid for the field '%s'.", o.fn, cl.field.text)
		}
		if msg != "" {
			c.fail("%s", msg)
			return time.Time{}, false
		}
		return t, true
	}
	v := strings.TrimSpace(o.tok.text)
	for _, layout := range []string{"2006/01/02 15:04", "2006-01-02 15:04", "2006/01/02", "2006-01-02", "2006/1/2", "2006-1-2"} {
		if t, err := time.ParseInLocation(layout, v, time.UTC); err == nil {
			return t, true
		}
	}
	// An unquoted number is milliseconds since the epoch; a quoted one is a
	// period in minutes.
	if o.tok.kind == tWord {
		if ms, err := strconv.ParseInt(v, 10, 64); err == nil {
			return time.UnixMilli(ms).UTC(), true
		}
	}
	if d, ok := parsePeriod(v); ok {
		return c.now.Add(d), true
	}
	c.fail("Date value '%s' for field '%s' is invalid. %s", o.tok.text, cl.field.text, dateFormatsHelp)
	return time.Time{}, false
}

// parsePeriod parses Jira's relative periods ("-7d", "4w 2d", "-1h 30m",
// "+2w") as atlassian-core's DateUtils.getDurationWithNegative does: a
// leading sign, then space- or comma-separated parts, each a number and a
// unit w, d, h or m (or minute(s), hour(s), day(s), week(s)), case-insensitive
// so "M" is minutes; a number without a unit is minutes. There are no months
// or years in a relative date: Jira refuses "-1y" ("-1M" is one minute).
func parsePeriod(s string) (time.Duration, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	sign := time.Duration(1)
	switch {
	case strings.HasPrefix(s, "-"):
		sign, s = -1, s[1:]
	case strings.HasPrefix(s, "+"):
		s = s[1:]
	}
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' })
	if len(parts) == 0 {
		return 0, false
	}
	var total time.Duration
	for _, p := range parts {
		i := 0
		for i < len(p) && p[i] >= '0' && p[i] <= '9' {
			i++
		}
		if i == 0 || i > 9 {
			return 0, false
		}
		n, _ := strconv.Atoi(p[:i])
		var unit time.Duration
		switch u := p[i:]; {
		case u == "" || u == "m" || u == "minute" || u == "minutes":
			unit = time.Minute
		case u == "h" || u == "hour" || u == "hours":
			unit = time.Hour
		case u == "d" || u == "day" || u == "days":
			unit = 24 * time.Hour
		case u == "w" || u == "week" || u == "weeks":
			unit = 7 * 24 * time.Hour
		default:
			return 0, false
		}
		total += time.Duration(n) * unit
	}
	return sign * total, true
}

// dateFn describes one of JQL's startOf/endOf functions (Jira's
// StartOfDayFunction and its siblings).
type dateFn struct {
	unit byte // the function's own period: an increment without a unit counts these
	// early lists the units applied before snapping to the period's
	// boundary; the others are applied after it. startOfMonth("-1M") is the
	// first of last month, endOfMonth("-1d") the day before the month's end.
	early string
	snap  func(time.Time) time.Time
}

const endOffset = 24*time.Hour - time.Millisecond

var dateFns = map[string]dateFn{
	"startofday":   {'d', "yM", startOfDay},
	"endofday":     {'d', "yM", func(t time.Time) time.Time { return startOfDay(t).Add(endOffset) }},
	"startofweek":  {'w', "yM", startOfWeek},
	"endofweek":    {'w', "yM", func(t time.Time) time.Time { return startOfWeek(t).AddDate(0, 0, 6).Add(endOffset) }},
	"startofmonth": {'M', "yM", startOfMonth},
	"endofmonth":   {'M', "yM", func(t time.Time) time.Time { return startOfMonth(t).AddDate(0, 1, -1).Add(endOffset) }},
	"startofyear":  {'y', "y", startOfYear},
	"endofyear":    {'y', "y", func(t time.Time) time.Time { return startOfYear(t).AddDate(1, 0, -1).Add(endOffset) }},
}

func startOfDay(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
}

// startOfWeek is Sunday: Jira's weeks start on the locale's first day,
// Sunday for en_US.
func startOfWeek(t time.Time) time.Time { return startOfDay(t).AddDate(0, 0, -int(t.Weekday())) }

func startOfMonth(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, t.Location())
}

func startOfYear(t time.Time) time.Time { return time.Date(t.Year(), 1, 1, 0, 0, 0, 0, t.Location()) }

// parseIncrement parses a date function's argument as Jira's
// AbstractDateFunction does: ([-+]?)(\d+)([mhdwMy]?), one part only, units
// case-sensitive ("M" months, "m" minutes). unit is 0 when none is given.
func parseIncrement(s string) (n int, unit byte, ok bool) {
	neg := false
	switch {
	case strings.HasPrefix(s, "-"):
		neg, s = true, s[1:]
	case strings.HasPrefix(s, "+"):
		s = s[1:]
	}
	if s != "" && strings.IndexByte("mhdwMy", s[len(s)-1]) >= 0 {
		unit, s = s[len(s)-1], s[:len(s)-1]
	}
	if s == "" || len(s) > 9 {
		return 0, 0, false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return 0, 0, false
		}
	}
	n, _ = strconv.Atoi(s)
	if neg {
		n = -n
	}
	return n, unit, true
}

// addPeriod adds n units as java.util.Calendar.add does: months and years
// keep the day of month, clamped to the target month's length.
func addPeriod(t time.Time, unit byte, n int) time.Time {
	switch unit {
	case 'y':
		return addMonths(t, 12*n)
	case 'M':
		return addMonths(t, n)
	case 'w':
		return t.AddDate(0, 0, 7*n)
	case 'd':
		return t.AddDate(0, 0, n)
	case 'h':
		return t.Add(time.Duration(n) * time.Hour)
	}
	return t.Add(time.Duration(n) * time.Minute)
}

func addMonths(t time.Time, n int) time.Time {
	first := time.Date(t.Year(), t.Month()+time.Month(n), 1, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), t.Location())
	last := first.AddDate(0, 1, -1).Day()
	return first.AddDate(0, 0, min(t.Day(), last)-1)
}

// dateFunction evaluates now() and the startOf/endOf functions; msg is
// Jira's error when the arguments are wrong. A zero time with no message
// means the function gives no date.
func (c *compiler) dateFunction(o *operand) (t time.Time, msg string) {
	name := strings.ToLower(o.fn)
	if name == "now" {
		if len(o.args) > 0 {
			return time.Time{}, fmt.Sprintf("Function '%s' expected '0' arguments but received '%d'.", o.fn, len(o.args))
		}
		return c.now, ""
	}
	f, ok := dateFns[name]
	if !ok {
		return time.Time{}, ""
	}
	if len(o.args) > 1 {
		return time.Time{}, fmt.Sprintf("Function '%s' expected between '0' and '1' arguments but received '%d'.", o.fn, len(o.args))
	}
	n, unit := 0, f.unit
	if len(o.args) == 1 {
		var u byte
		if n, u, ok = parseIncrement(o.args[0]); !ok {
			return time.Time{}, fmt.Sprintf("Duration for function '%s' should have the format (+/-)n(yMwdm), e.g -1M for 1 month earlier.", o.fn)
		}
		if u != 0 {
			unit = u
		}
	}
	early := strings.IndexByte(f.early, unit) >= 0
	t = c.now
	if early {
		t = addPeriod(t, unit, n)
	}
	t = f.snap(t)
	if !early {
		t = addPeriod(t, unit, n)
	}
	return t, ""
}

// Text search.

func (c *compiler) texts(is *issue, f jqlField) []string {
	switch f.id {
	case "summary":
		return []string{is.summary}
	case "description":
		return []string{is.description}
	case "environment":
		return []string{is.environment}
	case fieldEpicName:
		return []string{is.epicName}
	case fieldTeamText:
		return []string{is.teamText}
	case "comment":
		var out []string
		for _, cm := range is.comments {
			if c.db.canSeeComment(c.user, is, cm) {
				out = append(out, cm.body)
			}
		}
		return out
	}
	out := []string{is.summary, is.description, is.environment}
	for _, cm := range is.comments {
		if c.db.canSeeComment(c.user, is, cm) {
			out = append(out, cm.body)
		}
	}
	return out
}

func (c *compiler) text(cl clause, f jqlField, o *operand) func(*issue) bool {
	if o.isList() || o.fn != "" {
		return c.fail("The operator '%s' is not supported by the '%s' field for the value '%s'.", cl.op, cl.field.text, o)
	}
	q := o.tok.text
	phrase := ""
	if t := strings.TrimSpace(q); len(t) >= 2 && t[0] == '"' && t[len(t)-1] == '"' {
		phrase = strings.Join(words(t[1:len(t)-1]), " ")
	}
	var terms []string
	for _, w := range strings.FieldsFunc(strings.ToLower(q), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '*' && r != '?'
	}) {
		if w == "or" || w == "and" || stopWords[w] {
			continue
		}
		if w[0] == '*' || w[0] == '?' {
			return c.fail("The text query '%s' for field '%s' is not allowed to start with a wildcard.", q, cl.field.text)
		}
		terms = append(terms, w)
	}
	match := func(is *issue) bool {
		ts := c.texts(is, f)
		if phrase != "" {
			for _, t := range ts {
				if strings.Contains(strings.Join(words(t), " "), phrase) {
					return true
				}
			}
			return false
		}
		if len(terms) == 0 {
			return false
		}
		for _, term := range terms {
			found := false
			for _, t := range ts {
				if textHas(t, term) {
					found = true
					break
				}
			}
			if !found {
				return false
			}
		}
		return true
	}
	if cl.op == "!~" {
		return func(is *issue) bool { return !match(is) }
	}
	return match
}

var stopWords = map[string]bool{"a": true, "an": true, "the": true, "is": true, "are": true, "be": true, "to": true, "of": true, "in": true, "on": true, "at": true, "for": true, "with": true, "it": true, "this": true, "that": true, "by": true, "as": true, "no": true, "not": true, "if": true, "into": true, "such": true, "then": true, "there": true, "these": true, "they": true, "was": true, "will": true}

func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// textHas reports whether text holds term, with trailing-wildcard and the
// light English stemming Jira's analyzer applies ("fails" finds "failed").
func textHas(text, term string) bool {
	prefix := strings.HasSuffix(term, "*")
	term = strings.TrimRight(term, "*?")
	st := stem(term)
	for _, w := range words(text) {
		if prefix && strings.HasPrefix(w, term) || w == term || stem(w) == st {
			return true
		}
	}
	return false
}

func stem(w string) string {
	for _, suf := range []string{"ing", "ed", "es", "s"} {
		if len(w) > len(suf)+2 && strings.HasSuffix(w, suf) {
			return w[:len(w)-len(suf)]
		}
	}
	return w
}

// Ordering.

type sortField struct {
	cmp  func(a, b *issue) int // empty values compare as larger than any value
	desc bool
}

func (c *compiler) order(q *query) func(a, b *issue) bool {
	var keys []sortField
	if !q.hasOrder {
		// Jira orders a query without ORDER BY by issue key, newest first.
		keys = []sortField{{cmp: cmpKey, desc: true}}
	}
	for _, s := range q.order {
		cmp := c.sortCmp(s.field)
		if cmp != nil {
			keys = append(keys, sortField{cmp: cmp, desc: s.desc})
		}
	}
	return func(a, b *issue) bool {
		for _, k := range keys {
			x := k.cmp(a, b)
			if x == 0 {
				continue
			}
			if k.desc {
				return x > 0
			}
			return x < 0
		}
		return a.id > b.id
	}
}

func cmpKey(a, b *issue) int {
	if x := strings.Compare(a.project.key, b.project.key); x != 0 {
		return x
	}
	return a.num - b.num
}

func cmpEmpty(ae, be bool) (int, bool) {
	switch {
	case ae && be:
		return 0, true
	case ae:
		return 1, true
	case be:
		return -1, true
	}
	return 0, false
}

func cmpStr(a, b string) int {
	if x, done := cmpEmpty(a == "", b == ""); done {
		return x
	}
	return strings.Compare(strings.ToLower(a), strings.ToLower(b))
}

func cmpTime(a, b time.Time) int {
	if x, done := cmpEmpty(a.IsZero(), b.IsZero()); done {
		return x
	}
	return a.Compare(b)
}

func (c *compiler) sortCmp(t token) func(a, b *issue) int {
	name := strings.ToLower(t.text)
	if name == "rank" {
		return func(a, b *issue) int { return a.id - b.id }
	}
	if alts, ok := ambiguousFields[name]; ok {
		var cmps []func(a, b *issue) int
		for _, f := range alts {
			if cmp := c.fieldSortCmp(t, f); cmp != nil {
				cmps = append(cmps, cmp)
			}
		}
		return func(a, b *issue) int {
			for _, cmp := range cmps {
				if x := cmp(a, b); x != 0 {
					return x
				}
			}
			return 0
		}
	}
	f, ok := lookupField(name)
	if !ok {
		c.errs = append(c.errs, fmt.Sprintf("Not able to sort using field '%s'.", t.text))
		return nil
	}
	return c.fieldSortCmp(t, f)
}

func (c *compiler) fieldSortCmp(t token, f jqlField) func(a, b *issue) int {
	db := c.db
	display := func(n string) string {
		if u := db.users[n]; u != nil {
			return u.displayName
		}
		return ""
	}
	switch f.kind {
	case kKey:
		return cmpKey
	case kProject:
		return func(a, b *issue) int { return strings.Compare(a.project.name, b.project.name) }
	case kStatus:
		return func(a, b *issue) int { return a.status.order - b.status.order }
	case kStatusCategory:
		return func(a, b *issue) int { return a.status.cat.id - b.status.cat.id }
	case kUser:
		return func(a, b *issue) int { return cmpStr(display(userOf(a, f.id)), display(userOf(b, f.id))) }
	case kPriority:
		// Ascending priority is lowest first, as in Jira.
		return func(a, b *issue) int {
			if x, done := cmpEmpty(a.priority == nil, b.priority == nil); done {
				return x
			}
			return b.priority.rank - a.priority.rank
		}
	case kResolution:
		return func(a, b *issue) int {
			an, bn := "", ""
			if a.resolution != nil {
				an = a.resolution.name
			}
			if b.resolution != nil {
				bn = b.resolution.name
			}
			return cmpStr(an, bn)
		}
	case kType:
		return func(a, b *issue) int { return cmpStr(a.typ.name, b.typ.name) }
	case kDate, kDueDate:
		return func(a, b *issue) int { return cmpTime(dateOf(a, f.id), dateOf(b, f.id)) }
	case kNumber:
		return func(a, b *issue) int {
			if x, done := cmpEmpty(a.storyPoints == nil, b.storyPoints == nil); done {
				return x
			}
			switch {
			case *a.storyPoints < *b.storyPoints:
				return -1
			case *a.storyPoints > *b.storyPoints:
				return 1
			}
			return 0
		}
	case kSprint:
		return func(a, b *issue) int {
			ai, bi := 0, 0
			if len(a.sprints) > 0 {
				ai = a.sprints[len(a.sprints)-1].id
			}
			if len(b.sprints) > 0 {
				bi = b.sprints[len(b.sprints)-1].id
			}
			if x, done := cmpEmpty(ai == 0, bi == 0); done {
				return x
			}
			return ai - bi
		}
	case kEpicLink:
		return func(a, b *issue) int {
			if x, done := cmpEmpty(a.epicLink == nil, b.epicLink == nil); done {
				return x
			}
			return cmpKey(a.epicLink, b.epicLink)
		}
	case kOption:
		return func(a, b *issue) int {
			an, bn := "", ""
			if o := optionOf(a, f.id); o != nil {
				an = o.value
			}
			if o := optionOf(b, f.id); o != nil {
				bn = o.value
			}
			return cmpStr(an, bn)
		}
	case kComponent:
		names := func(is *issue) string {
			var ns []string
			for _, cp := range is.components {
				ns = append(ns, cp.name)
			}
			return strings.Join(ns, ", ")
		}
		return func(a, b *issue) int { return cmpStr(names(a), names(b)) }
	case kVersion:
		// By the earliest fix version's sequence, as Jira orders versions.
		first := func(is *issue) int {
			m := 0
			for _, v := range is.fixVersions {
				if m == 0 || v.seq < m {
					m = v.seq
				}
			}
			return m
		}
		return func(a, b *issue) int {
			if x, done := cmpEmpty(first(a) == 0, first(b) == 0); done {
				return x
			}
			return first(a) - first(b)
		}
	case kLabels:
		return func(a, b *issue) int { return cmpStr(strings.Join(a.labels, " "), strings.Join(b.labels, " ")) }
	case kText:
		if f.id == "summary" || f.id == fieldEpicName || f.id == fieldTeamText {
			return func(a, b *issue) int { return cmpStr(c.texts(a, f)[0], c.texts(b, f)[0]) }
		}
	}
	c.errs = append(c.errs, fmt.Sprintf("Field '%s' does not support sorting.", t.text))
	return nil
}

// search runs a compiled query over the issues u may browse.
func (db *database) search(cq *compiled, u *user) []*issue {
	var out []*issue
	for _, is := range db.issues {
		if db.canBrowse(u, is.project) && cq.match(is) {
			out = append(out, is)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return cq.less(out[i], out[j]) })
	return out
}

// Lookups shared by JQL and the REST handlers.

func (db *database) findProject(v string) *project {
	for _, p := range db.projects {
		if strings.EqualFold(p.key, v) || strings.EqualFold(p.name, v) || strconv.Itoa(p.id) == v {
			return p
		}
	}
	return nil
}

func (db *database) findUser(v string) *user {
	if u := db.users[strings.ToLower(v)]; u != nil {
		return u
	}
	for _, n := range db.userOrder {
		u := db.users[n]
		if strings.EqualFold(u.email, v) || strings.EqualFold(u.displayName, v) {
			return u
		}
	}
	return nil
}

func (db *database) findPriority(v string) *priority {
	for _, p := range db.priorities {
		if strings.EqualFold(p.name, v) || p.id == v {
			return p
		}
	}
	return nil
}
