// Package skills holds the Agent Skills bundled with jira-mcp: one folder per
// skill with a SKILL.md (YAML front matter, then Markdown steps), embedded in
// the binary. It parses and validates their front matter and installs them
// where agents look for skills, without overwriting files a user has edited.
//
// It stands alone: it imports nothing from the rest of the project, so the
// server (which serves skills as MCP prompts) and the CLI can both use it.
package skills

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
)

// FileName is the name of a skill's file inside its folder.
const FileName = "SKILL.md"

//go:embed */SKILL.md
var bundled embed.FS

// Skill is one bundled skill.
type Skill struct {
	// Name is the front matter's name, equal to the skill's folder name.
	Name string
	// Description says what the skill does and when to use it.
	Description string
	// Title is the text of the body's first "# " heading.
	Title string
	// Body is the Markdown after the front matter.
	Body string
	// Content is the whole SKILL.md, as installed.
	Content []byte
}

// all is parsed once: the embedded files cannot change, and a broken bundled
// skill is a build defect that tests catch, so it panics rather than return
// an error every caller would have to handle.
var all = mustLoad(bundled)

func mustLoad(fsys fs.FS) []Skill {
	list, err := load(fsys)
	if err != nil {
		panic(err)
	}
	return list
}

func load(fsys fs.FS) ([]Skill, error) {
	files, err := fs.Glob(fsys, "*/"+FileName)
	if err != nil {
		return nil, fmt.Errorf("list skills: %w", err)
	}
	list := make([]Skill, 0, len(files))
	for _, file := range files {
		data, err := fs.ReadFile(fsys, file)
		if err != nil {
			return nil, fmt.Errorf("read skill %s: %w", file, err)
		}
		s, err := Parse(data)
		if err != nil {
			return nil, fmt.Errorf("skill %s: %w", file, err)
		}
		if dir := path.Dir(file); s.Name != dir {
			return nil, fmt.Errorf("skill %s: name %q does not match its folder %q", file, s.Name, dir)
		}
		list = append(list, s)
	}
	slices.SortFunc(list, func(a, b Skill) int { return strings.Compare(a.Name, b.Name) })
	return list, nil
}

// List returns every bundled skill, sorted by name. The caller may modify
// the returned slice but not the Content of its skills.
func List() []Skill {
	return slices.Clone(all)
}

// Get returns the bundled skill with this name.
func Get(name string) (Skill, bool) {
	i := slices.IndexFunc(all, func(s Skill) bool { return s.Name == name })
	if i < 0 {
		return Skill{}, false
	}
	return all[i], true
}

// Names returns the names of the bundled skills, sorted.
func Names() []string {
	names := make([]string, len(all))
	for i, s := range all {
		names[i] = s.Name
	}
	return names
}
