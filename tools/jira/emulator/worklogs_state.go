package emulator

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// The state side of worklogs: time tracking as Jira's defaults have it (a
// day is 8 hours, a week 5 days), Jira's duration syntax, and the checks
// and estimate adjustment of POST worklog. Work on Issues is granted to the
// group that may transition the project's issues.

const (
	secondsPerDay  = 8 * 3600
	secondsPerWeek = 5 * secondsPerDay
)

type worklog struct {
	id                        int
	author, updateAuthor      string
	comment                   string
	started, created, updated time.Time
	seconds                   int64
}

// durationUnits are the units of Jira's durations, in seconds.
var durationUnits = map[byte]float64{'w': secondsPerWeek, 'd': secondsPerDay, 'h': 3600, 'm': 60}

// parseJiraDuration reads "1w 2d 3h 30m", "1.5h" or "90" (minutes, Jira's
// default unit) into seconds; ok is false for anything else or for no
// time at all.
func parseJiraDuration(s string) (int64, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if n, err := strconv.ParseFloat(s, 64); err == nil {
		return int64(math.Round(n * 60)), n > 0
	}
	var total float64
	for s != "" {
		i := strings.IndexFunc(s, func(r rune) bool { return (r < '0' || r > '9') && r != '.' })
		if i <= 0 {
			return 0, false
		}
		n, err := strconv.ParseFloat(s[:i], 64)
		unit, ok := durationUnits[s[i]]
		if err != nil || !ok {
			return 0, false
		}
		total += n * unit
		s = strings.TrimLeft(s[i+1:], " ")
	}
	return int64(math.Round(total)), total > 0
}

// formatJiraDuration writes seconds as Jira does: "1w 2d 3h 30m", "0m".
func formatJiraDuration(sec int64) string {
	var parts []string
	for _, u := range []struct {
		n    int64
		unit string
	}{{secondsPerWeek, "w"}, {secondsPerDay, "d"}, {3600, "h"}, {60, "m"}} {
		if k := sec / u.n; k > 0 {
			parts = append(parts, strconv.FormatInt(k, 10)+u.unit)
			sec -= k * u.n
		}
	}
	if len(parts) == 0 {
		return "0m"
	}
	return strings.Join(parts, " ")
}

// estimateAdjustment is POST worklog's adjustEstimate with its argument.
type estimateAdjustment struct {
	mode            string // auto, leave, new, manual
	newEstimate, by string
}

func (db *database) canWorkOn(u *user, p *project) bool { return db.inGroup(u, p.transition) }

// worklogs are the worklogs of the issue idOrKey, oldest first.
func (db *database) worklogs(u *user, idOrKey string) (*issue, []*worklog, error) {
	is, err := db.browsableIssue(u, idOrKey)
	if err != nil {
		return nil, nil, err
	}
	return is, is.worklogs, nil
}

// addWorklog logs work on the issue idOrKey as u, adjusting its remaining
// estimate, or returns the error Jira answers.
func (db *database) addWorklog(u *user, idOrKey string, in worklogInput, adj estimateAdjustment) (*issue, *worklog, error) {
	is, err := db.browsableIssue(u, idOrKey)
	if err != nil {
		return nil, nil, err
	}
	if !db.canWorkOn(u, is.project) {
		return nil, nil, &apiError{status: 403, messages: []string{"You do not have the permission to log work on this issue."}}
	}
	errs := map[string]string{}
	var sec int64
	switch {
	case in.TimeSpentSeconds != nil && *in.TimeSpentSeconds > 0:
		sec = *in.TimeSpentSeconds
	case in.TimeSpent == nil || strings.TrimSpace(*in.TimeSpent) == "":
		errs["timeLogged"] = "You must indicate the time spent working."
	default:
		var ok bool
		if sec, ok = parseJiraDuration(*in.TimeSpent); !ok {
			errs["timeLogged"] = "Invalid time duration entered."
		}
	}
	started := db.now().UTC()
	if in.Started != nil {
		t, err := time.Parse(jiraTime, *in.Started)
		if err != nil {
			errs["started"] = "Invalid start date and time: use the format yyyy-MM-dd'T'HH:mm:ss.SSSZ."
		}
		started = t
	}
	remaining, msg := adjusted(is, sec, adj)
	if msg != nil {
		return nil, nil, msg
	}
	if len(errs) > 0 {
		return nil, nil, fieldErrors(errs)
	}
	before, beforeRemaining := is.spent, is.remaining
	w := db.logWork(is, u.name, deref(in.Comment), started, db.now().UTC(), sec)
	is.remaining = remaining
	items := []changeItem{{field: "timespent", fieldtype: "jira", from: secondsOrEmpty(&before), fromString: secondsOrEmpty(&before), to: secondsOrEmpty(&is.spent), toString: secondsOrEmpty(&is.spent)}}
	if secondsOrEmpty(beforeRemaining) != secondsOrEmpty(remaining) {
		items = append(items, changeItem{field: "timeestimate", fieldtype: "jira", from: secondsOrEmpty(beforeRemaining), fromString: secondsOrEmpty(beforeRemaining), to: secondsOrEmpty(remaining), toString: secondsOrEmpty(remaining)})
	}
	items = append(items, changeItem{field: "WorklogId", fieldtype: "jira", to: strconv.Itoa(w.id), toString: strconv.Itoa(w.id)})
	db.record(u, is, w.created, items...)
	is.updated = w.created
	return is, w, nil
}

// adjusted is the remaining estimate after logging sec with adj, or Jira's
// error for an adjustment it refuses.
func adjusted(is *issue, sec int64, adj estimateAdjustment) (*int64, *apiError) {
	reduce := func(by int64) *int64 {
		if is.remaining == nil {
			return nil
		}
		return new(max(0, *is.remaining-by))
	}
	switch adj.mode {
	case "", "auto":
		return reduce(sec), nil
	case "leave":
		return is.remaining, nil
	case "new":
		n, ok := parseJiraDuration(adj.newEstimate)
		if !ok && strings.TrimSpace(adj.newEstimate) != "0" {
			return nil, fieldErrors(map[string]string{"newEstimate": "You must supply a valid new estimate."})
		}
		return &n, nil
	case "manual":
		by, ok := parseJiraDuration(adj.by)
		if !ok {
			return nil, fieldErrors(map[string]string{"reduceBy": "You must supply a valid amount of time to adjust the estimate by."})
		}
		return reduce(by), nil
	}
	return nil, badRequest(fmt.Sprintf("Invalid value for adjustEstimate: '%s'. Valid values are: new, leave, manual, auto.", adj.mode))
}

// logWork adds a worklog and the time to what the issue has spent.
func (db *database) logWork(is *issue, author, comment string, started, at time.Time, sec int64) *worklog {
	db.changed()
	db.nextWorklog++
	w := &worklog{id: db.nextWorklog, author: author, updateAuthor: author, comment: comment, started: started, created: at, updated: at, seconds: sec}
	is.worklogs = append(is.worklogs, w)
	is.spent += sec
	return w
}

func secondsOrEmpty(p *int64) string {
	if p == nil {
		return ""
	}
	return strconv.FormatInt(*p, 10)
}
