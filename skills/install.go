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
	"sort"
	"strings"

	"github.com/google/renameio/v2/maybe"
)

// recordName is the file, in the skills folder beside the skill folders,
// that records the SHA-256 of each SKILL.md last written there, one
// "<digest>  <name>/SKILL.md" line per skill (what sha256sum -c reads). It
// tells an earlier bundled version (safe to update) from a file the user
// edited (kept unless forced). It lives outside the skill folders so that
// nothing but the skill itself is in them: an agent loads a skill's folder.
const recordName = ".jira-mcp-skills.sha256"

// stampName is where jira-mcp before the record kept each digest: inside
// the skill's folder. It is read when the record has no line for a skill,
// and removed once the record has one.
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
	rec, err := readRecord(dir)
	if err != nil {
		return nil, fmt.Errorf("install skills: %w", err)
	}
	results := make([]Result, 0, len(all))
	for _, s := range all {
		r, err := install(dir, s, force, rec)
		if err != nil {
			return results, fmt.Errorf("install skill %s: %w", s.Name, err)
		}
		results = append(results, r)
	}
	return results, nil
}

// record maps a skill's name to the digest of the SKILL.md jira-mcp last
// wrote for it, and keeps the record file up to date.
type record struct {
	path    string
	digests map[string]string
}

func readRecord(dir string) (*record, error) {
	r := &record{path: filepath.Join(dir, recordName), digests: map[string]string{}}
	data, err := os.ReadFile(r.path)
	if errors.Is(err, fs.ErrNotExist) {
		return r, nil
	}
	if err != nil {
		return nil, err
	}
	for _, line := range strings.Split(string(data), "\n") {
		sum, file, ok := strings.Cut(strings.TrimSpace(line), "  ")
		if name, isSkill := strings.CutSuffix(file, "/"+FileName); ok && isSkill {
			r.digests[name] = sum
		}
	}
	return r, nil
}

// digest returns the recorded digest of a skill, or the one an older
// jira-mcp left in the skill's folder.
func (r *record) digest(dir, name string) string {
	if d, ok := r.digests[name]; ok {
		return d
	}
	old, _ := os.ReadFile(filepath.Join(dir, name, stampName))
	return strings.TrimSpace(string(old))
}

// set records name's digest, writes the record if it changed, and then
// removes an older jira-mcp's stamp from the skill's folder.
func (r *record) set(dir, name, sum string) error {
	if r.digests[name] != sum {
		r.digests[name] = sum
		names := make([]string, 0, len(r.digests))
		for n := range r.digests {
			names = append(names, n)
		}
		sort.Strings(names)
		var b strings.Builder
		for _, n := range names {
			fmt.Fprintf(&b, "%s  %s/%s\n", r.digests[n], n, FileName)
		}
		if err := writeFile(r.path, []byte(b.String())); err != nil {
			return err
		}
	}
	return removeIfExists(filepath.Join(dir, name, stampName))
}

func removeIfExists(path string) error {
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

func install(dir string, s Skill, force bool, rec *record) (Result, error) {
	folder := filepath.Join(dir, s.Name)
	file := filepath.Join(folder, FileName)
	r := Result{Name: s.Name, Path: file}

	existing, err := os.ReadFile(file)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		r.Status, r.Reason = Written, "new"
	case err != nil:
		return r, err
	case bytes.Equal(existing, s.Content):
		r.Status, r.Reason = Unchanged, "up to date"
		// Keep the record current so a later update can tell this file is ours.
		return r, rec.set(dir, s.Name, digest(s.Content))
	case rec.digest(dir, s.Name) == digest(existing):
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
	return r, rec.set(dir, s.Name, digest(s.Content))
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
