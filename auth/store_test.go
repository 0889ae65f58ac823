package auth

import (
	"context"
	"errors"
	"os"
	"reflect"
	"testing"
	"time"
)

// requireBackend skips the test when s's keyring backend cannot work here,
// saying why; with JIRA_MCP_TEST_SECRET_SERVICE=required (set by
// .ci/keyring-session.sh once gnome-keyring answers) secret-service must.
func requireBackend(t *testing.T, s Settings) {
	t.Helper()
	if s.KeyringBackend == "secret-service" && os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		t.Skip("secret-service: DBUS_SESSION_BUS_ADDRESS is unset; source .ci/keyring-session.sh to run it against gnome-keyring")
	}
	st, err := newStore(s, nil)
	if err != nil {
		t.Fatal(err)
	}
	st.timeout = 10 * time.Second
	probe := keyringKey("https://probe.invalid", t.Name())
	err = st.put(context.Background(), probe, &record{URL: "https://probe.invalid"})
	if err == nil {
		err = st.remove(context.Background(), probe)
	}
	if err == nil {
		return
	}
	if s.KeyringBackend == "secret-service" && os.Getenv("JIRA_MCP_TEST_SECRET_SERVICE") == "required" {
		t.Fatalf("secret-service required but not working: %v", err)
	}
	t.Skipf("%s keyring not usable here: %v", s.KeyringBackend, err)
}

func TestStoreBackends(t *testing.T) {
	for _, backend := range []string{"file", "keyctl", "secret-service"} {
		t.Run(backend, func(t *testing.T) {
			s := Settings{KeyringBackend: backend, KeyringDir: t.TempDir()}
			t.Setenv(EnvKeyringPassword, "pw")
			requireBackend(t, s)
			st, err := newStore(s, nil)
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			key := keyringKey("https://jira.test.invalid", t.Name()+time.Now().String())
			t.Cleanup(func() { st.remove(ctx, key) })
			if _, err := st.get(ctx, key); !errors.Is(err, errNotFound) {
				t.Fatalf("get before put: %v, want errNotFound", err)
			}
			want := &record{URL: "https://jira.test.invalid", ClientID: "c", ClientSecret: canarySecret,
				AccessToken: canaryTokenPrefix + "a", RefreshToken: canaryTokenPrefix + "r",
				Expiry: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC), User: "alice"}
			for i := range 2 { // the second put replaces the first
				want.AccessToken = canaryTokenPrefix + string(rune('a'+i))
				if err := st.put(ctx, key, want); err != nil {
					t.Fatal(err)
				}
				got, err := st.get(ctx, key)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("get = %#v, want the record put", *got) // redacted by GoString
				}
			}
			// A second process (fresh store) sees the same entry.
			other, _ := newStore(s, nil)
			if got, err := other.get(ctx, key); err != nil || got.AccessToken != want.AccessToken {
				t.Fatalf("fresh store: %v", err)
			}
			if err := st.remove(ctx, key); err != nil {
				t.Fatal(err)
			}
			if _, err := st.get(ctx, key); !errors.Is(err, errNotFound) {
				t.Fatalf("get after remove: %v", err)
			}
			if err := st.remove(ctx, key); err != nil {
				t.Fatalf("remove twice: %v", err)
			}
		})
	}
}

// The file backend with no password and no terminal must fail clearly, not
// panic (keyring v1.2.2 calls a nil password func) nor prompt on stdout.
func TestFileBackendWithoutPassword(t *testing.T) {
	t.Setenv(EnvKeyringPassword, "")
	st, err := newStore(Settings{KeyringBackend: "file", KeyringDir: t.TempDir()}, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = st.put(context.Background(), "jira-mcp:x", &record{})
	if !errors.Is(err, errNoTTY) {
		t.Fatalf("put: %v, want errNoTTY", err)
	}
}

func TestRecordRedacted(t *testing.T) {
	r := record{AccessToken: canaryTokenPrefix, ClientSecret: canarySecret}
	for _, s := range []string{r.String(), r.GoString()} {
		assertNoCanary(t, "record formatting", s)
	}
}

func TestKeyringKey(t *testing.T) {
	a := keyringKey("https://jira.example.com", "c1")
	if a != keyringKey("https://jira.example.com", "c1") || a == keyringKey("https://jira.example.com", "c2") ||
		a == keyringKey("https://jira2.example.com", "c1") || a[:9] != "jira-mcp:" {
		t.Fatalf("keys not per login: %s", a)
	}
}
