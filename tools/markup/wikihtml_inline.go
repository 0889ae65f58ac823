package markup

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// phraseTags maps a wiki phrase delimiter to its HTML element, as Jira DC
// renders them.
var phraseTags = map[string]string{
	"*": "b", "_": "em", "-": "del", "+": "ins", "^": "sup", "~": "sub", "??": "cite", "{{": "tt",
}

// emoticonFiles maps Jira's emoticons to their image names.
var emoticonFiles = map[string]string{
	":)": "smile.png", ":(": "sad.png", ":P": "tongue.png", ":D": "biggrin.png", ";)": "wink.png",
	"(y)": "thumbs_up.png", "(n)": "thumbs_down.png", "(i)": "information.png", "(/)": "check.png",
	"(x)": "error.png", "(!)": "warning.png", "(+)": "add.png", "(-)": "forbidden.png",
	"(?)": "help_16.png", "(on)": "lightbulb_on.png", "(off)": "lightbulb.png", "(*)": "star_yellow.png",
	"(*r)": "star_red.png", "(*g)": "star_green.png", "(*b)": "star_blue.png", "(*y)": "star_yellow.png",
	"(flag)": "flag.png", "(flagoff)": "flag_grey.png",
}

var (
	reInlineMacro = regexp.MustCompile(`^\{([A-Za-z][\w-]*)(:[^}\n]*)?\}`)
	reBareURL     = regexp.MustCompile(`^(?:https?|ftp)://[^\s<>"\[\]|]+`)
)

func (h *htmlWriter) inline(s string) string {
	var b strings.Builder
	h.inlineTo(&b, s)
	return b.String()
}

func (h *htmlWriter) inlineTo(b *strings.Builder, s string) {
	for i := 0; i < len(s); {
		if n := h.inlineAt(b, s, i); n > 0 {
			i += n
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		b.WriteString(escText(string(r)))
		i += size
	}
}

// inlineAt renders the markup starting at s[i] and returns its length, or 0
// when s[i] is plain text.
func (h *htmlWriter) inlineAt(b *strings.Builder, s string, i int) int {
	switch c := s[i]; c {
	case '\\':
		return escapeAt(b, s, i)
	case '&':
		if end := entityEnd(s, i); end > 0 {
			b.WriteString(s[i:end])
			return end - i
		}
	case '\n':
		b.WriteString("<br/>\n")
		return 1
	case '{':
		return h.braceAt(b, s, i)
	case '[':
		return h.linkAt(b, s, i)
	case '!':
		return h.imageAt(b, s, i)
	case 'h', 'f':
		if (i == 0 || !isWordRune(lastRune(s[:i]))) && reBareURL.MatchString(s[i:]) {
			u := strings.TrimRight(reBareURL.FindString(s[i:]), ".,;:!?)")
			b.WriteString(`<a href="` + attr(u) + `" class="external-link" rel="nofollow">` + escText(u) + "</a>")
			return len(u)
		}
	}
	if n := h.emoticonAt(b, s, i); n > 0 {
		return n
	}
	return h.phraseAt(b, s, i)
}

// escapeAt handles "\\" (a forced line break) and backslash escapes.
func escapeAt(b *strings.Builder, s string, i int) int {
	if strings.HasPrefix(s[i:], `\\`) {
		rest := s[i+2:]
		if end := strings.IndexFunc(rest, unicode.IsSpace); end >= 0 {
			rest = rest[:end]
		}
		if !strings.Contains(rest, `\`) {
			b.WriteString("<br/>")
			return 2
		}
	}
	if i+1 < len(s) && strings.IndexByte(escapable[:len(escapable)-1], s[i+1]) >= 0 {
		b.WriteString(escText(s[i+1 : i+2]))
		return 2
	}
	return 0
}

// braceAt handles {{monospace}}, {*}phrases{*}, {color} and other macros.
func (h *htmlWriter) braceAt(b *strings.Builder, s string, i int) int {
	if strings.HasPrefix(s[i:], "{{") {
		return h.phrase(b, s, i, "{{", "}}", 2)
	}
	if len(s) > i+2 && s[i+2] == '}' && strings.IndexByte(phraseDelims, s[i+1]) >= 0 {
		d := s[i+1 : i+2]
		return h.phrase(b, s, i, d, d, 3)
	}
	m := reInlineMacro.FindStringSubmatch(s[i:])
	if m == nil {
		return 0
	}
	if m[1] == "color" && m[2] != "" {
		end := strings.Index(s[i+len(m[0]):], "{color}")
		if end < 0 {
			return 0
		}
		b.WriteString(`<font color="` + attr(m[2][1:]) + `">`)
		h.inlineTo(b, s[i+len(m[0]):i+len(m[0])+end])
		b.WriteString("</font>")
		return len(m[0]) + end + len("{color}")
	}
	b.WriteString(`<span class="error">Unknown macro: {` + escText(m[1]) + "}</span>")
	return len(m[0])
}

// phraseAt opens a phrase at s[i] when Jira would: no letter, digit or
// backslash before the delimiter.
func (h *htmlWriter) phraseAt(b *strings.Builder, s string, i int) int {
	d := s[i : i+1]
	if strings.HasPrefix(s[i:], "??") {
		d = "??"
	} else if strings.IndexByte(phraseDelims, s[i]) < 0 {
		return 0
	}
	if prev := lastRune(s[:i]); i > 0 && (isWordRune(prev) || prev == '\\') {
		return 0
	}
	return h.phrase(b, s, i, d, d, len(d))
}

// phrase renders a phrase whose opening delimiter (olen bytes, plain or
// {d}) is at s[i] and whose closing delimiter is close, if it has one.
func (h *htmlWriter) phrase(b *strings.Builder, s string, i int, d, close string, olen int) int {
	start := i + olen
	first := runeAt(s, start)
	if first == 0 || unicode.IsSpace(first) || strings.ContainsRune(close[:1]+d[:1], first) {
		return 0
	}
	for j := start + 1; j < len(s) && s[j] != '\n'; j++ {
		clen := closerAt(s, j, close)
		if clen == 0 {
			continue
		}
		prev := lastRune(s[:j])
		if unicode.IsSpace(prev) || prev == '\\' || strings.ContainsRune(close[:1], prev) && clen == len(close) {
			continue
		}
		tag := phraseTags[d]
		b.WriteString("<" + tag + ">")
		h.inlineTo(b, s[start:j]) // Jira applies phrase rules inside {{ }} too
		b.WriteString("</" + tag + ">")
		return j + clen - i
	}
	return 0
}

// closerAt returns the length of a closing delimiter at s[j]: the plain one
// when no letter or digit follows it, or the {d} form.
func closerAt(s string, j int, close string) int {
	if strings.HasPrefix(s[j:], close) && !isWordRune(runeAt(s, j+len(close))) {
		return len(close)
	}
	if len(close) == 1 && strings.HasPrefix(s[j:], "{"+close+"}") {
		return 3
	}
	return 0
}

func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}
