package jql

import (
	"strconv"
	"strings"
	"time"
)

// Data is what a query sees: the issues it searches and the values its
// clauses may name, as one user sees them. The caller leaves out what the
// user may not browse (projects and their issues, components and versions,
// restricted comments): for the query it does not exist.
type Data struct {
	Now  time.Time // the clock, for relative dates and now(); UTC
	User string    // the searching user's name; "" for the anonymous user

	Issues []*Issue // in creation order: the order among equal sort keys
	Fields []Field  // custom fields; the system fields are built in

	Projects    []Project
	Users       []User // every user, active or not, in a stable order
	Statuses    []Status
	Categories  []Category
	Priorities  []Priority
	Resolutions []Resolution
	Types       []IssueType
	Sprints     []Sprint
	Components  []Component
	Versions    []Version
	Options     map[string][]Option // a select field's options, by field id
}

// Issue is what a query reads of an issue. (The JSON tags only keep the
// test fixture small.)
type Issue struct {
	ID      int
	Key     string
	Num     int // the number in the key
	Project Project
	Type    IssueType
	Status  Status

	Priority   *Priority   `json:",omitzero"` // nil when unset
	Resolution *Resolution `json:",omitzero"` // nil when unresolved

	// User names; "" when unset.
	Assignee string `json:",omitzero"`
	Reporter string `json:",omitzero"`
	Creator  string `json:",omitzero"`

	Summary     string
	Description string   `json:",omitzero"`
	Environment string   `json:",omitzero"`
	Comments    []string `json:",omitzero"` // bodies of the comments the user may see
	Labels      []string `json:",omitzero"`

	Created  time.Time
	Updated  time.Time
	Resolved time.Time `json:",omitzero"` // zero when unresolved
	Due      time.Time `json:",omitzero"` // a date; zero when unset

	Parent   *Ref `json:",omitzero"` // the parent of a sub-task
	EpicLink *Ref `json:",omitzero"`

	Sprints     []Sprint    `json:",omitzero"`
	Components  []Component `json:",omitzero"`
	FixVersions []Version   `json:",omitzero"`

	// Custom fields by id.
	Numbers map[string]float64 `json:",omitzero"`
	Options map[string]Option  `json:",omitzero"`
	Texts   map[string]string  `json:",omitzero"`
}

// Ref is an issue another one points at.
type Ref struct {
	ID      int
	Project string // the project's key
	Num     int
}

// Project is a project: its id, key and name all name it in a query.
type Project struct {
	ID        int
	Key, Name string
}

// User is a user: name, e-mail address and display name all name them.
type User struct {
	Name, DisplayName, Email string
	Groups                   []string
}

// Status is a workflow status; Order sorts statuses as the workflow does.
type Status struct {
	ID, Name string
	Order    int
	Category Category
}

// Category is a status category (To Do, In Progress, Done).
type Category struct {
	ID        int
	Key, Name string
}

// Priority is a priority; Rank 1 is the highest.
type Priority struct {
	ID, Name string
	Rank     int
}

// Resolution is a resolution.
type Resolution struct{ ID, Name string }

// IssueType is an issue type.
type IssueType struct {
	ID, Name string
	Subtask  bool
}

// Sprint is a sprint; State is ACTIVE, CLOSED or FUTURE.
type Sprint struct {
	ID          int
	Name, State string
}

// Component is a project component.
type Component struct {
	ID   int
	Name string
}

// Version is a project version. Seq orders the versions of one project.
type Version struct {
	ID                 int
	Name               string
	Project            int // the project's id
	Seq                int
	Released, Archived bool
}

// Option is an option of a select field.
type Option struct{ ID, Value string }

// Field is a custom field: its id, how JQL treats it, and the clause names
// it answers to (e.g. "cf[10002]" and "Story Points"), matched without
// regard to case. A clause name several fields share searches them all.
type Field struct {
	ID      string
	Kind    Kind
	Clauses []string
}

// Lookups of the values a query names.

func (d *Data) findProject(v string) *Project {
	for i, p := range d.Projects {
		if strings.EqualFold(p.Key, v) || strings.EqualFold(p.Name, v) || strconv.Itoa(p.ID) == v {
			return &d.Projects[i]
		}
	}
	return nil
}

// findUser finds a user by name, e-mail address or display name.
func (d *Data) findUser(v string) *User {
	for i, u := range d.Users {
		if u.Name == strings.ToLower(v) {
			return &d.Users[i]
		}
	}
	for i, u := range d.Users {
		if strings.EqualFold(u.Email, v) || strings.EqualFold(u.DisplayName, v) {
			return &d.Users[i]
		}
	}
	return nil
}

func (d *Data) findPriority(v string) *Priority {
	for i, p := range d.Priorities {
		if strings.EqualFold(p.Name, v) || p.ID == v {
			return &d.Priorities[i]
		}
	}
	return nil
}

// versionsNamed finds the versions a value names: by name, in every
// project, or by id.
func (d *Data) versionsNamed(v string) []Version {
	var out []Version
	for _, x := range d.Versions {
		if strings.EqualFold(x.Name, v) || strconv.Itoa(x.ID) == v {
			out = append(out, x)
		}
	}
	return out
}

func (d *Data) issueByID(id int) *Issue {
	for _, is := range d.Issues {
		if is.ID == id {
			return is
		}
	}
	return nil
}

// issueByKey finds an issue by key, without regard to case.
func (d *Data) issueByKey(key string) *Issue {
	key = strings.ToUpper(key)
	for _, is := range d.Issues {
		if is.Key == key {
			return is
		}
	}
	return nil
}

// ref is how another issue points at is.
func (is *Issue) ref() Ref { return Ref{ID: is.ID, Project: is.Project.Key, Num: is.Num} }
