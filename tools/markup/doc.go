// Package markup converts text between the Markdown that agents write and the
// wiki markup that Jira Data Center stores, renders wiki markup the way Jira
// does, and makes text read from Jira safe to show a model.
//
// # Writing: Markdown to wiki ([ToWiki])
//
// Markdown is parsed by goldmark with its GFM extensions (tables,
// strikethrough, autolinks, task lists); this package walks the AST and
// writes wiki markup itself:
//
//   - headings h1. to h6.; *strong*, _emphasis_, -strikethrough-;
//     {{monospace}}; [text|url] links and [url] autolinks; !url! images, with
//     |alt=text when there is alt text; ||header|| and |cell| tables (GFM
//     alignment has no wiki form and is dropped); ---- rules; nested lists
//     of any depth and mix (#, *, #*#).
//   - Block quotes are {quote}...{quote}, not bq., because a quote may hold
//     several paragraphs and lists. {quote} cannot nest, so a quote inside a
//     quote is flattened into its parent.
//   - Task lists: a checked item starts with (/) and an open one with (x),
//     Jira's tick and cross icons. Read back they are the text (/) and (x).
//   - Fenced code becomes {code:lang} when Jira DC's code macro knows the
//     language (aliases such as golang, sh, py, yml are mapped), else {code}.
//     Code containing "{code}" becomes {noformat}.
//   - A line break inside a paragraph is a newline (Jira shows every newline
//     as a break); inside a list item, heading or table cell, where a newline
//     would end the construct, a hard break is \\ and a soft one a space. A
//     list item's later paragraphs join it after \\; other blocks in a list
//     item follow it as continuation lines.
//   - Emphasis glued to letters or digits on both sides and written with "*"
//     (2*3*4, a**b**c) stays literal asterisks: CommonMark would emphasise,
//     but that is never what such text means. Other emphasis touching a word
//     uses Jira's {*}x{*} form. Code spans that {{ }} cannot hold (touching a
//     word, holding "}}", starting with "{" or ending with "}") become text.
//   - "@name" becomes the mention [~name] when [WikiOptions].UserExists
//     says the user exists; otherwise it stays as typed.
//   - Raw HTML stays visible text (wiki has no HTML); HTML comments, invisible
//     in Markdown, are dropped.
//
// Escaping follows Atlassian's renderer (PhraseRendererComponent,
// BackslashEscapeRendererComponent, ListBlockRenderer,
// EmoticonRendererComponent) and adds a backslash only where Jira would
// otherwise read text as markup: a phrase delimiter (* _ - + ^ ~ ??) that
// could open a phrase with a closer later on its line, or close one of our
// own; "{" and "[" with a "}" or "]" later on the line; "!" with another "!"
// later; "(" starting an emoticon such as (x) or (n); list markers, "|",
// "h1." and "bq." at a line start; "|" in table cells and "[", "]", "|" in
// link text. So snake_case_name and 2*3*4 stay as typed. Jira applies phrase,
// link and macro rules inside {{ }} too, so monospace text gets the same
// escapes (most code needs none); code blocks get none. A backslash that
// would escape what follows is written &#92;, an ampersand that would start
// an entity &amp;, a leading "h1."'s h as &#104; (Jira keeps entities).
// CRLF is read as LF.
//
// # Detection ([Detect])
//
// For format "auto": text with an unambiguous wiki construct (h1., bq.,
// {code}, {noformat}, {quote}, {panel}, {color}, [text|url], [~user],
// ||heading||) and no Markdown construct (fences, **bold**, __bold__,
// ~~strike~~, [text](url), `code`, "> " quotes, |---| tables, "1. " items)
// is wiki and is sent as is. Lines starting with #, * or - count for neither:
// in wiki they are lists, so "h2. Steps" over "# first" stays wiki. Everything
// else is Markdown; prose without markup converts to itself, apart from the
// escapes above, so either choice is safe for it.
//
// # Rendering and reading
//
// [WikiToHTML] renders wiki the way Jira DC's renderedFields look (code and
// preformatted panels, confluenceTable tables, user-hover mentions, emoticon
// images, error spans for unknown macros and links), for the emulator.
// [HTMLToMarkdown] reads such HTML with html-to-markdown (commonmark, table
// and strikethrough plugins) after rewriting Jira's shapes: code panels to
// fences with the language of their code-<lang> class (Jira's default for
// {code} is java), noformat to plain fences, panels to block quotes that keep
// their content and links, mentions to @username, emoticons to their wiki
// text, error spans to their text; comments, scripts and styles are dropped
// and relative links made absolute against [ReadOptions].BaseURL.
// [WikiToMarkdown] is WikiToHTML followed by HTMLToMarkdown, so Markdown read
// from wiki and from Jira's own HTML agree.
//
// # Untrusted content
//
// Every text from Jira is data, not instructions. The readers pass their
// result through [Sanitize], which removes invisible and bidirectional
// control characters, tag characters, stray variation selectors and HTML
// comments, keeping a zero-width joiner only between two emoji. [Fence]
// wraps a long body between marker lines the content cannot forge; [Quote]
// marks a short field with «» for four bytes.
//
// The package relies on github.com/yuin/goldmark and
// github.com/JohannesKaufmann/html-to-markdown/v2 (with golang.org/x/net/html)
// and on nothing else of jira-mcp.
package markup
