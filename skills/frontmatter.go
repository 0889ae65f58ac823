package skills

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Limits from the Agent Skills format.
const (
	MaxNameLen          = 64
	MaxDescriptionLen   = 1024
	MaxCompatibilityLen = 500
)

// ErrFrontMatter marks a SKILL.md whose front matter is malformed or breaks
// the Agent Skills rules.
var ErrFrontMatter = errors.New("invalid front matter")

// The keys the Agent Skills format defines. Anything else is refused, since
// strict validators (and some agents) reject unknown keys.
var knownKeys = map[string]bool{
	"name": true, "description": true, "license": true,
	"compatibility": true, "metadata": true, "allowed-tools": true,
}

// Parse reads a SKILL.md: front matter between "---" lines, then the body.
// It accepts the YAML subset skills need (one-line scalars, plain or quoted,
// and a one-level metadata map) and refuses anything a real YAML parser would
// read differently, so what passes here loads the same in every agent.
func Parse(data []byte) (Skill, error) {
	text := strings.ReplaceAll(string(data), "\r\n", "\n")
	rest, ok := strings.CutPrefix(text, "---\n")
	if !ok {
		return Skill{}, fmt.Errorf("%w: file must start with a \"---\" line", ErrFrontMatter)
	}
	head, body, ok := cutLine(rest, "---")
	if !ok {
		return Skill{}, fmt.Errorf("%w: no closing \"---\" line", ErrFrontMatter)
	}
	fields, err := parseFields(head)
	if err != nil {
		return Skill{}, err
	}
	s := Skill{
		Name:        fields["name"],
		Description: fields["description"],
		Body:        strings.TrimLeft(body, "\n"),
		Content:     bytes.Clone(data),
	}
	if err := validate(s.Name, s.Description, fields["compatibility"]); err != nil {
		return Skill{}, err
	}
	for line := range strings.SplitSeq(s.Body, "\n") {
		if title, ok := strings.CutPrefix(line, "# "); ok {
			s.Title = strings.TrimSpace(title)
			break
		}
	}
	return s, nil
}

// cutLine splits text around the first line equal to sep.
func cutLine(text, sep string) (before, after string, found bool) {
	offset := 0
	for line := range strings.SplitAfterSeq(text, "\n") {
		if strings.TrimRight(line, "\n") == sep {
			return text[:offset], text[offset+len(line):], true
		}
		offset += len(line)
	}
	return "", "", false
}

// parseFields returns the top-level scalars. The metadata map is checked
// for shape, but nothing here needs its values.
func parseFields(head string) (map[string]string, error) {
	fields := map[string]string{}
	var metadata map[string]string
	inMetadata := false
	for n, line := range strings.Split(strings.TrimSuffix(head, "\n"), "\n") {
		lineNo := n + 2 // the opening "---" is line 1
		if strings.TrimSpace(line) == "" || strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		if strings.Contains(line, "\t") {
			return nil, fmt.Errorf("%w: line %d: tabs are not allowed in YAML indentation", ErrFrontMatter, lineNo)
		}
		indented := strings.HasPrefix(line, " ")
		key, raw, err := splitKey(strings.TrimLeft(line, " "))
		if err != nil {
			return nil, fmt.Errorf("%w: line %d: %v", ErrFrontMatter, lineNo, err)
		}
		value, err := scalar(raw)
		if err != nil {
			return nil, fmt.Errorf("%w: line %d: %s: %v", ErrFrontMatter, lineNo, key, err)
		}
		if indented {
			if !inMetadata {
				return nil, fmt.Errorf("%w: line %d: unexpected indentation", ErrFrontMatter, lineNo)
			}
			if _, dup := metadata[key]; dup {
				return nil, fmt.Errorf("%w: line %d: duplicate metadata key %q", ErrFrontMatter, lineNo, key)
			}
			metadata[key] = value
			continue
		}
		inMetadata = false
		if !knownKeys[key] {
			return nil, fmt.Errorf("%w: line %d: unknown key %q (allowed: name, description, license, compatibility, metadata, allowed-tools)", ErrFrontMatter, lineNo, key)
		}
		if _, dup := fields[key]; dup || (key == "metadata" && metadata != nil) {
			return nil, fmt.Errorf("%w: line %d: duplicate key %q", ErrFrontMatter, lineNo, key)
		}
		if key == "metadata" {
			if raw != "" {
				return nil, fmt.Errorf("%w: line %d: metadata must be a map on the following indented lines", ErrFrontMatter, lineNo)
			}
			metadata = map[string]string{}
			inMetadata = true
			continue
		}
		fields[key] = value
	}
	return fields, nil
}

func splitKey(line string) (key, raw string, err error) {
	key, raw, ok := strings.Cut(line, ":")
	if !ok || key == "" || strings.ContainsAny(key, " \"'") {
		return "", "", errors.New(`want "key: value"`)
	}
	if raw != "" && raw[0] != ' ' {
		return "", "", errors.New(`want a space after ":"`)
	}
	return key, strings.TrimSpace(raw), nil
}

// scalar decodes a one-line YAML scalar, refusing plain values that YAML
// would read as something else (a map, a comment, a block scalar, a flow
// collection, an alias, ...).
func scalar(raw string) (string, error) {
	switch {
	case raw == "":
		return "", nil
	case raw[0] == '"':
		return doubleQuoted(raw)
	case raw[0] == '\'':
		if len(raw) < 2 || raw[len(raw)-1] != '\'' {
			return "", errors.New("unterminated single-quoted string")
		}
		inner := raw[1 : len(raw)-1]
		if strings.Contains(strings.ReplaceAll(inner, "''", ""), "'") {
			return "", errors.New("a single quote inside '...' must be doubled")
		}
		return strings.ReplaceAll(inner, "''", "'"), nil
	case raw[0] == '|' || raw[0] == '>':
		return "", errors.New("block scalars are not supported: write the value on one line")
	case strings.ContainsRune("-?:,[]{}#&*!%@`", rune(raw[0])):
		return "", fmt.Errorf("a plain value cannot start with %q: quote it", raw[0])
	case strings.Contains(raw, ": ") || strings.HasSuffix(raw, ":"):
		return "", errors.New(`a plain value cannot contain ": ": quote it`)
	case strings.Contains(raw, " #"):
		return "", errors.New(`" #" starts a YAML comment: quote the value`)
	}
	return raw, nil
}

func doubleQuoted(raw string) (string, error) {
	var b strings.Builder
	for i := 1; i < len(raw); i++ {
		c := raw[i]
		switch c {
		case '"':
			if i != len(raw)-1 {
				return "", errors.New("text after closing quote")
			}
			return b.String(), nil
		case '\\':
			i++
			if i >= len(raw) {
				return "", errors.New("unterminated escape")
			}
			switch raw[i] {
			case '"', '\\', '/':
				b.WriteByte(raw[i])
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			default:
				return "", fmt.Errorf("unsupported escape \\%c", raw[i])
			}
		default:
			b.WriteByte(c)
		}
	}
	return "", errors.New("unterminated double-quoted string")
}

func validate(name, description, compatibility string) error {
	if err := ValidateName(name); err != nil {
		return err
	}
	switch {
	case strings.TrimSpace(description) == "":
		return fmt.Errorf("%w: description is required", ErrFrontMatter)
	case utf8.RuneCountInString(description) > MaxDescriptionLen:
		return fmt.Errorf("%w: description has %d characters, at most %d", ErrFrontMatter, utf8.RuneCountInString(description), MaxDescriptionLen)
	case strings.ContainsAny(description, "<>"):
		// Agents load descriptions into their system prompt; angle brackets
		// could open or close a tag there.
		return fmt.Errorf("%w: description must not contain < or >", ErrFrontMatter)
	case utf8.RuneCountInString(compatibility) > MaxCompatibilityLen:
		return fmt.Errorf("%w: compatibility has more than %d characters", ErrFrontMatter, MaxCompatibilityLen)
	}
	return nil
}

// ValidateName checks a skill name: 1 to 64 lowercase letters, digits and
// hyphens, not starting or ending with a hyphen, no "--".
func ValidateName(name string) error {
	switch {
	case name == "":
		return fmt.Errorf("%w: name is required", ErrFrontMatter)
	case len(name) > MaxNameLen:
		return fmt.Errorf("%w: name %q is longer than %d characters", ErrFrontMatter, name, MaxNameLen)
	case strings.Trim(name, "abcdefghijklmnopqrstuvwxyz0123456789-") != "":
		return fmt.Errorf("%w: name %q may hold only lowercase letters, digits and hyphens", ErrFrontMatter, name)
	case name[0] == '-' || name[len(name)-1] == '-' || strings.Contains(name, "--"):
		return fmt.Errorf("%w: name %q must not start or end with a hyphen or contain \"--\"", ErrFrontMatter, name)
	}
	return nil
}
