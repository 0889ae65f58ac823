package markup

import (
	"strings"
	"testing"
)

// jiraHTML are shapes Jira DC renders, with the Markdown we want for each.
var jiraHTML = []struct{ name, html, md string }{
	{"code panel",
		`<div class="code panel" style="border-width: 1px;"><div class="codeContent panelContent">
<pre class="code-java"><span class="code-keyword">public</span> <span class="code-keyword">class</span> Foo {}</pre>
</div></div>`,
		"```java\npublic class Foo {}\n```"},
	{"code panel with title",
		`<div class="code panel" style="border-width: 1px;"><div class="codeHeader panelHeader" style="border-bottom-width: 1px;"><b>Foo.go</b></div><div class="codeContent panelContent">
<pre class="code-go">package foo</pre>
</div></div>`,
		"**Foo.go**\n\n```go\npackage foo\n```"},
	{"noformat",
		`<div class="preformatted panel" style="border-width: 1px;"><div class="preformattedContent panelContent">
<pre>raw *text* &lt;here&gt;</pre>
</div></div>`,
		"```\nraw *text* <here>\n```"},
	{"mention",
		`<p>Thanks <a href="https://jira.example.com/secure/ViewProfile.jspa?name=alice" class="user-hover" rel="alice">Alice Anderson</a>!</p>`,
		"Thanks @alice!"},
	{"unknown macro",
		`<p>See <span class="error">Unknown macro: {foo}</span> here</p>`,
		"See Unknown macro: {foo} here"},
	{"broken link",
		`<p><span class="error">&#91;WIP&#93;</span> fix</p>`,
		`\[WIP] fix`},
	{"panel keeps links",
		`<div class="panel" style="border-width: 1px;"><div class="panelHeader" style="border-bottom-width: 1px;"><b>Heads up</b></div><div class="panelContent">
<p>Read <a href="https://x.y/doc" class="external-link" rel="nofollow">the doc</a>.</p>
</div></div>`,
		"> **Heads up**\n> \n> Read [the doc](https://x.y/doc)."},
	{"emoticons",
		`<p>done <img class="emoticon" src="https://jira/images/icons/emoticons/check.png" height="16" width="16" align="absmiddle" alt="" border="0"/> and <img class="emoticon" src="/images/icons/emoticons/smile.png" alt="" border="0"/></p>`,
		"done (/) and :)"},
	{"table",
		`<div class='table-wrap'>
<table class='confluenceTable'><tbody>
<tr>
<th class='confluenceTh'>Key</th>
<th class='confluenceTh'>Value</th>
</tr>
<tr>
<td class='confluenceTd'>a</td>
<td class='confluenceTd'><tt>x|y</tt></td>
</tr>
</tbody></table>
</div>`,
		"| Key | Value  |\n|-----|--------|\n| a   | `x\\|y` |"},
	{"blockquote", `<blockquote><p>quoted</p></blockquote>`, "> quoted"},
	{"comments scripts styles dropped",
		`<p>a<!-- secret -->b</p><script>alert(1)</script><style>p{}</style>`, "ab"},
	{"relative links made absolute",
		`<p><a href="/browse/X-1">X-1</a> <img src="/secure/attachment/1/a.png" /></p>`,
		"[X-1](https://jira.example.com/browse/X-1) ![](https://jira.example.com/secure/attachment/1/a.png)"},
	{"heading anchor dropped", `<h2><a name="Steps"></a>Steps</h2>`, "## Steps"},
	{"strike and monospace", `<p><del>old</del> <tt>new</tt> <b>b</b> <em>e</em></p>`, "~~old~~ `new` **b** *e*"},
	{"hidden characters removed", "<p>ig\u200bnore \u202eme</p>", "ignore me"},
	{"intraword underscore unescaped", `<p>snake_case_name and _x_</p>`, `snake_case_name and \_x_`},
	{"entity text escaped", `<p>&amp;amp; literal</p>`, `\&amp; literal`},
}

func TestHTMLToMarkdown(t *testing.T) {
	for _, tc := range jiraHTML {
		t.Run(tc.name, func(t *testing.T) {
			got, err := HTMLToMarkdown(tc.html, ReadOptions{BaseURL: "https://jira.example.com/"})
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.md {
				t.Errorf("got:\n%s\nwant:\n%s", got, tc.md)
			}
		})
	}
}

func TestWikiToHTMLShapes(t *testing.T) {
	opt := HTMLOptions{BaseURL: "https://jira.example.com", DisplayName: func(u string) string { return "Alice Anderson" }}
	cases := []struct{ wiki, want string }{
		{"h2. Steps", `<h2><a name="Steps"></a>Steps</h2>`},
		{"{code:go}\nx := 1\n{code}", "<div class=\"code panel\" style=\"border-width: 1px;\"><div class=\"codeContent panelContent\">\n<pre class=\"code-go\">x := 1</pre>\n</div></div>"},
		{"{code}\nplain\n{code}", `<pre class="code-java">plain</pre>`},
		{"[~alice]", `<a href="https://jira.example.com/secure/ViewProfile.jspa?name=alice" class="user-hover" rel="alice">Alice Anderson</a>`},
		{"||h||\n|c|", "<th class='confluenceTh'>h</th>"},
		{"* a\n** b", "<ul>\n\t<li>a\n\t<ul>\n\t\t<li>b</li>\n\t</ul>\n\t</li>\n</ul>"},
		{"(/) done", `emoticons/check.png`},
		{"[WIP]", `<span class="error">&#91;WIP&#93;</span>`},
		{"{foo}", `<span class="error">Unknown macro: {foo}</span>`},
		{"<script>x</script> & \"q\"", `<p>&lt;script&gt;x&lt;/script&gt; &amp; "q"</p>`},
		{"{panel:title=T}\nbody\n{panel}", `<div class="panelHeader" style="border-bottom-width: 1px;"><b>T</b></div>`},
		{"a\\\\b", "<p>a<br/>b</p>"},
		{"\\*x*", "<p>*x*</p>"},
	}
	for _, tc := range cases {
		if got := WikiToHTML(tc.wiki, opt); !strings.Contains(got, tc.want) {
			t.Errorf("WikiToHTML(%q) =\n%s\nwant it to contain\n%s", tc.wiki, got, tc.want)
		}
	}
}

func TestWikiToMarkdown(t *testing.T) {
	wiki := "h1. Plan\n\n# step *one*\n#* detail with {{code}}\n\n{code:python}\nprint(1)\n{code}\n\nAsk [~bob]."
	want := "# Plan\n\n1. step **one**\n   \n   - detail with `code`\n\n```python\nprint(1)\n```\n\nAsk @bob."
	if got := WikiToMarkdown(wiki, ReadOptions{}); got != want {
		t.Errorf("got:\n%q\nwant:\n%q", got, want)
	}
}

// TestConcurrentUse: the shared parser and converter are safe for
// concurrent calls (run with -race).
func TestConcurrentUse(t *testing.T) {
	done := make(chan string)
	for i := 0; i < 8; i++ {
		go func() {
			wiki := ToWiki(wikiCases[i].md, WikiOptions{})
			md, _ := HTMLToMarkdown(WikiToHTML(wiki, HTMLOptions{}), ReadOptions{BaseURL: "https://j"})
			done <- md
		}()
	}
	for i := 0; i < 8; i++ {
		<-done
	}
}
