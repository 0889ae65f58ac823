package markup

import "testing"

func TestDetect(t *testing.T) {
	wiki := []string{
		"h1. Title\n\nSome text.",
		"h2. Steps\n# first\n# second",
		"  h3. Indented heading",
		"{code:java}\nint x = 1;\n{code}",
		"Run this:\n{code}\nmake\n{code}",
		"{noformat}\nraw *text*\n{noformat}",
		"{quote}\nHe said so.\n{quote}",
		"{panel:title=Note}\nCareful.\n{panel}",
		"This is {color:red}red{color} text.",
		"See [the docs|https://example.com/docs] first.",
		"||Name||Value||\n|a|1|",
		"Thanks [~alice] for the fix.",
		"bq. A quoted line.",
		"h4. Notes\n* one\n* two\n- three",
		"*bold* and _em_ with [Jira|http://jira] link",
		"{code:title=Foo.java|borderStyle=solid}\nclass Foo {}\n{code}",
		"h6. small",
		"Pinged [~j.doe] and [~bob] about [X-1|https://jira/browse/X-1].",
		"|| a || b ||\n| 1 | 2 |",
		"{quote}\n* item with {{mono}}\n{quote}",
		"h1. Release\n## nested numbered\n** nested bullet",
		"{panel}\nno title\n{panel}\n\nh2. After",
	}
	markdown := []string{
		"# Title\n\nSome text.",
		"```go\nfunc main() {}\n```",
		"Use **bold** here.",
		"See [docs](https://example.com).",
		"- one\n- two",
		"Run `make test` first.",
		"> quoted",
		"| a | b |\n|---|---|\n| 1 | 2 |",
		"1. first\n2. second",
		"Plain prose with no markup at all.",
		"h1. looks wiki but ```fence``` here\n```\ncode\n```",
		"{code}\nx\n{code}\n\nand `inline` code",
		"[text|url] but also [md](http://x)",
		"h2. Title\n\n**bold** text",
		"~~gone~~ and [~alice]",
		"![img](http://x/y.png) with ||a||",
		"bq. quote\n> and markdown quote",
		"",
		"just *emphasis* and _underscores_",
		"__strong__ words",
		"* bullet only",
		"~~~\nfenced with tildes\n~~~",
	}
	for _, s := range wiki {
		if got := Detect(s); got != Wiki {
			t.Errorf("Detect(%q) = %v, want wiki", s, got)
		}
	}
	for _, s := range markdown {
		if got := Detect(s); got != Markdown {
			t.Errorf("Detect(%q) = %v, want markdown", s, got)
		}
	}
	if len(wiki) < 20 || len(markdown) < 20 {
		t.Errorf("need 20 cases of each, have %d wiki and %d markdown", len(wiki), len(markdown))
	}
}

func TestFormatString(t *testing.T) {
	if Wiki.String() != "wiki" || Markdown.String() != "markdown" {
		t.Errorf("got %s, %s", Wiki, Markdown)
	}
}
