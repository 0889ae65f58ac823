package emulator

import (
	"sync"
	"testing"
)

func TestRequestsRecordEscapedPath(t *testing.T) {
	s := newTestServer(t)
	apiCall(t, s, DefaultToken, "GET", "/rest/api/2/issue/WEB%2D2?fields=summary", nil)
	r := s.Requests()[0]
	if r.Path != "/rest/api/2/issue/WEB-2" || r.RawPath != "/rest/api/2/issue/WEB%2D2" || r.RawQuery != "fields=summary" || r.User != "alice" || r.Status != 200 {
		t.Errorf("recorded %+v", r)
	}
}

func TestConcurrentUse(t *testing.T) {
	s := newTestServer(t)
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 10; j++ {
				apiCall(t, s, DefaultToken, "POST", "/rest/api/2/search", map[string]any{"jql": "project = WEB", "maxResults": 20})
				apiCall(t, s, DefaultToken, "POST", "/rest/api/2/issue/WEB-1/comment", map[string]any{"body": "ping"})
			}
		}()
	}
	wg.Wait()
	if st, _ := s.Issue("WEB-1"); len(st.Comments) != 80 {
		t.Errorf("%d comments, want 80", len(st.Comments))
	}
}
