package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/jira-mcp/jira-mcp/skills"
	"github.com/jira-mcp/jira-mcp/tools"
)

// The skills teach tool names, their arguments and jira-mcp commands. These
// tests fail when a skill names one that does not exist, so skills, tools
// and the CLI cannot drift apart.

var (
	toolNameRE = regexp.MustCompile(`\bjira_[a-z_]+\b`)
	codeSpanRE = regexp.MustCompile("`([^`\n]+)`")
	// An identifier alone in a code span, or followed by ": value", is
	// taken as a tool argument or result field.
	identSpanRE = regexp.MustCompile(`^([a-z]+(?:_[a-z]+)*)(?::\s.*)?$`)
)

func TestSkillsNameExistingTools(t *testing.T) {
	defined := map[string]bool{}
	for _, tl := range tools.All() {
		tool := tl.Def
		defined[tool.Name] = true
	}
	taught := map[string]bool{}
	for _, s := range skills.List() {
		for _, name := range toolNameRE.FindAllString(string(s.Content), -1) {
			taught[name] = true
			if !defined[name] {
				t.Errorf("skill %s names tool %s, which tools.Definitions does not define", s.Name, name)
			}
		}
	}
	for name := range defined {
		if !taught[name] {
			t.Errorf("tool %s is taught by no skill", name)
		}
	}
}

func TestSkillsNameExistingToolFields(t *testing.T) {
	known := map[string]bool{}
	for _, tl := range tools.All() {
		tool := tl.Def
		raw, err := json.Marshal(tool)
		if err != nil {
			t.Fatal(err)
		}
		var v any
		if err := json.Unmarshal(raw, &v); err != nil {
			t.Fatal(err)
		}
		collectProperties(v, known)
	}
	// Output schemas are kept short (tools/list is paid for in every
	// conversation); the structured results' own types name every field.
	for _, r := range []any{tools.SearchResult{}, tools.IssueDetail{}, tools.TransitionsResult{}, tools.TransitionResult{}, tools.CommentsResult{}, tools.AddCommentResult{}} {
		collectJSONNames(reflect.TypeOf(r), known, map[reflect.Type]bool{})
	}
	if !known["issue_key"] || !known["next_start_at"] {
		t.Fatalf("schema walk found too little: %v", known)
	}
	for _, s := range skills.List() {
		for _, m := range codeSpanRE.FindAllStringSubmatch(s.Body, -1) {
			id := identSpanRE.FindStringSubmatch(m[1])
			if id == nil || known[id[1]] || strings.HasPrefix(id[1], "jira_") {
				continue
			}
			t.Errorf("skill %s names `%s`, which is no tool argument or result field", s.Name, m[1])
		}
	}
}

// collectJSONNames gathers the JSON names of a struct's fields, nested
// structs included.
func collectJSONNames(t reflect.Type, into map[string]bool, seen map[reflect.Type]bool) {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Map {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || seen[t] {
		return
	}
	seen[t] = true
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if name, _, _ := strings.Cut(f.Tag.Get("json"), ","); name != "" && name != "-" {
			into[name] = true
		}
		collectJSONNames(f.Type, into, seen)
	}
}

// collectProperties gathers every key of every "properties" object in a
// JSON Schema, input and output alike.
func collectProperties(v any, into map[string]bool) {
	switch v := v.(type) {
	case map[string]any:
		for k, child := range v {
			if props, ok := child.(map[string]any); ok && k == "properties" {
				for name := range props {
					into[name] = true
				}
			}
			collectProperties(child, into)
		}
	case []any:
		for _, child := range v {
			collectProperties(child, into)
		}
	}
}

func TestSkillsNameExistingCommands(t *testing.T) {
	root := newRootCmd()
	texts := map[string]string{}
	for _, s := range skills.List() {
		texts["skill "+s.Name] = string(s.Content)
	}
	// What setup prints points people to commands too.
	goldens, _ := filepath.Glob(filepath.Join(goldenDir, "*.golden"))
	for _, g := range goldens {
		data, err := os.ReadFile(g)
		if err != nil {
			t.Fatal(err)
		}
		texts[filepath.Base(g)] = string(data)
	}
	found := 0
	for where, text := range texts {
		for _, m := range codeSpanRE.FindAllStringSubmatch(text, -1) {
			words, ok := strings.CutPrefix(m[1], "jira-mcp ")
			if !ok {
				continue
			}
			found++
			fields := strings.Fields(words)
			_, err := resolveCommand(root, fields)
			if err == "" {
				continue
			}
			t.Errorf("%s names `%s`: %s", where, m[1], err)
		}
	}
	if found == 0 {
		t.Fatal("no `jira-mcp ...` command found in skills or setup output")
	}
}

// resolveCommand walks words down the command tree until a flag or an
// argument, and returns the command path it read and a problem, if any.
func resolveCommand(root *cobra.Command, words []string) (path string, problem string) {
	cmd := root
	var read []string
	for _, w := range words {
		if strings.HasPrefix(w, "-") || !cmd.HasSubCommands() {
			break
		}
		read = append(read, w)
		next := findSubcommand(cmd, w)
		if next == nil {
			return strings.Join(read, " "), "no command " + strings.Join(read, " ")
		}
		cmd = next
	}
	if cmd == root {
		return "", "no command named"
	}
	// A group alone (`jira-mcp auth`) is fine in prose.
	return strings.Join(read, " "), ""
}

func findSubcommand(cmd *cobra.Command, name string) *cobra.Command {
	for _, c := range cmd.Commands() {
		if c.Name() == name || slices.Contains(c.Aliases, name) {
			return c
		}
	}
	return nil
}
