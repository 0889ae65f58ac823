package emulator

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"time"
)

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

// generatedMembers are the people generated issues of a project involve.
var generatedMembers = map[string][]string{
	"WEB": {"alice", "bob", "carol"},
	"API": {"bob", "carol", "alice"},
	"MOB": {"carol", "alice", "bob"},
	"OPS": {"erin", "carol"},
	"SEC": {"dave"},
}

// generator fills projects with issues from the vocabulary above. Every
// value comes from rng in a fixed order: changing the order of the calls
// changes the whole seed.
type generator struct {
	db      *database
	rng     *rand.Rand
	t0      time.Time
	p       *project
	members []string
	epics   []*issue // the project's epics, for Epic Link
	parents []*issue // its standard issues, for sub-tasks
}

func (db *database) generate(rng *rand.Rand, t0 time.Time, counts map[*project]int) {
	epic := db.typeByName("Epic")
	for _, p := range db.projects {
		g := &generator{db: db, rng: rng, t0: t0, p: p, members: generatedMembers[p.key]}
		for _, is := range db.issues {
			if is.project == p && is.typ == epic {
				g.epics = append(g.epics, is)
			}
		}
		for i := 0; i < counts[p]; i++ {
			g.issue()
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

// issue generates one issue of g.p.
func (g *generator) issue() {
	db, rng := g.db, g.rng
	is := g.newIssue()
	is.reporter = pick(rng, g.members)
	is.creator = is.reporter
	if rng.IntN(5) > 0 {
		is.assignee = pick(rng, g.members)
	}
	is.priority = db.priorities[[]int{0, 1, 1, 2, 2, 2, 2, 3, 3, 4}[rng.IntN(10)]]
	g.times(is)
	g.status(is)
	for j, k := 0, rng.IntN(4); j < k; j++ {
		l := pick(rng, labelPool)
		if !containsString(is.labels, l) {
			is.labels = append(is.labels, l)
		}
	}
	sort.Strings(is.labels)
	if rng.IntN(6) == 0 {
		is.due = g.t0.Add(time.Duration(rng.IntN(60)-20) * 24 * time.Hour).Truncate(24 * time.Hour)
	}
	g.links(is)
	g.comments(is)
}

// newIssue creates an issue of a random type with a summary and
// description from the vocabulary.
func (g *generator) newIssue() *issue {
	db, rng := g.db, g.rng
	area := pick(rng, areas[g.p.key])
	var typ *issueType
	var summary string
	switch r := rng.IntN(100); {
	case r < 4 && len(g.epics) < 4:
		typ, summary = db.typeByName("Epic"), fmt.Sprintf(pick(rng, epicPatterns), area)
	case r < 34:
		typ, summary = db.typeByName("Bug"), fmt.Sprintf(pick(rng, bugPatterns), area)
	case r < 62:
		typ, summary = db.typeByName("Story"), fmt.Sprintf(pick(rng, storyPatterns), "the "+area)
	case r < 88 || len(g.parents) == 0:
		typ, summary = db.typeByName("Task"), fmt.Sprintf(pick(rng, taskPatterns), "the "+area)
	default:
		typ, summary = db.typeByName("Sub-task"), fmt.Sprintf(pick(rng, taskPatterns), "the "+area)
	}
	summary = strings.ToUpper(summary[:1]) + summary[1:]
	desc := pick(rng, descPool) + "\n\nArea: " + area + "."
	if typ.name == "Bug" {
		desc = "h3. Steps to reproduce\n# open the " + area + "\n# repeat the action twice\n\n*Expected:* it works.\n*Actual:* see summary.\n\n" + desc
	}
	is := db.newIssue(g.p, typ, summary, desc)
	if rng.IntN(10) == 0 {
		is.description = ""
	}
	return is
}

// times sets when the issue was created and last updated.
func (g *generator) times(is *issue) {
	rng, t0 := g.rng, g.t0
	is.created = t0.Add(-time.Duration(rng.IntN(180*24*60)) * time.Minute)
	age := t0.Sub(is.created)
	if rng.IntN(3) == 0 {
		is.updated = t0.Add(-time.Duration(rng.Int64N(int64(min(age, 7*24*time.Hour)) + 1)))
	} else {
		is.updated = is.created.Add(time.Duration(rng.Int64N(int64(age) + 1)))
	}
	is.updated = is.updated.Truncate(time.Second)
}

// status sets the workflow status, with a review team in review and a
// resolution when done.
func (g *generator) status(is *issue) {
	db, rng := g.db, g.rng
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
}

// links sets what depends on the type: epic name, story points, parent,
// Epic Link and sprint.
func (g *generator) links(is *issue) {
	rng := g.rng
	switch is.typ.name {
	case "Epic":
		is.epicName = is.summary
		g.epics = append(g.epics, is)
	case "Story":
		is.storyPoints = fptr([]float64{1, 2, 3, 5, 8, 13}[rng.IntN(6)])
		if rng.IntN(5) == 0 {
			is.storyPoints = nil
		}
	case "Sub-task":
		par := pick(rng, g.parents)
		is.parent = par
		par.subtasks = append(par.subtasks, is)
	}
	if is.typ.name == "Epic" || is.typ.subtask {
		return
	}
	g.parents = append(g.parents, is)
	if len(g.epics) > 0 && rng.IntN(2) == 0 {
		is.epicLink = pick(rng, g.epics)
	}
	if ss := g.sprints(); len(ss) > 0 && rng.IntN(3) > 0 {
		s := pick(rng, ss)
		if s.state != "FUTURE" || is.status == stToDo {
			is.sprints = []*sprint{s}
		}
	}
}

// sprints are the sprints of the project's board.
func (g *generator) sprints() []*sprint {
	switch g.p.key {
	case "WEB":
		return g.db.sprints[0:4]
	case "API":
		return g.db.sprints[4:6]
	}
	return nil
}

// comments adds up to three comments, some restricted.
func (g *generator) comments(is *issue) {
	rng := g.rng
	for j, k := 0, rng.IntN(4); j < k; j++ {
		at := is.created.Add(time.Duration(rng.Int64N(int64(g.t0.Sub(is.created)) + 1))).Truncate(time.Second)
		vt, vv := "", ""
		switch rng.IntN(8) {
		case 0:
			vt, vv = "role", "Developers"
		case 1:
			vt, vv = "group", "developers"
		}
		g.db.addComment(is, pick(rng, g.members), pick(rng, commentPool), at, vt, vv)
	}
	sort.Slice(is.comments, func(a, b int) bool { return is.comments[a].created.Before(is.comments[b].created) })
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

// handComponents are the components and fix versions of the hand-written
// issues, which the package doc promises.
var handComponents = map[string]struct {
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

func (db *database) seedComponentsAndVersions(rng *rand.Rand, t0 time.Time) {
	db.createComponentsAndVersions(t0)
	for _, is := range db.issues {
		if h, ok := handComponents[is.key]; ok {
			for _, n := range h.components {
				is.components = append(is.components, db.componentNamed(is.project, n))
			}
			for _, n := range h.versions {
				is.fixVersions = append(is.fixVersions, db.versionNamed(is.project, n))
			}
		} else {
			generateComponentsAndVersions(rng, is)
		}
		db.seedTeams(rng, is)
	}
}

// createComponentsAndVersions gives each project its components and
// versions, with ids from 10000 in project order.
func (db *database) createComponentsAndVersions(t0 time.Time) {
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
}

func (db *database) componentNamed(p *project, name string) *component {
	for _, c := range p.components {
		if c.name == name {
			return c
		}
	}
	panic("emulator: no component " + name)
}

func (db *database) versionNamed(p *project, name string) *version {
	for _, v := range p.versions {
		if v.name == name {
			return v
		}
	}
	panic("emulator: no version " + name)
}

// generateComponentsAndVersions gives a generated issue components and a
// fix version: a released one when it is done, an unreleased one otherwise.
func generateComponentsAndVersions(rng *rand.Rand, is *issue) {
	p := is.project
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

// seedTeams sets the two Team fields. The select is set on every
// hand-written issue, the text only on WEB-2 and MOB-1.
func (db *database) seedTeams(rng *rand.Rand, is *issue) {
	tm, ok := teamOf[is.project.key]
	_, handWritten := handComponents[is.key]
	switch {
	case !ok:
	case handWritten:
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
