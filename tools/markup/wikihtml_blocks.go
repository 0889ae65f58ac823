package markup

import (
	"html"
	"strings"
)

// wikiItem is one list item: its bullets ("#*"), its text lines and the
// macros ({code} and the like) written inside it.
type wikiItem struct {
	bullets string
	text    []string
	html    strings.Builder
}

// list renders consecutive list lines. Like Jira, a non-blank line that is no
// list item continues the previous item, and a blank line ends the list.
func (h *htmlWriter) list(lines []string) []string {
	var items []*wikiItem
	for len(lines) > 0 && strings.TrimSpace(lines[0]) != "" {
		line := lines[0]
		if m := reListItem.FindStringSubmatch(line); m != nil && !reDashes.MatchString(line) {
			items = append(items, &wikiItem{bullets: m[1], text: []string{m[2]}})
			lines = lines[1:]
			continue
		}
		last := items[len(items)-1]
		if reBlockOpen.MatchString(line) {
			if name, params, body, rest, ok := macroSpan(lines); ok {
				sub := &htmlWriter{opt: h.opt, base: h.base}
				sub.macroHTML(name, params, body)
				last.html.WriteString(sub.b.String())
				lines = rest
				continue
			}
		}
		last.text = append(last.text, line)
		lines = lines[1:]
	}
	h.listLevel(items, 0)
	return lines
}

var listTags = map[byte][2]string{
	'*': {"<ul>", "</ul>"},
	'#': {"<ol>", "</ol>"},
	'-': {"<ul class=\"alternate\" type=\"square\">", "</ul>"},
}

// listLevel writes items whose bullets are longer than depth as nested lists.
func (h *htmlWriter) listLevel(items []*wikiItem, depth int) {
	indent := strings.Repeat("\t", depth)
	for len(items) > 0 {
		kind := items[0].bullets[depth]
		h.b.WriteString(indent + listTags[kind][0] + "\n")
		for len(items) > 0 && items[0].bullets[depth] == kind {
			it := items[0]
			items = items[1:]
			n := 0
			for n < len(items) && len(items[n].bullets) > depth+1 {
				n++
			}
			h.b.WriteString(indent + "\t<li>")
			if len(it.bullets) == depth+1 {
				h.b.WriteString(h.inline(strings.Join(it.text, "\n")) + it.html.String())
			} else {
				// A deeper item with no parent: Jira nests it in an empty item.
				items = append([]*wikiItem{it}, items...)
				n++
			}
			if n > 0 {
				h.b.WriteString("\n")
				h.listLevel(items[:n], depth+1)
				h.b.WriteString(indent + "\t")
			}
			h.b.WriteString("</li>\n")
			items = items[n:]
		}
		h.b.WriteString(indent + listTags[kind][1] + "\n")
	}
}

// table renders consecutive lines that start with "|".
func (h *htmlWriter) table(lines []string) []string {
	h.b.WriteString("<div class='table-wrap'>\n<table class='confluenceTable'><tbody>\n")
	for len(lines) > 0 && strings.HasPrefix(strings.TrimSpace(lines[0]), "|") {
		h.b.WriteString("<tr>\n")
		for _, c := range splitRow(strings.TrimSpace(lines[0])) {
			tag, class := "td", "confluenceTd"
			if c.header {
				tag, class = "th", "confluenceTh"
			}
			body := h.inline(strings.TrimSpace(c.text))
			if body == "" {
				body = "&nbsp;"
			}
			h.b.WriteString("<" + tag + " class='" + class + "'>" + body + "</" + tag + ">\n")
		}
		h.b.WriteString("</tr>\n")
		lines = lines[1:]
	}
	h.b.WriteString("</tbody></table>\n</div>\n")
	return lines
}

type wikiCell struct {
	text   string
	header bool
}

// splitRow splits "||h||h||" or "|c|c|" into cells. A "|" escaped with a
// backslash or inside [link|url] or {{code}} does not split.
func splitRow(row string) []wikiCell {
	var cells []wikiCell
	var cur strings.Builder
	header, bracket, mono := false, 0, false
	flush := func() {
		cells = append(cells, wikiCell{text: cur.String(), header: header})
		cur.Reset()
	}
	for i := 0; i < len(row); i++ {
		c := row[i]
		switch {
		case c == '\\' && i+1 < len(row):
			cur.WriteString(row[i : i+2])
			i++
			continue
		case strings.HasPrefix(row[i:], "{{"):
			mono = true
		case strings.HasPrefix(row[i:], "}}"):
			mono = false
		case c == '[':
			bracket++
		case c == ']' && bracket > 0:
			bracket--
		case c == '|' && bracket == 0 && !mono:
			if i > 0 {
				flush()
			}
			header = i+1 < len(row) && row[i+1] == '|'
			if header {
				i++
			}
			continue
		}
		cur.WriteByte(c)
	}
	if strings.TrimSpace(cur.String()) != "" {
		flush()
	}
	return cells
}

// attr escapes an attribute value.
func attr(s string) string { return html.EscapeString(s) }

// escText escapes text as Jira does: quotes stay as they are.
func escText(s string) string {
	if !strings.ContainsAny(s, "&<>") {
		return s
	}
	return textEscaper.Replace(s)
}

var textEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")
