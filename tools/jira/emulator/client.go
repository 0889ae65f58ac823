package emulator

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"syscall"
)

// Client returns an HTTP client whose requests are served by the emulator
// in process, whatever host they name. Nothing touches the network.
func (e *Emulator) Client() *http.Client {
	return &http.Client{Transport: inProcess{e}}
}

// ClientAs is Client with every request authenticated by token (for
// example DefaultToken, or Token("bob")), as the auth package's transport
// would do against a real Jira.
func (e *Emulator) ClientAs(token string) *http.Client {
	return &http.Client{Transport: Bearer{Token: token, Next: inProcess{e}}}
}

// Bearer is a RoundTripper that sets "Authorization: Bearer Token" on a
// copy of each request. It is for emulator tokens, which are not secrets.
type Bearer struct {
	Token string
	Next  http.RoundTripper // nil: http.DefaultTransport
}

// RoundTrip implements http.RoundTripper.
func (b Bearer) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+b.Token)
	next := b.Next
	if next == nil {
		next = http.DefaultTransport
	}
	return next.RoundTrip(r)
}

type inProcess struct{ h http.Handler }

func (t inProcess) RoundTrip(r *http.Request) (*http.Response, error) {
	if err := r.Context().Err(); err != nil {
		return nil, err
	}
	rec := httptest.NewRecorder()
	// The handler must not see the caller's body reader after we return.
	if r.Body != nil {
		b, err := io.ReadAll(r.Body)
		r.Body.Close()
		if err != nil {
			return nil, err
		}
		r = r.Clone(r.Context())
		r.Body = io.NopCloser(bytes.NewReader(b))
	}
	if r.RequestURI == "" {
		r.RequestURI = r.URL.RequestURI()
	}
	if aborted := serveCatchingAbort(t.h, rec, r); aborted {
		return nil, &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}
	}
	if err := r.Context().Err(); err != nil {
		return nil, err // the caller gave up while it was served, as over a socket
	}
	resp := rec.Result()
	resp.Request = r
	return resp, nil
}

// serveCatchingAbort serves r, reporting a handler that aborted with
// http.ErrAbortHandler (a Reset fault) as a server would: no answer.
func serveCatchingAbort(h http.Handler, w http.ResponseWriter, r *http.Request) (aborted bool) {
	defer func() {
		if p := recover(); p != nil {
			if p != http.ErrAbortHandler {
				panic(p)
			}
			aborted = true
		}
	}()
	h.ServeHTTP(w, r)
	return false
}

// Server is an Emulator served over HTTP on a loopback port.
type Server struct {
	*Emulator
	URL string
	srv *httptest.Server
}

// NewServer starts an emulator on 127.0.0.1. Call Close when done.
func NewServer(opts ...Option) *Server {
	srv := httptest.NewUnstartedServer(nil)
	url := "http://" + srv.Listener.Addr().String()
	e := New(append([]Option{WithBaseURL(url)}, opts...)...)
	srv.Config.Handler = e
	srv.Start()
	return &Server{Emulator: e, URL: url, srv: srv}
}

// NewTLSServer is NewServer over HTTPS with a self-signed certificate;
// Client returns a client that trusts it.
func NewTLSServer(opts ...Option) *Server {
	srv := httptest.NewUnstartedServer(nil)
	url := "https://" + srv.Listener.Addr().String()
	e := New(append([]Option{WithBaseURL(url)}, opts...)...)
	srv.Config.Handler = e
	srv.StartTLS()
	return &Server{Emulator: e, URL: url, srv: srv}
}

// Client returns a client for the server's own URL (trusting its TLS
// certificate when there is one).
func (s *Server) Client() *http.Client { return s.srv.Client() }

// ClientAs is Client with every request authenticated by token.
func (s *Server) ClientAs(token string) *http.Client {
	c := *s.srv.Client() // a copy: httptest shares one client
	c.Transport = Bearer{Token: token, Next: c.Transport}
	return &c
}

// Close shuts the server down.
func (s *Server) Close() { s.srv.Close() }
