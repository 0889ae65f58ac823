package auth

import (
	"strings"
	"testing"
)

func TestParseBaseURLNeverEchoesAPassword(t *testing.T) {
	for _, raw := range []string{
		"https://bob:hunter2@jira.example.com",
		"https://bob:hunter2@jira.example.com:bad",
		"bob:hunter2@jira.example.com",
		"http://bob:hunter2@jira.example.com/jira",
	} {
		_, err := parseBaseURL(raw)
		if err == nil {
			t.Errorf("%q accepted", raw)
			continue
		}
		if strings.Contains(err.Error(), "hunter2") {
			t.Errorf("%q: error echoes the password: %v", raw, err)
		}
	}
}
