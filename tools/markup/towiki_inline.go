package markup

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
)

// inlineCtx says where inline text lands, which decides how line breaks are
// written and which characters need escaping.
type inlineCtx int

const (
	ctxParagraph inlineCtx = iota // a paragraph: line breaks are newlines
	ctxLine                       // one line (heading, list item): breaks are \\
	ctxCell                       // a table cell: like ctxLine, and | is escaped
)

// segKind tells joinSegs how to treat a segment.
type segKind int

const (
	segText    segKind = iota // plain text, escaped as needed
	segRaw                    // wiki markup written as is
	segOpen                   // an opening phrase delimiter (s is the delimiter)
	segClose                  // a closing phrase delimiter
	segLinkTxt                // text inside [ ... | ]: [, ] and | are escaped too
	segCode                   // text inside {{ }}
)

// seg is one piece of a block's inline output; see joinSegs.
type seg struct {
	s    string
	kind segKind
	pair int // for segOpen/segClose: index of the partner delimiter
}

// inliner collects the segments of one block.
type inliner struct {
	w      *wikiWriter
	ctx    inlineCtx
	segs   []seg
	spans  int            // open emphasis, strike or link: soft breaks become spaces
	active map[string]int // open delimiters, so a nested twin is not doubled
	inLink int            // > 0 inside link text
}

func (w *wikiWriter) newInliner(ctx inlineCtx) *inliner {
	return &inliner{w: w, ctx: ctx, active: map[string]int{}}
}

// inline renders the inline children of n as one block's wiki text.
func (w *wikiWriter) inline(n ast.Node, ctx inlineCtx) string {
	in := w.newInliner(ctx)
	in.children(n)
	return joinSegs(in.segs, ctx)
}

func (in *inliner) children(n ast.Node) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		in.node(c)
	}
}

func (in *inliner) add(s string, kind segKind) {
	if kind == segText && in.inLink > 0 {
		kind = segLinkTxt
	}
	in.segs = append(in.segs, seg{s: s, kind: kind})
}

func (in *inliner) node(n ast.Node) {
	src := in.w.src
	switch n := n.(type) {
	case *ast.Text:
		in.text(unescapeMarkdown(string(n.Segment.Value(src))))
		in.lineBreak(n.SoftLineBreak(), n.HardLineBreak())
	case *ast.String:
		in.text(string(n.Value))
	case *ast.CodeSpan:
		in.codeSpan(n)
	case *ast.Emphasis:
		if d := in.intrawordAsterisks(n); d != "" {
			in.add(d, segText)
			in.children(n)
			in.add(d, segText)
			return
		}
		in.phrase(n, map[int]string{1: "_", 2: "*"}[n.Level])
	case *east.Strikethrough:
		in.phrase(n, "-")
	case *ast.Link:
		in.link(string(n.Destination), n)
	case *ast.AutoLink:
		u := string(n.URL(src))
		if n.AutoLinkType == ast.AutoLinkEmail && !strings.HasPrefix(strings.ToLower(u), "mailto:") {
			u = "mailto:" + u
		}
		in.add("["+wikiURL(u)+"]", segRaw)
	case *ast.Image:
		in.image(n)
	case *ast.RawHTML:
		in.rawHTML(n)
	case *east.TaskCheckBox:
		in.add(map[bool]string{true: "(/) ", false: "(x) "}[n.IsChecked], segRaw)
	default:
		in.children(n)
	}
}

// intrawordAsterisks returns the delimiters of an emphasis written with "*"
// and glued to letters or digits on both sides, as in 2*3*4 or a**b**c.
// CommonMark emphasises these, but their authors mean the asterisks, so they
// stay text. It returns "" for any other emphasis.
func (in *inliner) intrawordAsterisks(n *ast.Emphasis) string {
	first := ast.Node(n)
	for first.FirstChild() != nil {
		first = first.FirstChild()
	}
	t, ok := first.(*ast.Text)
	if !ok || t.Segment.Start < n.Level || in.w.src[t.Segment.Start-1] != '*' {
		return ""
	}
	prev, okPrev := n.PreviousSibling().(*ast.Text)
	next, okNext := n.NextSibling().(*ast.Text)
	if !okPrev || !okNext || prev.SoftLineBreak() || prev.HardLineBreak() {
		return ""
	}
	before, _ := utf8.DecodeLastRune(prev.Segment.Value(in.w.src))
	after, _ := utf8.DecodeRune(next.Segment.Value(in.w.src))
	if !isWordRune(before) || !isWordRune(after) {
		return ""
	}
	return strings.Repeat("*", n.Level)
}

// lineBreak writes a soft or hard break: a newline inside a paragraph (Jira
// shows every newline as a break), else a space or \\.
func (in *inliner) lineBreak(soft, hard bool) {
	switch {
	case !soft && !hard:
	case in.ctx == ctxParagraph && in.spans == 0:
		in.add("\n", segRaw)
	case hard:
		in.add(`\\`, segRaw)
	default:
		in.add(" ", segText)
	}
}

// text adds plain text, turning "@name" into a mention when the user exists.
func (in *inliner) text(s string) {
	if in.w.opt.UserExists == nil || in.inLink > 0 || !strings.Contains(s, "@") {
		in.add(s, segText)
		return
	}
	for s != "" {
		at := strings.IndexByte(s, '@')
		if at < 0 {
			break
		}
		name := mentionName(s[at+1:])
		before := in.lastRune()
		if at > 0 {
			before, _ = utf8.DecodeLastRuneInString(s[:at])
		}
		if name == "" || isWordRune(before) || !in.w.opt.UserExists(name) {
			in.add(s[:at+1], segText)
			s = s[at+1:]
			continue
		}
		in.add(s[:at], segText)
		in.add("[~"+name+"]", segRaw)
		s = s[at+1+len(name):]
	}
	if s != "" {
		in.add(s, segText)
	}
}

// mentionName reads a Jira username at the start of s; trailing dots and
// dashes are punctuation, not part of the name.
func mentionName(s string) string {
	end := 0
	for i, r := range s {
		if !(isWordRune(r) || r == '.' || r == '-' || r == '_') {
			break
		}
		end = i + utf8.RuneLen(r)
	}
	return strings.TrimRight(s[:end], ".-")
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// lastRune is the last character written so far in this block.
func (in *inliner) lastRune() rune {
	for i := len(in.segs) - 1; i >= 0; i-- {
		if s := in.segs[i].s; s != "" {
			r, _ := utf8.DecodeLastRuneInString(s)
			return r
		}
	}
	return 0
}

// phrase wraps n's content in a delimiter pair; the pair may become the
// {*}-style form in joinSegs. Jira cannot nest a phrase in its twin, so an
// inner twin is written without delimiters.
func (in *inliner) phrase(n ast.Node, delim string) {
	if in.active[delim] > 0 {
		in.children(n)
		return
	}
	in.active[delim]++
	in.spans++
	open := len(in.segs)
	in.segs = append(in.segs, seg{s: delim, kind: segOpen})
	in.children(n)
	if len(in.segs) == open+1 {
		in.segs = in.segs[:open] // nothing inside: no markup
	} else {
		in.segs[open].pair = len(in.segs)
		in.segs = append(in.segs, seg{s: delim, kind: segClose, pair: open})
	}
	in.spans--
	in.active[delim]--
}

// codeSpan writes {{code}}. Jira needs a word boundary outside the braces and
// no brace or space just inside them; when that cannot hold, the code is
// written as plain (escaped) text so no character is lost (see
// chooseDelimiterForms for the boundary).
func (in *inliner) codeSpan(n *ast.CodeSpan) {
	var b strings.Builder
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if t, ok := c.(*ast.Text); ok {
			b.Write(t.Segment.Value(in.w.src))
		} else if s, ok := c.(*ast.String); ok {
			b.Write(s.Value)
		}
	}
	code := strings.ReplaceAll(b.String(), "\n", " ")
	trimmed := strings.TrimSpace(code)
	if trimmed == "" || strings.Contains(trimmed, "}}") || trimmed[0] == '{' ||
		trimmed[len(trimmed)-1] == '}' || in.inLink > 0 {
		in.add(code, segText)
		return
	}
	open := len(in.segs)
	in.segs = append(in.segs, seg{s: "{{", kind: segOpen, pair: open + 2},
		seg{s: trimmed, kind: segCode}, seg{s: "}}", kind: segClose, pair: open})
}

// link writes [text|url], or [url] when the text is the address itself.
func (in *inliner) link(dest string, n ast.Node) {
	u := wikiURL(dest)
	if plainText(n, in.w.src) == dest || n.FirstChild() == nil {
		in.add("["+u+"]", segRaw)
		return
	}
	in.add("[", segRaw)
	in.inLink++
	in.spans++
	in.children(n)
	in.spans--
	in.inLink--
	in.add("|"+u+"]", segRaw)
}

// image writes !url! or !url|alt=text!. Characters that would end the alt
// parameter become spaces; an image without an address is its alt text.
func (in *inliner) image(n *ast.Image) {
	u := wikiURL(string(n.Destination))
	if u == "" {
		in.children(n)
		return
	}
	alt := strings.Join(strings.Fields(altCleaner.Replace(plainText(n, in.w.src))), " ")
	if alt == "" {
		in.add("!"+u+"!", segRaw)
		return
	}
	in.add("!"+u+"|alt="+alt+"!", segRaw)
}

var altCleaner = strings.NewReplacer("|", " ", "!", " ", ",", " ", "=", " ", "{", " ", "}", " ", "[", " ", "]", " ")

// rawHTML keeps inline HTML as visible text, turns <br> into a break and
// drops comments.
func (in *inliner) rawHTML(n *ast.RawHTML) {
	var b strings.Builder
	for i := 0; i < n.Segments.Len(); i++ {
		seg := n.Segments.At(i)
		b.Write(seg.Value(in.w.src))
	}
	raw := b.String()
	switch {
	case strings.HasPrefix(raw, "<!--"):
	case isBreakTag(raw):
		in.lineBreak(false, true)
	default:
		in.add(strings.ReplaceAll(raw, "\n", " "), segText)
	}
}

func isBreakTag(s string) bool {
	s = strings.ToLower(strings.Join(strings.Fields(s), ""))
	return s == "<br>" || s == "<br/>"
}

// plainText is the text content of an inline subtree.
func plainText(n ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch c := c.(type) {
		case *ast.Text:
			b.WriteString(unescapeMarkdown(string(c.Segment.Value(src))))
		case *ast.String:
			b.Write(c.Value)
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}

// wikiURL makes an address safe inside [ ] and ! !: characters that end or
// split a wiki link are percent-encoded.
func wikiURL(u string) string {
	if !strings.ContainsAny(u, "|[]! \t\n") {
		return u
	}
	r := strings.NewReplacer("|", "%7C", "[", "%5B", "]", "%5D", "!", "%21", " ", "%20", "\t", "%09", "\n", "%0A")
	return r.Replace(u)
}
