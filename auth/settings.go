package auth

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/google/renameio/v2/maybe"
	"github.com/spf13/pflag"

	"github.com/jira-mcp/jira-mcp/tools/jira/site"
)

// Defaults for settings left unset.
const (
	DefaultRedirectURL    = "http://127.0.0.1:8765/callback"
	DefaultScope          = "WRITE"
	DefaultKeyringBackend = "auto"
)

// Environment variables read by Resolve and Open.
const (
	EnvURL             = "JIRA_URL"
	EnvClientID        = "JIRA_OAUTH_CLIENT_ID"
	EnvRedirectURL     = "JIRA_OAUTH_REDIRECT_URL"
	EnvScope           = "JIRA_OAUTH_SCOPE"
	EnvConfig          = "JIRA_MCP_CONFIG"
	EnvKeyringBackend  = "JIRA_MCP_KEYRING_BACKEND"
	EnvKeyringDir      = "JIRA_MCP_KEYRING_DIR"
	EnvKeyringPassword = "JIRA_MCP_KEYRING_PASSWORD" // file backend, headless CI only
)

// KeyringBackends lists the accepted --keyring-backend values.
var KeyringBackends = []string{"auto", "secret-service", "keychain", "wincred", "kwallet", "pass", "keyctl", "file"}

// scopes are the --scope values jira-mcp accepts. Jira also knows ADMIN and
// SYSTEM_ADMIN; no tool needs them, and an agent must not hold them.
var scopes = []string{"READ", "WRITE"}

// Settings are the non-secret settings of one login. The JSON-tagged fields
// are what the config file holds; the others come from flags or the
// environment on each run.
type Settings struct {
	URL            string `json:"url,omitempty"` // Jira base URL, such as https://jira.example.com
	ClientID       string `json:"client_id,omitempty"`
	RedirectURL    string `json:"redirect_url,omitempty"`
	Scope          string `json:"scope,omitempty"`
	KeyringBackend string `json:"keyring_backend,omitempty"`
	// Trust is the proxy and the CAs the login was made with: chosen by
	// the person at login, used by every later run instead of the
	// environment's (see trust.go).
	Trust Trust `json:"trust,omitzero"`

	ConfigPath string `json:"-"` // where the settings were read from and are saved to
	KeyringDir string `json:"-"` // file backend folder (JIRA_MCP_KEYRING_DIR)
	// LockDir holds the per-login lock files that keep processes from
	// redeeming one refresh token twice. Empty: os.UserCacheDir()/jira-mcp.
	LockDir string `json:"-"`
}

// Flags holds the settings flags of a command; an empty value means the flag
// was not given. Register binds them; Resolve applies them.
type Flags struct {
	URL, ClientID, RedirectURL, Scope, Config, KeyringBackend string
}

// Register adds --url, --client-id, --redirect-url, --scope, --config and
// --keyring-backend to fs. Defaults are left empty so that an unset flag
// does not hide the environment or the config file.
func (f *Flags) Register(fs *pflag.FlagSet) {
	fs.StringVar(&f.URL, "url", "", "Jira Data Center base URL (env "+EnvURL+")")
	fs.StringVar(&f.ClientID, "client-id", "", "OAuth 2.0 client ID of Jira's incoming application link (env "+EnvClientID+")")
	fs.StringVar(&f.RedirectURL, "redirect-url", "", "loopback redirect URL registered in Jira (env "+EnvRedirectURL+"; default "+DefaultRedirectURL+")")
	fs.StringVar(&f.Scope, "scope", "", "OAuth scope: READ or WRITE (env "+EnvScope+"; default "+DefaultScope+")")
	fs.StringVar(&f.Config, "config", "", "config file (env "+EnvConfig+"; default <user config dir>/jira-mcp/config.json)")
	fs.StringVar(&f.KeyringBackend, "keyring-backend", "", "keyring: "+strings.Join(KeyringBackends, ", ")+" (env "+EnvKeyringBackend+"; default auto)")
}

// DefaultConfigPath is os.UserConfigDir()/jira-mcp/config.json.
func DefaultConfigPath() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("find config dir: %w", err)
	}
	return filepath.Join(dir, "jira-mcp", "config.json"), nil
}

// Resolve reads the config file and applies, in increasing precedence, the
// file, the environment (through getenv, normally os.Getenv) and the flags,
// then fills in defaults. A missing config file is not an error. It checks
// only the keyring backend, which every command uses (an error matching
// ErrBadSetting); Open, Login and Validate check the rest.
func Resolve(f Flags, getenv func(string) string) (Settings, error) {
	path := first(f.Config, getenv(EnvConfig))
	if path == "" {
		p, err := DefaultConfigPath()
		if err != nil {
			return Settings{}, err
		}
		path = p
	}
	s, err := LoadConfig(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return Settings{}, err
	}
	s.ConfigPath = path
	s.URL = first(f.URL, getenv(EnvURL), s.URL)
	s.ClientID = first(f.ClientID, getenv(EnvClientID), s.ClientID)
	s.RedirectURL = first(f.RedirectURL, getenv(EnvRedirectURL), s.RedirectURL, DefaultRedirectURL)
	s.Scope = first(f.Scope, getenv(EnvScope), s.Scope, DefaultScope)
	s.KeyringBackend = first(f.KeyringBackend, getenv(EnvKeyringBackend), s.KeyringBackend, DefaultKeyringBackend)
	s.KeyringDir = getenv(EnvKeyringDir)
	if err := checkBackend(s.KeyringBackend); err != nil {
		return Settings{}, err
	}
	return s, nil
}

func first(vals ...string) string {
	for _, v := range vals {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}

// LoadConfig reads a config file. The error wraps fs.ErrNotExist when there
// is none.
func LoadConfig(path string) (Settings, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Settings{}, fmt.Errorf("read config: %w", err)
	}
	var s Settings
	if err := json.Unmarshal(b, &s); err != nil {
		return Settings{}, fmt.Errorf("read config %s: %w", path, err)
	}
	s.ConfigPath = path
	return s, nil
}

// SaveConfig writes the non-secret settings to s.ConfigPath with mode 0600,
// replacing the file atomically (renameio's maybe.WriteFile: a rename on
// Unix, a plain write on Windows, which has no atomic replace).
func SaveConfig(s Settings) error {
	if s.ConfigPath == "" {
		return errors.New("save config: no config path")
	}
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return fmt.Errorf("save config: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(s.ConfigPath), 0o700); err != nil {
		return fmt.Errorf("save config: %w", err)
	}
	// WriteFile keeps an existing file's mode; the config is always 0600.
	if err := os.Chmod(s.ConfigPath, 0o600); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("save config: %w", err)
	}
	if err := maybe.WriteFile(s.ConfigPath, append(b, '\n'), 0o600); err != nil {
		return fmt.Errorf("save config: %w", err)
	}
	return nil
}

// Validate checks that s names a login: a Jira URL over HTTPS (plain HTTP
// only for a loopback host), a client ID, a loopback redirect URL, a known
// scope and keyring backend.
func (s Settings) Validate() error {
	if s.URL == "" {
		return fmt.Errorf("no Jira URL: give --url or set %s", EnvURL)
	}
	if _, err := site.ParseBaseURL(s.URL); err != nil {
		return err
	}
	if s.ClientID == "" {
		return fmt.Errorf("no OAuth client ID: give --client-id or set %s (from Jira's incoming application link)", EnvClientID)
	}
	if _, err := parseRedirectURL(first(s.RedirectURL, DefaultRedirectURL)); err != nil {
		return err
	}
	if sc := first(s.Scope, DefaultScope); !slices.Contains(scopes, sc) {
		return fmt.Errorf("%w: unknown scope %q: use READ or WRITE", ErrBadSetting, sc)
	}
	return checkBackend(s.KeyringBackend)
}

// ErrBadSetting is matched by the errors of settings that can never work.
var ErrBadSetting = errors.New("bad setting")

func checkBackend(b string) error {
	if b = first(b, DefaultKeyringBackend); !slices.Contains(KeyringBackends, b) {
		return fmt.Errorf("%w: unknown keyring backend %q: use one of %s", ErrBadSetting, b, strings.Join(KeyringBackends, ", "))
	}
	return nil
}

// parseRedirectURL checks the login's redirect URL: loopback only, since
// the callback listens on this machine. Like the base URL, it is never
// echoed with a password.
func parseRedirectURL(raw string) (*url.URL, error) {
	shown := site.HideUserinfo(raw)
	u, err := url.Parse(raw)
	if err != nil {
		if ue, ok := errors.AsType[*url.Error](err); ok {
			err = ue.Err // its text repeats the whole URL
		}
		return nil, fmt.Errorf("bad redirect URL %q: %w", shown, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("bad redirect URL %q: want http://127.0.0.1:PORT/PATH", shown)
	}
	if !site.IsLoopback(u.Hostname()) {
		return nil, fmt.Errorf("redirect URL %q is not loopback: the login callback listens only on 127.0.0.1, ::1 or localhost", shown)
	}
	return u, nil
}

// keyringKey is the keyring entry of one login: derived from the canonical
// Jira URL and the client ID, so two logins never share an entry.
func keyringKey(baseURL, clientID string) string {
	sum := sha256.Sum256([]byte(baseURL + "\n" + clientID))
	u, err := url.Parse(baseURL)
	host := "jira"
	if err == nil && u.Host != "" {
		host = u.Host
	}
	return "jira-mcp:" + host + ":" + hex.EncodeToString(sum[:8])
}

// lockPath is the lock file of one login, in dir or the user cache dir.
func lockPath(dir, key string) (string, error) {
	if dir == "" {
		c, err := os.UserCacheDir()
		if err != nil {
			return "", fmt.Errorf("find cache dir: %w", err)
		}
		dir = filepath.Join(c, "jira-mcp")
	}
	name := strings.NewReplacer(":", "_", "/", "_", "\\", "_").Replace(key)
	return filepath.Join(dir, name+".lock"), nil
}

// removeIfEmpty removes dir if it is an empty folder, and reports whether
// it is gone.
func removeIfEmpty(dir string) bool {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return errors.Is(err, fs.ErrNotExist)
	}
	return len(ents) == 0 && os.Remove(dir) == nil
}

func removeIfExists(path string) error {
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}
