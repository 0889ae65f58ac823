package tools

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
)

// A call's arguments are checked against the tool's declared input schema
// before its handler runs, with mcp-go's validator (santhosh-tekuri's
// jsonschema, linked already), and refused with a plain message an agent
// can act on: "limit must be a whole number between 1 and 100, got 5.5".
// An argument the tool does not take is refused too, naming the ones it
// does: agents write maxResults for limit, and a silently ignored argument
// gives a silently wrong answer.

// argSchemas holds each tool's compiled input schema, by tool name.
var argSchemas sync.Map

func argSchema(def mcp.Tool) (*jsonschema.Schema, error) {
	if s, ok := argSchemas.Load(def.Name); ok {
		return s.(*jsonschema.Schema), nil
	}
	raw, err := json.Marshal(def.InputSchema)
	if err != nil {
		return nil, err
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	url := "mem:///" + def.Name + ".json"
	if err := c.AddResource(url, doc); err != nil {
		return nil, err
	}
	s, err := c.Compile(url)
	if err != nil {
		return nil, fmt.Errorf("input schema of %s: %w", def.Name, err)
	}
	argSchemas.Store(def.Name, s)
	return s, nil
}

// checkArgs returns a call's arguments as JSON once they fit def's input
// schema, or a result telling the agent what is wrong.
func checkArgs(def mcp.Tool, args any) ([]byte, *mcp.CallToolResult, error) {
	if args == nil {
		args = map[string]any{}
	}
	raw, err := json.Marshal(args)
	if err != nil {
		return nil, errorResult(KindInvalidInput, "arguments could not be read: "+err.Error()), nil
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	obj, isObj := doc.(map[string]any)
	if err != nil || !isObj {
		return nil, errorResult(KindInvalidInput, "arguments must be a JSON object of named arguments: "+argNames(def)), nil
	}
	for _, name := range slices.Sorted(maps.Keys(obj)) {
		if _, ok := def.InputSchema.Properties[name]; !ok {
			return nil, errorResult(KindInvalidInput, unknownArg(def, name)), nil
		}
	}
	s, err := argSchema(def)
	if err != nil {
		return nil, nil, err // a broken schema is a bug
	}
	if err := s.Validate(doc); err != nil {
		var ve *jsonschema.ValidationError
		if !errors.As(err, &ve) {
			return nil, nil, err
		}
		return nil, errorResult(KindInvalidInput, argProblem(def, doc, firstLeaf(ve))), nil
	}
	return raw, nil, nil
}

func argNames(def mcp.Tool) string {
	names := slices.Sorted(maps.Keys(def.InputSchema.Properties))
	for i, n := range names {
		if slices.Contains(def.InputSchema.Required, n) {
			names[i] += " (required)"
		}
	}
	return def.Name + " takes " + strings.Join(names, ", ") + "."
}

// argSynonyms are what agents write for arguments, from other Jira APIs.
var argSynonyms = map[string]string{
	"maxresults": "limit", "max_results": "limit", "max": "limit", "count": "limit", "size": "limit",
	"startat": "start_at", "offset": "start_at",
	"issuekey": "issue_key", "key": "issue_key", "issue": "issue_key", "id": "issue_key",
	"query": "jql", "text": "body", "comment": "body",
}

func unknownArg(def mcp.Tool, name string) string {
	msg := fmt.Sprintf("%s does not take %q. ", def.Name, clipValue(name))
	lower := strings.ToLower(strings.ReplaceAll(name, "-", "_"))
	for _, guess := range []string{lower, argSynonyms[lower], argSynonyms[strings.ReplaceAll(lower, "_", "")]} {
		if _, ok := def.InputSchema.Properties[guess]; ok && guess != name {
			msg += fmt.Sprintf("Did you mean %s? ", guess)
			break
		}
	}
	return msg + "It " + strings.TrimPrefix(argNames(def), def.Name+" ")
}

// firstLeaf returns the first most specific error of a validation.
func firstLeaf(ve *jsonschema.ValidationError) *jsonschema.ValidationError {
	for len(ve.Causes) > 0 {
		ve = ve.Causes[0]
	}
	return ve
}

// argProblem says what is wrong at the error's place, in words.
func argProblem(def mcp.Tool, doc any, ve *jsonschema.ValidationError) string {
	path := ve.InstanceLocation
	name := strings.Join(path, ".")
	schema := schemaAt(def.InputSchema.Properties, path)
	switch k := ve.ErrorKind.(type) {
	case *kind.Required:
		missing := strings.Join(path, ".")
		if missing != "" {
			missing += "."
		}
		missing += k.Missing[0]
		s := schemaAt(def.InputSchema.Properties, append(slices.Clone(path), k.Missing[0]))
		if d, _ := s["description"].(string); d != "" {
			return fmt.Sprintf("%s is required (%s).", missing, d)
		}
		return missing + " is required."
	case *kind.AdditionalProperties:
		props, _ := schema["properties"].(map[string]any)
		return fmt.Sprintf("%s does not take %q; it takes %s.", name, clipValue(k.Properties[0]), strings.Join(slices.Sorted(maps.Keys(props)), ", "))
	}
	got := valueAt(doc, path)
	if str, ok := got.(string); ok && utf8.RuneCountInString(str) > 40 {
		return fmt.Sprintf("%s must be %s, got %d characters.", name, describe(schema), utf8.RuneCountInString(str))
	}
	return fmt.Sprintf("%s must be %s, got %s.", name, describe(schema), valueText(got))
}

// schemaAt finds the schema of the argument at path.
func schemaAt(props map[string]any, path []string) map[string]any {
	var s map[string]any
	for _, p := range path {
		if _, err := strconv.Atoi(p); err == nil && s != nil {
			continue // an item of a list: s is its items' schema already
		}
		s, _ = props[p].(map[string]any)
		if items, ok := s["items"].(map[string]any); ok && s["type"] == "array" && len(path) > 1 {
			s = items
		}
		props, _ = s["properties"].(map[string]any)
	}
	return s
}

func valueAt(doc any, path []string) any {
	for _, p := range path {
		switch d := doc.(type) {
		case map[string]any:
			doc = d[p]
		case []any:
			var i int
			fmt.Sscan(p, &i)
			if i >= 0 && i < len(d) {
				doc = d[i]
			}
		}
	}
	return doc
}

// describe says in words what a schema accepts.
func describe(s map[string]any) string {
	if enum, ok := s["enum"].([]string); ok {
		return "one of " + strings.Join(enum, ", ")
	}
	var what string
	switch s["type"] {
	case "integer":
		what = "a whole number"
	case "number":
		what = "a number"
	case "boolean":
		what = "true or false"
	case "object":
		what = "an object"
	case "array":
		what = "a list"
		if items, ok := s["items"].(map[string]any); ok && items["type"] == "string" {
			what = "a list of strings"
		}
	default:
		what = "a string"
		if n, ok := s["minLength"].(int); ok && n > 0 {
			what = "a non-empty string"
		}
		if n, ok := s["maxLength"].(int); ok {
			what += fmt.Sprintf(" of at most %d characters", n)
		}
	}
	lo, hasLo := number(s["minimum"])
	hi, hasHi := number(s["maximum"])
	switch {
	case hasLo && hasHi:
		what += fmt.Sprintf(" between %g and %g", lo, hi)
	case hasLo:
		what += fmt.Sprintf(" of %g or more", lo)
	case hasHi:
		what += fmt.Sprintf(" of %g or less", hi)
	}
	return what
}

// number reads a number that a schema option stored with its Go type.
func number(v any) (float64, bool) {
	switch n := v.(type) {
	case int:
		return float64(n), true
	case int64:
		return float64(n), true
	case float64:
		return n, true
	}
	return 0, false
}

// valueText shows a value as JSON, cut short: it may be anything.
func valueText(v any) string {
	if n, ok := v.(json.Number); ok {
		return clipValue(n.String())
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "an unreadable value"
	}
	return clipValue(string(b))
}

func clipValue(s string) string { return truncate(oneLine(s), 40) }
