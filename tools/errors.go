package tools

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/jira-mcp/jira-mcp/tools/jira"
)

const (
	loginStep       = "Ask the user to run `jira-mcp auth login` in a terminal; do not try to obtain or handle tokens yourself."
	noTokens        = "Do not try to obtain or handle tokens yourself."
	credentialsStep = "ask the user to unlock the OS keyring or check its setting (`jira-mcp auth status` shows it); do not try to read the keyring yourself."
)

// op says what the failed call was doing, for messages.
type op struct {
	what  string // "search", "read PROJ-1", ...
	key   string // issue key, if any
	write bool   // a write: its outcome may be unknown after a transport error
}

// failure turns an error from the Jira client into a tool result the agent
// can act on. Errors that are not about Jira or the input are bugs and are
// returned as Go errors. It tells errors apart by type and method only, as
// tools/jira's package doc sets out; their text is shown, never parsed.
func failure(o op, err error) (*mcp.CallToolResult, error) {
	var in *jira.InputError
	if errors.As(err, &in) {
		return errorResult(KindInvalidInput, in.Msg), nil
	}
	if jira.LoginRequired(err) {
		// The auth package says why (never logged in, refresh token
		// refused...) and names the command; keep its words when it does.
		if advice, ok := jira.LoginAdvice(err); ok {
			return errorResult(KindLoginRequired, capitalize(strings.TrimRight(advice, "."))+". "+noTokens), nil
		}
		return errorResult(KindLoginRequired, "Not logged in to Jira: ask the user to run `jira-mcp auth login` in a terminal. "+noTokens), nil
	}
	if jira.CredentialsUnavailable(err) {
		reason := strings.TrimRight(transportReason(err), ".")
		return errorResult(KindCredentials, fmt.Sprintf("%s. %s, and retrying will not help: %s", capitalize(reason), notDoneBecause(err), credentialsStep)), nil
	}
	if ae, ok := errors.AsType[*jira.APIError](err); ok && ae.Cause != nil {
		// Jira refused the token (so did nothing) and no new one could be
		// had: the renewal's failure says what to do, not "log in".
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return errorResult(KindUnreachable, "Cancelled while renewing the access token Jira refused. Nothing was changed."), nil
		}
		return errorResult(KindUnreachable, fmt.Sprintf("%s. %s.", capitalize(strings.TrimRight(transportReason(ae.Cause), ".")), notDoneBecause(err))), nil
	}
	if msg, ok := wontHeal(o, err); ok {
		return errorResult(KindUnreachable, msg), nil
	}
	if jira.NotSent(err) {
		// Nothing reached Jira's API: a write certainly did not happen.
		// The auth package's text names the step (try again shortly,
		// check the URL...).
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return errorResult(KindUnreachable, "Cancelled before anything was sent to Jira."), nil
		}
		return errorResult(KindUnreachable, fmt.Sprintf("%s. Nothing was sent to Jira.", capitalize(strings.TrimRight(transportReason(err), ".")))), nil
	}
	var ae *jira.APIError
	if errors.As(err, &ae) {
		return errorResult(apiKind(ae), apiMessage(o, ae)), nil
	}
	var ans *jira.AnswerError
	if errors.As(err, &ans) && ans.Anonymous != "" {
		// Only writes get here: a read so answered is refused (401).
		return errorResult(KindJira, fmt.Sprintf("Jira did not accept the access token to %s and answered as an anonymous user (HTTP %d, X-Seraph-LoginReason %s): the change may have been made, as the anonymous user. Check with %s before retrying.", o.what, ans.Status, ans.Anonymous, GetIssue)), nil
	}
	if errors.As(err, &ans) {
		msg := fmt.Sprintf("Jira's answer to %s could not be read (HTTP %d, %s)", o.what, ans.Status, orDash(ans.ContentType))
		if ans.Err != nil {
			msg += ": " + transportReason(ans.Err)
		}
		msg += ". A proxy or single sign-on page may stand in front of Jira; if this persists, ask the user to check the Jira URL."
		if o.write {
			msg += fmt.Sprintf(" Jira may have made the change: check with %s before retrying.", GetIssue)
		}
		return errorResult(KindJira, msg), nil
	}
	if errors.Is(err, context.Canceled) {
		return errorResult(KindUnreachable, "Cancelled before Jira answered."+unknownOutcome(o)), nil
	}
	var ue *url.Error
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ue) || errors.As(err, &ne) {
		return errorResult(KindUnreachable, fmt.Sprintf("Could not reach Jira to %s: %s.%s", o.what, transportReason(err), unknownOutcome(o))), nil
	}
	return nil, &redactedError{msg: o.what + ": " + jira.Redact(err.Error()), err: err}
}

// notDoneBecause says that a request that failed for want of a token did
// nothing: it was never sent, or Jira refused its token (the error's text
// says so).
func notDoneBecause(err error) string {
	if jira.NotSent(err) {
		return "Nothing was sent to Jira"
	}
	return "Nothing was changed"
}

// wontHeal words the transport failures that retrying will not mend: a
// certificate this machine does not accept, a redirect off the site, a
// host name that does not resolve. Each names the step that fixes it.
func wontHeal(o op, err error) (string, bool) {
	sent := ""
	if jira.NotSent(err) {
		sent = " Nothing was sent to Jira."
	}
	_, unknownCA := errors.AsType[x509.UnknownAuthorityError](err)
	if _, ok := errors.AsType[*x509.UnknownAuthorityError](err); ok || unknownCA {
		return "Jira's TLS certificate is signed by an authority this machine does not trust. If Jira uses a private certificate authority, ask the user to set SSL_CERT_FILE to a file holding its CA certificate (PEM) in the environment the MCP client starts jira-mcp with, then restart it; retrying will not help." + sent, true
	}
	if he, ok := errors.AsType[x509.HostnameError](err); ok {
		return fmt.Sprintf("Jira's TLS certificate is not valid for %s: ask the user to check the Jira URL (`jira-mcp auth status` shows it); retrying will not help.%s", he.Host, sent), true
	}
	if ce, ok := errors.AsType[*tls.CertificateVerificationError](err); ok {
		return fmt.Sprintf("Jira's TLS certificate was refused (%s): a Jira administrator must fix the certificate, or the user must check the Jira URL; retrying will not help.%s", jira.Redact(ce.Err.Error()), sent), true
	}
	if re, ok := errors.AsType[*jira.RedirectError](err); ok {
		what := fmt.Sprintf("Jira's answer to %s redirected to %s, off the configured Jira site %s", o.what, re.To, re.Site)
		return what + ": the Jira URL may be wrong (ask the user to check it; `jira-mcp auth status` shows it), or a proxy or single sign-on service in front of Jira redirects; retrying will not help.", true
	}
	if de, ok := errors.AsType[*net.DNSError](err); ok && de.IsNotFound {
		return fmt.Sprintf("The Jira host name %s does not resolve: ask the user to check the Jira URL (`jira-mcp auth status` shows it), or the network's DNS or VPN.%s", jira.Redact(de.Name), sent), true
	}
	return "", false
}

// redactedError is err with credentials removed from its text: a Go error
// reaches the agent (as a JSON-RPC error) and the log.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// Error kinds, carried in an error result's _meta under MetaErrorKind so
// that programs (the CLI twin, clients) can branch without parsing text.
const (
	MetaErrorKind = "jira-mcp/error"

	KindInvalidInput  = "invalid_input" // an argument, checked before anything was sent
	KindBadRequest    = "bad_request"   // Jira answered 400 (bad JQL, a field Jira refused)
	KindLoginRequired = "login_required"
	KindCredentials   = "credentials_unavailable" // the keyring could not be read
	KindForbidden     = "forbidden"
	KindNotFound      = "not_found"
	KindRateLimited   = "rate_limited"
	KindJira          = "jira_error"
	KindUnreachable   = "unreachable"
)

func errorResult(kind, text string) *mcp.CallToolResult {
	r := mcp.NewToolResultError(text)
	r.Meta = mcp.NewMetaFromMap(map[string]any{MetaErrorKind: kind})
	return r
}

// ErrorKind returns the kind of an error result, "" for a success.
func ErrorKind(r *mcp.CallToolResult) string {
	if r == nil || !r.IsError {
		return ""
	}
	if r.Meta != nil {
		if k, ok := r.Meta.AdditionalFields[MetaErrorKind].(string); ok {
			return k
		}
	}
	return KindJira
}

func apiKind(e *jira.APIError) string {
	switch {
	case e.Status == 401:
		return KindLoginRequired
	case e.PermissionRefused():
		return KindForbidden
	case e.Status == 404:
		return KindNotFound
	case e.Status == 429:
		return KindRateLimited
	case e.Status == 400:
		return KindBadRequest
	}
	return KindJira
}

// unknownOutcome warns that a write may have happened: never retry blindly.
func unknownOutcome(o op) string {
	if !o.write {
		return " Try again shortly."
	}
	return fmt.Sprintf(" The change may or may not have been made: check with %s before retrying.", GetIssue)
}

func transportReason(err error) string {
	if errors.Is(err, context.DeadlineExceeded) {
		return "timed out"
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err // drop the URL: its query repeats the request
	}
	// A transport's error is not ours: it may quote a header or a token.
	return jira.Redact(err.Error())
}

func apiMessage(o op, e *jira.APIError) string {
	detail := e.Detail()
	switch {
	case e.Status == 401:
		return "Jira did not accept the login (401)" + colon(strings.TrimRight(detail, ".")) + ". " + loginStep
	case e.PermissionRefused():
		return fmt.Sprintf("Permission denied: Jira refused to %s (%d)%s. The user lacks the Jira permission; do not retry, tell the user.", o.what, e.Status, colon(detail))
	case e.Status == 404 && o.key != "":
		return fmt.Sprintf("Issue %s does not exist or you do not have permission to see it. Check the key, or find it with %s.", o.key, Search)
	case e.Status == 404:
		return fmt.Sprintf("Jira answered 404 to %s%s.", o.what, colon(detail))
	case e.Status == 429:
		wait := "a minute"
		if e.RetryAfter > 0 {
			wait = fmt.Sprintf("%d seconds", int(e.RetryAfter.Seconds()+0.5))
		}
		return fmt.Sprintf("Jira is rate limiting requests (429%s): wait %s before the next call.%s", retried(e), wait, notDone(o))
	case e.Status == 400 && o.what == "search":
		if detail == "" {
			detail = "(Jira gave no reason)"
		}
		return "Jira rejected the JQL: " + strings.TrimRight(detail, ".") + ". Fix the query and search again."
	case e.Status == 400:
		return fmt.Sprintf("Jira rejected the request to %s: %s", o.what, detail)
	case o.what == "search" && e.PagedTooDeep():
		return "Jira failed (500) paging this deep: " + detail + " Narrow the JQL instead of paging further."
	case e.Status >= 500:
		s := fmt.Sprintf("Jira failed with %d%s while trying to %s%s.", e.Status, retried(e), o.what, colon(detail))
		if e.RetryAfter > 0 {
			s += fmt.Sprintf(" It asks to wait %d seconds.", int(e.RetryAfter.Seconds()+0.5))
		}
		return s + unknownOutcome(o)
	}
	return fmt.Sprintf("Jira answered %d to %s%s.", e.Status, o.what, colon(detail))
}

// retried says how often the client retried before this answer, if it
// did: ", after 2 retries".
func retried(e *jira.APIError) string {
	switch e.Retries {
	case 0:
		return ""
	case 1:
		return ", after 1 retry"
	}
	return fmt.Sprintf(", after %d retries", e.Retries)
}

// capitalize starts a sentence with an upper-case letter.
func capitalize(s string) string {
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

func notDone(o op) string {
	if o.write {
		return " Nothing was changed."
	}
	return ""
}

func colon(s string) string {
	if s == "" {
		return ""
	}
	return ": " + s
}

func inputError(format string, a ...any) (*mcp.CallToolResult, error) {
	return errorResult(KindInvalidInput, fmt.Sprintf(format, a...)), nil
}
