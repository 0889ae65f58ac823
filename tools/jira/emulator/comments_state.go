package emulator

import (
	"fmt"
	"slices"
	"strings"
)

// The state side of comments: read them as a user may see them, and add
// one after Jira's checks.

const commentEmpty = "Comment body can not be empty!"

// comments are the comments of the issue idOrKey that u may see, oldest
// first unless newestFirst.
func (db *database) comments(u *user, idOrKey string, newestFirst bool) (*issue, []*comment, error) {
	is, err := db.browsableIssue(u, idOrKey)
	if err != nil {
		return nil, nil, err
	}
	cs := db.visibleComments(u, is)
	if newestFirst {
		slices.Reverse(cs)
	}
	return is, cs, nil
}

// comment is the comment id of the issue idOrKey, if u may see it.
func (db *database) comment(u *user, idOrKey, id string) (*issue, *comment, error) {
	is, err := db.browsableIssue(u, idOrKey)
	if err != nil {
		return nil, nil, err
	}
	if n, err := parseInt(id); err == nil {
		for _, c := range is.comments {
			if c.id == n && db.canSeeComment(u, is, c) {
				return is, c, nil
			}
		}
	}
	return nil, nil, notFound(fmt.Sprintf("Can not find a comment for the id: %s.", id))
}

// addCommentAs adds a comment to the issue idOrKey as u, or returns the
// error Jira answers.
func (db *database) addCommentAs(u *user, idOrKey string, in commentInput) (*issue, *comment, error) {
	is, err := db.browsableIssue(u, idOrKey)
	if err != nil {
		return nil, nil, err
	}
	if !db.canComment(u, is.project) {
		msg := u.displayName + ", you do not have the permission to comment on this issue."
		if u.isAnonymous() {
			msg = "You do not have the permission to comment on this issue."
		}
		return nil, nil, badRequest(msg)
	}
	if field, msg := db.checkComment(u, is, in); msg != "" {
		return nil, nil, fieldErrors(map[string]string{field: msg})
	}
	now := db.now().UTC()
	vt, vv := in.Visibility.pair()
	c := db.addComment(is, u.name, *in.Body, now, vt, vv)
	is.updated = now // addComment marked the change
	return is, c, nil
}

// checkComment checks a comment's body and restriction; it returns Jira's
// message and the errors key it uses.
func (db *database) checkComment(u *user, is *issue, in commentInput) (field, msg string) {
	if in.Body == nil || strings.TrimSpace(*in.Body) == "" {
		return "comment", commentEmpty
	}
	return db.checkVisibility(u, is, in.Visibility)
}
