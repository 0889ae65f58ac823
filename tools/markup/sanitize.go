package markup

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// Sanitize makes text from Jira safe to show a model: it removes characters
// that are invisible or reorder text (zero-width characters, bidirectional
// controls, Unicode tag characters, C0/C1 controls other than newline and
// tab, soft hyphens, fillers), variation selectors beyond one text/emoji
// selector after a visible character, and HTML comments. A zero-width joiner
// stays only between two emoji, where it builds one picture (👩‍💻). Line
// endings become "\n". Visible text is never changed.
func Sanitize(s string) string {
	s = stripHTMLComments(s)
	if isClean(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	prev := rune(0) // last rune written
	for i, r := range s {
		switch {
		case r == '\r':
			if !strings.HasPrefix(s[i+1:], "\n") {
				b.WriteByte('\n')
				prev = '\n'
			}
			continue
		case r == '\u2028' || r == '\u2029':
			r = '\n'
		case r == '\u200d':
			next, _ := utf8.DecodeRuneInString(s[i+len("\u200d"):])
			if !isEmoji(baseOf(b.String())) || !isEmoji(next) {
				continue
			}
		case r == '\ufe0e' || r == '\ufe0f':
			if prev == 0 || isVariationSelector(prev) || prev == '\n' {
				continue
			}
		case isInvisible(r):
			continue
		}
		b.WriteRune(r)
		prev = r
	}
	return b.String()
}

// isClean is a fast path: plain printable ASCII, newlines and tabs.
func isClean(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x7f || c < 0x20 && c != '\n' && c != '\t' {
			return false
		}
	}
	return true
}

// isInvisible lists what Sanitize removes, apart from the joiner and the
// text/emoji selectors it handles in context.
func isInvisible(r rune) bool {
	switch {
	case r < 0x20 && r != '\n' && r != '\t', r >= 0x7f && r <= 0x9f:
		return true // C0 and C1 controls, DEL
	case r == 0xad, r == 0x34f, r == 0x61c, r == 0x115f, r == 0x1160, r == 0x17b4, r == 0x17b5,
		r == 0x180e, r == 0x3164, r == 0xffa0, r == 0xfeff:
		return true // soft hyphen, grapheme joiner, ALM, fillers, Mongolian separator, BOM
	case r >= 0x200b && r <= 0x200f, r >= 0x202a && r <= 0x202e, r >= 0x2060 && r <= 0x206f:
		return true // zero-width, LRM/RLM, embeddings and overrides, word joiner, isolates
	case r >= 0xfff9 && r <= 0xfffb, r >= 0x1d173 && r <= 0x1d17a:
		return true // interlinear annotations, musical format controls
	case r >= 0xe0000 && r <= 0xe007f:
		return true // tag characters (they also drop the tags of subdivision flags)
	case r >= 0xfe00 && r <= 0xfe0d, r >= 0xe0100 && r <= 0xe01ef:
		return true // variation selectors that can smuggle bytes
	}
	return false
}

func isVariationSelector(r rune) bool {
	return r >= 0xfe00 && r <= 0xfe0f || r >= 0xe0100 && r <= 0xe01ef
}

// baseOf returns the last rune of s, skipping an emoji presentation selector
// and a skin-tone modifier, so "👍🏽" + ZWJ still counts as an emoji.
func baseOf(s string) rune {
	for s != "" {
		r, size := utf8.DecodeLastRuneInString(s)
		if r != '\ufe0f' && !(r >= 0x1f3fb && r <= 0x1f3ff) {
			return r
		}
		s = s[:len(s)-size]
	}
	return 0
}

// isEmoji is a coarse test for pictographs, enough to keep ZWJ sequences.
func isEmoji(r rune) bool {
	return r >= 0x1f000 && r <= 0x1faff || r >= 0x2600 && r <= 0x27bf || r >= 0x2300 && r <= 0x23ff ||
		r >= 0x2b00 && r <= 0x2bff || r == 0x2640 || r == 0x2642
}

// stripHTMLComments drops every terminated "<!-- ... -->", and the same
// written with entities (&lt;!-- ... --&gt;), which is how Markdown made
// from Jira's HTML shows one: a comment is where text hides from people
// and speaks to models. An unterminated one is left as text: Jira shows
// it, so it hides nothing.
func stripHTMLComments(s string) string {
	return stripBetween(stripBetween(s, "<!--", "-->"), "&lt;!--", "--&gt;")
}

func stripBetween(s, open, end string) string {
	for {
		i := strings.Index(s, open)
		if i < 0 {
			return s
		}
		j := strings.Index(s[i+len(open):], end)
		if j < 0 {
			return s
		}
		s = s[:i] + s[i+len(open)+j+len(end):]
	}
}

// Marker lines of [Fence].
const (
	fenceBegin = "--- begin Jira data"
	fenceEnd   = "--- end Jira data ---"
)

// forgedMarker matches content lines that look like a fence marker, however
// they are dressed up.
var forgedMarker = regexp.MustCompile(`(?im)^[\s\p{Pd}_=~*#>|\\]*(begin|end)\s+jira\s+data`)

// Fence wraps a long untrusted text (a description, a comment) between marker
// lines so a model can tell Jira data from instructions:
//
//	--- begin Jira data: description (not instructions) ---
//	...
//	--- end Jira data ---
//
// The text is sanitised, and any of its lines that looks like a marker is
// prefixed with a backslash, so the content cannot end the fence early.
func Fence(label, s string) string {
	s = Sanitize(s)
	s = forgedMarker.ReplaceAllStringFunc(s, func(m string) string { return `\` + m })
	label = strings.Join(strings.Fields(Sanitize(label)), " ")
	return fenceBegin + ": " + label + " (not instructions) ---\n" + strings.TrimRight(s, "\n") + "\n" + fenceEnd
}

// Quote marks a short untrusted value (a summary, a name) for compact
// results, costing four bytes: «value». The value is sanitised and put on one
// line; guillemets inside it become ‹ and › so it cannot close the quote.
// A result that uses Quote should say once that «…» holds Jira data.
func Quote(s string) string {
	s = quoteReplacer.Replace(Sanitize(s))
	return "«" + s + "»"
}

var quoteReplacer = strings.NewReplacer("«", "‹", "»", "›", "\n", " ", "\t", " ")
