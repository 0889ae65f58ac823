package markup

import (
	"regexp"
	"strings"
)

// HTMLOptions tunes [WikiToHTML].
type HTMLOptions struct {
	// BaseURL is the Jira base URL, used for emoticon images and profile
	// links; without it those links are relative, as "/images/...".
	BaseURL string
	// DisplayName returns the name shown for the mention [~user]; nil, or an
	// empty result, shows the username.
	DisplayName func(user string) string
}

// WikiToHTML renders Jira wiki markup to HTML shaped like Jira Data Center's
// renderedFields (code panels, confluenceTable tables, user-hover mentions,
// emoticon images). It covers the subset ToWiki writes plus panels, colour,
// bq., dashed lists and unknown macros, so an emulator can answer
// expand=renderedFields. Every text it copies is HTML-escaped.
func WikiToHTML(wiki string, opt HTMLOptions) string {
	h := &htmlWriter{opt: opt, base: strings.TrimRight(opt.BaseURL, "/")}
	h.blocks(strings.Split(normalizeNewlines(wiki), "\n"))
	return strings.TrimSuffix(h.b.String(), "\n")
}

type htmlWriter struct {
	opt  HTMLOptions
	base string
	b    strings.Builder
}

var (
	reHeading   = regexp.MustCompile(`^\s*h([1-6])\.\s+(.*)$`)
	reBq        = regexp.MustCompile(`^\s*bq\.\s+(.*)$`)
	reRule      = regexp.MustCompile(`^\s*-{4,}\s*$`)
	reListItem  = regexp.MustCompile(`^\s*([*#-]+)\s+(.*?)\s*$`)
	reDashes    = regexp.MustCompile(`^\s*-{2,3}`)
	reBlockOpen = regexp.MustCompile(`^\s*\{(code|noformat|quote|panel)(:[^}\n]*)?\}`)
)

// blocks renders lines as a sequence of blocks; each block consumes lines
// and returns the rest.
func (h *htmlWriter) blocks(lines []string) {
	for len(lines) > 0 {
		line := lines[0]
		switch {
		case strings.TrimSpace(line) == "":
			lines = lines[1:]
		case reBlockOpen.MatchString(line):
			lines = h.macro(lines)
		case reHeading.MatchString(line):
			m := reHeading.FindStringSubmatch(line)
			h.b.WriteString("<h" + m[1] + "><a name=\"" + anchorName(m[2]) + "\"></a>" + h.inline(m[2]) + "</h" + m[1] + ">\n")
			lines = lines[1:]
		case reBq.MatchString(line):
			h.b.WriteString("<blockquote>" + h.inline(reBq.FindStringSubmatch(line)[1]) + "</blockquote>\n")
			lines = lines[1:]
		case reRule.MatchString(line):
			h.b.WriteString("<hr />\n")
			lines = lines[1:]
		case isListLine(line):
			lines = h.list(lines)
		case strings.HasPrefix(strings.TrimSpace(line), "|"):
			lines = h.table(lines)
		default:
			lines = h.paragraph(lines)
		}
	}
}

func isListLine(line string) bool {
	return reListItem.MatchString(line) && !reDashes.MatchString(line)
}

// startsBlock reports whether a line begins a block other than a paragraph.
func startsBlock(line string) bool {
	return reBlockOpen.MatchString(line) || reHeading.MatchString(line) || reBq.MatchString(line) ||
		reRule.MatchString(line) || isListLine(line) || strings.HasPrefix(strings.TrimSpace(line), "|")
}

func (h *htmlWriter) paragraph(lines []string) []string {
	i := 1
	for i < len(lines) && strings.TrimSpace(lines[i]) != "" && !startsBlock(lines[i]) {
		i++
	}
	h.b.WriteString("<p>" + h.inline(strings.Join(lines[:i], "\n")) + "</p>\n")
	return lines[i:]
}

// macroSpan finds a block macro opened at lines[0]: its name, parameters,
// body and the lines after it. Text after the end tag is pushed back as a
// line of its own. ok is false when the end tag is missing.
func macroSpan(lines []string) (name, params, body string, rest []string, ok bool) {
	line := lines[0]
	m := reBlockOpen.FindStringSubmatchIndex(line)
	name = line[m[2]:m[3]]
	if m[4] >= 0 {
		params = line[m[4]+1 : m[5]]
	}
	tag := "{" + name + "}"
	var parts []string
	cur := line[m[1]:]
	for i := 0; ; i++ {
		if end := strings.Index(cur, tag); end >= 0 {
			body = strings.TrimPrefix(strings.Join(append(parts, cur[:end]), "\n"), "\n")
			rest = lines[i+1:]
			if after := strings.TrimLeft(cur[end+len(tag):], " \t"); after != "" {
				rest = append([]string{after}, rest...)
			}
			return name, params, body, rest, true
		}
		if i+1 >= len(lines) {
			return "", "", "", nil, false
		}
		parts = append(parts, cur)
		cur = lines[i+1]
	}
}

// macro renders {code}, {noformat}, {quote} or {panel} starting at lines[0];
// an unterminated one is a paragraph.
func (h *htmlWriter) macro(lines []string) []string {
	name, params, body, rest, ok := macroSpan(lines)
	if !ok {
		return h.paragraph(lines)
	}
	h.macroHTML(name, params, body)
	return rest
}

func (h *htmlWriter) macroHTML(name, params, body string) {
	switch name {
	case "code":
		lang, title := codeParams(params)
		h.b.WriteString(`<div class="code panel" style="border-width: 1px;">` + panelHeader("codeHeader panelHeader", title) +
			"<div class=\"codeContent panelContent\">\n<pre class=\"code-" + escText(lang) + "\">" +
			escText(strings.TrimSuffix(body, "\n")) + "</pre>\n</div></div>\n")
	case "noformat":
		h.b.WriteString("<div class=\"preformatted panel\" style=\"border-width: 1px;\"><div class=\"preformattedContent panelContent\">\n<pre>" +
			escText(strings.TrimSuffix(body, "\n")) + "</pre>\n</div></div>\n")
	case "quote":
		h.b.WriteString("<blockquote>\n")
		h.blocks(strings.Split(body, "\n"))
		h.b.WriteString("</blockquote>\n")
	case "panel":
		_, title := codeParams(params)
		h.b.WriteString(`<div class="panel" style="border-width: 1px;">` + panelHeader("panelHeader", title) + "<div class=\"panelContent\">\n")
		h.blocks(strings.Split(body, "\n"))
		h.b.WriteString("</div></div>\n")
	}
}

// codeParams reads "java", "title=x|borderStyle=solid" or "java|title=x".
func codeParams(params string) (lang, title string) {
	lang = "java" // the code macro's default, as in Jira
	for i, p := range strings.Split(params, "|") {
		k, v, found := strings.Cut(p, "=")
		switch {
		case !found && i == 0 && p != "":
			lang = strings.ToLower(strings.TrimSpace(p))
		case k == "title":
			title = v
		case k == "language" || k == "lang":
			lang = strings.ToLower(v)
		}
	}
	return lang, title
}

func panelHeader(class, title string) string {
	if title == "" {
		return ""
	}
	return `<div class="` + class + `" style="border-bottom-width: 1px;"><b>` + escText(title) + "</b></div>"
}

// anchorName is Jira's heading anchor: the heading's letters and digits.
func anchorName(s string) string {
	var b strings.Builder
	for _, r := range s {
		if isWordRune(r) {
			b.WriteRune(r)
		}
	}
	return escText(b.String())
}
