package markup

import (
	"html"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
)

// FuzzToWiki: no panic, and every word of letters and digits in the Markdown
// text appears in the wiki output, so conversion never loses text.
func FuzzToWiki(f *testing.F) {
	for _, tc := range wikiCases {
		f.Add(tc.md)
	}
	f.Fuzz(func(t *testing.T, md string) {
		if !utf8.ValidString(md) {
			return
		}
		wiki := ToWiki(md, WikiOptions{UserExists: func(string) bool { return true }})
		plain := decodeEntities(wiki)
		have := wordSet(plain)
		for _, w := range textWords(md) {
			if !have[w] && !strings.Contains(plain, w) {
				t.Fatalf("word %q lost\n  md: %q\nwiki: %q", w, md, wiki)
			}
		}
	})
}

// FuzzWikiReaders: WikiToHTML and the Markdown readers never panic, and the
// Markdown read back holds no invisible characters.
func FuzzWikiReaders(f *testing.F) {
	for _, tc := range wikiCases {
		f.Add(tc.wiki)
	}
	for _, tc := range jiraHTML {
		f.Add(tc.html)
	}
	f.Fuzz(func(t *testing.T, s string) {
		md := WikiToMarkdown(s, ReadOptions{BaseURL: "https://jira.example.com"})
		if Sanitize(md) != md {
			t.Fatalf("unsanitised output %q", md)
		}
		if _, err := HTMLToMarkdown(s, ReadOptions{}); err != nil {
			t.Fatal(err)
		}
		_ = Detect(s)
	})
}

// FuzzSanitize: idempotent, never adds text, and leaves no character it
// removes.
func FuzzSanitize(f *testing.F) {
	f.Add("ig\u200bnore \u202eabc\U000e0041 👩\u200d💻 <!-- x -->")
	f.Fuzz(func(t *testing.T, s string) {
		out := Sanitize(s)
		if Sanitize(out) != out {
			t.Fatalf("not idempotent: %q -> %q", s, out)
		}
		for _, r := range out {
			if isInvisible(r) && r != '\u200d' {
				t.Fatalf("left %U in %q", r, out)
			}
		}
		f := Fence("x", s)
		if strings.Count(f, "\n"+fenceEnd) != 1 || !strings.HasSuffix(f, "\n"+fenceEnd) {
			t.Fatalf("fence forged: %q", f)
		}
	})
}

// textWords lists the words of every text in a Markdown document: text,
// code spans and code blocks, one node at a time.
func textWords(md string) []string {
	doc, src := parseMarkdown(md)
	var words []string
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Text:
			words = append(words, wordList(unescapeMarkdown(string(n.Segment.Value(src))))...)
		case *ast.String:
			words = append(words, wordList(string(n.Value))...)
		case *ast.FencedCodeBlock, *ast.CodeBlock:
			words = append(words, wordList(codeLines(n, src))...)
		case *ast.HTMLBlock:
			raw := codeLines(n, src)
			if n.HasClosure() {
				raw += string(n.ClosureLine.Value(src))
			}
			words = append(words, wordList(stripHTMLComments(raw))...)
		}
		return ast.WalkContinue, nil
	})
	return words
}

// decodeEntities resolves the entity references Jira resolves (with ";").
func decodeEntities(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if end := entityEnd(s, i); s[i] == '&' && end > 0 {
			b.WriteString(html.UnescapeString(s[i:end]))
			i = end - 1
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func wordList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range wordList(s) {
		m[w] = true
	}
	return m
}
