package jql

import (
	"encoding/json"
	"os"
	"sync"
	"testing"
	"time"
)

// testdata/alice.json is what alice's queries see of the emulator's seed
// (see the package emulator's doc) at testNow; the emulator's
// TestJQLFixtureIsTheSeed keeps it so.
var (
	fixtureOnce sync.Once
	fixtureData []byte
	fixtureErr  error
)

// testNow is the clock of the fixture.
var testNow = time.Date(2026, 1, 31, 12, 0, 0, 0, time.UTC)

// Custom field ids of the fixture.
const (
	storyPoints = "customfield_10002"
	reviewTeam  = "customfield_10005"
	team        = "customfield_10006"
	teamText    = "customfield_10007"
)

// fixture is a fresh copy of the test data, with the fixture's clock.
func fixture(t *testing.T) *Data {
	t.Helper()
	fixtureOnce.Do(func() { fixtureData, fixtureErr = os.ReadFile("testdata/alice.json") })
	if fixtureErr != nil {
		t.Fatal(fixtureErr)
	}
	var d Data
	if err := json.Unmarshal(fixtureData, &d); err != nil {
		t.Fatal(err)
	}
	if !d.Now.Equal(testNow) || d.User != "alice" || len(d.Issues) != 226 {
		t.Fatalf("fixture: now %v, user %q, %d issues; want %v, alice, 226", d.Now, d.User, len(d.Issues), testNow)
	}
	return &d
}

func hasPoints(is *Issue) bool { _, ok := is.Numbers[storyPoints]; return ok }

func hasTeam(is *Issue) bool { _, ok := is.Options[team]; return ok }
