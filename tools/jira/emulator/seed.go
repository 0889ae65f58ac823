package emulator

import (
	"math/rand/v2"
	"time"
)

// The seed is deterministic: a fixed PRNG seed, and times relative to the
// emulator's clock at New, so tests can rely on it. The package doc lists
// what it holds.

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
// DefaultUser, "emulator-token-<name>" for the others. It is not accepted
// under WithOAuth, whose provider issues the tokens.
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
		priorities:   seedPriorities(),
		resolutions:  seedResolutions(),
		types:        seedTypes(),
		reviewTeams:  []option{{"10100", "Backend"}, {"10101", "Frontend"}, {"10102", "Mobile"}, {"10103", "Platform"}},
		teams:        []option{{"10200", "Checkout Squad"}, {"10201", "Platform Squad"}, {"10202", "Mobile Squad"}, {"10203", "SRE"}},
		fields:       fieldDefs(),
		fieldByID:    map[string]*fieldDef{},
		transitions:  seedTransitions(),
		projects:     seedProjects(),
		sprints:      seedSprints(t0),
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
	for _, f := range db.fields {
		db.fieldByID[f.id] = f
	}
	for _, p := range db.projects {
		db.projectByKey[p.key] = p
	}
	rng := rand.New(rand.NewPCG(20260131, 103))
	db.seedIssues(rng, t0)
	// Components, versions and teams come from a PRNG of their own so that
	// adding them left every other seeded value as it was.
	db.seedComponentsAndVersions(rand.New(rand.NewPCG(20260131, 104)), t0)
	db.seedLinks(t0)
	// Boards and attachments were added later still, with no PRNG at all.
	db.boards = seedBoards(db)
	db.seedAttachments(t0)
	return db
}

func seedPriorities() []*priority {
	return []*priority{
		{"1", "Blocker", "Blocks development and/or testing work, production could not run.", "/images/icons/priorities/blocker.svg", "#cc0000", 1},
		{"2", "Critical", "Crashes, loss of data, severe memory leak.", "/images/icons/priorities/critical.svg", "#ff0000", 2},
		{"3", "Major", "Major loss of function.", "/images/icons/priorities/major.svg", "#009900", 3},
		{"4", "Minor", "Minor loss of function, or other problem where easy workaround is present.", "/images/icons/priorities/minor.svg", "#006600", 4},
		{"5", "Trivial", "Cosmetic problem like misspelt words or misaligned text.", "/images/icons/priorities/trivial.svg", "#003300", 5},
	}
}

func seedResolutions() []*resolution {
	return []*resolution{
		{"10000", "Done", "Work has been completed on this issue."},
		{"1", "Fixed", "A fix for this issue is checked into the tree and tested."},
		{"2", "Won't Fix", "The problem described is an issue which will never be fixed."},
		{"3", "Duplicate", "The problem is a duplicate of an existing issue."},
		{"5", "Cannot Reproduce", "All attempts at reproducing this issue failed, or not enough information was available to reproduce the issue."},
	}
}

func seedTypes() []*issueType {
	return []*issueType{
		{"1", "Bug", "A problem which impairs or prevents the functions of the product.", "/secure/viewavatar?size=xsmall&avatarId=10303&avatarType=issuetype", false, 10303},
		{"10001", "Story", "A user story. Created by Jira Software - do not edit or delete.", "/secure/viewavatar?size=xsmall&avatarId=10315&avatarType=issuetype", false, 10315},
		{"3", "Task", "A task that needs to be done.", "/secure/viewavatar?size=xsmall&avatarId=10318&avatarType=issuetype", false, 10318},
		{"10000", "Epic", "Created by Jira Software - do not edit or delete. Issue type for a big user story that needs to be broken down.", "/images/icons/issuetypes/epic.svg", false, 0},
		{"5", "Sub-task", "The sub-task of the issue", "/secure/viewavatar?size=xsmall&avatarId=10316&avatarType=issuetype", true, 10316},
	}
}

// seedTransitions is the workflow every project shares.
func seedTransitions() []*transition {
	return []*transition{
		{id: "11", name: "Start Progress", from: []string{stToDo.id}, to: stProgress},
		{id: "41", name: "Stop Progress", from: []string{stProgress.id}, to: stToDo},
		{id: "21", name: "Request Review", from: []string{stProgress.id}, to: stReview, screen: []string{fieldReviewTeam}, required: []string{fieldReviewTeam}},
		{id: "51", name: "Back to In Progress", from: []string{stReview.id}, to: stProgress},
		{id: "31", name: "Done", from: []string{stToDo.id, stProgress.id, stReview.id}, to: stDone, screen: []string{"resolution"}, required: []string{"resolution"}},
		{id: "61", name: "Reopen", from: []string{stDone.id}, to: stToDo},
	}
}

// seedProjects are the projects and the groups their permissions name.
func seedProjects() []*project {
	everyone := "jira-software-users"
	devRoles := func(members ...string) map[string][]string {
		return map[string][]string{
			"Developers":     members,
			"Users":          {"alice", "bob", "carol", "dave", "erin", "frank"},
			"Administrators": {"dave"},
		}
	}
	return []*project{
		{id: 10000, key: "WEB", name: "Web Storefront", desc: "Customer-facing web shop: catalogue, cart and checkout.", lead: "alice", browse: everyone, comment: everyone, transition: everyone, roles: devRoles("alice", "bob", "carol")},
		{id: 10001, key: "API", name: "Platform API", desc: "Public REST API, authentication and the services behind them.", lead: "bob", browse: everyone, anonBrowse: true, comment: everyone, transition: everyone, roles: devRoles("bob", "carol")},
		{id: 10002, key: "MOB", name: "Mobile App", desc: "iOS and Android shopping app.", lead: "carol", browse: everyone, comment: everyone, transition: everyone, roles: devRoles("carol", "alice")},
		{id: 10003, key: "OPS", name: "Operations", desc: "Infrastructure, deployments and on-call follow-ups. Read-only for developers.", lead: "erin", browse: everyone, comment: "ops-team", transition: "ops-team", roles: devRoles("erin", "carol")},
		{id: 10004, key: "SEC", name: "Security Response", desc: "Vulnerability reports under embargo.", lead: "dave", browse: "security-team", comment: "security-team", transition: "security-team", roles: devRoles("dave")},
	}
}

func seedSprints(t0 time.Time) []*sprint {
	day := 24 * time.Hour
	return []*sprint{
		{id: 1, board: 1, name: "Storefront Sprint 11", state: "CLOSED", start: t0.Add(-42 * day), end: t0.Add(-28 * day), completeDate: t0.Add(-28 * day), goal: "Ship saved carts"},
		{id: 2, board: 1, name: "Storefront Sprint 12", state: "CLOSED", start: t0.Add(-28 * day), end: t0.Add(-14 * day), completeDate: t0.Add(-14 * day), goal: "Checkout performance"},
		{id: 3, board: 1, name: "Storefront Sprint 13", state: "ACTIVE", start: t0.Add(-5 * day), end: t0.Add(9 * day), goal: "Checkout redesign beta"},
		{id: 4, board: 1, name: "Storefront Sprint 14", state: "FUTURE"},
		{id: 5, board: 2, name: "Platform Sprint 7", state: "CLOSED", start: t0.Add(-30 * day), end: t0.Add(-16 * day), completeDate: t0.Add(-16 * day)},
		{id: 6, board: 2, name: "Platform Sprint 8", state: "ACTIVE", start: t0.Add(-9 * day), end: t0.Add(5 * day), goal: "OAuth 2.0 for partners"},
	}
}

func (db *database) typeByName(n string) *issueType {
	for _, t := range db.types {
		if t.name == n {
			return t
		}
	}
	panic("emulator: no issue type " + n)
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
