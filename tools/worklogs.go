package tools

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/jira-mcp/jira-mcp/tools/jira"
)

// AddWorklog is jira_add_worklog's name.
const AddWorklog = "jira_add_worklog"

const worklogsSet = "worklogs" // the worklogs toolset

// estimateAuto is the default estimate: reduce the remaining estimate by
// the time spent, as Jira does by default.
const estimateAuto = "auto"

func addWorklogTool() Tool {
	return newTool(worklogsSet,
		mcp.NewTool(AddWorklog,
			mcp.WithToolTitle("Log work on a Jira issue"),
			mcp.WithDescription("Log time spent on an issue, optionally adjusting its remaining estimate."),
			annotations(false, false, false),
			issueKeyArg(),
			mcp.WithString("time_spent", mcp.Required(), mcp.MinLength(1), mcp.MaxLength(50), mcp.Description(`e.g. "1h 30m", "2d" (Jira's default: 1d = 8h, 1w = 5d)`)),
			mcp.WithString("started", mcp.MaxLength(40), mcp.Description("ISO date-time (no offset: local time); default now")),
			mcp.WithString("comment", mcp.MaxLength(maxTextLength), mcp.Description("What was done")),
			mcp.WithString("estimate", mcp.MaxLength(60), mcp.DefaultString(estimateAuto), mcp.Description("auto, leave, new:4h (set) or reduce:1h, any duration")),
			outputSchema("issue_key", "id", "time_spent", "started"),
		),
		CLI{
			Command: "worklog", Args: []Arg{keyArg, {"time_spent", "TIME"}}, Stdin: []string{"comment"},
			Long: `TIME is a Jira duration, e.g. "1h 30m".`,
		},
		(*Toolset).addWorklog,
	)
}

type worklogArgs struct {
	IssueKey  string `json:"issue_key"`
	TimeSpent string `json:"time_spent"`
	Started   string `json:"started"`
	Comment   string `json:"comment"`
	Estimate  string `json:"estimate"`
}

// WorklogResult is jira_add_worklog's structured content.
type WorklogResult struct {
	IssueKey         string `json:"issue_key"`
	ID               string `json:"id"`
	TimeSpent        string `json:"time_spent"`
	TimeSpentSeconds int64  `json:"time_spent_seconds"`
	Started          string `json:"started"`  // RFC 3339
	Estimate         string `json:"estimate"` // how the remaining estimate was adjusted
	Verified         bool   `json:"verified,omitempty"`
}

func (t *Toolset) addWorklog(ctx context.Context, a *worklogArgs) (*mcp.CallToolResult, error) {
	key, err := jira.NormalizeKey(a.IssueKey)
	if err != nil {
		return failure(op{}, err)
	}
	spent, seconds, msg := jiraDuration("time_spent", a.TimeSpent)
	if msg != "" {
		return inputError("%s", msg)
	}
	est, msg := estimateArg(a.Estimate)
	if msg != "" {
		return inputError("%s", msg)
	}
	started, msg := startedArg(a.Started, time.Now())
	if msg != "" {
		return inputError("%s", msg)
	}
	if strings.TrimSpace(a.Comment) != "" {
		if _, msg := commentInput(a.Comment, nil); msg != "" {
			return inputError("%s", msg)
		}
	}
	in := jira.Worklog{TimeSpent: spent, Started: started.Format(jiraStarted), Comment: strings.TrimSpace(a.Comment)}
	out := WorklogResult{IssueKey: key, TimeSpent: spent, TimeSpentSeconds: seconds, Started: started.Format(time.RFC3339), Estimate: a.Estimate}
	if out.Estimate == "" {
		out.Estimate = estimateAuto
	}
	write := op{what: "log " + spent + " on " + key, key: key, write: true}
	w, err := t.jira.AddWorklog(ctx, key, in, est)
	if err != nil {
		if !outcomeUnknown(ctx, err) {
			return failure(write, err)
		}
		found, checked := t.findWorklog(ctx, key, started, seconds)
		switch {
		case !checked:
			return failure(write, err)
		case found == nil:
			return notMade(write, err, "reading the worklogs of "+key+" back does not show it")
		}
		w, out.Verified = found, true
	}
	out.ID = w.ID
	if w.TimeSpent != "" {
		out.TimeSpent = w.TimeSpent
	}
	text := fmt.Sprintf("Logged %s on %s (worklog %s), started %s; %s.", out.TimeSpent, key, w.ID, started.Format("2006-01-02 15:04 -0700"), estimateText(est))
	if out.Verified {
		text += " Jira's answer was lost; the worklog was confirmed by reading the worklogs back. Do not log it again."
	}
	return mcp.NewToolResultStructured(out, text), nil
}

// findWorklog looks for the worklog a lost answer may have made: the
// user's, with the same start and time spent.
func (t *Toolset) findWorklog(ctx context.Context, key string, started time.Time, seconds int64) (*jira.Worklog, bool) {
	ctx, cancel := verifyContext(ctx)
	defer cancel()
	me, err := t.myName(ctx)
	if err != nil {
		return nil, false
	}
	ws, err := t.jira.Worklogs(ctx, key)
	if err != nil {
		return nil, false
	}
	for i := len(ws) - 1; i >= 0; i-- {
		w := ws[i]
		at, err := jira.ParseTime(w.Started)
		if err == nil && w.Author != nil && w.Author.Name == me && at.Equal(started) && w.TimeSpentSeconds == seconds {
			return &ws[i], true
		}
	}
	return nil, true
}

// jiraStarted is the form Jira takes a worklog's start in.
const jiraStarted = "2006-01-02T15:04:05.000-0700"

var (
	durationRE = regexp.MustCompile(`^(?:\d+(?:\.\d+)?[wdhm])+$`)
	partRE     = regexp.MustCompile(`(\d+(?:\.\d+)?)([wdhm])`)
	unitSecs   = map[string]float64{"w": 5 * 8 * 3600, "d": 8 * 3600, "h": 3600, "m": 60}
)

// jiraDuration checks a duration such as "1h 30m" or "2d" and returns it
// as Jira writes it ("1h 30m") with its length in seconds at Jira's
// default 8-hour day and 5-day week, or a message naming the argument.
func jiraDuration(arg, s string) (string, int64, string) {
	compact := strings.ToLower(strings.Join(strings.Fields(s), ""))
	if !durationRE.MatchString(compact) {
		return "", 0, fmt.Sprintf(`%s must be a Jira duration: numbers with units w, d, h or m, like "1h 30m", "45m" or "2d" (got %q).`, arg, clipValue(s))
	}
	var parts []string
	var secs float64
	for _, m := range partRE.FindAllStringSubmatch(compact, -1) {
		n, _ := strconv.ParseFloat(m[1], 64)
		secs += n * unitSecs[m[2]]
		parts = append(parts, m[1]+m[2])
	}
	if secs < 60 {
		return "", 0, fmt.Sprintf("%s must be at least a minute (got %q).", arg, clipValue(s))
	}
	return strings.Join(parts, " "), int64(secs + 0.5), ""
}

// estimateArg reads estimate: auto, leave, new:<duration> or
// reduce:<duration>.
func estimateArg(s string) (jira.Estimate, string) {
	mode, value, hasValue := strings.Cut(strings.TrimSpace(s), ":")
	mode = strings.ToLower(strings.TrimSpace(mode))
	switch {
	case mode == "" && !hasValue, mode == estimateAuto && !hasValue:
		return jira.Estimate{Mode: estimateAuto}, ""
	case mode == "leave" && !hasValue:
		return jira.Estimate{Mode: "leave"}, ""
	case mode == "new" || mode == "reduce":
		d, _, msg := jiraDuration("the duration of estimate "+mode+":", value)
		if strings.TrimSpace(value) == "0" && mode == "new" {
			d, msg = "0m", ""
		}
		if msg != "" {
			return jira.Estimate{}, msg
		}
		if mode == "reduce" {
			return jira.Estimate{Mode: "manual", Value: d}, ""
		}
		return jira.Estimate{Mode: "new", Value: d}, ""
	}
	return jira.Estimate{}, fmt.Sprintf(`estimate must be auto, leave, new:<duration> (e.g. new:4h) or reduce:<duration> (e.g. reduce:1h) (got %q).`, clipValue(s))
}

func estimateText(e jira.Estimate) string {
	switch e.Mode {
	case "leave":
		return "the remaining estimate was left as it was"
	case "new":
		return "the remaining estimate is now " + e.Value
	case "manual":
		return "the remaining estimate was reduced by " + e.Value
	}
	return "the remaining estimate was reduced by the time spent"
}

// startedLayouts are the forms started may take; those without an offset
// are read in the local time of the machine jira-mcp runs on.
var startedLayouts = []string{time.RFC3339Nano, jiraStarted, "2006-01-02T15:04Z07:00", "2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02 15:04"}

// startedArg reads started, now when it is empty.
func startedArg(s string, now time.Time) (time.Time, string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return now.Truncate(time.Second), ""
	}
	for _, l := range startedLayouts {
		if t, err := time.ParseInLocation(l, s, time.Local); err == nil {
			return t, ""
		}
	}
	return time.Time{}, fmt.Sprintf(`started must be an ISO date-time like 2026-12-06T10:00:00+01:00 or 2026-12-06T10:00 (local time) (got %q).`, clipValue(s))
}
