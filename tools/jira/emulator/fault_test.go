package emulator

import (
	"net/http"
	"strings"
	"testing"
)

func TestFaults(t *testing.T) {
	s := newTestServer(t)
	s.Fail("POST", "/rest/api/2/search", 429, http.Header{"Retry-After": {"3"}}, "", 1)
	s.Fail("", "/rest/api/2/issue/", 503, nil, "<html>maintenance</html>", 2)
	r := apiCall(t, s, DefaultToken, "POST", "/rest/api/2/search", map[string]any{"jql": ""})
	if r.status != 429 || r.header.Get("Retry-After") != "3" || string(r.body) != `{"errorMessages":["Too Many Requests"],"errors":{}}` {
		t.Errorf("first search: %d %v %s", r.status, r.header, r.body)
	}
	if r := apiCall(t, s, DefaultToken, "GET", "/rest/api/2/search", nil); r.status != 200 {
		t.Errorf("GET is not faulted: %d", r.status)
	}
	if r := apiCall(t, s, DefaultToken, "POST", "/rest/api/2/search", map[string]any{"jql": ""}); r.status != 200 {
		t.Errorf("fault used once: %d", r.status)
	}
	for i := 0; i < 2; i++ {
		if r := apiCall(t, s, "", "GET", "/rest/api/2/issue/WEB-2", nil); r.status != 503 || string(r.body) != "<html>maintenance</html>" {
			t.Errorf("issue %d: %d %s", i, r.status, r.body)
		}
	}
	if r := apiCall(t, s, DefaultToken, "GET", "/rest/api/2/issue/WEB-2", nil); r.status != 200 {
		t.Errorf("after two faults: %d", r.status)
	}
	s.Fail("", "/", 500, nil, "", -1)
	for i := 0; i < 3; i++ {
		if r := apiCall(t, s, DefaultToken, "GET", "/rest/api/2/myself", nil); r.status != 500 {
			t.Errorf("forever fault %d: %d", i, r.status)
		}
	}
	s.clearFaults()
	if r := apiCall(t, s, DefaultToken, "GET", "/rest/api/2/myself", nil); r.status != 200 {
		t.Errorf("after clearFaults: %d", r.status)
	}
	reqs := s.Requests()
	if reqs[0].Status != 429 || reqs[0].Method != "POST" || !strings.Contains(string(reqs[0].Body), `"jql"`) {
		t.Errorf("recorded %+v", reqs[0])
	}
}
