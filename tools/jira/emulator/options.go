package emulator

import (
	"errors"
	"net/http"
	"strings"
	"time"
)

// DefaultToken is the bearer token an emulator accepts unless configured
// otherwise. It authenticates as DefaultUser.
const (
	DefaultToken = "emulator-access-token"
	DefaultUser  = "alice"
)

// Errors a tokenValidator returns; both answer 401 as Jira does.
var (
	errTokenInvalid = errors.New("emulator: invalid token")
	errTokenExpired = errors.New("emulator: token expired")
)

// tokenValidator maps a bearer token to the user it authenticates.
type tokenValidator interface {
	ValidateToken(token string) (username string, err error)
}

// Option configures an Emulator.
type Option func(*Emulator)

// withTokenValidator replaces the static token check.
func withTokenValidator(v tokenValidator) Option {
	return func(e *Emulator) { e.validator = v }
}

// withToken makes token authenticate as username (in addition to others
// added the same way). The first withToken replaces the seed's tokens
// (DefaultToken and the others Token names).
func withToken(token, username string) Option {
	return func(e *Emulator) {
		st, ok := e.validator.(staticTokens)
		if !ok || !e.tokensSet {
			st = staticTokens{}
			e.tokensSet = true
		}
		st[token] = username
		e.validator = st
	}
}

// withHandler mounts h at pattern (http.ServeMux syntax) ahead of the REST
// API, without authentication; the OAuth provider is mounted this way.
func withHandler(pattern string, h http.Handler) Option {
	return func(e *Emulator) { e.extra = append(e.extra, mount{pattern, h}) }
}

// WithClock sets the emulator's clock. The seed's timestamps are relative to
// the clock's time when New runs, and JQL's relative dates ("-7d", now())
// and new comments use it too.
func WithClock(now func() time.Time) Option {
	return func(e *Emulator) { e.clock = now }
}

// WithBaseURL sets the base URL used in "self" links and browse URLs.
// Server sets it to its own URL.
func WithBaseURL(u string) Option {
	return func(e *Emulator) { e.baseURL = strings.TrimRight(u, "/") }
}

// WithForbiddenForHidden makes issue resources answer 403 "You do not have
// the permission to see the specified issue." for an issue that exists but
// the user may not browse, instead of the default 404 "Issue Does Not
// Exist". Atlassian's OpenAPI document and most Jira DC answers give 404;
// some deployments' logs show 403, and clients must survive both.
func WithForbiddenForHidden() Option {
	return func(e *Emulator) { e.forbidHidden = true }
}

// WithAnonymousFallback makes an invalid or expired bearer token (or one of
// an inactive user) be served as the anonymous user instead of answered
// with 401, as Jira's Seraph filter can do: the status is 200, the answer
// holds only what anonymous users may see (projects whose Browse Projects
// permission is granted to Anyone), and the response carries
// "X-Seraph-LoginReason: AUTHENTICATED_FAILED". Requests without a bearer
// token still answer 401; resources that need a user (myself) answer 401
// with the same header.
func WithAnonymousFallback() Option {
	return func(e *Emulator) { e.anonFallback = true }
}

type mount struct {
	pattern string
	h       http.Handler
}

type staticTokens map[string]string

func (s staticTokens) ValidateToken(token string) (string, error) {
	if u, ok := s[token]; ok {
		return u, nil
	}
	return "", errTokenInvalid
}
