package auth

import (
	"errors"
	"fmt"
)

// ErrLoginRequired means there is no usable login: nothing in the keyring,
// or Jira rejected the stored refresh token or client credentials. The
// remedy is always a human running `jira-mcp auth login`.
//
// Every error of this kind, ErrLoginRequired itself included, has a method
// LoginRequired() bool returning true, so that packages that must not import
// auth (tools/jira) can detect it with errors.As through *url.Error.
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

// CredentialsError means no access token could be had for a reason other
// than a missing login: the keyring is locked, unreachable or misconfigured,
// or Jira's token endpoint could not be reached. Nothing was sent to Jira's
// API. It has a method CredentialsUnavailable() bool returning true, so that
// tools/jira, which does not import auth, can tell the agent that retrying
// will not help and the user must look at the keyring.
type CredentialsError struct{ Err error }

func (e *CredentialsError) Error() string {
	return "could not get a Jira access token: " + e.Err.Error()
}

// CredentialsUnavailable reports true.
func (e *CredentialsError) CredentialsUnavailable() bool { return true }

func (e *CredentialsError) Unwrap() error { return e.Err }

// ErrHostNotAllowed is returned for a request to anything but the configured
// Jira base URL.
var ErrHostNotAllowed = errors.New("request refused: jira-mcp only talks to the configured Jira URL")

// ErrStateMismatch means the authorization callback carried a state other
// than the one this login sent: a stale tab or a forged redirect.
var ErrStateMismatch = errors.New("authorization callback state does not match this login")

// loginRequiredFor maps a token endpoint error to a LoginError when logging
// in again is the fix.
func loginRequiredFor(err *TokenError) error {
	switch err.Code {
	case "invalid_grant":
		return &LoginError{Reason: "Jira rejected the refresh token (invalid_grant)", Err: err}
	case "invalid_client", "unauthorized_client":
		return &LoginError{Reason: "Jira rejected the client credentials (" + err.Code + ")", Err: err}
	}
	return err
}
