package tools_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/jira-mcp/jira-mcp/tools"
)

// The README's tools table is made from the tools' own values, so that it
// cannot drift from them. Refresh it with UPDATE_README=true go test ./tools/.
func TestREADMEToolsTable(t *testing.T) {
	const (
		path  = "../README.md"
		start = "<!-- tools table: made by TestREADMEToolsTable -->\n"
		end   = "<!-- end of tools table -->\n"
	)
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	readme := string(raw)
	i, j := strings.Index(readme, start), strings.Index(readme, end)
	if i < 0 || j < i {
		t.Fatalf("README.md has no tools table between %q and %q", start, end)
	}
	want := toolsTable()
	got := readme[i+len(start) : j]
	if got == want {
		return
	}
	if os.Getenv("UPDATE_README") == "true" {
		if err := os.WriteFile(path, []byte(readme[:i+len(start)]+want+readme[j:]), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("README.md's tools table is stale; run UPDATE_README=true go test ./tools/\ngot:\n%s\nwant:\n%s", got, want)
}

func toolsTable() string {
	var b strings.Builder
	b.WriteString("| tool | what it does | CLI twin | kind |\n|---|---|---|---|\n")
	for _, tl := range tools.All() {
		kind := "write"
		if tl.ReadOnly() {
			kind = "read"
		}
		use := tl.CLI.Command
		for _, a := range tl.CLI.Args {
			use += " " + a.Meta
		}
		fmt.Fprintf(&b, "| `%s` | %s | `%s` | %s |\n", tl.Def.Name, firstSentence(tl.Def.Description), use, kind)
	}
	return b.String()
}

func firstSentence(s string) string {
	if i := strings.Index(s, ". "); i >= 0 {
		return s[:i+1]
	}
	return s
}
