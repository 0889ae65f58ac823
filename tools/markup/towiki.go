package markup

import (
	"html"
	"strings"
	"sync"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// WikiOptions tunes [ToWiki].
type WikiOptions struct {
	// UserExists reports whether a Jira username exists; when it does, "@name"
	// becomes the mention "[~name]". Nil leaves every "@name" as typed.
	UserExists func(name string) bool
}

// mdParser is safe for concurrent use: goldmark parsers keep no state between
// Parse calls.
var mdParser = sync.OnceValue(func() parser.Parser { return goldmark.New(goldmark.WithExtensions(extension.GFM)).Parser() })

// parseMarkdown parses GFM Markdown after normalising line endings.
func parseMarkdown(md string) (ast.Node, []byte) {
	src := []byte(normalizeNewlines(md))
	return mdParser().Parse(text.NewReader(src), parser.WithContext(parser.NewContext())), src
}

// ToWiki converts GitHub-flavoured Markdown to Jira Data Center wiki markup.
// See the package documentation for the choices it makes.
func ToWiki(md string, opt WikiOptions) string {
	doc, src := parseMarkdown(md)
	w := &wikiWriter{src: src, opt: opt}
	return strings.Join(w.blocks(doc), "\n\n")
}

// wikiWriter renders goldmark blocks; each block becomes one string.
type wikiWriter struct {
	src     []byte
	opt     WikiOptions
	inQuote bool
}

// blocks renders the block children of n, dropping empty results.
func (w *wikiWriter) blocks(n ast.Node) []string {
	var out []string
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if s := w.block(c); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func (w *wikiWriter) block(n ast.Node) string {
	switch n := n.(type) {
	case *ast.Paragraph, *ast.TextBlock:
		return w.inline(n, ctxParagraph)
	case *ast.Heading:
		return "h" + string(rune('0'+n.Level)) + ". " + w.inline(n, ctxLine)
	case *ast.ThematicBreak:
		return "----"
	case *ast.FencedCodeBlock:
		return codeBlock(w.lines(n), string(n.Language(w.src)))
	case *ast.CodeBlock:
		return codeBlock(w.lines(n), "")
	case *ast.Blockquote:
		return w.quote(n)
	case *ast.List:
		return strings.Join(w.list(n, ""), "\n")
	case *ast.HTMLBlock:
		return w.htmlBlock(n)
	case *east.Table:
		return w.table(n)
	}
	return w.inline(n, ctxParagraph)
}

// lines returns the raw text of a code or HTML block.
func (w *wikiWriter) lines(n ast.Node) string {
	var b strings.Builder
	l := n.Lines()
	for i := 0; i < l.Len(); i++ {
		seg := l.At(i)
		b.Write(seg.Value(w.src))
	}
	return b.String()
}

// quote renders a block quote as {quote}; Jira cannot nest the macro, so a
// quote inside a quote is flattened into its parent.
func (w *wikiWriter) quote(n *ast.Blockquote) string {
	if w.inQuote {
		return strings.Join(w.blocks(n), "\n\n")
	}
	w.inQuote = true
	body := strings.Join(w.blocks(n), "\n\n")
	w.inQuote = false
	return "{quote}\n" + body + "\n{quote}"
}

// htmlBlock keeps raw HTML as visible text (Jira wiki has no HTML) but drops
// comments, which Markdown readers never see either.
func (w *wikiWriter) htmlBlock(n *ast.HTMLBlock) string {
	raw := w.lines(n)
	if n.HasClosure() {
		raw += string(n.ClosureLine.Value(w.src))
	}
	raw = strings.TrimRight(stripHTMLComments(raw), "\n")
	if strings.TrimSpace(raw) == "" {
		return ""
	}
	var segs []seg
	for i, line := range strings.Split(raw, "\n") {
		if i > 0 {
			segs = append(segs, seg{s: "\n", kind: segRaw})
		}
		segs = append(segs, seg{s: line})
	}
	return joinSegs(segs, ctxParagraph)
}

// list renders a list whose items get the marker prefix+"#" or prefix+"*".
// Blocks Jira cannot hold in a list item (code, quotes, tables) follow the
// item on their own lines; Jira then starts a new list after them.
func (w *wikiWriter) list(n *ast.List, prefix string) []string {
	marker := prefix + "*"
	if n.IsOrdered() {
		marker = prefix + "#"
	}
	var out []string
	for item := n.FirstChild(); item != nil; item = item.NextSibling() {
		out = append(out, w.listItem(item, marker)...)
	}
	return out
}

func (w *wikiWriter) listItem(item ast.Node, marker string) []string {
	in := w.newInliner(ctxLine)
	var after []string
	for c := item.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Paragraph, *ast.TextBlock:
			if len(in.segs) > 0 {
				in.add(`\\`, segRaw)
			}
			in.children(c)
		case *ast.List:
			after = append(after, w.list(c, marker)...)
		default:
			if s := w.block(c); s != "" {
				after = append(after, s)
			}
		}
	}
	line := marker + " " + joinSegs(in.segs, ctxLine)
	return append([]string{strings.TrimRight(line, " ")}, after...)
}

// table renders a GFM table; alignment has no wiki form and is dropped.
func (w *wikiWriter) table(n *east.Table) string {
	var rows []string
	for r := n.FirstChild(); r != nil; r = r.NextSibling() {
		sep := "|"
		if _, ok := r.(*east.TableHeader); ok {
			sep = "||"
		}
		var b strings.Builder
		b.WriteString(sep)
		for c := r.FirstChild(); c != nil; c = c.NextSibling() {
			cell := w.inline(c, ctxCell)
			if cell == "" {
				cell = " "
			}
			b.WriteString(cell + sep)
		}
		rows = append(rows, b.String())
	}
	return strings.Join(rows, "\n")
}

// codeBlock renders fenced or indented code. Jira's code macro ends at the
// first "{code}", so code containing it falls back to {noformat}.
func codeBlock(body, info string) string {
	body = strings.TrimSuffix(body, "\n")
	lang := codeLanguage(info)
	switch {
	case !strings.Contains(body, "{code}"):
		if lang != "" {
			return "{code:" + lang + "}\n" + body + "\n{code}"
		}
		return "{code}\n" + body + "\n{code}"
	case !strings.Contains(body, "{noformat}"):
		return "{noformat}\n" + body + "\n{noformat}"
	}
	// Both end tags occur: no macro can hold the text verbatim. Keep it
	// readable in {noformat} and break the inner end tags with a backslash.
	return "{noformat}\n" + strings.ReplaceAll(body, "{noformat}", `\{noformat}`) + "\n{noformat}"
}

// jiraLanguages maps a fence's info word to a language of Jira DC's code
// macro; anything else is rendered as plain {code}.
var jiraLanguages = map[string]string{
	"actionscript": "actionscript", "ada": "ada", "applescript": "applescript",
	"bash": "bash", "sh": "bash", "shell": "bash", "zsh": "bash", "console": "bash",
	"c": "c", "c#": "c#", "csharp": "c#", "cs": "c#", "c++": "cpp", "cpp": "cpp",
	"css": "css", "erlang": "erlang", "go": "go", "golang": "go", "groovy": "groovy",
	"haskell": "haskell", "html": "html", "java": "java", "javascript": "javascript",
	"js": "javascript", "json": "json", "lua": "lua", "objc": "objc",
	"objective-c": "objc", "perl": "perl", "php": "php", "python": "python",
	"py": "python", "r": "r", "ruby": "ruby", "rb": "ruby", "scala": "scala",
	"sql": "sql", "swift": "swift", "visualbasic": "visualbasic", "vb": "visualbasic",
	"xml": "xml", "yaml": "yaml", "yml": "yaml",
}

func codeLanguage(info string) string {
	word, _, _ := strings.Cut(strings.TrimSpace(info), " ")
	return jiraLanguages[strings.ToLower(word)]
}

// normalizeNewlines turns CRLF and lone CR into LF.
func normalizeNewlines(s string) string {
	if !strings.Contains(s, "\r") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}

// unescapeMarkdown resolves Markdown backslash escapes and entity references
// in one pass, as CommonMark does, so "\&amp;" stays "&amp;".
func unescapeMarkdown(s string) string {
	if !strings.ContainsAny(s, `\&`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\\' && i+1 < len(s) && isASCIIPunct(s[i+1]) {
			b.WriteByte(s[i+1])
			i++
			continue
		}
		if c == '&' {
			if end := entityEnd(s, i); end > 0 {
				b.WriteString(html.UnescapeString(s[i:end]))
				i = end - 1
				continue
			}
		}
		b.WriteByte(c)
	}
	return b.String()
}

// entityEnd returns the end of an HTML entity reference starting at s[i], or 0.
func entityEnd(s string, i int) int {
	j := i + 1
	if j < len(s) && s[j] == '#' {
		j++
	}
	start := j
	for j < len(s) && j-start < 32 && isAlnumByte(s[j]) {
		j++
	}
	if j == start || j >= len(s) || s[j] != ';' {
		return 0
	}
	if html.UnescapeString(s[i:j+1]) == s[i:j+1] {
		return 0
	}
	return j + 1
}

func isASCIIPunct(c byte) bool {
	return c >= '!' && c <= '/' || c >= ':' && c <= '@' || c >= '[' && c <= '`' || c >= '{' && c <= '~'
}

func isAlnumByte(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
