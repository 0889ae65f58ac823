package auth

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
)

// ErrLoginRequired means there is no usable login: nothing in the keyring,
// or Jira rejected the stored refresh token or client credentials. The
// remedy is always a human running `jira-mcp auth login`.
//
// Every error of this kind, ErrLoginRequired itself included, has methods
// LoginRequired() bool and AsksToLogIn() bool returning true, so that
// packages that must not import auth (tools/jira) can detect it with
// errors.As through *url.Error, and know its text names the fix.
var ErrLoginRequired error = &LoginError{}

// LoginError is an ErrLoginRequired with the reason the login is unusable.
// errors.Is(err, ErrLoginRequired) holds for every *LoginError.
type LoginError struct {
	Reason string // empty: never logged in (or logged out)
	Err    error  // the cause, such as a *TokenError; may be nil
}

func (e *LoginError) Error() string {
	if e.Reason == "" {
		return "not logged in: ask the user to run `jira-mcp auth login`"
	}
	return "login no longer valid (" + e.Reason + "): ask the user to run `jira-mcp auth login`"
}

// LoginRequired reports true: the user must log in again.
func (e *LoginError) LoginRequired() bool { return true }

// AsksToLogIn reports true: the error's text gives the reason and asks the
// user to run `jira-mcp auth login`, so callers (tools, through
// jira.LoginAdvice) show it as it is instead of wording their own.
func (e *LoginError) AsksToLogIn() bool { return true }

// Is makes every *LoginError match ErrLoginRequired.
func (e *LoginError) Is(target error) bool { return target == ErrLoginRequired }

func (e *LoginError) Unwrap() error { return e.Err }

// TokenError is an OAuth 2.0 error answer (RFC 6749 section 5.2) from Jira's
// token endpoint. Description is scrubbed of any secret this program sent.
type TokenError struct {
	Status      int    // HTTP status
	Code        string // "invalid_grant", "invalid_client", ...
	Description string
}

func (e *TokenError) Error() string {
	s := "token endpoint answered " + e.Code
	if e.Code == "" {
		s = "token endpoint failed"
	}
	if e.Description != "" {
		s += " (" + e.Description + ")"
	}
	return fmt.Sprintf("%s, HTTP %d", s, e.Status)
}

// CredentialsError means no access token could be had because the OS
// keyring or the login's lock file failed: the keyring is locked,
// unreachable or misconfigured, or the lock file cannot be taken. Nothing
// was sent to Jira's API, and retrying will not help until the user looks
// at the keyring. It has methods CredentialsUnavailable() bool and
// NotSent() bool returning true, so that tools/jira, which does not import
// auth, can tell the agent so.
type CredentialsError struct{ Err error }

func (e *CredentialsError) Error() string {
	return "could not get a Jira access token: " + e.Err.Error()
}

// CredentialsUnavailable reports true.
func (e *CredentialsError) CredentialsUnavailable() bool { return true }

// NotSent reports true: the request never reached Jira's API.
func (e *CredentialsError) NotSent() bool { return true }

func (e *CredentialsError) Unwrap() error { return e.Err }

// TemporaryError means Jira's token endpoint failed in passing: it could not
// be reached, did not answer in time, or answered 429 or 5xx. Nothing was
// sent to Jira's API and the login is still good: retrying shortly may work.
// It has methods Temporary() bool and NotSent() bool returning true.
type TemporaryError struct {
	Err error // a *TokenError, or the transport's error
}

func (e *TemporaryError) Error() string {
	why := e.Err.Error()
	if te, ok := errors.AsType[*TokenError](e.Err); ok {
		why = fmt.Sprintf("HTTP %d", te.Status)
	}
	return "Jira's token endpoint is not answering (" + why + "); try again shortly"
}

// Temporary reports true: retrying shortly may work.
func (e *TemporaryError) Temporary() bool { return true }

// NotSent reports true: the request never reached Jira's API.
func (e *TemporaryError) NotSent() bool { return true }

func (e *TemporaryError) Unwrap() error { return e.Err }

// NotSentError means a request through Session.HTTPClient was given up
// before anything was sent to Jira's API: its context ended while it waited
// for an access token (errors.Is(err, context.Canceled) or
// context.DeadlineExceeded holds), or no token could be had for a reason
// none of the other error kinds names. It has a method NotSent() bool
// returning true, so that tools/jira knows a write was not made.
type NotSentError struct{ Err error }

func (e *NotSentError) Error() string { return "request not sent to Jira: " + e.Err.Error() }

// NotSent reports true.
func (e *NotSentError) NotSent() bool { return true }

func (e *NotSentError) Unwrap() error { return e.Err }

// ErrHostNotAllowed is returned for a request to anything but the configured
// Jira base URL.
var ErrHostNotAllowed = errors.New("request refused: jira-mcp only talks to the configured Jira URL")

// ErrStateMismatch means the authorization callback carried a state other
// than the one this login sent: a stale tab or a forged redirect.
var ErrStateMismatch = errors.New("authorization callback state does not match this login")

// classify maps an error answer of the token endpoint to a refresh to the
// error kind callers act on: 429 and 5xx are passing (*TemporaryError);
// invalid_grant, invalid_client, unauthorized_client and any other 400 or
// 401 mean the refresh token or the client is refused, so only logging in
// again helps (*LoginError). Any other status is not an OAuth error
// answer (*UnexpectedAnswerError).
func classify(err *TokenError) error {
	switch {
	case err.Status == http.StatusTooManyRequests || err.Status >= 500:
		return &TemporaryError{Err: err}
	case err.Code == "invalid_grant":
		return &LoginError{Reason: "Jira rejected the refresh token (invalid_grant)", Err: err}
	case err.Code == "invalid_client", err.Code == "unauthorized_client":
		return &LoginError{Reason: "Jira rejected the client credentials (" + err.Code + ")", Err: err}
	case err.Status == http.StatusBadRequest || err.Status == http.StatusUnauthorized:
		why := "HTTP " + strconv.Itoa(err.Status)
		if err.Code != "" {
			why += " " + err.Code
		}
		return &LoginError{Reason: "Jira's token endpoint refused the refresh (" + why + ")", Err: err}
	}
	return &UnexpectedAnswerError{Err: err}
}

// UnexpectedAnswerError means Jira's token endpoint did not answer as
// Jira's OAuth 2.0 provider does: an HTML page or JSON without a token,
// or a status no OAuth error uses (a 404, say). A proxy or single sign-on
// service in front of Jira answered in its place, or the URL is not
// Jira's: the login may well be intact, and retrying may work. Nothing
// was sent to Jira's API: it has a method NotSent() bool returning true.
type UnexpectedAnswerError struct {
	Err *TokenError // the status, and a scrubbed description of the answer
}

func (e *UnexpectedAnswerError) Error() string {
	return fmt.Sprintf("Jira's token endpoint did not answer as Jira does (%s): a proxy or single sign-on page may stand in front of Jira, or the URL is not Jira's. Try again; if it keeps happening, ask the user to check the Jira URL (`jira-mcp auth status` shows it)", e.Err)
}

// NotSent reports true: the request never reached Jira's API.
func (e *UnexpectedAnswerError) NotSent() bool { return true }

func (e *UnexpectedAnswerError) Unwrap() error { return e.Err }

// RefusedError means Jira refused a request's access token (a 401, or a
// read served as an anonymous user), so it did nothing with the request,
// and no new token could be had to send it again; Err says why (a
// *TemporaryError, *CredentialsError, *UnexpectedAnswerError, a context's
// error...). The request was sent: NotSent() bool reports false, which
// stops errors.As before any NotSent of Err. TokenRefused() bool reports
// true, for tools/jira to report Jira's refusal: nothing was done.
type RefusedError struct{ Err error }

func (e *RefusedError) Error() string {
	return "Jira refused the access token and no new one could be had: " + e.Err.Error()
}

// NotSent reports false: the request reached Jira, which refused it.
func (e *RefusedError) NotSent() bool { return false }

// TokenRefused reports true: Jira refused the token and did nothing.
func (e *RefusedError) TokenRefused() bool { return true }

func (e *RefusedError) Unwrap() error { return e.Err }
