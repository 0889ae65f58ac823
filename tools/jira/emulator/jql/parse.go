package jql

import "strings"

// The grammar is the subset of Jira's JQL the engine supports:
//
//	query   := [or] [ORDER BY sort {, sort}] EOF
//	or      := and {(OR | "||" | "|") and}
//	and     := not {(AND | "&&" | "&") not}
//	not     := (NOT | "!") not | "(" or ")" | clause
//	clause  := field op operand
//	operand := value | function | "(" operand {, operand} ")" | EMPTY | NULL
//
// Errors carry Jira's own wording and "(line L, character C)" positions.

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

func parse(q string) (*query, error) {
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
	return p.parseChain(false, "or", "||", "|", p.parseAnd)
}

func (p *parser) parseAnd() (node, error) {
	return p.parseChain(true, "and", "&&", "&", p.parseNot)
}

// parseChain parses operands joined by one boolean operator, written as a
// word or as one of two symbols.
func (p *parser) parseChain(and bool, word, sym2, sym1 string, operand func() (node, error)) (node, error) {
	first, err := operand()
	if err != nil {
		return nil, err
	}
	kids := []node{first}
	for t := p.peek(); t.is(word) || t.kind == tOp && (t.text == sym2 || t.text == sym1); t = p.peek() {
		p.next()
		k, err := operand()
		if err != nil {
			return nil, err
		}
		kids = append(kids, k)
	}
	if len(kids) == 1 {
		return first, nil
	}
	return boolNode{and: and, kids: kids}, nil
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
