package markup

import "testing"

// wikiCases are Markdown inputs with the exact wiki markup ToWiki must write.
// The round-trip test runs over every row too.
var wikiCases = []struct {
	name, md, wiki string
}{
	{"plain prose", "Just words, nothing else.", "Just words, nothing else."},
	{"snake case", "call snake_case_name now", "call snake_case_name now"},
	{"multiplication", "2*3*4 is 24", "2*3*4 is 24"},
	{"heading", "# Title", "h1. Title"},
	{"strong and em", "**bold** and *em*", "*bold* and _em_"},
}

func TestToWiki(t *testing.T) {
	users := func(n string) bool { return n == "alice" || n == "j.doe" }
	for _, tc := range wikiCases {
		t.Run(tc.name, func(t *testing.T) {
			got := ToWiki(tc.md, WikiOptions{UserExists: users})
			if got != tc.wiki {
				t.Errorf("ToWiki(%q)\n got: %q\nwant: %q", tc.md, got, tc.wiki)
			}
		})
	}
}
