package auth

import (
	"os"
	"path/filepath"
	"runtime"
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

// The config file is 0600 after every save, even when someone widened it.
func TestSaveConfigMode(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix modes")
	}
	path := filepath.Join(t.TempDir(), "sub", "config.json")
	for _, before := range []os.FileMode{0, 0o644} {
		if before != 0 {
			if err := os.Chmod(path, before); err != nil {
				t.Fatal(err)
			}
		}
		if err := SaveConfig(Settings{ConfigPath: path, URL: "https://jira.example.com", ClientID: "id"}); err != nil {
			t.Fatal(err)
		}
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("mode %v after a save over %v, want 0600", fi.Mode().Perm(), before)
		}
		s, err := LoadConfig(path)
		if err != nil || s.URL != "https://jira.example.com" || s.ClientID != "id" {
			t.Errorf("read back %+v, %v", s, err)
		}
	}
}
