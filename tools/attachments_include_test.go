package tools

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"
)

func TestAttachmentsInclude(t *testing.T) {
	ts, _ := newToolset(t)
	is, err := ts.jira.GetIssue(context.Background(), "WEB-3", []string{attachmentsField}, nil, attachmentsField)
	if err != nil {
		t.Fatal(err)
	}
	section, list, links, err := attachmentsInclude("WEB-3", is.Raw(attachmentsField))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(section, "Attachments (2):\n[30000] checkout-502.png (118 bytes, image/png, carol, 20") ||
		!strings.Contains(section, "\n[30001] gateway.log (147 bytes, text/plain, carol, ") || !strings.HasSuffix(section, "Read one with jira_get_attachment (attachment: id).") {
		t.Errorf("section:\n%s", section)
	}
	if len(list) != 2 || list[1].Filename != "gateway.log" || list[0].URI != "jira://issue/WEB-3/attachment/30000" {
		t.Errorf("list %+v", list)
	}
	if l, ok := links[0].(mcp.ResourceLink); !ok || l.URI != "jira://issue/WEB-3/attachment/30000" || l.MIMEType != "image/png" {
		t.Errorf("links %+v", links)
	}
	raw, _ := json.Marshal(links[0])
	t.Logf("one resource link: %d bytes: %s", len(raw), raw)
	if section, list, _, err := attachmentsInclude("WEB-6", json.RawMessage(`[]`)); section != "Attachments (0)." || len(list) != 0 || err != nil {
		t.Errorf("none: %q %v %v", section, list, err)
	}
}
