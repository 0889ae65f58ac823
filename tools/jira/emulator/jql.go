package emulator

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file holds the JQL lexer and parser. The grammar is the subset of
// Jira's JQL the emulator supports:
//
//	query   := [or] [ORDER BY sort {, sort}] EOF
//	or      := and {(OR | "||" | "|") and}
//	and     := not {(AND | "&&" | "&") not}
//	not     := (NOT | "!") not | "(" or ")" | clause
//	clause  := field op operand
//	operand := value | function | "(" operand {, operand} ")" | EMPTY | NULL
//
// Errors carry Jira's own wording and "(line L, character C)" positions.

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

// jqlError is a 400 answer: Jira reports every JQL problem in errorMessages.
type jqlError struct{ msgs []string }

func (e *jqlError) Error() string { return strings.Join(e.msgs, "; ") }

func syntaxErr(format string, args ...any) *jqlError {
	return &jqlError{[]string{"Error in the JQL Query: " + fmt.Sprintf(format, args...)}}
}

const validOperators = "The valid operators are '=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', 'IS' and 'IS NOT'."

// Characters Jira reserves in unquoted strings. Jira reserves a few more
// ('.', '/', '*', '@', '+') that real queries use unquoted in practice with
// dates and e-mail addresses; the emulator lets those through.
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

func lex(q string) ([]token, error) {
	var toks []token
	line, col := 1, 1
	i := 0
	adv := func(n int) {
		for _, r := range q[i : i+n] {
			if r == '\n' {
				line, col = line+1, 1
			} else {
				col++
			}
		}
		i += n
	}
	for i < len(q) {
		r, size := utf8.DecodeRuneInString(q[i:])
		if unicode.IsSpace(r) {
			adv(size)
			continue
		}
		start := token{line: line, col: col}
		switch {
		case r == '"' || r == '\'':
			var b strings.Builder
			j := i + 1
			closed := false
			for j < len(q) {
				c := q[j]
				if c == '\\' && j+1 < len(q) {
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
								j += 6
								continue
							}
						}
						b.WriteByte(e)
					default:
						b.WriteByte(e)
					}
					j += 2
					continue
				}
				if c == byte(r) {
					closed = true
					break
				}
				b.WriteByte(c)
				j++
			}
			if !closed {
				return nil, syntaxErr("The quoted string '%s' has not been completed. %s", q[i+1:], start.pos())
			}
			start.kind, start.text, start.raw = tString, b.String(), q[i:j+1]
			adv(j + 1 - i)
		case r == '(':
			start.kind, start.text, start.raw = tLParen, "(", "("
			adv(1)
		case r == ')':
			start.kind, start.text, start.raw = tRParen, ")", ")"
			adv(1)
		case r == ',':
			start.kind, start.text, start.raw = tComma, ",", ","
			adv(1)
		case strings.ContainsRune("=!<>~&|", r):
			op := string(r)
			if i+1 < len(q) {
				two := q[i : i+2]
				switch two {
				case "!=", "!~", "<=", ">=", "&&", "||":
					op = two
				}
			}
			start.kind, start.text, start.raw = tOp, op, op
			adv(len(op))
		case strings.ContainsRune(reservedChars, r):
			return nil, syntaxErr("The character '%c' is a reserved JQL character. You must enclose it in a string or use the escape '\\u%04x' instead. %s", r, r, start.pos())
		default:
			j := i
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
			start.kind, start.text, start.raw = tWord, word, q[i:j]
			adv(j - i)
		}
		toks = append(toks, start)
	}
	toks = append(toks, token{kind: tEOF, line: line, col: col})
	return toks, nil
}

// AST.

type node interface{ isNode() }

type boolNode struct {
	and  bool
	kids []node
}

type notNode struct{ kid node }

type clause struct {
	field   token
	op      string // "=", "!=", "~", "!~", "<", "<=", ">", ">=", "in", "not in", "is", "is not"
	opTok   token
	operand *operand
}

type operand struct {
	tok   token // the value, function name or "(" of a list
	empty bool
	fn    string
	args  []string
	list  []*operand
}

func (boolNode) isNode() {}
func (notNode) isNode()  {}
func (clause) isNode()   {}

func (o *operand) isList() bool { return o.list != nil }

func (o *operand) String() string {
	switch {
	case o.empty:
		return "EMPTY"
	case o.fn != "":
		return o.fn + "(" + strings.Join(o.args, ", ") + ")"
	case o.list != nil:
		parts := make([]string, len(o.list))
		for i, x := range o.list {
			parts[i] = x.String()
		}
		return "(" + strings.Join(parts, ", ") + ")"
	}
	return o.tok.text
}

type sortSpec struct {
	field token
	desc  bool
}

type query struct {
	where node // nil when the query has no conditions
	order []sortSpec
	// hasOrder is true when the query has an ORDER BY clause, even an
	// empty one (which Jira allows and answers in no particular order).
	hasOrder bool
}

type parser struct {
	toks []token
	i    int
}

func (p *parser) peek() token { return p.toks[p.i] }
func (p *parser) next() token { t := p.toks[p.i]; p.i++; return t }

func parseJQL(q string) (*query, error) {
	toks, err := lex(q)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks}
	out := &query{}
	if !p.peek().is("order") && p.peek().kind != tEOF {
		if out.where, err = p.parseOr(); err != nil {
			return nil, err
		}
	}
	if t := p.peek(); t.is("order") {
		p.next()
		if b := p.next(); !b.is("by") {
			if b.kind == tEOF {
				return nil, syntaxErr("Expecting 'by' before the end of the query.")
			}
			return nil, syntaxErr("Expecting 'by' but got '%s'. %s", b.raw, b.pos())
		}
		out.hasOrder = true
		for {
			f := p.next()
			if f.kind != tWord && f.kind != tString || f.kind == tWord && keywords[strings.ToLower(f.text)] {
				if f.kind == tEOF {
					return nil, syntaxErr("Expecting a field name before the end of the query.")
				}
				return nil, syntaxErr("Expecting a field name but got '%s'. %s", f.raw, f.pos())
			}
			s := sortSpec{field: f}
			if d := p.peek(); d.is("asc") || d.is("desc") {
				p.next()
				s.desc = d.is("desc")
			}
			out.order = append(out.order, s)
			if p.peek().kind != tComma {
				break
			}
			p.next()
		}
	}
	if t := p.peek(); t.kind != tEOF {
		return nil, syntaxErr("Expecting either 'OR' or 'AND' but got '%s'. %s", t.raw, t.pos())
	}
	return out, nil
}

func (p *parser) parseOr() (node, error) {
	first, err := p.parseAnd()
	if err != nil {
		return nil, err
	}
	kids := []node{first}
	for t := p.peek(); t.is("or") || t.kind == tOp && (t.text == "||" || t.text == "|"); t = p.peek() {
		p.next()
		k, err := p.parseAnd()
		if err != nil {
			return nil, err
		}
		kids = append(kids, k)
	}
	if len(kids) == 1 {
		return first, nil
	}
	return boolNode{and: false, kids: kids}, nil
}

func (p *parser) parseAnd() (node, error) {
	first, err := p.parseNot()
	if err != nil {
		return nil, err
	}
	kids := []node{first}
	for t := p.peek(); t.is("and") || t.kind == tOp && (t.text == "&&" || t.text == "&"); t = p.peek() {
		p.next()
		k, err := p.parseNot()
		if err != nil {
			return nil, err
		}
		kids = append(kids, k)
	}
	if len(kids) == 1 {
		return first, nil
	}
	return boolNode{and: true, kids: kids}, nil
}

func (p *parser) parseNot() (node, error) {
	t := p.peek()
	switch {
	case t.is("not") || t.kind == tOp && t.text == "!":
		p.next()
		k, err := p.parseNot()
		if err != nil {
			return nil, err
		}
		return notNode{k}, nil
	case t.kind == tLParen:
		p.next()
		k, err := p.parseOr()
		if err != nil {
			return nil, err
		}
		if c := p.next(); c.kind != tRParen {
			if c.kind == tEOF {
				return nil, syntaxErr("Expecting ')' before the end of the query.")
			}
			return nil, syntaxErr("Expecting ')' but got '%s'. %s", c.raw, c.pos())
		}
		return k, nil
	}
	return p.parseClause()
}

func (p *parser) parseClause() (node, error) {
	f := p.next()
	switch {
	case f.kind == tEOF:
		return nil, syntaxErr("Expecting a field name before the end of the query.")
	case f.kind == tWord && reservedWords[strings.ToLower(f.text)] && !keywords[strings.ToLower(f.text)]:
		return nil, syntaxErr("'%s' is a reserved JQL word. You must surround it in quotation marks to use it in a query. %s", f.raw, f.pos())
	case f.kind != tWord && f.kind != tString || f.kind == tWord && keywords[strings.ToLower(f.text)]:
		return nil, syntaxErr("Expecting a field name but got '%s'. %s", f.raw, f.pos())
	}
	c := clause{field: f}
	opTok := p.next()
	c.opTok = opTok
	switch {
	case opTok.kind == tOp && strings.Contains("= != ~ !~ < <= > >=", opTok.text) && opTok.text != "!" && opTok.text != "&" && opTok.text != "|":
		c.op = opTok.text
	case opTok.is("in"):
		c.op = "in"
	case opTok.is("not"):
		if n := p.next(); !n.is("in") {
			if n.kind == tEOF {
				return nil, syntaxErr("Expecting 'IN' before the end of the query.")
			}
			return nil, syntaxErr("Expecting 'IN' but got '%s'. %s", n.raw, n.pos())
		}
		c.op = "not in"
	case opTok.is("is"):
		c.op = "is"
		if p.peek().is("not") {
			p.next()
			c.op = "is not"
		}
	case opTok.kind == tEOF:
		return nil, syntaxErr("Expecting operator before the end of the query. %s", validOperators)
	default:
		return nil, syntaxErr("Expecting operator but got '%s'. %s %s", opTok.raw, validOperators, opTok.pos())
	}
	o, err := p.parseOperand(true)
	if err != nil {
		return nil, err
	}
	c.operand = o
	return c, nil
}

func (p *parser) parseOperand(listOK bool) (*operand, error) {
	t := p.next()
	switch {
	case t.kind == tEOF:
		return nil, syntaxErr("Expecting either a value, list or function before the end of the query.")
	case t.kind == tLParen && listOK:
		o := &operand{tok: t, list: []*operand{}}
		for {
			x, err := p.parseOperand(false)
			if err != nil {
				return nil, err
			}
			o.list = append(o.list, x)
			c := p.next()
			if c.kind == tRParen {
				return o, nil
			}
			if c.kind != tComma {
				if c.kind == tEOF {
					return nil, syntaxErr("Expecting ')' before the end of the query.")
				}
				return nil, syntaxErr("Expecting ',' or ')' but got '%s'. %s", c.raw, c.pos())
			}
		}
	case t.kind == tString:
		return &operand{tok: t}, nil
	case t.kind == tWord:
		lw := strings.ToLower(t.text)
		if lw == "empty" || lw == "null" {
			return &operand{tok: t, empty: true}, nil
		}
		if p.peek().kind == tLParen {
			p.next()
			o := &operand{tok: t, fn: t.text}
			for {
				a := p.next()
				switch a.kind {
				case tRParen:
					return o, nil
				case tWord, tString:
					o.args = append(o.args, a.text)
					if c := p.peek(); c.kind == tComma {
						p.next()
					}
				case tEOF:
					return nil, syntaxErr("Expecting ')' before the end of the query.")
				default:
					return nil, syntaxErr("Expecting ')' but got '%s'. %s", a.raw, a.pos())
				}
			}
		}
		if keywords[lw] {
			return nil, syntaxErr("Expecting either a value, list or function but got '%s'. You must surround '%s' in quotation marks to use it as a value. %s", t.raw, t.raw, t.pos())
		}
		if reservedWords[lw] {
			return nil, syntaxErr("'%s' is a reserved JQL word. You must surround it in quotation marks to use it in a query. %s", t.raw, t.pos())
		}
		return &operand{tok: t}, nil
	}
	return nil, syntaxErr("Expecting either a value, list or function but got '%s'. You must surround '%s' in quotation marks to use it as a value. %s", t.raw, t.raw, t.pos())
}
