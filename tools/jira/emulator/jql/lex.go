package jql

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

type tokKind int

const (
	tEOF tokKind = iota
	tWord
	tString
	tOp
	tLParen
	tRParen
	tComma
)

type token struct {
	kind      tokKind
	text      string // unescaped text
	raw       string // as written (for error messages)
	line, col int
}

func (t token) pos() string { return fmt.Sprintf("(line %d, character %d)", t.line, t.col) }

func (t token) is(word string) bool { return t.kind == tWord && strings.EqualFold(t.text, word) }

func syntaxErr(format string, args ...any) *Error {
	return &Error{[]string{"Error in the JQL Query: " + fmt.Sprintf(format, args...)}}
}

const validOperators = "The valid operators are '=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', 'IS' and 'IS NOT'."

// Characters Jira reserves in unquoted strings. Jira reserves a few more
// ('.', '/', '*', '@', '+') that real queries use unquoted in practice with
// dates and e-mail addresses; the engine lets those through.
const reservedChars = ";?%^$#[]{}"

// reservedWords are JQL's reserved words (JqlStringSupportImpl): they must be
// quoted to be used as values or field names.
var reservedWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`a an abort access add after alias all alter and any are as asc audit avg before begin between
		boolean break by byte catch cf char character check checkpoint collate collation column commit connect continue count
		create current date decimal declare decrement default defaults define delete delimiter desc difference distinct divide
		do double drop else empty encoding end equals escape exclusive exec execute exists explain false fetch file field first
		float for from function go goto grant greater group having identified if immediate in increment index initial inner
		inout input insert int integer intersect intersection into is isempty isnull join last left less like limit lock long
		max min minus mode modify modulo more multiply next noaudit not notin nowait null number object of on option or order
		outer output power previous prior privileges public raise raw remainder rename resource return returns revoke right
		row rowid rownum rows select session set share size sqrt start strict string subtract sum synonym table then to trans
		transaction trigger true uid union unique update user validate values view when whenever where while with`) {
		m[w] = true
	}
	return m
}()

var keywords = map[string]bool{"and": true, "or": true, "not": true, "in": true, "is": true, "empty": true, "null": true, "order": true, "by": true, "asc": true, "desc": true}

// lexer splits a query into tokens, tracking Jira's line and character
// positions for error messages.
type lexer struct {
	q         string
	i         int
	line, col int
}

func lex(q string) ([]token, error) {
	l := &lexer{q: q, line: 1, col: 1}
	var toks []token
	for l.i < len(q) {
		r, size := utf8.DecodeRuneInString(q[l.i:])
		if unicode.IsSpace(r) {
			l.advance(size)
			continue
		}
		t, err := l.token(r)
		if err != nil {
			return nil, err
		}
		toks = append(toks, t)
	}
	return append(toks, token{kind: tEOF, line: l.line, col: l.col}), nil
}

// advance moves past n bytes.
func (l *lexer) advance(n int) {
	for _, r := range l.q[l.i : l.i+n] {
		if r == '\n' {
			l.line, l.col = l.line+1, 1
		} else {
			l.col++
		}
	}
	l.i += n
}

// token reads the token that starts with r.
func (l *lexer) token(r rune) (token, error) {
	start := token{line: l.line, col: l.col}
	switch {
	case r == '"' || r == '\'':
		return l.quoted(start, byte(r))
	case r == '(':
		start.kind, start.text, start.raw = tLParen, "(", "("
		l.advance(1)
	case r == ')':
		start.kind, start.text, start.raw = tRParen, ")", ")"
		l.advance(1)
	case r == ',':
		start.kind, start.text, start.raw = tComma, ",", ","
		l.advance(1)
	case strings.ContainsRune("=!<>~&|", r):
		op := string(r)
		if l.i+1 < len(l.q) {
			switch two := l.q[l.i : l.i+2]; two {
			case "!=", "!~", "<=", ">=", "&&", "||":
				op = two
			}
		}
		start.kind, start.text, start.raw = tOp, op, op
		l.advance(len(op))
	case strings.ContainsRune(reservedChars, r):
		return token{}, syntaxErr("The character '%c' is a reserved JQL character. You must enclose it in a string or use the escape '\\u%04x' instead. %s", r, r, start.pos())
	default:
		return l.word(start), nil
	}
	return start, nil
}

// quoted reads a string in quote characters, with backslash escapes.
func (l *lexer) quoted(start token, quote byte) (token, error) {
	q := l.q
	var b strings.Builder
	j := l.i + 1
	closed := false
	for j < len(q) {
		c := q[j]
		if c == '\\' && j+1 < len(q) {
			j = unescape(&b, q, j)
			continue
		}
		if c == quote {
			closed = true
			break
		}
		b.WriteByte(c)
		j++
	}
	if !closed {
		return token{}, syntaxErr("The quoted string '%s' has not been completed. %s", q[l.i+1:], start.pos())
	}
	start.kind, start.text, start.raw = tString, b.String(), q[l.i:j+1]
	l.advance(j + 1 - l.i)
	return start, nil
}

// unescape writes the escape sequence at q[j] (a backslash) and returns
// the index after it.
func unescape(b *strings.Builder, q string, j int) int {
	switch e := q[j+1]; e {
	case 'n':
		b.WriteByte('\n')
	case 't':
		b.WriteByte('\t')
	case 'u':
		if j+6 <= len(q) {
			var cp rune
			if _, err := fmt.Sscanf(q[j+2:j+6], "%04x", &cp); err == nil {
				b.WriteRune(cp)
				return j + 6
			}
		}
		b.WriteByte(e)
	default:
		b.WriteByte(e)
	}
	return j + 2
}

// word reads an unquoted word: a field name, value, keyword or function.
func (l *lexer) word(start token) token {
	q := l.q
	j := l.i
	var b strings.Builder
	for j < len(q) {
		c, n := utf8.DecodeRuneInString(q[j:])
		if c == '\\' && j+1 < len(q) {
			b.WriteByte(q[j+1])
			j += 2
			continue
		}
		if unicode.IsSpace(c) || strings.ContainsRune("\"'(),=!<>~&|"+reservedChars, c) {
			break
		}
		b.WriteRune(c)
		j += n
	}
	word := b.String()
	// cf[10002] is one field token although '[' is reserved.
	if strings.EqualFold(word, "cf") && j < len(q) && q[j] == '[' {
		if k := strings.IndexByte(q[j:], ']'); k > 1 {
			if _, err := parseInt(q[j+1 : j+k]); err == nil {
				word = "cf" + q[j:j+k+1]
				j += k + 1
			}
		}
	}
	start.kind, start.text, start.raw = tWord, word, q[l.i:j]
	l.advance(j - l.i)
	return start
}

// parseInt parses a short run of decimal digits (no sign), as ids and
// issue numbers are written.
func parseInt(s string) (int, error) {
	if s == "" || len(s) > 9 || strings.TrimLeft(s, "0123456789") != "" {
		return 0, fmt.Errorf("not a number: %q", s)
	}
	return strconv.Atoi(s)
}
