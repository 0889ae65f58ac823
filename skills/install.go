package skills

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/google/renameio/v2/maybe"
)

// stampName is the file, next to each installed SKILL.md, that holds the
// SHA-256 of the SKILL.md last written there. It tells an earlier bundled
// version (safe to update) from a file the user edited (kept unless forced).
const stampName = ".jira-mcp.sha256"

// Status says what Install did with one skill.
type Status string

// What Install can do with a skill's file.
const (
	Written   Status = "written"
	Unchanged Status = "unchanged"
	Skipped   Status = "skipped"
)

// Result reports what Install did with one skill.
type Result struct {
	Name   string
	Path   string // the SKILL.md path
	Status Status
	Reason string // why, in a few words a person can act on
}

// Install writes every bundled skill to dir/<name>/SKILL.md. It is
// idempotent: a file already up to date is left alone, an earlier bundled
// version is updated, and a file the user changed is skipped unless force is
// set. It returns one result per skill, in name order; on an I/O error it
// returns the results so far with the error.
func Install(dir string, force bool) ([]Result, error) {
	if dir == "" {
		return nil, errors.New("install skills: no target folder")
	}
	results := make([]Result, 0, len(all))
	for _, s := range all {
		r, err := install(dir, s, force)
		if err != nil {
			return results, fmt.Errorf("install skill %s: %w", s.Name, err)
		}
		results = append(results, r)
	}
	return results, nil
}

func install(dir string, s Skill, force bool) (Result, error) {
	folder := filepath.Join(dir, s.Name)
	file := filepath.Join(folder, FileName)
	stamp := filepath.Join(folder, stampName)
	r := Result{Name: s.Name, Path: file}

	existing, err := os.ReadFile(file)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		r.Status, r.Reason = Written, "new"
	case err != nil:
		return r, err
	case bytes.Equal(existing, s.Content):
		r.Status, r.Reason = Unchanged, "up to date"
		// Keep the stamp current so a later update can tell this file is ours.
		if old, _ := os.ReadFile(stamp); strings.TrimSpace(string(old)) != digest(s.Content) {
			if err := writeFile(stamp, []byte(digest(s.Content)+"\n")); err != nil {
				return r, err
			}
		}
		return r, nil
	case ours(existing, stamp):
		r.Status, r.Reason = Written, "updated"
	case force:
		r.Status, r.Reason = Written, "replaced local changes (--force)"
	default:
		r.Status, r.Reason = Skipped, "changed locally; --force replaces it"
		return r, nil
	}

	if err := os.MkdirAll(folder, 0o755); err != nil {
		return r, err
	}
	if err := writeFile(file, s.Content); err != nil {
		return r, err
	}
	return r, writeFile(stamp, []byte(digest(s.Content)+"\n"))
}

// ours reports whether content is exactly what a previous Install wrote.
func ours(content []byte, stamp string) bool {
	want, err := os.ReadFile(stamp)
	return err == nil && strings.TrimSpace(string(want)) == digest(content)
}

func digest(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// writeFile replaces path atomically on Unix (renameio's maybe.WriteFile),
// so an agent reading skills never sees half a file and an interrupted
// install leaves the old one. A new file is 0644 less the umask; an
// existing one keeps its mode.
func writeFile(path string, data []byte) error {
	return maybe.WriteFile(path, data, 0o644)
}
