package tools_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/jira-mcp/jira-mcp/tools"
	"github.com/jira-mcp/jira-mcp/tools/jira"
	"github.com/jira-mcp/jira-mcp/tools/jira/emulator"
)

// fileEnv is an env whose attachment tools work in a temporary folder
// (returned), with outside a folder next to it that they must not reach.
func fileEnv(t *testing.T, o envOptions, extraDirs ...string) (e *env, work, outside string) {
	t.Helper()
	base, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	work, outside = filepath.Join(base, "work"), filepath.Join(base, "outside")
	for _, d := range []string{work, outside} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	srv := emulator.NewServer(o.jira...)
	t.Cleanup(srv.Close)
	ts := mustToolset(t, srv.URL, srv.ClientAs(emulator.DefaultToken)).WithProjects(o.projects).WithWorkDir(work).WithAttachmentDirs(extraDirs)
	return connect(t, srv, ts, o), work, outside
}

func write(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// jiraClient is a client of the env's emulator, for setting data up.
func jiraClient(t *testing.T, e *env) *jira.Client {
	t.Helper()
	c, err := jira.New(e.jira.URL, e.jira.ClientAs(emulator.DefaultToken))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// A screenshot comes back as image content, byte for byte; a log as text;
// a PDF as a resource link.
func TestGetAttachment(t *testing.T) {
	forEachVersion(t, func(t *testing.T, version string) {
		e, _, _ := fileEnv(t, envOptions{version: version})
		png := e.jira.Attachments("WEB-3")[0].Data
		text, res := e.ok(tools.GetAttachment, map[string]any{"issue_key": "WEB-3", "attachment": "checkout-502.png"})
		if !strings.HasPrefix(text, "[30000] checkout-502.png (") || !strings.Contains(text, "image/png, carol, 2026-") {
			t.Errorf("text %q", text)
		}
		var img *mcp.ImageContent
		for _, c := range res.Content {
			if ic, ok := mcp.AsImageContent(c); ok {
				img = ic
			}
		}
		if img == nil {
			t.Fatalf("no image content: %+v", res.Content)
		}
		got, err := base64.StdEncoding.DecodeString(img.Data)
		if err != nil || !bytes.Equal(got, png) || img.MIMEType != "image/png" {
			t.Errorf("image %s, %d bytes, want the %d seeded", img.MIMEType, len(got), len(png))
		}
		var v struct{ Kind, URI, DetectedType string }
		structured(t, res, &v)
		if v.Kind != "image" || v.URI != "jira://issue/WEB-3/attachment/30000" {
			t.Errorf("structured %+v", v)
		}

		text, _ = e.ok(tools.GetAttachment, map[string]any{"issue_key": "WEB-3", "attachment": "30001"})
		if !strings.Contains(text, "(untrusted text from Jira):\n2026-01-24 10:02:11 INFO  PaymentClient") {
			t.Errorf("log: %q", text)
		}

		text, res = e.ok(tools.GetAttachment, map[string]any{"issue_key": "WEB-2", "attachment": "AUTOCOMPLETE-SPEC.PDF"})
		var link *mcp.ResourceLink
		for _, c := range res.Content {
			if l, ok := c.(mcp.ResourceLink); ok {
				link = &l
			}
		}
		if link == nil || link.URI != "jira://issue/WEB-2/attachment/30002" || link.MIMEType != "application/pdf" || !strings.Contains(text, "neither an image nor text") {
			t.Errorf("pdf: %q %+v", text, res.Content)
		}

		msg := e.fail(tools.GetAttachment, map[string]any{"issue_key": "WEB-3", "attachment": "nope.png"})
		if !strings.Contains(msg, `WEB-3 has no attachment "nope.png". Its attachments: [30000] checkout-502.png`) {
			t.Errorf("missing: %q", msg)
		}
		if msg := e.fail(tools.GetAttachment, map[string]any{"issue_key": "SEC-1", "attachment": "poc.html"}); !strings.Contains(msg, "does not exist or you do not have permission") {
			t.Errorf("hidden: %q", msg)
		}
	})
}

// The bytes decide, not the declared type.
func TestGetAttachmentSniffs(t *testing.T) {
	e, _, _ := fileEnv(t, envOptions{})
	c := jiraClient(t, e)
	png := e.jira.Attachments("WEB-3")[0].Data
	ctx := context.Background()
	if _, err := c.AddAttachment(ctx, "WEB-6", "diagram.bin", "application/octet-stream", png); err != nil {
		t.Fatal(err)
	}
	if _, err := c.AddAttachment(ctx, "WEB-6", "fake.png", "image/png", []byte("<svg onload=alert(1)>")); err != nil {
		t.Fatal(err)
	}
	_, res := e.ok(tools.GetAttachment, map[string]any{"issue_key": "WEB-6", "attachment": "diagram.bin"})
	if len(res.Content) != 2 {
		t.Errorf("a PNG declared octet-stream: %+v", res.Content)
	} else if _, ok := mcp.AsImageContent(res.Content[1]); !ok {
		t.Errorf("a PNG declared octet-stream is not an image: %+v", res.Content[1])
	}
	_, res = e.ok(tools.GetAttachment, map[string]any{"issue_key": "WEB-6", "attachment": "fake.png"})
	var v struct{ Kind string }
	structured(t, res, &v)
	if v.Kind != "link" {
		t.Errorf("text declared image/png came back as %q", v.Kind)
	}
}

// Large files: an image over the cap is refused with its size (and can be
// saved); a long log is cut with a notice.
func TestGetAttachmentLimits(t *testing.T) {
	e, work, _ := fileEnv(t, envOptions{})
	c := jiraClient(t, e)
	big := append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 1<<20+10)...)
	log := bytes.Repeat([]byte("2026-01-24 INFO all good here\n"), 4000)
	ctx := context.Background()
	c.AddAttachment(ctx, "WEB-6", "huge.png", "", big)
	c.AddAttachment(ctx, "WEB-6", "long.log", "", log)
	if msg := e.fail(tools.GetAttachment, map[string]any{"issue_key": "WEB-6", "attachment": "huge.png"}); !strings.Contains(msg, "huge.png is 1.0 MB, over the 1.0 MB limit for images read inline: pass save_to") {
		t.Errorf("huge: %q", msg)
	}
	text, _ := e.ok(tools.GetAttachment, map[string]any{"issue_key": "WEB-6", "attachment": "huge.png", "save_to": "huge.png"})
	if got, _ := os.ReadFile(filepath.Join(work, "huge.png")); !bytes.Equal(got, big) || !strings.Contains(text, "Saved [") {
		t.Errorf("saved %d bytes: %q", len(got), text)
	}
	text, res := e.ok(tools.GetAttachment, map[string]any{"issue_key": "WEB-6", "attachment": "long.log"})
	if len(text) > tools.DefaultLimits.Text || !strings.Contains(text, "[cut by jira-mcp: the first ") || !strings.Contains(text, "of 117.2 KB; pass save_to") {
		t.Errorf("long log: %d bytes, ends %q", len(text), text[max(0, len(text)-120):])
	}
	var v struct{ Truncated bool }
	structured(t, res, &v)
	if !v.Truncated {
		t.Error("not marked truncated")
	}
}

// An attachment whose download address is on another host is never
// fetched.
func TestGetAttachmentOffSite(t *testing.T) {
	var hits atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	t.Cleanup(other.Close)
	e, work, _ := fileEnv(t, envOptions{jira: []emulator.Option{emulator.WithContentBaseURL(other.URL)}})
	for _, args := range []map[string]any{
		{"issue_key": "WEB-3", "attachment": "checkout-502.png"},
		{"issue_key": "WEB-3", "attachment": "gateway.log", "save_to": "g.log"},
	} {
		res := e.call(tools.GetAttachment, args)
		if !res.IsError || tools.ErrorKind(res) != tools.KindForbidden || !strings.Contains(tools.Text(res), "on another site") {
			t.Errorf("%v: %q", args, tools.Text(res))
		}
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("the other host got %d requests", n)
	}
	if _, err := os.Stat(filepath.Join(work, "g.log")); err == nil {
		t.Error("a file was saved")
	}
}

func TestSaveAttachment(t *testing.T) {
	e, work, outside := fileEnv(t, envOptions{})
	png := e.jira.Attachments("WEB-3")[0].Data
	os.Mkdir(filepath.Join(work, "shots"), 0o755)
	e.ok(tools.GetAttachment, map[string]any{"issue_key": "WEB-3", "attachment": "30000", "save_to": "shots"})
	if got, _ := os.ReadFile(filepath.Join(work, "shots", "checkout-502.png")); !bytes.Equal(got, png) {
		t.Errorf("saved into a folder: %d bytes", len(got))
	}
	args := map[string]any{"issue_key": "WEB-3", "attachment": "30001", "save_to": filepath.Join(work, "shots", "g.log")}
	e.ok(tools.GetAttachment, args)
	if msg := e.fail(tools.GetAttachment, args); !strings.Contains(msg, "exists; pass overwrite: true") {
		t.Errorf("second save: %q", msg)
	}
	os.WriteFile(filepath.Join(work, "shots", "g.log"), []byte("old"), 0o644)
	args["overwrite"] = true
	e.ok(tools.GetAttachment, args)
	if got, _ := os.ReadFile(filepath.Join(work, "shots", "g.log")); !bytes.HasPrefix(got, []byte("2026-01-24")) {
		t.Errorf("overwrite: %q", got)
	}

	// Escapes: every one refused, nothing written outside.
	os.Symlink(outside, filepath.Join(work, "out-link"))
	os.Symlink(filepath.Join(outside, "victim.txt"), filepath.Join(work, "victim-link"))
	write(t, filepath.Join(outside, "victim.txt"), []byte("keep"))
	for _, p := range []string{
		"../outside/x.log", filepath.Join(outside, "x.log"), "~/x.log", "out-link/x.log", "out-link",
		"victim-link", ".git/config", ".env", "notes/.hidden/x.log", "id_rsa", "shots/../../outside/x.log",
	} {
		os.MkdirAll(filepath.Join(work, "notes", ".hidden"), 0o755)
		os.MkdirAll(filepath.Join(work, ".git"), 0o755)
		res := e.call(tools.GetAttachment, map[string]any{"issue_key": "WEB-3", "attachment": "30001", "save_to": p, "overwrite": true})
		if !res.IsError {
			t.Errorf("save_to %q was allowed: %s", p, tools.Text(res))
		}
		t.Logf("%s: %s", p, tools.Text(res))
	}
	entries, _ := os.ReadDir(outside)
	if len(entries) != 1 {
		t.Errorf("outside holds %d files", len(entries))
	}
	if got, _ := os.ReadFile(filepath.Join(outside, "victim.txt")); string(got) != "keep" {
		t.Errorf("victim.txt = %q", got)
	}
}

// "Attach the build log from the repository."
func TestAddAttachment(t *testing.T) {
	forEachVersion(t, func(t *testing.T, version string) {
		e, work, _ := fileEnv(t, envOptions{version: version})
		data := []byte("build 42 ok\nall tests passed\n")
		write(t, filepath.Join(work, "logs", "build.log"), data)
		text, res := e.ok(tools.AddAttachment, map[string]any{"issue_key": "web-2", "path": "logs/build.log"})
		if !strings.HasPrefix(text, "Attached [30004] build.log (29 bytes, text/plain") || !strings.HasSuffix(text, " to WEB-2.") {
			t.Errorf("text %q", text)
		}
		var v struct{ ID, URI string }
		structured(t, res, &v)
		if v.ID != "30004" || v.URI != "jira://issue/WEB-2/attachment/30004" {
			t.Errorf("structured %+v", v)
		}
		posts := e.requests("POST", "/rest/api/2/issue/WEB-2/attachments")
		if len(posts) != 1 || posts[0].Header.Get("X-Atlassian-Token") != "no-check" || !bytes.Contains(posts[0].Body, data) || !bytes.Contains(posts[0].Body, []byte(`filename="build.log"`)) {
			t.Fatalf("Jira received %+v", posts)
		}
		if got := e.jira.Attachments("WEB-2"); len(got) != 2 || !bytes.Equal(got[1].Data, data) {
			t.Errorf("WEB-2 holds %+v", got)
		}
	})
}

func TestAddAttachmentRefusesPaths(t *testing.T) {
	base := t.TempDir()
	allowed := filepath.Join(base, "allowed")
	write(t, filepath.Join(allowed, "report.csv"), []byte("a,b\n1,2\n"))
	e, work, outside := fileEnv(t, envOptions{}, allowed)
	write(t, filepath.Join(outside, "secret.txt"), []byte("outside"))
	for name, data := range map[string]string{
		".env": "A=1", "id_rsa": "k", "deploy/key.pem": "k", ".ssh/config": "Host x", ".git/config": "[core]",
		".env.local": "A=1", "config/.netrc": "machine x", "token.log": "Authorization: Bearer abcdef0123456789abcdef",
		"ok.txt": "fine",
	} {
		write(t, filepath.Join(work, name), []byte(data))
	}
	os.Symlink(filepath.Join(outside, "secret.txt"), filepath.Join(work, "link.txt"))
	os.Symlink(outside, filepath.Join(work, "outdir"))
	os.Symlink(filepath.Join(work, ".env"), filepath.Join(work, "innocent.txt"))
	syscall.Mkfifo(filepath.Join(work, "pipe.log"), 0o644)
	write(t, filepath.Join(work, "big.log"), make([]byte, 10<<20+1))
	for _, p := range []string{
		"../outside/secret.txt", filepath.Join(outside, "secret.txt"), "~/.ssh/id_rsa", "~", "link.txt",
		"outdir/secret.txt", "innocent.txt", ".env", ".env.local", "id_rsa", "deploy/key.pem", ".ssh/config",
		".git/config", "config/.netrc", "token.log", "pipe.log", "big.log", "logs", "missing.txt", "/etc/passwd",
	} {
		res := e.call(tools.AddAttachment, map[string]any{"issue_key": "WEB-2", "path": p})
		if !res.IsError {
			t.Errorf("path %q was sent: %s", p, tools.Text(res))
		}
		t.Logf("%s: %s", p, tools.Text(res))
	}
	if n := len(e.requests("POST", "")); n != 0 {
		t.Errorf("%d uploads", n)
	}
	// A folder the user allowed, and the working directory, work.
	e.ok(tools.AddAttachment, map[string]any{"issue_key": "WEB-2", "path": filepath.Join(allowed, "report.csv")})
	e.ok(tools.AddAttachment, map[string]any{"issue_key": "WEB-2", "path": "./ok.txt"})
	if n := len(e.requests("POST", "")); n != 2 {
		t.Errorf("%d uploads, want 2", n)
	}
}

func TestAddAttachmentScopedAndLost(t *testing.T) {
	e, work, _ := fileEnv(t, envOptions{projects: []string{"WEB"}})
	write(t, filepath.Join(work, "a.txt"), []byte("x"))
	if msg := e.fail(tools.AddAttachment, map[string]any{"issue_key": "OPS-1", "path": "a.txt"}); !strings.Contains(msg, "outside the projects") {
		t.Errorf("OPS-1: %q", msg)
	}
	if n := len(e.jira.Requests()); n != 0 {
		t.Errorf("%d requests", n)
	}

	srv := emulator.NewServer()
	t.Cleanup(srv.Close)
	hc := &http.Client{Transport: loseAnswers{srv.ClientAs(emulator.DefaultToken).Transport, "POST", "/rest/api/2/issue/WEB-2/attachments"}}
	lost := connect(t, srv, mustToolset(t, srv.URL, hc).WithWorkDir(work), envOptions{})
	text, _ := lost.ok(tools.AddAttachment, map[string]any{"issue_key": "WEB-2", "path": "a.txt"})
	if !strings.Contains(text, "confirmed by reading the issue back. Do not attach it again.") || len(srv.Attachments("WEB-2")) != 2 {
		t.Errorf("%q", text)
	}
}

// jira_get_issue lists attachments when asked: id, name, size, type,
// author, day, and each one's resource URI.
func TestGetIssueIncludeAttachments(t *testing.T) {
	forEachVersion(t, func(t *testing.T, version string) {
		e, _, _ := fileEnv(t, envOptions{version: version})
		text, res := e.ok(tools.GetIssue, map[string]any{"issue_key": "WEB-3", "comment_limit": 0, "include": []any{"attachments"}})
		if !strings.Contains(text, "\n\nAttachments (2):\n[30000] checkout-502.png (118 bytes, image/png, carol, ") || !strings.HasSuffix(text, "Read one with jira_get_attachment (attachment: id).") {
			t.Errorf("text:\n%s", text)
		}
		var d struct {
			Attachments []struct{ ID, Filename, URI string }
		}
		structured(t, res, &d)
		if len(d.Attachments) != 2 || d.Attachments[1].URI != "jira://issue/WEB-3/attachment/30001" {
			t.Errorf("structured %+v", d.Attachments)
		}
		if gets := e.requests("GET", "/rest/api/2/issue/WEB-3"); len(gets) != 2 || !strings.Contains(gets[1].RawQuery, "fields=attachment") {
			t.Errorf("requests %+v", gets)
		}
	})
}
