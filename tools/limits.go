package tools

import (
	"encoding/json"
	"fmt"
	"unicode/utf8"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/jira-mcp/jira-mcp/tools/markup"
)

// Limits bound what goes into Jira and what a result may carry back: a
// 10 MB comment once made jira_get_issue answer 10 MB of structured
// content for 2 KB of text, and that lands in the agent's context.
type Limits struct {
	Text       int // bytes of a result's text
	Structured int // bytes of a result's structured content, as JSON
}

// DefaultLimits are used unless the user sets others.
var DefaultLimits = Limits{Text: 48 << 10, Structured: 128 << 10}

// What may go in. Jira DC refuses a text field over 32,767 characters by
// default (jira.text.field.character.limit); a JQL query of more than a few
// thousand characters is a mistake, not a query.
const (
	maxTextLength = 32767
	maxJQLLength  = 10000
)

// finish readies a result for the agent: every text in it is sanitised
// (Jira's text is anyone's: invisible and bidi controls and HTML comments
// go, see markup.Sanitize), and it is cut to the limits, saying what was
// cut and how to get the rest.
func finish(res *mcp.CallToolResult, l Limits) {
	if res == nil {
		return
	}
	for i, c := range res.Content {
		if tc, ok := c.(mcp.TextContent); ok {
			tc.Text = markup.Sanitize(tc.Text)
			if len(tc.Text) > l.Text {
				tc.Text = cutBytes(tc.Text, l.Text) + fmt.Sprintf("\n[cut by jira-mcp: the text was over %d KB; ask for less (a smaller limit or comment_limit, fewer fields)]", l.Text>>10)
			}
			res.Content[i] = tc
		}
	}
	if res.StructuredContent == nil || res.IsError {
		return
	}
	raw, err := json.Marshal(res.StructuredContent)
	if err != nil {
		return
	}
	var v any
	if needsSanitizing(raw) {
		if json.Unmarshal(raw, &v) != nil {
			return
		}
		v = sanitizeStrings(v)
		res.StructuredContent = v
		if raw, err = json.Marshal(v); err != nil {
			return
		}
	}
	if len(raw) <= l.Structured {
		return
	}
	if v == nil && json.Unmarshal(raw, &v) != nil {
		return
	}
	for n := 8192; n >= 16; n /= 2 {
		short := cutStrings(v, n)
		if b, err := json.Marshal(short); err == nil && len(b) <= l.Structured-200 {
			note := fmt.Sprintf("Texts over %d characters were cut to keep this result under %d KB; each cut one ends with [cut]. Read long descriptions in Jira (url) and comments a few at a time with %s.", n, l.Structured>>10, GetComments)
			if m, ok := short.(map[string]any); ok {
				m["cut"] = note
			}
			res.StructuredContent = short
			return
		}
	}
	// Too many values even with short texts: fewer of them.
	for n := 64; n >= 0; n /= 2 {
		short := cutLists(cutStrings(v, 16), n)
		if b, err := json.Marshal(short); err == nil && len(b) <= l.Structured-200 || n == 0 {
			if m, ok := short.(map[string]any); ok {
				m["cut"] = fmt.Sprintf("Lists were cut to %d items and texts to 16 characters to keep this result under %d KB; ask for less.", n, l.Structured>>10)
			}
			res.StructuredContent = short
			return
		}
	}
}

// needsSanitizing reports whether JSON may hold text markup.Sanitize would
// change: a C0 control (escaped as \u0000-\u001f), an HTML comment
// (escaped <!--), or a character outside ASCII (the invisible and bidi
// ones are). Most results are plain ASCII and skip the second pass.
func needsSanitizing(raw []byte) bool {
	for i, c := range raw {
		if c >= 0x80 {
			return true
		}
		if c == '\\' && i+5 < len(raw) && raw[i+1] == 'u' && raw[i+2] == '0' && raw[i+3] == '0' && (raw[i+4] == '0' || raw[i+4] == '1' || raw[i+4] == '3' && raw[i+5] == 'c') {
			return true
		}
	}
	return false
}

// cutBytes cuts s to at most n bytes, on a rune boundary.
func cutBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// transform returns v, a decoded JSON value, with str applied to every
// string and list to every list (before its items); nil leaves them be.
func transform(v any, str func(string) string, list func([]any) []any) any {
	switch x := v.(type) {
	case string:
		if str != nil {
			return str(x)
		}
	case []any:
		if list != nil {
			x = list(x)
		}
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = transform(e, str, list)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = transform(e, str, list)
		}
		return out
	}
	return v
}

// sanitizeStrings returns v with markup.Sanitize applied to every string.
func sanitizeStrings(v any) any { return transform(v, markup.Sanitize, nil) }

// cutStrings returns v with every string longer than n runes cut.
func cutStrings(v any, n int) any {
	return transform(v, func(s string) string {
		if utf8.RuneCountInString(s) > n {
			return string([]rune(s)[:n]) + " [cut]"
		}
		return s
	}, nil)
}

// cutLists returns v with every list longer than n items cut.
func cutLists(v any, n int) any {
	return transform(v, nil, func(l []any) []any { return l[:min(len(l), n)] })
}
