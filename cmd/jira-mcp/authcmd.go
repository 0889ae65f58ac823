package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/cli/browser"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/jira-mcp/jira-mcp/auth"
)

// openInBrowser opens url in the user's browser; tests replace it with a
// headless stand-in. cli/browser writes the launcher's output to its
// package-level Stdout, which is pointed at stderr.
var openInBrowser = func(url string, stderr io.Writer) error {
	browser.Stdout, browser.Stderr = stderr, stderr
	return browser.OpenURL(url)
}

// newAuthCmd is `jira-mcp auth login | status | logout`. Everything for the
// person at the terminal goes to stderr; stdout carries only status output.
func newAuthCmd() *cobra.Command {
	var flags auth.Flags
	cmd := &cobra.Command{
		Use:   "auth",
		Short: "Log in to Jira Data Center with OAuth 2.0, show or remove the login",
		Long: `auth manages the OAuth 2.0 login that serve uses. A person runs "auth login"
once in a terminal; the tokens and the client secret go to the OS keyring and
never to a file, a flag, an environment variable or the agent.`,
	}
	flags.Register(cmd.PersistentFlags())
	cmd.AddCommand(newAuthLoginCmd(&flags), newAuthStatusCmd(&flags), newAuthLogoutCmd(&flags), newAuthUnlockCmd(&flags))
	return cmd
}

// resolve is auth.Resolve with a setting that can never work (an unknown
// keyring backend) reported as a usage error, for every command.
func resolve(flags auth.Flags) (auth.Settings, error) {
	s, err := auth.Resolve(flags, os.Getenv)
	if errors.Is(err, auth.ErrBadSetting) {
		return s, usage(err)
	}
	return s, err
}

// keepTerminal saves the state of the terminal on stdin, if any, and
// returns what puts it back: whatever happens to a prompt (Ctrl-C, a
// timeout, a reader that lost its terminal), the terminal is left with
// its echo.
func keepTerminal(cmd *cobra.Command) func() {
	tty := terminal(cmd.InOrStdin())
	if tty == nil {
		return func() {}
	}
	st, err := term.GetState(int(tty.Fd()))
	if err != nil {
		return func() {}
	}
	return func() { term.Restore(int(tty.Fd()), st) }
}

type loginFlags struct {
	noBrowser    bool
	timeout      time.Duration
	secretStdin  bool
	callbackCert string
	callbackKey  string
	caFile       string
}

func newAuthLoginCmd(flags *auth.Flags) *cobra.Command {
	var lf loginFlags
	cmd := &cobra.Command{
		Use:   "login",
		Short: "Log in through the browser (authorization code with PKCE)",
		Long: `login opens Jira's authorization page in the browser and waits for the redirect
on the loopback redirect URL registered in Jira's incoming application link.
The client secret is read from stdin with --client-secret-stdin or asked for
on the terminal; it is never a flag or an environment variable.`,
		Example: `  jira-mcp auth login --url https://jira.example.com --client-id 0a1b2c...
  pass show jira/oauth-secret | jira-mcp auth login --client-secret-stdin --no-browser`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runLogin(cmd, *flags, lf) },
	}
	f := cmd.Flags()
	f.BoolVar(&lf.noBrowser, "no-browser", false, "only print the authorization URL")
	f.DurationVar(&lf.timeout, "timeout", 5*time.Minute, "give up after this long")
	f.BoolVar(&lf.secretStdin, "client-secret-stdin", false, "read the client secret from stdin (empty: the client has none)")
	f.StringVar(&lf.callbackCert, "callback-cert", "", "PEM certificate for an https:// redirect URL (default: self-signed, in memory)")
	f.StringVar(&lf.callbackKey, "callback-key", "", "PEM key for --callback-cert")
	f.StringVar(&lf.caFile, "ca-file", "", "PEM file of the only CAs to trust for Jira; saved with the login (default: the system's)")
	return cmd
}

func runLogin(cmd *cobra.Command, flags auth.Flags, lf loginFlags) error {
	s, err := resolve(flags)
	if err != nil {
		return err
	}
	if err := s.Validate(); err != nil {
		return usage(err)
	}
	defer keepTerminal(cmd)()
	stderr := cmd.ErrOrStderr()
	tty := terminal(cmd.InOrStdin())
	var secret string
	switch {
	case lf.secretStdin:
		b, err := io.ReadAll(io.LimitReader(cmd.InOrStdin(), 64<<10))
		if err != nil {
			return fmt.Errorf("read client secret: %w", err)
		}
		secret = strings.TrimRight(string(b), "\r\n")
	case tty != nil:
		fmt.Fprint(stderr, "Client secret of the Jira application link (empty if it has none): ")
		b, err := term.ReadPassword(int(tty.Fd()))
		fmt.Fprintln(stderr)
		if err != nil {
			return fmt.Errorf("read client secret: %w", err)
		}
		secret = strings.TrimSpace(string(b))
	default:
		fmt.Fprintln(stderr, "No terminal and no --client-secret-stdin: logging in without a client secret.")
	}
	lo := auth.LoginOptions{
		ClientSecret: secret,
		Timeout:      lf.timeout,
		Out:          stderr,
		CallbackCert: lf.callbackCert,
		CallbackKey:  lf.callbackKey,
		CAFile:       lf.caFile,
	}
	if !lf.noBrowser {
		lo.OpenBrowser = func(u string) error { return openInBrowser(u, stderr) }
	}
	var opts []auth.Option
	if tty != nil && !lf.secretStdin {
		lo.Paste = tty
		opts = append(opts, auth.WithTerminal(tty))
	}
	st, err := auth.Login(cmd.Context(), s, lo, opts...)
	if errors.Is(err, auth.ErrLoginCancelled) {
		return errors.New("login cancelled: nothing was saved")
	}
	if errors.Is(err, auth.ErrBadSetting) {
		return usage(err)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "Logged in to %s as %s.\n", st.URL, who(st))
	fmt.Fprintf(stderr, "Scope %s; access token valid until %s. Tokens and client secret are in the %s keyring; settings in %s.\n",
		st.Scope, st.Expiry.Local().Format(time.RFC3339), st.KeyringBackend, st.ConfigPath)
	return nil
}

func who(st *auth.Status) string {
	if st.DisplayName != "" && st.DisplayName != st.User {
		return fmt.Sprintf("%s (%s)", st.DisplayName, st.User)
	}
	return st.User
}

// terminalOpts lets the file keyring ask for its password when stdin is a
// terminal.
func terminalOpts(cmd *cobra.Command) []auth.Option {
	if tty := terminal(cmd.InOrStdin()); tty != nil {
		return []auth.Option{auth.WithTerminal(tty)}
	}
	return nil
}

// terminal returns r as a file when it is a terminal.
func terminal(r io.Reader) *os.File {
	if f, ok := r.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		return f
	}
	return nil
}

func newAuthStatusCmd(flags *auth.Flags) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Show who is logged in, to which Jira, and when the access token expires",
		Long:  "status reads the keyring only (no network). It exits 3 when not logged in.",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := resolve(*flags)
			if err != nil {
				return err
			}
			defer keepTerminal(cmd)()
			if s.URL == "" || s.ClientID == "" {
				if asJSON {
					json.NewEncoder(cmd.OutOrStdout()).Encode(auth.Status{URL: s.URL, ClientID: s.ClientID, KeyringBackend: s.KeyringBackend, ConfigPath: s.ConfigPath})
				}
				return &exitError{code: exitLogin, err: errors.New("not logged in: no Jira URL or client ID configured; run `jira-mcp auth login --url URL --client-id ID`")}
			}
			opts := terminalOpts(cmd)
			st, err := auth.ReadStatus(cmd.Context(), s, opts...)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if asJSON {
				enc := json.NewEncoder(out)
				enc.SetIndent("", "  ")
				if err := enc.Encode(st); err != nil {
					return err
				}
			} else {
				printStatus(out, st)
			}
			if !st.LoggedIn {
				return &exitError{code: exitLogin} // printed above; as the CLI twin: 3 is "not logged in"
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the status as JSON")
	return cmd
}

func printStatus(w io.Writer, st *auth.Status) {
	if !st.LoggedIn {
		fmt.Fprintf(w, "Not logged in to %s. Run `jira-mcp auth login`.\n", st.URL)
		fmt.Fprintf(w, "  keyring: %s (%s)\n", st.KeyringBackend, st.KeyringKey)
		return
	}
	fmt.Fprintf(w, "Logged in to %s as %s\n", st.URL, who(st))
	fmt.Fprintf(w, "  scope:        %s\n", st.Scope)
	if !st.Expiry.IsZero() {
		left := time.Until(st.Expiry).Round(time.Second)
		state := "valid for " + left.String()
		if left <= 0 {
			state = "expired; refreshed on next use"
		}
		fmt.Fprintf(w, "  access token: until %s (%s)\n", st.Expiry.Local().Format(time.RFC3339), state)
	}
	fmt.Fprintf(w, "  keyring:      %s (%s)\n", st.KeyringBackend, st.KeyringKey)
	fmt.Fprintf(w, "  client ID:    %s\n", st.ClientID)
	if st.ConfigPath != "" {
		fmt.Fprintf(w, "  config:       %s\n", st.ConfigPath)
	}
}

func newAuthLogoutCmd(flags *auth.Flags) *cobra.Command {
	return &cobra.Command{
		Use:   "logout",
		Short: "Remove the login: keyring entry (tokens, client secret) and config file",
		Long: `logout removes what jira-mcp stored for the login. Jira DC has no token
revocation endpoint: to cut off the tokens already issued, revoke the
application's access in Jira (profile > OAuth 2.0 authorizations).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := resolve(*flags)
			if err != nil {
				return err
			}
			if s.URL == "" || s.ClientID == "" {
				fmt.Fprintln(cmd.ErrOrStderr(), "Nothing to log out of: no login configured.")
				return nil
			}
			defer keepTerminal(cmd)()
			opts := terminalOpts(cmd)
			existed, err := auth.Logout(cmd.Context(), s, opts...)
			if err != nil {
				return err
			}
			if existed {
				fmt.Fprintf(cmd.ErrOrStderr(), "Logged out of %s: keyring entry and %s removed.\n", s.URL, s.ConfigPath)
			} else {
				fmt.Fprintf(cmd.ErrOrStderr(), "No login stored for %s; %s removed if it existed.\n", s.URL, s.ConfigPath)
			}
			return nil
		},
	}
}

func newAuthUnlockCmd(flags *auth.Flags) *cobra.Command {
	var ttl time.Duration
	var lock bool
	cmd := &cobra.Command{
		Use:   "unlock",
		Short: "Keep the file keyring's passphrase in this session's kernel keyring, for serve (Linux)",
		Long: `unlock asks for the file keyring's passphrase and keeps it in the Linux kernel
session keyring of this terminal for --ttl (default 8h), readable only by
processes of this session: serve, started by an MCP client launched from
here, finds it there, so that no password goes into the client's config or
environment. Commands the agent runs in the sandbox get a session keyring of
their own and cannot read it. --lock forgets it at once.`,
		Example: `  jira-mcp auth unlock --keyring-backend file && claude
  jira-mcp auth unlock --lock`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := resolve(*flags)
			if err != nil {
				return err
			}
			if lock {
				return auth.Lock(s)
			}
			tty := terminal(cmd.InOrStdin())
			if tty == nil {
				return usage(errors.New("auth unlock asks for the passphrase on a terminal: run it in one"))
			}
			defer keepTerminal(cmd)()
			if err := auth.Unlock(cmd.Context(), s, ttl, auth.WithTerminal(tty)); err != nil {
				if errors.Is(err, auth.ErrBadSetting) {
					return usage(err)
				}
				return err
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "Unlocked for %s: serve started from this session reads the file keyring without a password in its config.\n", ttl)
			return nil
		},
	}
	cmd.Flags().DurationVar(&ttl, "ttl", auth.DefaultUnlockTTL, "how long the passphrase is kept")
	cmd.Flags().BoolVar(&lock, "lock", false, "forget the passphrase now")
	return cmd
}
