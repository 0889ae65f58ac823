package auth

import (
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"time"

	"golang.org/x/net/http/httpproxy"
)

// Trust is what a login trusts on the way to Jira, chosen by the person at
// `auth login` and saved in the config file with the login: the proxy
// (read from HTTPS_PROXY, HTTP_PROXY and NO_PROXY as Go reads them, at that
// moment) and the CAs (--ca-file, or the system's, as SSL_CERT_FILE and
// SSL_CERT_DIR chose them then). Every later run builds its transport from
// it, never from its own environment: an agent that can set the
// environment of jira-mcp (a proxy, a CA of its own) must not be able to
// read the refresh token, the client secret or an access token off the
// wire. An environment that asks for another proxy or other CAs is
// refused with the way to trust them (log in again).
//
// The CA is kept as its PEM text, not as a path and a hash: the config
// folder is out of the agent's reach (setup denies it), a CA file
// elsewhere may not be, and a copy cannot change between the check and its
// use. CAFile only says where it came from.
type Trust struct {
	Proxy       string `json:"proxy,omitempty"` // proxy URL for Jira, without user or password; empty: direct
	CAFile      string `json:"ca_file,omitempty"`
	CAPEM       string `json:"ca_pem,omitempty"` // the only CAs trusted, when set
	CASHA256    string `json:"ca_sha256,omitempty"`
	SSLCertFile string `json:"ssl_cert_file,omitempty"` // SSL_CERT_FILE at login (system CAs)
	SSLCertDir  string `json:"ssl_cert_dir,omitempty"`  // SSL_CERT_DIR at login
}

// pinTrust reads the trust of a login about to be made to base: the
// proxy the environment names for it and the CA file given (or the
// system's CAs as the environment chooses them).
func pinTrust(base *url.URL, caFile string, getenv func(string) string) (Trust, error) {
	var t Trust
	p, err := envProxy(base, getenv)
	if err != nil {
		return Trust{}, err
	}
	if p != nil {
		t.Proxy = withoutUser(p).String()
	}
	if caFile != "" {
		b, err := os.ReadFile(caFile)
		if err != nil {
			return Trust{}, fmt.Errorf("%w: --ca-file: %w", ErrBadSetting, err)
		}
		if _, err := certPool(b); err != nil {
			return Trust{}, fmt.Errorf("%w: --ca-file %s: %w", ErrBadSetting, caFile, err)
		}
		sum := sha256.Sum256(b)
		t.CAFile, t.CAPEM, t.CASHA256 = caFile, string(b), hex.EncodeToString(sum[:])
	}
	t.SSLCertFile, t.SSLCertDir = getenv("SSL_CERT_FILE"), getenv("SSL_CERT_DIR")
	return t, nil
}

func certPool(pemBytes []byte) (*x509.CertPool, error) {
	pool := x509.NewCertPool()
	n := 0
	for rest := pemBytes; ; {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			break
		}
		if b.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			return nil, err
		}
		pool.AddCert(c)
		n++
	}
	if n == 0 {
		return nil, errors.New("no PEM certificate in it")
	}
	return pool, nil
}

// envProxy is the proxy the environment names for base, as
// http.ProxyFromEnvironment would choose it (but read now, through
// getenv). nil: direct.
func envProxy(base *url.URL, getenv func(string) string) (*url.URL, error) {
	cfg := httpproxy.Config{
		HTTPProxy:  firstEnv(getenv, "HTTP_PROXY", "http_proxy"),
		HTTPSProxy: firstEnv(getenv, "HTTPS_PROXY", "https_proxy"),
		NoProxy:    firstEnv(getenv, "NO_PROXY", "no_proxy"),
	}
	p, err := cfg.ProxyFunc()(base)
	if err != nil {
		return nil, fmt.Errorf("%w: proxy from the environment: %w", ErrBadSetting, err)
	}
	return p, nil
}

func firstEnv(getenv func(string) string, names ...string) string {
	for _, n := range names {
		if v := getenv(n); v != "" {
			return v
		}
	}
	return ""
}

func withoutUser(u *url.URL) *url.URL {
	c := *u
	c.User = nil
	return &c
}

// TrustError means the environment of this run asks to reach Jira through
// a proxy, or with CAs, other than the login's: nothing is sent, and the
// text says how to trust them. It is a *CredentialsError's cause, so the
// agent is told that retrying will not help until the user acts.
type TrustError struct{ What, Env, Login string }

func (e *TrustError) Error() string {
	return fmt.Sprintf("the environment sets %s to %q, but the login was made with %s: jira-mcp sends the login only the way it was made; "+
		"to trust this %s, log in again with jira-mcp auth login in this environment; otherwise remove the variable",
		e.What, e.Env, e.Login, map[bool]string{true: "proxy", false: "CA"}[e.What == "HTTPS_PROXY/HTTP_PROXY"])
}

// checkTrust compares this run's environment with the login's trust. An
// environment that names no proxy or no CA variables is fine: the login's
// are used.
func checkTrust(t Trust, base *url.URL, getenv func(string) string) error {
	p, err := envProxy(base, getenv)
	if err != nil {
		return err
	}
	if p != nil && withoutUser(p).String() != t.Proxy {
		login := "no proxy"
		if t.Proxy != "" {
			login = "proxy " + t.Proxy
		}
		return &TrustError{What: "HTTPS_PROXY/HTTP_PROXY", Env: withoutUser(p).String(), Login: login}
	}
	for _, v := range []struct{ name, login string }{{"SSL_CERT_FILE", t.SSLCertFile}, {"SSL_CERT_DIR", t.SSLCertDir}} {
		if e := getenv(v.name); e != "" && e != v.login {
			login := "it unset"
			if v.login != "" {
				login = fmt.Sprintf("%q", v.login)
			}
			return &TrustError{What: v.name, Env: e, Login: login}
		}
	}
	return nil
}

// transport is the HTTP transport of a login: the saved proxy (with the
// user and password of the environment's proxy when it names the same
// one: a password never goes to the config file) and the saved CAs.
func (t Trust) transport(base *url.URL, getenv func(string) string) (*http.Transport, error) {
	tr := &http.Transport{
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          100,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: time.Second,
		TLSClientConfig:       &tls.Config{MinVersion: tls.VersionTLS12},
	}
	if t.Proxy != "" {
		pu, err := url.Parse(t.Proxy)
		if err != nil {
			return nil, fmt.Errorf("%w: saved proxy: %w", ErrBadSetting, err)
		}
		if e, _ := envProxy(base, getenv); e != nil && withoutUser(e).String() == t.Proxy {
			pu = e
		}
		tr.Proxy = http.ProxyURL(pu)
	}
	if t.CAPEM != "" {
		pool, err := certPool([]byte(t.CAPEM))
		if err != nil {
			return nil, fmt.Errorf("%w: saved CA: %w", ErrBadSetting, err)
		}
		tr.TLSClientConfig.RootCAs = pool
	}
	return tr, nil
}
