package emulator

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// The state side of POST transitions: check a decoded transition against
// the issue, the workflow and the user's permissions, in Jira's order, then
// apply it.

// transitionChange is what a valid transition changes besides the status.
type transitionChange struct {
	resolution *resolution
	reviewTeam *option
	comments   []commentInput
}

// transition applies in to the issue idOrKey as u, or returns the error
// Jira answers.
func (db *database) transition(u *user, idOrKey string, in transitionInput) error {
	is, err := db.browsableIssue(u, idOrKey)
	if err != nil {
		return err
	}
	t, err := db.availableTransition(u, is, in)
	if err != nil {
		return err
	}
	ch, err := db.checkTransition(u, is, t, in)
	if err != nil {
		return err
	}
	db.applyTransition(u, is, t, ch)
	return nil
}

// availableTransition finds the transition in names, if u may take it
// from the issue's status.
func (db *database) availableTransition(u *user, is *issue, in transitionInput) (*transition, error) {
	switch {
	case in.idMissing:
		return nil, badRequest("Missing 'transition' identifier")
	case in.idInvalid:
		return nil, badRequest("Can not deserialize instance of java.lang.String out of START_OBJECT token")
	}
	t := db.transitionByID(in.id)
	if t == nil {
		return nil, badRequest(fmt.Sprintf("Transition id '%s' is not valid for this issue.", in.id))
	}
	if !slices.Contains(db.transitionsFor(u, is), t) {
		return nil, badRequest(fmt.Sprintf("It seems that you have tried to perform a workflow operation (%s) that is not valid for the current state of this issue (%s). The likely cause is that somebody has changed the issue recently, please look at the issue history for details.", t.name, is.key))
	}
	return t, nil
}

// checkTransition checks the fields, updates and comments sent with t
// against its screen. A comment that is not a comment object fails alone;
// every other problem is reported together, by field.
func (db *database) checkTransition(u *user, is *issue, t *transition, in transitionInput) (transitionChange, error) {
	for _, op := range in.comments {
		for _, v := range op.verbs {
			if v.err != nil {
				return transitionChange{}, v.err
			}
		}
	}
	var ch transitionChange
	errs := map[string]string{}
	offScreen := func(id string) bool {
		if slices.Contains(t.screen, id) {
			return false
		}
		errs[id] = fmt.Sprintf("Field '%s' cannot be set. It is not on the appropriate screen, or unknown.", id)
		return true
	}
	for id, f := range in.fields {
		if offScreen(id) {
			continue
		}
		var msg string
		switch id {
		case "resolution":
			ch.resolution, msg = db.resolutionNamed(f)
		case fieldReviewTeam:
			ch.reviewTeam, msg = db.reviewTeamNamed(f)
		}
		if msg != "" {
			errs[id] = msg
		}
	}
	for _, id := range in.updates {
		offScreen(id)
	}
	ch.comments = db.checkComments(u, is, in.comments, errs)
	for _, id := range t.required {
		if _, bad := errs[id]; bad {
			continue
		}
		if id == "resolution" && ch.resolution == nil || id == fieldReviewTeam && ch.reviewTeam == nil {
			errs[id] = db.fieldByID[id].name + " is required."
		}
	}
	if len(errs) > 0 {
		return transitionChange{}, fieldErrors(errs)
	}
	return ch, nil
}

// resolutionNamed resolves a resolution object; msg is Jira's error.
func (db *database) resolutionNamed(f fieldRef) (res *resolution, msg string) {
	switch {
	case f.null:
		return nil, ""
	case f.id == "" && f.name == "":
		return nil, "Could not find valid 'id' or 'name' in resolution object."
	}
	for _, x := range db.resolutions {
		if f.id != "" && x.id == f.id || f.id == "" && strings.EqualFold(x.name, f.name) {
			res = x
		}
	}
	switch {
	case res == nil && f.id != "":
		return nil, fmt.Sprintf("Resolution with id '%s' does not exist.", f.id)
	case res == nil:
		return nil, fmt.Sprintf("Resolution with name '%s' does not exist.", f.name)
	}
	return res, ""
}

// reviewTeamNamed resolves an option of Review Team; msg is Jira's error.
func (db *database) reviewTeamNamed(f fieldRef) (team *option, msg string) {
	switch {
	case f.null:
		return nil, ""
	case f.id == "" && f.value == "":
		return nil, "Could not find valid 'id' or 'value' in the option object."
	}
	for i, o := range db.reviewTeams {
		if f.id != "" && o.id == f.id || f.id == "" && o.value == f.value {
			team = &db.reviewTeams[i]
		}
	}
	switch {
	case team == nil && f.id != "":
		return nil, fmt.Sprintf("Option id '%s' is not valid", f.id)
	case team == nil:
		return nil, fmt.Sprintf("Option value '%s' is not valid", f.value)
	}
	return team, ""
}

// checkComments checks update.comment, adding Jira's messages to errs;
// it returns the comments to add.
func (db *database) checkComments(u *user, is *issue, ops []commentOp, errs map[string]string) []commentInput {
	var out []commentInput
	for _, op := range ops {
		if op.none {
			errs["comment"] = "No operation specified for the comment field."
			continue
		}
		for _, v := range op.verbs {
			if v.verb != "add" {
				errs["comment"] = fmt.Sprintf("Operation '%s' is not supported for the comment field during a transition.", v.verb)
				continue
			}
			if field, msg := db.checkComment(u, is, v.input); msg != "" {
				errs[field] = msg
				continue
			}
			out = append(out, v.input)
		}
	}
	return out
}

// applyTransition moves the issue to t's status with the changes checked.
func (db *database) applyTransition(u *user, is *issue, t *transition, ch transitionChange) {
	db.changed()
	now := db.now().UTC()
	from, fromRes := is.status, is.resolution
	defer db.recordTransition(u, is, now, from, fromRes)
	is.status = t.to
	is.updated = now
	if t.to.cat == catDone {
		if ch.resolution != nil {
			is.resolution, is.resolved = ch.resolution, now
		}
	} else {
		is.resolution, is.resolved = nil, time.Time{}
	}
	if ch.reviewTeam != nil {
		is.reviewTeam = ch.reviewTeam
	}
	// Jira applies update.comment through the transition's screen: a
	// transition without one answers 204 and silently drops the comment
	// (community.general#818 on Server, jira-cli#1024). The comment is still
	// checked, so a bad one fails either way.
	if len(t.screen) > 0 {
		for _, c := range ch.comments {
			vt, vv := c.Visibility.pair()
			db.addComment(is, u.name, *c.Body, now, vt, vv)
		}
	}
}
