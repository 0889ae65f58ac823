// Package auth gets OAuth 2.0 access tokens for Jira Data Center without
// ever letting a secret reach the agent: a person logs in once (Login,
// authorization code with PKCE S256 on a loopback callback); the access
// token, the rotating refresh token and the client secret live only in the
// OS keyring (github.com/99designs/keyring); servers get short-lived access
// tokens from a refresher that is safe across goroutines and processes.
//
// # What `serve` calls
//
//	var f auth.Flags
//	f.Register(cmd.Flags())                     // --url --client-id --redirect-url --scope --config --keyring-backend
//	s, err := auth.Resolve(f, os.Getenv)        // flags > environment > config file > defaults
//	sess, err := auth.Open(ctx, s, auth.WithLogger(logger))
//	client := sess.HTTPClient()                 // for tools/jira, against sess.BaseURL()
//
// Open touches neither the keyring nor the network, and fails only on
// settings that can never work (plain http to a remote host, an unknown
// keyring backend). With no login, or no URL or client ID configured,
// serve still starts: every request through HTTPClient fails with an error
// matching ErrLoginRequired, whose text asks the user to run
// `jira-mcp auth login`.
//
// HTTPClient's transport refuses any origin but the configured base URL
// (ErrHostNotAllowed), sets the bearer on a clone of each request, and
// when Jira refuses the token, with a 401 or by serving the request as
// anonymous (status 200 with X-Seraph-LoginReason AUTHENTICATED_FAILED or
// AUTHENTICATION_DENIED, from its Seraph login filter), forces one refresh
// and retries once, replaying the body through GetBody. Only a 401 says
// Jira did nothing: a request that may change something (any but a read,
// site.Reads) is replayed after a 401 only, never after an anonymous
// answer, which may mean it was done as the anonymous user. A request
// whose body cannot be replayed, or whose retry is refused again, gets
// Jira's answer as it is. Any answer that is not a success (a redirect, an error,
// a page served to an anonymous user) is scrubbed of the exact access
// token sent, the refresh token and the client secret, in its body and its
// headers (WWW-Authenticate, Location), before it is handed on: a proxy or
// plugin quoting the request must not pass a secret on. The transport
// applies the client's timeout itself
// (http.Client's Timeout would flatten its errors into text). The rules of
// the site itself (what a base URL may be, what counts as loopback, which
// URLs lie on the site, what an anonymous answer looks like) are
// tools/jira/site's, shared with tools/jira.
//
// # Errors
//
// A request that could not get a token fails with one of these, which
// tools/jira (it does not import auth) tells apart with errors.As through
// *url.Error, by their methods, never by their text (tools/jira's package
// doc states that contract):
//
//   - *LoginError, matching ErrLoginRequired; LoginRequired() bool and
//     AsksToLogIn() bool (its text names `jira-mcp auth login`). No
//     login, or the token endpoint refused the refresh: invalid_grant,
//     invalid_client, unauthorized_client, or any other 400 or 401 answer.
//     Only `jira-mcp auth login` helps.
//   - *CredentialsError; CredentialsUnavailable() bool and NotSent() bool.
//     The keyring (locked, unreachable, misconfigured) or the login's lock
//     file failed. Retrying will not help until the user looks at it.
//   - *TemporaryError; Temporary() bool and NotSent() bool. Jira's token
//     endpoint could not be reached, timed out, or answered 429 or 5xx.
//     The login is intact; retrying shortly may work (its text says so).
//   - *UnexpectedAnswerError; NotSent() bool. The token endpoint did not
//     answer as Jira does (an HTML page, JSON without a token, a 404): a
//     proxy or single sign-on page in front of Jira, or a URL that is not
//     Jira's. Its text says to try again and, if it persists, to check
//     the URL; it never asks for a new login.
//   - *NotSentError; NotSent() bool. The request's context ended while it
//     waited for a token (errors.Is finds context.Canceled or
//     context.DeadlineExceeded), or no token could be had for a reason
//     none of the above names.
//   - *RefusedError; NotSent() bool reporting false, TokenRefused() bool.
//     Jira refused the request's token (a 401, or a read served as
//     anonymous), so it did nothing, and the refresh that followed failed
//     with one of the above (but a *LoginError, returned as it is), which
//     it wraps. The request was sent: nothing may say it was not.
//
// NotSent means nothing was sent to Jira's API, so a write was not made.
// Errors carry *TokenError (the RFC 6749 code and a description scrubbed
// of the secrets sent) where the token endpoint answered. A certificate
// Jira's host does not pass stays in the chain as
// *tls.CertificateVerificationError.
//
// # Refresher
//
// A Session's tokens come from a refresher of our own, because
// oauth2.Config.TokenSource neither sends redirect_uri on refresh (Jira DC
// checks it) nor persists the rotated refresh token. It returns the cached
// token while it has more than a minute left, or more than a quarter of its
// lifetime when Jira issues tokens living less than four minutes (one
// atomic load); otherwise
// one goroutine per process refreshes while the others wait. The refresh
// runs on a background context with its own timeout, so a tool call giving
// up cannot abandon it half done; it takes a gofrs/flock lock file per login
// (in os.UserCacheDir()/jira-mcp, or Settings.LockDir), re-reads the keyring
// under the lock and adopts a token another process already got; otherwise
// it posts grant_type=refresh_token with refresh_token, client_id,
// client_secret and redirect_uri, and saves the rotated pair to the keyring
// before anyone uses it. So a refresh token is redeemed once, whatever the
// number of processes and goroutines. A request refused with a token
// another process rotated meanwhile is sent again with the newer one, even
// when that rotation races the request's own retry: a lost race is never
// reported as a lost login.
//
// # Keyring
//
// One entry per login, keyed "jira-mcp:<host>:<hash of URL and client ID>".
// Every keyring call runs with a timeout (a locked keyring can block
// forever). The secret-service backend uses the existing "login" collection
// (creating one needs a prompt a headless session cannot show); keyctl uses
// the user keyring with possessor and user permissions set at creation;
// the file backend (folder JIRA_MCP_KEYRING_DIR, default
// <user config dir>/jira-mcp/keyring) takes its password from
// JIRA_MCP_KEYRING_PASSWORD (headless CI only) or a prompt on stderr when
// stdin is a terminal, never from keyring's own prompt, which writes to
// stdout.
//
// The config file (os.UserConfigDir()/jira-mcp/config.json, or --config /
// JIRA_MCP_CONFIG; mode 0600) holds only the non-secret Settings.
//
// Nothing in this package writes to stdout; logs go to the given slog
// logger and never hold a token, a refresh token or the client secret.
package auth
