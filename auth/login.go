package auth

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/jira-mcp/jira-mcp/tools/jira/site"
)

// LoginOptions are the parts of a login that are not Settings.
type LoginOptions struct {
	// ClientSecret is the OAuth client's secret; empty for a client whose
	// secret check the Jira admin disabled. Never take it from a flag or
	// the environment.
	ClientSecret string
	// Timeout bounds the whole login (default 5 minutes).
	Timeout time.Duration
	// OpenBrowser opens the authorization URL; nil prints it only (the URL
	// is always printed to Out).
	OpenBrowser func(url string) error
	// Paste, when set, is read line by line for the URL the browser was
	// redirected to, for a browser on another machine (SSH). Only pass a
	// terminal.
	Paste io.Reader
	// Out receives the messages for the person logging in (stderr).
	Out io.Writer
	// CallbackCert and CallbackKey are PEM files for an https:// redirect
	// URL; without them a self-signed certificate is made in memory.
	CallbackCert, CallbackKey string
	// CAFile, when set, holds the only CAs the login trusts for Jira
	// (--ca-file); saved with the login (Trust), as is the proxy the
	// environment names now.
	CAFile string
}

// ErrLoginCancelled is matched by the error of a login whose context was
// cancelled (Ctrl-C) before it finished.
var ErrLoginCancelled = errors.New("login cancelled")

// Status describes a login. It holds no secret.
type Status struct {
	LoggedIn       bool      `json:"logged_in"`
	URL            string    `json:"url"`
	ClientID       string    `json:"client_id"`
	User           string    `json:"user,omitempty"`
	DisplayName    string    `json:"display_name,omitempty"`
	Scope          string    `json:"scope,omitempty"`
	Expiry         time.Time `json:"access_token_expiry,omitzero"`
	KeyringBackend string    `json:"keyring_backend"`
	KeyringKey     string    `json:"keyring_key"`
	ConfigPath     string    `json:"config_path,omitempty"`
}

// Login runs the OAuth 2.0 authorization code flow with PKCE (S256) against
// Jira DC, checks the token with /rest/api/2/myself, stores the login in the
// keyring and the settings in the config file.
func Login(ctx context.Context, s Settings, lo LoginOptions, opts ...Option) (st *Status, err error) {
	o := buildOptions(opts)
	if err := s.Validate(); err != nil {
		return nil, err
	}
	parent := ctx
	if lo.Out == nil {
		lo.Out = io.Discard
	}
	if lo.Timeout <= 0 {
		lo.Timeout = 5 * time.Minute
	}
	ctx, cancel := context.WithTimeout(ctx, lo.Timeout)
	defer cancel()
	defer func() {
		if err != nil && parent.Err() != nil && !errors.Is(err, ErrLoginCancelled) {
			err = fmt.Errorf("%w: %w", ErrLoginCancelled, err)
		}
	}()
	src, base, err := prepareLogin(ctx, &s, lo, o)
	if err != nil {
		return nil, err
	}
	redirect, _ := parseRedirectURL(src.redirect)
	req, err := newAuthRequest(s, lo, src, redirect)
	if err != nil {
		return nil, err
	}
	results := make(chan callback, 1)
	srv, err := serveCallback(redirect, req.state, lo, o, results)
	if err != nil {
		return nil, err
	}
	defer func() {
		// Let the browser's page finish loading before the listener goes.
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if srv.Shutdown(ctx) != nil {
			srv.Close()
		}
	}()
	askBrowser(lo, src.baseURL, redirect, req, results)
	cb, err := awaitCallback(ctx, parent, lo.Timeout, results)
	if err != nil {
		return nil, err
	}
	if cb.reply != nil {
		// Registered after the server's shutdown, so it runs first: the
		// browser's page waits for this.
		defer func() { cb.reply <- err }()
	}
	rec, err := redeem(ctx, s, lo, o, src, base, req, cb)
	if err != nil {
		return nil, err
	}
	return saveLogin(ctx, s, src, rec)
}

// prepareLogin checks what can be checked before the browser opens: the
// URL is a Jira, the proxy and CAs are pinned (the person's choice, now;
// every later run uses these and refuses an environment that asks for
// others), and the keyring opens (the file keyring's passphrase is asked
// now, while nothing else reads the terminal).
func prepareLogin(ctx context.Context, s *Settings, lo LoginOptions, o options) (*refresher, *url.URL, error) {
	base, err := site.ParseBaseURL(s.URL)
	if err != nil {
		return nil, nil, err
	}
	if s.Trust, err = pinTrust(base, lo.CAFile, o.getenv); err != nil {
		return nil, nil, err
	}
	src, base, err := newRefresher(*s, o)
	if err != nil {
		return nil, nil, err
	}
	src.store.timeout = 2 * time.Minute // a desktop keyring may prompt to unlock
	if err := checkJira(ctx, src.client, base); err != nil {
		return nil, nil, err
	}
	if err := src.store.unlock(ctx); err != nil {
		return nil, nil, fmt.Errorf("login: keyring: %w", err)
	}
	s.KeyringBackend = src.store.usedBackend(ctx)
	if s.KeyringBackend == "keyctl" {
		fmt.Fprintf(lo.Out, "Note: the keyctl keyring keeps the login in the kernel's memory: it does not survive a reboot (log in again after one). A desktop keyring (--keyring-backend secret-service) does.\n")
	}
	return src, base, nil
}

// authRequest is one authorization request: its OAuth configuration, state
// and PKCE verifier.
type authRequest struct {
	conf     *oauth2.Config
	state    string
	verifier string
}

func newAuthRequest(s Settings, lo LoginOptions, src *refresher, redirect *url.URL) (*authRequest, error) {
	state, err := randomState()
	if err != nil {
		return nil, err
	}
	return &authRequest{
		state:    state,
		verifier: oauth2.GenerateVerifier(),
		conf: &oauth2.Config{
			ClientID:     s.ClientID,
			ClientSecret: lo.ClientSecret,
			Endpoint: oauth2.Endpoint{
				AuthURL:  authorizeURL(src.baseURL),
				TokenURL: tokenURL(src.baseURL),
				// Jira DC reads the client credentials from the parameters.
				AuthStyle: oauth2.AuthStyleInParams,
			},
			RedirectURL: redirect.String(),
			Scopes:      strings.Fields(first(s.Scope, DefaultScope)),
		},
	}, nil
}

// askBrowser shows the person where to log in, opens the browser, and
// reads a pasted callback URL while waiting.
func askBrowser(lo LoginOptions, jira string, redirect *url.URL, req *authRequest, results chan<- callback) {
	authURL := req.conf.AuthCodeURL(req.state, oauth2.S256ChallengeOption(req.verifier))
	if redirect.Scheme == "https" && lo.CallbackCert == "" {
		fmt.Fprintf(lo.Out, "After you approve, the browser goes to %s, whose certificate jira-mcp made for this login only: "+
			"the browser will warn that it is not trusted. For this loopback address that is expected; accept it (Advanced, then Proceed or Accept the risk) to finish.\n", redirect.Host)
	}
	fmt.Fprintf(lo.Out, "Open this URL in a browser to log in to %s:\n\n%s\n\n", jira, authURL)
	if lo.OpenBrowser != nil {
		if err := lo.OpenBrowser(authURL); err != nil {
			fmt.Fprintf(lo.Out, "Could not open a browser (%v); open the URL above yourself.\n", err)
		}
	}
	if lo.Paste != nil {
		fmt.Fprintf(lo.Out, "Waiting for the browser. If it runs on another machine, paste here the URL it was sent to (%s?code=...):\n", redirect)
		go readPasted(lo.Paste, lo.Out, redirect, req.state, results)
	}
}

// awaitCallback waits for the browser's (or the pasted) callback.
func awaitCallback(ctx, parent context.Context, timeout time.Duration, results <-chan callback) (callback, error) {
	select {
	case cb := <-results:
		return cb, nil
	case <-ctx.Done():
		if parent.Err() != nil {
			return callback{}, ErrLoginCancelled
		}
		return callback{}, fmt.Errorf("login: no answer from the browser within %s: %w", timeout, ctx.Err())
	}
}

// redeem checks the callback and exchanges its code (Jira's codes live
// about 10 seconds: at once), then checks the new token by asking who it
// belongs to.
func redeem(ctx context.Context, s Settings, lo LoginOptions, o options, src *refresher, base *url.URL, req *authRequest, cb callback) (*record, error) {
	if cb.state != req.state {
		return nil, ErrStateMismatch
	}
	if cb.errCode != "" {
		return nil, fmt.Errorf("login: Jira refused the authorization: %s %s", cb.errCode, cb.errDesc)
	}
	if cb.code == "" {
		return nil, errors.New("login: the callback carried no code")
	}
	xctx := context.WithValue(ctx, oauth2.HTTPClient, src.client)
	tok, err := req.conf.Exchange(xctx, cb.code, oauth2.VerifierOption(req.verifier))
	if err != nil {
		return nil, exchangeError(err, lo.ClientSecret)
	}
	rec := &record{
		URL:          src.baseURL,
		ClientID:     s.ClientID,
		ClientSecret: lo.ClientSecret,
		AccessToken:  tok.AccessToken,
		TokenType:    tok.TokenType,
		RefreshToken: tok.RefreshToken,
		Expiry:       expiryOf(tok, o.now),
		Issued:       o.now(),
		Scope:        first(scopeOf(tok), s.Scope, DefaultScope),
	}
	who, err := myself(ctx, src, base, rec.AccessToken)
	if err != nil {
		return nil, fmt.Errorf("login: check the new token: %w", err)
	}
	rec.User, rec.DisplayName = who.Name, who.DisplayName
	return rec, nil
}

// saveLogin keeps the login: the record in the keyring, under the lock
// other processes refresh under, and the settings in the config file.
func saveLogin(ctx context.Context, s Settings, src *refresher, rec *record) (*Status, error) {
	unlock, err := lockLogin(ctx, src.lockPath)
	if err != nil {
		return nil, err
	}
	err = src.store.put(ctx, src.key, rec)
	unlock()
	if err != nil {
		return nil, fmt.Errorf("login: save to keyring: %w", err)
	}
	s.URL = src.baseURL
	s.RedirectURL = src.redirect
	if err := SaveConfig(s); err != nil {
		return nil, err
	}
	return statusOf(s, src, rec), nil
}

// checkJira asks base, anonymously, for /rest/api/2/serverInfo: a URL
// that is not a Jira Data Center's is said so before the browser opens.
func checkJira(ctx context.Context, c *http.Client, base *url.URL) error {
	fix := "check --url: the address you open Jira at, with its context path (such as https://example.com/jira)"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base.String()+"/rest/api/2/serverInfo", nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		if ue, ok := errors.AsType[*url.Error](err); ok {
			err = ue.Err
		}
		if _, ok := errors.AsType[*tls.CertificateVerificationError](err); ok {
			return fmt.Errorf("login: %s: its certificate is not trusted: %w; give the CA that signed it with --ca-file PATH", base, err)
		}
		return fmt.Errorf("login: cannot reach %s: %w; %s", base, err, fix)
	}
	defer resp.Body.Close()
	var info struct {
		DeploymentType string `json:"deploymentType"`
		Version        string `json:"version"`
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("login: %s does not look like Jira Data Center: GET /rest/api/2/serverInfo answered %s; %s", base, resp.Status, fix)
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&info); err != nil || info.Version == "" {
		return fmt.Errorf("login: %s does not look like Jira Data Center: GET /rest/api/2/serverInfo answered no Jira version; %s", base, fix)
	}
	if strings.EqualFold(info.DeploymentType, "Cloud") {
		return fmt.Errorf("login: %s is Jira Cloud; jira-mcp works with Jira Data Center (and Server)", base)
	}
	return nil
}

// expiryOf reads expires_in against our clock rather than oauth2's.
func expiryOf(t *oauth2.Token, now func() time.Time) time.Time {
	if t.ExpiresIn > 0 {
		return now().Add(time.Duration(t.ExpiresIn) * time.Second)
	}
	return t.Expiry
}

func scopeOf(t *oauth2.Token) string {
	if sc, ok := t.Extra("scope").(string); ok {
		return sc
	}
	return ""
}

// exchangeError keeps the OAuth error code and drops the answer's body.
func exchangeError(err error, secret string) error {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		status := 0
		if re.Response != nil {
			status = re.Response.StatusCode
		}
		te := &TokenError{Status: status, Code: re.ErrorCode, Description: scrub(re.ErrorDescription, secret)}
		switch te.Code {
		case "invalid_client", "unauthorized_client":
			return fmt.Errorf("login: the client secret was refused: give the secret of Jira's application link for this client ID and log in again: %w", te)
		case "invalid_grant":
			return fmt.Errorf("login: Jira refused the code (codes live about 10 seconds, once): log in again: %w", te)
		}
		return fmt.Errorf("login: exchange code: %w", te)
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("login: exchange code: %w", ue.Err)
	}
	return errors.New("login: exchange code: unexpected answer from Jira's token endpoint")
}

type identity struct {
	Name        string `json:"name"`
	Key         string `json:"key"`
	DisplayName string `json:"displayName"`
}

func myself(ctx context.Context, src *refresher, base *url.URL, token string) (*identity, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base.String()+"/rest/api/2/myself", nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	req = authorized(req, &oauth2.Token{AccessToken: token})
	resp, err := src.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET /rest/api/2/myself answered %s", resp.Status)
	}
	var id identity
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&id); err != nil {
		return nil, fmt.Errorf("GET /rest/api/2/myself: %w", err)
	}
	return &id, nil
}

func randomState() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("login: random state: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// ReadStatus reports the login stored for s, from the keyring only: no
// network. A missing login is a Status with LoggedIn false, not an error.
func ReadStatus(ctx context.Context, s Settings, opts ...Option) (*Status, error) {
	o := buildOptions(opts)
	if err := s.Validate(); err != nil {
		return nil, err
	}
	src, _, err := newRefresher(s, o)
	if err != nil {
		return nil, err
	}
	rec, err := src.store.get(ctx, src.key)
	if errors.Is(err, errNotFound) {
		return statusOf(s, src, nil), nil
	}
	if err != nil {
		return nil, err
	}
	return statusOf(s, src, rec), nil
}

func statusOf(s Settings, src *refresher, rec *record) *Status {
	st := &Status{
		URL:            src.baseURL,
		ClientID:       s.ClientID,
		Scope:          first(s.Scope, DefaultScope),
		KeyringBackend: src.store.usedBackend(context.Background()),
		KeyringKey:     src.key,
		ConfigPath:     s.ConfigPath,
	}
	if rec != nil {
		st.LoggedIn = true
		st.User, st.DisplayName, st.Expiry = rec.User, rec.DisplayName, rec.Expiry
		st.Scope = first(rec.Scope, st.Scope)
	}
	return st
}

// Logout removes everything stored for the login: the keyring entry, its
// lock file and the config file. It reports whether a keyring entry existed.
func Logout(ctx context.Context, s Settings, opts ...Option) (bool, error) {
	o := buildOptions(opts)
	if err := s.Validate(); err != nil {
		return false, err
	}
	src, _, err := newRefresher(s, o)
	if err != nil {
		return false, err
	}
	unlock, err := lockLogin(ctx, src.lockPath)
	if err != nil {
		return false, err
	}
	defer unlock()
	_, err = src.store.get(ctx, src.key)
	existed := err == nil
	if err := src.store.remove(ctx, src.key); err != nil {
		return existed, fmt.Errorf("logout: %w", err)
	}
	if s.ConfigPath != "" {
		if err := removeIfExists(s.ConfigPath); err != nil {
			return existed, fmt.Errorf("logout: %w", err)
		}
		removeIfEmpty(filepath.Dir(s.ConfigPath))
	}
	// What login created and nothing else uses any more: an empty file
	// keyring folder (and the config folder holding it), the passphrase
	// `auth unlock` kept.
	if src.store.usedBackend(ctx) == "file" {
		dir := src.store.cfg.FileDir
		if err := forgetPassphrase(dir); err != nil {
			o.log.Debug("forget the unlocked passphrase", "err", err)
		}
		if removeIfEmpty(dir) {
			removeIfEmpty(filepath.Dir(dir))
		}
	}
	// The lock file stays: removing it under a waiting process's feet would
	// let two processes hold "the" lock on different files.
	return existed, nil
}

// DefaultUnlockTTL is how long `auth unlock` keeps the file keyring's
// passphrase in the kernel keyring.
const DefaultUnlockTTL = 8 * time.Hour

// Unlock asks for the file keyring's passphrase (on the terminal given
// with WithTerminal), checks it, and keeps it in this session's kernel
// keyring (Linux) for ttl, where `serve` started from this session finds
// it: so that the MCP client's config holds no password. Elsewhere it
// fails: there is no place for it out of the agent's reach.
func Unlock(ctx context.Context, s Settings, ttl time.Duration, opts ...Option) error {
	o := buildOptions(opts)
	if !canUnlock {
		return keepPassphrase("", "", 0)
	}
	if first(s.KeyringBackend, DefaultKeyringBackend) != "file" {
		return fmt.Errorf("%w: auth unlock is for the file keyring (--keyring-backend file)", ErrBadSetting)
	}
	if ttl <= 0 {
		ttl = DefaultUnlockTTL
	}
	st, err := newStore(s, o.stdin)
	if err != nil {
		return err
	}
	st.timeout = 2 * time.Minute
	// The passphrase kept may be stale (changed keyring): ask anew.
	if err := forgetPassphrase(st.cfg.FileDir); err != nil {
		return err
	}
	p, err := st.passphrase(ctx)
	if err != nil {
		return err
	}
	return keepPassphrase(st.cfg.FileDir, p, ttl)
}

// Lock forgets the passphrase Unlock kept.
func Lock(s Settings) error {
	st, err := newStore(s, nil)
	if err != nil {
		return err
	}
	return forgetPassphrase(st.cfg.FileDir)
}
