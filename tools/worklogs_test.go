package tools_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jira-mcp/jira-mcp/tools"
	"github.com/jira-mcp/jira-mcp/tools/jira/emulator"
)

// WEB-3 is seeded with an estimate of 2d, 2h logged and 1d 6h remaining.
func TestAddWorklog(t *testing.T) {
	forEachVersion(t, func(t *testing.T, version string) {
		for _, tt := range []struct {
			estimate, query, words string
			remaining              int64
		}{
			{"", "adjustEstimate=auto", "the remaining estimate was reduced by the time spent", 14*3600 - 5400},
			{"leave", "adjustEstimate=leave", "the remaining estimate was left as it was", 14 * 3600},
			{"new: 4h", "adjustEstimate=new&newEstimate=4h", "the remaining estimate is now 4h", 4 * 3600},
			{"Reduce:1d", "adjustEstimate=manual&reduceBy=1d", "the remaining estimate was reduced by 1d", 6 * 3600},
		} {
			t.Run(tt.estimate, func(t *testing.T) {
				e := newEnv(t, envOptions{version: version})
				args := map[string]any{"issue_key": "WEB-3", "time_spent": "1h30M", "started": "2026-01-30T10:00:00Z", "comment": "Paired on the gateway timeout."}
				if tt.estimate != "" {
					args["estimate"] = tt.estimate
				}
				text, res := e.ok(tools.AddWorklog, args)
				if want := "Logged 1h 30m on WEB-3 (worklog 10002), started 2026-01-30 10:00 +0000; " + tt.words + "."; text != want {
					t.Errorf("text %q\nwant %q", text, want)
				}
				var out tools.WorklogResult
				structured(t, res, &out)
				if out.ID != "10002" || out.TimeSpentSeconds != 5400 || out.Started != "2026-01-30T10:00:00Z" {
					t.Errorf("%+v", out)
				}
				posts := e.requests("POST", "/rest/api/2/issue/WEB-3/worklog")
				if len(posts) != 1 || posts[0].RawQuery != tt.query {
					t.Fatalf("%+v", posts)
				}
				jsonEq(t, posts[0].Body, `{"comment":"Paired on the gateway timeout.","started":"2026-01-30T10:00:00.000+0000","timeSpent":"1h 30m"}`)
				ws, tr := e.jira.Worklogs("WEB-3")
				if len(ws) != 2 || ws[1].Seconds != 5400 || !ws[1].Started.Equal(time.Date(2026, 1, 30, 10, 0, 0, 0, time.UTC)) || tr.Remaining != tt.remaining {
					t.Errorf("stored %+v %+v", ws, tr)
				}
			})
		}
	})
}

func TestAddWorklogRefusals(t *testing.T) {
	e := newEnv(t, envOptions{})
	for _, tt := range []struct {
		args map[string]any
		want string
	}{
		{map[string]any{"time_spent": "90"}, `time_spent must be a Jira duration: numbers with units w, d, h or m, like "1h 30m"`},
		{map[string]any{"time_spent": "1 hour"}, "time_spent must be a Jira duration"},
		{map[string]any{"time_spent": "0m"}, "at least a minute"},
		{map[string]any{"time_spent": "1h", "estimate": "new"}, "the duration of estimate new: must be a Jira duration"},
		{map[string]any{"time_spent": "1h", "estimate": "reduce:lots"}, "the duration of estimate reduce: must be a Jira duration"},
		{map[string]any{"time_spent": "1h", "estimate": "manual:1h"}, "estimate must be auto, leave, new:<duration>"},
		{map[string]any{"time_spent": "1h", "started": "yesterday"}, "started must be an ISO date-time"},
		{map[string]any{"time_spent": "1h", "comment": "token ghp_" + strings.Repeat("a1", 18)}, "credential"},
	} {
		tt.args["issue_key"] = "WEB-3"
		if msg := e.fail(tools.AddWorklog, tt.args); !strings.Contains(msg, tt.want) {
			t.Errorf("%v: %q", tt.args, msg)
		}
	}
	if n := len(e.requests("POST", "/rest/api/2/issue/WEB-3/worklog")); n != 0 {
		t.Errorf("%d refused worklogs reached Jira", n)
	}
	if msg := e.fail(tools.AddWorklog, map[string]any{"issue_key": "OPS-1", "time_spent": "1h"}); !strings.Contains(msg, "Permission denied") {
		t.Errorf("OPS: %q", msg)
	}
}

func TestAddWorklogLostAnswer(t *testing.T) {
	srv := emulator.NewServer()
	t.Cleanup(srv.Close)
	hc := &http.Client{Transport: loseAnswers{srv.ClientAs(emulator.DefaultToken).Transport, "POST", "/rest/api/2/issue/WEB-5/worklog"}}
	e := connect(t, srv, mustToolset(t, srv.URL, hc), envOptions{})
	text, res := e.ok(tools.AddWorklog, map[string]any{"issue_key": "WEB-5", "time_spent": "45m"})
	var out tools.WorklogResult
	structured(t, res, &out)
	if !out.Verified || out.ID != "10002" || !strings.Contains(text, "confirmed by reading the worklogs back. Do not log it again.") {
		t.Errorf("%q %+v", text, out)
	}
	srv.Fail("POST", "/rest/api/2/issue/WEB-5/worklog", http.StatusBadGateway, nil, "", 1)
	msg := e.fail(tools.AddWorklog, map[string]any{"issue_key": "WEB-5", "time_spent": "45m", "started": "2026-01-30T09:00+01:00"})
	if !strings.Contains(msg, "reading the worklogs of WEB-5 back does not show it: it was not made. It is safe to retry.") {
		t.Errorf("%q", msg)
	}
	if ws, _ := srv.Worklogs("WEB-5"); len(ws) != 1 {
		t.Errorf("%+v", ws)
	}
}
