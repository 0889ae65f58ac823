package markup

import (
	"path"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/JohannesKaufmann/html-to-markdown/v2/converter"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/base"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/commonmark"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/strikethrough"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/table"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// ReadOptions tunes [HTMLToMarkdown] and [WikiToMarkdown].
type ReadOptions struct {
	// BaseURL is the Jira base URL; links and images relative to it become
	// absolute. Empty leaves them as they are.
	BaseURL string
}

// htmlConverter is built once, on first use (not at start: every
// jira-mcp process pays its package init); converting keeps no state in it.
var htmlConverter = sync.OnceValue(newHTMLConverter)

func newHTMLConverter() *converter.Converter {
	conv := converter.NewConverter(converter.WithPlugins(
		base.NewBasePlugin(),
		commonmark.NewCommonmarkPlugin(commonmark.WithBulletListMarker("-")),
		strikethrough.NewStrikethroughPlugin(),
		table.NewTablePlugin(),
	))
	// Runs just before the library resolves its escape markers.
	conv.Register.PostRenderer(keepIntrawordUnderscores, converter.PriorityStandard+10)
	// The library leaves "&amp;" in text as is, which Markdown reads as "&".
	// Its own "&lt;" and "&gt;" (for "<" and ">") stay unescaped.
	conv.Register.EscapedChar('&')
	conv.Register.UnEscaper(escapeEntityStart, converter.PriorityStandard)
	return conv
}

// keepIntrawordUnderscores drops the escape the library puts before an "_"
// between letters or digits: CommonMark never reads such an underscore as
// emphasis, and snake\_case\_name is noise for a reader.
func keepIntrawordUnderscores(_ converter.Context, content []byte) []byte {
	const mark = '\a' // the library's escape marker (marker.MarkerEscaping)
	out := content[:0]
	for i := 0; i < len(content); i++ {
		if content[i] == mark && i+2 < len(content) && content[i+1] == '_' && len(out) > 0 {
			before, _ := utf8.DecodeLastRune(out)
			after, _ := utf8.DecodeRune(content[i+2:])
			if isWordRune(before) && (isWordRune(after) || after == mark) {
				continue
			}
		}
		out = append(out, content[i])
	}
	return out
}

// HTMLToMarkdown converts HTML rendered by Jira Data Center (renderedFields,
// a comment's renderedBody) to Markdown. Jira's shapes are rewritten first:
// code panels become fenced code with their language, noformat panels plain
// fences, panels block quotes, mentions "@username", emoticons their wiki
// text and error spans their text. Comments, scripts and styles are dropped,
// and the result is passed through [Sanitize].
func HTMLToMarkdown(src string, opt ReadOptions) (string, error) {
	doc, err := html.Parse(strings.NewReader(src))
	if err != nil {
		return "", err
	}
	rewriteJiraHTML(doc)
	var opts []converter.ConvertOptionFunc
	if opt.BaseURL != "" {
		opts = append(opts, converter.WithDomain(strings.TrimRight(opt.BaseURL, "/")))
	}
	out, err := htmlConverter().ConvertNode(doc, opts...)
	if err != nil {
		return "", err
	}
	return Sanitize(strings.TrimSpace(string(out))), nil
}

// WikiToMarkdown converts Jira wiki markup to Markdown, for when Jira sends no
// rendered HTML. It renders the wiki with [WikiToHTML] and reads that with
// [HTMLToMarkdown], so both paths give the same Markdown for the same text.
func WikiToMarkdown(wiki string, opt ReadOptions) string {
	out, err := HTMLToMarkdown(WikiToHTML(wiki, HTMLOptions{BaseURL: opt.BaseURL}), opt)
	if err != nil {
		return Sanitize(wiki) // x/net/html parses any input; kept for safety
	}
	return out
}

// rewriteJiraHTML turns Jira's rendered shapes into plain HTML the converter
// knows.
func rewriteJiraHTML(n *html.Node) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		switch {
		case c.Type == html.CommentNode:
			n.RemoveChild(c)
		case c.Type != html.ElementNode:
		case c.DataAtom == atom.Script || c.DataAtom == atom.Style:
			n.RemoveChild(c)
		case (c.DataAtom == atom.Td || c.DataAtom == atom.Th) && find(c, isCode) != nil:
			escapeCellCodePipes(c)
			rewriteJiraHTML(c)
		default:
			if r := rewriteElement(c); r != nil {
				n.InsertBefore(r, c)
				n.RemoveChild(c)
				c = r
			}
			rewriteJiraHTML(c)
		}
		c = next
	}
}

// rewriteElement returns the replacement for a Jira-specific element, or nil.
func rewriteElement(c *html.Node) *html.Node {
	cls := " " + attrOf(c, "class") + " "
	switch {
	case c.DataAtom == atom.Div && strings.Contains(cls, " code ") && strings.Contains(cls, " panel "):
		return codeFromPanel(c, "")
	case c.DataAtom == atom.Div && strings.Contains(cls, " preformatted "):
		return codeFromPanel(c, "nolang")
	case c.DataAtom == atom.Div && strings.Contains(cls, " panel "):
		return panelToQuote(c)
	case c.DataAtom == atom.A && strings.Contains(cls, " user-hover "):
		user := attrOf(c, "rel")
		if user == "" {
			user = textOf(c)
		}
		return textNode("@" + user)
	case c.DataAtom == atom.Img && strings.Contains(cls, " emoticon "):
		return textNode(emoticonText(attrOf(c, "src"), attrOf(c, "alt")))
	case c.DataAtom == atom.Span && strings.Contains(cls, " error "):
		return textNode(textOf(c))
	case c.DataAtom == atom.A && attrOf(c, "href") == "" && c.FirstChild == nil:
		return textNode("") // heading anchors: <a name="x"></a>
	case c.DataAtom == atom.Tt:
		return element(atom.Code, c)
	case c.DataAtom == atom.Cite:
		return element(atom.Em, c)
	}
	return nil
}

// escapeEntityStart keeps the backslash before an "&" that would start an
// entity reference.
func escapeEntityStart(chars []byte, i int) int {
	if chars[i] != '&' {
		return -1
	}
	rest := string(chars[i:min(len(chars), i+40)])
	if strings.HasPrefix(rest, "&lt;") || strings.HasPrefix(rest, "&gt;") || entityEnd(rest, 0) == 0 {
		return -1
	}
	return 1
}

func isCode(n *html.Node) bool { return n.DataAtom == atom.Code || n.DataAtom == atom.Tt }

// escapeCellCodePipes writes "|" in code inside a table cell as "\|": GFM
// splits cells at any other pipe, even inside a code span, and the library
// does not escape it there.
func escapeCellCodePipes(cell *html.Node) {
	for c := cell.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && isCode(c) {
			for _, t := range textNodes(c) {
				t.Data = strings.ReplaceAll(t.Data, "|", `\|`)
			}
			continue
		}
		escapeCellCodePipes(c)
	}
}

func textNodes(n *html.Node) []*html.Node {
	var out []*html.Node
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.TextNode {
			out = append(out, c)
		}
		out = append(out, textNodes(c)...)
	}
	return out
}

// codeFromPanel makes <pre><code class="language-x"> from a code or
// preformatted panel, keeping a panel title as a bold line before it.
func codeFromPanel(panel *html.Node, lang string) *html.Node {
	pre := find(panel, func(n *html.Node) bool { return n.DataAtom == atom.Pre })
	title := find(panel, func(n *html.Node) bool { return strings.Contains(attrOf(n, "class"), "Header") })
	if pre != nil && lang == "" {
		for _, cl := range strings.Fields(attrOf(pre, "class")) {
			if l, ok := strings.CutPrefix(cl, "code-"); ok {
				lang = l
			}
		}
	}
	code := &html.Node{Type: html.ElementNode, Data: "code", DataAtom: atom.Code}
	if lang != "" && lang != "nolang" && lang != "none" {
		code.Attr = []html.Attribute{{Key: "class", Val: "language-" + lang}}
	}
	if pre != nil {
		code.AppendChild(textNode(textOf(pre)))
	}
	out := &html.Node{Type: html.ElementNode, Data: "pre", DataAtom: atom.Pre}
	out.AppendChild(code)
	if title == nil {
		return out
	}
	wrap := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	wrap.AppendChild(paragraphOf(textOf(title)))
	wrap.AppendChild(out)
	return wrap
}

// panelToQuote keeps a panel's content, links included, as a block quote;
// its title becomes a bold first line.
func panelToQuote(panel *html.Node) *html.Node {
	q := &html.Node{Type: html.ElementNode, Data: "blockquote", DataAtom: atom.Blockquote}
	for c := panel.FirstChild; c != nil; c = c.NextSibling {
		cls := attrOf(c, "class")
		if strings.Contains(cls, "panelHeader") {
			q.AppendChild(paragraphOf(textOf(c)))
			continue
		}
		for _, n := range children(c) {
			c.RemoveChild(n)
			q.AppendChild(n)
		}
	}
	return q
}

func paragraphOf(title string) *html.Node {
	p := &html.Node{Type: html.ElementNode, Data: "p", DataAtom: atom.P}
	b := &html.Node{Type: html.ElementNode, Data: "strong", DataAtom: atom.Strong}
	b.AppendChild(textNode(strings.TrimSpace(title)))
	p.AppendChild(b)
	return p
}

// element moves c's children into a new element of kind a.
func element(a atom.Atom, c *html.Node) *html.Node {
	e := &html.Node{Type: html.ElementNode, Data: a.String(), DataAtom: a}
	for _, n := range children(c) {
		c.RemoveChild(n)
		e.AppendChild(n)
	}
	return e
}

// emoticonText maps an emoticon image back to its wiki text.
func emoticonText(src, alt string) string {
	file := path.Base(src)
	best := ""
	for sym, f := range emoticonFiles {
		if f == file && (best == "" || sym < best) {
			best = sym
		}
	}
	if best != "" {
		return best
	}
	return alt
}

func children(n *html.Node) []*html.Node {
	var out []*html.Node
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		out = append(out, c)
	}
	return out
}

func find(n *html.Node, ok func(*html.Node) bool) *html.Node {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && ok(c) {
			return c
		}
		if f := find(c, ok); f != nil {
			return f
		}
	}
	return nil
}

func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

func textNode(s string) *html.Node { return &html.Node{Type: html.TextNode, Data: s} }

func attrOf(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}
