package markup

import (
	"strings"
	"testing"
)

// benchComment is a ~4 KB Markdown comment of the kind an agent writes.
var benchComment = func() string {
	part := "## Findings for `jira_search`\n\n" +
		"The **search** call returned _stale_ results when `start_at` was set; see [the log](https://ci.example.com/build/42) " +
		"and snake_case_name values like max_results. Ping @alice about 2*3*4 edge cases.\n\n" +
		"1. Reproduce with `go test ./...`\n   - check the cache\n   - clear `~/.cache`\n2. Fix the offset\n\n" +
		"```go\nfunc next(start, limit int) int { return start + limit }\n```\n\n" +
		"| case | result |\n|---|---|\n| empty | ok |\n| a \\| b | fails |\n\n> Note: {braces} and [WIP] stay text.\n\n"
	return strings.Repeat(part, 4096/len(part)+1)[:4096]
}()

// benchHTML is a ~4 KB description as Jira renders it.
var benchHTML = WikiToHTML(ToWiki(benchComment, WikiOptions{}), HTMLOptions{BaseURL: "https://jira.example.com"})

func BenchmarkToWiki4K(b *testing.B) {
	users := func(n string) bool { return n == "alice" }
	b.SetBytes(int64(len(benchComment)))
	b.ReportAllocs()
	for b.Loop() {
		ToWiki(benchComment, WikiOptions{UserExists: users})
	}
}

func BenchmarkHTMLToMarkdown4K(b *testing.B) {
	b.SetBytes(int64(len(benchHTML)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := HTMLToMarkdown(benchHTML, ReadOptions{BaseURL: "https://jira.example.com"}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWikiToHTML4K(b *testing.B) {
	wiki := ToWiki(benchComment, WikiOptions{})
	b.SetBytes(int64(len(wiki)))
	b.ReportAllocs()
	for b.Loop() {
		WikiToHTML(wiki, HTMLOptions{})
	}
}

func BenchmarkSanitize4K(b *testing.B) {
	s := strings.Repeat("ig\u200bnore 👩\u200d💻 text ", 4096/24)
	b.SetBytes(int64(len(s)))
	b.ReportAllocs()
	for b.Loop() {
		Sanitize(s)
	}
}
