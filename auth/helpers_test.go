package auth

import (
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/jira-mcp/jira-mcp/tools/jira/emulator"
)

// Canaries: no output, log, file, error text or process argument may ever
// contain them.
const (
	canaryTokenPrefix = "CANARYTOK-"          // every access and refresh token
	canarySecret      = "CANARYSECRET-9f8e7d" // the client secret
	testClientID      = "jira-mcp-test-client"
)

// withHTTPClient sets the client whose transport reaches Jira (for example
// one with a short timeout, or a fault). Its Transport is wrapped, never
// modified.
func withHTTPClient(c *http.Client) Option { return func(o *options) { o.client = c } }

// token gets an access token as a request through the session would,
// without sending one.
func token(s *Session) (*oauth2.Token, error) {
	if s.src == nil {
		return nil, ErrLoginRequired
	}
	return s.src.token(context.Background())
}

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Now()} }

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *clock) Advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// syncBuffer is a bytes.Buffer safe for the concurrent writes of a logger
// and the code under test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// env is one Jira emulator with its OAuth provider and the settings of a
// login against it, with a file keyring in a temporary folder.
type env struct {
	srv      *emulator.Server
	provider *emulator.OAuthProvider
	settings Settings
	clock    *clock
	logs     *syncBuffer
	opts     []Option
}

func newEnv(t *testing.T, backend string) *env {
	t.Helper()
	return newEnvTLS(t, backend, "http")
}

func newEnvTLS(t *testing.T, backend, callbackScheme string, opts ...emulator.Option) *env {
	t.Helper()
	return newEnvConfig(t, backend, callbackScheme, 0, opts...)
}

// newEnvConfig is newEnvTLS whose provider issues access tokens living
// accessTTL (0: Jira's hour).
func newEnvConfig(t *testing.T, backend, callbackScheme string, accessTTL time.Duration, opts ...emulator.Option) *env {
	t.Helper()
	redirect := callbackScheme + "://127.0.0.1:" + freePort(t) + "/callback"
	e := &env{clock: newClock(), logs: &syncBuffer{}}
	e.provider = emulator.NewOAuthProvider(emulator.OAuthConfig{
		ClientID:     testClientID,
		ClientSecret: canarySecret,
		RedirectURIs: []string{redirect},
		Clock:        e.clock.Now,
		TokenPrefix:  canaryTokenPrefix,
		AccessTTL:    accessTTL,
	})
	e.srv = emulator.NewServer(append([]emulator.Option{emulator.WithOAuth(e.provider)}, opts...)...)
	t.Cleanup(e.srv.Close)
	dir := t.TempDir()
	e.settings = Settings{
		URL:            e.srv.URL,
		ClientID:       testClientID,
		RedirectURL:    redirect,
		Scope:          "WRITE",
		KeyringBackend: backend,
		ConfigPath:     filepath.Join(dir, "config", "config.json"),
		KeyringDir:     filepath.Join(dir, "keyring"),
		LockDir:        filepath.Join(dir, "locks"),
	}
	t.Setenv(EnvKeyringPassword, "test-keyring-password")
	cleanTrustEnv(t)
	logger := slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	e.opts = []Option{WithClock(e.clock.Now), WithLogger(logger)}
	return e
}

// front puts h in front of the emulator, as a proxy or Jira's own filters
// would stand: the login's URL becomes the front's. Call it before login.
func (e *env) front(t *testing.T, h func(next http.Handler) http.Handler) {
	t.Helper()
	u, err := url.Parse(e.srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	f := httptest.NewServer(h(httputil.NewSingleHostReverseProxy(u)))
	t.Cleanup(f.Close)
	e.settings.URL = f.URL
}

func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	return port
}

// browser is a headless stand-in for the user's browser: it follows the
// authorize redirect to the callback, as a browser would after the user
// approved. Its last answer is kept for assertions.
type browser struct {
	client *http.Client
	// rewrite, when set, alters the callback URL before it is visited.
	rewrite func(loc string) string
	mu      sync.Mutex
	status  int
	body    string
	err     error
	done    chan struct{}
}

func newBrowser() *browser {
	b := &browser{done: make(chan struct{})}
	b.client = &http.Client{
		// The login callback over https uses a self-signed certificate the
		// user's browser would ask about; loopback only.
		Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}},
		CheckRedirect: func(r *http.Request, via []*http.Request) error {
			if !strings.HasPrefix(r.URL.Host, "127.0.0.1:") {
				return fmt.Errorf("browser stand-in leaves loopback: %s", r.URL.Host)
			}
			if b.rewrite != nil && r.URL.Path == "/callback" {
				return http.ErrUseLastResponse
			}
			return nil
		},
	}
	return b
}

func (b *browser) Open(u string) error {
	go func() {
		defer close(b.done)
		resp, err := b.client.Get(u)
		if err == nil && b.rewrite != nil && resp.StatusCode == http.StatusFound {
			resp.Body.Close()
			resp, err = b.client.Get(b.rewrite(resp.Header.Get("Location")))
		}
		b.mu.Lock()
		defer b.mu.Unlock()
		if err != nil {
			b.err = err
			return
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		b.status, b.body = resp.StatusCode, string(body)
	}()
	return nil
}

func (b *browser) result() (int, string, error) {
	<-b.done
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.status, b.body, b.err
}

// login runs a full login against e with the headless browser.
func (e *env) login(t *testing.T, out io.Writer) *Status {
	t.Helper()
	b := newBrowser()
	st, err := Login(context.Background(), e.settings, LoginOptions{
		ClientSecret: canarySecret, OpenBrowser: b.Open, Out: out, Timeout: time.Minute,
	}, e.opts...)
	if err != nil {
		t.Fatalf("login: %v", err)
	}
	if status, body, err := b.result(); err != nil || status != 200 {
		t.Fatalf("browser saw %d %q %v", status, body, err)
	}
	return st
}

func (e *env) open(t *testing.T) *Session {
	t.Helper()
	s, err := Open(context.Background(), e.settings, e.opts...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// get fetches path through the session and returns the status.
func get(t *testing.T, s *Session, path string) (int, error) {
	t.Helper()
	resp, err := s.HTTPClient().Get(s.BaseURL() + path)
	if err != nil {
		return 0, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, nil
}

// stored reads the login's keyring record.
func (e *env) stored(t *testing.T) *record {
	t.Helper()
	r, _, err := newRefresher(e.settings, buildOptions(e.opts))
	if err != nil {
		t.Fatal(err)
	}
	rec, err := r.store.get(context.Background(), r.key)
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

func (e *env) put(t *testing.T, rec *record) {
	t.Helper()
	r, _, err := newRefresher(e.settings, buildOptions(e.opts))
	if err != nil {
		t.Fatal(err)
	}
	if err := r.store.put(context.Background(), r.key, rec); err != nil {
		t.Fatal(err)
	}
}

// tokenRequests returns the form bodies the emulator's token endpoint got.
func (e *env) tokenRequests(t *testing.T, grant string) []map[string][]string {
	t.Helper()
	var out []map[string][]string
	for _, r := range e.srv.Requests() {
		if r.Path != emulator.OAuthTokenPath {
			continue
		}
		f := parseForm(t, string(r.Body))
		if f["grant_type"][0] == grant {
			out = append(out, f)
		}
	}
	return out
}

func assertNoCanary(t *testing.T, what, s string) {
	t.Helper()
	for _, c := range []string{canaryTokenPrefix, canarySecret} {
		if strings.Contains(s, c) {
			t.Errorf("%s leaks a secret (%s...): %q", what, c[:8], s)
		}
	}
}

// cleanTrustEnv clears what would make a run refuse the login's proxy and
// CAs (the machine's own SSL_CERT_FILE, a proxy): tests choose theirs.
func cleanTrustEnv(t testing.TB) {
	for _, k := range []string{"HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy", "SSL_CERT_FILE", "SSL_CERT_DIR"} {
		t.Setenv(k, "")
	}
}
