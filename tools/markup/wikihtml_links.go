package markup

import (
	"strings"
)

// linkAt renders [text|url], [url], [~user] or, for a target that is no
// address, Jira's error span.
func (h *htmlWriter) linkAt(b *strings.Builder, s string, i int) int {
	end := unescapedIndex(s[i+1:], ']', true)
	if end <= 0 {
		return 0
	}
	body := s[i+1 : i+1+end]
	text, target := "", body
	if bar := unescapedIndex(body, '|', false); bar >= 0 {
		text, target = body[:bar], strings.TrimSpace(body[bar+1:])
	}
	switch {
	case strings.HasPrefix(target, "~"):
		h.mention(b, target[1:])
	case isAddress(target):
		b.WriteString(`<a href="` + attr(h.href(target)) + `"` + linkClass(target) + ">")
		if text == "" {
			b.WriteString(escText(strings.TrimPrefix(target, "mailto:")))
		} else {
			h.inlineTo(b, text)
		}
		b.WriteString("</a>")
	default:
		b.WriteString(`<span class="error">&#91;` + escText(body) + "&#93;</span>")
	}
	return end + 2
}

func (h *htmlWriter) mention(b *strings.Builder, user string) {
	name := user
	if h.opt.DisplayName != nil {
		if n := h.opt.DisplayName(user); n != "" {
			name = n
		}
	}
	b.WriteString(`<a href="` + attr(h.base+"/secure/ViewProfile.jspa?name="+user) + `" class="user-hover" rel="` +
		attr(user) + `">` + escText(name) + "</a>")
}

func isAddress(t string) bool {
	return strings.Contains(t, "://") || strings.HasPrefix(t, "mailto:") || strings.HasPrefix(t, "/") ||
		strings.HasPrefix(t, "#") || strings.HasPrefix(t, "file:")
}

func linkClass(t string) string {
	if strings.HasPrefix(t, "#") {
		return ""
	}
	return ` class="external-link" rel="nofollow"`
}

func (h *htmlWriter) href(u string) string {
	if strings.HasPrefix(u, "/") && !strings.HasPrefix(u, "//") {
		return h.base + u
	}
	return u
}

// unescapedIndex finds c not escaped by a backslash; with oneLine, a newline
// ends the search.
func unescapedIndex(s string, c byte, oneLine bool) int {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '\n':
			if oneLine {
				return -1
			}
		case c:
			return i
		}
	}
	return -1
}

// imageAt renders !url! and !url|alt=text,...!.
func (h *htmlWriter) imageAt(b *strings.Builder, s string, i int) int {
	if next := runeAt(s, i+1); next == 0 || next == '!' || next == ' ' || next == '\t' || next == '\n' {
		return 0
	}
	end := strings.IndexAny(s[i+1:], "!\n")
	if end < 0 || s[i+1+end] != '!' {
		return 0
	}
	u, params, _ := strings.Cut(s[i+1:i+1+end], "|")
	alt := ""
	for _, p := range strings.Split(params, ",") {
		if k, v, ok := strings.Cut(strings.TrimSpace(p), "="); ok && k == "alt" {
			alt = strings.Trim(v, `"`)
		}
	}
	b.WriteString(`<span class="image-wrap" style=""><img src="` + attr(h.href(u)) + `"`)
	if alt != "" {
		b.WriteString(` alt="` + attr(alt) + `"`)
	}
	b.WriteString(` style="border: 0px solid black" /></span>`)
	return end + 2
}

// emoticonAt renders an emoticon when no letter follows it.
func (h *htmlWriter) emoticonAt(b *strings.Builder, s string, i int) int {
	if c := s[i]; c != '(' && c != ':' && c != ';' {
		return 0
	}
	best := ""
	for sym := range emoticonFiles {
		if len(sym) > len(best) && strings.HasPrefix(s[i:], sym) {
			next := runeAt(s, i+len(sym))
			if !(next >= 'a' && next <= 'z' || next >= 'A' && next <= 'Z') {
				best = sym
			}
		}
	}
	if best == "" {
		return 0
	}
	b.WriteString(`<img class="emoticon" src="` + attr(h.base+"/images/icons/emoticons/"+emoticonFiles[best]) +
		`" height="16" width="16" align="absmiddle" alt="" border="0"/>`)
	return len(best)
}
