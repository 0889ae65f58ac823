package auth

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"time"

	"golang.org/x/oauth2"

	"github.com/jira-mcp/jira-mcp/tools/jira/site"
)

// Option adjusts Open, Login, Status and Logout.
type Option func(*options)

type options struct {
	client *http.Client
	now    func() time.Time
	log    *slog.Logger
	stdin  *os.File
	getenv func(string) string
}

// WithClock sets the clock that decides when a token is about to expire.
func WithClock(now func() time.Time) Option { return func(o *options) { o.now = now } }

// WithLogger sets the logger (default slog.Default()). Nothing secret is
// ever logged.
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.log = l } }

// WithTerminal lets the file backend ask for its password on stderr when f
// (normally os.Stdin) is a terminal. Never pass the server's stdin.
func WithTerminal(f *os.File) Option { return func(o *options) { o.stdin = f } }

func buildOptions(opts []Option) options {
	o := options{now: time.Now, log: slog.Default(), getenv: os.Getenv}
	for _, fn := range opts {
		fn(&o)
	}
	if o.client == nil {
		o.client = &http.Client{Timeout: 60 * time.Second}
	}
	return o
}

// Session is the authenticated access to one Jira: its HTTPClient carries a
// fresh bearer token on each request. A Session is safe for concurrent use.
type Session struct {
	base   *url.URL // nil when not configured
	src    *refresher
	client *http.Client
}

// Open prepares the session described by s. It does not touch the keyring
// or the network: a missing login is reported by each request (an error
// matching ErrLoginRequired), so that `serve` starts and the agent is told to
// ask the user to log in. Open fails only on settings that can never work
// (plain http to a remote host, unknown keyring backend).
//
// When s has no URL or no client ID, every request fails with
// ErrLoginRequired.
func Open(ctx context.Context, s Settings, opts ...Option) (*Session, error) {
	o := buildOptions(opts)
	sess := &Session{}
	if s.URL == "" || s.ClientID == "" {
		sess.client = &http.Client{Transport: failing{ErrLoginRequired}}
		return sess, nil
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	src, base, err := newRefresher(s, o)
	if err != nil {
		return nil, err
	}
	sess.base, sess.src = base, src
	if err := checkTrust(s.Trust, base, o.getenv); err != nil {
		// Neither the token endpoint nor Jira's API is asked: the way
		// there is not the one the person logged in with.
		o.log.Warn("refusing to reach Jira", "why", err)
		sess.client = &http.Client{Transport: failing{&CredentialsError{Err: err}}}
		return sess, nil
	}
	// The transport applies the timeout itself: http.Client's Timeout
	// flattens the RoundTripper's error into a string, and the agent must
	// still learn that a request that timed out waiting for a token was
	// never sent.
	sess.client = &http.Client{
		Transport: &transport{base: base, src: src, next: src.next, timeout: o.client.Timeout},
	}
	return sess, nil
}

func newRefresher(s Settings, o options) (*refresher, *url.URL, error) {
	base, err := site.ParseBaseURL(s.URL)
	if err != nil {
		return nil, nil, err
	}
	st, err := newStore(s, o.stdin)
	if err != nil {
		return nil, nil, err
	}
	key := keyringKey(base.String(), s.ClientID)
	lp, err := lockPath(s.LockDir, key)
	if err != nil {
		return nil, nil, err
	}
	// The transport to Jira comes from the login's saved trust, never from
	// this process's environment (a test may give its own).
	next := o.client.Transport
	if next == nil {
		tr, err := s.Trust.transport(base, o.getenv)
		if err != nil {
			return nil, nil, err
		}
		next = tr
	}
	return &refresher{
		next:     next,
		key:      key,
		baseURL:  base.String(),
		clientID: s.ClientID,
		redirect: first(s.RedirectURL, DefaultRedirectURL),
		store:    st,
		lockPath: lp,
		client:   &http.Client{Transport: &pinned{base: base, next: next}, Timeout: o.client.Timeout},
		now:      o.now,
		log:      o.log,
	}, base, nil
}

// HTTPClient returns the client for Jira's REST API. Requests to any other
// origin fail with ErrHostNotAllowed; without a login they fail with an
// error matching ErrLoginRequired (also through *url.Error).
func (s *Session) HTTPClient() *http.Client { return s.client }

// BaseURL is the canonical Jira base URL, "" when none is configured.
func (s *Session) BaseURL() string {
	if s.base == nil {
		return ""
	}
	return s.base.String()
}

// failing is a RoundTripper that always fails with err.
type failing struct{ err error }

func (f failing) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		r.Body.Close()
	}
	return nil, f.err
}

// transport authenticates requests to the Jira base URL and refuses others.
type transport struct {
	base    *url.URL
	src     *refresher
	next    http.RoundTripper
	timeout time.Duration // for one request, token wait and answer included; 0: none
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := checkOrigin(t.base, req.URL); err != nil {
		closeBody(req)
		return nil, err
	}
	if t.timeout <= 0 {
		return t.roundTrip(req)
	}
	ctx, cancel := context.WithTimeout(req.Context(), t.timeout)
	resp, err := t.roundTrip(req.WithContext(ctx))
	if err != nil {
		cancel()
		return nil, err
	}
	resp.Body = &cancelBody{ReadCloser: resp.Body, cancel: cancel}
	return resp, nil
}

func (t *transport) roundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	tok, err := t.src.token(ctx)
	if err == nil && ctx.Err() != nil {
		err = &NotSentError{Err: ctx.Err()}
	}
	if err != nil {
		closeBody(req)
		return nil, notSent(err)
	}
	resp, err := t.send(req, tok)
	// Jira refused a token we thought valid (revoked, or rotated by another
	// process), or its login filter served a read as anonymous: renew the
	// token and send again, replaying the body. A token got after a 401
	// may itself be rotated by another process before Jira sees it: then
	// the request is sent again with that newer one (never is a new
	// refresh forced twice), up to maxRenewals times in all.
	for i := range maxRenewals {
		if err != nil || !t.mayReplay(req, resp) {
			return resp, err
		}
		var fresh *oauth2.Token
		var rerr error
		if i == 0 {
			fresh, rerr = t.src.renew(ctx, tok.AccessToken)
		} else if fresh, rerr = t.src.rotated(ctx, tok.AccessToken); rerr == nil && fresh == nil {
			return resp, nil // refused although just renewed, and no newer token
		}
		if rerr != nil {
			return t.renewFailed(resp, rerr)
		}
		retry := req.Clone(ctx)
		if req.GetBody != nil {
			body, gerr := req.GetBody()
			if gerr != nil {
				return resp, nil
			}
			retry.Body = body
		}
		drain(resp)
		tok = fresh
		resp, err = t.send(retry, tok)
	}
	return resp, err
}

// maxRenewals bounds how often one request is sent again with a new token.
const maxRenewals = 2

// mayReplay reports whether Jira refused req's token in its answer resp,
// and req may be sent again. Only a 401 says Jira did nothing: a write
// served as anonymous may have been made (anonymous users may comment
// where an admin allows it), so it is never sent again; tools/jira
// reports its outcome as unknown. A body that cannot be replayed is not.
func (t *transport) mayReplay(req *http.Request, resp *http.Response) bool {
	_, anonymous := site.ServedAnonymously(resp.Header)
	switch {
	case resp.StatusCode != http.StatusUnauthorized && !anonymous:
		return false
	case resp.StatusCode != http.StatusUnauthorized && !site.Reads(req.Method, site.Rel(t.base, req.URL)):
		return false
	}
	return req.Body == nil || req.Body == http.NoBody || req.GetBody != nil
}

// renewFailed answers a request whose token Jira refused (resp: a 401, or
// a read served as anonymous, so Jira did nothing) and could not be
// renewed (err). The refresh's failure (login refused, keyring, token
// endpoint down, caller gave up) is the better advice; but the request
// was sent, so it is never said not to have been: a *RefusedError.
func (t *transport) renewFailed(resp *http.Response, err error) (*http.Response, error) {
	drain(resp)
	if errors.Is(err, ErrLoginRequired) {
		return nil, err
	}
	t.src.log.Warn("refresh after Jira refused the token failed", "status", resp.StatusCode, "err", err)
	if ns, ok := err.(*NotSentError); ok {
		err = ns.Err // "not sent" is what RefusedError must not say
	}
	return nil, &RefusedError{Err: err}
}

// send sends req with tok and scrubs the answer (see scrubAnswer).
func (t *transport) send(req *http.Request, tok *oauth2.Token) (*http.Response, error) {
	resp, err := t.next.RoundTrip(authorized(req, tok))
	if err != nil {
		return nil, err
	}
	return scrubAnswer(resp, t.src.secrets(tok)), nil
}

// maxErrorBody bounds what is kept of an error answer's body: tools/jira
// reads no more of one.
const maxErrorBody = 1 << 20

// scrubAnswer takes the exact secrets out of an answer that is not a success (a
// redirect, an error, or a page served to an anonymous user): a proxy or
// a plugin may quote the request's Authorization header, in words no
// pattern can foresee, in its body or its headers (WWW-Authenticate,
// Location). Only this transport knows the secrets, so it removes them
// before anyone reads the answer. The body is read whole (at most
// maxErrorBody; the rest is dropped).
func scrubAnswer(resp *http.Response, secrets []string) *http.Response {
	_, anonymous := site.ServedAnonymously(resp.Header)
	if resp.StatusCode < 300 && !anonymous {
		return resp
	}
	for _, vs := range resp.Header {
		for i, v := range vs {
			vs[i] = scrub(v, secrets...)
		}
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	resp.Body.Close()
	clean := []byte(scrub(string(body), secrets...))
	resp.Body = &errorBody{Reader: bytes.NewReader(clean), err: err}
	resp.ContentLength = int64(len(clean))
	resp.Header.Del("Content-Length")
	return resp
}

// replacements lists each secret, and its URL-encoded form when that
// differs, with what replaces it.
func replacements(secrets []string) []string {
	var out []string
	for _, sec := range secrets {
		if len(sec) < 4 {
			continue // never blank out every "a" of a page
		}
		out = append(out, sec, "[redacted]")
		if q := url.QueryEscape(sec); q != sec {
			out = append(out, q, "[redacted]")
		}
	}
	return out
}

// errorBody is a scrubbed body; reading it ends with the error that
// reading the original met, if any.
type errorBody struct {
	*bytes.Reader
	err error
}

func (b *errorBody) Read(p []byte) (int, error) {
	n, err := b.Reader.Read(p)
	if err == io.EOF && b.err != nil {
		err = b.err
	}
	return n, err
}

func (b *errorBody) Close() error { return nil }

// notSent gives every failure to get a token a kind callers can act on:
// login required, credentials unavailable, temporary, or else not sent.
func notSent(err error) error {
	if errors.Is(err, ErrLoginRequired) {
		return err
	}
	if _, ok := errors.AsType[interface {
		error
		NotSent() bool
	}](err); ok {
		return err
	}
	return &NotSentError{Err: err}
}

func closeBody(req *http.Request) {
	if req.Body != nil {
		req.Body.Close()
	}
}

func drain(resp *http.Response) {
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
}

// cancelBody ends the request's timeout when its answer is closed.
type cancelBody struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (b *cancelBody) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}

// authorized clones req (a RoundTripper must not modify its request) and
// sets the bearer.
func authorized(req *http.Request, tok *oauth2.Token) *http.Request {
	r := req.Clone(req.Context())
	r.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	return r
}

// checkOrigin allows only URLs on the site (site.Within): the base URL's
// scheme, host and port, and paths under its context path.
func checkOrigin(base, u *url.URL) error {
	if !site.Within(base, u) {
		return fmt.Errorf("%w (%s), not %s://%s", ErrHostNotAllowed, base, u.Scheme, u.Host)
	}
	return nil
}

// pinned is the transport for the token endpoint: same origin rule, no
// bearer.
type pinned struct {
	base *url.URL
	next http.RoundTripper
}

func (p *pinned) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := checkOrigin(p.base, req.URL); err != nil {
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, err
	}
	return p.next.RoundTrip(req)
}
