package tools_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/jira-mcp/jira-mcp/tools"
	"github.com/jira-mcp/jira-mcp/tools/jira/emulator"
)

func TestEditComment(t *testing.T) {
	forEachVersion(t, func(t *testing.T, v string) {
		e := newEnv(t, envOptions{version: v})
		text, res := e.ok(tools.EditComment, map[string]any{"issue_key": "web-2", "comment_id": "20004", "body": "Spike **done**; PR tomorrow."})
		if !strings.HasPrefix(text, "Edited comment 20004 of WEB-2: "+e.jira.URL+"/browse/WEB-2?focusedCommentId=20004#comment-20004") {
			t.Errorf("text %q", text)
		}
		var out tools.EditCommentResult
		structured(t, res, &out)
		if out.ID != "20004" || out.IssueKey != "WEB-2" || out.Format != "markdown" {
			t.Errorf("structured %+v", out)
		}
		puts := e.requests("PUT", "/rest/api/2/issue/WEB-2/comment/20004")
		if len(puts) != 1 {
			t.Fatalf("%d edits", len(puts))
		}
		jsonEq(t, puts[0].Body, `{"body":"Spike *done*; PR tomorrow."}`)
	})
}

// A restricted comment stays restricted: Jira makes a comment sent
// without its visibility public.
func TestEditCommentKeepsVisibility(t *testing.T) {
	e := newEnv(t, envOptions{token: emulator.Token("carol")})
	e.ok(tools.EditComment, map[string]any{"issue_key": "WEB-2", "comment_id": "20002", "body": "Debounce to 300 ms.", "format": "wiki"})
	jsonEq(t, e.requests("PUT", "/rest/api/2/issue/WEB-2/comment/20002")[0].Body, `{"body":"Debounce to 300 ms.","visibility":{"type":"role","value":"Developers"}}`)
	st, _ := e.jira.Issue("WEB-2")
	if c := st.Comments[1]; c.Body != "Debounce to 300 ms." || c.VisibilityValue != "Developers" {
		t.Errorf("comment %+v", c)
	}
}

func TestEditCommentRefusals(t *testing.T) {
	e := newEnv(t, envOptions{})
	for _, c := range []struct {
		name string
		args map[string]any
		kind string
		want string
	}{
		{"someone else's", map[string]any{"issue_key": "WEB-2", "comment_id": "20001", "body": "x"}, tools.KindForbidden, "The comment is bob's: Jira lets you edit your own comments, and others' only with Edit All Comments."},
		{"not a number", map[string]any{"issue_key": "WEB-2", "comment_id": "abc", "body": "x"}, tools.KindInvalidInput, "comment_id must be a comment's number"},
		{"restricted from alice", map[string]any{"issue_key": "WEB-2", "comment_id": "20003", "body": "x"}, tools.KindNotFound, ""},
		{"secret", map[string]any{"issue_key": "WEB-2", "comment_id": "20004", "body": "password https://u:hunter2@example.com"}, tools.KindInvalidInput, "credential"},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := e.call(tools.EditComment, c.args)
			if tools.ErrorKind(res) != c.kind || !strings.Contains(tools.Text(res), c.want) {
				t.Errorf("%s %q", tools.ErrorKind(res), tools.Text(res))
			}
		})
	}
	if st, _ := e.jira.Issue("WEB-2"); st.Comments[0].Body != "Lookup provider contract is signed, API keys are in the vault." {
		t.Errorf("bob's comment changed: %q", st.Comments[0].Body)
	}
}

func TestEditCommentAnswerLost(t *testing.T) {
	srv := emulator.NewServer()
	t.Cleanup(srv.Close)
	hc := &http.Client{Transport: loseAnswers{srv.ClientAs(emulator.DefaultToken).Transport, "PUT", "/rest/api/2/issue/WEB-2/comment/20004"}}
	e := connect(t, srv, mustToolset(t, srv.URL, hc), envOptions{})
	if text, _ := e.ok(tools.EditComment, map[string]any{"issue_key": "WEB-2", "comment_id": "20004", "body": "Done."}); !strings.Contains(text, "confirmed by reading the comment back") {
		t.Errorf("made: %q", text)
	}
	e.jira.Fail("PUT", "/rest/api/2/issue/WEB-2/comment/20004", http.StatusBadGateway, nil, "", 1)
	if msg := e.fail(tools.EditComment, map[string]any{"issue_key": "WEB-2", "comment_id": "20004", "body": "Done twice."}); !strings.Contains(msg, "shows its old text: it was not made. It is safe to retry.") {
		t.Errorf("not made: %q", msg)
	}
}
