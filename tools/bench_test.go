package tools

import (
	"context"
	"testing"
)

// BenchmarkGetIssue reads an issue with its 5 newest comments, in process
// (the emulator's own work included): markdown is the default, from
// Jira's rendered HTML; wiki skips the conversion. The difference is what
// reading Markdown adds.
func BenchmarkGetIssue(b *testing.B) {
	for _, format := range []string{formatMarkdown, formatWiki} {
		b.Run(format, func(b *testing.B) {
			ts, _ := newToolset(b)
			args := map[string]any{"issue_key": "WEB-2", "format": format}
			b.ReportAllocs()
			for b.Loop() {
				res, err := ts.Call(context.Background(), GetIssue, args)
				if err != nil || res.IsError {
					b.Fatal(err, Text(res))
				}
			}
		})
	}
}
