package emulator

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func benchServe(b *testing.B, e *Emulator, method, path, body string) {
	b.Helper()
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+DefaultToken)
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
		e.ResetRequests()
	}
}

// BenchmarkSearch20 is the emulator's own cost for a 20-issue search page,
// the shape jira_search asks for.
func BenchmarkSearch20(b *testing.B) {
	e := New(WithClock(testClock))
	benchServe(b, e, "POST", "/rest/api/2/search",
		`{"jql":"project in (WEB, API) AND statusCategory != Done ORDER BY updated DESC","maxResults":20,"fields":["summary","status","assignee","priority","updated"]}`)
}

func BenchmarkSearch20AllFields(b *testing.B) {
	e := New(WithClock(testClock))
	benchServe(b, e, "POST", "/rest/api/2/search", `{"jql":"text ~ checkout ORDER BY key","maxResults":20,"fields":["*all"]}`)
}

func BenchmarkGetIssue(b *testing.B) {
	e := New(WithClock(testClock))
	benchServe(b, e, "GET", "/rest/api/2/issue/WEB-2?expand=renderedFields", "")
}
