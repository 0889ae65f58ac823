package emulator

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"
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

// Faults that strike after serving, reset the connection or delay: over a
// socket and over the in-process client alike.
func TestInjectAfterResetDelay(t *testing.T) {
	s := NewServer()
	t.Cleanup(s.Close)
	e := s.Emulator
	for _, c := range []struct {
		name string
		hc   *http.Client
	}{{"socket", s.ClientAs(DefaultToken)}, {"in process", e.ClientAs(DefaultToken)}} {
		t.Run(c.name, func(t *testing.T) {
			base := s.URL
			if c.name == "in process" {
				base = e.BaseURL()
			}
			post := func() (*http.Response, error) {
				req, _ := http.NewRequest("POST", base+"/rest/api/2/issue/WEB-2/comment", strings.NewReader(`{"body":"lost answer"}`))
				req.Header.Set("Content-Type", "application/json")
				return c.hc.Do(req)
			}
			count := func() int {
				n := 0
				is, _ := e.Issue("WEB-2")
				for _, cm := range is.Comments {
					if cm.Body == "lost answer" {
						n++
					}
				}
				return n
			}
			before := count()
			e.Inject(Fault{Method: "POST", Path: "/rest/api/2/issue/WEB-2/comment", Times: 1, After: true, Reset: true})
			if resp, err := post(); err == nil {
				resp.Body.Close()
				t.Fatalf("after+reset: got an answer %d", resp.StatusCode)
			}
			if count() != before+1 {
				t.Errorf("after+reset: the comment was not made")
			}
			e.Inject(Fault{Method: "POST", Path: "/rest/api/2/issue/WEB-2/comment", Times: 1, Reset: true})
			if resp, err := post(); err == nil {
				resp.Body.Close()
				t.Fatal("reset: got an answer")
			}
			if count() != before+1 {
				t.Errorf("reset before serving made the comment")
			}
			e.Inject(Fault{Method: "POST", Path: "/rest/api/2/issue/WEB-2/comment", Times: 1, After: true, Status: 200, Header: http.Header{"Content-Type": {"text/html"}}, Body: "<html>proxy</html>"})
			resp, err := post()
			if err != nil || resp.StatusCode != 200 || count() != before+2 {
				t.Errorf("after + HTML: %v %v, %d comments", err, resp, count()-before)
			}
			resp.Body.Close()
			reqs := e.Requests()
			if last := reqs[len(reqs)-1]; last.User != DefaultUser || last.Status != 200 {
				t.Errorf("recorded %+v", last)
			}
			e.Inject(Fault{Method: "GET", Path: "/rest/api/2/myself", Times: 1, Delay: time.Hour})
			ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
			defer cancel()
			req, _ := http.NewRequestWithContext(ctx, "GET", base+"/rest/api/2/myself", nil)
			if resp, err := c.hc.Do(req); err == nil {
				resp.Body.Close()
				t.Error("delay: answered before the deadline")
			}
		})
	}
}
