package auth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/99designs/keyring"
	"golang.org/x/term"
)

// record is what the keyring holds for one login. It carries secrets: it
// must never be printed, logged or put in an error; String and GoString
// redact it in case it is.
type record struct {
	Version      int       `json:"version"`
	URL          string    `json:"url"`
	ClientID     string    `json:"client_id"`
	ClientSecret string    `json:"client_secret,omitempty"`
	AccessToken  string    `json:"access_token"`
	TokenType    string    `json:"token_type,omitempty"`
	RefreshToken string    `json:"refresh_token,omitempty"`
	Expiry       time.Time `json:"expiry,omitzero"`
	Issued       time.Time `json:"issued,omitzero"` // when the access token was got`
	Scope        string    `json:"scope,omitempty"`
	User         string    `json:"user,omitempty"`
	DisplayName  string    `json:"display_name,omitempty"`
}

func (record) String() string   { return "auth.record{[redacted]}" }
func (record) GoString() string { return "auth.record{[redacted]}" }

// keyringCallTimeout bounds every keyring call: a locked Secret Service, or
// a prompt nobody answers, can otherwise block forever.
const keyringCallTimeout = 15 * time.Second

// keyctlPerm gives the possessor and the user (any process of the same uid)
// all rights and nobody else any: set when the named keyring is first
// created, since keyring v1.2.2 keeps the default (user may only view)
// otherwise and another process could not read the token.
const keyctlPerm = 0x3f3f0000

var errNoTTY = errors.New("the file keyring needs its passphrase and there is no terminal to ask it on: run jira-mcp auth unlock in a terminal first, or set " + EnvKeyringPassword + " (meant for headless CI only)")

// ErrWrongPassphrase is matched by the error of a file keyring whose
// entry does not open with the passphrase given.
var ErrWrongPassphrase = errors.New("wrong passphrase for the file keyring (or its entry is damaged): give the passphrase it was made with; to start over, run jira-mcp auth logout and log in again")

// passwordError is a failure to get the file keyring's passphrase (no
// terminal, a prompt that failed, two different answers): not a wrong one.
type passwordError struct{ err error }

func (e *passwordError) Error() string { return e.err.Error() }
func (e *passwordError) Unwrap() error { return e.err }

// store is the keyring of one Settings, opened lazily, every call bounded by
// a timeout. Calls are serialized because backends keep unsynchronized
// state; a call that timed out keeps the slot until it really returns.
type store struct {
	backend string // as configured: "auto" or a backend
	cfg     keyring.Config
	timeout time.Duration
	slot    chan struct{}
	stdin   *os.File
	prompt  io.Writer
	ring    keyring.Keyring // guarded by slot
	used    string          // the backend really opened; guarded by slot
	pass    string          // the file keyring's passphrase once known; guarded by slot
}

func newStore(s Settings, stdin *os.File) (*store, error) {
	backend := first(s.KeyringBackend, DefaultKeyringBackend)
	var allowed []keyring.BackendType
	if backend != "auto" {
		allowed = []keyring.BackendType{keyring.BackendType(backend)}
	}
	dir := s.KeyringDir
	if dir == "" {
		c, err := os.UserConfigDir()
		if err != nil {
			return nil, fmt.Errorf("find config dir: %w", err)
		}
		dir = filepath.Join(c, "jira-mcp", "keyring")
	}
	st := &store{
		backend: backend,
		stdin:   stdin,
		prompt:  os.Stderr,
		cfg: keyring.Config{
			AllowedBackends: allowed,
			ServiceName:     "jira-mcp",
			// A headless session cannot answer the prompt that creating a
			// collection needs; "login" exists wherever a user logged in.
			LibSecretCollectionName:  "login",
			KeyCtlScope:              "user",
			KeyCtlPerm:               keyctlPerm,
			KeychainTrustApplication: true,
			KWalletAppID:             "jira-mcp",
			KWalletFolder:            "jira-mcp",
			PassPrefix:               "jira-mcp",
			WinCredPrefix:            "jira-mcp",
			FileDir:                  dir,
		},
		timeout: keyringCallTimeout,
		slot:    make(chan struct{}, 1),
	}
	// keyring.TerminalPrompt writes to stdout, which carries JSON-RPC
	// while serving; ours prompts on stderr.
	st.cfg.FilePasswordFunc = st.filePassword
	return st, nil
}

// filePassword is the file keyring's passphrase: the one already given,
// JIRA_MCP_KEYRING_PASSWORD, the one `auth unlock` left in the kernel
// keyring, or else asked on stderr when stdin is a terminal (twice for a
// new keyring). The server's stdin is the JSON-RPC stream, never a
// terminal. It runs inside a keyring call (under the slot).
func (s *store) filePassword(string) (string, error) {
	if s.pass != "" {
		return s.pass, nil
	}
	if p := os.Getenv(EnvKeyringPassword); p != "" {
		return p, nil
	}
	if p, ok := unlockedPassphrase(s.cfg.FileDir); ok {
		return p, nil
	}
	if s.stdin == nil || !term.IsTerminal(int(s.stdin.Fd())) {
		return "", &passwordError{errNoTTY}
	}
	fresh := emptyDir(s.cfg.FileDir)
	prompt := fmt.Sprintf("Passphrase of the file keyring in %s", s.cfg.FileDir)
	if fresh {
		prompt = fmt.Sprintf("New file keyring in %s: choose its passphrase", s.cfg.FileDir)
	}
	p, err := readSecret(s.stdin, s.prompt, prompt)
	if err != nil {
		return "", &passwordError{err}
	}
	if p == "" {
		return "", &passwordError{errors.New("the file keyring's passphrase cannot be empty")}
	}
	if fresh {
		again, err := readSecret(s.stdin, s.prompt, "Repeat the passphrase")
		if err != nil {
			return "", &passwordError{err}
		}
		if again != p {
			return "", &passwordError{errors.New("the two passphrases differ: the file keyring was not created; log in again")}
		}
	}
	s.pass = p
	return p, nil
}

// readSecret asks on out and reads a line from the terminal tty without
// echo. term.ReadPassword restores the echo when it returns; the commands
// also restore the terminal's state on their way out, whatever happens.
func readSecret(tty *os.File, out io.Writer, prompt string) (string, error) {
	fmt.Fprintf(out, "%s: ", prompt)
	b, err := term.ReadPassword(int(tty.Fd()))
	fmt.Fprint(out, "\n")
	if err != nil {
		return "", fmt.Errorf("read the file keyring's passphrase: %w", err)
	}
	return string(b), nil
}

// emptyDir reports whether dir holds no entry (or does not exist).
func emptyDir(dir string) bool {
	ents, err := os.ReadDir(dir)
	return err != nil || len(ents) == 0
}

// do runs fn on the open keyring within the store's timeout.
func (s *store) do(ctx context.Context, op string, fn func(keyring.Keyring) error) error {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	select {
	case s.slot <- struct{}{}:
	case <-ctx.Done():
		return fmt.Errorf("keyring %s: %s: earlier keyring call still blocked: %w", s.backend, op, ctx.Err())
	}
	done := make(chan error, 1)
	go func() {
		defer func() { <-s.slot }()
		if s.ring == nil {
			r, used, err := s.open()
			if err != nil {
				done <- s.openError(err)
				return
			}
			s.ring, s.used = r, used
		}
		done <- fn(s.ring)
	}()
	select {
	case err := <-done:
		if err != nil {
			return fmt.Errorf("keyring %s: %s: %w", s.backend, op, err)
		}
		return nil
	case <-ctx.Done():
		return fmt.Errorf("keyring %s: %s: no answer (locked keyring waiting for a prompt?): %w", s.backend, op, ctx.Err())
	}
}

// open opens the configured backend; for "auto", the first of keyring's
// order (Windows, macOS, then Secret Service, KWallet, keyctl, pass, file)
// that opens and, for a Secret Service, lists its collection: a session
// bus without a Secret Service daemon opens, then fails on every call.
func (s *store) open() (keyring.Keyring, string, error) {
	if s.backend != "auto" {
		r, err := keyring.Open(s.cfg)
		return r, s.backend, err
	}
	for _, b := range keyring.AvailableBackends() {
		cfg := s.cfg
		cfg.AllowedBackends = []keyring.BackendType{b}
		r, err := keyring.Open(cfg)
		if err != nil {
			continue
		}
		if b == keyring.SecretServiceBackend || b == keyring.KWalletBackend {
			if _, err := r.Keys(); err != nil {
				continue
			}
		}
		return r, string(b), nil
	}
	return nil, "", keyring.ErrNoAvailImpl
}

// usedBackend is the backend really in use: the one "auto" chose once the
// keyring was opened.
func (s *store) usedBackend(ctx context.Context) string {
	used := ""
	if s.do(ctx, "open", func(keyring.Keyring) error { used = s.used; return nil }) != nil || used == "" {
		return s.backend
	}
	return used
}

// unlock opens the keyring now and, for a file keyring, gets its
// passphrase and checks it on an entry (asking again, up to three times,
// on a terminal): so that a login asks before the browser opens, never
// while something else reads the terminal.
func (s *store) unlock(ctx context.Context) error {
	for try := 0; ; try++ {
		err := s.do(ctx, "unlock", func(r keyring.Keyring) error {
			if s.used != "file" {
				return nil
			}
			keys, err := r.Keys()
			if err != nil || len(keys) == 0 {
				_, err := s.filePassword("") // a new keyring: ask (twice) now
				return err
			}
			_, err = r.Get(keys[0])
			return s.fileError(err)
		})
		if !errors.Is(err, ErrWrongPassphrase) || try == 2 || s.stdin == nil || !term.IsTerminal(int(s.stdin.Fd())) {
			return err
		}
		fmt.Fprintln(s.prompt, "Wrong passphrase; try again.")
	}
}

// fileError names a wrong passphrase, which the file backend reports as
// its decryption library's words (aes.KeyUnwrap(): integrity check
// failed), and forgets it along with the keyring (which keeps it), so the
// next call asks again. Called under the slot.
func (s *store) fileError(err error) error {
	if err == nil || s.used != "file" || errors.Is(err, keyring.ErrKeyNotFound) {
		return err
	}
	if _, ok := errors.AsType[*passwordError](err); ok {
		return err
	}
	if _, ok := errors.AsType[*fs.PathError](err); ok {
		return err
	}
	s.ring, s.pass = nil, ""
	return ErrWrongPassphrase
}

func (s *store) openError(err error) error {
	if !errors.Is(err, keyring.ErrNoAvailImpl) {
		return fmt.Errorf("open: %w", err)
	}
	switch s.backend {
	case "auto":
		return errors.New("open: no keyring backend available: choose one with --keyring-backend (file with " + EnvKeyringDir + " works everywhere)")
	case "secret-service":
		return errors.New("open: secret-service not available: no D-Bus session bus, or no Secret Service daemon (gnome-keyring, KeePassXC) with a \"login\" collection")
	}
	return fmt.Errorf("open: backend %s not available on this system", s.backend)
}

// errNotFound is the store's "no entry".
var errNotFound = errors.New("no entry in keyring")

func (s *store) get(ctx context.Context, key string) (*record, error) {
	var item keyring.Item
	err := s.do(ctx, "read", func(r keyring.Keyring) error {
		var err error
		item, err = r.Get(key)
		return s.fileError(err)
	})
	if errors.Is(err, keyring.ErrKeyNotFound) {
		return nil, errNotFound
	}
	if err != nil {
		return nil, err
	}
	var rec record
	if err := json.Unmarshal(item.Data, &rec); err != nil {
		// Never wrap err: a JSON syntax error can quote the data.
		return nil, fmt.Errorf("keyring %s: entry %s is not a jira-mcp login", s.backend, key)
	}
	return &rec, nil
}

func (s *store) put(ctx context.Context, key string, rec *record) error {
	rec.Version = 1
	data, err := json.Marshal(rec)
	if err != nil {
		return fmt.Errorf("encode login: %w", err)
	}
	return s.do(ctx, "write", func(r keyring.Keyring) error {
		return r.Set(keyring.Item{
			Key:         key,
			Data:        data,
			Label:       key,
			Description: "jira-mcp OAuth 2.0 login for " + rec.URL,
		})
	})
}

// remove deletes the entry; a missing entry is not an error.
func (s *store) remove(ctx context.Context, key string) error {
	err := s.do(ctx, "remove", func(r keyring.Keyring) error { return r.Remove(key) })
	// The file backend answers a missing file with fs.ErrNotExist.
	if errors.Is(err, keyring.ErrKeyNotFound) || errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

// passphrase gets the file keyring's passphrase, checked on an entry when
// there is one (asked twice for a new keyring).
func (s *store) passphrase(ctx context.Context) (string, error) {
	if err := s.unlock(ctx); err != nil {
		return "", err
	}
	var p string
	err := s.do(ctx, "unlock", func(keyring.Keyring) error {
		if s.used != "file" {
			return fmt.Errorf("the %s keyring has no passphrase to keep: auth unlock is for the file backend", s.used)
		}
		var err error
		p, err = s.filePassword("")
		return err
	})
	return p, err
}
