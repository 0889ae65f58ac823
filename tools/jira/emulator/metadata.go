package emulator

import (
	"fmt"
	"net/http"
)

// Metadata resources: field, myself, serverInfo, status, priority,
// resolution, project and project/{key}.

func (e *Emulator) getFields(w http.ResponseWriter, _ *http.Request, _ *user) {
	e.answer(w, http.StatusOK, func(db *database) (any, error) {
		return convert(db.fields, func(f *fieldDef) any { return f.json() }), nil
	})
}

func (e *Emulator) getMyself(w http.ResponseWriter, r *http.Request, u *user) {
	if u.isAnonymous() {
		notAuthenticated(w)
		return
	}
	expand := r.URL.Query().Get("expand")
	e.answer(w, http.StatusOK, func(db *database) (any, error) { return e.myselfJSON(db, u, expand), nil })
}

func (e *Emulator) getServerInfo(w http.ResponseWriter, _ *http.Request, _ *user) {
	e.answer(w, http.StatusOK, func(db *database) (any, error) { return e.serverInfoJSON(db), nil })
}

func (e *Emulator) getStatuses(w http.ResponseWriter, _ *http.Request, _ *user) {
	e.answer(w, http.StatusOK, func(db *database) (any, error) {
		return convert(db.statuses, func(s *status) any { return e.statusJSON(s) }), nil
	})
}

func (e *Emulator) getPriorities(w http.ResponseWriter, _ *http.Request, _ *user) {
	e.answer(w, http.StatusOK, func(db *database) (any, error) {
		return convert(db.priorities, func(p *priority) any {
			m := e.priorityJSON(p)
			m["description"], m["statusColor"] = p.description, p.color
			return m
		}), nil
	})
}

func (e *Emulator) getResolutions(w http.ResponseWriter, _ *http.Request, _ *user) {
	e.answer(w, http.StatusOK, func(db *database) (any, error) {
		return convert(db.resolutions, func(r *resolution) any { return e.resolutionJSON(r) }), nil
	})
}

// getProjects lists the projects u may browse (see projects_list.go).
func (e *Emulator) getProjects(w http.ResponseWriter, r *http.Request, u *user) {
	exp := expandSet(r.URL.Query()["expand"])
	e.answer(w, http.StatusOK, func(db *database) (any, error) {
		out := []any{}
		for _, p := range db.projects {
			if db.canBrowse(u, p) {
				out = append(out, e.projectListJSON(db, p, exp))
			}
		}
		return out, nil
	})
}

func (e *Emulator) getProject(w http.ResponseWriter, r *http.Request, u *user) {
	keyOrID := r.PathValue("key")
	e.answer(w, http.StatusOK, func(db *database) (any, error) {
		p := db.findProjectByKeyOrID(keyOrID)
		if p == nil || !db.canBrowse(u, p) {
			what := "key"
			if _, err := parseInt(keyOrID); err == nil {
				what = "id"
			}
			return nil, notFound(fmt.Sprintf("No project could be found with %s '%s'.", what, keyOrID))
		}
		return e.projectJSON(p, true, db), nil
	})
}
