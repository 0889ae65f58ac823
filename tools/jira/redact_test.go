package jira

import "testing"

// Prose that names a password or an authorization is not a secret: the
// pattern once turned "needs a password: run from a terminal" into
// "needs a password: [redacted] from a terminal".
func TestRedactKeepsProse(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"the file keyring needs a password: run from a terminal", ""},
		{"login: Jira refused the authorization: invalid_grant", ""},
		{"Authorization: Bearer abc.def-ghi_jkl", "Authorization: [redacted]"},
		{"Proxy-Authorization: Basic dXNlcjpwYXNz", "Proxy-Authorization: [redacted]"},
		{"password=hunter2&user=a", "password=[redacted]&user=a"},
		{`{"password": "hunter2"}`, `{"password": "[redacted]"}`},
		{"refresh_token: r3fr3sh", "refresh_token: [redacted]"},
		{"Authorization:token abc123", "Authorization:[redacted]"},
	} {
		want := c.want
		if want == "" {
			want = c.in
		}
		if got := Redact(c.in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", c.in, got, want)
		}
	}
}
