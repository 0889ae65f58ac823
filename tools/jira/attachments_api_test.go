package jira

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/jira-mcp/jira-mcp/tools/jira/emulator"
)

func TestAttachments(t *testing.T) {
	c, e := newTestClient(t)
	ctx := context.Background()
	key, atts, err := c.IssueAttachments(ctx, "WEB-3")
	if err != nil || key != "WEB-3" || len(atts) != 2 || atts[0].Filename != "checkout-502.png" || atts[0].Author.Name != "carol" || atts[0].Size == 0 {
		t.Fatalf("WEB-3 attachments %q %+v %v", key, atts, err)
	}
	data, ctype, err := c.Download(ctx, atts[0].Content, 1<<20)
	if err != nil || ctype != "image/png" || !bytes.Equal(data, e.Attachments("WEB-3")[0].Data) {
		t.Fatalf("download: %q %d bytes %v", ctype, len(data), err)
	}
	var tooLarge *TooLargeError
	if _, _, err := c.Download(ctx, atts[0].Content, 10); !errors.As(err, &tooLarge) || tooLarge.Size != atts[0].Size {
		t.Errorf("over the limit: %v", err)
	}
	a, err := c.Attachment(ctx, atts[1].ID)
	if err != nil || a.Filename != "gateway.log" {
		t.Errorf("attachment %+v %v", a, err)
	}
	if _, err := c.Attachment(ctx, "../issue/WEB-1"); err == nil {
		t.Error("a path as an attachment id was sent")
	}

	added, err := c.AddAttachment(ctx, "WEB-2", `build "1".log`, "text/plain", []byte("ok\n"))
	if err != nil || len(added) != 1 || added[0].Filename != `build "1".log` {
		t.Fatalf("add: %+v %v", added, err)
	}
	var sent *emulator.Request
	for _, r := range e.Requests() {
		if r.Method == "POST" && strings.HasSuffix(r.Path, "/attachments") {
			sent = &r
		}
	}
	if sent == nil || sent.Header.Get("X-Atlassian-Token") != "no-check" || !strings.HasPrefix(sent.Header.Get("Content-Type"), "multipart/form-data; boundary=") {
		t.Errorf("upload request %+v", sent)
	}
	if got := e.Attachments("WEB-2"); len(got) != 2 || string(got[1].Data) != "ok\n" {
		t.Errorf("WEB-2 holds %+v", got)
	}
	var ae *APIError
	if _, err := c.AddAttachment(ctx, "OPS-1", "a.txt", "", []byte("x")); !errors.As(err, &ae) || ae.Status != 403 {
		t.Errorf("no permission: %v", err)
	}
}

// An attachment whose content URL names another host is never fetched,
// and the token never leaves the site.
func TestDownloadOffSiteRefused(t *testing.T) {
	var hits atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	t.Cleanup(other.Close)
	c, _ := newTestClient(t, emulator.WithContentBaseURL(other.URL))
	_, atts, err := c.IssueAttachments(context.Background(), "WEB-3")
	if err != nil || !strings.HasPrefix(atts[0].Content, other.URL) {
		t.Fatalf("%+v %v", atts, err)
	}
	for _, u := range []string{atts[0].Content, "/secure/attachment/30000/x.png", "http://127.0.0.1:1/secure/attachment/30000/x.png", "https://127.0.0.1/secure/attachment/30000/x.png", "http://127.0.0.1@" + strings.TrimPrefix(other.URL, "http://") + "/x"} {
		var off *OffSiteError
		if _, _, err := c.Download(context.Background(), u, 1<<20); !errors.As(err, &off) {
			t.Errorf("%s: %v, want OffSiteError", u, err)
		}
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("the other host got %d requests", n)
	}
}
