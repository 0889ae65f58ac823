package tools

import (
	"fmt"
	"slices"
	"strings"
)

// Selection says which tools to serve: every tool of the toolsets named
// and every tool named, or all of them when neither is; ReadOnly then
// drops every tool that writes, whatever else was asked.
type Selection struct {
	Toolsets []string
	Tools    []string
	ReadOnly bool
}

// Select returns the tools s names, in All's order, or an error naming
// what it does not know.
func Select(s Selection) ([]Tool, error) {
	all := All()
	sets := map[string]bool{}
	for _, name := range s.Toolsets {
		name = strings.ToLower(strings.TrimSpace(name))
		if !slices.Contains(Toolsets, name) {
			return nil, fmt.Errorf("unknown toolset %q; the toolsets are %s", name, strings.Join(Toolsets, ", "))
		}
		sets[name] = true
	}
	names := map[string]bool{}
	for _, name := range s.Tools {
		name = strings.ToLower(strings.TrimSpace(name))
		if !slices.ContainsFunc(all, func(tl Tool) bool { return tl.Def.Name == name }) {
			return nil, fmt.Errorf("unknown tool %q; the tools are %s", name, strings.Join(toolNames(all), ", "))
		}
		names[name] = true
	}
	var out []Tool
	for _, tl := range all {
		picked := len(sets) == 0 && len(names) == 0 || sets[tl.Set] || names[tl.Def.Name]
		if picked && (!s.ReadOnly || tl.ReadOnly()) {
			out = append(out, tl)
		}
	}
	return out, nil
}

func toolNames(tools []Tool) []string {
	out := make([]string, len(tools))
	for i, tl := range tools {
		out[i] = tl.Def.Name
	}
	return out
}
