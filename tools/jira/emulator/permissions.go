package emulator

import (
	"fmt"
	"net/http"
)

// Permissions. Each project grants Browse Projects, Add Comments and
// Transition Issues to one group (see the seed); a comment restricted to a
// group or a project role is visible to its members only.

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

// checkVisibility checks a comment restriction; it returns the errors
// key Jira uses and its message.
func (db *database) checkVisibility(u *user, is *issue, v *visibility) (field, msg string) {
	if v == nil {
		return "", ""
	}
	switch v.Type {
	case "group":
		if !db.groups[v.Value] {
			return "commentLevel", fmt.Sprintf("Group: %s does not exist.", v.Value)
		}
		if !db.inGroup(u, v.Value) {
			return "commentLevel", fmt.Sprintf("You are currently not a member of the group: %s.", v.Value)
		}
	case "role":
		if !db.roleExists(is.project, v.Value) {
			return "commentLevel", fmt.Sprintf("Invalid role level specified: %s.", v.Value)
		}
		if !db.inRole(u, is.project, v.Value) {
			return "commentLevel", fmt.Sprintf("You are currently not a member of the project role: %s.", v.Value)
		}
	default:
		return "commentLevel", fmt.Sprintf("The visibility type '%s' is invalid; use 'group' or 'role'.", v.Type)
	}
	return "", ""
}

// browsableIssue finds an issue u may browse, or answers Jira's error:
// 404, or 403 under WithForbiddenForHidden for an issue that exists.
func (db *database) browsableIssue(u *user, idOrKey string) (*issue, error) {
	is := db.lookupIssue(idOrKey)
	if is != nil && db.canBrowse(u, is.project) {
		return is, nil
	}
	if is != nil && db.forbidHidden {
		return nil, &apiError{status: http.StatusForbidden, messages: []string{"You do not have the permission to see the specified issue."}}
	}
	return nil, notFound("Issue Does Not Exist")
}
