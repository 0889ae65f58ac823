package tools

import (
	"strings"
	"testing"

	"github.com/jira-mcp/jira-mcp/tools/jira"
)

func TestCredentialIn(t *testing.T) {
	cases := []struct {
		name, text, want string
	}{
		{"RSA private key", "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA", "a private key"},
		{"PKCS#8 private key", "key:\n-----BEGIN PRIVATE KEY-----\nMIIE", "a private key"},
		{"OpenSSH private key", "-----BEGIN OPENSSH PRIVATE KEY-----", "a private key"},
		{"EC private key", "-----BEGIN EC PRIVATE KEY-----", "a private key"},
		{"Authorization bearer", "curl -H 'Authorization: Bearer abcdefghijklmnop1234' https://jira", "an Authorization header"},
		{"Authorization basic", "authorization: basic dXNlcjpodW50ZXIyMDI2IQ==", "an Authorization header"},
		{"bearer token", "token is Bearer " + strings.Repeat("aZ09", 9), "a bearer token"},
		{"AWS access key", "AKIAIOSFODNN7EXAMPLE in the config", "an AWS access key"},
		{"AWS session key", "id ASIAY34FZKBOKMUTVV7A", "an AWS access key"},
		{"GitHub classic", "ghp_0123456789abcdefghijABCDEFGHIJ012345", "a GitHub token"},
		{"GitHub OAuth", "gho_0123456789abcdefghijABCDEFGHIJ012345", "a GitHub token"},
		{"GitHub fine-grained", "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUV", "a GitHub token"},
		{"Slack", "xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOp", "a Slack token"},
		{"JWT", "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c", "a JSON Web Token"},

		{"prose", "Deployed to staging; the checkout form now autocompletes addresses. Please review.", ""},
		{"commit hash", "Fixed in 3f2c1e9b8a7d6c5b4a3928170f6e5d4c3b2a1908 on main.", ""},
		{"SHA-256", "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", ""},
		{"UUID", "Trace id 123e4567-e89b-12d3-a456-426614174000 in the logs.", ""},
		{"bearer token in prose", "Bearer token rotation is scheduled for Q3; the Authorization header format stays the same.", ""},
		{"Authorization header in prose", "Check the Authorization: Bearer header is forwarded by the proxy.", ""},
		{"wiki markup", "h2. Steps\n# open {{/checkout}}\n# click *Pay*\n{code:java}\nString token = config.get(\"token\");\n{code}\n[~alice] see [WEB-1|https://jira.example.com/browse/WEB-1] and {noformat}BEGIN PRIVATE{noformat}", ""},
		{"key prefixes named", "AWS keys start with AKIA, GitHub's with ghp_, Slack's with xoxb-.", ""},
		{"short eyJ", "eyJhbGciOi is how a JWT header starts", ""},
		{"public key", "-----BEGIN PUBLIC KEY-----\nMIIBIjANBg", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := credentialIn(c.text); got != c.want {
				t.Errorf("credentialIn(%q) = %q, want %q", c.text, got, c.want)
			}
		})
	}
}

func TestCommentInput(t *testing.T) {
	cases := []struct {
		name string
		body string
		vis  *jira.Visibility
		want *jira.Visibility
		msg  string
	}{
		{"plain", "Looks good.", nil, nil, ""},
		{"role, normalized", "x", &jira.Visibility{Type: " Role ", Value: " Developers "}, &jira.Visibility{Type: "role", Value: "Developers"}, ""},
		{"group", "x", &jira.Visibility{Type: "GROUP", Value: "security-team"}, &jira.Visibility{Type: "group", Value: "security-team"}, ""},
		{"empty body", " \n\t", nil, nil, "body is empty"},
		{"credential", "pass Bearer " + strings.Repeat("x1", 20), nil, nil, "seems to contain a credential (a bearer token)"},
		{"bad type", "x", &jira.Visibility{Type: "user", Value: "bob"}, nil, `visibility.type must be "group" or "role" (got "user")`},
		{"no value", "x", &jira.Visibility{Type: "role", Value: "  "}, nil, "visibility.value must name the group or project role"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in, msg := commentInput(c.body, c.vis)
			if c.msg != "" {
				if in != nil || !strings.Contains(msg, c.msg) {
					t.Errorf("got %+v %q, want message %q", in, msg, c.msg)
				}
				if strings.Contains(msg, "x1x1x1") {
					t.Errorf("the refusal repeats the credential: %q", msg)
				}
				return
			}
			if msg != "" || in == nil || in.Body != c.body {
				t.Fatalf("got %+v %q", in, msg)
			}
			if (in.Visibility == nil) != (c.want == nil) || in.Visibility != nil && *in.Visibility != *c.want {
				t.Errorf("visibility %+v, want %+v", in.Visibility, c.want)
			}
		})
	}
}

func TestCredentialInProse(t *testing.T) {
	for _, s := range []string{
		"Document the bearer token-refresh-and-rotation-procedure-for-partners in the runbook.",
		"Authorization: Bearer <token> goes in the header, see the wiki.",
	} {
		if what := credentialIn(s); what != "" {
			t.Errorf("%q flagged as %s", s, what)
		}
	}
	if what := credentialIn("curl -H 'Authorization: Bearer 9f8e7d6c5b4a39281706f5e4d3c2b1a0'"); what == "" {
		t.Error("a real-looking bearer token was not flagged")
	}
}

func TestCredentialInURLsAndGitLab(t *testing.T) {
	for _, s := range []string{
		"connect with postgres://admin:S3cretPass@db.internal:5432/shop",
		"cloned https://alice:glpat-abcdefghij0123456789@gitlab.example.com/x.git",
		"token glpat-abcdefghij0123456789xyz",
	} {
		if credentialIn(s) == "" {
			t.Errorf("%q not flagged", s)
		}
	}
	for _, s := range []string{
		"see https://jira.example.com/browse/WEB-2 and mailto:bob@example.com",
		"use postgres://<user>:<password>@host/db as the template",
		"ssh git@github.com:org/repo.git",
	} {
		if what := credentialIn(s); what != "" {
			t.Errorf("%q flagged as %s", s, what)
		}
	}
}
