package emulator

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strings"
	"testing"
)

// multipartFile makes a multipart body with one file part.
func multipartFile(t testing.TB, field, name, ctype string, data []byte) (io.Reader, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="`+field+`"; filename="`+name+`"`)
	if ctype != "" {
		h.Set("Content-Type", ctype)
	}
	w, err := mw.CreatePart(h)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(data)
	mw.Close()
	return &b, mw.FormDataContentType()
}

func uploadAs(t *testing.T, s *Server, key, token string, xsrf bool, name, ctype string, data []byte) (int, []byte) {
	t.Helper()
	body, ct := multipartFile(t, "file", name, ctype, data)
	req, _ := http.NewRequest("POST", s.URL+"/rest/api/2/issue/"+key+"/attachments", body)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", ct)
	if xsrf {
		req.Header.Set("X-Atlassian-Token", "no-check")
	}
	resp, err := s.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

func TestAttachmentUploadAndDownload(t *testing.T) {
	s := newTestServer(t)
	// Without the header, Jira's XSRF check refuses before anything else.
	if st, b := uploadAs(t, s, "WEB-2", DefaultToken, false, "a.txt", "text/plain", []byte("x")); st != 403 || string(b) != "XSRF check failed" {
		t.Errorf("no XSRF header: %d %s", st, b)
	}
	if st, _ := uploadAs(t, s, "OPS-1", DefaultToken, true, "a.txt", "", []byte("x")); st != 403 {
		t.Errorf("no permission: %d", st)
	}
	if st, _ := uploadAs(t, s, "SEC-1", DefaultToken, true, "a.txt", "", []byte("x")); st != 404 {
		t.Errorf("hidden issue: %d", st)
	}
	st, b := uploadAs(t, s, "WEB-2", DefaultToken, true, "build.log", "", []byte("line 1\n"))
	var got []struct{ ID, Filename, MimeType, Content string }
	if err := json.Unmarshal(b, &got); st != 200 || err != nil || len(got) != 1 {
		t.Fatalf("upload: %d %s", st, b)
	}
	if got[0].Filename != "build.log" || got[0].ID != "30004" || !strings.HasPrefix(got[0].MimeType, "text/") && got[0].MimeType != "application/octet-stream" {
		t.Errorf("uploaded %+v", got[0])
	}
	atts := s.Attachments("WEB-2")
	if len(atts) != 2 || atts[1].Author != "alice" || string(atts[1].Data) != "line 1\n" {
		t.Errorf("WEB-2 attachments %+v", atts)
	}

	// The seeded screenshot downloads as a PNG.
	r := apiCall(t, s, DefaultToken, "GET", "/rest/api/2/attachment/30000", nil)
	meta := r.json(t)
	if meta["filename"] != "checkout-502.png" || meta["mimeType"] != "image/png" {
		t.Fatalf("meta %v", meta)
	}
	d := apiCall(t, s, DefaultToken, "GET", strings.TrimPrefix(meta["content"].(string), s.URL), nil)
	if d.status != 200 || d.header.Get("Content-Type") != "image/png" || !bytes.HasPrefix(d.body, []byte("\x89PNG")) || int(meta["size"].(float64)) != len(d.body) {
		t.Errorf("download: %d %s %d bytes", d.status, d.header.Get("Content-Type"), len(d.body))
	}
	for token, want := range map[string]int{"": 401, DefaultToken: 404, Token("dave"): 200} {
		if r := apiCall(t, s, token, "GET", "/secure/attachment/30003/poc.html", nil); r.status != want {
			t.Errorf("download of SEC-1's file as %q: %d, want %d", token, r.status, want)
		}
	}
	// The attachment field lists them.
	is := apiCall(t, s, DefaultToken, "GET", "/rest/api/2/issue/WEB-3?fields=attachment", nil).json(t)
	if list := is["fields"].(map[string]any)["attachment"].([]any); len(list) != 2 {
		t.Errorf("WEB-3 attachment field %v", list)
	}
}

func TestContentBaseURL(t *testing.T) {
	s := newTestServer(t, WithContentBaseURL("http://files.example.test/"))
	meta := apiCall(t, s, DefaultToken, "GET", "/rest/api/2/attachment/30001", nil).json(t)
	if meta["content"] != "http://files.example.test/secure/attachment/30001/gateway.log" {
		t.Errorf("content %v", meta["content"])
	}
}
