package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strings"
)

// This file is the encoding layer: JSON out (appendJSON, writeJSON, Jira's
// error collection) and strict JSON in (decodeStrict).

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

// Answers.

// apiError is an answer in Jira's error collection, with Jira's own
// wording: what decoding and the state layer return when they refuse a
// request. Its text is Jira's, capitalised, so it is carried as fields
// rather than as a Go error string.
type apiError struct {
	status   int
	messages []string          // errorMessages
	errors   map[string]string // errors, by field
}

func (e *apiError) Error() string {
	parts := append([]string{}, e.messages...)
	for _, k := range slices.Sorted(maps.Keys(e.errors)) {
		parts = append(parts, k+": "+e.errors[k])
	}
	return fmt.Sprintf("jira %d: %s", e.status, strings.Join(parts, "; "))
}

// badRequest is a 400 with errorMessages.
func badRequest(msgs ...string) *apiError {
	return &apiError{status: http.StatusBadRequest, messages: msgs}
}

// fieldErrors is a 400 with errors by field.
func fieldErrors(errs map[string]string) *apiError {
	return &apiError{status: http.StatusBadRequest, errors: errs}
}

func notFound(msg string) *apiError {
	return &apiError{status: http.StatusNotFound, messages: []string{msg}}
}

// writeError answers err: an *apiError as Jira's error collection,
// anything else as a 500.
func writeError(w http.ResponseWriter, err error) {
	var ae *apiError
	if errors.As(err, &ae) {
		jiraError(w, ae.status, ae.messages, ae.errors)
		return
	}
	jiraError(w, http.StatusInternalServerError, []string{err.Error()}, nil)
}

// jiraError writes Jira's error collection.
func jiraError(w http.ResponseWriter, status int, msgs []string, errs map[string]string) {
	if msgs == nil {
		msgs = []string{}
	}
	if errs == nil {
		errs = map[string]string{}
	}
	writeJSON(w, status, map[string]any{"errorMessages": msgs, "errors": errs})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	if err := appendJSON(&buf, v); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.Header().Set("Cache-Control", "no-cache, no-store, no-transform")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// answer runs f with the data locked, then writes what it returns as JSON
// with status, or its error as Jira does. f renders its answer while it
// holds the lock; the encoding happens after.
func (e *Emulator) answer(w http.ResponseWriter, status int, f func(db *database) (any, error)) {
	e.mu.Lock()
	v, err := f(e.db)
	e.mu.Unlock()
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, status, v)
}

// Requests.

// decodeStrict decodes a JSON body, rejecting unknown properties as Jira's
// Jackson beans do. Its error is Jira's 400, in Jackson's words.
func decodeStrict(body io.Reader, v any) error {
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return badRequest(jacksonMessage(err))
	}
	if dec.More() {
		return badRequest("Unexpected content after the JSON value")
	}
	return nil
}

// jacksonMessage words a decoding error as Jackson does.
func jacksonMessage(err error) string {
	if errors.Is(err, io.EOF) {
		return "No content to map to Object due to end of input"
	}
	if f, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return fmt.Sprintf("Unrecognized field %s, not marked as ignorable", f)
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Sprintf("Can not deserialize instance of %s out of %s token", te.Type, strings.ToUpper(te.Value))
	}
	return fmt.Sprintf("Unexpected character: %v", err)
}
