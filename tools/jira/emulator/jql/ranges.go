package jql

import (
	"strconv"
	"time"
)

// ranged compiles <, <=, >, >= on ordered fields, and = on dates and
// numbers, where it is an exact comparison.
func (c *compiler) ranged(cl clause, f field, o *operand) func(*Issue) bool {
	if o.isList() {
		return c.fail("The operator '%s' does not support the list value '%s' for field '%s'.", cl.op, o, cl.field.text)
	}
	cmp := comparison(cl.op)
	switch f.kind {
	case kDate, kDueDate:
		return c.dateRange(cl, f, o, cmp)
	}
	if o.fn != "" {
		switch f.kind {
		case KindNumber, kPriority, kVersion, kKey:
			c.noFunction(cl, o)
			return matchNone
		}
	}
	switch f.kind {
	case KindNumber:
		return c.numberRange(cl, f, o, cmp)
	case kPriority:
		p := c.d.findPriority(o.tok.text)
		if p == nil {
			c.valueErr(cl, o.tok.text)
			return matchNone
		}
		// A higher priority has a lower rank: "priority > Major" is Critical or Blocker.
		return func(is *Issue) bool { return is.Priority != nil && cmp(p.Rank-is.Priority.Rank) }
	case kVersion:
		return c.versionRange(cl, o, cmp)
	case kKey:
		ref, ok := c.issueValue(cl, o.tok.text)
		if !ok {
			return matchNone
		}
		return func(is *Issue) bool { return is.Project.ID == ref.Project.ID && cmp(is.Num-ref.Num) }
	}
	return c.fail("The operator '%s' is not supported by the '%s' field.", cl.op, cl.field.text)
}

// comparison turns an operator into a test of a three-way comparison;
// the operators of lists and != compare for equality, value by value.
func comparison(op string) func(int) bool {
	switch op {
	case "<":
		return func(x int) bool { return x < 0 }
	case "<=":
		return func(x int) bool { return x <= 0 }
	case ">":
		return func(x int) bool { return x > 0 }
	case ">=":
		return func(x int) bool { return x >= 0 }
	}
	return func(x int) bool { return x == 0 }
}

func (c *compiler) dateRange(cl clause, f field, o *operand, cmp func(int) bool) func(*Issue) bool {
	t, ok := c.dateValue(cl, o)
	if !ok {
		return matchNone
	}
	if f.kind == kDueDate {
		t = t.Truncate(24 * time.Hour)
	}
	return func(is *Issue) bool {
		d := dateOf(is, f.id)
		return !d.IsZero() && cmp(d.Compare(t))
	}
}

func (c *compiler) numberRange(cl clause, f field, o *operand, cmp func(int) bool) func(*Issue) bool {
	n, err := strconv.ParseFloat(o.tok.text, 64)
	if err != nil {
		c.valueFail("The value '%s' is not a valid number for the field '%s'.", o.tok.text, cl.field.text)
		return matchNone
	}
	return func(is *Issue) bool {
		v, ok := is.Numbers[f.id]
		if !ok {
			return false
		}
		switch {
		case v < n:
			return cmp(-1)
		case v > n:
			return cmp(1)
		}
		return cmp(0)
	}
}

// versionRange compares versions by their sequence within one project.
func (c *compiler) versionRange(cl clause, o *operand, cmp func(int) bool) func(*Issue) bool {
	refs := c.d.versionsNamed(o.tok.text)
	if len(refs) == 0 {
		c.valueErr(cl, o.tok.text)
		return matchNone
	}
	return func(is *Issue) bool {
		for _, x := range is.FixVersions {
			for _, ref := range refs {
				if x.Project == ref.Project && cmp(x.Seq-ref.Seq) {
					return true
				}
			}
		}
		return false
	}
}
