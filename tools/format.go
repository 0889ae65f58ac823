package tools

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/jira-mcp/jira-mcp/tools/jira"
)

// truncate shortens s to at most n runes, marking the cut with "…".
func truncate(s string, n int) string {
	if n < 1 {
		return ""
	}
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimRight(string(r[:n-1]), " ") + "…"
}

// oneLine folds white space so a value cannot break the line format.
// Every space but ' ' counts: \v, \f, U+0085, U+2028 and U+2029 end a
// line for some readers.
func oneLine(s string) string {
	if !strings.ContainsFunc(s, isBreak) && !strings.Contains(s, "  ") {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

func isBreak(r rune) bool { return r != ' ' && unicode.IsSpace(r) }

// rfc3339 rewrites a Jira timestamp as RFC 3339, for structured results.
func rfc3339(raw string) string {
	if t, err := jira.ParseTime(raw); err == nil {
		return t.Format("2006-01-02T15:04:05Z07:00")
	}
	return raw
}

var sprintName = regexp.MustCompile(`\bname=([^,\]]*)`)

// simplify reduces a raw field value to what a model needs: a scalar, a
// name, or a list of those. Users become their username (usable in JQL),
// options their value, most objects their name; Jira Software's sprint
// strings become the sprint name.
func simplify(raw json.RawMessage) any {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	switch raw[0] {
	case '"':
		var s string
		json.Unmarshal(raw, &s)
		if strings.HasPrefix(s, "com.atlassian.greenhopper.") && strings.Contains(s, "[id=") {
			if m := sprintName.FindStringSubmatch(s); m != nil {
				return m[1]
			}
		}
		return s
	case '[':
		var items []json.RawMessage
		if json.Unmarshal(raw, &items) != nil {
			return string(raw)
		}
		out := make([]any, 0, len(items))
		for _, it := range items {
			if v := simplify(it); v != nil {
				out = append(out, v)
			}
		}
		if len(out) == 0 {
			return nil
		}
		return out
	case '{':
		var m map[string]json.RawMessage
		if json.Unmarshal(raw, &m) != nil {
			return string(raw)
		}
		for _, k := range []string{"name", "value", "key", "displayName", "title"} {
			if v, ok := m[k]; ok {
				var s string
				if json.Unmarshal(v, &s) == nil && s != "" {
					if k == "value" {
						if c, ok := m["child"]; ok { // cascading select
							if cs, ok := simplify(c).(string); ok && cs != "" {
								return s + " / " + cs
							}
						}
					}
					return s
				}
			}
		}
		if v, ok := m["id"]; ok {
			return simplify(v)
		}
		return truncate(string(raw), 200)
	case 't', 'f':
		return string(raw) == "true"
	default:
		var n json.Number
		if json.Unmarshal(raw, &n) == nil {
			if i, err := n.Int64(); err == nil {
				return i
			}
			if f, err := n.Float64(); err == nil {
				return f
			}
		}
		return string(raw)
	}
}

// text renders a simplified value on one line.
func text(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return truncate(oneLine(x), 200)
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = text(e)
		}
		return strings.Join(parts, ", ")
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	default:
		return fmt.Sprint(x)
	}
}

// fieldRef is a field an agent asked for, resolved to Jira's id.
type fieldRef struct {
	ID   string
	Name string // display name, shown to the agent
}

// resolveFields maps ids or display names (case-insensitive; cf[10002]
// style too) to field ids, reading /field (cached) once. An unknown name is
// an input error listing near matches.
func (t *Toolset) resolveFields(ctx context.Context, names []string) ([]fieldRef, error) {
	if len(names) == 0 {
		return nil, nil
	}
	defs, err := t.jira.Fields(ctx, false)
	if err != nil {
		return nil, err
	}
	out := make([]fieldRef, 0, len(names))
	seen := map[string]bool{}
	for _, n := range names {
		n = strings.TrimSpace(n)
		if n == "" {
			continue
		}
		f, ok, err := findField(defs, n)
		if err != nil {
			return nil, err
		}
		if !ok {
			// An admin may have added the field since the cache was filled.
			if defs, err = t.jira.Fields(ctx, true); err != nil {
				return nil, err
			}
			if f, ok, err = findField(defs, n); err != nil {
				return nil, err
			} else if !ok {
				return nil, &jira.InputError{Msg: unknownField(defs, n)}
			}
		}
		if !seen[f.ID] {
			seen[f.ID] = true
			out = append(out, fieldRef{ID: f.ID, Name: f.Name})
		}
	}
	return out, nil
}

var cfRE = regexp.MustCompile(`^(?i)cf\[(\d+)\]$`)

// findField finds a field by id, then by id or name case-insensitively.
// A name several fields share (custom fields often do) is an input error
// listing their ids, since guessing would show the wrong one.
func findField(defs []jira.Field, n string) (jira.Field, bool, error) {
	if m := cfRE.FindStringSubmatch(n); m != nil {
		n = "customfield_" + m[1]
	}
	for _, f := range defs {
		if f.ID == n {
			return f, true, nil
		}
	}
	var hits []jira.Field
	for _, f := range defs {
		if strings.EqualFold(f.ID, n) || strings.EqualFold(f.Name, n) {
			hits = append(hits, f)
		}
	}
	switch len(hits) {
	case 0:
		return jira.Field{}, false, nil
	case 1:
		return hits[0], true, nil
	}
	ids := make([]string, len(hits))
	for i, f := range hits {
		ids[i] = f.ID
		if f.Schema != nil && f.Schema.Type != "" {
			ids[i] += " (" + f.Schema.Type + ")"
		}
	}
	return jira.Field{}, false, &jira.InputError{Msg: fmt.Sprintf("Several fields are named %q: %s. Pass the id of the one you mean.", n, strings.Join(ids, ", "))}
}

func unknownField(defs []jira.Field, n string) string {
	var near []string
	ln := strings.ToLower(n)
	for _, f := range defs {
		lf := strings.ToLower(f.Name)
		if strings.Contains(lf, ln) || strings.Contains(ln, lf) || commonPrefix(lf, ln) >= 4 || editDistance(lf, ln) <= 2 {
			near = append(near, fmt.Sprintf("%s (%s)", f.Name, f.ID))
			if len(near) == 5 {
				break
			}
		}
	}
	msg := fmt.Sprintf("Unknown field %q.", n)
	if len(near) > 0 {
		msg += " Did you mean: " + strings.Join(near, ", ") + "?"
	} else {
		msg += " Use a field id (summary, labels, customfield_10002) or its exact name."
	}
	return msg
}

// editDistance is the Levenshtein distance, for "did you mean" on typos
// such as "Stroy Points".
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

func commonPrefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}
