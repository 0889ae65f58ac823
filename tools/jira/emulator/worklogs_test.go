package emulator

import (
	"strings"
	"testing"
	"time"
)

func TestJiraDurations(t *testing.T) {
	for _, tt := range []struct {
		in   string
		sec  int64
		ok   bool
		back string
	}{
		{"1h 30m", 5400, true, "1h 30m"},
		{"1h30m", 5400, true, "1h 30m"},
		{"2d", 2 * 8 * 3600, true, "2d"},
		{"1w", 5 * 8 * 3600, true, "1w"},
		{"1W 2D 3H 4M", (5*8+2*8+3)*3600 + 240, true, "1w 2d 3h 4m"},
		{"1.5h", 5400, true, "1h 30m"},
		{"90", 5400, true, "1h 30m"},
		{"8h", 8 * 3600, true, "1d"},
		{"", 0, false, ""},
		{"0m", 0, false, ""},
		{"soon", 0, false, ""},
		{"1s", 0, false, ""},
		{"h", 0, false, ""},
		{"1y", 0, false, ""},
	} {
		sec, ok := parseJiraDuration(tt.in)
		if sec != tt.sec || ok != tt.ok {
			t.Errorf("parse %q = %d %v, want %d %v", tt.in, sec, ok, tt.sec, tt.ok)
		}
		if ok && formatJiraDuration(sec) != tt.back {
			t.Errorf("format %d = %q, want %q", sec, formatJiraDuration(sec), tt.back)
		}
	}
}

// TestWorklogEstimates checks every adjustEstimate on WEB-3, seeded with
// an estimate of 2d, 2h logged, 1d 6h remaining.
func TestWorklogEstimates(t *testing.T) {
	const started = `"started":"2026-01-30T10:00:00.000+0000"`
	for _, tt := range []struct {
		query     string
		remaining int64
	}{
		{"", 14*3600 - 5400},
		{"?adjustEstimate=auto", 14*3600 - 5400},
		{"?adjustEstimate=leave", 14 * 3600},
		{"?adjustEstimate=new&newEstimate=3h", 3 * 3600},
		{"?adjustEstimate=manual&reduceBy=1d", 6 * 3600},
	} {
		s := newTestServer(t)
		r := apiCall(t, s, DefaultToken, "POST", "/rest/api/2/issue/WEB-3/worklog"+tt.query, `{"timeSpent":"1h 30m",`+started+`,"comment":"Pairing"}`)
		m := r.json(t)
		if r.status != 201 || m["timeSpent"] != "1h 30m" || m["timeSpentSeconds"] != 5400.0 || m["started"] != "2026-01-30T10:00:00.000+0000" || m["id"] != "10002" {
			t.Errorf("%s: %d %s", tt.query, r.status, r.body)
		}
		ws, tt2 := s.Worklogs("WEB-3")
		if len(ws) != 2 || ws[1].Author != "alice" || ws[1].Comment != "Pairing" || !ws[1].Started.Equal(time.Date(2026, 1, 30, 10, 0, 0, 0, time.UTC)) {
			t.Errorf("%s: %+v", tt.query, ws)
		}
		if tt2 != (TimeTracking{16 * 3600, tt.remaining, 2*3600 + 5400}) {
			t.Errorf("%s: time tracking %+v, want remaining %d", tt.query, tt2, tt.remaining)
		}
	}
}

func TestWorklogErrors(t *testing.T) {
	s := newTestServer(t)
	for _, tt := range []struct {
		path, body string
		status     int
		want       string
	}{
		{"WEB-3/worklog", `{}`, 400, "timeLogged: You must indicate the time spent working."},
		{"WEB-3/worklog", `{"timeSpent":"soon"}`, 400, "timeLogged: Invalid time duration entered."},
		{"WEB-3/worklog", `{"timeSpent":"1h","started":"2026-01-30T10:00:00Z"}`, 400, "started: Invalid start date"},
		{"WEB-3/worklog?adjustEstimate=new", `{"timeSpent":"1h"}`, 400, "newEstimate: You must supply a valid new estimate."},
		{"WEB-3/worklog?adjustEstimate=manual&reduceBy=x", `{"timeSpent":"1h"}`, 400, "reduceBy: "},
		{"WEB-3/worklog?adjustEstimate=later", `{"timeSpent":"1h"}`, 400, "Invalid value for adjustEstimate: 'later'"},
		{"OPS-1/worklog", `{"timeSpent":"1h"}`, 403, "permission to log work"},
		{"SEC-1/worklog", `{"timeSpent":"1h"}`, 404, "Issue Does Not Exist"},
		{"WEB-3/worklog", `{"timeSpent":"1h","minutes":3}`, 400, "Unrecognized field"},
	} {
		r := apiCall(t, s, DefaultToken, "POST", "/rest/api/2/issue/"+tt.path, tt.body)
		msgs, errs := errorBody(t, r)
		text := strings.Join(msgs, " ")
		for k, v := range errs {
			text += " " + k + ": " + v
		}
		if r.status != tt.status || !strings.Contains(text, tt.want) {
			t.Errorf("%s %s: %d %s", tt.path, tt.body, r.status, r.body)
		}
	}
	if ws, _ := s.Worklogs("WEB-3"); len(ws) != 1 {
		t.Errorf("a refused worklog was kept: %+v", ws)
	}
	// Erin works on OPS.
	if r := apiCall(t, s, Token("erin"), "POST", "/rest/api/2/issue/OPS-1/worklog", `{"timeSpent":"2d"}`); r.status != 201 {
		t.Errorf("erin: %d %s", r.status, r.body)
	}
	if _, tt := s.Worklogs("OPS-1"); tt != (TimeTracking{-1, -1, 16 * 3600}) {
		t.Errorf("OPS-1 time tracking %+v", tt)
	}
	if h := s.History("OPS-1"); len(h) != 1 || h[0] != "erin: timespent WorklogId" {
		t.Errorf("history %q", h)
	}
}

func TestWorklogFields(t *testing.T) {
	s := newTestServer(t)
	r := apiCall(t, s, DefaultToken, "GET", "/rest/api/2/issue/WEB-3?fields=worklog,timetracking", nil)
	body := string(r.body)
	for _, want := range []string{
		`"timetracking":{"originalEstimate":"2d","originalEstimateSeconds":57600,"remainingEstimate":"1d 6h","remainingEstimateSeconds":50400,"timeSpent":"2h","timeSpentSeconds":7200}`,
		`"total":1`, `"timeSpent":"2h"`, `"comment":"Reproduced with 51 items`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("lacks %s:\n%s", want, body)
		}
	}
	r = apiCall(t, s, DefaultToken, "GET", "/rest/api/2/issue/WEB-2?fields=timetracking,worklog", nil)
	if !strings.Contains(string(r.body), `"timetracking":{}`) || !strings.Contains(string(r.body), `"worklogs":[]`) {
		t.Errorf("%s", r.body)
	}
}
