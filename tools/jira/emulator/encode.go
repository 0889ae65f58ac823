package emulator

import (
	"bytes"
	"encoding/json"
	"slices"
)

// appendJSON encodes v like encoding/json (sorted object keys, no HTML
// escaping) but copies json.RawMessage values verbatim: the cached objects
// are already compact, and re-validating them dominated a search's cost.
func appendJSON(buf *bytes.Buffer, v any) error {
	switch x := v.(type) {
	case json.RawMessage:
		buf.Write(x)
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		buf.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				buf.WriteByte(',')
			}
			if err := appendScalar(buf, k); err != nil {
				return err
			}
			buf.WriteByte(':')
			if err := appendJSON(buf, x[k]); err != nil {
				return err
			}
		}
		buf.WriteByte('}')
	case []any:
		buf.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				buf.WriteByte(',')
			}
			if err := appendJSON(buf, e); err != nil {
				return err
			}
		}
		buf.WriteByte(']')
	case nil:
		buf.WriteString("null")
	default:
		return appendScalar(buf, v)
	}
	return nil
}

func appendScalar(buf *bytes.Buffer, v any) error {
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	buf.Truncate(buf.Len() - 1) // Encode's newline
	return nil
}
