//go:build linux

package auth

import (
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"golang.org/x/sys/unix"
)

// unlockPerm lets only possessors (processes holding the session keyring
// the key was added to) view, read, search and change it: not other
// processes of the same user outside that session.
const unlockPerm = 0x3f000000

func unlockDescription(dir string) string {
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	return "jira-mcp:file-keyring:" + dir
}

// unlockedPassphrase reads the passphrase `auth unlock` left in this
// process's session keyring for the file keyring in dir.
func unlockedPassphrase(dir string) (string, bool) {
	id, err := unix.KeyctlSearch(unix.KEY_SPEC_SESSION_KEYRING, "user", unlockDescription(dir), 0)
	if err != nil {
		return "", false
	}
	buf := make([]byte, 4096)
	n, err := unix.KeyctlBuffer(unix.KEYCTL_READ, id, buf, 0)
	if err != nil || n > len(buf) || n == 0 {
		return "", false
	}
	return string(buf[:n]), true
}

// keepPassphrase puts the passphrase of the file keyring in dir in the
// session keyring for ttl.
func keepPassphrase(dir, pass string, ttl time.Duration) error {
	// Without a session keyring of its own, KEY_SPEC_SESSION_KEYRING is the
	// user-session keyring, which every process of the user without one
	// shares: not a bounded set of readers.
	ses, err := unix.KeyctlGetKeyringID(unix.KEY_SPEC_SESSION_KEYRING, false)
	if err != nil {
		return fmt.Errorf("no session keyring: %w", err)
	}
	if us, err := unix.KeyctlGetKeyringID(unix.KEY_SPEC_USER_SESSION_KEYRING, false); err == nil && us == ses {
		return errors.New("this shell has no session keyring of its own (only the user-session keyring, shared by every process of yours without one): " +
			"start one with `keyctl session`, then run jira-mcp auth unlock and your MCP client from that shell")
	}
	id, err := unix.AddKey("user", unlockDescription(dir), []byte(pass), unix.KEY_SPEC_SESSION_KEYRING)
	if err != nil {
		return fmt.Errorf("keep the passphrase in the session keyring: %w", err)
	}
	if err := unix.KeyctlSetperm(id, unlockPerm); err != nil {
		unix.KeyctlInt(unix.KEYCTL_REVOKE, id, 0, 0, 0)
		return fmt.Errorf("keep the passphrase in the session keyring: %w", err)
	}
	if _, err := unix.KeyctlInt(unix.KEYCTL_SET_TIMEOUT, id, int(ttl/time.Second), 0, 0); err != nil {
		unix.KeyctlInt(unix.KEYCTL_REVOKE, id, 0, 0, 0)
		return fmt.Errorf("keep the passphrase in the session keyring: %w", err)
	}
	return nil
}

// forgetPassphrase removes it (auth lock, auth logout).
func forgetPassphrase(dir string) error {
	id, err := unix.KeyctlSearch(unix.KEY_SPEC_SESSION_KEYRING, "user", unlockDescription(dir), 0)
	if errors.Is(err, unix.ENOKEY) {
		return nil
	}
	if err != nil {
		return err
	}
	_, err = unix.KeyctlInt(unix.KEYCTL_UNLINK, id, unix.KEY_SPEC_SESSION_KEYRING, 0, 0)
	return err
}

const canUnlock = true
