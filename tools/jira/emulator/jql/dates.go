package jql

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

const dateFormatsHelp = "Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'."

func (c *compiler) dateValue(cl clause, o *operand) (time.Time, bool) {
	if o.fn != "" {
		if !knownFunction(o.fn) {
			c.fail("Unable to find JQL function '%s()'.", o.fn)
			return time.Time{}, false
		}
		t, msg := c.dateFunction(o)
		if msg == "" && t.IsZero() {
			msg = fmt.Sprintf("A value provided by the function '%s' is invalid for the field '%s'.", o.fn, cl.field.text)
		}
		if msg != "" {
			c.fail("%s", msg)
			return time.Time{}, false
		}
		return t, true
	}
	v := strings.TrimSpace(o.tok.text)
	for _, layout := range []string{"2006/01/02 15:04", "2006-01-02 15:04", "2006/01/02", "2006-01-02", "2006/1/2", "2006-1-2"} {
		if t, err := time.ParseInLocation(layout, v, time.UTC); err == nil {
			return t, true
		}
	}
	// An unquoted number is milliseconds since the epoch; a quoted one is a
	// period in minutes.
	if o.tok.kind == tWord {
		if ms, err := strconv.ParseInt(v, 10, 64); err == nil {
			return time.UnixMilli(ms).UTC(), true
		}
	}
	if d, ok := parsePeriod(v); ok {
		return c.now.Add(d), true
	}
	c.fail("Date value '%s' for field '%s' is invalid. %s", o.tok.text, cl.field.text, dateFormatsHelp)
	return time.Time{}, false
}

// parsePeriod parses Jira's relative periods ("-7d", "4w 2d", "-1h 30m",
// "+2w") as atlassian-core's DateUtils.getDurationWithNegative does: a
// leading sign, then space- or comma-separated parts, each a number and a
// unit w, d, h or m (or minute(s), hour(s), day(s), week(s)), case-insensitive
// so "M" is minutes; a number without a unit is minutes. There are no months
// or years in a relative date: Jira refuses "-1y" ("-1M" is one minute).
func parsePeriod(s string) (time.Duration, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	sign := time.Duration(1)
	switch {
	case strings.HasPrefix(s, "-"):
		sign, s = -1, s[1:]
	case strings.HasPrefix(s, "+"):
		s = s[1:]
	}
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' })
	if len(parts) == 0 {
		return 0, false
	}
	var total time.Duration
	for _, p := range parts {
		i := 0
		for i < len(p) && p[i] >= '0' && p[i] <= '9' {
			i++
		}
		if i == 0 || i > 9 {
			return 0, false
		}
		n, _ := strconv.Atoi(p[:i])
		var unit time.Duration
		switch u := p[i:]; {
		case u == "" || u == "m" || u == "minute" || u == "minutes":
			unit = time.Minute
		case u == "h" || u == "hour" || u == "hours":
			unit = time.Hour
		case u == "d" || u == "day" || u == "days":
			unit = 24 * time.Hour
		case u == "w" || u == "week" || u == "weeks":
			unit = 7 * 24 * time.Hour
		default:
			return 0, false
		}
		total += time.Duration(n) * unit
	}
	return sign * total, true
}

// dateFn describes one of JQL's startOf/endOf functions (Jira's
// StartOfDayFunction and its siblings).
type dateFn struct {
	unit byte // the function's own period: an increment without a unit counts these
	// early lists the units applied before snapping to the period's
	// boundary; the others are applied after it. startOfMonth("-1M") is the
	// first of last month, endOfMonth("-1d") the day before the month's end.
	early string
	snap  func(time.Time) time.Time
}

const endOffset = 24*time.Hour - time.Millisecond

var dateFns = map[string]dateFn{
	"startofday":   {'d', "yM", startOfDay},
	"endofday":     {'d', "yM", func(t time.Time) time.Time { return startOfDay(t).Add(endOffset) }},
	"startofweek":  {'w', "yM", startOfWeek},
	"endofweek":    {'w', "yM", func(t time.Time) time.Time { return startOfWeek(t).AddDate(0, 0, 6).Add(endOffset) }},
	"startofmonth": {'M', "yM", startOfMonth},
	"endofmonth":   {'M', "yM", func(t time.Time) time.Time { return startOfMonth(t).AddDate(0, 1, -1).Add(endOffset) }},
	"startofyear":  {'y', "y", startOfYear},
	"endofyear":    {'y', "y", func(t time.Time) time.Time { return startOfYear(t).AddDate(1, 0, -1).Add(endOffset) }},
}

func startOfDay(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
}

// startOfWeek is Sunday: Jira's weeks start on the locale's first day,
// Sunday for en_US.
func startOfWeek(t time.Time) time.Time { return startOfDay(t).AddDate(0, 0, -int(t.Weekday())) }

func startOfMonth(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, t.Location())
}

func startOfYear(t time.Time) time.Time { return time.Date(t.Year(), 1, 1, 0, 0, 0, 0, t.Location()) }

// parseIncrement parses a date function's argument as Jira's
// AbstractDateFunction does: ([-+]?)(\d+)([mhdwMy]?), one part only, units
// case-sensitive ("M" months, "m" minutes). unit is 0 when none is given.
func parseIncrement(s string) (n int, unit byte, ok bool) {
	neg := false
	switch {
	case strings.HasPrefix(s, "-"):
		neg, s = true, s[1:]
	case strings.HasPrefix(s, "+"):
		s = s[1:]
	}
	if s != "" && strings.IndexByte("mhdwMy", s[len(s)-1]) >= 0 {
		unit, s = s[len(s)-1], s[:len(s)-1]
	}
	if s == "" || len(s) > 9 {
		return 0, 0, false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return 0, 0, false
		}
	}
	n, _ = strconv.Atoi(s)
	if neg {
		n = -n
	}
	return n, unit, true
}

// addPeriod adds n units as java.util.Calendar.add does: months and years
// keep the day of month, clamped to the target month's length.
func addPeriod(t time.Time, unit byte, n int) time.Time {
	switch unit {
	case 'y':
		return addMonths(t, 12*n)
	case 'M':
		return addMonths(t, n)
	case 'w':
		return t.AddDate(0, 0, 7*n)
	case 'd':
		return t.AddDate(0, 0, n)
	case 'h':
		return t.Add(time.Duration(n) * time.Hour)
	}
	return t.Add(time.Duration(n) * time.Minute)
}

func addMonths(t time.Time, n int) time.Time {
	first := time.Date(t.Year(), t.Month()+time.Month(n), 1, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), t.Location())
	last := first.AddDate(0, 1, -1).Day()
	return first.AddDate(0, 0, min(t.Day(), last)-1)
}

// dateFunction evaluates now() and the startOf/endOf functions; msg is
// Jira's error when the arguments are wrong. A zero time with no message
// means the function gives no date.
func (c *compiler) dateFunction(o *operand) (t time.Time, msg string) {
	name := strings.ToLower(o.fn)
	if name == "now" {
		if len(o.args) > 0 {
			return time.Time{}, fmt.Sprintf("Function '%s' expected '0' arguments but received '%d'.", o.fn, len(o.args))
		}
		return c.now, ""
	}
	f, ok := dateFns[name]
	if !ok {
		return time.Time{}, ""
	}
	if len(o.args) > 1 {
		return time.Time{}, fmt.Sprintf("Function '%s' expected between '0' and '1' arguments but received '%d'.", o.fn, len(o.args))
	}
	n, unit := 0, f.unit
	if len(o.args) == 1 {
		var u byte
		if n, u, ok = parseIncrement(o.args[0]); !ok {
			return time.Time{}, fmt.Sprintf("Duration for function '%s' should have the format (+/-)n(yMwdm), e.g -1M for 1 month earlier.", o.fn)
		}
		if u != 0 {
			unit = u
		}
	}
	early := strings.IndexByte(f.early, unit) >= 0
	t = c.now
	if early {
		t = addPeriod(t, unit, n)
	}
	t = f.snap(t)
	if !early {
		t = addPeriod(t, unit, n)
	}
	return t, ""
}
