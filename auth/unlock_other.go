//go:build !linux

package auth

import (
	"errors"
	"time"
)

// Outside Linux there is no kernel keyring to keep the passphrase in for a
// bounded time, out of the agent's reach: `auth unlock` is refused, and
// the file keyring needs a terminal (or, in CI only, its variable).
func unlockedPassphrase(string) (string, bool) { return "", false }

func keepPassphrase(string, string, time.Duration) error {
	return errors.New("auth unlock needs Linux's kernel keyring; use the OS keyring (keychain, wincred) instead of the file backend")
}

func forgetPassphrase(string) error { return nil }

const canUnlock = false
