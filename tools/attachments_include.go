package tools

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/jira-mcp/jira-mcp/tools/jira"
)

// jira_get_issue's `include: attachments`: one entry of includeSpecs
// (issue_include.go) reads attachmentsField with the issue, and
// attachmentsInclude renders its raw value as the text section, the
// structured list (each with its resource URI) and a resource link per
// attachment (jira://issue/{key}/attachment/{id}; 134 bytes each).

// attachmentsField is the issue field that lists its attachments.
const attachmentsField = "attachment"

// attachmentsInclude renders an issue's attachment field.
func attachmentsInclude(key string, raw json.RawMessage) (section string, list []AttachmentView, links []mcp.Content, err error) {
	var atts []jira.Attachment
	if len(raw) > 0 && string(raw) != "null" {
		if err := json.Unmarshal(raw, &atts); err != nil {
			return "", nil, nil, fmt.Errorf("attachments of %s: %w", key, err)
		}
	}
	list = make([]AttachmentView, 0, len(atts))
	if len(atts) == 0 {
		return "Attachments (0).", list, nil, nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Attachments (%d):\n", len(atts))
	for _, a := range atts {
		v := attachmentView(key, a)
		v.IssueKey = "" // the issue's own key is the result's
		list = append(list, v)
		links = append(links, mcp.NewResourceLink(v.URI, v.Filename, "", v.MimeType))
		b.WriteString(attachmentLine(v))
		b.WriteByte('\n')
	}
	fmt.Fprintf(&b, "Read one with %s (attachment: id).", GetAttachment)
	return b.String(), list, links, nil
}

// includeAttachments is the include table's entry. The section's resource
// links are not added to the result: the structured list names each URI.
func (t *Toolset) includeAttachments(_ context.Context, key string, parts *jira.IssueParts, out *IssueIncludes) (string, error) {
	var raw json.RawMessage
	if parts != nil {
		raw = parts.Fields[attachmentsField]
	}
	section, list, _, err := attachmentsInclude(key, raw)
	if err != nil {
		return "", err
	}
	out.Attachments = list
	return section, nil
}
