// Package jira is the Jira Data Center REST client that jira-mcp's tools use.
//
// It relies on github.com/andygrunwald/go-jira v1.16.0 for request building
// and transport, but sends its own request bodies and decodes into its own
// types: go-jira's comment and transition payloads serialize empty structs
// that Jira rejects, and its search is GET-only (long JQL must be POSTed).
//
// The client never authenticates by itself. It is given an *http.Client
// (from the auth package, or the emulator's in-process client) whose
// transport adds credentials; nothing here sees or prints a token. The
// rules of the site itself (base URL, loopback, redirects, anonymous
// answers) are in tools/jira/site.
//
// # Errors
//
// This is the one place that says how jira-mcp's errors are told apart:
// by type with errors.As, or by method through the small interfaces below,
// never by their text, whose wording may improve at any time. A method of
// the Client fails with one of:
//
//   - *InputError: an argument refused before anything was sent.
//   - *APIError: Jira answered with a non-2xx status; the Status field
//     classifies it. Its texts (Messages, Errors, Body) are Jira's or a
//     proxy's, passed through Redact: never a credential, whatever field
//     it came in. A 401 after which the transport could not renew the
//     token (its error says TokenRefused() bool) has that error as Cause,
//     which Unwrap returns: Jira did nothing, and Cause says what to do.
//     Retries says how often a read was retried before it (see
//     WithRetry). Jira's protocol marks two cases only in its words, and
//     APIError's methods are the only code that reads them:
//     PermissionRefused (a 400 that is a permission error) and
//     PagedTooDeep (a 500 for a search paged past Jira's window).
//   - *AnswerError: a 2xx answer that cannot be trusted: not Jira's JSON,
//     or a write's answer served to an anonymous user (Anonymous). A
//     write's outcome is then unknown: tools read back to confirm it.
//   - what the http.Client's transport returned, wrapped in *url.Error.
//     The auth package's errors say what they are by methods, which this
//     package reads through interfaces of its own (tools must not import
//     auth): LoginRequired() bool (see LoginRequired), AsksToLogIn() bool
//     (see LoginAdvice), CredentialsUnavailable() bool (see
//     CredentialsUnavailable), NotSent() bool (see NotSent; an error
//     reporting false, as auth's *RefusedError does, stops the search:
//     the request was sent) and TokenRefused() bool (made an *APIError,
//     above). Their texts name the step that fixes them. Other transport
//     errors are told apart with context.Canceled,
//     context.DeadlineExceeded, *RedirectError (a redirect off the site,
//     refused), *tls.CertificateVerificationError and the x509 errors it
//     wraps, *net.DNSError and net.Error.
package jira

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	gojira "github.com/andygrunwald/go-jira"
	gojson "github.com/goccy/go-json"

	"github.com/jira-mcp/jira-mcp/tools/jira/site"
)

// Client talks to one Jira DC instance. It is safe for concurrent use.
type Client struct {
	base *url.URL
	jc   *gojira.Client

	fieldsMu sync.Mutex
	fields   []Field // cached /field answer
	fieldsAt time.Time
	// fieldsForced is when a reload was last forced (see Fields).
	fieldsForced time.Time
	fieldsLoad   chan struct{} // closed when the read under way ends; nil when none

	now         func() time.Time                           // the clock of the field cache; time.Now
	retryBudget time.Duration                              // 0: no retries (see WithRetry)
	sleep       func(context.Context, time.Duration) error // waits between retries
	jitter      func() float64                             // in [0, 1), spreads the waits
}

// fieldsTTL bounds how long the field list is trusted: admins add custom
// fields rarely, and a miss on a name forces a reload anyway.
const fieldsTTL = 30 * time.Minute

// fieldsReloadEvery bounds forced reloads: an agent repeating an unknown
// field name gets the list read again at most once a minute, not on every
// call.
const fieldsReloadEvery = time.Minute

// New returns a client for the Jira base URL (for example
// https://jira.example.com or https://example.com/jira), checked and made
// canonical by site.ParseBaseURL: HTTPS unless its host is loopback. hc
// supplies authentication; its redirects are confined to the site
// (site.Within). Retries are off unless an option turns them on
// (WithRetry).
func New(baseURL string, hc *http.Client, opts ...Option) (*Client, error) {
	u, err := site.ParseBaseURL(baseURL)
	if err != nil {
		return nil, err
	}
	if hc == nil {
		hc = http.DefaultClient
	}
	confined := *hc
	next := hc.CheckRedirect
	confined.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if !site.Within(u, req.URL) {
			return &RedirectError{To: clipText(Redact(req.URL.Scheme+"://"+req.URL.Host), 100), Site: u.Redacted()}
		}
		if next != nil {
			return next(req, via)
		}
		if len(via) >= 10 {
			return errors.New("stopped after 10 redirects")
		}
		return nil
	}
	jc, err := gojira.NewClient(&confined, u.String())
	if err != nil {
		return nil, fmt.Errorf("jira client: %w", err)
	}
	c := &Client{base: u, jc: jc, now: time.Now, sleep: sleep, jitter: jitter}
	for _, o := range opts {
		o(c)
	}
	return c, nil
}

// BaseURL returns the Jira base URL without a trailing slash.
func (c *Client) BaseURL() string { return c.base.String() }

// BrowseURL returns the web address of an issue.
func (c *Client) BrowseURL(key string) string {
	return c.base.String() + "/browse/" + url.PathEscape(key)
}

// MaxKeyLength bounds an issue key (or id) the tools send to Jira.
const MaxKeyLength = 255

// validKey reports whether s is an issue key as Jira sends it: an ASCII
// project key (a letter, then letters, digits or underscores), a hyphen and
// a number without leading zero, at most MaxKeyLength bytes; or a numeric
// issue id of at most 18 digits. It reads bytes, not runes: only ASCII can
// pass.
func validKey(s string) bool {
	if s == "" || len(s) > MaxKeyLength {
		return false
	}
	if isDigit(s[0]) {
		if len(s) > 18 || s[0] == '0' && len(s) > 1 {
			return false
		}
		for i := range len(s) {
			if !isDigit(s[i]) {
				return false
			}
		}
		return true
	}
	dash := strings.IndexByte(s, '-')
	if dash < 1 || s[0] < 'A' || s[0] > 'Z' {
		return false
	}
	for i := 1; i < dash; i++ {
		if c := s[i]; !(c >= 'A' && c <= 'Z' || isDigit(c) || c == '_') {
			return false
		}
	}
	num := s[dash+1:]
	if num == "" || num[0] == '0' {
		return false
	}
	for i := range len(num) {
		if !isDigit(num[i]) {
			return false
		}
	}
	return true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// NormalizeKey checks an issue key (or numeric id) before anything is sent
// and returns it as Jira writes it. Keys are ASCII: lower-case ASCII
// letters are made upper case ("proj-12" is sent as PROJ-12), and nothing
// else is folded, since Unicode case mapping turns "ſ" into S and "ı" into
// I, naming another issue. The error quotes at most the key's start.
func NormalizeKey(s string) (string, error) {
	k := strings.TrimSpace(s)
	if k == "" {
		return "", &InputError{Msg: "issue_key is required, like PROJ-123"}
	}
	if len(k) > MaxKeyLength {
		return "", &InputError{Msg: fmt.Sprintf("%s… (%d bytes) is not an issue key: keys are at most %d characters, like PROJ-123", quoteStart(k), len(k), MaxKeyLength)}
	}
	k = asciiUpper(k)
	if !validKey(k) {
		return "", &InputError{Msg: fmt.Sprintf("%s is not an issue key: expected ASCII letters, digits or underscores starting with a letter, a hyphen and a number, like PROJ-123", quoteStart(s))}
	}
	return k, nil
}

// asciiUpper upper-cases ASCII letters only.
func asciiUpper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}

// quoteStart quotes the first 40 bytes of s at most, cut on a rune
// boundary: an argument echoed in an error must stay short.
func quoteStart(s string) string {
	const n = 40
	if len(s) <= n {
		return strconv.Quote(s)
	}
	return strconv.Quote(strings.TrimSuffix(clipText(s, n), "…")) + "…"
}

// RedirectError is a redirect off the configured site, refused: the
// configured URL is not where Jira answers, or a proxy or single sign-on
// service redirects. Retrying will not help.
type RedirectError struct {
	To   string // scheme://host redirected to
	Site string // the configured base URL
}

func (e *RedirectError) Error() string {
	return "refusing redirect to " + e.To + ": jira-mcp only talks to " + e.Site
}

// InputError is an argument problem found before anything was sent.
type InputError struct{ Msg string }

func (e *InputError) Error() string { return e.Msg }

// APIError is a non-2xx answer from Jira.
type APIError struct {
	Method     string
	Path       string
	Status     int
	Messages   []string          // errorMessages
	Errors     map[string]string // errors, by field
	RetryAfter time.Duration     // from Retry-After, on 429 and 503
	Body       string            // a short excerpt when the body was not Jira's JSON
	// Cause, on a 401, is why the token Jira refused could not be
	// renewed (see TokenRefused): what to tell the user, rather than to
	// log in again.
	Cause   error
	Retries int // how many times the request was retried before this answer
}

// Unwrap returns Cause.
func (e *APIError) Unwrap() error { return e.Cause }

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "jira %s %s: %d %s", e.Method, e.Path, e.Status, http.StatusText(e.Status))
	if d := e.Detail(); d != "" {
		b.WriteString(": ")
		b.WriteString(d)
	}
	return b.String()
}

// Detail joins Jira's messages and field errors into one line.
func (e *APIError) Detail() string {
	parts := append([]string(nil), e.Messages...)
	keys := make([]string, 0, len(e.Errors))
	for k := range e.Errors {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		parts = append(parts, k+": "+e.Errors[k])
	}
	if len(parts) == 0 && e.Body != "" {
		parts = append(parts, e.Body)
	}
	return strings.Join(parts, "; ")
}

// PermissionRefused reports whether Jira refused for lack of permission:
// a 403, or a 400 whose message says so (Jira DC answers a comment made
// without the permission with 400). Only Jira's words tell that 400 from
// bad input, so this method reads them; it is one of the two places that
// may (see the package doc).
func (e *APIError) PermissionRefused() bool {
	if e.Status == http.StatusForbidden {
		return true
	}
	// Not "do not have permission to view it": that is JQL naming a field.
	return e.Status == http.StatusBadRequest && strings.Contains(strings.ToLower(e.Detail()), "do not have the permission")
}

// PagedTooDeep reports whether a 500 answer to a search says the page asked
// for lies past the result window Jira allows ("The requested result window
// is too large"): narrowing the JQL helps, retrying does not. Only Jira's
// words tell it from any other failure, so this method reads them; it is
// one of the two places that may (see the package doc).
func (e *APIError) PagedTooDeep() bool {
	return e.Status == http.StatusInternalServerError && strings.Contains(strings.ToLower(e.Detail()), "result")
}

// AnswerError is a successful (2xx) answer that cannot be trusted: one
// that could not be read as Jira's JSON (cut short, malformed, or a page
// from a proxy or single sign-on service standing in front of Jira), or a
// write's answer that Jira served to an anonymous user because it refused
// the token (Anonymous). For a write, Jira may have done what was asked.
type AnswerError struct {
	Method, Path string
	Status       int
	ContentType  string
	Err          error  // nil when the content type alone was wrong
	Anonymous    string // Jira served it as an anonymous user: its X-Seraph-LoginReason
}

func (e *AnswerError) Error() string {
	if e.Anonymous != "" {
		return fmt.Sprintf("jira %s %s: %d answer served to an anonymous user (X-Seraph-LoginReason: %s): the change may have been made", e.Method, e.Path, e.Status, e.Anonymous)
	}
	s := fmt.Sprintf("jira %s %s: %d answer could not be read", e.Method, e.Path, e.Status)
	if e.Err != nil {
		return s + ": " + Redact(e.Err.Error())
	}
	return s + ": content type " + e.ContentType + ", not JSON"
}

func (e *AnswerError) Unwrap() error { return e.Err }

// LoginRequired reports whether err says the user must log in (again). The
// auth package's errors implement LoginRequired() bool; tools must not
// import auth, so the check goes through this interface.
func LoginRequired(err error) bool {
	var lr interface{ LoginRequired() bool }
	return errors.As(err, &lr) && lr.LoginRequired()
}

// LoginAdvice returns the text of the error in err's chain that says the
// user must log in and already tells the user how: one whose
// AsksToLogIn() bool reports true, as the auth package's *LoginError does
// (its text gives the reason and names `jira-mcp auth login`). ok is false
// when no error in the chain says so; the caller then words the advice
// itself.
func LoginAdvice(err error) (advice string, ok bool) {
	e, ok := errors.AsType[interface {
		error
		AsksToLogIn() bool
	}](err)
	if !ok || !e.AsksToLogIn() {
		return "", false
	}
	return Redact(e.Error()), true
}

// NotSent reports whether err says the request never reached Jira's API
// (cancelled while waiting for an access token, say, or Jira's token
// endpoint not answering). The auth package's errors implement
// NotSent() bool.
func NotSent(err error) bool {
	var ns interface{ NotSent() bool }
	return errors.As(err, &ns) && ns.NotSent()
}

// tokenRefused reports whether err says Jira refused the request's token
// (so did nothing) and the transport could not get a new one: the auth
// package's *RefusedError implements TokenRefused() bool.
func tokenRefused(err error) bool {
	var tr interface{ TokenRefused() bool }
	return errors.As(err, &tr) && tr.TokenRefused()
}

// CredentialsUnavailable reports whether err says no access token could
// be had for another reason than a missing login (a locked or unreachable
// keyring, say). Nothing was sent to Jira. The auth package's errors
// implement CredentialsUnavailable() bool.
func CredentialsUnavailable(err error) bool {
	var cu interface{ CredentialsUnavailable() bool }
	return errors.As(err, &cu) && cu.CredentialsUnavailable()
}

// do sends one request. body, when not nil, is JSON-encoded; out, when not
// nil, receives the decoded answer.
func (c *Client) do(ctx context.Context, method, path string, query url.Values, body, out any) error {
	return c.doThen(ctx, method, path, query, body, out, nil)
}

// bufPool recycles the buffers answers are read into: a 20-issue search
// is about 25 KB, and growing a fresh buffer for each was half of what a
// call allocated. Decoded values never point into a buffer (strings and
// raw messages are copied), so a buffer is reused once decoding is over.
var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxAnswer bounds what is read of one answer.
const maxAnswer = 64 << 20

// doThen is do that also hands the answer's bytes to then, while they are
// valid, for a second look (extra fields kept raw).
func (c *Client) doThen(ctx context.Context, method, path string, query url.Values, body, out any, then func(raw []byte) error) error {
	return c.retrying(ctx, method, path, func() error {
		return c.once(ctx, method, path, query, body, out, then)
	})
}

// once sends the request once (see doThen).
func (c *Client) once(ctx context.Context, method, path string, query url.Values, body, out any, then func(raw []byte) error) error {
	u := path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	req, err := c.jc.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return fmt.Errorf("build %s %s: %w", method, path, err)
	}
	req.Header.Set("Accept", "application/json")
	if body == nil {
		req.Header.Del("Content-Type")
	}
	resp, err := c.jc.Do(req, nil)
	if resp == nil {
		if tokenRefused(err) {
			// Jira answered 401 and did nothing; the transport could not
			// renew the token: that is still Jira's refusal.
			return &APIError{Method: method, Path: path, Status: http.StatusUnauthorized, Cause: err}
		}
		return err
	}
	defer resp.Body.Close()
	if reason, anonymous := site.ServedAnonymously(resp.Header); anonymous {
		// Jira's login filter served the request as anonymous rather than
		// refusing it: whatever it answered is not the user's view. A
		// write it accepted may have been made, as the anonymous user: its
		// outcome is unknown, for the tools to confirm by reading back.
		io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
		reason = clipText(Redact(reason), 100)
		if resp.StatusCode >= 200 && resp.StatusCode <= 299 && !site.Reads(method, path) {
			return &AnswerError{Method: method, Path: path, Status: resp.StatusCode, ContentType: clipText(Redact(resp.Header.Get("Content-Type")), 100), Anonymous: reason}
		}
		return &APIError{Method: method, Path: path, Status: http.StatusUnauthorized,
			Messages: []string{"Jira did not accept the credentials (X-Seraph-LoginReason: " + reason + ") and answered as an anonymous user"}}
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return newAPIError(method, path, resp.Response)
	}
	if out == nil || resp.StatusCode == http.StatusNoContent {
		// Where Jira answers with no body (a 201 or 204 to a write), a body
		// that is not JSON is someone else's answer (a proxy's page, an
		// answer cut short): Jira's outcome is then unknown, not a success.
		body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
		if b := bytes.TrimSpace(body); err != nil || len(b) > 0 && !gojson.Valid(b) {
			return &AnswerError{Method: method, Path: path, Status: resp.StatusCode, ContentType: clipText(Redact(resp.Header.Get("Content-Type")), 100), Err: err}
		}
		return nil
	}
	// Read whole, then Unmarshal: json.Decoder would scan the body twice.
	buf := bufPool.Get().(*bytes.Buffer)
	defer func() {
		if buf.Cap() <= 1<<20 { // do not keep a rare huge answer's buffer
			buf.Reset()
			bufPool.Put(buf)
		}
	}()
	buf.Reset()
	if resp.ContentLength > 0 && resp.ContentLength < maxAnswer {
		buf.Grow(int(resp.ContentLength) + bytes.MinRead)
	}
	ct := clipText(Redact(resp.Header.Get("Content-Type")), 100) // shown in errors
	if ct != "" && !strings.Contains(strings.ToLower(ct), "json") {
		return &AnswerError{Method: method, Path: path, Status: resp.StatusCode, ContentType: ct}
	}
	if _, err := buf.ReadFrom(io.LimitReader(resp.Body, maxAnswer)); err != nil {
		return &AnswerError{Method: method, Path: path, Status: resp.StatusCode, ContentType: ct, Err: err}
	}
	if err := gojson.Unmarshal(buf.Bytes(), out); err != nil {
		return &AnswerError{Method: method, Path: path, Status: resp.StatusCode, ContentType: ct, Err: err}
	}
	if then != nil {
		return then(buf.Bytes())
	}
	return nil
}

func newAPIError(method, path string, resp *http.Response) *APIError {
	e := &APIError{Method: method, Path: path, Status: resp.StatusCode}
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	var jerr struct {
		ErrorMessages []string          `json:"errorMessages"`
		Errors        map[string]string `json:"errors"`
		Message       string            `json:"message"`
	}
	if json.Unmarshal(raw, &jerr) == nil {
		// Jira's words, or a proxy's, may echo the request's credentials:
		// none of them is kept unredacted.
		for _, m := range jerr.ErrorMessages {
			e.Messages = append(e.Messages, Redact(m))
		}
		if len(jerr.Errors) > 0 {
			e.Errors = make(map[string]string, len(jerr.Errors))
		}
		for k, v := range jerr.Errors {
			// Redacted with its field name, which may be the label
			// ("access_token": "...") that tells a credential.
			full := Redact(k + ": " + v)
			if rest, ok := strings.CutPrefix(full, k+": "); ok {
				v = rest
			} else {
				v = Redact(v)
			}
			e.Errors[Redact(k)] = v
		}
		if len(e.Messages) == 0 && len(e.Errors) == 0 && jerr.Message != "" {
			e.Messages = []string{Redact(jerr.Message)}
		}
	}
	if len(e.Messages) == 0 && len(e.Errors) == 0 {
		e.Body = excerpt(raw)
	}
	if ra := resp.Header.Get("Retry-After"); ra != "" {
		if s, err := strconv.Atoi(strings.TrimSpace(ra)); err == nil && s >= 0 {
			e.RetryAfter = time.Duration(s) * time.Second
		} else if t, err := http.ParseTime(ra); err == nil {
			if d := time.Until(t); d > 0 {
				e.RetryAfter = d.Round(time.Second)
			}
		}
	}
	return e
}

// excerpt keeps a short, single-line, printable start of a non-JSON body
// (an HTML error page from a proxy, say).
func excerpt(raw []byte) string {
	s := strings.TrimSpace(string(bytes.ToValidUTF8(raw, nil)))
	if strings.HasPrefix(s, "<") {
		return "" // HTML pages say nothing an agent can use
	}
	s = strings.Join(strings.Fields(s), " ")
	s = strings.Map(func(r rune) rune { // no escape sequences for a terminal
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, s)
	return clipText(Redact(s), 200)
}

// clipText cuts s to n bytes and "…", on a rune boundary: half a
// character is invalid UTF-8.
func clipText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
