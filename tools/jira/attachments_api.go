package jira

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"strconv"
	"strings"

	"github.com/jira-mcp/jira-mcp/tools/jira/site"
)

// Attachments: their metadata, their content (downloaded only from the
// configured site, through the same authenticated client), and uploads
// (multipart, with the header that passes Jira's XSRF check).

// Attachment is a file attached to an issue.
type Attachment struct {
	ID        string `json:"id"`
	Filename  string `json:"filename"`
	Author    *User  `json:"author,omitempty"`
	Created   Time   `json:"created"`
	Size      int64  `json:"size"`
	MimeType  string `json:"mimeType"`
	Content   string `json:"content"` // the download URL
	Thumbnail string `json:"thumbnail,omitempty"`
}

// Attachment reads an attachment's metadata.
func (c *Client) Attachment(ctx context.Context, id string) (*Attachment, error) {
	if _, err := strconv.ParseUint(id, 10, 64); err != nil {
		return nil, &InputError{Msg: fmt.Sprintf("%q is not an attachment id (a number)", id)}
	}
	var out Attachment
	if err := c.do(ctx, "GET", "rest/api/2/attachment/"+id, nil, nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// IssueAttachments returns an issue's key (a moved issue answers with its
// new one) and its attachments.
func (c *Client) IssueAttachments(ctx context.Context, key string) (string, []Attachment, error) {
	is, err := c.GetIssue(ctx, key, []string{"attachment"}, nil, "attachment")
	if err != nil {
		return "", nil, err
	}
	var out []Attachment
	if raw := is.Raw("attachment"); raw != nil {
		if err := json.Unmarshal(raw, &out); err != nil {
			return "", nil, &AnswerError{Method: "GET", Path: issuePath(key), Status: http.StatusOK, ContentType: "application/json", Err: err}
		}
	}
	return is.Key, out, nil
}

// OffSiteError refuses a URL outside the configured Jira site: nothing
// was sent to it.
type OffSiteError struct{ URL string }

func (e *OffSiteError) Error() string {
	return "refusing to fetch " + Redact(e.URL) + ": it is not on the configured Jira site"
}

// TooLargeError says a download was over the limit given; Size is the
// size Jira announced, or 0 when only the bytes read showed it.
type TooLargeError struct{ Size, Limit int64 }

func (e *TooLargeError) Error() string {
	if e.Size > 0 {
		return fmt.Sprintf("the file is %d bytes, over the limit of %d", e.Size, e.Limit)
	}
	return fmt.Sprintf("the file is over the limit of %d bytes", e.Limit)
}

// Download fetches an attachment's content from its content URL, which
// must lie on the configured site (site.Within): Jira's answers name
// whatever host its base URL setting says, and a token is never sent
// elsewhere. It returns the bytes and the content type Jira declared (not
// to be trusted). A file over limit fails with *TooLargeError, and the
// first limit bytes.
func (c *Client) Download(ctx context.Context, contentURL string, limit int64) ([]byte, string, error) {
	u, err := url.Parse(contentURL)
	if err != nil || !u.IsAbs() || !site.Within(c.base, u) {
		return nil, "", &OffSiteError{URL: contentURL}
	}
	var data []byte
	var ctype string
	err = c.retrying(ctx, "GET", u.Path, func() error {
		data, ctype, err = c.downloadOnce(ctx, u.String(), limit)
		return err
	})
	return data, ctype, err
}

// downloadOnce is one attempt of Download.
func (c *Client) downloadOnce(ctx context.Context, u string, limit int64) ([]byte, string, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", u, nil)
	if err != nil {
		return nil, "", fmt.Errorf("build download: %w", err)
	}
	req.Header.Set("Accept", "*/*")
	resp, err := c.rawDo(req, "attachment content")
	if err != nil {
		return nil, "", err
	}
	defer resp.Body.Close()
	ctype := resp.Header.Get("Content-Type")
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, "", &AnswerError{Method: "GET", Path: "attachment content", Status: resp.StatusCode, ContentType: ctype, Err: err}
	}
	if int64(len(data)) > limit {
		return data[:limit], ctype, &TooLargeError{Size: max(resp.ContentLength, 0), Limit: limit}
	}
	return data, ctype, nil
}

// AddAttachment attaches a file to an issue and returns what Jira made of
// it. contentType may be "" (Jira then guesses from the name).
func (c *Client) AddAttachment(ctx context.Context, key, filename, contentType string, data []byte) ([]Attachment, error) {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", headerValue("form-data", "name", "file", "filename", filename))
	if contentType != "" {
		h.Set("Content-Type", contentType)
	}
	part, err := mw.CreatePart(h)
	if err != nil {
		return nil, err
	}
	if _, err := part.Write(data); err != nil {
		return nil, err
	}
	if err := mw.Close(); err != nil {
		return nil, err
	}
	path := issuePath(key) + "/attachments"
	var out []Attachment
	err = c.retrying(ctx, "POST", path, func() error { // a write: retried only when no connection opened
		out, err = c.uploadOnce(ctx, path, body.Bytes(), mw.FormDataContentType())
		return err
	})
	return out, err
}

// uploadOnce is one attempt of AddAttachment.
func (c *Client) uploadOnce(ctx context.Context, path string, body []byte, contentType string) ([]Attachment, error) {
	// A *bytes.Reader lets the transport send the body again (after a 401
	// racing a token rotation, say).
	req, err := c.jc.NewRawRequestWithContext(ctx, "POST", path, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("build %s: %w", path, err)
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("X-Atlassian-Token", "no-check") // else Jira answers 403 "XSRF check failed"
	req.Header.Set("Accept", "application/json")
	resp, err := c.rawDo(req, path)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var out []Attachment
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err == nil {
		err = json.Unmarshal(raw, &out)
	}
	if err != nil {
		return nil, &AnswerError{Method: "POST", Path: path, Status: resp.StatusCode, ContentType: resp.Header.Get("Content-Type"), Err: err}
	}
	return out, nil
}

// headerValue formats a header value with quoted parameters, escaping quotes and
// backslashes as multipart.Writer does.
func headerValue(value string, params ...string) string {
	var b strings.Builder
	b.WriteString(value)
	esc := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\r", "", "\n", "")
	for i := 0; i+1 < len(params); i += 2 {
		fmt.Fprintf(&b, `; %s="%s"`, params[i], esc.Replace(params[i+1]))
	}
	return b.String()
}

// rawDo sends a request whose answer is not (only) JSON, and returns the
// response of a 2xx answer; the caller closes its body. It fails as do
// does (see once): an APIError for a refusal, an AnswerError for a write
// answered as the anonymous user, whose outcome is unknown.
func (c *Client) rawDo(req *http.Request, path string) (*http.Response, error) {
	resp, err := c.jc.Do(req, nil)
	if resp == nil {
		if tokenRefused(err) {
			return nil, &APIError{Method: req.Method, Path: path, Status: http.StatusUnauthorized, Cause: err}
		}
		return nil, err
	}
	if reason, anonymous := site.ServedAnonymously(resp.Header); anonymous {
		resp.Body.Close()
		reason = clipText(Redact(reason), 100)
		if resp.StatusCode/100 == 2 && !site.Reads(req.Method, path) {
			return nil, &AnswerError{Method: req.Method, Path: path, Status: resp.StatusCode, Anonymous: reason}
		}
		return nil, &APIError{Method: req.Method, Path: path, Status: http.StatusUnauthorized,
			Messages: []string{"Jira did not accept the credentials (X-Seraph-LoginReason: " + reason + ") and answered as an anonymous user"}}
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		defer resp.Body.Close()
		return nil, newAPIError(req.Method, path, resp.Response)
	}
	return resp.Response, nil
}
