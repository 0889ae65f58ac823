package tools

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/jira-mcp/jira-mcp/tools/jira"
)

// jira_get_issue's `include: attachments`, kept apart so that it can be
// hooked into the include table (tools/issue_include.go, on another
// branch) with one entry: ask Jira for attachmentsField with the issue,
// then hand its raw value to attachmentsInclude, which returns the text
// section, the structured list and a resource link per attachment
// (jira://issue/{key}/attachment/{id}), to append to the result's content.

// attachmentsField is the issue field that lists its attachments.
const attachmentsField = "attachment"

// attachmentsInclude renders an issue's attachment field. The section is
// "" when the issue has none.
func attachmentsInclude(key string, raw json.RawMessage) (section string, list []AttachmentView, links []mcp.Content, err error) {
	var atts []jira.Attachment
	if len(raw) > 0 && string(raw) != "null" {
		if err := json.Unmarshal(raw, &atts); err != nil {
			return "", nil, nil, fmt.Errorf("attachments of %s: %w", key, err)
		}
	}
	list = make([]AttachmentView, 0, len(atts))
	if len(atts) == 0 {
		return "", list, nil, nil
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
