package emulator

import (
	"errors"
	"net/http"
	"slices"
	"testing"
)

// TestRouting pins what the REST API answers around its resources: Jersey's
// JSON 404 for an unknown path, 405 with Allow and no body for a method a
// resource does not serve (HEAD included), a trailing slash accepted, and
// authentication before any of it.
func TestRouting(t *testing.T) {
	s := newTestServer(t)
	tests := []struct {
		method, path, token string
		status              int
		allow               string
	}{
		{"GET", "/rest/api/2/nope", DefaultToken, http.StatusNotFound, ""},
		{"GET", "/rest/api/2/nope", "", http.StatusUnauthorized, ""},
		{"PUT", "/rest/api/2/issue/WEB-1", "", http.StatusUnauthorized, ""},
		{"DELETE", "/rest/api/2/issue/WEB-1", DefaultToken, http.StatusMethodNotAllowed, "GET, PUT"},
		{"HEAD", "/rest/api/2/issue/WEB-1", DefaultToken, http.StatusMethodNotAllowed, "GET, PUT"},
		{"DELETE", "/rest/api/2/search", DefaultToken, http.StatusMethodNotAllowed, "GET, POST"},
		{"PUT", "/rest/api/2/issue/WEB-1/transitions", DefaultToken, http.StatusMethodNotAllowed, "GET, POST"},
		{"POST", "/rest/api/2/issue/WEB-1/comment/20001", DefaultToken, http.StatusMethodNotAllowed, "GET, PUT"},
		{"POST", "/rest/api/2/issue/createmeta/WEB/issuetypes", DefaultToken, http.StatusMethodNotAllowed, "GET"},
		{"GET", "/rest/api/2/issue/createmeta/WEB", DefaultToken, http.StatusNotFound, ""},
		{"GET", "/rest/api/2/issue/createmeta/WEB/issuetypes/", DefaultToken, http.StatusOK, ""},
		{"GET", "/rest/api/2/issue/WEB-1/", DefaultToken, http.StatusOK, ""},
		{"GET", "/rest/api/2/project/", DefaultToken, http.StatusOK, ""},
		{"GET", "/rest/api/2/issue/", DefaultToken, http.StatusMethodNotAllowed, "POST"},
		{"GET", "/rest/api/2/issue/WEB-1/comment/x/y", DefaultToken, http.StatusNotFound, ""},
		// %2F stays inside the key.
		{"GET", "/rest/api/2/issue/WEB%2F1", DefaultToken, http.StatusNotFound, ""},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			r := apiCall(t, s, tt.token, tt.method, tt.path, nil)
			if r.status != tt.status || r.header.Get("Allow") != tt.allow {
				t.Fatalf("= %d Allow %q, want %d Allow %q", r.status, r.header.Get("Allow"), tt.status, tt.allow)
			}
			switch {
			case r.status == http.StatusMethodNotAllowed && len(r.body) != 0:
				t.Errorf("405 has a body: %s", r.body)
			case r.status == http.StatusNotFound && tt.path == "/rest/api/2/issue/WEB%2F1":
				if msgs, _ := errorBody(t, r); !slices.Equal(msgs, []string{"Issue Does Not Exist"}) {
					t.Errorf("messages = %q", msgs)
				}
			case r.status == http.StatusNotFound:
				if m := r.json(t); m["message"] != "null for uri: "+s.URL+tt.path || m["status-code"] != 404.0 {
					t.Errorf("body = %s, want Jersey's 404", r.body)
				}
			}
		})
	}
}

// TestTransitionErrorOrder pins the order in which Jira reports the
// problems of a transition: the issue first, then the transition, then a
// comment that is not one, then the fields.
func TestTransitionErrorOrder(t *testing.T) {
	s := newTestServer(t)
	badComment := map[string]any{"comment": []any{map[string]any{"add": map[string]any{"bogus": 1}}}}
	tests := []struct {
		name, key string
		body      any
		status    int
		msgs      []string
		errs      map[string]string
	}{
		{"no issue beats no transition", "NOPE-1", map[string]any{}, 404, []string{"Issue Does Not Exist"}, nil},
		{"missing transition", "WEB-2", map[string]any{}, 400, []string{"Missing 'transition' identifier"}, nil},
		{"empty id is an id", "WEB-2", map[string]any{"transition": map[string]any{"id": ""}}, 400, []string{"Transition id '' is not valid for this issue."}, nil},
		{"bad transition beats bad comment", "WEB-2", map[string]any{"transition": map[string]any{"id": "99"}, "update": badComment}, 400, []string{"Transition id '99' is not valid for this issue."}, nil},
		{"bad comment beats field errors", "WEB-2", map[string]any{"transition": map[string]any{"id": "31"}, "update": badComment}, 400, []string{`Unrecognized field "bogus", not marked as ignorable`}, nil},
		{"field errors together", "WEB-2", map[string]any{"transition": map[string]any{"id": "31"}, "fields": map[string]any{"assignee": nil}}, 400, []string{},
			map[string]string{"assignee": "Field 'assignee' cannot be set. It is not on the appropriate screen, or unknown.", "resolution": "Resolution is required."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := apiCall(t, s, DefaultToken, "POST", "/rest/api/2/issue/"+tt.key+"/transitions", tt.body)
			if r.status != tt.status {
				t.Fatalf("status %d, want %d: %s", r.status, tt.status, r.body)
			}
			msgs, errs := errorBody(t, r)
			if !slices.Equal(msgs, tt.msgs) || tt.errs != nil && len(errs) != len(tt.errs) {
				t.Errorf("= %q %q, want %q %q", msgs, errs, tt.msgs, tt.errs)
			}
			for k, v := range tt.errs {
				if errs[k] != v {
					t.Errorf("errors[%s] = %q, want %q", k, errs[k], v)
				}
			}
		})
	}
}

// TestTransitionState drives the state layer without HTTP: a decoded
// input either changes the issue or comes back as Jira's error, and a
// refused transition changes nothing.
func TestTransitionState(t *testing.T) {
	db := seed(testClock)
	alice := db.users["alice"]
	before := db.byKey["WEB-2"].status
	err := db.transition(alice, "WEB-2", transitionInput{id: "31"})
	var ae *apiError
	if !errors.As(err, &ae) || ae.status != http.StatusBadRequest || ae.errors["resolution"] != "Resolution is required." {
		t.Fatalf("err = %v, want 400 resolution required", err)
	}
	if db.byKey["WEB-2"].status != before {
		t.Fatal("a refused transition changed the status")
	}
	in := transitionInput{id: "31", fields: map[string]fieldRef{"resolution": {name: "fixed"}}}
	if err := db.transition(alice, "WEB-2", in); err != nil {
		t.Fatal(err)
	}
	if is := db.byKey["WEB-2"]; is.status != stDone || is.resolution.name != "Fixed" || !is.resolved.Equal(testNow) {
		t.Errorf("WEB-2 is %s/%v at %v after Done", is.status.name, is.resolution, is.resolved)
	}
	if err := db.transition(alice, "OPS-1", transitionInput{id: "11"}); !errors.As(err, &ae) || ae.status != http.StatusBadRequest {
		t.Errorf("alice may not transition OPS-1: err = %v", err)
	}
}
