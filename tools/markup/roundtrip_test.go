package markup

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
)

// TestRoundTrip checks Markdown -> wiki -> Jira-shaped HTML -> Markdown keeps
// the meaning of every row of wikiCases: the same goldmark AST shape (node
// kinds and text) after normalising.
func TestRoundTrip(t *testing.T) {
	users := func(n string) bool { return n == "alice" || n == "j.doe" }
	for _, tc := range wikiCases {
		t.Run(tc.name, func(t *testing.T) {
			wiki := ToWiki(tc.md, WikiOptions{UserExists: users})
			got, err := HTMLToMarkdown(WikiToHTML(wiki, HTMLOptions{}), ReadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			want, have := shape(tc.md), shape(got)
			if _, loose := looseRows[tc.name]; loose {
				want, have = words(tc.md), words(got)
			}
			if want != have {
				t.Errorf("round trip changed the meaning\n   md: %q\n wiki: %q\n back: %q\n want: %s\n  got: %s",
					tc.md, wiki, got, want, have)
			}
		})
	}
}

// shape renders the goldmark AST of md as a compact string of node kinds
// and text, with the differences that carry no meaning removed.
func shape(md string) string {
	doc, src := parseMarkdown(md)
	var b strings.Builder
	writeShape(&b, doc, src)
	s := strings.Join(strings.Fields(strings.ReplaceAll(b.String(), "\u00a0", " ")), " ")
	return strings.NewReplacer("{ ", "{", " }", "}").Replace(s)
}

// mentionText treats "@alice" and the mention read back the same way.
var mentionText = regexp.MustCompile(`@(alice|j\.doe)\b`)

func writeShape(b *strings.Builder, n ast.Node, src []byte) {
	wrap := func(label string) {
		b.WriteString(label + "{")
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			writeShape(b, c, src)
		}
		b.WriteString("} ")
	}
	switch n := n.(type) {
	case *ast.Document:
		wrap("")
	case *ast.Text:
		b.WriteString(mentionText.ReplaceAllString(unescapeMarkdown(string(n.Segment.Value(src))), "@$1"))
		if n.SoftLineBreak() || n.HardLineBreak() {
			b.WriteString(" ")
		}
	case *ast.String:
		b.Write(n.Value)
	case *ast.Paragraph, *ast.TextBlock:
		wrap("P")
	case *ast.Heading:
		wrap("H" + strconv.Itoa(n.Level))
	case *ast.Blockquote:
		if _, nested := n.Parent().(*ast.Blockquote); nested {
			wrap("")
		} else {
			wrap("Quote")
		}
	case *ast.List:
		wrap(map[bool]string{true: "OL", false: "UL"}[n.IsOrdered()])
	case *ast.ListItem:
		wrap("LI")
	case *ast.FencedCodeBlock, *ast.CodeBlock:
		b.WriteString("Code{" + strings.TrimSpace(codeLines(n, src)) + "} ")
	case *ast.CodeSpan:
		b.WriteString("`" + strings.TrimSpace(plainCode(n, src)) + "`")
	case *ast.Emphasis:
		wrap("Em" + strconv.Itoa(n.Level))
	case *east.Strikethrough:
		wrap("Del")
	case *ast.Link:
		wrap("Link(" + urlUnescaper.Replace(string(n.Destination)) + ")")
	case *ast.AutoLink:
		u := string(n.URL(src))
		if n.AutoLinkType == ast.AutoLinkEmail && !strings.HasPrefix(u, "mailto:") {
			u = "mailto:" + u
		}
		b.WriteString("Link(" + u + "){" + strings.TrimPrefix(u, "mailto:") + "} ")
	case *ast.Image:
		b.WriteString("Img(" + string(n.Destination) + ") ")
	case *east.TaskCheckBox:
		b.WriteString(map[bool]string{true: "(/) ", false: "(x) "}[n.IsChecked])
	case *ast.ThematicBreak:
		b.WriteString("HR ")
	case *ast.HTMLBlock:
		if s := strings.TrimSpace(stripHTMLComments(codeLines(n, src))); s != "" {
			b.WriteString("P{" + s + "} ")
		}
	case *ast.RawHTML:
		raw := string(n.Segments.Value(src))
		switch {
		case isBreakTag(raw):
			b.WriteString(" ")
		case !strings.HasPrefix(raw, "<!--"):
			b.WriteString(raw)
		}
	case *east.Table:
		wrap("Table")
	case *east.TableHeader:
		wrap("TH")
	case *east.TableRow:
		wrap("TR")
	case *east.TableCell:
		wrap("C")
	default:
		wrap(n.Kind().String())
	}
}

func codeLines(n ast.Node, src []byte) string {
	var b strings.Builder
	for i := 0; i < n.Lines().Len(); i++ {
		seg := n.Lines().At(i)
		b.Write(seg.Value(src))
	}
	return b.String()
}

func plainCode(n ast.Node, src []byte) string {
	var b strings.Builder
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if t, ok := c.(*ast.Text); ok {
			b.Write(t.Segment.Value(src))
		}
	}
	return b.String()
}

// urlUnescaper undoes the percent-encoding wikiURL applies.
var urlUnescaper = strings.NewReplacer("%7C", "|", "%5B", "[", "%5D", "]", "%21", "!", "%20", " ")

// words keeps only the letters and digits of a Markdown text's content.
func words(md string) string {
	doc, src := parseMarkdown(md)
	return strings.Join(strings.FieldsFunc(plainText(doc, src), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}), "")
}
