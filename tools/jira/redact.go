package jira

import "regexp"

// secretPatterns find credentials that an error's text may carry: a proxy
// page echoing request headers, a transport error quoting a token answer.
// Each keeps its label (group 1) and loses the value.
var secretPatterns = []*regexp.Regexp{
	// A labelled secret: a form or JSON field, or a header without a space
	// after its colon, with its scheme. "password" and "authorization" are
	// English words too: "needs a password: run ..." or "refused the
	// authorization: invalid_grant" is prose, not a secret, so a colon
	// followed by a space takes a quoted value here...
	regexp.MustCompile(`(?i)(\b(?:proxy-)?(?:authorization|access_token|refresh_token|id_token|client_secret|code_verifier|password)(?:["']?\s*=\s*["']?|["']\s*:\s*["']?|:["']?|:\s+["']))(?:(?:bearer|basic|token)\s+)?[^\s"'&,;}]+`),
	// ...or a scheme (a header as a proxy echoes it)...
	regexp.MustCompile(`(?i)(\b(?:proxy-)?(?:authorization|password)\s*:\s*)(?:bearer|basic|token)\s+[^\s"'&,;}]+`),
	// ...while the protocol's own names are never prose.
	regexp.MustCompile(`(?i)(\b(?:access_token|refresh_token|id_token|client_secret|code_verifier)\s*:\s*)[^\s"'&,;}]+`),
	// A credential after its scheme.
	regexp.MustCompile(`(?i)(\b(?:bearer|basic)\s+)[A-Za-z0-9._~+/-]{8,}=*`),
	// A JSON Web Token, wherever it is.
	regexp.MustCompile(`()\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}`),
}

// Redact replaces the credentials found in s (see secretPatterns) with
// "[redacted]". Texts that reach an agent or a log from outside the
// program (transport errors, non-JSON error pages) go through it.
func Redact(s string) string {
	for _, re := range secretPatterns {
		s = re.ReplaceAllString(s, "${1}[redacted]")
	}
	return s
}
