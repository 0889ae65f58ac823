package auth

import (
	"strings"
	"testing"
)

// Validate applies the site's base URL rule (tools/jira/site, tested there)
// and never echoes a password put in the Jira or the redirect URL.
func TestValidateNeverEchoesAPassword(t *testing.T) {
	valid := Settings{URL: "https://jira.example.com", ClientID: "id"}
	for _, change := range []func(*Settings){
		func(s *Settings) { s.URL = "https://bob:hunter2@jira.example.com" },
		func(s *Settings) { s.URL = "https://bob:hunter2@jira.example.com:bad" },
		func(s *Settings) { s.URL = "bob:hunter2@jira.example.com" },
		func(s *Settings) { s.URL = "http://bob:hunter2@jira.example.com/jira" },
		func(s *Settings) { s.RedirectURL = "http://bob:hunter2@example.com/callback" },
		func(s *Settings) { s.RedirectURL = "http://bob:hunter2@127.0.0.1:bad/callback" },
	} {
		s := valid
		change(&s)
		err := s.Validate()
		if err == nil {
			t.Errorf("%+v accepted", s)
			continue
		}
		if strings.Contains(err.Error(), "hunter2") {
			t.Errorf("error echoes the password: %v", err)
		}
	}
}
