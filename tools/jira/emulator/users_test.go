package emulator

import (
	"encoding/json"
	"slices"
	"testing"
)

func TestUserSearch(t *testing.T) {
	s := newTestServer(t)
	names := func(path string, status int) []string {
		t.Helper()
		r := apiCall(t, s, DefaultToken, "GET", path, nil)
		if r.status != status {
			t.Fatalf("%s: %d %s", path, r.status, r.body)
		}
		if status != 200 {
			errorBody(t, r)
			return nil
		}
		var us []struct{ Name, DisplayName string }
		if err := json.Unmarshal(r.body, &us); err != nil {
			t.Fatal(err)
		}
		out := []string{}
		for _, u := range us {
			out = append(out, u.Name)
		}
		return out
	}
	for _, tt := range []struct {
		path   string
		status int
		want   []string
	}{
		{"/rest/api/2/user/search?username=b", 200, []string{"bob"}},
		{"/rest/api/2/user/search?username=BROWN", 200, []string{"bob"}},
		{"/rest/api/2/user/search?username=carol%40example", 200, []string{"carol"}},
		{"/rest/api/2/user/search?username=f", 200, []string{}},
		{"/rest/api/2/user/search?username=f&includeInactive=true", 200, []string{"frank"}},
		{"/rest/api/2/user/search?username=e&maxResults=1", 200, []string{"erin"}},
		{"/rest/api/2/user/search", 400, nil},
		{"/rest/api/2/user/assignable/search?issueKey=OPS-1", 200, []string{"carol", "erin"}},
		{"/rest/api/2/user/assignable/search?issueKey=WEB-2&username=a", 200, []string{"alice"}},
		{"/rest/api/2/user/assignable/search?project=WEB&username=fr", 200, []string{}},
		{"/rest/api/2/user/assignable/search?issueKey=SEC-1", 404, nil},
		{"/rest/api/2/user/assignable/search?username=a", 400, nil},
	} {
		if got := names(tt.path, tt.status); tt.want != nil && !slices.Equal(got, tt.want) {
			t.Errorf("%s = %q, want %q", tt.path, got, tt.want)
		}
	}
	if r := apiCall(t, s, DefaultToken, "GET", "/rest/api/2/user?username=bob", nil); r.status != 200 || r.json(t)["displayName"] != "Bob Brown" {
		t.Errorf("GET user bob: %d %s", r.status, r.body)
	}
	if r := apiCall(t, s, DefaultToken, "GET", "/rest/api/2/user?username=zed", nil); r.status != 404 {
		t.Errorf("GET user zed: %d %s", r.status, r.body)
	}
}
