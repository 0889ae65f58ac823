// Package emulator is an in-memory emulator of the Jira Data Center 10.3 REST
// API subset that jira-mcp uses, named and shaped like net/http/httptest.
//
// An Emulator is an http.Handler holding stateful, seeded Jira data. Server
// wraps it in an httptest.Server listening on loopback only, and
// Emulator.Client returns an *http.Client that serves requests in process
// (no socket at all), which is what `jira-mcp demo` uses.
//
// Every request is recorded (see Requests) so tests can assert on what Jira
// received, not only on what the client made of the answer. Fail injects
// faults (429 with Retry-After, 500, 503, ...); Issue snapshots an issue.
// NewOAuthProvider and WithOAuth add Jira's OAuth 2.0 provider (authorize
// and token endpoints, PKCE, refresh-token rotation), whose access tokens
// then replace the seed's.
//
// # API
//
// Under /rest/api/2, every call needs "Authorization: Bearer <token>"
// (401 with a WWW-Authenticate challenge otherwise): POST and GET search
// (JQL subset with Jira's error messages, fields, expand, validateQuery,
// maxResults capped at 1000, 500 past a 10,000-result window), GET issue,
// GET and POST issue transitions, GET and POST issue comment, GET issue
// comment by id, field, myself, serverInfo (10.3.6, deploymentType Server),
// status, priority, resolution, project (with expand) and project/{key};
// the writes of filing issues: POST issue, PUT issue/{key}, GET
// issue/{key}/editmeta, PUT issue/{key}/assignee, PUT issue comment by id,
// Jira 9's paged createmeta (issue/createmeta/{project}/issuetypes[/{id}]),
// user, user/search and user/assignable/search; POST issueLink,
// GET issueLink/{id} and issueLinkType; GET and POST issue remotelink (a
// globalId the issue has updates its link: 200, not 201); GET and POST
// issue worklog (adjustEstimate auto, leave, new with newEstimate, manual
// with reduceBy; durations like "1w 2d 3h 30m", a day 8 hours, a week 5
// days); and GET issue's expand=changelog, which transitions, links, remote
// links and worklogs record. links_state.go explains which way a link
// points: POST issueLink's inwardIssue is the one the outward phrase
// describes ("inwardIssue blocks outwardIssue"); POST issue attachments
// (multipart; 403 "XSRF check failed" without "X-Atlassian-Token:
// no-check") and GET attachment/{id}. Under /rest/agile/1.0 (agile.go):
// GET board (?projectKeyOrId=, paged), GET board/{id}/sprint (?state=),
// GET sprint/{id}, POST sprint/{id}/issue and POST backlog/issue
// ({"issues":[...]}, at most 50; a closed sprint answers 400). Files
// download from /secure/attachment/{id}/{filename} with their content type
// (WithContentBaseURL points the links at another host). Any other path
// under /rest/api/2 answers Jersey's JSON 404, a method a resource does not
// serve 405 with an Allow header. Every response is validated against
// Atlassian's OpenAPI document in this package's tests.
//
// JQL is package jql's; its doc lists the fields, operators and functions.
// Its dates follow Jira: relative dates take w, d, h and m in any case ("M"
// is minutes; no months or years; a bare quoted number is minutes, an
// unquoted one epoch milliseconds); startOfDay(-1) and its siblings take one
// increment (+/-)n with a case-sensitive unit y, M, w, d, h or m, defaulting
// to the function's own period.
//
// An issue the user may not browse answers 404 "Issue Does Not Exist", as
// Atlassian documents; WithForbiddenForHidden answers 403 instead.
// WithAnonymousFallback serves a failed bearer token as the anonymous user
// (200, "X-Seraph-LoginReason: AUTHENTICATED_FAILED") instead of 401.
//
// # Seed
//
// The seed is deterministic; its times are relative to the clock (WithClock)
// at New. Users (token from Token, name, groups):
//
//	alice  DefaultToken            Alice Anderson  jira-software-users, developers (DefaultUser)
//	bob    emulator-token-bob      Bob Brown       jira-software-users, developers
//	carol  emulator-token-carol    Carol Chen      jira-software-users, developers, ops-team
//	dave   emulator-token-dave     Dave Diaz       jira-software-users, security-team, jira-administrators
//	erin   emulator-token-erin     Erin Evans      jira-software-users, ops-team
//	frank  (none: inactive)        Frank Fischer   jira-software-users
//
// Projects: WEB "Web Storefront" (id 10000), API "Platform API" (10001) and
// MOB "Mobile App" (10002) are open to everyone (API to anonymous users
// too, which only WithAnonymousFallback lets happen); OPS "Operations" (10003)
// can be browsed by everyone but only ops-team may comment or transition
// (alice gets 400 "Alice Anderson, you do not have the permission to comment
// on this issue." and no transitions); SEC "Security Response" (10004) is
// visible to security-team only (404 and absent from search for the others).
// Project role Developers: WEB alice, bob, carol; API bob, carol; MOB carol,
// alice; OPS erin, carol; SEC dave. 239 issues in all (226 visible to alice).
//
// Components (ids from 10000 in this order): WEB Checkout, Payments, Search;
// API API Gateway, Authentication, Payments; MOB Android, iOS; OPS
// Infrastructure, Monitoring; SEC Triage. Versions (ids from 10000): WEB 2.3
// and 2.4 (released), 2.5 (unreleased); API 2.4 (released), 2.5; MOB 5.0
// (released), 5.1. Most generated issues have a component; some have a fix
// version (a released one when Done, an unreleased one otherwise).
//
// Notable issues:
//
//	WEB-1  Epic "Checkout redesign", In Progress
//	WEB-2  Story, To Do, alice, 5 story points, Epic Link WEB-1, open sprint
//	       "Storefront Sprint 13" (id 3); comments 20001 public (bob),
//	       20002 role Developers (carol), 20003 group security-team (dave),
//	       20004 public (alice); both Team fields set
//	WEB-3  Bug, In Progress, alice, Blocker, due in 3 days, one comment;
//	       components Checkout and Payments
//	WEB-4  Story, In Review, bob, Review Team Frontend
//	WEB-5  Bug, Done, resolution Fixed, fix version 2.4
//	WEB-6  Task, unassigned, parent of sub-task WEB-7; no component, no
//	       fix version (WEB-7 neither)
//	API-1  Epic; API-2 Story, alice, Critical, open sprint "Platform Sprint 8" (id 6)
//	MOB-1  Bug, To Do, alice, Critical, component Android, fix version 5.1
//	OPS-1  Task, To Do, erin: alice may read it only
//	SEC-1  Bug, dave: invisible to alice
//
// Boards: 1 "WEB board" (scrum, sprints 1-4), 2 "API board" (scrum, 5-6),
// 3 "Storefront Kanban" (kanban, WEB), 4 "SEC triage" (kanban, SEC: hidden
// from alice). Attachments (ids from 30000): WEB-3 checkout-502.png (a
// 48x24 PNG) and gateway.log (text/plain), both carol's; WEB-2
// autocomplete-spec.pdf (bob); SEC-1 poc.html (dave).
//
// WEB-1 to WEB-4 are in component Checkout with fix version 2.5; API-2 in
// Authentication with 2.5.
//
// Link types (ids from 10000): Blocks (blocks / is blocked by), Cloners,
// Duplicate, Relates (relates to, both ways). Links (ids from 10001): OPS-1
// blocks WEB-3, WEB-2 relates to WEB-4, SEC-1 blocks WEB-2 (hidden from
// alice), MOB-1 duplicates API-2. WEB-3 has remote link 10001 (globalId and
// URL https://git.example.test/storefront/web/pull/412), an original
// estimate of 2d, worklog 10001 (alice, 2h) and 1d 6h remaining, and one
// change in its history (To Do -> In Progress). Link Issues and Work on
// Issues are granted like transitions: alice may not link from OPS issues
// (401, as the OpenAPI document says) nor log work on them (403).
//
// Screens (screens.go): every project's create screen has summary,
// Component/s, description, priority, labels, Fix Version/s, due date,
// assignee, reporter and both Team fields; Bug adds Environment, Story
// Story Points, Epic Epic Name (required), Sub-task parent (required), and
// the types that are neither Epic Link and Sprint. Component/s is required
// in API only. The edit screen is the create screen without project, issue
// type, parent and reporter. Create Issues, Edit Issues, Assign Issues and
// Assignable User go with the group that may transition (so alice may not
// create, edit or assign in OPS, and frank, inactive, is assignable
// nowhere); a comment's author may edit it, a project's Administrators
// (dave) any comment.
//
// Workflow (all projects): To Do -> 11 Start Progress -> In Progress;
// In Progress -> 41 Stop Progress -> To Do; In Progress -> 21 Request Review
// -> In Review, whose screen requires customfield_10005 "Review Team" (select:
// Backend, Frontend, Mobile, Platform); In Review -> 51 Back to In Progress;
// To Do, In Progress, In Review -> 31 Done, whose screen requires resolution
// (Done, Fixed, Won't Fix, Duplicate, Cannot Reproduce); Done -> 61 Reopen
// (clears the resolution). A comment sent with a transition (update.comment)
// is validated always but stored only when the transition has a screen (21
// and 31): like Jira, the screenless ones (11, 41, 51, 61) answer 204 and
// drop it silently. The transitions' fields never list comment.
//
// Custom fields: customfield_10001 Sprint (sprints 1-4 "Storefront Sprint
// 11".."14", 5-6 "Platform Sprint 7".."8"; 3 and 6 are open, 4 is future),
// customfield_10002 Story Points, customfield_10003 Epic Link,
// customfield_10004 Epic Name, customfield_10005 Review Team,
// customfield_10006 Team (select: Checkout Squad, Platform Squad, Mobile
// Squad, SRE) and customfield_10007 Team (text): two fields with one name,
// so "Team" in JQL means both (only IS [NOT] EMPTY passes validation) and
// clients must resolve names to ids with care. System fields include
// components "Component/s" (JQL component) and fixVersions "Fix Version/s"
// (JQL fixVersion, with releasedVersions() and unreleasedVersions()).
//
// # Layout
//
// A request goes through layers, each in its own files:
//
//   - emulator.go: the Emulator, New, request recording; options.go the
//     options; client.go the in-process client, Bearer and Server.
//   - fault.go: injected faults, answered before anything else.
//   - routes.go: the ServeMux patterns of the REST API; auth.go the bearer
//     token check every route does first.
//   - Handlers, one file per resource: search.go, issue.go,
//     transitions.go, comments.go, metadata.go. Each decodes the request
//     into a typed value, calls a state method and writes the answer.
//   - State: model.go (the data and its lookups), permissions.go,
//     transitions_state.go and comments_state.go (checks in Jira's order,
//     then changes), state.go (snapshots for tests), jqlview.go (the data
//     as one user's queries see it, for package jql). One lock,
//     Emulator.mu, guards all of it; handlers hold it only while they call
//     the state and render its result.
//   - Encoding: encode.go (JSON out, Jira's error collection, strict JSON
//     in, and apiError, the typed error that carries Jira's wording);
//     render.go and the handlers' *JSON methods (Jira's objects);
//     fields.go (the field definitions and Jira's text formats).
//   - seed.go and seed_generate.go: the seed described above.
//   - oauth.go: the OAuth 2.0 provider.
package emulator
