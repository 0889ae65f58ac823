package markup

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file decides which characters of plain text need a backslash so Jira
// reads them as text. The rules follow Atlassian's renderer:
//
//   - A phrase (*strong*, _em_, -del-, +ins+, ^sup^, ~sub~, ??cite??) opens at
//     a delimiter not preceded by a letter, digit or backslash and followed by
//     neither a space nor the delimiter, and closes at the first delimiter on
//     the same line preceded by neither a space, the delimiter nor a backslash
//     and not followed by a letter or digit. A text delimiter is escaped when
//     it could open and a closer follows on its line, or when it could close
//     inside our own phrase of the same kind.
//   - "{" is escaped when a "}" follows on its line (macro, {{monospace}}),
//     "[" when a "]" follows (link), "!" when another "!" follows (image).
//   - "(" is escaped where it starts an emoticon such as (x), (i) or (n).
//   - At a line start, list markers, "|", "h1." and "bq." are neutralised.
//   - A backslash that would escape what follows it becomes "&#92;", and an
//     ampersand that would start an entity becomes "&amp;".

const phraseDelims = "*_-+^~"

// escapable are the characters Jira's backslash escape applies to.
const escapable = `-#*_+?^~|%{}[]()!@\`

// parenEmoticons are Jira's emoticons that can appear in technical prose.
var parenEmoticons = []string{"(y)", "(n)", "(i)", "(/)", "(x)", "(!)", "(+)", "(-)", "(?)",
	"(on)", "(off)", "(*)", "(*r)", "(*g)", "(*b)", "(*y)", "(flag)", "(flagoff)"}

// joinSegs writes a block's segments as wiki markup.
func joinSegs(segs []seg, ctx inlineCtx) string {
	chooseDelimiterForms(segs)
	var flat strings.Builder
	starts := make([]int, len(segs))
	for i, s := range segs {
		starts[i] = flat.Len()
		flat.WriteString(s.s)
	}
	e := &escaper{flat: flat.String(), ctx: ctx}
	var out strings.Builder
	out.Grow(flat.Len() + 8)
	var open []string // delimiters of our own phrases around the current segment
	for i, s := range segs {
		switch s.kind {
		case segOpen:
			open = append(open, s.s)
			out.WriteString(s.s)
		case segClose:
			open = open[:len(open)-1]
			out.WriteString(s.s)
		case segRaw:
			out.WriteString(s.s)
		default:
			e.escape(&out, s, starts[i], open)
		}
	}
	return out.String()
}

// chooseDelimiterForms switches a phrase to Jira's "{*}x{*}" form when a
// letter or digit touches its outside, where the plain form would not render.
// Monospace has no such form: touching code becomes plain text.
func chooseDelimiterForms(segs []seg) {
	for i := range segs {
		if segs[i].kind != segOpen {
			continue
		}
		j := segs[i].pair
		before := lastRuneOf(segs[:i])
		after := firstRuneOf(segs[j+1:])
		if !isWordRune(before) && before != '\\' && !isWordRune(after) {
			continue
		}
		if segs[i].s == "{{" {
			segs[i] = seg{kind: segRaw}
			segs[j] = seg{kind: segRaw}
			segs[i+1].kind = segText
			continue
		}
		segs[i].s = "{" + segs[i].s + "}"
		segs[j].s = segs[i].s
	}
}

func lastRuneOf(segs []seg) rune {
	for i := len(segs) - 1; i >= 0; i-- {
		if segs[i].s != "" {
			r, _ := utf8.DecodeLastRuneInString(segs[i].s)
			return r
		}
	}
	return 0
}

func firstRuneOf(segs []seg) rune {
	for _, s := range segs {
		if s.s != "" {
			r, _ := utf8.DecodeRuneInString(s.s)
			return r
		}
	}
	return 0
}

// escaper escapes text segments, looking at the whole block's output.
type escaper struct {
	flat    string
	ctx     inlineCtx
	lineEnd int // end of the line holding the current position; 0 before the first
	lastIdx map[string]int
}

func (e *escaper) escape(out *strings.Builder, s seg, start int, open []string) {
	for k, r := range s.s {
		g := start + k
		e.enterLine(g)
		switch esc := e.escapeRune(s, g, r, open); esc {
		case "":
			out.WriteRune(r)
		default:
			out.WriteString(esc)
		}
	}
}

// enterLine refreshes the per-line lookups when g starts a new line.
func (e *escaper) enterLine(g int) {
	if g < e.lineEnd || e.lastIdx != nil && g == e.lineEnd && g == len(e.flat) {
		return
	}
	end := strings.IndexByte(e.flat[g:], '\n')
	if end < 0 {
		end = len(e.flat)
	} else {
		end += g
	}
	start := strings.LastIndexByte(e.flat[:g], '\n') + 1
	e.lineEnd = end
	e.lastIdx = map[string]int{}
	line := e.flat[start:end]
	for _, t := range []string{"]", "}", "!", "??"} {
		if i := strings.LastIndex(line, t); i >= 0 {
			e.lastIdx[t] = start + i
		}
	}
	for i := len(line) - 1; i >= 0; i-- {
		c := line[i]
		if strings.IndexByte(phraseDelims, c) >= 0 && e.lastIdx[string(c)] == 0 && isCloser(e.flat, start+i) {
			e.lastIdx[string(c)] = start + i
		}
	}
}

// escapeRune returns what to write for r at flat index g, or "" for r itself.
func (e *escaper) escapeRune(s seg, g int, r rune, open []string) string {
	if e.atLineStart(g) {
		if esc := lineStartEscape(e.flat[g:], r); esc != "" {
			return esc
		}
	}
	switch r {
	case '*', '_', '-', '+', '^', '~':
		if isOpener(e.flat, g) && e.lastIdx[string(r)] >= g+2 || isCloser(e.flat, g) && inside(open, byte(r)) {
			return `\` + string(r)
		}
	case '?':
		if strings.HasPrefix(e.flat[g:], "??") && isOpener2(e.flat, g) && e.lastIdx["??"] > g+2 {
			return `\?`
		}
	case '{':
		if next := runeAt(e.flat, g+1); next != 0 && !unicode.IsSpace(next) && e.lastIdx["}"] > g {
			return `\{`
		}
	case '[':
		if s.kind == segLinkTxt || e.lastIdx["]"] > g {
			return `\[`
		}
	case ']':
		if s.kind == segLinkTxt {
			return `\]`
		}
	case '|':
		if s.kind == segLinkTxt || e.ctx == ctxCell {
			return `\|`
		}
	case '!':
		if next := runeAt(e.flat, g+1); next != 0 && next != '!' && !unicode.IsSpace(next) && e.lastIdx["!"] > g {
			return `\!`
		}
	case '(':
		if startsEmoticon(e.flat[g:]) {
			return `\(`
		}
	case '\\':
		if next := runeAt(e.flat, g+1); next != 0 && strings.ContainsRune(escapable, next) {
			return "&#92;"
		}
	case '&':
		if entityEnd(e.flat, g) > 0 {
			return "&amp;"
		}
	}
	return ""
}

// atLineStart reports whether g is the first non-blank character of a line
// that Jira reads as a line start (a paragraph's lines; not a list item's).
func (e *escaper) atLineStart(g int) bool {
	i := g - 1
	for i >= 0 && (e.flat[i] == ' ' || e.flat[i] == '\t') {
		i--
	}
	if i < 0 {
		return e.ctx == ctxParagraph
	}
	return e.flat[i] == '\n'
}

// lineStartEscape neutralises block markup at the start of a line.
func lineStartEscape(rest string, r rune) string {
	switch r {
	case '*', '#', '-':
		run := strings.TrimLeft(rest, "*#-")
		if run == "" && r == '-' && len(rest) >= 4 || run != "" && (run[0] == ' ' || run[0] == '\t') {
			return `\` + string(r)
		}
	case '|':
		return `\|`
	case 'h':
		if len(rest) >= 3 && rest[1] >= '1' && rest[1] <= '6' && rest[2] == '.' && (len(rest) == 3 || rest[3] == ' ') {
			return "&#104;"
		}
	case 'b':
		if strings.HasPrefix(rest, "bq.") && (len(rest) == 3 || rest[3] == ' ') {
			return "&#98;"
		}
	}
	return ""
}

// isOpener reports whether the delimiter at g may open a phrase.
func isOpener(s string, g int) bool {
	prev, _ := utf8.DecodeLastRuneInString(s[:g])
	if g > 0 && (isWordRune(prev) || prev == '\\') {
		return false
	}
	next := runeAt(s, g+1)
	return next != 0 && !unicode.IsSpace(next) && next != rune(s[g])
}

// isCloser reports whether the delimiter at g may close a phrase.
func isCloser(s string, g int) bool {
	if g == 0 {
		return false
	}
	prev, _ := utf8.DecodeLastRuneInString(s[:g])
	if unicode.IsSpace(prev) || prev == rune(s[g]) || prev == '\\' {
		return false
	}
	return !isWordRune(runeAt(s, g+1))
}

// isOpener2 is isOpener for the two-character delimiter "??".
func isOpener2(s string, g int) bool {
	prev, _ := utf8.DecodeLastRuneInString(s[:g])
	if g > 0 && (isWordRune(prev) || prev == '\\') {
		return false
	}
	next := runeAt(s, g+2)
	return next != 0 && !unicode.IsSpace(next) && next != '?'
}

func inside(open []string, d byte) bool {
	for _, o := range open {
		if strings.IndexByte(o, d) >= 0 {
			return true
		}
	}
	return false
}

func startsEmoticon(s string) bool {
	for _, e := range parenEmoticons {
		if strings.HasPrefix(s, e) {
			next := runeAt(s, len(e))
			if !(next >= 'a' && next <= 'z' || next >= 'A' && next <= 'Z') {
				return true
			}
		}
	}
	return false
}

// runeAt decodes the rune at byte offset i, or 0 past the end.
func runeAt(s string, i int) rune {
	if i >= len(s) {
		return 0
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return r
}
