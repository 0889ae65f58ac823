// Package site holds the rules of the one Jira site jira-mcp talks to:
// what a base URL may be and its canonical form, which hosts count as
// loopback (the only ones plain http may reach), which URLs lie on the
// site, and how Jira's login filter says it served a request as an
// anonymous user. The auth package (which pins every request to the site)
// and tools/jira (which talks to it) both apply these rules, so they are
// written once, here. It imports nothing of jira-mcp.
package site

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// ParseBaseURL checks a Jira base URL and returns its canonical form: an
// absolute http or https URL with a host, no user info, query or fragment,
// and https unless the host is loopback; scheme and host in lower case
// (url.Parse lowers the scheme), no trailing slash. Surrounding spaces are ignored. An error never repeats a
// password put in the URL.
//
// The canonical form names the login (auth's keyring entry is keyed by
// it), so it must not change for a URL accepted before.
func ParseBaseURL(raw string) (*url.URL, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil, errors.New("no Jira URL given (for example https://jira.example.com)")
	}
	shown := HideUserinfo(raw) // never echo a password someone put in the URL
	u, err := url.Parse(raw)
	if err != nil {
		if ue, ok := errors.AsType[*url.Error](err); ok {
			err = ue.Err // its text repeats the whole URL
		}
		return nil, fmt.Errorf("jira URL %q: %w", shown, err)
	}
	if u.Scheme != "https" && u.Scheme != "http" || u.Hostname() == "" {
		return nil, fmt.Errorf("jira URL %q must be absolute, like https://jira.example.com", shown)
	}
	if u.User != nil || u.RawQuery != "" || u.ForceQuery || u.Fragment != "" {
		return nil, fmt.Errorf("jira URL %q must not carry user info, a query or a fragment", shown)
	}
	if u.Scheme == "http" && !IsLoopback(u.Hostname()) {
		return nil, fmt.Errorf("jira URL %q must use https: plain http is allowed only for a loopback host", shown)
	}
	u.Host = strings.ToLower(u.Host)
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = strings.TrimRight(u.RawPath, "/")
	return u, nil
}

// IsLoopback reports whether host names the local machine only:
// "localhost" in any case, or a loopback IP address.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// HideUserinfo replaces whatever precedes an "@" in a URL's authority (a
// user and maybe a password) with "…", even when the URL does not parse.
func HideUserinfo(raw string) string {
	rest, scheme := raw, ""
	if i := strings.Index(raw, "://"); i >= 0 {
		scheme, rest = raw[:i+3], raw[i+3:]
	}
	authority := rest
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		authority = rest[:i]
	}
	if at := strings.LastIndex(authority, "@"); at >= 0 {
		return scheme + "…" + rest[at:]
	}
	return raw
}

// Within reports whether u lies on the site whose canonical base URL is
// base: the same scheme, host and port, and a path under base's context
// path. Nothing else may be sent a request or followed in a redirect.
func Within(base, u *url.URL) bool {
	return strings.EqualFold(u.Scheme, base.Scheme) && strings.EqualFold(u.Host, base.Host) &&
		(base.Path == "" || u.Path == base.Path || strings.HasPrefix(u.Path, base.Path+"/"))
}

// ServedAnonymously reports whether Jira's login filter (Seraph) could not
// authenticate a request and answered it as an anonymous user, as it does
// for a refused token on resources anonymous users may see: the answer is
// then not the user's view. It returns the X-Seraph-LoginReason that says
// so.
func ServedAnonymously(h http.Header) (reason string, ok bool) {
	r := h.Get("X-Seraph-LoginReason")
	if strings.Contains(r, "AUTHENTICATED_FAILED") || strings.Contains(r, "AUTHENTICATION_DENIED") {
		return r, true
	}
	return "", false
}

// Reads reports whether a request only reads: GET, HEAD or OPTIONS, or a
// POST to Jira's search (rest/api/2/search or rest/api/latest/search),
// which takes its JQL in the body only so that long queries fit. path is
// the request's path relative to the site (see Rel). Any other request
// may change something in Jira: it must not be sent twice unless Jira
// certainly did not act on it.
func Reads(method, path string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return true
	case http.MethodPost:
		p := strings.TrimPrefix(path, "/")
		return p == "rest/api/2/search" || p == "rest/api/latest/search"
	}
	return false
}

// Rel returns u's path relative to the site whose canonical base URL is
// base, without a leading slash ("rest/api/2/search"); u must lie on the
// site (Within).
func Rel(base, u *url.URL) string {
	return strings.TrimPrefix(strings.TrimPrefix(u.Path, base.Path), "/")
}
