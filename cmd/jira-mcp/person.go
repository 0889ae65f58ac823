package main

import (
	"maps"
	"regexp"
	"strings"

	"github.com/jira-mcp/jira-mcp/tools"
)

// The tools speak to an agent: "ask the user to run jira-mcp auth login",
// "find it with jira_search", "pass allow_duplicate: true". At a terminal
// the reader is that user, and the tools are commands with flags, so the
// twin says the same things to the person: forPerson rewrites the tools'
// own turns of phrase (a presentation step; nothing is decided by it).

// personPhrases are the agent's phrases and what a person reads instead,
// applied in order.
var personPhrases = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`[;,.]? ?[Dd]o not try to (obtain or handle tokens|read the keyring) yourself\.?`), "."},
	{regexp.MustCompile(`[;,]? ?(do not retry, )?[Tt]ell the user(; do not try another way)?\.`), "."},
	{regexp.MustCompile(`[;,]? ?[Dd]o not try another way; ask the user[^.]*\.`), "."},
	{regexp.MustCompile(` in a terminal\b`), ""},
	{regexp.MustCompile(`\bAsk the user to (\w)`), "${1}"},
	{regexp.MustCompile(`\bask the user to `), ""},
	{regexp.MustCompile(`\bThe user lacks\b`), "You lack"},
	{regexp.MustCompile(`\bthe user lacks\b`), "you lack"},
	{regexp.MustCompile(`\bthe user must\b`), "you must"},
	{regexp.MustCompile(`\.\.`), "."},
}

var (
	toolRefRE = regexp.MustCompile(`\bjira_[a-z_]+\b`)
	// An argument the text tells to pass: "name: true", "name=N", "pass
	// name", "in fields".
	argTrueRE     = regexp.MustCompile(`\b([a-z_]+): true\b`)
	argValueRE    = regexp.MustCompile(`\b([a-z_]+)=(\d+)\b`)
	passArgRE     = regexp.MustCompile(`\bpass ([a-z_]+)\b`)
	inFieldsRE    = regexp.MustCompile(`\bin fields\b`)
	twinCommandOf = func() map[string]string {
		m := map[string]string{}
		for _, tl := range tools.All() {
			m[tl.Def.Name] = "jira-mcp " + tl.CLI.Command
		}
		return m
	}()
	argNames = func() map[string]bool {
		m := map[string]bool{}
		for _, tl := range tools.All() {
			for name := range maps.Keys(tl.Def.InputSchema.Properties) {
				m[name] = true
			}
		}
		return m
	}()
)

// forPerson rewrites a tool's text for the person at the terminal.
func forPerson(s string) string {
	for _, p := range personPhrases {
		s = p.re.ReplaceAllString(s, p.with)
	}
	s = toolRefRE.ReplaceAllStringFunc(s, func(name string) string {
		if cmd, ok := twinCommandOf[name]; ok {
			return "`" + cmd + "`"
		}
		return name
	})
	s = argTrueRE.ReplaceAllStringFunc(s, func(m string) string {
		name := strings.TrimSuffix(m, ": true")
		return flagFor(name, m)
	})
	s = argValueRE.ReplaceAllStringFunc(s, func(m string) string {
		sub := argValueRE.FindStringSubmatch(m)
		if !argNames[sub[1]] {
			return m
		}
		return "--" + kebab(sub[1]) + " " + sub[2]
	})
	s = passArgRE.ReplaceAllStringFunc(s, func(m string) string {
		name := strings.TrimPrefix(m, "pass ")
		if name == "them" || !argNames[name] {
			return m
		}
		return "pass --" + kebab(name)
	})
	return inFieldsRE.ReplaceAllString(s, "with --field NAME=VALUE")
}

func flagFor(name, otherwise string) string {
	if !argNames[name] {
		return otherwise
	}
	return "--" + kebab(name)
}

func kebab(s string) string { return strings.ReplaceAll(s, "_", "-") }
