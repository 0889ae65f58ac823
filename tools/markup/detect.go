package markup

import "regexp"

// Format is the markup a text is written in.
type Format int

const (
	// Markdown is GitHub-flavoured Markdown, converted with [ToWiki].
	Markdown Format = iota
	// Wiki is Jira wiki markup, sent to Jira as it is.
	Wiki
)

func (f Format) String() string {
	if f == Wiki {
		return "wiki"
	}
	return "markdown"
}

// wikiSignals are constructs only Jira wiki markup uses.
var wikiSignals = regexp.MustCompile(`(?m)` +
	`^\s*h[1-6]\.\s|^\s*bq\.\s|` + // headings, bq.
	`\{(?:code|noformat|quote|panel|color)(?::[^}\n]*)?\}|` + // block macros, colour
	`\[[^\]\n|(]*\|[^\]\n]+\]|` + // [text|url]
	`\[~[^\]\s]+\]|` + // [~user]
	`^\s*\|\|`) // ||heading||

// markdownSignals are constructs only Markdown uses. A line starting "# ",
// "* " or "- " is not among them: wiki reads it as a list item.
var markdownSignals = regexp.MustCompile("(?m)" +
	"^\\s*(?:```|~~~)|" + // fences
	"\\*\\*[^*\\s][^*\\n]*\\*\\*|__[^_\\s][^_\\n]*__|~~[^~\\s][^~\\n]*~~|" + // **bold**, __bold__, ~~strike~~
	"!?\\[[^\\]\\n]*\\]\\([^)\\s]*\\)|" + // [text](url), ![alt](url)
	"`[^`\\n]+`|" + // `code`
	"^\\s*>\\s|" + // > quote
	"^\\s*\\|?\\s*:?-{3,}:?\\s*\\||" + // |---| table separator
	"^\\s*\\d+\\.\\s") // 1. ordered item

// Detect tells which markup text is written in, for format "auto": text
// with an unambiguous wiki construct (h1., bq., {code}, {noformat}, {quote},
// {panel}, {color}, [text|url], [~user], ||heading||) and no Markdown
// construct (fences, **bold**, [text](url), `code`, "> " quotes, |---|
// tables, "1. " items) is Wiki. Everything else is Markdown:
// prose without markup converts to itself (apart from needed escapes), so it
// does not matter which way it goes. Lines starting with "#", "*" or "-" count
// for neither, because both formats use them (a heading or list in
// Markdown, a list in wiki).
func Detect(text string) Format {
	if wikiSignals.MatchString(text) && !markdownSignals.MatchString(text) {
		return Wiki
	}
	return Markdown
}
