package emulator

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"mime"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"
)

// Attachments: POST /rest/api/2/issue/{key}/attachments (multipart, with
// Jira's XSRF check), GET /rest/api/2/attachment/{id} (metadata), the
// issue's attachment field, and the download servlet at
// /secure/attachment/{id}/{filename}, which serves the file with its
// content type to an authenticated user who may browse the issue.

type attachment struct {
	id       int
	issue    *issue
	filename string
	author   string
	mimeType string
	created  time.Time
	data     []byte
}

// maxAttachmentSize is Jira's default attachment size limit
// (jira.attachment.size).
const maxAttachmentSize = 10 << 20

// WithContentBaseURL makes attachment content and thumbnail links start
// with base instead of the emulator's base URL, as a Jira whose base URL
// setting names another host does: clients must not follow them blindly.
func WithContentBaseURL(base string) Option {
	return func(e *Emulator) { e.contentBase = strings.TrimRight(base, "/") }
}

// seedAttachments gives WEB-3 a screenshot (a PNG) and a log, WEB-2 a PDF,
// and SEC-1 (hidden from alice) an HTML page. Their ids start at 30000.
func (db *database) seedAttachments(t0 time.Time) {
	db.attachmentByID, db.nextAttachment = map[int]*attachment{}, 30000
	w3, w2, s1 := db.byKey["WEB-3"], db.byKey["WEB-2"], db.byKey["SEC-1"]
	db.attach(w3, "checkout-502.png", "carol", "image/png", t0.Add(-7*24*time.Hour), seedPNG())
	db.attach(w3, "gateway.log", "carol", "text/plain", t0.Add(-7*24*time.Hour),
		[]byte("2026-01-24 10:02:11 INFO  PaymentClient - pay cart=50 items ok\n2026-01-24 10:03:40 ERROR PaymentClient - upstream timeout cart=51 items status=502\n"))
	db.attach(w2, "autocomplete-spec.pdf", "bob", "application/pdf", t0.Add(-6*24*time.Hour),
		[]byte("%PDF-1.4\n% autocomplete spec\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"))
	db.attach(s1, "poc.html", "dave", "text/html", t0.Add(-9*24*time.Hour), []byte("<script>alert(1)</script>\n"))
}

// seedPNG draws a small deterministic image: a 48x24 gradient.
func seedPNG() []byte {
	img := image.NewRGBA(image.Rect(0, 0, 48, 24))
	for y := range 24 {
		for x := range 48 {
			img.Set(x, y, color.RGBA{uint8(x * 5), uint8(y * 10), 160, 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		panic("emulator: " + err.Error())
	}
	return b.Bytes()
}

func (db *database) attach(is *issue, filename, author, mimeType string, at time.Time, data []byte) *attachment {
	a := &attachment{id: db.nextAttachment, issue: is, filename: filename, author: author, mimeType: mimeType, created: at, data: data}
	db.nextAttachment++
	db.attachmentByID[a.id] = a
	is.attachments = append(is.attachments, a)
	return a
}

func (e *Emulator) attachmentJSON(db *database, a *attachment) map[string]any {
	base := e.contentBase
	if base == "" {
		base = e.baseURL
	}
	id := strconv.Itoa(a.id)
	m := map[string]any{
		"self": e.baseURL + "/rest/api/2/attachment/" + id, "id": id, "filename": a.filename,
		"author": e.userJSON(db, a.author), "created": fmtTime(a.created), "size": len(a.data),
		"mimeType": a.mimeType, "content": base + "/secure/attachment/" + id + "/" + url.PathEscape(a.filename),
	}
	if strings.HasPrefix(a.mimeType, "image/") {
		m["thumbnail"] = base + "/secure/thumbnail/" + id + "/_thumb_" + id + ".png"
	}
	return m
}

// attachmentsField is the issue's attachment field.
func (v issueView) attachmentsField() any {
	out := make([]any, 0, len(v.is.attachments))
	for _, a := range v.is.attachments {
		out = append(out, v.e.attachmentJSON(v.db, a))
	}
	return out
}

func (e *Emulator) getAttachment(w http.ResponseWriter, r *http.Request, u *user) {
	id := r.PathValue("id")
	e.answer(w, http.StatusOK, func(db *database) (any, error) {
		n, err := parseInt(id)
		a := db.attachmentByID[n]
		if err != nil || a == nil {
			return nil, notFound(fmt.Sprintf("The attachment with id '%s' does not exist", id))
		}
		if !db.canBrowse(u, a.issue.project) {
			return nil, &apiError{status: http.StatusForbidden, messages: []string{"You do not have permission to view attachment with id: " + id}}
		}
		return e.attachmentJSON(db, a), nil
	})
}

// xsrfChecked reports whether a multipart request carries the header that
// lets it past Jira's XSRF check.
func xsrfChecked(r *http.Request) bool {
	v := strings.ToLower(r.Header.Get("X-Atlassian-Token"))
	return v == "no-check" || v == "nocheck"
}

// upload is one file of a multipart request.
type upload struct {
	name, mimeType string
	data           []byte
}

func (e *Emulator) postAttachments(w http.ResponseWriter, r *http.Request, u *user) {
	if !xsrfChecked(r) {
		w.Header().Set("Content-Type", "text/plain;charset=UTF-8")
		w.WriteHeader(http.StatusForbidden)
		io.WriteString(w, "XSRF check failed")
		return
	}
	files, err := readUploads(r)
	e.answer(w, http.StatusOK, func(db *database) (any, error) {
		is, berr := db.browsableIssue(u, r.PathValue("key"))
		if berr != nil {
			return nil, berr
		}
		if !db.canComment(u, is.project) {
			return nil, &apiError{status: http.StatusForbidden, messages: []string{"You do not have permission to create attachments for this issue."}}
		}
		if err != nil {
			return nil, err
		}
		db.changed()
		out := []any{}
		for _, f := range files {
			out = append(out, e.attachmentJSON(db, db.attach(is, f.name, u.name, f.mimeType, db.now().UTC(), f.data)))
		}
		is.updated = db.now().UTC()
		return out, nil
	})
}

// readUploads reads the "file" parts of a multipart request.
func readUploads(r *http.Request) ([]upload, error) {
	if err := r.ParseMultipartForm(32 << 20); err != nil {
		return nil, badRequest("The request is not multipart/form-data: " + err.Error())
	}
	heads := r.MultipartForm.File["file"]
	if len(heads) == 0 {
		return nil, badRequest("No file was attached: the multipart parameter must be named 'file'.")
	}
	var out []upload
	for _, h := range heads {
		if h.Size > maxAttachmentSize {
			return nil, notFound(fmt.Sprintf("The file '%s' is too large: it exceeds the maximum configured attachment size of %d bytes.", h.Filename, maxAttachmentSize))
		}
		f, err := h.Open()
		if err != nil {
			return nil, err
		}
		data, err := io.ReadAll(f)
		f.Close()
		if err != nil {
			return nil, err
		}
		mt, _, _ := mime.ParseMediaType(h.Header.Get("Content-Type"))
		if mt == "" || mt == "application/octet-stream" {
			if byExt, _, _ := mime.ParseMediaType(mime.TypeByExtension(path.Ext(h.Filename))); byExt != "" {
				mt = byExt
			} else {
				mt = "application/octet-stream"
			}
		}
		out = append(out, upload{name: h.Filename, mimeType: mt, data: data})
	}
	return out, nil
}

// attachmentDownloads mounts the download servlet.
func (e *Emulator) attachmentDownloads() {
	e.api.Handle("GET /secure/attachment/{id}/{filename}", e.authed(e.downloadAttachment))
	e.mux.Handle("/secure/attachment/", e.api)
}

func (e *Emulator) downloadAttachment(w http.ResponseWriter, r *http.Request, u *user) {
	e.mu.Lock()
	n, err := parseInt(r.PathValue("id"))
	a := e.db.attachmentByID[n]
	visible := err == nil && a != nil && e.db.canBrowse(u, a.issue.project)
	var data []byte
	var mimeType, name string
	if visible {
		data, mimeType, name = a.data, a.mimeType, a.filename
	}
	e.mu.Unlock()
	if !visible {
		http.Error(w, "The attachment does not exist or you do not have permission to see it.", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", mimeType)
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	w.Write(data)
}

// AttachmentState is a snapshot of an attachment, for tests.
type AttachmentState struct {
	ID, Filename, Author, MimeType string
	Data                           []byte
}

// Attachments returns a snapshot of an issue's attachments, oldest first.
func (e *Emulator) Attachments(idOrKey string) []AttachmentState {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []AttachmentState
	if is := e.db.lookupIssue(idOrKey); is != nil {
		for _, a := range is.attachments {
			out = append(out, AttachmentState{strconv.Itoa(a.id), a.filename, a.author, a.mimeType, append([]byte(nil), a.data...)})
		}
	}
	return out
}
