package emulator

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
)

// OAuth 2.0 provider paths of Jira DC.
const (
	OAuthAuthorizePath = "/rest/oauth2/latest/authorize"
	OAuthTokenPath     = "/rest/oauth2/latest/token"
)

// oauthScopes are the scopes Jira DC knows. WRITE includes READ.
var oauthScopes = []string{"READ", "WRITE", "ADMIN", "SYSTEM_ADMIN"}

// OAuthConfig describes the one incoming application link the provider
// serves. Zero durations take Jira DC's defaults.
type OAuthConfig struct {
	ClientID     string
	ClientSecret string   // empty: the secret is not checked (admin disabled it)
	RedirectURIs []string // exact match, as Jira does
	AccessTTL    time.Duration
	CodeTTL      time.Duration // Jira: about 10 s
	RefreshTTL   time.Duration // Jira: 90 days
	User         string        // who approves every authorization; default DefaultUser
	Clock        func() time.Time
	// TokenPrefix starts every token issued (default "emulator-"), so tests
	// can look for a canary prefix in what must never hold a token.
	TokenPrefix string
}

// OAuthProvider emulates Jira DC's OAuth 2.0 provider: authorization code
// with optional PKCE (plain or S256), auto-approved for User; confidential
// client; refresh with rotation (every refresh revokes the previous access
// and refresh token) and redirect_uri checked on refresh. It is the
// emulator's token validator when mounted with WithOAuth. Safe for
// concurrent use.
type OAuthProvider struct {
	cfg OAuthConfig

	mu        sync.Mutex
	codes     map[string]*oauthCode
	access    map[string]*oauthGrant
	refresh   map[string]*oauthGrant
	refreshes int
	exchanges int
	rejected  map[string]int // error code -> count
}

type oauthCode struct {
	redirectURI, scope, challenge, method string
	expiry                                time.Time
	used                                  bool
	issued                                []*oauthGrant
}

// oauthGrant is one access/refresh token pair.
type oauthGrant struct {
	access, refresh       string
	redirectURI, scope    string
	accessExp, refreshExp time.Time
	revoked               bool
}

// NewOAuthProvider returns a provider for cfg.
func NewOAuthProvider(cfg OAuthConfig) *OAuthProvider {
	if cfg.AccessTTL <= 0 {
		cfg.AccessTTL = time.Hour
	}
	if cfg.CodeTTL <= 0 {
		cfg.CodeTTL = 10 * time.Second
	}
	if cfg.RefreshTTL <= 0 {
		cfg.RefreshTTL = 90 * 24 * time.Hour
	}
	if cfg.User == "" {
		cfg.User = DefaultUser
	}
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	if cfg.TokenPrefix == "" {
		cfg.TokenPrefix = "emulator-"
	}
	return &OAuthProvider{
		cfg:      cfg,
		codes:    map[string]*oauthCode{},
		access:   map[string]*oauthGrant{},
		refresh:  map[string]*oauthGrant{},
		rejected: map[string]int{},
	}
}

// WithOAuth mounts p's authorize and token endpoints (unauthenticated, as in
// Jira) and makes p the emulator's token validator.
func WithOAuth(p *OAuthProvider) Option {
	return func(e *Emulator) {
		withHandler(OAuthAuthorizePath, http.HandlerFunc(p.serveAuthorize))(e)
		withHandler(OAuthTokenPath, http.HandlerFunc(p.serveToken))(e)
		// Jira DC answers serverInfo to anyone (login checks the URL with
		// it before the browser opens); with a token it authenticates.
		withHandler("GET "+apiPrefix+"serverInfo", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("Authorization") != "" {
				e.api.ServeHTTP(w, r)
				return
			}
			e.getServerInfo(w, r, nil)
		}))(e)
		e.validator = p
	}
}

// ValidateToken returns the user an access token p issued authenticates.
func (p *OAuthProvider) ValidateToken(token string) (string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	g, ok := p.access[token]
	if !ok || g.revoked {
		return "", errTokenInvalid
	}
	if !p.cfg.Clock().Before(g.accessExp) {
		return "", errTokenExpired
	}
	return p.cfg.User, nil
}

// Refreshes counts successful refresh_token grants.
func (p *OAuthProvider) Refreshes() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.refreshes
}

// CodesExchanged counts successful authorization_code grants.
func (p *OAuthProvider) CodesExchanged() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.exchanges
}

// Rejected counts token endpoint errors with the given RFC 6749 code, such
// as "invalid_grant".
func (p *OAuthProvider) Rejected(code string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.rejected[code]
}

// RevokeAll revokes every token issued, as an admin or the user revoking
// the application's access does.
func (p *OAuthProvider) RevokeAll() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, g := range p.access {
		g.revoked = true
	}
}

// ExpireAccessTokens makes every access token issued so far expired, as if
// their lifetime had passed; refresh tokens stay valid.
func (p *OAuthProvider) ExpireAccessTokens() {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.cfg.Clock()
	for _, g := range p.access {
		if g.accessExp.After(now) {
			g.accessExp = now
		}
	}
}

// serveAuthorize auto-approves as cfg.User. Errors in client_id or
// redirect_uri are shown, never redirected (RFC 6749 4.1.2.1); the others
// go back to the client.
func (p *OAuthProvider) serveAuthorize(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	q := r.URL.Query()
	if q.Get("client_id") != p.cfg.ClientID || p.cfg.ClientID == "" {
		http.Error(w, "Invalid client_id: no application link has this client ID.", http.StatusBadRequest)
		return
	}
	redirect := q.Get("redirect_uri")
	ru, err := url.Parse(redirect)
	if redirect == "" || err != nil || !slices.Contains(p.cfg.RedirectURIs, redirect) {
		http.Error(w, "Invalid redirect_uri: it must match the redirect URL of the application link exactly.", http.StatusBadRequest)
		return
	}
	fail := func(code, desc string) {
		v := ru.Query()
		v.Set("error", code)
		v.Set("error_description", desc)
		if s := q.Get("state"); s != "" {
			v.Set("state", s)
		}
		ru.RawQuery = v.Encode()
		http.Redirect(w, r, ru.String(), http.StatusFound)
	}
	if q.Get("response_type") != "code" {
		fail("unsupported_response_type", "response_type must be code")
		return
	}
	scope := q.Get("scope")
	if scope == "" {
		fail("invalid_scope", "scope is required")
		return
	}
	for _, s := range strings.Fields(scope) {
		if !slices.Contains(oauthScopes, s) {
			fail("invalid_scope", "unknown scope "+s)
			return
		}
	}
	challenge, method := q.Get("code_challenge"), q.Get("code_challenge_method")
	if challenge != "" && method == "" {
		method = "plain" // RFC 7636 4.3
	}
	if (challenge == "") != (method == "") || (method != "" && method != "S256" && method != "plain") {
		fail("invalid_request", "code_challenge_method must be S256 or plain, with a code_challenge")
		return
	}
	code := p.newToken("code-")
	p.mu.Lock()
	p.codes[code] = &oauthCode{redirectURI: redirect, scope: scope, challenge: challenge, method: method,
		expiry: p.cfg.Clock().Add(p.cfg.CodeTTL)}
	p.mu.Unlock()
	v := ru.Query()
	v.Set("code", code)
	if s := q.Get("state"); s != "" {
		v.Set("state", s)
	}
	ru.RawQuery = v.Encode()
	http.Redirect(w, r, ru.String(), http.StatusFound)
}

// serveToken answers the authorization_code and refresh_token grants.
// Parameters are read from the form body or the query, as Jira's servlet
// does; client credentials from the parameters or HTTP Basic.
func (p *OAuthProvider) serveToken(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		p.tokenError(w, http.StatusMethodNotAllowed, "invalid_request", "use POST")
		return
	}
	if err := r.ParseForm(); err != nil {
		p.tokenError(w, http.StatusBadRequest, "invalid_request", "malformed parameters")
		return
	}
	id, secret := r.Form.Get("client_id"), r.Form.Get("client_secret")
	if u, pw, ok := r.BasicAuth(); ok {
		id, secret = u, pw
	}
	if id == "" || id != p.cfg.ClientID {
		p.tokenError(w, http.StatusUnauthorized, "invalid_client", "unknown client")
		return
	}
	if p.cfg.ClientSecret != "" && subtle.ConstantTimeCompare([]byte(secret), []byte(p.cfg.ClientSecret)) != 1 {
		p.tokenError(w, http.StatusUnauthorized, "invalid_client", "client authentication failed")
		return
	}
	switch r.Form.Get("grant_type") {
	case "authorization_code":
		p.exchangeCode(w, r.Form)
	case "refresh_token":
		p.refreshToken(w, r.Form)
	case "":
		p.tokenError(w, http.StatusBadRequest, "invalid_request", "grant_type is required")
	default:
		p.tokenError(w, http.StatusBadRequest, "unsupported_grant_type", "grant_type must be authorization_code or refresh_token")
	}
}

func (p *OAuthProvider) exchangeCode(w http.ResponseWriter, f url.Values) {
	p.mu.Lock()
	defer p.mu.Unlock()
	c, ok := p.codes[f.Get("code")]
	switch {
	case !ok:
		p.tokenErrorLocked(w, http.StatusBadRequest, "invalid_grant", "authorization code is invalid")
		return
	case c.used:
		// RFC 6749 4.1.2: a code used twice revokes what it gave.
		for _, g := range c.issued {
			g.revoked = true
		}
		p.tokenErrorLocked(w, http.StatusBadRequest, "invalid_grant", "authorization code was already used")
		return
	case !p.cfg.Clock().Before(c.expiry):
		p.tokenErrorLocked(w, http.StatusBadRequest, "invalid_grant", "authorization code expired")
		return
	case f.Get("redirect_uri") != c.redirectURI:
		p.tokenErrorLocked(w, http.StatusBadRequest, "invalid_grant", "redirect_uri does not match the authorization request")
		return
	}
	if c.challenge != "" {
		v := f.Get("code_verifier")
		got := v
		if c.method == "S256" {
			sum := sha256.Sum256([]byte(v))
			got = base64.RawURLEncoding.EncodeToString(sum[:])
		}
		if v == "" || subtle.ConstantTimeCompare([]byte(got), []byte(c.challenge)) != 1 {
			p.tokenErrorLocked(w, http.StatusBadRequest, "invalid_grant", "code_verifier does not match the code_challenge")
			return
		}
	}
	c.used = true
	g := p.issueLocked(c.redirectURI, c.scope)
	c.issued = append(c.issued, g)
	p.exchanges++
	p.writeGrant(w, g)
}

func (p *OAuthProvider) refreshToken(w http.ResponseWriter, f url.Values) {
	p.mu.Lock()
	defer p.mu.Unlock()
	g, ok := p.refresh[f.Get("refresh_token")]
	switch {
	case !ok || g.revoked:
		p.tokenErrorLocked(w, http.StatusBadRequest, "invalid_grant", "refresh token is invalid or was already used")
		return
	case !p.cfg.Clock().Before(g.refreshExp):
		p.tokenErrorLocked(w, http.StatusBadRequest, "invalid_grant", "refresh token expired")
		return
	case f.Get("redirect_uri") != g.redirectURI:
		p.tokenErrorLocked(w, http.StatusBadRequest, "invalid_grant", "redirect_uri does not match the authorization")
		return
	}
	// Rotation: the old pair dies with the refresh.
	g.revoked = true
	n := p.issueLocked(g.redirectURI, g.scope)
	p.refreshes++
	p.writeGrant(w, n)
}

func (p *OAuthProvider) issueLocked(redirect, scope string) *oauthGrant {
	now := p.cfg.Clock()
	g := &oauthGrant{
		access:      p.newToken("at-"),
		refresh:     p.newToken("rt-"),
		redirectURI: redirect,
		scope:       scope,
		accessExp:   now.Add(p.cfg.AccessTTL),
		refreshExp:  now.Add(p.cfg.RefreshTTL),
	}
	p.access[g.access] = g
	p.refresh[g.refresh] = g
	return g
}

func (p *OAuthProvider) writeGrant(w http.ResponseWriter, g *oauthGrant) {
	noStore(w)
	json.NewEncoder(w).Encode(map[string]any{
		"access_token":  g.access,
		"refresh_token": g.refresh,
		"token_type":    "bearer",
		"expires_in":    int(p.cfg.AccessTTL / time.Second),
	})
}

func (p *OAuthProvider) tokenError(w http.ResponseWriter, status int, code, desc string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.tokenErrorLocked(w, status, code, desc)
}

func (p *OAuthProvider) tokenErrorLocked(w http.ResponseWriter, status int, code, desc string) {
	p.rejected[code]++
	noStore(w)
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Basic realm="OAuth2"`)
	}
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"error": code, "error_description": desc})
}

func noStore(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
}

func (p *OAuthProvider) newToken(kind string) string {
	b := make([]byte, 24)
	rand.Read(b)
	return p.cfg.TokenPrefix + kind + base64.RawURLEncoding.EncodeToString(b)
}
