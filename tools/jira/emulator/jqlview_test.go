package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"net/http"
	"os"
	"slices"
	"testing"
)

var updateFixture = flag.Bool("update-jql-fixture", false, "rewrite jql/testdata/alice.json from the seed")

const jqlFixture = "jql/testdata/alice.json"

// TestJQLFixtureIsTheSeed keeps package jql's test data equal to what
// alice's queries see of the seed at the test clock, so the JQL tests
// there run on the data the emulator serves. After a change to the seed,
// run: go test ./tools/jira/emulator -run TestJQLFixture -update-jql-fixture
func TestJQLFixtureIsTheSeed(t *testing.T) {
	db := seed(testClock)
	got := fixtureJSON(t, db.jqlData(db.users["alice"]))
	if *updateFixture {
		if err := os.WriteFile(jqlFixture, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(jqlFixture)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is not alice's view of the seed; rerun with -update-jql-fixture and review the diff", jqlFixture)
	}
}

// fixtureJSON encodes v with one issue a line, for readable diffs.
func fixtureJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	var issues []json.RawMessage
	if err := json.Unmarshal(m["Issues"], &issues); err != nil {
		t.Fatal(err)
	}
	delete(m, "Issues")
	head, err := json.MarshalIndent(m, "", "\t")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	buf.Write(head[:len(head)-2]) // up to the closing brace
	buf.WriteString(",\n\t\"Issues\": [\n")
	for i, is := range issues {
		buf.WriteString("\t\t")
		buf.Write(is)
		if i < len(issues)-1 {
			buf.WriteByte(',')
		}
		buf.WriteByte('\n')
	}
	buf.WriteString("\t]\n}\n")
	return buf.Bytes()
}

// TestJQLPermissions checks that a query sees only what its user may
// browse: a project, its issues, components, versions and restricted
// comments that the user may not see do not exist for it.
func TestJQLPermissions(t *testing.T) {
	db := seed(testClock)
	alice, dave := db.users["alice"], db.users["dave"]
	for _, tt := range []struct {
		jql  string
		want []string
	}{
		{"project = SEC", []string{"The value 'SEC' does not exist for the field 'project'."}},
		{"key = SEC-1", []string{"An issue with key 'SEC-1' does not exist for field 'key'."}},
		{"component = Triage", []string{"The value 'Triage' does not exist for the field 'component'."}},
		{"fixVersion in releasedVersions(SEC)", []string{"Could not resolve the project 'SEC' provided to function 'releasedVersions'."}},
	} {
		t.Run(tt.jql, func(t *testing.T) {
			_, err := db.search(alice, searchQuery{jql: tt.jql, validate: true})
			var ae *apiError
			if !errors.As(err, &ae) || ae.status != http.StatusBadRequest || !slices.Equal(ae.messages, tt.want) {
				t.Errorf("err = %v, want 400 %q", err, tt.want)
			}
		})
	}
	keys := func(u *user, q string) []string {
		t.Helper()
		res, err := db.search(u, searchQuery{jql: q, validate: true})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, is := range res.hits {
			out = append(out, is.key)
		}
		return out
	}
	// dave's comment on WEB-2 is restricted to security-team.
	if got := keys(alice, `comment ~ "security review"`); len(got) != 0 {
		t.Errorf("alice finds %v by dave's restricted comment", got)
	}
	if got := keys(dave, `comment ~ "security review"`); !slices.Equal(got, []string{"WEB-2"}) {
		t.Errorf("dave finds %v by his comment, want WEB-2", got)
	}
	if got := keys(dave, `project = SEC AND comment ~ "embargo" OR key = SEC-1`); len(got) == 0 || got[0][:4] != "SEC-" {
		t.Errorf("dave should find SEC issues, got %v", got)
	}
}

// TestSearchSeesChanges checks that searches see transitions and new
// comments at once (the JQL view is cached between changes).
func TestSearchSeesChanges(t *testing.T) {
	s := newTestServer(t)
	count := func(jql string) int {
		t.Helper()
		return len(searchKeys(t, apiCall(t, s, DefaultToken, "POST", "/rest/api/2/search", map[string]any{"jql": jql})))
	}
	if n := count("key = WEB-2 AND status = Done"); n != 0 {
		t.Fatalf("WEB-2 is Done before the transition (%d)", n)
	}
	if r := apiCall(t, s, DefaultToken, "POST", "/rest/api/2/issue/WEB-2/transitions", map[string]any{
		"transition": map[string]any{"id": "31"}, "fields": map[string]any{"resolution": map[string]any{"name": "Fixed"}},
	}); r.status != http.StatusNoContent {
		t.Fatalf("transition: %d %s", r.status, r.body)
	}
	if n := count("key = WEB-2 AND status = Done AND resolution = Fixed"); n != 1 {
		t.Errorf("search does not see the transition (%d)", n)
	}
	if r := apiCall(t, s, DefaultToken, "POST", "/rest/api/2/issue/WEB-3/comment", map[string]any{"body": "zebra crossing"}); r.status != http.StatusCreated {
		t.Fatalf("comment: %d %s", r.status, r.body)
	}
	if n := count("comment ~ zebra"); n != 1 {
		t.Errorf("search does not see the new comment (%d)", n)
	}
}
