package tools_test

import (
	"errors"
	"net/http"
	"testing"

	"github.com/jira-mcp/jira-mcp/tools"
	"github.com/jira-mcp/jira-mcp/tools/jira"
)

var errNoLogin = errors.New("not logged in")

type loginRequired struct{}

func (loginRequired) Error() string       { return "not logged in: run jira-mcp auth login" }
func (loginRequired) LoginRequired() bool { return true }

type failing struct{}

func (failing) RoundTrip(*http.Request) (*http.Response, error) { return nil, loginRequired{} }

func mustToolset(t testing.TB, url string, hc *http.Client) *tools.Toolset {
	t.Helper()
	jc, err := jira.New(url, hc)
	if err != nil {
		t.Fatal(err)
	}
	return tools.New(jc)
}
