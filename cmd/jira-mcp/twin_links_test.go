package main

import (
	"strings"
	"testing"
)

// The link and worklog tools as commands: url is positional, since --url
// is the Jira URL.
func TestTwinLinksAndWorklogs(t *testing.T) {
	for _, tt := range []struct {
		stdin string
		args  []string
		want  string
	}{
		{"", []string{"link", "WEB-5", "is blocked by", "WEB-6", "--demo"}, "Linked: WEB-5 is blocked by WEB-6."},
		{"", []string{"remote-link", "WEB-3", "https://git.example.test/c/a1b2c3d", "a1b2c3d Fix", "--relationship", "fixed by", "--demo"}, `Linked WEB-3 to https://git.example.test/c/a1b2c3d: "a1b2c3d Fix" (remote link 10002).`},
		{"Paired.\n", []string{"worklog", "WEB-3", "1h 30m", "--comment", "-", "--estimate", "leave", "--started", "2026-01-30T10:00Z", "--demo"}, "Logged 1h 30m on WEB-3 (worklog 10002), started 2026-01-30 10:00 +0000; the remaining estimate was left as it was."},
		{"", []string{"issue", "WEB-3", "--include", "links,remote_links", "--comment-limit", "0", "--demo"}, "\n\nLinks (1):\nWEB-3 is blocked by OPS-1 [To Do]"},
	} {
		out, errOut, code := runCLI(tt.stdin, tt.args...)
		if code != 0 || !strings.Contains(out, tt.want) {
			t.Errorf("%q: %d %q %q", tt.args, code, out, errOut)
		}
	}
}
