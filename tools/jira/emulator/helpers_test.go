package emulator

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"
)

// testNow is the fixed clock every test runs on.
var testNow = time.Date(2026, 1, 31, 12, 0, 0, 0, time.UTC)

func testClock() time.Time { return testNow }

func newTestServer(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s := NewServer(append([]Option{WithClock(testClock)}, opts...)...)
	t.Cleanup(s.Close)
	return s
}

type apiResponse struct {
	status int
	header http.Header
	body   []byte
}

func (r apiResponse) json(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("body is not a JSON object: %v\n%s", err, r.body)
	}
	return m
}

// apiCall sends one request to s as the holder of token ("" for none).
func apiCall(t testing.TB, s *Server, token, method, path string, body any) apiResponse {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = bytes.NewBufferString(b)
	default:
		buf, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(buf)
	}
	req, err := http.NewRequest(method, s.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := s.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return apiResponse{resp.StatusCode, resp.Header, b}
}

// errorBody decodes Jira's error collection.
func errorBody(t testing.TB, r apiResponse) (msgs []string, errs map[string]string) {
	t.Helper()
	var b struct {
		ErrorMessages []string          `json:"errorMessages"`
		Errors        map[string]string `json:"errors"`
	}
	if err := json.Unmarshal(r.body, &b); err != nil || b.ErrorMessages == nil || b.Errors == nil {
		t.Fatalf("not a Jira error collection (%v): %s", err, r.body)
	}
	return b.ErrorMessages, b.Errors
}

func searchKeys(t testing.TB, r apiResponse) []string {
	t.Helper()
	var b struct {
		Issues []struct{ Key string }
	}
	if err := json.Unmarshal(r.body, &b); err != nil {
		t.Fatal(err)
	}
	keys := make([]string, len(b.Issues))
	for i, is := range b.Issues {
		keys[i] = is.Key
	}
	return keys
}
