package tools

import (
	"testing"

	"github.com/jira-mcp/jira-mcp/tools/jira"
	"github.com/jira-mcp/jira-mcp/tools/jira/emulator"
)

// newToolset returns a toolset whose Jira is an emulator served in process
// (no socket), as alice.
func newToolset(t testing.TB) (*Toolset, *emulator.Emulator) {
	t.Helper()
	e := emulator.New(emulator.WithBaseURL("http://127.0.0.1"))
	hc := e.Client()
	hc.Transport = emulator.Bearer{Token: emulator.DefaultToken, Next: hc.Transport}
	c, err := jira.New(e.BaseURL(), hc)
	if err != nil {
		t.Fatal(err)
	}
	return New(c), e
}

// requests counts what Jira received for one method and exact path.
func requests(e *emulator.Emulator, method, path string) int {
	n := 0
	for _, r := range e.Requests() {
		if r.Method == method && r.Path == path {
			n++
		}
	}
	return n
}
