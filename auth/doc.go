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
// `jira-mcp auth login`. Such errors (also when Jira answers invalid_grant or
// invalid_client to a refresh) implement interface{ LoginRequired() bool },
// so tools/jira, which does not import auth, finds them with errors.As
// through *url.Error.
//
// HTTPClient's transport refuses any origin but the configured base URL
// (ErrHostNotAllowed), sets the bearer on a clone of each request, and on a
// 401 forces one refresh and retries once, replaying the body through
// GetBody (a request whose body cannot be replayed gets the 401).
//
// # Refresher
//
// Session.TokenSource is an oauth2.TokenSource of our own, because
// oauth2.Config.TokenSource neither sends redirect_uri on refresh (Jira DC
// checks it) nor persists the rotated refresh token. It returns the cached
// token while it has more than a minute left (one atomic load); otherwise
// one goroutine per process refreshes while the others wait. The refresh
// runs on a background context with its own timeout, so a tool call giving
// up cannot abandon it half done; it takes a gofrs/flock lock file per login
// (in os.UserCacheDir()/jira-mcp, or Settings.LockDir), re-reads the keyring
// under the lock and adopts a token another process already got; otherwise
// it posts grant_type=refresh_token with refresh_token, client_id,
// client_secret and redirect_uri, and saves the rotated pair to the keyring
// before anyone uses it. So a refresh token is redeemed once, whatever the
// number of processes and goroutines.
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
