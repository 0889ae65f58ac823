package jql

import (
	"strings"
	"unicode"
)

// texts are the texts a text clause searches.
func texts(is *Issue, f field) []string {
	switch f.id {
	case "summary":
		return []string{is.Summary}
	case "description":
		return []string{is.Description}
	case "environment":
		return []string{is.Environment}
	case "comment":
		return is.Comments
	case "": // text: every text field
		return append([]string{is.Summary, is.Description, is.Environment}, is.Comments...)
	}
	return []string{is.Texts[f.id]}
}

// text compiles ~ and !~: every term (or the quoted phrase) must occur.
func (c *compiler) text(cl clause, f field, o *operand) func(*Issue) bool {
	if o.isList() || o.fn != "" {
		return c.fail("The operator '%s' is not supported by the '%s' field for the value '%s'.", cl.op, cl.field.text, o)
	}
	q := o.tok.text
	phrase := ""
	if t := strings.TrimSpace(q); len(t) >= 2 && t[0] == '"' && t[len(t)-1] == '"' {
		phrase = strings.Join(words(t[1:len(t)-1]), " ")
	}
	var terms []string
	for _, w := range strings.FieldsFunc(strings.ToLower(q), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '*' && r != '?'
	}) {
		if w == "or" || w == "and" || stopWords[w] {
			continue
		}
		if w[0] == '*' || w[0] == '?' {
			return c.fail("The text query '%s' for field '%s' is not allowed to start with a wildcard.", q, cl.field.text)
		}
		terms = append(terms, w)
	}
	match := func(is *Issue) bool {
		ts := texts(is, f)
		if phrase != "" {
			return hasAny(ts, func(t string) bool { return strings.Contains(strings.Join(words(t), " "), phrase) })
		}
		if len(terms) == 0 {
			return false
		}
		for _, term := range terms {
			if !hasAny(ts, func(t string) bool { return textHas(t, term) }) {
				return false
			}
		}
		return true
	}
	if cl.op == "!~" {
		return func(is *Issue) bool { return !match(is) }
	}
	return match
}

var stopWords = map[string]bool{"a": true, "an": true, "the": true, "is": true, "are": true, "be": true, "to": true, "of": true, "in": true, "on": true, "at": true, "for": true, "with": true, "it": true, "this": true, "that": true, "by": true, "as": true, "no": true, "not": true, "if": true, "into": true, "such": true, "then": true, "there": true, "these": true, "they": true, "was": true, "will": true}

func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// textHas reports whether text holds term, with trailing-wildcard and the
// light English stemming Jira's analyzer applies ("fails" finds "failed").
func textHas(text, term string) bool {
	prefix := strings.HasSuffix(term, "*")
	term = strings.TrimRight(term, "*?")
	st := stem(term)
	for _, w := range words(text) {
		if prefix && strings.HasPrefix(w, term) || w == term || stem(w) == st {
			return true
		}
	}
	return false
}

func stem(w string) string {
	for _, suf := range []string{"ing", "ed", "es", "s"} {
		if len(w) > len(suf)+2 && strings.HasSuffix(w, suf) {
			return w[:len(w)-len(suf)]
		}
	}
	return w
}
