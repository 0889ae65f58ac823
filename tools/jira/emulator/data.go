package emulator

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"time"
)

// The model below is the emulator's in-memory Jira. Everything is guarded by
// Emulator.mu; the seed is deterministic (fixed PRNG seed, times relative to
// the emulator's clock) so tests can rely on it.

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

	comments []*comment
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
	now func() time.Time

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

type seedUser struct {
	name, display, tz string
	groups            []string
	active            bool
}

var seedUsers = []seedUser{
	{"alice", "Alice Anderson", "Europe/Berlin", []string{"jira-software-users", "developers"}, true},
	{"bob", "Bob Brown", "America/New_York", []string{"jira-software-users", "developers"}, true},
	{"carol", "Carol Chen", "Asia/Singapore", []string{"jira-software-users", "developers", "ops-team"}, true},
	{"dave", "Dave Diaz", "Europe/London", []string{"jira-software-users", "security-team", "jira-administrators"}, true},
	{"erin", "Erin Evans", "America/Los_Angeles", []string{"jira-software-users", "ops-team"}, true},
	{"frank", "Frank Fischer", "Europe/Paris", []string{"jira-software-users"}, false},
}

// Token returns the bearer token the seed gives username: DefaultToken for
// DefaultUser, "emulator-token-<name>" for the others. It is only accepted
// while no WithToken or WithTokenValidator option replaced the seed tokens.
func Token(username string) string {
	if username == DefaultUser {
		return DefaultToken
	}
	return "emulator-token-" + username
}

func seedTokens() staticTokens {
	st := staticTokens{}
	for _, u := range seedUsers {
		if u.active {
			st[Token(u.name)] = u.name
		}
	}
	return st
}

func seed(now func() time.Time) *database {
	t0 := now().UTC().Truncate(time.Minute)
	db := &database{
		now:          now,
		users:        map[string]*user{},
		groups:       map[string]bool{},
		projectByKey: map[string]*project{},
		byKey:        map[string]*issue{},
		byID:         map[int]*issue{},
		nextIssue:    10000,
		nextCmt:      20000,
		statuses:     []*status{stToDo, stProgress, stReview, stDone},
	}
	for _, su := range seedUsers {
		u := &user{name: su.name, displayName: su.display, email: su.name + "@example.com", timeZone: su.tz, active: su.active, groups: map[string]bool{}}
		for _, g := range su.groups {
			u.groups[g] = true
			db.groups[g] = true
		}
		db.users[u.name] = u
		db.userOrder = append(db.userOrder, u.name)
	}
	db.priorities = []*priority{
		{"1", "Blocker", "Blocks development and/or testing work, production could not run.", "/images/icons/priorities/blocker.svg", "#cc0000", 1},
		{"2", "Critical", "Crashes, loss of data, severe memory leak.", "/images/icons/priorities/critical.svg", "#ff0000", 2},
		{"3", "Major", "Major loss of function.", "/images/icons/priorities/major.svg", "#009900", 3},
		{"4", "Minor", "Minor loss of function, or other problem where easy workaround is present.", "/images/icons/priorities/minor.svg", "#006600", 4},
		{"5", "Trivial", "Cosmetic problem like misspelt words or misaligned text.", "/images/icons/priorities/trivial.svg", "#003300", 5},
	}
	db.resolutions = []*resolution{
		{"10000", "Done", "Work has been completed on this issue."},
		{"1", "Fixed", "A fix for this issue is checked into the tree and tested."},
		{"2", "Won't Fix", "The problem described is an issue which will never be fixed."},
		{"3", "Duplicate", "The problem is a duplicate of an existing issue."},
		{"5", "Cannot Reproduce", "All attempts at reproducing this issue failed, or not enough information was available to reproduce the issue."},
	}
	db.types = []*issueType{
		{"1", "Bug", "A problem which impairs or prevents the functions of the product.", "/secure/viewavatar?size=xsmall&avatarId=10303&avatarType=issuetype", false, 10303},
		{"10001", "Story", "A user story. Created by Jira Software - do not edit or delete.", "/secure/viewavatar?size=xsmall&avatarId=10315&avatarType=issuetype", false, 10315},
		{"3", "Task", "A task that needs to be done.", "/secure/viewavatar?size=xsmall&avatarId=10318&avatarType=issuetype", false, 10318},
		{"10000", "Epic", "Created by Jira Software - do not edit or delete. Issue type for a big user story that needs to be broken down.", "/images/icons/issuetypes/epic.svg", false, 0},
		{"5", "Sub-task", "The sub-task of the issue", "/secure/viewavatar?size=xsmall&avatarId=10316&avatarType=issuetype", true, 10316},
	}
	db.reviewTeams = []option{{"10100", "Backend"}, {"10101", "Frontend"}, {"10102", "Mobile"}, {"10103", "Platform"}}
	db.teams = []option{{"10200", "Checkout Squad"}, {"10201", "Platform Squad"}, {"10202", "Mobile Squad"}, {"10203", "SRE"}}
	db.fields = fieldDefs()
	db.fieldByID = map[string]*fieldDef{}
	for _, f := range db.fields {
		db.fieldByID[f.id] = f
	}
	db.transitions = []*transition{
		{id: "11", name: "Start Progress", from: []string{stToDo.id}, to: stProgress},
		{id: "41", name: "Stop Progress", from: []string{stProgress.id}, to: stToDo},
		{id: "21", name: "Request Review", from: []string{stProgress.id}, to: stReview, screen: []string{fieldReviewTeam}, required: []string{fieldReviewTeam}},
		{id: "51", name: "Back to In Progress", from: []string{stReview.id}, to: stProgress},
		{id: "31", name: "Done", from: []string{stToDo.id, stProgress.id, stReview.id}, to: stDone, screen: []string{"resolution"}, required: []string{"resolution"}},
		{id: "61", name: "Reopen", from: []string{stDone.id}, to: stToDo},
	}

	everyone := "jira-software-users"
	devRoles := func(members ...string) map[string][]string {
		return map[string][]string{
			"Developers":     members,
			"Users":          {"alice", "bob", "carol", "dave", "erin", "frank"},
			"Administrators": {"dave"},
		}
	}
	db.projects = []*project{
		{id: 10000, key: "WEB", name: "Web Storefront", desc: "Customer-facing web shop: catalogue, cart and checkout.", lead: "alice", browse: everyone, comment: everyone, transition: everyone, roles: devRoles("alice", "bob", "carol")},
		{id: 10001, key: "API", name: "Platform API", desc: "Public REST API, authentication and the services behind them.", lead: "bob", browse: everyone, anonBrowse: true, comment: everyone, transition: everyone, roles: devRoles("bob", "carol")},
		{id: 10002, key: "MOB", name: "Mobile App", desc: "iOS and Android shopping app.", lead: "carol", browse: everyone, comment: everyone, transition: everyone, roles: devRoles("carol", "alice")},
		{id: 10003, key: "OPS", name: "Operations", desc: "Infrastructure, deployments and on-call follow-ups. Read-only for developers.", lead: "erin", browse: everyone, comment: "ops-team", transition: "ops-team", roles: devRoles("erin", "carol")},
		{id: 10004, key: "SEC", name: "Security Response", desc: "Vulnerability reports under embargo.", lead: "dave", browse: "security-team", comment: "security-team", transition: "security-team", roles: devRoles("dave")},
	}
	for _, p := range db.projects {
		db.projectByKey[p.key] = p
	}

	day := 24 * time.Hour
	db.sprints = []*sprint{
		{id: 1, board: 1, name: "Storefront Sprint 11", state: "CLOSED", start: t0.Add(-42 * day), end: t0.Add(-28 * day), completeDate: t0.Add(-28 * day), goal: "Ship saved carts"},
		{id: 2, board: 1, name: "Storefront Sprint 12", state: "CLOSED", start: t0.Add(-28 * day), end: t0.Add(-14 * day), completeDate: t0.Add(-14 * day), goal: "Checkout performance"},
		{id: 3, board: 1, name: "Storefront Sprint 13", state: "ACTIVE", start: t0.Add(-5 * day), end: t0.Add(9 * day), goal: "Checkout redesign beta"},
		{id: 4, board: 1, name: "Storefront Sprint 14", state: "FUTURE"},
		{id: 5, board: 2, name: "Platform Sprint 7", state: "CLOSED", start: t0.Add(-30 * day), end: t0.Add(-16 * day), completeDate: t0.Add(-16 * day)},
		{id: 6, board: 2, name: "Platform Sprint 8", state: "ACTIVE", start: t0.Add(-9 * day), end: t0.Add(5 * day), goal: "OAuth 2.0 for partners"},
	}

	rng := rand.New(rand.NewPCG(20260131, 103))
	db.seedIssues(rng, t0)
	// Components, versions and teams come from a PRNG of their own so that
	// adding them left every other seeded value as it was.
	db.seedComponentsAndVersions(rand.New(rand.NewPCG(20260131, 104)), t0)
	return db
}

func (db *database) newIssue(p *project, typ *issueType, summary, desc string) *issue {
	p.nextNum++
	db.nextIssue++
	is := &issue{id: db.nextIssue, num: p.nextNum, key: fmt.Sprintf("%s-%d", p.key, p.nextNum), project: p, typ: typ, summary: summary, description: desc, status: stToDo, priority: db.priorities[2]}
	db.issues = append(db.issues, is)
	db.byKey[is.key] = is
	db.byID[is.id] = is
	return is
}

func (db *database) typeByName(n string) *issueType {
	for _, t := range db.types {
		if t.name == n {
			return t
		}
	}
	panic("emulator: no issue type " + n)
}

func (db *database) addComment(is *issue, author, body string, at time.Time, visType, visValue string) *comment {
	db.nextCmt++
	c := &comment{id: db.nextCmt, author: author, updateAuthor: author, body: body, created: at, updated: at, visType: visType, visValue: visValue}
	is.comments = append(is.comments, c)
	return c
}

func fptr(f float64) *float64 { return &f }

// seedIssues creates the hand-written issues the package doc promises, then
// fills every project with generated ones.
func (db *database) seedIssues(rng *rand.Rand, t0 time.Time) {
	day := 24 * time.Hour
	web, api, mob, ops, sec := db.projectByKey["WEB"], db.projectByKey["API"], db.projectByKey["MOB"], db.projectByKey["OPS"], db.projectByKey["SEC"]
	bug, story, task, epic, sub := db.typeByName("Bug"), db.typeByName("Story"), db.typeByName("Task"), db.typeByName("Epic"), db.typeByName("Sub-task")
	fixed := db.resolutions[1]

	// WEB-1: the epic most stories hang off.
	e1 := db.newIssue(web, epic, "Checkout redesign", "Rebuild the checkout as a single page with address autocomplete and saved cards.\n\nh3. Goals\n* fewer steps to pay\n* conversion +3%")
	e1.epicName, e1.status, e1.assignee, e1.reporter = "Checkout redesign", stProgress, "alice", "bob"
	e1.priority, e1.labels = db.priorities[2], []string{"checkout"}
	e1.created, e1.updated = t0.Add(-60*day), t0.Add(-2*day)

	// WEB-2: alice's story in the open sprint, To Do, with public and restricted comments.
	w2 := db.newIssue(web, story, "Add address autocomplete to the checkout form", "As a shopper I want my address suggested while I type so that I can pay faster.\n\nh3. Acceptance criteria\n# suggestions appear after 3 characters\n# keyboard navigation works\n# falls back to manual entry when the lookup API is down")
	w2.assignee, w2.reporter, w2.priority = "alice", "bob", db.priorities[2]
	w2.labels, w2.storyPoints, w2.epicLink, w2.sprints = []string{"checkout", "frontend"}, fptr(5), e1, []*sprint{db.sprints[2]}
	w2.created, w2.updated = t0.Add(-20*day), t0.Add(-1*day)
	db.addComment(w2, "bob", "Lookup provider contract is signed, API keys are in the vault.", t0.Add(-6*day), "", "")
	db.addComment(w2, "carol", "Pricing for the lookup API is per request; please debounce to 250 ms.", t0.Add(-4*day), "role", "Developers")
	db.addComment(w2, "dave", "The lookup vendor failed our last security review, details in SEC-1.", t0.Add(-3*day), "group", "security-team")
	db.addComment(w2, "alice", "Started a spike on the debounce; will open a PR tomorrow.", t0.Add(-1*day), "", "")

	// WEB-3: bug in progress, assigned to alice, Blocker.
	w3 := db.newIssue(web, bug, "Payment fails with HTTP 502 when the cart has more than 50 items", "h3. Steps to reproduce\n# add 51 items to the cart\n# proceed to checkout and pay with a saved card\n\n*Expected:* the order is placed.\n*Actual:* the gateway answers 502 after 30 s.\n\n{code}\nERROR PaymentClient - upstream timeout cart=51 items\n{code}")
	w3.status, w3.assignee, w3.reporter, w3.priority = stProgress, "alice", "carol", db.priorities[0]
	w3.labels, w3.epicLink, w3.sprints = []string{"checkout", "payments", "regression"}, e1, []*sprint{db.sprints[2]}
	w3.created, w3.updated, w3.due = t0.Add(-8*day), t0.Add(-3*time.Hour), t0.Add(3*day).Truncate(day)
	db.addComment(w3, "carol", "Reproduced on staging with 51 items, 50 works.", t0.Add(-7*day), "", "")

	// WEB-4: story in review, bob.
	w4 := db.newIssue(web, story, "Show delivery estimate on the product page", "As a shopper I want to see when my order will arrive before I add it to the cart.")
	w4.status, w4.assignee, w4.reporter, w4.storyPoints, w4.epicLink = stReview, "bob", "alice", fptr(3), e1
	w4.reviewTeam, w4.sprints, w4.labels = &db.reviewTeams[1], []*sprint{db.sprints[1], db.sprints[2]}, []string{"frontend"}
	w4.created, w4.updated = t0.Add(-25*day), t0.Add(-2*day)

	// WEB-5: done and fixed.
	w5 := db.newIssue(web, bug, "Discount code field accepts whitespace-only input", "Submitting a discount code made of spaces shows a generic error instead of the validation message.")
	w5.status, w5.resolution, w5.assignee, w5.reporter, w5.priority = stDone, fixed, "alice", "bob", db.priorities[3]
	w5.created, w5.updated, w5.resolved = t0.Add(-40*day), t0.Add(-30*day), t0.Add(-30*day)
	w5.sprints = []*sprint{db.sprints[0]}

	// WEB-6: unassigned task with a sub-task (WEB-7).
	w6 := db.newIssue(web, task, "Upgrade the storefront to React 19", "Upgrade React and react-dom, fix the deprecated lifecycle methods and re-run the visual tests.")
	w6.reporter, w6.priority, w6.labels = "bob", db.priorities[3], []string{"tech-debt", "frontend"}
	w6.created, w6.updated = t0.Add(-15*day), t0.Add(-15*day)
	w7 := db.newIssue(web, sub, "Replace componentWillReceiveProps in the cart drawer", "")
	w7.parent, w7.reporter, w7.assignee = w6, "bob", "bob"
	w7.created, w7.updated = t0.Add(-14*day), t0.Add(-14*day)
	w6.subtasks = append(w6.subtasks, w7)

	// API-1: epic; API-2: story in the open platform sprint.
	a1 := db.newIssue(api, epic, "OAuth 2.0 for partner integrations", "Let partners use authorization code + PKCE instead of API keys.")
	a1.epicName, a1.status, a1.assignee, a1.reporter = "Partner OAuth", stProgress, "bob", "bob"
	a1.created, a1.updated = t0.Add(-50*day), t0.Add(-5*day)
	a2 := db.newIssue(api, story, "Rotate refresh tokens on every use", "Every refresh must invalidate the previous refresh token (rotation) so a leaked token is detected.")
	a2.assignee, a2.reporter, a2.storyPoints, a2.epicLink = "alice", "bob", fptr(8), a1
	a2.sprints, a2.labels, a2.priority = []*sprint{db.sprints[5]}, []string{"security", "oauth"}, db.priorities[1]
	a2.created, a2.updated = t0.Add(-12*day), t0.Add(-6*time.Hour)
	db.addComment(a2, "bob", "Make sure the old access token dies with the refresh token.", t0.Add(-10*day), "", "")

	// MOB-1: plain bug for alice.
	m1 := db.newIssue(mob, bug, "Crash on Android 14 when the camera permission is denied", "The app crashes when scanning a barcode after denying the camera permission.\n\n{code}\njava.lang.SecurityException: Permission Denial\n{code}")
	m1.assignee, m1.reporter, m1.priority, m1.labels = "alice", "carol", db.priorities[1], []string{"android", "crash"}
	m1.created, m1.updated = t0.Add(-3*day), t0.Add(-2*day)

	// OPS-1: visible to alice, but she may neither comment nor transition.
	o1 := db.newIssue(ops, task, "Rotate the TLS certificate of the payment gateway", "The certificate expires in 21 days. Renew it through the internal CA and roll it out with zero downtime.")
	o1.assignee, o1.reporter, o1.priority, o1.labels = "erin", "erin", db.priorities[1], []string{"tls", "on-call"}
	o1.created, o1.updated, o1.due = t0.Add(-4*day), t0.Add(-1*day), t0.Add(21*day).Truncate(day)
	db.addComment(o1, "erin", "Scheduled for the Thursday maintenance window.", t0.Add(-1*day), "", "")

	// SEC-1: invisible to alice.
	s1 := db.newIssue(sec, bug, "Stored XSS in the address lookup widget", "The vendor widget renders the street name unescaped. Embargoed until the fix ships.")
	s1.assignee, s1.reporter, s1.priority, s1.labels = "dave", "dave", db.priorities[0], []string{"xss", "embargo"}
	s1.created, s1.updated = t0.Add(-9*day), t0.Add(-2*day)

	db.generate(rng, t0, map[*project]int{web: 85, api: 65, mob: 45, ops: 20, sec: 12})
}

// Vocabulary for generated issues.
var (
	areas = map[string][]string{
		"WEB": {"checkout", "cart drawer", "product page", "search results", "wish list", "order history", "login page", "newsletter signup", "cookie banner", "discount codes", "category filter", "image gallery"},
		"API": {"token endpoint", "rate limiter", "orders API", "inventory service", "webhook dispatcher", "search API", "session cache", "audit log", "pagination", "OpenAPI document", "partner keys", "GraphQL gateway"},
		"MOB": {"barcode scanner", "push notifications", "offline mode", "onboarding flow", "dark mode", "app store build", "deep links", "biometric login", "order tracking", "in-app chat"},
		"OPS": {"Kubernetes cluster", "PostgreSQL replica", "CI runners", "Grafana dashboards", "backup job", "CDN config", "log shipping", "alert routing", "Terraform state", "VPN gateway"},
		"SEC": {"password reset", "session cookies", "file upload", "admin console", "dependency scan", "SSO integration"},
	}
	bugPatterns = []string{
		"%s throws NullPointerException when the session has expired",
		"%s shows stale data after a page refresh",
		"%s is slow (p95 over 2 s) under load",
		"%s returns 500 for non-ASCII input",
		"%s layout breaks on narrow screens",
		"Race condition in %s when two requests arrive together",
		"%s ignores the user's locale",
		"Memory leak in %s after long sessions",
		"%s sends duplicate events",
		"Wrong error message in %s when the network is down",
	}
	storyPatterns = []string{
		"As a shopper I want %s to remember my last choice",
		"Support keyboard navigation in %s",
		"Add analytics events to %s",
		"Let admins configure %s without a deploy",
		"Show a helpful empty state in %s",
		"Make %s accessible (WCAG 2.1 AA)",
		"Allow exporting %s data as CSV",
		"Localise %s into German and French",
	}
	taskPatterns = []string{
		"Upgrade dependencies of %s",
		"Write runbook for %s",
		"Add integration tests for %s",
		"Remove feature flag around %s",
		"Document the configuration of %s",
		"Migrate %s to the new logging library",
		"Set up monitoring for %s",
		"Clean up dead code in %s",
	}
	epicPatterns = []string{"Rework %s", "%s v2", "Harden %s"}
	labelPool    = []string{"frontend", "backend", "performance", "tech-debt", "customer-reported", "regression", "security", "accessibility", "quick-win", "needs-design"}
	commentPool  = []string{
		"I can reproduce this on staging.",
		"Could you attach the logs from the last failure?",
		"PR is up, waiting for CI.",
		"This overlaps with the work in the previous sprint, let's pair on it.",
		"Moved to next sprint, we ran out of capacity.",
		"Customer confirmed the fix works for them.",
		"Needs a design review before we build it.",
		"Root cause is a missing index on the orders table.",
		"Added a feature flag so we can roll back quickly.",
		"Blocked until the vendor answers our support ticket.",
	}
	descPool = []string{
		"Reported by the support team after several customer tickets.",
		"Seen in production since the last release; see the linked dashboard.",
		"This came out of the last retrospective.",
		"Product asked for this for the spring campaign.",
		"Low effort, good first issue for new joiners.",
	}
)

func pick[T any](rng *rand.Rand, xs []T) T { return xs[rng.IntN(len(xs))] }

func (db *database) generate(rng *rand.Rand, t0 time.Time, counts map[*project]int) {
	day := 24 * time.Hour
	members := map[string][]string{
		"WEB": {"alice", "bob", "carol"},
		"API": {"bob", "carol", "alice"},
		"MOB": {"carol", "alice", "bob"},
		"OPS": {"erin", "carol"},
		"SEC": {"dave"},
	}
	sprintsOf := map[string][]*sprint{
		"WEB": db.sprints[0:4],
		"API": db.sprints[4:6],
	}
	bug, story, task, epic, sub := db.typeByName("Bug"), db.typeByName("Story"), db.typeByName("Task"), db.typeByName("Epic"), db.typeByName("Sub-task")
	for _, p := range db.projects {
		n := counts[p]
		var epics, parents []*issue
		for _, is := range db.issues {
			if is.project == p && is.typ == epic {
				epics = append(epics, is)
			}
		}
		for i := 0; i < n; i++ {
			area := pick(rng, areas[p.key])
			var typ *issueType
			var summary string
			switch r := rng.IntN(100); {
			case r < 4 && len(epics) < 4:
				typ, summary = epic, fmt.Sprintf(pick(rng, epicPatterns), area)
			case r < 34:
				typ, summary = bug, fmt.Sprintf(pick(rng, bugPatterns), area)
			case r < 62:
				typ, summary = story, fmt.Sprintf(pick(rng, storyPatterns), "the "+area)
			case r < 88 || len(parents) == 0:
				typ, summary = task, fmt.Sprintf(pick(rng, taskPatterns), "the "+area)
			default:
				typ, summary = sub, fmt.Sprintf(pick(rng, taskPatterns), "the "+area)
			}
			summary = strings.ToUpper(summary[:1]) + summary[1:]
			desc := pick(rng, descPool) + "\n\nArea: " + area + "."
			if typ == bug {
				desc = "h3. Steps to reproduce\n# open the " + area + "\n# repeat the action twice\n\n*Expected:* it works.\n*Actual:* see summary.\n\n" + desc
			}
			is := db.newIssue(p, typ, summary, desc)
			if rng.IntN(10) == 0 {
				is.description = ""
			}
			ms := members[p.key]
			is.reporter = pick(rng, ms)
			is.creator = is.reporter
			if rng.IntN(5) > 0 {
				is.assignee = pick(rng, ms)
			}
			is.priority = db.priorities[[]int{0, 1, 1, 2, 2, 2, 2, 3, 3, 4}[rng.IntN(10)]]
			is.created = t0.Add(-time.Duration(rng.IntN(180*24*60)) * time.Minute)
			age := t0.Sub(is.created)
			if rng.IntN(3) == 0 {
				is.updated = t0.Add(-time.Duration(rng.Int64N(int64(min(age, 7*day)) + 1)))
			} else {
				is.updated = is.created.Add(time.Duration(rng.Int64N(int64(age) + 1)))
			}
			is.updated = is.updated.Truncate(time.Second)
			switch r := rng.IntN(10); {
			case r < 4:
				is.status = stToDo
			case r < 6:
				is.status = stProgress
			case r < 7:
				is.status = stReview
				is.reviewTeam = &db.reviewTeams[rng.IntN(len(db.reviewTeams))]
			default:
				is.status = stDone
				is.resolution = db.resolutions[[]int{0, 0, 1, 1, 1, 2, 3, 4}[rng.IntN(8)]]
				is.resolved = is.updated
			}
			for j, k := 0, rng.IntN(4); j < k; j++ {
				l := pick(rng, labelPool)
				if !containsString(is.labels, l) {
					is.labels = append(is.labels, l)
				}
			}
			sort.Strings(is.labels)
			if rng.IntN(6) == 0 {
				is.due = t0.Add(time.Duration(rng.IntN(60)-20) * day).Truncate(day)
			}
			switch typ {
			case epic:
				is.epicName = summary
				epics = append(epics, is)
			case story:
				is.storyPoints = fptr([]float64{1, 2, 3, 5, 8, 13}[rng.IntN(6)])
				if rng.IntN(5) == 0 {
					is.storyPoints = nil
				}
			case sub:
				par := pick(rng, parents)
				is.parent = par
				par.subtasks = append(par.subtasks, is)
			}
			if typ != epic && typ != sub {
				parents = append(parents, is)
				if len(epics) > 0 && rng.IntN(2) == 0 {
					is.epicLink = pick(rng, epics)
				}
				if ss := sprintsOf[p.key]; len(ss) > 0 && rng.IntN(3) > 0 {
					s := pick(rng, ss)
					if s.state != "FUTURE" || is.status == stToDo {
						is.sprints = []*sprint{s}
					}
				}
			}
			for j, k := 0, rng.IntN(4); j < k; j++ {
				at := is.created.Add(time.Duration(rng.Int64N(int64(t0.Sub(is.created)) + 1))).Truncate(time.Second)
				vt, vv := "", ""
				switch rng.IntN(8) {
				case 0:
					vt, vv = "role", "Developers"
				case 1:
					vt, vv = "group", "developers"
				}
				db.addComment(is, pick(rng, ms), pick(rng, commentPool), at, vt, vv)
			}
			sort.Slice(is.comments, func(a, b int) bool { return is.comments[a].created.Before(is.comments[b].created) })
		}
	}
	for _, is := range db.issues {
		if is.creator == "" {
			is.creator = is.reporter
		}
		if is.updated.Before(is.created) {
			is.updated = is.created
		}
	}
}

func containsString(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

// Permissions.

func (db *database) inGroup(u *user, g string) bool { return u != nil && u.groups[g] }

func (db *database) canBrowse(u *user, p *project) bool {
	return p.anonBrowse || db.inGroup(u, p.browse)
}

func (db *database) canComment(u *user, p *project) bool    { return db.inGroup(u, p.comment) }
func (db *database) canTransition(u *user, p *project) bool { return db.inGroup(u, p.transition) }

func (db *database) inRole(u *user, p *project, role string) bool {
	for _, m := range p.roles[role] {
		if m == u.name {
			return true
		}
	}
	return false
}

func (db *database) roleExists(p *project, role string) bool {
	_, ok := p.roles[role]
	return ok
}

func (db *database) canSeeComment(u *user, is *issue, c *comment) bool {
	switch c.visType {
	case "group":
		return db.inGroup(u, c.visValue)
	case "role":
		return db.inRole(u, is.project, c.visValue)
	}
	return true
}

func (db *database) visibleComments(u *user, is *issue) []*comment {
	out := make([]*comment, 0, len(is.comments))
	for _, c := range is.comments {
		if db.canSeeComment(u, is, c) {
			out = append(out, c)
		}
	}
	return out
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

// Components, versions and teams.

type seedVersion struct {
	name, desc string
	released   bool
	releaseIn  int // days from the clock; 0: no release date
}

var (
	seedComponents = map[string][][2]string{
		"WEB": {{"Checkout", "Cart, checkout and order confirmation."}, {"Payments", "Payment service provider integration."}, {"Search", "Product search and filters."}},
		"API": {{"API Gateway", "Routing, rate limiting and API keys."}, {"Authentication", "OAuth 2.0 and sessions."}, {"Payments", "Payment and refund endpoints."}},
		"MOB": {{"Android", ""}, {"iOS", ""}},
		"OPS": {{"Infrastructure", "Clusters, networks and databases."}, {"Monitoring", "Dashboards and alerting."}},
		"SEC": {{"Triage", ""}},
	}
	seedVersions = map[string][]seedVersion{
		"WEB": {{"2.3", "Saved carts", true, -45}, {"2.4", "Checkout performance", true, -10}, {"2.5", "Checkout redesign", false, 20}},
		"API": {{"2.4", "", true, -12}, {"2.5", "Partner OAuth", false, 25}},
		"MOB": {{"5.0", "", true, -30}, {"5.1", "", false, 0}},
	}
	// teamOf is the select "Team" option (index into database.teams) and the
	// text "Team" of each project's issues.
	teamOf = map[string]struct {
		option int
		text   string
	}{
		"WEB": {0, "storefront-web"}, "API": {1, "platform-core"}, "MOB": {2, "mobile-apps"}, "OPS": {3, "sre"},
	}
)

func (db *database) seedComponentsAndVersions(rng *rand.Rand, t0 time.Time) {
	day := 24 * time.Hour
	cid, vid := 10000, 10000
	for _, p := range db.projects {
		for _, c := range seedComponents[p.key] {
			comp := &component{id: cid, name: c[0], desc: c[1], project: p}
			cid++
			p.components = append(p.components, comp)
			db.components = append(db.components, comp)
		}
		for i, sv := range seedVersions[p.key] {
			v := &version{id: vid, name: sv.name, desc: sv.desc, project: p, seq: i + 1, released: sv.released}
			vid++
			if sv.releaseIn != 0 {
				v.releaseDate = t0.Add(time.Duration(sv.releaseIn) * day).Truncate(day)
			}
			p.versions = append(p.versions, v)
			db.versions = append(db.versions, v)
		}
	}
	comp := func(key, name string) *component {
		for _, c := range db.projectByKey[key].components {
			if c.name == name {
				return c
			}
		}
		panic("emulator: no component " + name)
	}
	ver := func(key, name string) *version {
		for _, v := range db.projectByKey[key].versions {
			if v.name == name {
				return v
			}
		}
		panic("emulator: no version " + name)
	}
	hand := map[string]struct {
		components []string
		versions   []string
	}{
		"WEB-1": {[]string{"Checkout"}, []string{"2.5"}},
		"WEB-2": {[]string{"Checkout"}, []string{"2.5"}},
		"WEB-3": {[]string{"Checkout", "Payments"}, []string{"2.5"}},
		"WEB-4": {[]string{"Checkout"}, []string{"2.5"}},
		"WEB-5": {[]string{"Checkout"}, []string{"2.4"}},
		"WEB-6": {}, "WEB-7": {},
		"API-1": {[]string{"Authentication"}, nil},
		"API-2": {[]string{"Authentication"}, []string{"2.5"}},
		"MOB-1": {[]string{"Android"}, []string{"5.1"}},
		"OPS-1": {[]string{"Infrastructure"}, nil},
		"SEC-1": {[]string{"Triage"}, nil},
	}
	for _, is := range db.issues {
		p := is.project
		if h, ok := hand[is.key]; ok {
			for _, n := range h.components {
				is.components = append(is.components, comp(p.key, n))
			}
			for _, n := range h.versions {
				is.fixVersions = append(is.fixVersions, ver(p.key, n))
			}
		} else {
			if cs := p.components; len(cs) > 0 && rng.IntN(10) < 7 {
				first := rng.IntN(len(cs))
				is.components = append(is.components, cs[first])
				if second := rng.IntN(len(cs)); rng.IntN(7) == 0 && second != first {
					is.components = append(is.components, cs[second])
				}
				sort.Slice(is.components, func(a, b int) bool { return is.components[a].id < is.components[b].id })
			}
			var released, unreleased []*version
			for _, v := range p.versions {
				if v.released {
					released = append(released, v)
				} else {
					unreleased = append(unreleased, v)
				}
			}
			switch {
			case is.typ.name == "Epic":
			case is.status == stDone && len(released) > 0 && rng.IntN(10) < 6:
				is.fixVersions = []*version{pick(rng, released)}
			case is.status != stDone && len(unreleased) > 0 && rng.IntN(10) < 4:
				is.fixVersions = []*version{pick(rng, unreleased)}
			}
		}
		tm, ok := teamOf[p.key]
		_, handWritten := hand[is.key]
		switch {
		case !ok:
		case handWritten:
			// The select is set on every hand-written issue, the text only
			// on WEB-2 and MOB-1.
			is.team = &db.teams[tm.option]
			if is.key == "WEB-2" || is.key == "MOB-1" {
				is.teamText = tm.text
			}
		default:
			if rng.IntN(2) == 0 {
				is.team = &db.teams[tm.option]
			}
			if rng.IntN(10) < 3 {
				is.teamText = tm.text
			}
		}
	}
}

// optionOf is the value of a select custom field.
func optionOf(is *issue, fieldID string) *option {
	if fieldID == fieldTeam {
		return is.team
	}
	return is.reviewTeam
}

// optionsOf lists a select custom field's options.
func (db *database) optionsOf(fieldID string) []option {
	if fieldID == fieldTeam {
		return db.teams
	}
	return db.reviewTeams
}
