package emulator

import (
	"fmt"
	"strings"
	"time"

	"github.com/jira-mcp/jira-mcp/tools/jira/emulator/jql"
)

// The model is the emulator's in-memory Jira: plain data, changed only by
// the state methods (transitions_state.go, comments_state.go) with
// Emulator.mu held. Its seed is in seed.go.

type statusCategory struct {
	id                   int
	key, colorName, name string
}

var (
	catNew  = &statusCategory{2, "new", "blue-gray", "To Do"}
	catProg = &statusCategory{4, "indeterminate", "yellow", "In Progress"}
	catDone = &statusCategory{3, "done", "green", "Done"}
	catNone = &statusCategory{1, "undefined", "medium-gray", "No Category"}
)

type status struct {
	id, name, description, icon string
	cat                         *statusCategory
	order                       int // workflow position, used to sort by status
}

type priority struct {
	id, name, description, icon, color string
	rank                               int // 1 is highest
}

type resolution struct{ id, name, description string }

type issueType struct {
	id, name, description, icon string
	subtask                     bool
	avatarID                    int
}

type sprint struct {
	id, board                int
	name, state, goal        string
	start, end, completeDate time.Time
}

type user struct {
	name, displayName, email, timeZone string
	active                             bool
	groups                             map[string]bool
}

type project struct {
	id              int
	key, name, desc string
	lead            string
	browse          string              // group allowed to browse
	anonBrowse      bool                // Browse Projects granted to Anyone
	comment         string              // group allowed to add comments
	transition      string              // group allowed to transition
	roles           map[string][]string // project role -> members
	nextNum         int
	components      []*component
	versions        []*version
}

// component is a project component (the Component/s field).
type component struct {
	id         int
	name, desc string
	project    *project
}

// version is a project version (the Fix Version/s field). seq orders a
// project's versions as Jira's version sequence does.
type version struct {
	id                 int
	name, desc         string
	project            *project
	seq                int
	released, archived bool
	releaseDate        time.Time // date only; zero when unset
}

type comment struct {
	id                   int
	author, updateAuthor string
	body                 string
	created, updated     time.Time
	visType, visValue    string // "" | "group" | "role"
}

type option struct{ id, value string }

type issue struct {
	id      int
	key     string
	num     int
	project *project
	typ     *issueType

	summary, description, environment string

	status     *status
	priority   *priority
	resolution *resolution
	resolved   time.Time

	assignee, reporter, creator string
	labels                      []string

	created, updated time.Time
	due              time.Time // date only; zero when unset

	storyPoints *float64
	epicLink    *issue
	epicName    string
	sprints     []*sprint
	reviewTeam  *option
	team        *option // customfield_10006, the select "Team"
	teamText    string  // customfield_10007, the text "Team"
	components  []*component
	fixVersions []*version
	parent      *issue
	subtasks    []*issue

	comments    []*comment
	attachments []*attachment // attachments.go

	issueRecords // remote links, worklogs, history: links_state.go
}

// transition is one workflow transition of the shared software workflow.
type transition struct {
	id, name string
	from     []string // status ids; empty means global (from any status)
	to       *status
	screen   []string // field ids on the transition screen
	required []string // field ids the screen requires
}

type database struct {
	now          func() time.Time
	forbidHidden bool // WithForbiddenForHidden

	// version counts the changes to issues; views caches what each user's
	// queries see (jqlview.go) as of version viewsOf.
	version, viewsOf int
	views            map[*user]*jql.Data

	users     map[string]*user
	userOrder []string
	groups    map[string]bool

	projects     []*project
	projectByKey map[string]*project

	statuses    []*status
	priorities  []*priority
	resolutions []*resolution
	types       []*issueType
	sprints     []*sprint
	boards      []*board // agile.go
	fields      []*fieldDef
	fieldByID   map[string]*fieldDef
	reviewTeams []option
	teams       []option // options of the select "Team"
	components  []*component
	versions    []*version

	transitions []*transition

	issues    []*issue
	byKey     map[string]*issue
	byID      map[int]*issue
	nextIssue int
	nextCmt   int

	attachmentByID map[int]*attachment // attachments.go
	nextAttachment int
	relations      // link types and links: links_state.go
}

var (
	stToDo     = &status{"10000", "To Do", "The issue is open and ready for the assignee to start work on it.", "/images/icons/statuses/open.png", catNew, 1}
	stProgress = &status{"3", "In Progress", "This issue is being actively worked on at the moment by the assignee.", "/images/icons/statuses/inprogress.png", catProg, 2}
	stReview   = &status{"10100", "In Review", "The change is waiting for a peer review.", "/images/icons/statuses/generic.png", catProg, 3}
	stDone     = &status{"10001", "Done", "Work on the issue is finished.", "/images/icons/statuses/closed.png", catDone, 4}
)

// Field ids of the seeded custom fields.
const (
	fieldSprint      = "customfield_10001"
	fieldStoryPoints = "customfield_10002"
	fieldEpicLink    = "customfield_10003"
	fieldEpicName    = "customfield_10004"
	fieldReviewTeam  = "customfield_10005"
	// Two custom fields share the display name "Team", as happens when an
	// app brings its own: clients must resolve names to ids with care.
	fieldTeam     = "customfield_10006" // select
	fieldTeamText = "customfield_10007" // text
)

func (db *database) newIssue(p *project, typ *issueType, summary, desc string) *issue {
	db.changed()
	p.nextNum++
	db.nextIssue++
	is := &issue{id: db.nextIssue, num: p.nextNum, key: fmt.Sprintf("%s-%d", p.key, p.nextNum), project: p, typ: typ, summary: summary, description: desc, status: stToDo, priority: db.priorities[2]}
	db.issues = append(db.issues, is)
	db.byKey[is.key] = is
	db.byID[is.id] = is
	return is
}

// changed records a change to an issue, so that cached views are rebuilt.
func (db *database) changed() { db.version++ }

func (db *database) addComment(is *issue, author, body string, at time.Time, visType, visValue string) *comment {
	db.changed()
	db.nextCmt++
	c := &comment{id: db.nextCmt, author: author, updateAuthor: author, body: body, created: at, updated: at, visType: visType, visValue: visValue}
	is.comments = append(is.comments, c)
	return c
}

// lookupIssue finds an issue by key (case-insensitive) or numeric id.
func (db *database) lookupIssue(idOrKey string) *issue {
	if id, err := parseInt(idOrKey); err == nil {
		return db.byID[id]
	}
	return db.byKey[strings.ToUpper(idOrKey)]
}

func (db *database) transitionsFor(u *user, is *issue) []*transition {
	if !db.canTransition(u, is.project) {
		return nil
	}
	var out []*transition
	for _, t := range db.transitions {
		if len(t.from) == 0 || containsString(t.from, is.status.id) {
			out = append(out, t)
		}
	}
	return out
}

func (db *database) transitionByID(id string) *transition {
	for _, t := range db.transitions {
		if t.id == id {
			return t
		}
	}
	return nil
}

func parseInt(s string) (int, error) {
	if s == "" || len(s) > 9 {
		return 0, fmt.Errorf("not a number: %q", s)
	}
	n := 0
	for _, r := range s {
		if r < '0' || r > '9' {
			return 0, fmt.Errorf("not a number: %q", s)
		}
		n = n*10 + int(r-'0')
	}
	return n, nil
}

func containsString(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}
func (db *database) findProjectByKeyOrID(v string) *project {
	if id, err := parseInt(v); err == nil {
		for _, p := range db.projects {
			if p.id == id {
				return p
			}
		}
		return nil
	}
	return db.projectByKey[strings.ToUpper(v)]
}
