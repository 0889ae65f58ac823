package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/tailscale/hujson"
)

// jsonFile is a client's JSON settings file being merged. It is kept as
// hujson's syntax tree, so comments and trailing commas (which VS Code's
// mcp.json allows) survive, and every byte setup does not change stays as
// the user wrote it: a changed value is re-encoded in place, a new member
// is indented like its siblings.
type jsonFile struct {
	root hujson.Value
	unit string // one level of indentation, as the file uses it
}

// parseJSONFile parses a settings file; empty input is an empty object.
func parseJSONFile(data []byte) (*jsonFile, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		data = []byte("{}\n")
	}
	root, err := hujson.Parse(data)
	if err != nil {
		return nil, fmt.Errorf("not valid JSON: %w", err)
	}
	obj, ok := root.Value.(*hujson.Object)
	if !ok {
		return nil, errors.New("not a JSON object")
	}
	f := &jsonFile{root: root, unit: "  "}
	for _, m := range obj.Members {
		if i := bytes.LastIndexByte(m.Name.BeforeExtra, '\n'); i >= 0 {
			if ind := string(m.Name.BeforeExtra[i+1:]); ind != "" && strings.Trim(ind, " \t") == "" {
				f.unit = ind
			}
			break
		}
	}
	return f, nil
}

// bytes returns the file's text.
func (f *jsonFile) bytes() []byte {
	out := f.root.Pack()
	if !bytes.HasSuffix(out, []byte("\n")) {
		out = append(out, '\n')
	}
	return out
}

// get decodes the value at path into v and reports whether it is there.
func (f *jsonFile) get(path []string, v any) (bool, error) {
	val, err := f.find(path)
	if err != nil || val == nil {
		return false, err
	}
	c := val.Clone()
	c.Standardize()
	if err := json.Unmarshal(c.Pack(), v); err != nil {
		return true, fmt.Errorf("%q: %w", strings.Join(path, "."), err)
	}
	return true, nil
}

// find returns the value at path, or nil when a member on the way is
// missing. A value on the way that is not an object is an error.
func (f *jsonFile) find(path []string) (*hujson.Value, error) {
	v := &f.root
	for i, name := range path {
		obj, ok := v.Value.(*hujson.Object)
		if !ok {
			return nil, fmt.Errorf("%q is not an object", strings.Join(path[:i], "."))
		}
		m := member(obj, name)
		if m == nil {
			return nil, nil
		}
		v = &m.Value
	}
	return v, nil
}

func member(obj *hujson.Object, name string) *hujson.ObjectMember {
	for i := range obj.Members {
		if lit, ok := obj.Members[i].Name.Value.(hujson.Literal); ok && lit.String() == name {
			return &obj.Members[i]
		}
	}
	return nil
}

// set puts v at path, creating the objects on the way. A value already
// there is replaced in place, keeping the comments around it.
func (f *jsonFile) set(path []string, v any) error {
	obj, depth, err := f.parent(path)
	if err != nil {
		return err
	}
	name := path[depth]
	rest := path[depth+1:]
	// Members missing on the way become one nested value.
	for i := len(rest) - 1; i >= 0; i-- {
		v = map[string]any{rest[i]: v}
	}
	if m := member(obj, name); m != nil {
		raw, err := f.encode(v, indentOf(m.Name.BeforeExtra, f.unit, depth+1), multiline(obj))
		if err != nil {
			return err
		}
		m.Value.Value = raw.Value
		return nil
	}
	return f.appendMember(obj, name, v, depth+1)
}

// parent walks path as far as its members exist and returns the deepest
// object found and how many names it took to reach it.
func (f *jsonFile) parent(path []string) (*hujson.Object, int, error) {
	v := &f.root
	for i, name := range path {
		obj, ok := v.Value.(*hujson.Object)
		if !ok {
			return nil, 0, fmt.Errorf("%q is not an object", strings.Join(path[:i], "."))
		}
		m := member(obj, name)
		if m == nil || i == len(path)-1 {
			return obj, i, nil
		}
		v = &m.Value
	}
	return nil, 0, errors.New("empty path")
}

// appendMember adds name: v as the object's last member, at depth levels
// of indentation, in the object's own style (one member a line, or all on
// one line).
func (f *jsonFile) appendMember(obj *hujson.Object, name string, v any, depth int) error {
	ml := multiline(obj)
	indent := strings.Repeat(f.unit, depth)
	if n := len(obj.Members); n > 0 {
		indent = indentOf(obj.Members[n-1].Name.BeforeExtra, f.unit, depth)
	}
	raw, err := f.encode(v, indent, ml)
	if err != nil {
		return err
	}
	nameJSON, _ := json.Marshal(name)
	m := hujson.ObjectMember{
		Name:  hujson.Value{Value: hujson.Literal(nameJSON)},
		Value: hujson.Value{BeforeExtra: hujson.Extra(" "), Value: raw.Value},
	}
	m.Name.BeforeExtra, obj.AfterExtra = f.placeLast(obj.AfterExtra, len(obj.Members) > 0, ml, indent, depth)
	if n := len(obj.Members); n > 0 && obj.Members[n-1].Value.AfterExtra != nil {
		m.Value.AfterExtra = hujson.Extra{} // keep the trailing comma
	}
	obj.Members = append(obj.Members, m)
	return nil
}

// appendElements adds vs at the end of the array at path (which must exist).
func (f *jsonFile) appendElements(path []string, vs ...any) error {
	val, err := f.find(path)
	if err != nil {
		return err
	}
	arr, ok := val.Value.(*hujson.Array)
	if !ok {
		return fmt.Errorf("%q is not a list", strings.Join(path, "."))
	}
	depth := len(path) + 1
	ml := false
	for _, e := range arr.Elements {
		ml = ml || bytes.ContainsRune(e.BeforeExtra, '\n')
	}
	ml = ml || len(arr.Elements) == 0
	indent := strings.Repeat(f.unit, depth)
	if n := len(arr.Elements); n > 0 {
		indent = indentOf(arr.Elements[n-1].BeforeExtra, f.unit, depth)
	}
	trailing := len(arr.Elements) > 0 && arr.Elements[len(arr.Elements)-1].AfterExtra != nil
	for _, v := range vs {
		raw, err := f.encode(v, indent, ml)
		if err != nil {
			return err
		}
		e := hujson.Value{Value: raw.Value}
		e.BeforeExtra, arr.AfterExtra = f.placeLast(arr.AfterExtra, len(arr.Elements) > 0, ml, indent, depth)
		if trailing {
			e.AfterExtra = hujson.Extra{}
		}
		arr.Elements = append(arr.Elements, e)
	}
	return nil
}

// placeLast returns what goes before a new last member or element, and
// what then goes before the closing bracket: a comment that followed the
// old last one on its line stays there.
func (f *jsonFile) placeLast(after hujson.Extra, hasSiblings, ml bool, indent string, depth int) (before, closing hujson.Extra) {
	if !ml {
		if hasSiblings {
			return hujson.Extra(" "), after
		}
		return nil, after
	}
	sameLine := after
	rest := hujson.Extra(nil)
	if i := bytes.IndexByte(after, '\n'); i >= 0 {
		sameLine, rest = after[:i], after[i:]
	}
	if len(bytes.TrimSpace(rest)) == 0 {
		rest = hujson.Extra("\n" + strings.Repeat(f.unit, depth-1))
	}
	return hujson.Extra(string(sameLine) + "\n" + indent), rest
}

// encode marshals v as a value starting at indent, on several lines when
// ml is set.
func (f *jsonFile) encode(v any, indent string, ml bool) (hujson.Value, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if ml {
		enc.SetIndent(indent, f.unit)
	}
	if err := enc.Encode(v); err != nil {
		return hujson.Value{}, err
	}
	out := bytes.TrimSpace(b.Bytes())
	if !ml {
		// One line, with the spaces a person would type.
		out = compactSpaced(out)
	}
	return hujson.Parse(out)
}

// compactSpaced puts a space after each colon and comma of compact JSON,
// outside strings.
func compactSpaced(b []byte) []byte {
	var out []byte
	inString, escaped := false, false
	for _, c := range b {
		out = append(out, c)
		switch {
		case escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case c == '"':
			inString = !inString
		case !inString && (c == ':' || c == ','):
			out = append(out, ' ')
		}
	}
	return out
}

// multiline reports whether an object puts its members on lines of their
// own. An empty object will.
func multiline(obj *hujson.Object) bool {
	if len(obj.Members) == 0 {
		return true
	}
	for _, m := range obj.Members {
		if bytes.ContainsRune(m.Name.BeforeExtra, '\n') {
			return true
		}
	}
	return false
}

// indentOf returns the indentation that follows the last newline of
// before, or depth units when there is none.
func indentOf(before hujson.Extra, unit string, depth int) string {
	if i := bytes.LastIndexByte(before, '\n'); i >= 0 {
		if ind := string(before[i+1:]); strings.Trim(ind, " \t") == "" {
			return ind
		}
	}
	return strings.Repeat(unit, depth)
}

// sameJSON compares a decoded JSON value with one about to be encoded.
func sameJSON(decoded any, v any) bool {
	raw, err := json.Marshal(v)
	if err != nil {
		return false
	}
	var norm any
	if json.Unmarshal(raw, &norm) != nil {
		return false
	}
	return reflect.DeepEqual(decoded, norm)
}
