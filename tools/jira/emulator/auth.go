package emulator

import (
	"errors"
	"net/http"
	"strings"
)

// authenticate checks the bearer token. Jira answers 401 with a JSON body
// and a WWW-Authenticate challenge; RFC 6750 error codes say why.
func (e *Emulator) authenticate(w http.ResponseWriter, r *http.Request) (*user, bool) {
	h := r.Header.Get("Authorization")
	challenge := `Bearer realm="` + e.baseURL + `"`
	token, ok := strings.CutPrefix(h, "Bearer ")
	if !ok {
		if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
			token, ok = h[7:], true
		}
	}
	token = strings.TrimSpace(token)
	var name string
	var err error
	if ok && token != "" {
		name, err = e.validator.ValidateToken(token)
	} else {
		err = errNoToken
	}
	var u *user
	if err == nil {
		e.mu.Lock()
		u = e.db.users[name]
		e.mu.Unlock()
		if u == nil || !u.active {
			err = errTokenInvalid
		}
	}
	if err != nil && e.anonFallback && !errors.Is(err, errNoToken) {
		// Seraph: the credentials failed, carry on as anonymous.
		w.Header().Set("X-Seraph-LoginReason", "AUTHENTICATED_FAILED")
		w.Header().Set("X-AUSERNAME", "anonymous")
		return anonymous, true
	}
	if err != nil {
		switch {
		case errors.Is(err, errTokenExpired):
			challenge += `, error="invalid_token", error_description="The access token expired"`
		case !errors.Is(err, errNoToken):
			challenge += `, error="invalid_token", error_description="The access token is invalid"`
		}
		w.Header().Set("WWW-Authenticate", challenge)
		w.Header().Set("X-AUSERNAME", "anonymous")
		notAuthenticated(w)
		return nil, false
	}
	if rec, ok := w.(*statusRecorder); ok {
		rec.user = u.name
	}
	w.Header().Set("X-AUSERNAME", u.name)
	return u, true
}

var errNoToken = errors.New("emulator: no bearer token")

// anonymous is the user WithAnonymousFallback serves failed tokens as: no
// name, no groups, so only permissions granted to Anyone apply.
var anonymous = &user{displayName: "Anonymous", active: true, groups: map[string]bool{}}

func (u *user) isAnonymous() bool { return u == anonymous }

// notAuthenticated is Jira's 401 for a resource that needs a user.
func notAuthenticated(w http.ResponseWriter) {
	jiraError(w, http.StatusUnauthorized, []string{"You are not authenticated. Authentication required to perform this operation."}, nil)
}
