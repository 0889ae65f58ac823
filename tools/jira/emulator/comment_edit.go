package emulator

import (
	"net/http"
)

// Editing a comment: PUT issue/{key}/comment/{id}. Jira's rule: the
// author may edit their own comment (Edit Own Comments, granted with Add
// Comments), a project administrator anyone's (Edit All Comments). The
// body replaces the comment's, and so does its visibility: a comment sent
// without one becomes public.

func (e *Emulator) putComment(w http.ResponseWriter, r *http.Request, u *user) {
	var in commentInput
	if err := decodeStrict(r.Body, &in); err != nil {
		writeError(w, err)
		return
	}
	rendered := expandSet(r.URL.Query()["expand"])["renderedBody"]
	e.answer(w, http.StatusOK, func(db *database) (any, error) {
		is, c, err := db.editComment(u, r.PathValue("key"), r.PathValue("id"), in)
		if err != nil {
			return nil, err
		}
		return e.commentJSON(db, is, c, rendered), nil
	})
}

// editComment replaces the body and visibility of a comment u may see,
// if u may edit it.
func (db *database) editComment(u *user, idOrKey, id string, in commentInput) (*issue, *comment, error) {
	is, c, err := db.comment(u, idOrKey, id)
	if err != nil {
		return nil, nil, err
	}
	if !db.canEditComment(u, is, c) {
		return nil, nil, badRequest("You do not have the permission to edit this comment.")
	}
	if field, msg := db.checkComment(u, is, in); msg != "" {
		return nil, nil, fieldErrors(map[string]string{field: msg})
	}
	db.changed()
	now := db.now().UTC()
	c.body, c.updateAuthor, c.updated = *in.Body, u.name, now
	c.visType, c.visValue = in.Visibility.pair()
	is.updated = now
	return is, c, nil
}
