package auth

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/gofrs/flock"
	"golang.org/x/oauth2"
)

// expiryMargin: a cached token with less than this left (or less than a
// quarter of its lifetime, see margin) is refreshed first, so that it does
// not expire between Token and Jira reading the header.
const expiryMargin = time.Minute

// refreshTimeout bounds one refresh (lock wait, keyring, token endpoint). It
// runs on its own context: a tool call that gives up must not abandon a
// refresh half done, after Jira rotated the token but before it was saved.
const refreshTimeout = 90 * time.Second

// refresher gets the access tokens behind a Session. token is safe for
// concurrent use. The hot path is one atomic load and a time comparison.
type refresher struct {
	key      string
	baseURL  string
	clientID string
	redirect string
	store    *store
	lockPath string
	client   *http.Client      // for the token endpoint; no bearer transport
	next     http.RoundTripper // the login's transport (its proxy and CAs)
	now      func() time.Time
	log      *slog.Logger

	cached atomic.Pointer[cachedToken]

	mu     sync.Mutex
	flight *flight // the refresh in progress, if any
}

type cachedToken struct {
	rec *record
	tok *oauth2.Token
}

type flight struct {
	done chan struct{}
	c    *cachedToken
	err  error
}

// token returns a token with more than a minute left, refreshing it first
// if needed. Its waiting (not the refresh itself) ends with ctx.
func (r *refresher) token(ctx context.Context) (*oauth2.Token, error) {
	if c := r.cached.Load(); c != nil && r.fresh(c.rec) {
		return c.tok, nil
	}
	c, err := r.wait(ctx, r.start("", false))
	if err != nil {
		return nil, err
	}
	return c.tok, nil
}

// renew returns a token other than stale, which Jira just refused (401): it
// adopts one another goroutine or process already got, or refreshes.
func (r *refresher) renew(ctx context.Context, stale string) (*oauth2.Token, error) {
	if c := r.cached.Load(); c != nil && c.tok.AccessToken != stale && r.fresh(c.rec) {
		return c.tok, nil
	}
	for range 2 {
		c, err := r.wait(ctx, r.start(stale, true))
		if err != nil {
			return nil, err
		}
		// A flight started before the 401 may have adopted stale again.
		if c.tok.AccessToken != stale {
			return c.tok, nil
		}
	}
	return nil, errors.New("refresh gave back the token Jira refused")
}

// secrets lists what must never leave the process: the access token sent
// (tok), and the login's tokens and client secret as this process holds
// them.
func (r *refresher) secrets(tok *oauth2.Token) []string {
	out := []string{tok.AccessToken}
	if c := r.cached.Load(); c != nil {
		out = append(out, c.rec.AccessToken, c.rec.RefreshToken, c.rec.ClientSecret)
	}
	return out
}

// rotated returns the token another goroutine or process got in place of
// stale, which Jira refused although it was just renewed: the cached one,
// or the one in the keyring (a refresh happens only if that one has
// expired). It returns nil when there is none newer.
func (r *refresher) rotated(ctx context.Context, stale string) (*oauth2.Token, error) {
	if c := r.cached.Load(); c != nil && c.tok.AccessToken != stale && r.fresh(c.rec) {
		return c.tok, nil
	}
	c, err := r.wait(ctx, r.start(stale, false))
	if err != nil || c.tok.AccessToken == stale {
		return nil, err
	}
	return c.tok, nil
}

func (r *refresher) fresh(rec *record) bool {
	return rec.Expiry.IsZero() || r.now().Add(margin(rec)).Before(rec.Expiry)
}

// margin is how long before its expiry a token is refreshed: expiryMargin,
// or a quarter of the token's lifetime when that is shorter (Jira may be
// set to issue tokens living less than the margin, which would then be
// refreshed on every call). A record saved before Issued was kept gets
// expiryMargin until its next refresh.
func margin(rec *record) time.Duration {
	if rec.Issued.IsZero() || !rec.Issued.Before(rec.Expiry) {
		return expiryMargin
	}
	return min(expiryMargin, rec.Expiry.Sub(rec.Issued)/4)
}

// start joins the refresh in flight or starts one; only one runs at a time
// in this process.
func (r *refresher) start(stale string, force bool) *flight {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.flight != nil {
		return r.flight
	}
	f := &flight{done: make(chan struct{})}
	r.flight = f
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), refreshTimeout)
		defer cancel()
		rec, err := r.refresh(ctx, stale, force)
		if err == nil {
			f.c = &cachedToken{rec: rec, tok: rec.token()}
			r.cached.Store(f.c)
		} else if errors.Is(err, ErrLoginRequired) {
			r.cached.Store(nil)
		}
		f.err = err
		r.mu.Lock()
		r.flight = nil
		r.mu.Unlock()
		close(f.done)
	}()
	return f
}

func (r *refresher) wait(ctx context.Context, f *flight) (*cachedToken, error) {
	select {
	case <-f.done:
		return f.c, f.err
	case <-ctx.Done():
		return nil, &NotSentError{Err: fmt.Errorf("gave up waiting for an access token: %w", ctx.Err())}
	}
}

// refresh runs under the login's file lock, so that across processes one
// refresh token is redeemed once: it re-reads the keyring, adopts a token
// another process stored, and otherwise refreshes and stores the result
// before anyone uses it.
func (r *refresher) refresh(ctx context.Context, stale string, force bool) (*record, error) {
	unlock, err := lockLogin(ctx, r.lockPath)
	if err != nil {
		return nil, &CredentialsError{Err: err}
	}
	defer unlock()

	rec, err := r.store.get(ctx, r.key)
	if errors.Is(err, errNotFound) {
		return nil, ErrLoginRequired
	}
	if err != nil {
		return nil, &CredentialsError{Err: err}
	}
	// Adopt what the keyring holds unless it is the token Jira refused.
	if rec.AccessToken != "" && r.fresh(rec) && (!force || rec.AccessToken != stale) {
		return rec, nil
	}
	if rec.RefreshToken == "" {
		return nil, &LoginError{Reason: "the access token expired and there is no refresh token"}
	}
	next, err := refreshGrant(ctx, r.client, r.baseURL, r.clientID, r.redirect, rec, r.now)
	if err != nil {
		return nil, err
	}
	if err := r.store.put(ctx, r.key, next); err != nil {
		// Jira has rotated the refresh token: the old one is dead. Keep the
		// new one for this process rather than lose it; other processes will
		// have to log in again.
		r.log.Error("rotated token not saved to the keyring; other jira-mcp processes will need `jira-mcp auth login`", "err", err)
	}
	r.log.Debug("access token refreshed", "url", r.baseURL, "expiry", next.Expiry)
	return next, nil
}

func (rec *record) token() *oauth2.Token {
	return &oauth2.Token{AccessToken: rec.AccessToken, TokenType: "Bearer", RefreshToken: "", Expiry: rec.Expiry}
}

// lockLogin takes the login's lock file; unlock releases it.
func lockLogin(ctx context.Context, path string) (unlock func(), err error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("lock login: %w", err)
	}
	l := flock.New(path, flock.SetPermissions(0o600))
	ok, err := l.TryLockContext(ctx, 20*time.Millisecond)
	if err != nil || !ok {
		l.Close()
		return nil, fmt.Errorf("lock login %s: %w", path, errors.Join(err, ctx.Err()))
	}
	return func() { l.Unlock(); l.Close() }, nil
}

// refreshGrant redeems rec's refresh token. Jira DC wants client_secret and
// redirect_uri on refresh too, and rotates both tokens.
func refreshGrant(ctx context.Context, client *http.Client, baseURL, clientID, redirect string, rec *record, now func() time.Time) (*record, error) {
	form := url.Values{
		"grant_type":    {"refresh_token"},
		"refresh_token": {rec.RefreshToken},
		"client_id":     {clientID},
		"redirect_uri":  {redirect},
	}
	if rec.ClientSecret != "" {
		form.Set("client_secret", rec.ClientSecret)
	}
	tr, err := postToken(ctx, client, baseURL, form, now, rec.ClientSecret, rec.RefreshToken, rec.AccessToken)
	if err != nil {
		return nil, err
	}
	next := *rec
	next.AccessToken = tr.AccessToken
	next.TokenType = tr.TokenType
	next.Expiry = tr.Expiry
	next.Issued = tr.Issued
	if tr.RefreshToken != "" {
		next.RefreshToken = tr.RefreshToken
	}
	if tr.Scope != "" {
		next.Scope = tr.Scope
	}
	return &next, nil
}

type tokenAnswer struct {
	AccessToken  string
	TokenType    string
	RefreshToken string
	Scope        string
	Expiry       time.Time
	Issued       time.Time // when the answer came: Expiry less the lifetime
}

// postToken posts form to Jira's token endpoint. Errors never carry the
// answer's body: only the RFC 6749 error code and a description scrubbed of
// the secrets we sent.
func postToken(ctx context.Context, client *http.Client, baseURL string, form url.Values, now func() time.Time, secrets ...string) (*tokenAnswer, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, tokenURL(baseURL), strings.NewReader(form.Encode()))
	if err != nil {
		return nil, fmt.Errorf("token request: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return nil, transportFailure(ctx, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, transportFailure(ctx, fmt.Errorf("read answer: %w", err))
	}
	var v struct {
		AccessToken  string          `json:"access_token"`
		TokenType    string          `json:"token_type"`
		RefreshToken string          `json:"refresh_token"`
		ExpiresIn    json.Number     `json:"expires_in"`
		Scope        json.RawMessage `json:"scope"`
		Error        string          `json:"error"`
		Description  string          `json:"error_description"`
	}
	mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	jsonErr := json.Unmarshal(body, &v)
	if resp.StatusCode != http.StatusOK || v.Error != "" || v.AccessToken == "" {
		// The code too goes into error texts: scrub it, and keep it short.
		te := &TokenError{Status: resp.StatusCode, Code: clip(scrub(v.Error, secrets...), 64), Description: clip(scrub(v.Description, secrets...), 200)}
		if jsonErr != nil || resp.StatusCode == http.StatusOK && v.Error == "" {
			// Not Jira's OAuth answer: a page from a proxy or single
			// sign-on service, say. It tells nothing of the login.
			te.Code, te.Description = "", "answer is not Jira's OAuth 2.0 answer ("+first(clip(scrub(mt, secrets...), 64), "no content type")+")"
			if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500 {
				return nil, &TemporaryError{Err: te}
			}
			return nil, &UnexpectedAnswerError{Err: te}
		}
		return nil, classify(te)
	}
	ans := &tokenAnswer{AccessToken: v.AccessToken, TokenType: v.TokenType, RefreshToken: v.RefreshToken}
	var sc string
	if json.Unmarshal(v.Scope, &sc) == nil {
		ans.Scope = sc
	}
	ans.Issued = now()
	if secs, err := v.ExpiresIn.Int64(); err == nil && secs > 0 {
		ans.Expiry = ans.Issued.Add(time.Duration(secs) * time.Second)
	}
	return ans, nil
}

// transportFailure classifies an error sending to or reading from the
// token endpoint. Most are passing (*TemporaryError); a certificate Jira's
// host does not pass is not, and stays a plain error.
func transportFailure(ctx context.Context, err error) error {
	if _, ok := errors.AsType[*tls.CertificateVerificationError](err); ok {
		return fmt.Errorf("token request: %w", err)
	}
	if ctx.Err() != nil || errors.Is(err, context.DeadlineExceeded) {
		// The refresh's own deadline, not the caller's: keep
		// context.DeadlineExceeded out of the chain, where it would read as
		// the caller giving up.
		return &TemporaryError{Err: errors.New("timed out")}
	}
	return &TemporaryError{Err: fmt.Errorf("token request: %w", err)}
}

func tokenURL(baseURL string) string     { return baseURL + "/rest/oauth2/latest/token" }
func authorizeURL(baseURL string) string { return baseURL + "/rest/oauth2/latest/authorize" }

// clip cuts s to at most n bytes and "...", never in half a character.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "..."
}

// scrub replaces any of secrets found in s, as they are or URL-encoded.
func scrub(s string, secrets ...string) string {
	if r := replacements(secrets); len(r) > 0 {
		return strings.NewReplacer(r...).Replace(s)
	}
	return s
}
