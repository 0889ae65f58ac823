package jql

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Kind is how JQL treats a field: its operators, values and order.
type Kind int

// Kinds a custom field may have.
const (
	KindText     Kind = iota // ~ and !~, like summary
	KindNumber               // = and ranges, like Story Points
	KindSelect               // one option, by value or id
	KindSprint               // sprints, by name or id, and the sprint functions
	KindEpicLink             // an epic, by key or id
	// System fields only.
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
	kParent
	kComponent
	kVersion
)

// field is a field a clause names.
type field struct {
	id     string // field id ("" for pseudo fields such as text)
	kind   Kind
	custom bool
}

// systemFields are the clause names of Jira's system fields, lower case.
var systemFields = map[string]field{
	"project":        {"project", kProject, false},
	"key":            {"issuekey", kKey, false},
	"issuekey":       {"issuekey", kKey, false},
	"id":             {"issuekey", kKey, false},
	"issue":          {"issuekey", kKey, false},
	"status":         {"status", kStatus, false},
	"statuscategory": {"", kStatusCategory, false},
	"assignee":       {"assignee", kUser, false},
	"reporter":       {"reporter", kUser, false},
	"creator":        {"creator", kUser, false},
	"priority":       {"priority", kPriority, false},
	"resolution":     {"resolution", kResolution, false},
	"issuetype":      {"issuetype", kType, false},
	"type":           {"issuetype", kType, false},
	"labels":         {"labels", kLabels, false},
	"summary":        {"summary", KindText, false},
	"description":    {"description", KindText, false},
	"environment":    {"environment", KindText, false},
	"comment":        {"comment", KindText, false},
	"text":           {"", KindText, false},
	"created":        {"created", kDate, false},
	"createddate":    {"created", kDate, false},
	"updated":        {"updated", kDate, false},
	"updateddate":    {"updated", kDate, false},
	"resolutiondate": {"resolutiondate", kDate, false},
	"resolved":       {"resolutiondate", kDate, false},
	"duedate":        {"duedate", kDueDate, false},
	"due":            {"duedate", kDueDate, false},
	"parent":         {"parent", kParent, false},
	"component":      {"components", kComponent, false},
	"fixversion":     {"fixVersions", kVersion, false},
}

// lookupFields finds the fields a clause name means. Several custom fields
// may share a name: Jira runs every such field's validator on the clause
// and ORs their queries, so "Team = X" fails on a text field named Team
// and "Team ~ x" on a select one.
func (d *Data) lookupFields(name string) []field {
	name = strings.ToLower(name)
	if f, ok := systemFields[name]; ok {
		return []field{f}
	}
	var out []field
	for _, f := range d.Fields {
		if slices.ContainsFunc(f.Clauses, func(c string) bool { return strings.ToLower(c) == name }) {
			out = append(out, field{f.ID, f.Kind, true})
		}
	}
	return out
}

var (
	eqOps    = []string{"=", "!=", "in", "not in", "is", "is not"}
	rangeOps = []string{"<", "<=", ">", ">="}
	textOps  = []string{"~", "!~", "is", "is not"}
)

func (k Kind) ops() []string {
	switch k {
	case KindText:
		return textOps
	case kKey, kDate, kDueDate, KindNumber, kPriority, kVersion:
		return append(append([]string{}, eqOps...), rangeOps...)
	}
	return eqOps
}

// emptyOK tells whether the field accepts EMPTY.
func (k Kind) emptyOK() bool {
	switch k {
	case kProject, kKey, kStatus, kStatusCategory, kType:
		return false
	}
	return true
}

// emptyTest is the IS EMPTY test of a field.
func emptyTest(f field) func(*Issue) bool {
	switch f.kind {
	case kUser:
		return func(is *Issue) bool { return userOf(is, f.id) == "" }
	case kPriority:
		return func(is *Issue) bool { return is.Priority == nil }
	case kResolution:
		return func(is *Issue) bool { return is.Resolution == nil }
	case kLabels:
		return func(is *Issue) bool { return len(is.Labels) == 0 }
	case kDate, kDueDate:
		return func(is *Issue) bool { return dateOf(is, f.id).IsZero() }
	case KindNumber:
		return func(is *Issue) bool { _, ok := is.Numbers[f.id]; return !ok }
	case KindSprint:
		return func(is *Issue) bool { return len(is.Sprints) == 0 }
	case KindEpicLink:
		return func(is *Issue) bool { return is.EpicLink == nil }
	case KindSelect:
		return func(is *Issue) bool { _, ok := is.Options[f.id]; return !ok }
	case kParent:
		return func(is *Issue) bool { return is.Parent == nil }
	case kComponent:
		return func(is *Issue) bool { return len(is.Components) == 0 }
	case kVersion:
		return func(is *Issue) bool { return len(is.FixVersions) == 0 }
	case KindText:
		return func(is *Issue) bool {
			for _, s := range texts(is, f) {
				if strings.TrimSpace(s) != "" {
					return false
				}
			}
			return true
		}
	}
	return func(*Issue) bool { return false }
}

func userOf(is *Issue, id string) string {
	switch id {
	case "assignee":
		return is.Assignee
	case "reporter":
		return is.Reporter
	}
	return is.Creator
}

func dateOf(is *Issue, id string) time.Time {
	switch id {
	case "created":
		return is.Created
	case "updated":
		return is.Updated
	case "resolutiondate":
		return is.Resolved
	}
	return is.Due
}

var kindNames = map[Kind]string{KindText: "text", KindNumber: "number", KindSelect: "select", KindSprint: "sprint", KindEpicLink: "epic link"}

// MarshalText names the kinds a custom field may have.
func (k Kind) MarshalText() ([]byte, error) {
	if n, ok := kindNames[k]; ok {
		return []byte(n), nil
	}
	return nil, fmt.Errorf("jql: kind %d is not a custom field's", int(k))
}

// UnmarshalText reads a kind MarshalText wrote.
func (k *Kind) UnmarshalText(b []byte) error {
	for kind, n := range kindNames {
		if n == string(b) {
			*k = kind
			return nil
		}
	}
	return fmt.Errorf("jql: unknown field kind %q", b)
}
