package auth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
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

var errNoTTY = errors.New("the file keyring needs a password: run from a terminal, or set " + EnvKeyringPassword + " (meant for headless CI only)")

// store is the keyring of one Settings, opened lazily, every call bounded by
// a timeout. Calls are serialized because backends keep unsynchronized
// state; a call that timed out keeps the slot until it really returns.
type store struct {
	backend string
	cfg     keyring.Config
	timeout time.Duration
	slot    chan struct{}
	ring    keyring.Keyring // guarded by slot
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
	return &store{
		backend: backend,
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
			// keyring.TerminalPrompt writes to stdout, which carries JSON-RPC
			// while serving; ours prompts on stderr.
			FilePasswordFunc: filePassword(stdin),
		},
		timeout: keyringCallTimeout,
		slot:    make(chan struct{}, 1),
	}, nil
}

// filePassword takes JIRA_MCP_KEYRING_PASSWORD, or asks on stderr when stdin
// is a terminal. The server's stdin is the JSON-RPC stream, never a terminal.
func filePassword(stdin *os.File) func(string) (string, error) {
	return func(prompt string) (string, error) {
		if p := os.Getenv(EnvKeyringPassword); p != "" {
			return p, nil
		}
		if stdin == nil || !term.IsTerminal(int(stdin.Fd())) {
			return "", errNoTTY
		}
		// The prompt goes to stderr: stdout may be the JSON-RPC channel.
		fmt.Fprintf(os.Stderr, "%s: ", prompt)
		b, err := term.ReadPassword(int(stdin.Fd()))
		fmt.Fprint(os.Stderr, "\n")
		if err != nil {
			return "", fmt.Errorf("read keyring password: %w", err)
		}
		return string(b), nil
	}
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
			r, err := keyring.Open(s.cfg)
			if err != nil {
				done <- s.openError(err)
				return
			}
			s.ring = r
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
		return err
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
