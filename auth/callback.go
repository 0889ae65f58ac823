package auth

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"html"
	"io"
	"log"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"
)

// The login's loopback callback: the browser's answer, or one pasted in
// the terminal, and the page the browser is shown.

type callback struct {
	code, state, errCode, errDesc string
	// reply, for a callback from the browser, takes the login's outcome:
	// the browser's page says it only once the code was exchanged and
	// the login saved.
	reply chan<- error
}

func parseCallback(q url.Values) callback {
	return callback{code: q.Get("code"), state: q.Get("state"), errCode: q.Get("error"), errDesc: q.Get("error_description")}
}

// serveCallback listens on the redirect URL's loopback address and port and
// hands the first request to its path to results.
func serveCallback(redirect *url.URL, state string, lo LoginOptions, o options, results chan<- callback) (*http.Server, error) {
	host := redirect.Hostname()
	if strings.EqualFold(host, "localhost") {
		host = "127.0.0.1"
	}
	port := redirect.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[redirect.Scheme]
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(host, port))
	if err != nil {
		return nil, fmt.Errorf("login: listen for the callback on %s: %w (another login running? pick another port with --redirect-url, registered in Jira)", redirect.Host, err)
	}
	path := redirect.Path
	if path == "" {
		path = "/"
	}
	mux := http.NewServeMux()
	mux.HandleFunc(path, callbackHandler(path, state, results))
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ErrorLog: callbackLog(o.log)}
	if redirect.Scheme == "https" {
		cert, err := callbackCert(lo.CallbackCert, lo.CallbackKey)
		if err != nil {
			ln.Close()
			return nil, err
		}
		ln = tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12})
	}
	go srv.Serve(ln)
	return srv, nil
}

// callbackHandler receives the browser's callback: an answer with another
// state is refused and the login keeps waiting; the first good one is
// handed to the login, and the browser is told the outcome only once the
// code was exchanged and the login saved.
func callbackHandler(path, state string, results chan<- callback) http.HandlerFunc {
	var taken atomic.Bool // the first good answer wins
	return func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != path {
			http.NotFound(w, r)
			return
		}
		cb := parseCallback(r.URL.Query())
		msg := ""
		code := http.StatusOK
		if cb.state != state {
			// Not this login's answer: a stale tab, or any web page making
			// the browser call the loopback callback. Refuse it and keep
			// waiting for the real one, so a stray request cannot abort
			// the login.
			answerBrowser(w, http.StatusBadRequest, "This answer does not belong to the login running in the terminal (state mismatch).")
			return
		}
		switch {
		case cb.errCode != "" || cb.code == "":
			msg, code = "Jira did not authorize jira-mcp; see the terminal.", http.StatusBadRequest
		}
		first := taken.CompareAndSwap(false, true)
		if !first {
			msg, code = "This login already received an answer.", http.StatusConflict
		}
		if first && msg == "" {
			// Success is shown only once the code was exchanged and the
			// login saved: the login answers on reply.
			reply := make(chan error, 1)
			cb.reply = reply
			select {
			case results <- cb:
			default: // a pasted URL answered first
				msg, code = "This login already received an answer.", http.StatusConflict
			}
			if msg == "" {
				select {
				case err := <-reply:
					msg = "Logged in: you can close this tab and return to the terminal."
					if err != nil {
						msg, code = "The login failed: "+browserReason(err), http.StatusBadGateway
					}
				case <-r.Context().Done():
					return
				}
			}
			first = false
		}
		// Answer the browser before handing a failure over: once it has
		// it, the login may finish and close this server.
		answerBrowser(w, code, msg)
		if first {
			select {
			case results <- cb:
			default: // a pasted URL answered first
			}
		}
	}
}

// answerBrowser shows the browser a one-line page, at once.
func answerBrowser(w http.ResponseWriter, code int, msg string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.WriteHeader(code)
	fmt.Fprintf(w, "<!doctype html><title>jira-mcp</title><p>%s</p>\n", html.EscapeString(msg))
	if f, ok := w.(http.Flusher); ok {
		f.Flush()
	}
}

// callbackCert loads the given PEM pair, or makes a self-signed certificate
// for the loopback names that lives only in memory.
func callbackCert(certFile, keyFile string) (tls.Certificate, error) {
	if certFile != "" || keyFile != "" {
		c, err := tls.LoadX509KeyPair(certFile, keyFile)
		if err != nil {
			return tls.Certificate{}, fmt.Errorf("login: callback certificate: %w", err)
		}
		return c, nil
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("login: callback certificate: %w", err)
	}
	serial, _ := rand.Int(rand.Reader, big.NewInt(1<<62))
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: "jira-mcp login callback"},
		NotBefore:    time.Now().Add(-time.Minute),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:     []string{"localhost"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("login: callback certificate: %w", err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, nil
}

// browserReason is what the browser's page says of a failed login: the
// error's text, which holds no secret, and that the terminal has more.
func browserReason(err error) string {
	return err.Error() + " (see the terminal)."
}

// callbackLog is the callback server's error log: the browser's refusal of
// the self-signed certificate shows as "http: TLS handshake error" lines,
// which are expected, said beforehand, and never printed; the rest go to
// the logger at debug level.
func callbackLog(l *slog.Logger) *log.Logger {
	return log.New(writerFunc(func(p []byte) (int, error) {
		line := strings.TrimSpace(string(p))
		if !strings.Contains(line, "TLS handshake error") {
			l.Debug("login callback server", "msg", line)
		}
		return len(p), nil
	}), "", 0)
}

// readPasted takes the first line that parses as the redirect URL of this
// login (its state) with a code or an error. Any other line gets a word on
// out and the wait goes on.
func readPasted(r io.Reader, out io.Writer, redirect *url.URL, state string, results chan<- callback) {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		u, err := url.Parse(line)
		if err != nil || u.Path != redirect.Path || u.Host != redirect.Host {
			fmt.Fprintf(out, "That is not the URL the browser was sent to (it starts with %s?code=). Paste that one, or keep waiting for the browser.\n", redirect)
			continue
		}
		cb := parseCallback(u.Query())
		if cb.state != state {
			fmt.Fprintln(out, "That URL belongs to another login attempt (its state differs). Paste the one this login's browser tab was sent to.")
			continue
		}
		if cb.code == "" && cb.errCode == "" {
			fmt.Fprintln(out, "That URL carries no code. Paste the whole URL of the browser's address bar.")
			continue
		}
		select {
		case results <- cb:
		default:
		}
		return
	}
}
