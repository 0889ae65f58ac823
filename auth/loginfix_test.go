package auth

import (
	"bufio"
	"context"
	"crypto/tls"
	"encoding/pem"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jira-mcp/jira-mcp/tools/jira/emulator"
)

// With a wrong client secret the browser's page says the login failed, and
// why; it says "Logged in" only once the code was exchanged and saved.
func TestLoginBrowserSeesOutcome(t *testing.T) {
	e := newEnv(t, "file")
	b := newBrowser()
	_, err := Login(context.Background(), e.settings, LoginOptions{ClientSecret: "CANARYSECRET-wrong", OpenBrowser: b.Open, Timeout: time.Minute}, e.opts...)
	if err == nil || !strings.Contains(err.Error(), "client secret was refused") {
		t.Fatalf("err = %v", err)
	}
	status, body, berr := b.result()
	if berr != nil || status == http.StatusOK || !strings.Contains(body, "client secret was refused") || strings.Contains(body, "Logged in") {
		t.Fatalf("browser saw %d %q %v", status, body, berr)
	}
	assertNoCanary(t, "browser page", body)
}

// A pasted line that is not this login's callback URL gets a word, and the
// wait goes on.
func TestReadPastedKeepsWaiting(t *testing.T) {
	redirect, _ := url.Parse("http://127.0.0.1:8765/callback")
	in := strings.Join([]string{
		"hello",
		"http://127.0.0.1:8765/callback?code=c1&state=other",
		"http://127.0.0.1:8765/callback?state=S",
		"http://127.0.0.1:8765/callback?code=good&state=S",
	}, "\n") + "\n"
	out := &syncBuffer{}
	results := make(chan callback, 1)
	readPasted(strings.NewReader(in), out, redirect, "S", results)
	select {
	case cb := <-results:
		if cb.code != "good" {
			t.Fatalf("got %+v", cb)
		}
	default:
		t.Fatal("no callback taken")
	}
	for _, want := range []string{"not the URL the browser was sent to", "another login attempt", "carries no code"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("no %q in %q", want, out)
		}
	}
}

// Ctrl-C (the parent context cancelled) says so, not "no answer".
func TestLoginCancelled(t *testing.T) {
	e := newEnv(t, "file")
	ctx, cancel := context.WithCancel(context.Background())
	_, err := Login(ctx, e.settings, LoginOptions{ClientSecret: canarySecret, Timeout: time.Minute,
		OpenBrowser: func(string) error { cancel(); return nil }}, e.opts...)
	if !errors.Is(err, ErrLoginCancelled) || strings.Contains(err.Error(), "no answer") {
		t.Fatalf("err = %v", err)
	}
}

// A wrong file-keyring passphrase is named, not the cipher's words.
func TestFileKeyringWrongPassphrase(t *testing.T) {
	e := newEnv(t, "file")
	e.login(t, io.Discard)
	t.Setenv(EnvKeyringPassword, "not-the-passphrase")
	_, err := ReadStatus(context.Background(), e.settings, e.opts...)
	if !errors.Is(err, ErrWrongPassphrase) || strings.Contains(err.Error(), "KeyUnwrap") {
		t.Fatalf("err = %v", err)
	}
	s := e.open(t)
	_, err = get(t, s, "/rest/api/2/myself")
	if !errors.Is(err, ErrWrongPassphrase) {
		t.Fatalf("request err = %v", err)
	}
}

// The URL is checked before the browser opens.
func TestLoginChecksJira(t *testing.T) {
	e := newEnv(t, "file")
	notJira := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(notJira.Close)
	cloud := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"version":"1001.0.0","deploymentType":"Cloud"}`)
	}))
	t.Cleanup(cloud.Close)
	for url, want := range map[string]string{notJira.URL: "does not look like Jira Data Center", cloud.URL: "Jira Cloud"} {
		s := e.settings
		s.URL = url
		opened := false
		_, err := Login(context.Background(), s, LoginOptions{ClientSecret: canarySecret, Timeout: time.Minute,
			OpenBrowser: func(string) error { opened = true; return nil }}, e.opts...)
		if err == nil || !strings.Contains(err.Error(), want) || opened {
			t.Errorf("%s: err = %v, browser opened %v", url, err, opened)
		}
	}
}

func TestScopeOnlyReadOrWrite(t *testing.T) {
	for _, sc := range []string{"ADMIN", "SYSTEM_ADMIN", "READ WRITE"} {
		s := Settings{URL: "https://jira.example.com", ClientID: "c", Scope: sc}
		if err := s.Validate(); !errors.Is(err, ErrBadSetting) {
			t.Errorf("scope %q: %v", sc, err)
		}
	}
	if _, err := Resolve(Flags{KeyringBackend: "plaintext", Config: t.TempDir() + "/c.json"}, func(string) string { return "" }); !errors.Is(err, ErrBadSetting) {
		t.Errorf("Resolve accepted an unknown backend: %v", err)
	}
}

// The https callback never prints the browser's refusal of its
// self-signed certificate, and says beforehand what the browser will say.
func TestHTTPSCallbackQuiet(t *testing.T) {
	e := newEnvTLS(t, "file", "https")
	out := &syncBuffer{}
	b := newBrowser()
	go func() {
		// A browser refusing the certificate first.
		for range 20 {
			u, _ := url.Parse(e.settings.RedirectURL)
			if c, err := tls.Dial("tcp", u.Host, &tls.Config{ServerName: "127.0.0.1"}); err == nil {
				c.Close()
			}
			time.Sleep(5 * time.Millisecond)
		}
	}()
	stderr := captureStderr(t)
	_, err := Login(context.Background(), e.settings, LoginOptions{ClientSecret: canarySecret, OpenBrowser: b.Open, Out: out, Timeout: time.Minute}, e.opts...)
	if err != nil {
		t.Fatal(err)
	}
	if got := stderr(); strings.Contains(got, "TLS handshake error") {
		t.Errorf("stderr: %s", got)
	}
	if !strings.Contains(out.String(), "will warn") {
		t.Errorf("no warning about the certificate: %s", out)
	}
}

func captureStderr(t *testing.T) func() string {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	old := os.Stderr
	os.Stderr = w
	var buf strings.Builder
	done := make(chan struct{})
	go func() { io.Copy(&buf, r); close(done) }()
	return func() string {
		os.Stderr = old
		w.Close()
		<-done
		return buf.String()
	}
}

// Logout removes the file keyring's folder and the config's when it left
// them empty; logging out twice is fine.
func TestLogoutRemovesWhatLoginMade(t *testing.T) {
	e := newEnv(t, "file")
	e.login(t, io.Discard)
	for range 2 {
		if _, err := Logout(context.Background(), e.settings, e.opts...); err != nil {
			t.Fatal(err)
		}
	}
	for _, d := range []string{e.settings.KeyringDir, filepath.Dir(e.settings.ConfigPath)} {
		if _, err := os.Stat(d); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s left behind", d)
		}
	}
}

// --- pinned trust ---

// tlsEnv is an emulator over TLS with its certificate's PEM in a file.
func tlsEnv(t *testing.T) (*env, string) {
	t.Helper()
	e := newEnv(t, "file")
	tlsSrv := emulator.NewTLSServer(emulator.WithOAuth(e.provider))
	t.Cleanup(tlsSrv.Close)
	u, _ := url.Parse(tlsSrv.URL)
	c, err := tls.Dial("tcp", u.Host, &tls.Config{InsecureSkipVerify: true}) // loopback, to read its certificate
	if err != nil {
		t.Fatal(err)
	}
	cert := c.ConnectionState().PeerCertificates[0]
	c.Close()
	ca := filepath.Join(t.TempDir(), "jira-ca.pem")
	if err := os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	e.srv = tlsSrv
	e.settings.URL = tlsSrv.URL
	return e, ca
}

// A login made with --ca-file works against a Jira whose certificate that
// CA signed (the system does not know it); an SSL_CERT_FILE pointing at
// another CA at run time is refused, with the way to trust it.
func TestPinnedCA(t *testing.T) {
	e, ca := tlsEnv(t)
	b := newBrowser()
	_, err := Login(context.Background(), e.settings, LoginOptions{ClientSecret: canarySecret, OpenBrowser: b.Open, Timeout: time.Minute}, e.opts...)
	if err == nil || !strings.Contains(err.Error(), "--ca-file") {
		t.Fatalf("login without --ca-file: %v", err)
	}
	b = newBrowser()
	if _, err := Login(context.Background(), e.settings, LoginOptions{ClientSecret: canarySecret, OpenBrowser: b.Open, Timeout: time.Minute, CAFile: ca}, e.opts...); err != nil {
		t.Fatalf("login with --ca-file: %v", err)
	}
	saved, err := LoadConfig(e.settings.ConfigPath)
	if err != nil || saved.Trust.CAPEM == "" || saved.Trust.CAFile != ca {
		t.Fatalf("trust not saved: %+v %v", saved.Trust, err)
	}
	saved.KeyringDir, saved.LockDir = e.settings.KeyringDir, e.settings.LockDir
	s, err := Open(context.Background(), saved, e.opts...)
	if err != nil {
		t.Fatal(err)
	}
	if code, err := get(t, s, "/rest/api/2/myself"); err != nil || code != 200 {
		t.Fatalf("with the pinned CA: %d %v", code, err)
	}

	t.Setenv("SSL_CERT_FILE", filepath.Join(t.TempDir(), "attacker-ca.pem"))
	s, err = Open(context.Background(), saved, e.opts...)
	if err != nil {
		t.Fatal(err)
	}
	before := len(e.srv.Requests())
	_, err = get(t, s, "/rest/api/2/myself")
	var ce *CredentialsError
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), "SSL_CERT_FILE") || !strings.Contains(err.Error(), "jira-mcp auth login") {
		t.Fatalf("err = %v", err)
	}
	if n := len(e.srv.Requests()); n != before {
		t.Errorf("%d requests reached Jira", n-before)
	}
}

// connectProxy is an HTTP CONNECT proxy on loopback that records the
// CONNECTs it gets and, when to is set, tunnels every one to it (whatever
// host was asked: nothing leaves loopback).
func connectProxy(t *testing.T, to string) (string, func() []string) {
	var mu sync.Mutex
	var seen []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Method+" "+r.Host)
		mu.Unlock()
		if r.Method != http.MethodConnect || to == "" {
			w.WriteHeader(http.StatusBadGateway)
			return
		}
		up, err := net.Dial("tcp", to)
		if err != nil {
			w.WriteHeader(http.StatusBadGateway)
			return
		}
		w.WriteHeader(http.StatusOK)
		conn, rw, err := w.(http.Hijacker).Hijack()
		if err != nil {
			up.Close()
			return
		}
		go func() { io.Copy(up, rw); up.Close() }()
		io.Copy(conn, bufio.NewReader(up))
		conn.Close()
	}))
	t.Cleanup(srv.Close)
	return srv.URL, func() []string { mu.Lock(); defer mu.Unlock(); return append([]string(nil), seen...) }
}

// The proxy is the login's: a hostile HTTPS_PROXY at run time gets
// nothing and the request is refused with the way to trust it; with no
// proxy in the environment, the login's proxy is used.
func TestPinnedProxy(t *testing.T) {
	e, ca := tlsEnv(t)
	u, _ := url.Parse(e.srv.URL)
	good, goodSeen := connectProxy(t, u.Host)
	hostile, hostileSeen := connectProxy(t, "")
	// Jira at a name that is not loopback (the certificate of httptest
	// names example.com), reached only through the login's proxy.
	jira := "https://example.com:" + u.Port()
	if _, err := Login(context.Background(), e.settings, LoginOptions{ClientSecret: canarySecret, OpenBrowser: newBrowser().Open, Timeout: time.Minute, CAFile: ca}, e.opts...); err != nil {
		t.Fatal(err)
	}
	t.Setenv("HTTPS_PROXY", good)
	trust, err := pinTrust(mustURL(t, jira), ca, os.Getenv)
	if err != nil || trust.Proxy != good {
		t.Fatalf("pinTrust = %+v, %v", trust, err)
	}
	s := e.settings
	s.URL, s.Trust = jira, trust
	r, _, err := newRefresher(s, buildOptions(e.opts))
	if err != nil {
		t.Fatal(err)
	}
	rec := e.stored(t) // the login made over loopback, moved to the name
	rec.URL = jira
	if err := r.store.put(context.Background(), r.key, rec); err != nil {
		t.Fatal(err)
	}

	t.Setenv("HTTPS_PROXY", hostile)
	sess, err := Open(context.Background(), s, e.opts...)
	if err != nil {
		t.Fatal(err)
	}
	_, err = get(t, sess, "/rest/api/2/myself")
	if err == nil || !strings.Contains(err.Error(), "proxy") || !strings.Contains(err.Error(), "jira-mcp auth login") {
		t.Fatalf("err = %v", err)
	}
	if got := hostileSeen(); len(got) != 0 {
		t.Fatalf("the hostile proxy got %v", got)
	}

	t.Setenv("HTTPS_PROXY", "")
	sess, err = Open(context.Background(), s, e.opts...)
	if err != nil {
		t.Fatal(err)
	}
	if code, err := get(t, sess, "/rest/api/2/myself"); err != nil || code != 200 {
		t.Fatalf("through the login's proxy: %d %v", code, err)
	}
	if got := goodSeen(); len(got) == 0 || !strings.Contains(got[0], "example.com") {
		t.Fatalf("the login's proxy saw %v", got)
	}
}

func mustURL(t *testing.T, s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
