package tools

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/jira-mcp/jira-mcp/tools/jira"
)

// The attachments toolset. Content is fetched only from the configured
// Jira site (tools/jira refuses any other host), then judged by its bytes,
// never by the type Jira declares: images come back as image content,
// text as text, anything else as a resource link. Local files are read
// and written under the rules of localfile.go.

// Names of the attachment tools.
const (
	GetAttachment = "jira_get_attachment"
	AddAttachment = "jira_add_attachment"
)

const attachments = "attachments"

// inlineLimit bounds an image returned as image content, and how much of
// any attachment is read to answer inline.
const inlineLimit = 1 << 20

func getAttachmentTool() Tool {
	return newTool(attachments,
		mcp.NewTool(GetAttachment,
			mcp.WithToolTitle("Read an issue attachment"),
			mcp.WithDescription("Read an attachment: images as images, text as text, other files as a resource link; or save it to a file."),
			annotations(true, false, true),
			issueKeyArg(),
			mcp.WithString("attachment", mcp.Required(), mcp.MinLength(1), mcp.Description("Id or filename")),
			mcp.WithString("save_to", mcp.Description("Save to this path under the working directory instead")),
			mcp.WithBoolean("overwrite", mcp.Description("Replace an existing save_to file")),
			outputSchema("issue_key", "id", "filename", "kind"),
		),
		CLI{Command: "attachment", Args: []Arg{keyArg, {"attachment", "ATTACHMENT"}}},
		(*Toolset).getAttachment,
	)
}

func addAttachmentTool() Tool {
	return newTool(attachments,
		mcp.NewTool(AddAttachment,
			mcp.WithToolTitle("Attach a file to an issue"),
			mcp.WithDescription("Attach a local file (under the working directory, at most 10 MB) to an issue. Never attach secrets."),
			annotations(false, false, false),
			issueKeyArg(),
			mcp.WithString("path", mcp.Required(), mcp.MinLength(1), mcp.Description("File path, relative to the working directory")),
			outputSchema("issue_key", "id", "filename"),
		),
		CLI{Command: "attach", Args: []Arg{keyArg, {"path", "FILE"}}},
		(*Toolset).addAttachment,
	)
}

// AttachmentView is an attachment in structured results.
type AttachmentView struct {
	IssueKey     string `json:"issue_key,omitempty"`
	ID           string `json:"id"`
	Filename     string `json:"filename"`
	Size         int64  `json:"size"`
	MimeType     string `json:"mime_type,omitempty"` // as Jira declares it
	Author       string `json:"author,omitempty"`
	Created      string `json:"created,omitempty"`
	URI          string `json:"uri"` // the MCP resource
	Kind         string `json:"kind,omitempty"`
	DetectedType string `json:"detected_type,omitempty"` // from the bytes
	Truncated    bool   `json:"truncated,omitempty"`
	SavedTo      string `json:"saved_to,omitempty"`
	Verified     bool   `json:"verified,omitempty"`
	content      string // the download URL Jira gave
}

// IssueURI and AttachmentURI are the MCP resources of an issue and of an
// attachment (see package server).
func IssueURI(key string) string { return "jira://issue/" + url.PathEscape(key) }

// AttachmentURI is an attachment's MCP resource.
func AttachmentURI(key, id string) string {
	return IssueURI(key) + "/attachment/" + url.PathEscape(id)
}

func attachmentView(key string, a jira.Attachment) AttachmentView {
	v := AttachmentView{IssueKey: key, ID: a.ID, Filename: a.Filename, Size: a.Size, MimeType: a.MimeType, URI: AttachmentURI(key, a.ID), content: a.Content}
	if a.Author != nil {
		v.Author = a.Author.Name
	}
	if !a.Created.IsZero() {
		v.Created = a.Created.Format("2006-01-02T15:04:05Z07:00")
	}
	return v
}

// attachmentLine is one attachment in text: id, name, size, type, author,
// day.
func attachmentLine(v AttachmentView) string {
	return fmt.Sprintf("[%s] %s (%s, %s, %s, %s)", v.ID, oneLine(v.Filename), byteSize(v.Size), orDash(v.MimeType), orDash(v.Author), orDash(dayOf(v.Created)))
}

// findAttachment reads the issue's attachments and picks the one asked
// for, by id or file name.
func (t *Toolset) findAttachment(ctx context.Context, key, which string) (AttachmentView, *mcp.CallToolResult, error) {
	canonical, atts, err := t.jira.IssueAttachments(ctx, key)
	if err != nil {
		r, gerr := failure(op{what: "read the attachments of " + key, key: key}, err)
		return AttachmentView{}, r, gerr
	}
	if !t.allowedKey(canonical) {
		return AttachmentView{}, errorResult(KindForbidden, fmt.Sprintf("%s is now %s, outside the projects jira-mcp may use (%s).", key, canonical, strings.Join(t.projects, ", "))), nil
	}
	which = strings.TrimSpace(which)
	var hits []jira.Attachment
	for _, match := range []func(jira.Attachment) bool{
		func(a jira.Attachment) bool { return a.ID == which },
		func(a jira.Attachment) bool { return a.Filename == which },
		func(a jira.Attachment) bool { return strings.EqualFold(a.Filename, which) },
	} {
		if hits = slices.DeleteFunc(slices.Clone(atts), func(a jira.Attachment) bool { return !match(a) }); len(hits) > 0 {
			break
		}
	}
	var list []string
	for _, a := range atts {
		list = append(list, attachmentLine(attachmentView(canonical, a)))
	}
	switch {
	case len(atts) == 0:
		r, _ := inputError("%s has no attachments.", canonical)
		return AttachmentView{}, r, nil
	case len(hits) == 0:
		r, _ := inputError("%s has no attachment %q. Its attachments: %s", canonical, clipValue(which), strings.Join(list, "; "))
		return AttachmentView{}, r, nil
	case len(hits) > 1:
		r, _ := inputError("%s has several attachments named %q; pass the id of the one you mean: %s", canonical, clipValue(which), strings.Join(list, "; "))
		return AttachmentView{}, r, nil
	}
	return attachmentView(canonical, hits[0]), nil, nil
}

type getAttachmentArgs struct {
	IssueKey   string `json:"issue_key"`
	Attachment string `json:"attachment"`
	SaveTo     string `json:"save_to"`
	Overwrite  bool   `json:"overwrite"`
}

func (t *Toolset) getAttachment(ctx context.Context, a *getAttachmentArgs) (*mcp.CallToolResult, error) {
	key, err := jira.NormalizeKey(a.IssueKey)
	if err != nil {
		return failure(op{}, err)
	}
	v, res, err := t.findAttachment(ctx, key, a.Attachment)
	if res != nil || err != nil {
		return res, err
	}
	if strings.TrimSpace(a.SaveTo) != "" {
		return t.saveAttachment(ctx, v, a.SaveTo, a.Overwrite)
	}
	data, res, err := t.download(ctx, v, inlineLimit)
	if res != nil || err != nil {
		return res, err
	}
	v.Truncated = int64(len(data)) < v.Size
	head := fmt.Sprintf("%s of %s", attachmentLine(v), v.IssueKey)
	if img := imageType(data); img != "" {
		v.Kind, v.DetectedType = "image", img
		if v.Truncated {
			return inputError("%s is %s, over the %s limit for images read inline: pass save_to to save it to a file.", v.Filename, byteSize(v.Size), byteSize(inlineLimit))
		}
		r := mcp.NewToolResultStructured(v, head+":")
		r.Content = append(r.Content, mcp.NewImageContent(base64.StdEncoding.EncodeToString(data), img))
		return r, nil
	}
	if textual(data, v.MimeType, v.Filename) {
		v.Kind, v.DetectedType = "text", "text/plain"
		body, budget := string(data), t.limits.Text-len(head)-300
		if len(body) > budget || v.Truncated {
			v.Truncated = true
			body = cutBytes(body, budget) + fmt.Sprintf("\n[cut by jira-mcp: the first %s of %s; pass save_to to get the whole file]", byteSize(int64(min(len(body), budget))), byteSize(v.Size))
		}
		return mcp.NewToolResultStructured(v, head+" (untrusted text from Jira):\n"+body), nil
	}
	v.Kind, v.DetectedType, v.Truncated = "link", http.DetectContentType(data), false
	r := mcp.NewToolResultStructured(v, head+" is neither an image nor text: read it as the resource "+v.URI+", or pass save_to to save it.")
	r.Content = append(r.Content, mcp.NewResourceLink(v.URI, v.Filename, "", v.MimeType))
	return r, nil
}

// download fetches an attachment's content, at most limit bytes (a
// *jira.TooLargeError is not a failure: the first bytes come back).
func (t *Toolset) download(ctx context.Context, v AttachmentView, limit int64) ([]byte, *mcp.CallToolResult, error) {
	data, _, err := t.jira.Download(ctx, v.content, limit)
	var off *jira.OffSiteError
	var big *jira.TooLargeError
	switch {
	case errors.As(err, &off):
		return nil, errorResult(KindForbidden, fmt.Sprintf("Jira gives %s's download address on another site (%s); jira-mcp fetches only from %s and did not send anything there. Ask the user to check Jira's base URL setting.", v.Filename, clipValue(off.URL), t.jira.BaseURL())), nil
	case errors.As(err, &big):
		return data, nil, nil
	case err != nil:
		r, gerr := failure(op{what: "download " + v.Filename + " from " + v.IssueKey, key: v.IssueKey}, err)
		return nil, r, gerr
	}
	return data, nil, nil
}

// saveAttachment writes an attachment to a local file.
func (t *Toolset) saveAttachment(ctx context.Context, v AttachmentView, saveTo string, overwrite bool) (*mcp.CallToolResult, error) {
	lf, err := t.files.resolve(saveTo, true, v.Filename)
	if err != nil {
		return pathFailure(err)
	}
	if v.Size > maxUpload {
		return inputError("%s is %s, over the %s limit for saving.", v.Filename, byteSize(v.Size), byteSize(maxUpload))
	}
	data, res, err := t.download(ctx, v, maxUpload)
	if res != nil || err != nil {
		return res, err
	}
	if int64(len(data)) < v.Size {
		return inputError("%s is over the %s limit for saving.", v.Filename, byteSize(maxUpload))
	}
	if err := lf.write(data, overwrite); err != nil {
		return pathFailure(err)
	}
	v.Kind, v.DetectedType, v.SavedTo = "saved", http.DetectContentType(data), filepath.Join(lf.root, lf.rel)
	if img := imageType(data); img != "" {
		v.DetectedType = img
	}
	return mcp.NewToolResultStructured(v, fmt.Sprintf("Saved %s of %s to %s.", attachmentLine(v), v.IssueKey, v.SavedTo)), nil
}

// pathFailure answers a refused local path.
func pathFailure(err error) (*mcp.CallToolResult, error) {
	var pe *pathError
	if errors.As(err, &pe) {
		return errorResult(KindForbidden, pe.msg), nil
	}
	return nil, err
}

// imageType returns the image type the bytes are (PNG, JPEG, GIF, WebP),
// or "".
func imageType(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return "image/png"
	case bytes.HasPrefix(b, []byte("\xff\xd8\xff")):
		return "image/jpeg"
	case bytes.HasPrefix(b, []byte("GIF87a")), bytes.HasPrefix(b, []byte("GIF89a")):
		return "image/gif"
	case len(b) >= 12 && string(b[:4]) == "RIFF" && string(b[8:12]) == "WEBP":
		return "image/webp"
	}
	return ""
}

// Text attachments: by declared type or by file name extension, and only
// when the bytes are text.
var (
	textTypes = []string{"text/plain", "text/csv", "text/markdown", "text/x-markdown", "text/x-log", "application/json", "application/xml", "text/xml", "application/x-ndjson"}
	// textExts are the text extensions, with the type an upload is sent
	// with (mime.TypeByExtension depends on the system's tables).
	textExts = map[string]string{
		".txt": "text/plain", ".log": "text/plain", ".out": "text/plain", ".json": "application/json",
		".xml": "application/xml", ".csv": "text/csv", ".tsv": "text/tab-separated-values",
		".md": "text/markdown", ".markdown": "text/markdown", ".ndjson": "application/x-ndjson",
	}
)

// textual reports whether an attachment is text to show as such.
func textual(b []byte, declared, name string) bool {
	mt, _, _ := mime.ParseMediaType(declared)
	if _, ext := textExts[strings.ToLower(filepath.Ext(name))]; !ext && !slices.Contains(textTypes, strings.ToLower(mt)) {
		return false
	}
	if bytes.IndexByte(b, 0) >= 0 {
		return false
	}
	// A cut may have split the last character.
	for i := 0; i < 3 && len(b) > 0 && !utf8.Valid(b); i++ {
		b = b[:len(b)-1]
	}
	return utf8.Valid(b)
}

type addAttachmentArgs struct {
	IssueKey string `json:"issue_key"`
	Path     string `json:"path"`
}

func (t *Toolset) addAttachment(ctx context.Context, a *addAttachmentArgs) (*mcp.CallToolResult, error) {
	key, err := jira.NormalizeKey(a.IssueKey)
	if err != nil {
		return failure(op{}, err)
	}
	lf, err := t.files.resolve(a.Path, false, "")
	if err != nil {
		return pathFailure(err)
	}
	data, err := lf.read(maxUpload)
	if err != nil {
		return pathFailure(err)
	}
	if utf8.Valid(data) {
		if what := credentialIn(string(data)); what != "" {
			return inputError("%s seems to contain a credential (%s). Remove it before attaching: secrets must never go to Jira.", lf.shown, what)
		}
	}
	name := safeName(filepath.Base(a.Path))
	ctype := uploadType(data, name)
	// The attachments before: the issue is readable and in scope, and a
	// lost answer can be checked against them.
	canonical, before, err := t.jira.IssueAttachments(ctx, key)
	if err != nil {
		return failure(op{what: "read " + key + " before attaching (nothing was sent)", key: key}, err)
	}
	if !t.allowedKey(canonical) {
		return errorResult(KindForbidden, fmt.Sprintf("%s is now %s, outside the projects jira-mcp may use (%s).", key, canonical, strings.Join(t.projects, ", "))), nil
	}
	added, err := t.jira.AddAttachment(ctx, canonical, name, ctype, data)
	verified := false
	if err != nil {
		write := op{what: "attach " + name + " to " + canonical, key: canonical, write: true}
		if !outcomeUnknown(ctx, err) {
			return failure(write, err)
		}
		found, checked := t.findNewAttachment(ctx, canonical, name, int64(len(data)), before)
		switch {
		case !checked:
			return failure(write, err)
		case found == nil:
			return notMade(write, err, "reading the attachments back does not show it")
		}
		added, verified = []jira.Attachment{*found}, true
	}
	if len(added) == 0 {
		return nil, fmt.Errorf("attach %s to %s: Jira answered no attachment", name, canonical)
	}
	v := attachmentView(canonical, added[0])
	v.Verified = verified
	text := fmt.Sprintf("Attached %s to %s.", attachmentLine(v), canonical)
	if verified {
		text += " Jira's answer was lost; the attachment was confirmed by reading the issue back. Do not attach it again."
	}
	r := mcp.NewToolResultStructured(v, text)
	r.Content = append(r.Content, mcp.NewResourceLink(v.URI, v.Filename, "", v.MimeType))
	return r, nil
}

// uploadType is the content type an upload is sent with: the image type
// its bytes show, else the one its extension names, else Jira guesses.
func uploadType(data []byte, name string) string {
	if img := imageType(data); img != "" {
		return img
	}
	if t, ok := textExts[strings.ToLower(filepath.Ext(name))]; ok && utf8.Valid(data) {
		return t
	}
	return mime.TypeByExtension(filepath.Ext(name))
}

// findNewAttachment looks for the attachment a lost answer may have made:
// one with the name and size that was not there before.
func (t *Toolset) findNewAttachment(ctx context.Context, key, name string, size int64, before []jira.Attachment) (*jira.Attachment, bool) {
	ctx, cancel := verifyContext(ctx)
	defer cancel()
	_, after, err := t.jira.IssueAttachments(ctx, key)
	if err != nil {
		return nil, false
	}
	for i, a := range after {
		if a.Filename == name && a.Size == size && !slices.ContainsFunc(before, func(b jira.Attachment) bool { return b.ID == a.ID }) {
			return &after[i], true
		}
	}
	return nil, true
}
