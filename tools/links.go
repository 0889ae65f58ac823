package tools

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	neturl "net/url"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/jira-mcp/jira-mcp/tools/jira"
)

// Names of the link tools.
const (
	LinkIssues    = "jira_link_issues"
	AddRemoteLink = "jira_add_remote_link"
)

const linksSet = "links" // the links toolset

// The link rule. jira_link_issues reads "issue_key <link> other_issue_key"
// in words, as Jira's issue view shows it on issue_key. Jira keeps a link
// from a source to a destination, read "source <outward> destination";
// POST /issueLink names the source inwardIssue and the destination
// outwardIssue (see tools/jira/links_api.go). So, with Blocks (outward
// "blocks", inward "is blocked by"):
//
//	WEB-3 "blocks" OPS-1        -> inwardIssue WEB-3, outwardIssue OPS-1
//	WEB-3 "is blocked by" OPS-1 -> inwardIssue OPS-1, outwardIssue WEB-3
//
// A link type's name ("Blocks") reads as its outward phrase.

func linkIssuesTool() Tool {
	return newTool(linksSet,
		mcp.NewTool(LinkIssues,
			mcp.WithToolTitle("Link two Jira issues"),
			mcp.WithDescription(`Link two issues, read as "issue_key <link> other_issue_key". An existing link is reported, not duplicated.`),
			annotations(false, false, false),
			issueKeyArg(),
			mcp.WithString("link", mcp.Required(), mcp.MinLength(1), mcp.MaxLength(100), mcp.Description(`Link type or phrase, e.g. "blocks", "is blocked by", "relates to"`)),
			mcp.WithString("other_issue_key", mcp.Required(), mcp.Description("e.g. PROJ-456")),
			mcp.WithString("comment", mcp.MaxLength(maxTextLength), mcp.Description("Comment added to issue_key")),
			formatArg(),
			outputSchema("issue_key", "other_issue_key", "type", "text", "created"),
		),
		CLI{
			Command: "link", Args: []Arg{keyArg, {"link", "LINK"}, {"other_issue_key", "OTHER"}}, Stdin: []string{"comment"},
			Long: `Reads as "KEY LINK OTHER", e.g. link WEB-3 "is blocked by" OPS-1.`,
		},
		(*Toolset).linkIssues,
	)
}

type linkArgs struct {
	IssueKey      string `json:"issue_key"`
	Link          string `json:"link"`
	OtherIssueKey string `json:"other_issue_key"`
	Comment       string `json:"comment"`
	Format        string `json:"format"`
}

// LinkResult is jira_link_issues' structured content.
type LinkResult struct {
	IssueKey      string `json:"issue_key"`
	OtherIssueKey string `json:"other_issue_key"`
	Type          string `json:"type"`      // the link type's name
	Direction     string `json:"direction"` // outward or inward, from issue_key
	Text          string `json:"text"`      // "WEB-3 is blocked by OPS-1"
	Created       bool   `json:"created"`   // false: the link was there already
	Verified      bool   `json:"verified,omitempty"`
	CommentID     string `json:"comment_id,omitempty"`
	CommentError  string `json:"comment_error,omitempty"`
}

func (t *Toolset) linkIssues(ctx context.Context, a *linkArgs) (*mcp.CallToolResult, error) {
	key, err := jira.NormalizeKey(a.IssueKey)
	if err != nil {
		return failure(op{}, err)
	}
	other, err := jira.NormalizeKey(a.OtherIssueKey)
	if err != nil {
		return inputError("other_issue_key: %s", err)
	}
	if key == other {
		return inputError("issue_key and other_issue_key are both %s: an issue cannot be linked to itself.", key)
	}
	var comment *jira.CommentInput
	if strings.TrimSpace(a.Comment) != "" {
		var msg string
		if comment, msg = commentInput(a.Comment, nil); msg != "" {
			return inputError("%s", msg)
		}
		comment.Body, _ = t.wikiText(ctx, comment.Body, a.Format)
	}
	types, err := t.jira.LinkTypes(ctx)
	if err != nil {
		return failure(op{what: "read the issue link types"}, err)
	}
	lt, inward, msg := pickLinkType(types, a.Link)
	if msg != "" {
		return inputError("%s", msg)
	}
	out := LinkResult{IssueKey: key, OtherIssueKey: other, Type: lt.Name, Direction: "outward", Text: key + " " + lt.Outward + " " + other}
	req := jira.LinkRequest{Type: lt, InwardIssue: jira.IssueRef{Key: key}, OutwardIssue: jira.IssueRef{Key: other}}
	if inward {
		out.Direction, out.Text = "inward", key+" "+lt.Inward+" "+other
		req.InwardIssue, req.OutwardIssue = req.OutwardIssue, req.InwardIssue
	}
	before, err := t.jira.IssueLinks(ctx, key)
	if err != nil {
		return failure(op{what: "read the links of " + key + " (nothing was linked)", key: key}, err)
	}
	if hasLink(before, lt, other, inward) {
		text := "Already linked: " + out.Text + ". Nothing was changed."
		if comment != nil {
			text += fmt.Sprintf(" The comment was not added; if it is still wanted, use %s.", AddComment)
		}
		return mcp.NewToolResultStructured(out, text), nil
	}
	write := op{what: "link " + out.Text, key: key, write: true}
	if err := t.jira.LinkIssues(ctx, req); err != nil {
		if res, gerr := t.linkFailure(ctx, write, err, key, other, lt, inward); res != nil || gerr != nil {
			return res, gerr
		}
		out.Verified = true
	}
	out.Created = true
	text := "Linked: " + out.Text + "."
	if out.Verified {
		text += " Jira's answer was lost; the link was confirmed by reading it back. Do not link again."
	}
	if comment != nil {
		out.CommentID, out.CommentError = t.followComment(ctx, key, *comment)
		text += commentNote(out.CommentID, out.CommentError, key, "link")
	}
	return mcp.NewToolResultStructured(out, text), nil
}

// linkFailure answers a link that failed with err; it returns nothing when
// Jira's answer was lost and the link is there: made after all.
func (t *Toolset) linkFailure(ctx context.Context, write op, err error, key, other string, lt jira.LinkType, inward bool) (*mcp.CallToolResult, error) {
	var ae *jira.APIError
	if errors.As(err, &ae) && ae.Status == 401 {
		// Jira DC answers 401 to a link the user may not make (its
		// OpenAPI document says so), while the reads just before, with the
		// same login, succeeded.
		return errorResult(KindForbidden, fmt.Sprintf("Permission denied: Jira refused to %s (401%s). Jira answers 401 when the user lacks the Link Issues permission; do not retry, tell the user. (If every other tool now fails too, the login expired: ask the user to run `jira-mcp auth login`.)", write.what, colon(ae.Detail()))), nil
	}
	if !outcomeUnknown(ctx, err) {
		return failure(write, err)
	}
	vctx, cancel := verifyContext(ctx)
	defer cancel()
	after, rerr := t.jira.IssueLinks(vctx, key)
	switch {
	case rerr != nil:
		return failure(write, err)
	case !hasLink(after, lt, other, inward):
		return notMade(write, err, "reading the links of "+key+" back does not show it")
	}
	return nil, nil
}

// pickLinkType finds the link type an agent named, and whether it named
// the inward phrase: a phrase matches first, then a type's name, then a
// phrase without its "is" ("blocked by"). Case and spacing do not matter.
func pickLinkType(types []jira.LinkType, want string) (jira.LinkType, bool, string) {
	w := normPhrase(want)
	type hit struct {
		i      int
		inward bool
	}
	levels := []func(lt jira.LinkType) []hit{
		func(lt jira.LinkType) []hit {
			var h []hit
			if normPhrase(lt.Outward) == w {
				h = append(h, hit{inward: false})
			}
			if normPhrase(lt.Inward) == w && !strings.EqualFold(lt.Inward, lt.Outward) {
				h = append(h, hit{inward: true})
			}
			return h
		},
		func(lt jira.LinkType) []hit {
			if normPhrase(lt.Name) == w {
				return []hit{{}}
			}
			return nil
		},
		func(lt jira.LinkType) []hit {
			if strings.TrimPrefix(normPhrase(lt.Inward), "is ") == strings.TrimPrefix(w, "is ") && !strings.EqualFold(lt.Inward, lt.Outward) {
				return []hit{{inward: true}}
			}
			return nil
		},
	}
	for _, level := range levels {
		var hits []hit
		for i, lt := range types {
			for _, h := range level(lt) {
				h.i = i
				hits = append(hits, h)
			}
		}
		switch {
		case len(hits) == 1:
			return types[hits[0].i], hits[0].inward, ""
		case len(hits) > 1:
			return jira.LinkType{}, false, fmt.Sprintf("link %q is ambiguous on this Jira. %s", want, linkTypesText(types))
		}
	}
	return jira.LinkType{}, false, fmt.Sprintf("No link type %q on this Jira. %s", want, linkTypesText(types))
}

func normPhrase(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

func linkTypesText(types []jira.LinkType) string {
	if len(types) == 0 {
		return "It has no link types (issue linking may be disabled)."
	}
	parts := make([]string, len(types))
	for i, lt := range types {
		parts[i] = fmt.Sprintf("%s (%q / %q)", lt.Name, lt.Outward, lt.Inward)
	}
	return "Use a phrase of one of: " + strings.Join(parts, ", ") + "."
}

// hasLink reports whether links (an issue's issuelinks) hold a link of
// type lt to other in the direction asked. A type whose two phrases are
// the same (relates to) counts in either direction.
func hasLink(links []jira.IssueLink, lt jira.LinkType, other string, inward bool) bool {
	symmetric := strings.EqualFold(lt.Inward, lt.Outward)
	for _, l := range links {
		if l.Type.ID != lt.ID && l.Type.Name != lt.Name {
			continue
		}
		if l.OutwardIssue != nil && l.OutwardIssue.Key == other && (!inward || symmetric) ||
			l.InwardIssue != nil && l.InwardIssue.Key == other && (inward || symmetric) {
			return true
		}
	}
	return false
}

// followComment adds a comment once a write is done; it returns the
// comment's id or why it failed.
func (t *Toolset) followComment(ctx context.Context, key string, c jira.CommentInput) (id, problem string) {
	added, err := t.jira.AddComment(ctx, key, c)
	if err == nil {
		return added.ID, ""
	}
	res, gerr := failure(op{what: "comment on " + key, key: key, write: true}, err)
	if gerr != nil {
		return "", gerr.Error()
	}
	return "", Text(res)
}

// commentNote tells how the comment that follows a write went.
func commentNote(id, problem, key, what string) string {
	if problem != "" {
		return fmt.Sprintf(" The %s is done, but adding the comment failed: %s Do not repeat the %s; if the comment is missing, add it with %s.", what, problem, what, AddComment)
	}
	return fmt.Sprintf(" Comment %s added to %s.", id, key)
}

// maxGlobalID is the longest globalId Jira DC keeps (a varchar(255)): the
// URL is the globalId, so it is the longest URL taken.
const maxGlobalID = 255

func addRemoteLinkTool() Tool {
	return newTool(linksSet,
		mcp.NewTool(AddRemoteLink,
			mcp.WithToolTitle("Link a web page to a Jira issue"),
			mcp.WithDescription("Link a URL (commit, pull request, page) to an issue. Adding the same URL again updates its link instead of duplicating it."),
			annotations(false, false, true), // keyed by the URL: adding it twice changes nothing
			issueKeyArg(),
			mcp.WithString("url", mcp.Required(), mcp.MinLength(1), mcp.MaxLength(maxGlobalID), mcp.Description("http(s) URL, without credentials")),
			mcp.WithString("title", mcp.Required(), mcp.MinLength(1), mcp.MaxLength(255), mcp.Description(`e.g. "PR #412: Fix timeout"`)),
			mcp.WithString("summary", mcp.MaxLength(1000), mcp.Description("One line shown under the title")),
			mcp.WithString("relationship", mcp.MaxLength(100), mcp.Description(`e.g. "fixed by"; default "links to"`)),
			outputSchema("issue_key", "id", "url", "updated"),
		),
		CLI{Command: "remote-link", Args: []Arg{keyArg, {"url", "URL"}, {"title", "TITLE"}}},
		(*Toolset).addRemoteLink,
	)
}

type remoteLinkArgs struct {
	IssueKey     string `json:"issue_key"`
	URL          string `json:"url"`
	Title        string `json:"title"`
	Summary      string `json:"summary"`
	Relationship string `json:"relationship"`
}

// RemoteLinkResult is jira_add_remote_link's structured content.
type RemoteLinkResult struct {
	IssueKey string `json:"issue_key"`
	ID       int64  `json:"id"`
	URL      string `json:"url"` // also the link's globalId
	Title    string `json:"title"`
	Updated  bool   `json:"updated"` // the issue had a link to this URL already
	Verified bool   `json:"verified,omitempty"`
}

func (t *Toolset) addRemoteLink(ctx context.Context, a *remoteLinkArgs) (*mcp.CallToolResult, error) {
	key, err := jira.NormalizeKey(a.IssueKey)
	if err != nil {
		return failure(op{}, err)
	}
	link, msg := remoteLinkInput(a)
	if msg != "" {
		return inputError("%s", msg)
	}
	before, err := t.jira.RemoteLinkByGlobalID(ctx, key, link.GlobalID)
	if err != nil {
		return failure(op{what: "read the remote links of " + key + " (nothing was linked)", key: key}, err)
	}
	if before != nil { // what is not given again stays as it was
		link.Relationship = cmp.Or(link.Relationship, before.Relationship)
		link.Object.Summary = cmp.Or(link.Object.Summary, before.Object.Summary)
	}
	out := RemoteLinkResult{IssueKey: key, URL: link.GlobalID, Title: link.Object.Title, Updated: before != nil}
	if before != nil && sameRemoteLink(*before, link) {
		out.ID = before.ID
		return mcp.NewToolResultStructured(out, fmt.Sprintf("%s already links to %s (%q, link %d). Nothing was changed.", key, out.URL, out.Title, out.ID)), nil
	}
	write := op{what: "link " + key + " to " + out.URL, key: key, write: true}
	id, err := t.jira.PutRemoteLink(ctx, key, link)
	if err != nil {
		if !outcomeUnknown(ctx, err) {
			return failure(write, err)
		}
		vctx, cancel := verifyContext(ctx)
		defer cancel()
		after, rerr := t.jira.RemoteLinkByGlobalID(vctx, key, link.GlobalID)
		switch {
		case rerr != nil:
			return failure(write, err)
		case after == nil || !sameRemoteLink(*after, link):
			return notMade(write, err, "reading the remote links of "+key+" back does not show it")
		}
		id, out.Verified = after.ID, true
	}
	out.ID = id
	text := fmt.Sprintf("Linked %s to %s: %q (remote link %d).", key, out.URL, out.Title, id)
	if out.Updated {
		text = fmt.Sprintf("Updated the link of %s to %s, which was there already (one link, not two): %q (remote link %d).", key, out.URL, out.Title, id)
	}
	if out.Verified {
		text += " Jira's answer was lost; the link was confirmed by reading it back."
	}
	return mcp.NewToolResultStructured(out, text), nil
}

// remoteLinkInput checks a remote link before it is sent: an http(s) URL
// with a host, no password in it (a user name alone is dropped), and no
// credential in the URL or the texts. The URL, cleaned, is the globalId.
func remoteLinkInput(a *remoteLinkArgs) (jira.RemoteLink, string) {
	raw := strings.TrimSpace(a.URL)
	u, err := neturl.Parse(raw)
	switch {
	case err != nil || u.Host == "" || u.Scheme != "http" && u.Scheme != "https":
		return jira.RemoteLink{}, fmt.Sprintf("url must be an http or https URL with a host, like https://git.example.com/repo/pull/12 (got %q).", clipValue(raw))
	case u.User != nil && hasPassword(u):
		return jira.RemoteLink{}, "url holds a password (user:password@host). Remove it: credentials must never be posted to Jira."
	}
	u.User = nil
	for _, s := range []string{u.String(), a.Title, a.Summary} {
		if what := credentialIn(s); what != "" {
			return jira.RemoteLink{}, "The link seems to contain a credential (" + what + "). Remove it: secrets must never be posted to Jira."
		}
	}
	l := jira.RemoteLink{GlobalID: u.String(), Relationship: strings.TrimSpace(a.Relationship)}
	l.Object = jira.RemoteObject{URL: u.String(), Title: oneLine(strings.TrimSpace(a.Title)), Summary: oneLine(strings.TrimSpace(a.Summary))}
	if l.Object.Title == "" {
		return jira.RemoteLink{}, "title is empty: give the link a title, e.g. the pull request's."
	}
	return l, ""
}

func hasPassword(u *neturl.URL) bool {
	_, ok := u.User.Password()
	return ok
}

// sameRemoteLink reports whether an issue's link already says what l
// would make it say.
func sameRemoteLink(have, l jira.RemoteLink) bool {
	return have.Object.URL == l.Object.URL && have.Object.Title == l.Object.Title &&
		have.Object.Summary == l.Object.Summary && have.Relationship == l.Relationship
}
