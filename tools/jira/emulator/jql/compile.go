package jql

import (
	"fmt"
	"slices"
	"time"
)

// A compiler turns a syntax tree into predicates over issues, collecting
// Jira's messages for what it refuses.
type compiler struct {
	d        *Data
	now      time.Time
	validate bool
	errs     []string
	warnings []string
}

// matchNone is the predicate of a clause that failed.
func matchNone(*Issue) bool { return false }

// fail records an error and returns a predicate that matches nothing.
func (c *compiler) fail(format string, args ...any) func(*Issue) bool {
	c.errs = append(c.errs, fmt.Sprintf(format, args...))
	return matchNone
}

// valueFail reports a value that does not exist: an error, or a warning
// when the caller asked not to validate.
func (c *compiler) valueFail(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if c.validate {
		c.errs = append(c.errs, msg)
	} else {
		c.warnings = append(c.warnings, msg)
	}
}

func (c *compiler) node(n node) func(*Issue) bool {
	switch n := n.(type) {
	case boolNode:
		fs := make([]func(*Issue) bool, len(n.kids))
		for i, k := range n.kids {
			fs[i] = c.node(k)
		}
		if n.and {
			return all(fs)
		}
		return anyOf(fs)
	case notNode:
		f := c.node(n.kid)
		return func(is *Issue) bool { return !f(is) }
	case clause:
		return c.clause(n)
	}
	panic("jql: unknown node")
}

// all is the conjunction of predicates.
func all(fs []func(*Issue) bool) func(*Issue) bool {
	return func(is *Issue) bool {
		for _, f := range fs {
			if !f(is) {
				return false
			}
		}
		return true
	}
}

// anyOf is the disjunction of predicates.
func anyOf(fs []func(*Issue) bool) func(*Issue) bool {
	return func(is *Issue) bool {
		for _, f := range fs {
			if f(is) {
				return true
			}
		}
		return false
	}
}

func (c *compiler) clause(cl clause) func(*Issue) bool {
	fields := c.d.lookupFields(cl.field.text)
	switch len(fields) {
	case 0:
		return c.fail("Field '%s' does not exist or you do not have permission to view it.", cl.field.text)
	case 1:
		return c.fieldClause(cl, fields[0])
	}
	var fs []func(*Issue) bool
	for _, f := range fields {
		fs = append(fs, c.fieldClause(cl, f))
	}
	return anyOf(fs)
}

func (c *compiler) fieldClause(cl clause, f field) func(*Issue) bool {
	if !slices.Contains(f.kind.ops(), cl.op) {
		return c.fail("The operator '%s' is not supported by the '%s' field.", cl.op, cl.field.text)
	}
	o := cl.operand
	switch cl.op {
	case "is", "is not":
		if !o.empty {
			return c.fail("The operator '%s' only supports the use of the 'EMPTY' keyword. Value '%s' is not valid for field '%s'.", cl.op, o, cl.field.text)
		}
	case "in", "not in":
		if !o.isList() && o.fn == "" {
			o = &operand{tok: o.tok, list: []*operand{o}}
		}
	default:
		if o.isList() {
			return c.fail("The operator '%s' does not support the list value '%s' for field '%s'.", cl.op, o, cl.field.text)
		}
	}
	if o.empty || (o.isList() && len(o.list) == 1 && o.list[0].empty) {
		return c.emptyClause(cl, f)
	}
	if f.kind == KindText {
		return c.text(cl, f, o)
	}
	switch cl.op {
	case "<", "<=", ">", ">=":
		return c.ranged(cl, f, o)
	}
	has := c.values(cl, f, o)
	switch cl.op {
	case "=", "in":
		return has
	}
	isEmpty := emptyTest(f)
	// Jira's negative operators never match issues whose field is empty.
	return func(is *Issue) bool { return !isEmpty(is) && !has(is) }
}

// emptyClause compiles a clause whose operand is EMPTY.
func (c *compiler) emptyClause(cl clause, f field) func(*Issue) bool {
	if !f.kind.emptyOK() {
		return c.fail("The field '%s' does not support searching for EMPTY values.", cl.field.text)
	}
	isEmpty := emptyTest(f)
	switch cl.op {
	case "=", "is", "in":
		return isEmpty
	case "!=", "is not", "not in":
		return func(is *Issue) bool { return !isEmpty(is) }
	}
	return c.fail("The operator '%s' does not support searching for EMPTY values.", cl.op)
}

// flatten expands an operand (value, list or function) into plain values.
// Functions are evaluated by fn; it returns ok=false after reporting an error.
// A function's values are marked with fn "=name".
func (c *compiler) flatten(o *operand, fn func(o *operand) ([]string, bool)) ([]*operand, bool) {
	if o.isList() {
		var out []*operand
		for _, x := range o.list {
			xs, ok := c.flatten(x, fn)
			if !ok {
				return nil, false
			}
			out = append(out, xs...)
		}
		return out, true
	}
	if o.fn != "" {
		vals, ok := fn(o)
		if !ok {
			return nil, false
		}
		out := make([]*operand, len(vals))
		for i, v := range vals {
			out[i] = &operand{tok: token{kind: tString, text: v, raw: v}, fn: "=" + o.fn}
		}
		return out, true
	}
	return []*operand{o}, true
}
