//go:build linux

package main

import (
	"bufio"
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/99designs/keyring"

	"github.com/jira-mcp/jira-mcp/tools/jira/emulator"
)

// The containment test logs in with canary secrets, writes the settings
// `setup claude` writes, and then tries, as an agent with a shell would,
// every way we know to read the refresh token, the access token or the
// client secret: through Claude Code's sandbox runtime (srt) with exactly
// those settings, and without it. Every probe must come back empty inside
// the sandbox, while `jira-mcp serve`, outside it, keeps answering. Without
// the sandbox the same probes are run and recorded: the ones that reveal a
// secret there show that the probes can find one.
//
// It needs srt (npm @anthropic-ai/sandbox-runtime) with bubblewrap, socat
// and ripgrep, plus secret-tool, keyctl and python3's dbus module; .ci/run
// installs them and starts a D-Bus session with gnome-keyring. Without them
// it skips, except under CI (CI set), where it fails.

const (
	containCanaryTokens = "CANARYTOK-contain-"
	containCanarySecret = "CANARYSECRET-contain-5d2e"
	containHost         = "jira.containment.test" // resolved by no one: both proxies map it to the emulator
	containClientID     = "containment-client"
)

// A probe is what an agent would type, run by /bin/sh.
type containProbe struct {
	name   string
	script string
	// reveals: the backends for which the probe must find a secret when
	// run without the sandbox; if it does not, the probe is broken.
	reveals []string
}

// Helpers the probes use: reveal prints its input and the decoding of every
// base64 run in it (the keyring library stores items as JSON with base64).
const probePrelude = `reveal() { /usr/bin/python3 -c '
import sys, re, base64
d = sys.stdin.read(); print(d)
for m in re.findall(r"[A-Za-z0-9+/]{16,}={0,2}", d):
    try: print(base64.b64decode(m + "=" * (-len(m) % 4)).decode("utf-8", "replace"))
    except Exception: pass
'; }
`

var containProbes = []containProbe{
	{name: "secret-tool lookup", reveals: []string{"secret-service"},
		script: `secret-tool lookup profile "$KEY" 2>&1 | reveal`},
	{name: "secret-tool search --all", reveals: []string{"secret-service"},
		script: `secret-tool search --all --unlock profile "$KEY" 2>&1 | reveal`},
	{name: "python D-Bus GetSecrets", reveals: []string{"secret-service"},
		script: `/usr/bin/python3 -c '
import dbus
bus = dbus.SessionBus()
svc = dbus.Interface(bus.get_object("org.freedesktop.secrets", "/org/freedesktop/secrets"), "org.freedesktop.Secret.Service")
_, session = svc.OpenSession("plain", dbus.String("", variant_level=1))
unlocked, locked = svc.SearchItems({})
for path, s in svc.GetSecrets(list(unlocked) + list(locked), session).items():
    print(path, bytes(s[2]).decode("utf-8", "replace"))
' 2>&1 | reveal`},
	{name: "read the file keyring", reveals: []string{"file"},
		script: `ls -la "$KEYRING_DIR" 2>&1; cat "$KEYRING_DIR"/* 2>&1 | reveal
JIRA_MCP_CONTAINMENT_HELPER=filekeyring "$HELPER" 2>&1`},
	{name: "keyctl print", reveals: []string{"keyctl"},
		script: `keyctl show @u 2>&1; keyctl show @s 2>&1
for ring in @u @s; do
	kr=$(keyctl search $ring keyring jira-mcp 2>&1) || { echo "$kr"; continue; }
	for k in $(keyctl rlist "$kr"); do keyctl print "$k" 2>&1; done
done`},
	{name: "/proc/<serve>/environ",
		script: `tr '\0' '\n' < /proc/$SERVE_PID/environ 2>&1
for p in /proc/[0-9]*; do
	case "$(tr '\0' ' ' < $p/cmdline 2>/dev/null)" in *"jira-mcp serve"*) echo "found ${p#/proc/}"; tr '\0' '\n' < $p/environ 2>&1;; esac
done`},
	{name: "/proc/<serve>/mem",
		script: `/usr/bin/python3 -c '
import os, re
pids = {os.environ["SERVE_PID"]}
for p in os.listdir("/proc"):
    try:
        if p.isdigit() and b"jira-mcp\0serve" in open("/proc/%s/cmdline" % p, "rb").read(): pids.add(p)
    except OSError: pass
for pid in pids:
    try:
        mem = open("/proc/%s/mem" % pid, "rb")
        for line in open("/proc/%s/maps" % pid):
            addr, perms = line.split()[:2]
            if not perms.startswith("rw"): continue
            lo, hi = (int(x, 16) for x in addr.split("-"))
            try: mem.seek(lo); chunk = mem.read(hi - lo)
            except OSError: continue
            for m in re.finditer(rb"CANARY[A-Za-z0-9_.-]{4,80}", chunk): print(pid, m.group().decode())
    except OSError as e: print(pid, e)
' 2>&1`},
	// Last: answered 401 by the agent's proxy, jira-mcp refreshes through
	// it, and the token endpoint's refusal may end the login.
	// jira-mcp itself now refuses a proxy or CA the login was not made
	// with (issue 9 item 3), sandbox or not: it reveals nothing anywhere.
	{name: "jira-mcp search via the agent's proxy and CA", reveals: nil,
		script: `JIRA_MCP_CONTAINMENT_HELPER=mitm "$HELPER" & mitm=$!
i=0; while [ ! -s "$MITM_READY" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done
HTTPS_PROXY=http://127.0.0.1:$MITM_PORT SSL_CERT_FILE=$AGENT_CA_CERT jira-mcp search 'project = WEB' 2>&1
sleep 0.3; kill $mitm 2>/dev/null; wait $mitm 2>/dev/null; rm -f "$MITM_READY"`},
}

// knownOpen lists "backend/probe" rows that still reveal a secret inside
// the sandbox; each is a gap the README names. Empty: the sandbox closes
// every path this test tries.
var knownOpen = map[string]string{
	// srt gives the agent's shell a new user namespace, but it keeps the
	// session keyring it was started with, and that keyring links the
	// user keyring (pam_keyinit does so on a desktop; without a login
	// session the user-session keyring does), where the keyctl backend
	// keeps the login: the sandboxed shell possesses the key. Seen in CI
	// as root; the README's table says so.
	"keyctl/keyctl print": "the sandbox keeps the session keyring, which links the user keyring",
}

// containmentHelper runs the helpers the probes start, as this test binary
// with JIRA_MCP_CONTAINMENT_HELPER set, before any test (or TestMain) runs.
func init() {
	switch os.Getenv("JIRA_MCP_CONTAINMENT_HELPER") {
	case "":
		return
	case "filekeyring":
		// What an agent holding the file keyring's password would run.
		ring, err := keyring.Open(keyring.Config{
			AllowedBackends:  []keyring.BackendType{keyring.FileBackend},
			FileDir:          os.Getenv("KEYRING_DIR"),
			FilePasswordFunc: keyring.FixedStringPrompt(os.Getenv("JIRA_MCP_KEYRING_PASSWORD")),
		})
		if err == nil {
			var keys []string
			if keys, err = ring.Keys(); err == nil {
				for _, k := range keys {
					if item, err := ring.Get(k); err == nil {
						fmt.Printf("%s: %s\n", k, item.Data)
					} else {
						fmt.Println(k, err)
					}
				}
			}
		}
		if err != nil {
			fmt.Println("file keyring:", err)
		}
	case "mitm":
		runMITM()
	}
	os.Exit(0)
}

// runMITM is the agent's proxy: it terminates each CONNECT with a
// certificate from the agent's CA, prints every request it receives
// (headers and body), and answers 401 so that the client refreshes through
// it too.
func runMITM() {
	caCert, err := tls.LoadX509KeyPair(os.Getenv("AGENT_CA_CERT"), os.Getenv("AGENT_CA_KEY"))
	if err != nil {
		fmt.Println("mitm:", err)
		return
	}
	ca, _ := x509.ParseCertificate(caCert.Certificate[0])
	ln, err := net.Listen("tcp", "127.0.0.1:"+os.Getenv("MITM_PORT"))
	if err != nil {
		fmt.Println("mitm:", err)
		return
	}
	os.WriteFile(os.Getenv("MITM_READY"), []byte("ready"), 0o600)
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		go func() {
			defer c.Close()
			br := bufio.NewReader(c)
			req, err := http.ReadRequest(br)
			if err != nil || req.Method != http.MethodConnect {
				return
			}
			fmt.Fprint(c, "HTTP/1.1 200 Connection established\r\n\r\n")
			leaf := leafCert(ca, caCert.PrivateKey.(*ecdsa.PrivateKey), req.URL.Hostname())
			tc := tls.Server(c, &tls.Config{Certificates: []tls.Certificate{leaf}})
			tr := bufio.NewReader(tc)
			for {
				r, err := http.ReadRequest(tr)
				if err != nil {
					return
				}
				body, _ := io.ReadAll(r.Body)
				dump := &bytes.Buffer{}
				r.Header.Write(dump)
				fmt.Printf("mitm saw %s %s\n%s%s\n", r.Method, r.URL, dump, body)
				fmt.Fprint(tc, "HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n")
			}
		}()
	}
}

// newCA makes a CA; leafCert a server certificate it signs for host.
func newCA(t testing.TB, name string) (*x509.Certificate, *ecdsa.PrivateKey, []byte, []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	kb, _ := x509.MarshalECPrivateKey(key)
	return cert, key, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb})
}

func leafCert(ca *x509.Certificate, caKey *ecdsa.PrivateKey, host string) tls.Certificate {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: host},
		DNSNames: []string{host}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, _ := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

// connectProxy is the user's own (legitimate) proxy: it tunnels every
// CONNECT to addr, whatever host was asked for, so that a Jira that is
// not on loopback (the proxy environment ignores loopback hosts) is
// reached on loopback.
func connectProxy(t testing.TB, addr string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				br := bufio.NewReader(c)
				req, err := http.ReadRequest(br)
				if err != nil || req.Method != http.MethodConnect {
					return
				}
				up, err := net.Dial("tcp", addr)
				if err != nil {
					return
				}
				defer up.Close()
				fmt.Fprint(c, "HTTP/1.1 200 Connection established\r\n\r\n")
				go io.Copy(up, br)
				io.Copy(c, up)
			}()
		}
	}()
	return "http://" + ln.Addr().String()
}

func freePort(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return fmt.Sprint(ln.Addr().(*net.TCPAddr).Port)
}

// requireContainmentTools returns srt's path, or skips (fails under CI)
// when a tool the test needs is missing.
func requireContainmentTools(t *testing.T) string {
	t.Helper()
	var missing []string
	for _, tool := range []string{"srt", "bwrap", "socat", "rg", "secret-tool", "keyctl"} {
		if _, err := exec.LookPath(tool); err != nil {
			missing = append(missing, tool)
		}
	}
	if err := exec.Command("/usr/bin/python3", "-c", "import dbus").Run(); err != nil {
		missing = append(missing, "python3-dbus")
	}
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		missing = append(missing, "a D-Bus session with gnome-keyring (source .ci/keyring-session.sh)")
	}
	if len(missing) > 0 {
		msg := "containment test needs " + strings.Join(missing, ", ") + "; .ci/run installs them (npm install -g @anthropic-ai/sandbox-runtime; apt-get install bubblewrap socat ripgrep libsecret-tools keyutils python3-dbus)"
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	srt, _ := exec.LookPath("srt")
	return srt
}

func TestContainment(t *testing.T) {
	srt := requireContainmentTools(t)
	root := t.TempDir()
	home, work, bin := filepath.Join(root, "home"), filepath.Join(root, "work"), filepath.Join(root, "bin")
	for _, d := range []string{home, work, bin} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	// jira-mcp on PATH, and a claude for setup to call.
	if err := os.Symlink(binary(t), filepath.Join(bin, "jira-mcp")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(bin, "claude"), []byte("#!/bin/sh\nexit 0\n"), 0o755); err != nil {
		t.Fatal(err)
	}

	// Jira (the emulator) over TLS at a name that is not loopback, its
	// certificate from the company's CA, reached through the user's proxy.
	companyCA, companyKey, companyPEM, _ := newCA(t, "company CA")
	companyFile := filepath.Join(root, "company-ca.pem")
	agentCA, _, agentPEM, agentKeyPEM := newCA(t, "agent CA")
	_ = agentCA
	agentCert, agentKey := filepath.Join(root, "agent-ca.pem"), filepath.Join(root, "agent-ca.key")
	for f, b := range map[string][]byte{companyFile: companyPEM, agentCert: agentPEM, agentKey: agentKeyPEM} {
		if err := os.WriteFile(f, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	callback := "http://127.0.0.1:" + freePort(t) + "/callback"
	provider := emulator.NewOAuthProvider(emulator.OAuthConfig{
		ClientID: containClientID, ClientSecret: containCanarySecret, RedirectURIs: []string{callback}, TokenPrefix: containCanaryTokens,
	})
	srv := httptest.NewUnstartedServer(nil)
	port := srv.Listener.Addr().(*net.TCPAddr).Port
	jiraURL := fmt.Sprintf("https://%s:%d", containHost, port)
	srv.Config.Handler = emulator.New(emulator.WithBaseURL(jiraURL), emulator.WithOAuth(provider))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{leafCert(companyCA, companyKey, containHost)}}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	userProxy := connectProxy(t, srv.Listener.Addr().String())

	// The user's environment: what serve and login run with.
	env := map[string]string{
		"HOME": home, "PATH": bin + ":/usr/local/bin:/usr/bin:/bin",
		"XDG_CONFIG_HOME": "", "XDG_CACHE_HOME": "", "JIRA_MCP_CONFIG": "", "JIRA_MCP_KEYRING_DIR": "",
		"JIRA_URL": "", "JIRA_OAUTH_CLIENT_ID": "", "JIRA_OAUTH_REDIRECT_URL": callback, "JIRA_OAUTH_SCOPE": "",
		"HTTPS_PROXY": userProxy, "HTTP_PROXY": "", "NO_PROXY": "", "https_proxy": "", "http_proxy": "", "no_proxy": "",
		"SSL_CERT_FILE": companyFile, "JIRA_MCP_KEYRING_PASSWORD": "containment-file-pw",
	}
	for k, v := range env {
		t.Setenv(k, v)
	}
	t.Chdir(work)

	// setup claude, as a user would run it; the sandbox is made from what
	// it wrote.
	if out, err := exec.Command(binary(t), "setup", "claude", "--write", "--skills=false").CombinedOutput(); err != nil {
		t.Fatalf("setup claude: %v\n%s", err, out)
	}
	srtSettings := filepath.Join(root, "srt-settings.json")
	writeSRTSettings(t, filepath.Join(home, ".claude", "settings.json"), srtSettings, home, work)

	// A control: the sandbox runs commands, jira-mcp among them, so that a
	// probe's failure inside it means a closed path, not a broken sandbox.
	control := exec.Command(srt, "--settings", srtSettings, "-c", "echo contained-shell-works; jira-mcp search --demo 'project = WEB' --limit 1")
	control.Dir = work
	if out, err := control.CombinedOutput(); err != nil || !strings.Contains(string(out), "contained-shell-works") || !strings.Contains(string(out), "WEB-") {
		t.Fatalf("the sandbox does not run commands: %v\n%s", err, out)
	}

	opened := map[string][]string{} // backend -> probes that revealed a secret without the sandbox
	for _, backend := range []string{"secret-service", "keyctl", "file"} {
		t.Run(backend, func(t *testing.T) {
			key := containLogin(t, backend, jiraURL, userProxy, companyPEM)
			p := startMCP(t, nil, "serve")
			if r, isErr := p.call("jira_search", map[string]any{"jql": "project = WEB", "limit": 1}); isErr || !strings.Contains(r, "WEB-") {
				t.Fatalf("serve, before the probes: %s", r)
			}
			mitmPort := freePort(t)
			probeEnv := append(os.Environ(),
				"KEY="+key, "SERVE_PID="+fmt.Sprint(p.cmd.Process.Pid), "HELPER="+os.Args[0],
				"KEYRING_DIR="+filepath.Join(home, ".config", "jira-mcp", "keyring"),
				"JIRA_URL="+jiraURL, "JIRA_OAUTH_CLIENT_ID="+containClientID, "JIRA_MCP_KEYRING_BACKEND="+backend,
				"AGENT_CA_CERT="+agentCert, "AGENT_CA_KEY="+agentKey, "MITM_PORT="+mitmPort,
				"MITM_READY="+filepath.Join(work, "mitm-ready"), "HTTPS_PROXY=", // the agent's own proxy is set per command
			)
			run := func(probe containProbe, sandboxed bool) string {
				script := probePrelude + probe.script
				cmd := exec.Command("/bin/sh", "-c", script)
				if sandboxed {
					cmd = exec.Command(srt, "--settings", srtSettings, "-c", script)
				}
				cmd.Env, cmd.Dir = probeEnv, work
				done := make(chan struct{})
				var out []byte
				go func() { out, _ = cmd.CombinedOutput(); close(done) }()
				select {
				case <-done:
				case <-time.After(60 * time.Second):
					cmd.Process.Kill()
					<-done
				}
				return string(out)
			}
			for _, probe := range containProbes {
				out := run(probe, true)
				row := backend + "/" + probe.name
				if revealed(out) {
					if why, ok := knownOpen[row]; ok {
						t.Logf("KNOWN GAP, still open in the sandbox: %s (%s)", row, why)
					} else {
						t.Errorf("sandboxed %q revealed a secret:\n%s", probe.name, redact(out))
					}
				} else {
					t.Logf("sandbox closes %-45s %s", probe.name, firstLine(out))
				}
			}
			if r, isErr := p.call("jira_search", map[string]any{"jql": "project = WEB", "limit": 1}); isErr || !strings.Contains(r, "WEB-") {
				t.Errorf("serve, outside the sandbox, stopped answering: %s", r)
			}
			for _, probe := range containProbes {
				out := run(probe, false)
				if revealed(out) {
					opened[backend] = append(opened[backend], probe.name)
					t.Logf("without the sandbox, %s REVEALS a secret", probe.name)
				} else {
					t.Logf("without the sandbox, %s finds nothing: %s", probe.name, firstLine(out))
					for _, b := range probe.reveals {
						if b == backend {
							t.Errorf("without the sandbox %q found no secret for %s, so it proves nothing inside it:\n%s", probe.name, backend, redact(out))
						}
					}
				}
			}
			p.close()
		})
	}
	t.Logf("open without the sandbox: %v", opened)
}

// containLogin logs in with backend through `jira-mcp auth login`, run as
// a user would (the client secret on stdin), with a headless browser, and
// returns the keyring key. Logout follows the test.
func containLogin(t *testing.T, backend, jiraURL, userProxy string, companyPEM []byte) string {
	t.Helper()
	cmd := exec.Command(binary(t), "auth", "login", "--url", jiraURL, "--client-id", containClientID,
		"--keyring-backend", backend, "--client-secret-stdin", "--no-browser")
	cmd.Stdin = strings.NewReader(containCanarySecret + "\n")
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		exec.Command(binary(t), "auth", "logout", "--keyring-backend", backend).Run()
	})
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(companyPEM)
	proxy, _ := url.Parse(userProxy)
	browser := &http.Client{Transport: &http.Transport{
		TLSClientConfig: &tls.Config{RootCAs: pool},
		Proxy: func(r *http.Request) (*url.URL, error) {
			if r.URL.Hostname() == containHost {
				return proxy, nil
			}
			return nil, nil
		},
	}}
	var log strings.Builder
	sc := bufio.NewScanner(stderr)
	authorize := regexp.MustCompile(`https://\S+/authorize\S*`)
	for sc.Scan() {
		log.WriteString(sc.Text() + "\n")
		if u := authorize.FindString(sc.Text()); u != "" {
			go func() {
				if resp, err := browser.Get(u); err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
			}()
		}
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("login (%s): %v\n%s", backend, err, log.String())
	}
	out, err := exec.Command(binary(t), "auth", "status").CombinedOutput()
	key := regexp.MustCompile(`jira-mcp:[^ )]+`).FindString(string(out))
	if err != nil || key == "" {
		t.Fatalf("auth status: %v\n%s", err, out)
	}
	return key
}

// writeSRTSettings turns the Claude Code settings setup wrote into srt's
// settings, as Claude Code does for its Bash tool: sandbox.filesystem with
// the paths of Read() and Edit() deny rules, writes allowed in the working
// folder only, no network, Unix sockets as configured. It fails if the
// settings do not make a boundary at all.
func writeSRTSettings(t *testing.T, claudeFile, srtFile, home, work string) {
	t.Helper()
	data, err := os.ReadFile(claudeFile)
	if err != nil {
		t.Fatal(err)
	}
	var s struct {
		Sandbox struct {
			Enabled, FailIfUnavailable, AllowUnsandboxedCommands *bool
			ExcludedCommands                                     []string
			Network                                              struct {
				AllowAllUnixSockets *bool
				AllowUnixSockets    []string
			}
			Filesystem struct{ DenyRead, DenyWrite, AllowWrite []string }
		}
		Permissions struct{ Deny []string }
	}
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatal(err)
	}
	sb := s.Sandbox
	is := func(p *bool, v bool) bool { return p != nil && *p == v }
	if !is(sb.Enabled, true) || !is(sb.FailIfUnavailable, true) || !is(sb.AllowUnsandboxedCommands, false) || !is(sb.Network.AllowAllUnixSockets, false) || len(sb.ExcludedCommands) > 0 {
		t.Fatalf("setup claude wrote no boundary:\n%s", data)
	}
	path := func(p string) string {
		p = strings.TrimSuffix(p, "/**")
		switch {
		case strings.HasPrefix(p, "~/"):
			return filepath.Join(home, p[2:])
		case strings.HasPrefix(p, "//"):
			return p[1:]
		}
		t.Fatalf("path %q is neither ~/ nor //", p)
		return ""
	}
	denyRead, denyWrite := []string{}, []string{}
	for _, p := range sb.Filesystem.DenyRead {
		denyRead = append(denyRead, path(p))
	}
	for _, p := range sb.Filesystem.DenyWrite {
		denyWrite = append(denyWrite, path(p))
	}
	for _, r := range s.Permissions.Deny {
		if p, ok := strings.CutPrefix(r, "Read("); ok {
			denyRead = append(denyRead, path(strings.TrimSuffix(p, ")")))
		}
		if p, ok := strings.CutPrefix(r, "Edit("); ok {
			denyWrite = append(denyWrite, path(strings.TrimSuffix(p, ")")))
		}
	}
	allowWrite := append([]string{work}, sb.Filesystem.AllowWrite...)
	out, _ := json.MarshalIndent(map[string]any{
		"network": map[string]any{
			"allowedDomains": []string{}, "deniedDomains": []string{},
			"allowAllUnixSockets": false, "allowUnixSockets": append([]string{}, sb.Network.AllowUnixSockets...),
		},
		"filesystem": map[string]any{"denyRead": denyRead, "allowRead": []string{}, "allowWrite": allowWrite, "denyWrite": denyWrite},
	}, "", "  ")
	if err := os.WriteFile(srtFile, out, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Logf("srt settings made from setup claude's:\n%s", out)
}

func revealed(out string) bool {
	return strings.Contains(out, containCanaryTokens) || strings.Contains(out, containCanarySecret)
}

// redact keeps a failure message from printing the canaries whole.
func redact(s string) string {
	s = strings.ReplaceAll(s, containCanarySecret, "<client secret>")
	return regexp.MustCompile(containCanaryTokens+`\S*`).ReplaceAllString(s, "<token>")
}

func firstLine(s string) string {
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			if len(l) > 100 {
				l = l[:100]
			}
			return redact(l)
		}
	}
	return "(no output)"
}
